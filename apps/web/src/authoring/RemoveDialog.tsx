import type { PortIntent } from '@netpol-atlas/authoring';
import { useId, useMemo, useState } from 'react';
import { useDerived, useStore } from '../store/index.ts';
import { DialogShell } from '../ui/index.ts';
import type { PlanJob } from '../workspace/index.ts';
import { endpointLabel, endpointsOf } from './endpoints.ts';
import { PlanActions } from './PlanActions.tsx';
import { PlanPreview } from './PlanPreview.tsx';
import { parsePortList } from './portSpec.ts';
import { usePlan } from './usePlan.ts';

/**
 * "Stop this connection": lists every rule that admits it, proposes the narrowest edit (cut a
 * port, a peer or a rule; isolate a side that nothing isolates) and everything else that edit
 * removes.
 */
export function RemoveDialog({ src, dst }: { src: string; dst: string }) {
  const model = useDerived((d) => d.analysis.model);
  const ranges = useStore((s) => s.authoring.ranges);
  const endpoints = useMemo(() => endpointsOf(model, ranges), [model, ranges]);
  const [every, setEvery] = useState(true);
  const [portText, setPortText] = useState('');
  const name = useId();
  const source = endpoints.find((e) => e.id === src);
  const target = endpoints.find((e) => e.id === dst);
  const parsed = every ? { ports: 'all' as const } : parsePortList(portText);
  let problem: string | undefined;
  if (!source || !target) problem = 'This connection has an end that a policy cannot name.';
  else if ('error' in parsed) problem = parsed.error;
  else if (parsed.ports !== 'all' && parsed.ports.length === 0) problem = 'Type the ports to stop.';
  let job: PlanJob | undefined;
  if (!problem && source && target && !('error' in parsed)) {
    const ports: readonly PortIntent[] | 'all' = parsed.ports;
    job = { kind: 'removal', intent: { src: source.ref, dst: target.ref, ports } };
  }
  const state = usePlan(job, JSON.stringify(job ?? null));
  return (
    <DialogShell title="Remove a connection" wide testId="authoring.remove">
      <p>
        Stop <code>{endpointLabel(src)}</code> reaching <code>{endpointLabel(dst)}</code>
      </p>
      <fieldset>
        <legend>Which traffic</legend>
        <label className="inline">
          <input type="radio" name={name} checked={every} onChange={() => setEvery(true)} />
          Every port (the whole connection)
        </label>
        <label className="inline">
          <input type="radio" name={name} checked={!every} onChange={() => setEvery(false)} />
          Only some ports
        </label>
        {!every && (
          <label className="stacked indented">
            <span>Ports to stop (e.g. TCP 8080, UDP 53)</span>
            <input value={portText} onChange={(e) => setPortText(e.target.value)} spellCheck={false} />
          </label>
        )}
      </fieldset>
      <PlanPreview state={state} idle={problem ?? ''} />
      <PlanActions state={state} acceptLabel="Remove" />
    </DialogShell>
  );
}
