import type { ObservedConnection } from '@netpol-atlas/authoring';
import { useMemo } from 'react';
import type { FlowItemView } from '../workspace/index.ts';
import { selectFlowsView } from './flowsSelectors.ts';
import { useFlows } from './flowsStore.ts';

/** The imported flows as the planner reads them: workload ids, or the address an external end had. */
function observedConnections(flows: readonly FlowItemView[]): ObservedConnection[] {
  return flows.map((f) => ({
    src:
      f.srcAddress !== undefined
        ? { kind: 'external', address: f.srcAddress }
        : { kind: 'workload', id: f.src },
    dst:
      f.dstAddress !== undefined
        ? { kind: 'external', address: f.dstAddress }
        : { kind: 'workload', id: f.dst },
    protocol: f.protocol,
    port: f.port,
    count: f.count,
  }));
}

/**
 * The observed connections of the imported flow file (undefined when none is imported), with the
 * file's name and the revision that matched them: what "Tighten to observed" plans from.
 */
export function useObservedConnections():
  | { name: string; revision: number; observed: ObservedConnection[] }
  | undefined {
  const view = useFlows(selectFlowsView);
  return useMemo(
    () =>
      view
        ? { name: view.name, revision: view.revision, observed: observedConnections(view.flows) }
        : undefined,
    [view],
  );
}
