import type { EdgeIntent, Placement } from '@netpol-atlas/authoring';
import { useMemo, useState } from 'react';
import { type GraphModel, type NodeId, nodeLabel, parseNodeId } from '../model/index.ts';
import { selectAnalysisModel, selectRanges, useDerived, useStore } from '../store/index.ts';
import { DialogShell } from '../ui/index.ts';
import type { PlanJob } from '../workspace/index.ts';
import { EndpointSelect } from './EndpointSelect.tsx';
import { endpointsOf } from './endpoints.ts';
import { PlacementPicker } from './PlacementPicker.tsx';
import { PlanActions } from './PlanActions.tsx';
import { PlanPreview } from './PlanPreview.tsx';
import { defaultPortsForm, type PortsForm, PortsPicker } from './PortsPicker.tsx';
import { portIntents, portSuggestions } from './portSpec.ts';
import { parsePriority } from './priorityInput.ts';
import { usePlan } from './usePlan.ts';

/** The workloads whose container ports a destination suggests: itself, or a namespace's workloads. */
function destinationNodes(model: GraphModel | undefined, id: string) {
  if (!model) return [];
  const ref = parseNodeId(id);
  if (ref?.kind === 'namespace')
    return model.nodes.filter((n) => n.type === 'workload' && n.namespace === ref.namespace);
  return model.nodes.filter((n) => n.type === 'workload' && n.id === id);
}

function isRange(id: string): boolean {
  const kind = parseNodeId(id)?.kind;
  return kind === 'draft-range' || kind === 'external';
}

/**
 * "Allow this connection": source, destination, ports (suggested from the destination's
 * containers, named ports too), where the rule goes (namespace NetworkPolicies, or a
 * ClusterNetworkPolicy Accept in the Admin or Baseline tier, with its priority) and whether to
 * control the source's egress; the planner's
 * verified preview updates as the choice changes, and Accept applies it.
 */
export function ConnectDialog({
  src: initialSrc,
  dst: initialDst,
}: {
  src?: NodeId | undefined;
  dst?: NodeId | undefined;
}) {
  const model = useDerived(selectAnalysisModel);
  const ranges = useStore(selectRanges);
  const endpoints = useMemo(() => endpointsOf(model, ranges), [model, ranges]);
  const [src, setSrc] = useState(initialSrc ?? '');
  const [dst, setDst] = useState(initialDst ?? '');
  const suggestions = useMemo(() => portSuggestions(destinationNodes(model, dst)), [model, dst]);
  const [ports, setPorts] = useState<PortsForm>(() => defaultPortsForm(suggestions, isRange(dst)));
  const [egress, setEgress] = useState(false);
  const [placement, setPlacement] = useState<Placement>('namespace');
  const [priorityText, setPriorityText] = useState('');
  const priority = parsePriority(priorityText);
  const tier = placement !== 'namespace';

  const source = endpoints.find((e) => e.id === src);
  const target = endpoints.find((e) => e.id === dst);
  const chosen =
    ports.mode === 'all'
      ? { ports: 'all' as const }
      : portIntents(suggestions, ports.ticked, ports.byName, ports.more);
  const portError = 'error' in chosen ? chosen.error : undefined;
  let problem: string | undefined;
  if ((src && !source) || (dst && !target)) {
    problem = `${nodeLabel(src && !source ? src : dst)} cannot be named in a policy: it is not one CIDR block. Add an address range instead.`;
  } else if (!source || !target) problem = 'Choose a source and a destination.';
  else if (src === dst) problem = 'The source and the destination are the same.';
  else if (tier && 'error' in priority) problem = priority.error;
  let job: PlanJob | undefined;
  if (!problem && source && target && !('error' in chosen)) {
    const intent: EdgeIntent = tier
      ? {
          src: source.ref,
          dst: target.ref,
          ports: chosen.ports,
          placement,
          ...('priority' in priority && priority.priority !== undefined
            ? { priority: priority.priority }
            : {}),
        }
      : { src: source.ref, dst: target.ref, ports: chosen.ports, egress: egress ? 'always' : 'auto' };
    job = { kind: 'edge', intent };
  }
  const state = usePlan(job, JSON.stringify(job ?? null));

  return (
    <DialogShell title="Allow a connection" wide testId="authoring.connect">
      <div className="row">
        <EndpointSelect label="From" value={src} endpoints={endpoints} onChange={setSrc} />
        <EndpointSelect
          label="To"
          value={dst}
          endpoints={endpoints}
          onChange={(id) => {
            setDst(id);
            setPorts(defaultPortsForm(portSuggestions(destinationNodes(model, id)), isRange(id)));
          }}
        />
      </div>
      <PortsPicker suggestions={suggestions} value={ports} onChange={setPorts} error={portError} />
      <PlacementPicker
        value={placement}
        onChange={setPlacement}
        priority={priorityText}
        onPriority={setPriorityText}
      />
      {!tier && (
        <label className="inline">
          <input type="checkbox" checked={egress} onChange={(e) => setEgress(e.target.checked)} />
          Also control egress: write an egress rule for the source even when its egress is not isolated yet
          (it then isolates it, and the preview lists what it loses)
        </label>
      )}
      <PlanPreview state={state} idle={problem ?? 'Choose the ports to see the change.'} />
      <PlanActions state={state} acceptLabel="Accept" />
    </DialogShell>
  );
}
