import { useMemo } from 'react';
import { type NodeId, nodeLabel } from '../model/index.ts';
import { selectAnalysisModel, selectRanges, useDerived, useStore } from '../store/index.ts';
import { DialogShell } from '../ui/index.ts';
import type { PlanJob } from '../workspace/index.ts';
import { endpointsOf } from './endpoints.ts';
import { PlanActions } from './PlanActions.tsx';
import { PlanPreview } from './PlanPreview.tsx';
import { usePortScope } from './PortScope.tsx';
import { usePlan } from './usePlan.ts';

/**
 * "Stop this connection" (`mode: 'namespace'`): lists every rule that admits it, proposes the
 * narrowest edit (cut a port, a peer or a rule; isolate a side that nothing isolates) and
 * everything else that edit removes. "Deny it cluster-wide" (`mode: 'cluster'`): an Admin tier
 * ClusterNetworkPolicy Deny, at a priority decided before the Admin rules admitting it now.
 */
export function RemoveDialog({
  src,
  dst,
  mode,
}: {
  src: NodeId;
  dst: NodeId;
  mode: 'namespace' | 'cluster';
}) {
  const model = useDerived(selectAnalysisModel);
  const ranges = useStore(selectRanges);
  const endpoints = useMemo(() => endpointsOf(model, ranges), [model, ranges]);
  const { scope, fieldset } = usePortScope();
  const source = endpoints.find((e) => e.id === src);
  const target = endpoints.find((e) => e.id === dst);
  let problem: string | undefined;
  if (!source || !target) problem = 'This connection has an end that a policy cannot name.';
  else if ('error' in scope) problem = scope.error;
  let job: PlanJob | undefined;
  if (!problem && source && target && !('error' in scope)) {
    const intent = { src: source.ref, dst: target.ref, ports: scope.ports };
    job = mode === 'cluster' ? { kind: 'cluster-deny', intent } : { kind: 'removal', intent };
  }
  const state = usePlan(job, JSON.stringify(job ?? null));
  const cluster = mode === 'cluster';
  return (
    <DialogShell
      title={cluster ? 'Deny a connection cluster-wide' : 'Remove a connection'}
      wide
      testId={cluster ? 'authoring.cluster-deny' : 'authoring.remove'}
    >
      <p>
        Stop <code>{nodeLabel(src)}</code> reaching <code>{nodeLabel(dst)}</code>
      </p>
      {cluster && (
        <p className="hint">
          Writes a ClusterNetworkPolicy in the Admin tier that denies this traffic. The Admin tier is decided
          before every namespace NetworkPolicy and the Baseline tier, so no namespace can re-open it. Its
          priority is suggested to come before every Admin rule that admits the traffic now, and no other
          policy of the tier uses it.
        </p>
      )}
      {fieldset}
      <PlanPreview state={state} idle={problem ?? ''} />
      <PlanActions state={state} acceptLabel={cluster ? 'Deny' : 'Remove'} />
    </DialogShell>
  );
}
