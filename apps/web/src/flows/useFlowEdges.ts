import type { Edge } from '@xyflow/react';
import { useMemo } from 'react';
import type { GroupedGraph } from '../graph/index.ts';
import { markFlows, type ObservedFlowEdge, overlayFlows } from './flowMarks.ts';
import { selectFlowFilter, selectFlowsShown, selectFlowsView } from './flowsSelectors.ts';
import { useFlows } from './flowsStore.ts';

/**
 * The observed-traffic stage over the drawn edges: the edges as they are when no flows are
 * imported or the overlay is hidden, else marked (see markFlows) for the flows judged by the
 * analysis shown.
 */
export function useFlowEdges<E extends Edge>(
  graph: GroupedGraph | undefined,
  nodes: readonly { id: string }[],
  edges: E[],
): Array<E | ObservedFlowEdge> {
  const view = useFlows(selectFlowsView);
  const show = useFlows(selectFlowsShown);
  const filter = useFlows(selectFlowFilter);
  const marks = useMemo(
    () => (view && show && graph ? markFlows(graph, view, filter) : undefined),
    [view, show, graph, filter],
  );
  return useMemo(() => (marks ? overlayFlows(nodes, edges, marks) : edges), [marks, nodes, edges]);
}
