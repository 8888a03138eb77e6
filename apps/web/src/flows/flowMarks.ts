import type { Edge } from '@xyflow/react';
import { drawnAs, drawnPlaces, type GroupedGraph } from '../graph/index.ts';
import type { FlowItemView, FlowsView, UnobservedView } from '../workspace/index.ts';
import type { FlowFilter } from './flowsStore.ts';

/**
 * What a drawn edge says about observed traffic: observed and allowed, observed but denied by the
 * policies (dropped now, or would break), or allowed by a rule and never observed.
 */
export type FlowState = 'allowed' | 'denied' | 'unobserved';

/** The overlay on one drawn edge (or on a pair of drawn nodes the policies do not connect). */
export interface FlowMark {
  id: string;
  source: string;
  target: string;
  state: FlowState;
  /** Observed flows (per port) allowed and denied, and unobserved allowed connections, behind it. */
  allowed: number;
  denied: number;
  unobserved: number;
  /** Connections the observed flows stand for. */
  connections: number;
  label: string;
}

export type ObservedFlowEdgeData = {
  state: FlowState;
  label: string;
  /** What the edge allows now ('' when nothing: an observed flow the policies deny). */
  full: string;
  mark: FlowMark;
};
export type ObservedFlowEdge = Edge<ObservedFlowEdgeData, 'flow'>;

/** The class of a connection the overlay says nothing about. */
const QUIET = 'flow-quiet';

function labelOf(mark: Omit<FlowMark, 'label' | 'state'>, state: FlowState): string {
  if (state === 'unobserved') return mark.unobserved > 1 ? `${mark.unobserved} never seen` : 'never seen';
  const seen = `${mark.connections.toLocaleString('en')} seen`;
  return state === 'denied' ? `✕ ${mark.denied} denied · ${seen}` : seen;
}

/**
 * Puts the judged flows on the grouped graph, one mark per pair of drawn nodes: red when any
 * observed flow behind it is denied, solid when flows were observed and allowed, grey dashed when
 * it stands only for allowed connections nobody used. Works on collapsed namespaces (a flow
 * counts on its namespace's edge) as on expanded workloads. States the filter leaves out are
 * not marked; flows between nodes that are not drawn are left off.
 */
export function markFlows(graph: GroupedGraph, view: FlowsView, filter: FlowFilter): FlowMark[] {
  const drawnAt = drawnPlaces(graph);
  const byEdge = new Map<string, Omit<FlowMark, 'label' | 'state'>>();
  const add = (item: FlowItemView | UnobservedView, observed: FlowItemView | undefined) => {
    for (const source of drawnAt(item.src)) {
      for (const target of drawnAt(item.dst)) {
        if (source === target) continue;
        const id = `${source}->${target}`;
        let mark = byEdge.get(id);
        if (!mark) {
          mark = { id, source, target, allowed: 0, denied: 0, unobserved: 0, connections: 0 };
          byEdge.set(id, mark);
        }
        if (!observed) mark.unobserved++;
        else {
          if (observed.denied) mark.denied++;
          else mark.allowed++;
          mark.connections += observed.count;
        }
      }
    }
  };
  for (const flow of view.flows) add(flow, flow);
  for (const connection of view.unobserved) add(connection, undefined);
  const marks: FlowMark[] = [];
  for (const mark of byEdge.values()) {
    const state: FlowState = mark.denied > 0 ? 'denied' : mark.allowed > 0 ? 'allowed' : 'unobserved';
    if (!filter[state]) continue;
    marks.push({ ...mark, state, label: labelOf(mark, state) });
  }
  return marks;
}

/**
 * Draws the marks over the drawn edges: a marked connection becomes a flow edge, and a denied
 * mark between drawn nodes with no edge (the policies connect nothing there) is added. The
 * connections no mark is about (allowed by default and never seen, or a state filtered out) are
 * drawn quieter, so the overlay reads first. Edges of another overlay (the diff against the
 * baseline) are left as they are.
 */
export function overlayFlows<E extends Edge>(
  nodes: readonly { id: string }[],
  edges: readonly E[],
  marks: readonly FlowMark[],
): Array<E | ObservedFlowEdge> {
  const byId = new Map(marks.map((m) => [m.id, m]));
  const out: Array<E | ObservedFlowEdge> = edges.map((edge) => {
    if (edge.type !== 'connection') return edge;
    const mark = byId.get(edge.id);
    if (!mark) return { ...edge, className: QUIET };
    const full = (edge.data as { full?: string } | undefined)?.full ?? '';
    const marked: ObservedFlowEdge = {
      id: edge.id,
      source: edge.source,
      target: edge.target,
      type: 'flow',
      selected: edge.selected ?? false,
      data: { state: mark.state, label: mark.label, full, mark },
    };
    return marked;
  });
  const drawn = new Set(edges.map((e) => e.id));
  const nodeIds = new Set(nodes.map((n) => n.id));
  for (const mark of marks) {
    if (drawn.has(mark.id) || mark.state !== 'denied') continue;
    if (!nodeIds.has(mark.source) || !nodeIds.has(mark.target)) continue;
    out.push({
      id: mark.id,
      source: mark.source,
      target: mark.target,
      type: 'flow',
      data: { state: mark.state, label: mark.label, full: '', mark },
    });
  }
  return out;
}

/** The observed flows behind one drawn edge (its ends may be collapsed namespaces or ranges). */
export function flowsOnEdge(view: FlowsView, source: string, target: string): FlowItemView[] {
  return view.flows.filter((f) => drawnAs(source, f.src) && drawnAs(target, f.dst));
}
