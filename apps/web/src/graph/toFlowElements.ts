import type { Edge, Node, NodeHandle, Position } from '@xyflow/react';
import type { DecidingLayer, GraphNode } from '../model/index.ts';
import { groupedEdgeById, groupedEdgeCount, groupedEdgesWhere } from './groupedEdges.ts';
import type { GroupedEdge, GroupedGraph, GroupInfo } from './groupGraph.ts';
import { keepEqual, keepFields, keepList } from './keepIdentity.ts';
import type { Box, Positions } from './layout.ts';
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
  /**
   * A namespace, collapsed (one node standing for its workloads) or expanded (the box around
   * them): one type for both, since React Flow re-measures a node whose type changes, which on
   * a big overview forced a layout of the whole canvas in the middle of an expansion.
   */
  | Node<GroupNodeData, 'namespace'>;
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
 * The node drawn before, when it is drawn the same now (type, box and data object): React Flow
 * then skips it outright, where a new object, even an equal one, re-renders its wrapper.
 */
function sameNode(
  node: FlowNode | undefined,
  type: FlowNode['type'],
  box: Box,
  data: object,
): FlowNode | undefined {
  return node &&
    node.type === type &&
    node.data === data &&
    node.position.x === box.x &&
    node.position.y === box.y &&
    node.width === box.width &&
    node.height === box.height
    ? node
    : undefined;
}

/** Handle boxes by node size, shared so that equal nodes hold equal (identical) handles. */
const handleSets = new Map<string, NodeHandle[]>();
const HANDLE = 8;

/** The connection handles of a node this size: the middle of its top (in) and bottom (out) sides. */
function handlesOf(width: number, height: number): NodeHandle[] {
  const key = `${width}x${height}`;
  let handles = handleSets.get(key);
  if (!handles) {
    const x = width / 2 - HANDLE / 2;
    const common = { id: null, x, width: HANDLE, height: HANDLE };
    handles = [
      { ...common, type: 'target', position: 'top' as Position, y: -HANDLE / 2 },
      { ...common, type: 'source', position: 'bottom' as Position, y: height - HANDLE / 2 },
    ];
    handleSets.set(key, handles);
  }
  return handles;
}

/**
 * A node's size and handles, given as the layout decided them: React Flow draws the node and
 * places its edges at once, instead of hiding it until its first measurement comes back.
 */
function sized(box: Box, withHandles: boolean) {
  return {
    width: box.width,
    height: box.height,
    measured: { width: box.width, height: box.height },
    handles: withHandles ? handlesOf(box.width, box.height) : [],
  };
}

function searchHit(node: GraphNode, search: string): boolean {
  const q = search.trim().toLowerCase();
  return q !== '' && (node.id.toLowerCase().includes(q) || node.label.toLowerCase().includes(q));
}

/**
 * Converts the laid-out graph into React Flow nodes and edges (groups first, as it requires).
 * Given the `previous` result, every element drawn the same keeps its object (and its data
 * object), compared by value, since every analysis brings a fresh copy of the graph: a new
 * selection or search re-renders only the nodes whose emphasis changed, and a re-analysis that
 * changes nothing drawn (a comment typed in the editor) returns `previous` itself.
 */
export function toFlowElements(
  graph: GroupedGraph,
  positions: Positions,
  highlight: Highlight,
  labelStops: ReadonlyMap<string, number> = new Map(),
  previous?: FlowElements,
): FlowElements {
  const edgesBefore = new Map(previous?.edges.map((e) => [e.id, e]));
  const policy = highlight.policy;
  const selects = new Set(policy?.selects ?? []);
  const admits = new Set(policy?.admits ?? []);
  const selectedEdge = highlight.selectedEdge ? groupedEdgeById(graph, highlight.selectedEdge) : undefined;
  const edgeEnds = new Set<string>(selectedEdge ? [selectedEdge.source, selectedEdge.target] : []);
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
  const before = new Map(previous?.nodes.map((n) => [n.id, n]));
  for (const group of graph.groups) {
    const box = positions[group.id] ?? { x: 0, y: 0, ...NODE_SIZE.group };
    const last = before.get(group.id)?.data as GroupNodeData | undefined;
    const data = keepFields(last, { group: keepEqual(last?.group, group), dimmed: groupDimmed(group) });
    nodes.push(
      sameNode(before.get(group.id), 'namespace', box, data) ??
        ({
          id: group.id,
          type: 'namespace',
          position: { x: box.x, y: box.y },
          data,
          ...sized(box, group.collapsed),
          selectable: group.collapsed,
          draggable: true,
          ...(group.collapsed ? {} : { zIndex: -1 }),
        } as FlowNode),
    );
  }
  for (const node of graph.nodes) {
    const box = positions[node.id] ?? {
      x: 0,
      y: 0,
      ...(node.type === 'external' ? NODE_SIZE.external : NODE_SIZE.workload),
    };
    const e = emphasis(node);
    const last = before.get(node.id)?.data as WorkloadNodeData | undefined;
    const data = keepFields(last, {
      node: keepEqual(last?.node, node),
      emphasis: e,
      dimmed: policy !== undefined && e === undefined,
    });
    const kept = sameNode(before.get(node.id), node.type, box, data);
    nodes.push(
      kept && kept.parentId === node.parent
        ? kept
        : {
            id: node.id,
            type: node.type,
            position: { x: box.x, y: box.y },
            data,
            ...sized(box, true),
            ...(node.parent ? { parentId: node.parent, extent: 'parent' as const } : {}),
          },
    );
  }
  const total = groupedEdgeCount(graph);
  // Past the limit the edges not drawn are not even made objects (see groupedEdges).
  const touchesNode = (source: string, target: string) =>
    source === highlight.selectedNode || target === highlight.selectedNode;
  const shown =
    total > MAX_DRAWN_EDGES
      ? highlight.selectedNode === undefined && selectedEdge === undefined
        ? []
        : groupedEdgesWhere(
            graph,
            (source, target) =>
              touchesNode(source, target) ||
              (source === selectedEdge?.source && target === selectedEdge.target),
          ).filter((e) => e.id === highlight.selectedEdge || touchesNode(e.source, e.target))
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
    const last = edgesBefore.get(edge.id);
    // "All Connections" is the commonest label and says little on the canvas: "all" keeps it light.
    const data = keepFields(last?.data, {
      full: edge.label,
      short: edge.all && edge.count === 1 ? 'all' : shortenLabel(edge.label),
      count: edge.count,
      all: edge.all,
      dimmed,
      labelT: labelStops.get(edge.id),
      decidedBy: edge.decidedBy,
      denied: edge.denied,
    });
    const selected = edge.id === highlight.selectedEdge;
    return last &&
      last.data === data &&
      last.source === edge.source &&
      last.target === edge.target &&
      last.selected === selected
      ? last
      : { id: edge.id, source: edge.source, target: edge.target, type: 'connection', selected, data };
  });
  const hiddenEdges = total - shown.length;
  const kept = {
    nodes: keepList(previous?.nodes, nodes),
    edges: keepList(previous?.edges, edges),
  };
  // Nothing changed: the very same result, so that what is derived from it is not derived again.
  return previous &&
    kept.nodes === previous.nodes &&
    kept.edges === previous.edges &&
    hiddenEdges === previous.hiddenEdges
    ? previous
    : { ...kept, hiddenEdges };
}
