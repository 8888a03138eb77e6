import type { Edge, Node } from '@xyflow/react';
import type { DecidingLayer, GraphNode } from '../model/index.ts';
import type { GroupedEdge, GroupedGraph, GroupInfo } from './groupGraph.ts';
import type { Positions } from './layout.ts';
import { NODE_SIZE } from './nodeSize.ts';

/** How a node is emphasised: picked, selected by the picked policy, admitted by it, or a search hit. */
export type Emphasis = 'selected' | 'policy-selects' | 'policy-admits' | 'search' | undefined;

export type WorkloadNodeData = { node: GraphNode; emphasis: Emphasis; dimmed: boolean };
export type GroupNodeData = { group: GroupInfo; dimmed: boolean };
export type ConnectionEdgeData = {
  full: string;
  short: string;
  count: number;
  all: boolean;
  dimmed: boolean;
  /** Where along the edge its label sits (0..1), chosen to keep it clear of nodes. */
  labelT: number | undefined;
  /** The layer that decided it, when the workspace has cluster policies. */
  decidedBy: DecidingLayer | 'mixed' | undefined;
  /** An Admin-denied connection of the overlay, not an allowed one. */
  denied: boolean;
};

export type FlowNode =
  | Node<WorkloadNodeData, 'workload'>
  | Node<WorkloadNodeData, 'external'>
  | Node<GroupNodeData, 'namespace'>
  | Node<GroupNodeData, 'collapsedNamespace'>;
export type FlowEdge = Edge<ConnectionEdgeData, 'connection'>;

/** Above this many edges only those of the selected node are drawn: a denser mesh is unreadable and slow. */
export const MAX_DRAWN_EDGES = 1500;

/** What is highlighted. */
export interface Highlight {
  selectedNode: string | undefined;
  selectedEdge: string | undefined;
  /**
   * The selected policy: ids of the workloads it selects and of the peers it admits. `namespace`
   * is empty for a cluster policy: then every namespace holding none of them is dimmed.
   */
  policy: { namespace: string; selects: readonly string[]; admits: readonly string[] } | undefined;
  search: string;
}

const MAX_LABEL = 26;

/** Long connection strings are cut for the canvas; the full text stays available on hover. */
export function shortenLabel(label: string, max = MAX_LABEL): string {
  if (label.length <= max) return label;
  const pieces = label.split(',');
  let out = '';
  for (const piece of pieces) {
    const next = out === '' ? piece : `${out},${piece}`;
    if (next.length > max - 1) break;
    out = next;
  }
  return `${out === '' ? label.slice(0, max - 1) : out}…`;
}

/** What `toFlowElements` returns; passed back in as `previous` on the next call. */
export interface FlowElements {
  nodes: FlowNode[];
  edges: FlowEdge[];
  /** Edges left out because the graph is too dense to draw them all. */
  hiddenEdges: number;
}

/**
 * `next`, or `before` when every field is the same object: an element whose data did not change
 * keeps the same data object, so its memoised component skips the render.
 */
function reuse<T extends object>(before: T | undefined, next: T): T {
  if (before === undefined) return next;
  const keys = Object.keys(next) as (keyof T)[];
  if (Object.keys(before).length !== keys.length) return next;
  return keys.every((key) => before[key] === next[key]) ? before : next;
}

function searchHit(node: GraphNode, search: string): boolean {
  const q = search.trim().toLowerCase();
  return q !== '' && (node.id.toLowerCase().includes(q) || node.label.toLowerCase().includes(q));
}

/**
 * Converts the laid-out graph into React Flow nodes and edges (groups first, as it requires).
 * Given the `previous` result, every element whose data is unchanged keeps its data object: a
 * new selection or search re-renders only the nodes whose emphasis changed.
 */
