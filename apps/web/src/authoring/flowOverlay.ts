import type { Edge } from '@xyflow/react';
import type { ObservedFlowEdge } from '../flows/index.ts';
import type { FlowEdge, FlowNode } from '../graph/index.ts';
import type { DiffMark, EdgeMark } from './diffOverlay.ts';

export type DiffEdgeData = { mark: DiffMark; label: string; full: string };
export type DiffFlowEdge = Edge<DiffEdgeData, 'diff'>;
/** A drawn edge: a connection, one marked against the baseline, or one of the observed-traffic overlay. */
export type GraphEdgeElement = FlowEdge | DiffFlowEdge | ObservedFlowEdge;

/**
 * Marks the drawn edges that differ from the baseline and adds those that no longer exist
 * (between nodes still drawn), so before and after read on one picture.
 */
export function overlayMarks(
  nodes: readonly FlowNode[],
  edges: readonly FlowEdge[],
  marks: readonly EdgeMark[],
): GraphEdgeElement[] {
  const byId = new Map(marks.map((m) => [m.id, m]));
  const out: GraphEdgeElement[] = edges.map((edge) => {
    const mark = byId.get(edge.id);
    if (!mark) return edge;
    const marked: DiffFlowEdge = {
      id: edge.id,
      source: edge.source,
      target: edge.target,
      type: 'diff',
      selected: edge.selected ?? false,
      data: { mark: mark.mark, label: mark.label, full: edge.data?.full ?? '' },
    };
    return marked;
  });
  const drawn = new Set(edges.map((e) => e.id));
  const nodeIds = new Set(nodes.map((n) => n.id));
  for (const mark of marks) {
    if (drawn.has(mark.id) || !nodeIds.has(mark.source) || !nodeIds.has(mark.target)) continue;
    out.push({
      id: mark.id,
      source: mark.source,
      target: mark.target,
      type: 'diff',
      data: { mark: mark.mark, label: mark.label, full: '' },
    });
  }
  return out;
}