export function toFlowElements(
  graph: GroupedGraph,
  positions: Positions,
  highlight: Highlight,
  labelStops: ReadonlyMap<string, number> = new Map(),
  previous?: FlowElements,
): FlowElements {
  const nodeData = new Map<string, object>(previous?.nodes.map((n) => [n.id, n.data]));
  const edgeData = new Map(previous?.edges.map((e) => [e.id, e.data]));
  const policy = highlight.policy;
  const selects = new Set(policy?.selects ?? []);
  const admits = new Set(policy?.admits ?? []);
  const edgeEnds = new Set<string>();
  if (highlight.selectedEdge) {
    const edge = graph.edges.find((e) => e.id === highlight.selectedEdge);
    if (edge) {
      edgeEnds.add(edge.source);
      edgeEnds.add(edge.target);
    }
  }
  const emphasis = (node: GraphNode): Emphasis => {
    if (node.id === highlight.selectedNode || edgeEnds.has(node.id)) return 'selected';
    if (selects.has(node.id)) return 'policy-selects';
    if (admits.has(node.id)) return 'policy-admits';
    if (searchHit(node, highlight.search)) return 'search';
    return undefined;
  };
  const nodes: FlowNode[] = [];
  // A cluster policy lives in no namespace: the namespaces it touches are those of its peers.
  const touchedGroups = new Set<string>();
  if (policy && policy.namespace === '') {
    for (const node of graph.nodes)
      if (node.parent && (selects.has(node.id) || admits.has(node.id))) touchedGroups.add(node.parent);
  }
  const groupDimmed = (group: GroupInfo) =>
    policy !== undefined &&
    !group.collapsed &&
    (policy.namespace === '' ? !touchedGroups.has(group.id) : group.namespace !== policy.namespace);
  for (const group of graph.groups) {
    const box = positions[group.id] ?? { x: 0, y: 0, ...NODE_SIZE.group };
    nodes.push({
      id: group.id,
      type: group.collapsed ? 'collapsedNamespace' : 'namespace',
      position: { x: box.x, y: box.y },
      data: reuse(nodeData.get(group.id) as GroupNodeData | undefined, {
        group,
        dimmed: groupDimmed(group),
      }),
      style: { width: box.width, height: box.height },
      width: box.width,
      height: box.height,
      selectable: group.collapsed,
      draggable: true,
      ...(group.collapsed ? {} : { zIndex: -1 }),
    });
  }
  for (const node of graph.nodes) {
    const box = positions[node.id] ?? {
      x: 0,
      y: 0,
      ...(node.type === 'external' ? NODE_SIZE.external : NODE_SIZE.workload),
    };
    const e = emphasis(node);
    nodes.push({
      id: node.id,
      type: node.type,
      position: { x: box.x, y: box.y },
      data: reuse(nodeData.get(node.id) as WorkloadNodeData | undefined, {
        node,
        emphasis: e,
        dimmed: policy !== undefined && e === undefined,
      }),
      width: box.width,
      height: box.height,
      ...(node.parent ? { parentId: node.parent, extent: 'parent' as const } : {}),
    });
  }
  const tooMany = graph.edges.length > MAX_DRAWN_EDGES;
  const shown = tooMany
    ? graph.edges.filter(
        (e) =>
          e.id === highlight.selectedEdge ||
          (highlight.selectedNode !== undefined &&
            (e.source === highlight.selectedNode || e.target === highlight.selectedNode)),
      )
    : graph.edges;
  const edges: FlowEdge[] = shown.map((edge: GroupedEdge) => {
    const touchesSelection =
      highlight.selectedNode !== undefined &&
      (edge.source === highlight.selectedNode || edge.target === highlight.selectedNode);
    const dimmed =
      (policy !== undefined &&
        !(selects.has(edge.target) && admits.has(edge.source)) &&
        !(selects.has(edge.source) && admits.has(edge.target))) ||
      (highlight.selectedNode !== undefined && !touchesSelection);
    return {
      id: edge.id,
      source: edge.source,
      target: edge.target,
      type: 'connection',
      selected: edge.id === highlight.selectedEdge,
      // "All Connections" is the commonest label and says little on the canvas: "all" keeps it light.
      data: reuse(edgeData.get(edge.id), {
        full: edge.label,
        short: edge.all && edge.count === 1 ? 'all' : shortenLabel(edge.label),
        count: edge.count,
        all: edge.all,
        dimmed,
        labelT: labelStops.get(edge.id),
        decidedBy: edge.decidedBy,
        denied: edge.denied,
      }),
    };
  });
  return { nodes, edges, hiddenEdges: graph.edges.length - shown.length };
}
