// The workload connections behind an aggregated edge of the grouped graph, read from the model's
// edge table: a 10,000-workload cluster has a million connections, of which an edge between two
// namespaces stands for a few hundred. Only those become objects.

import {
  edgeAllows,
  filterColumns,
  filterGraph,
  type GraphFilters,
  groupId,
  pairsBehind,
} from '../graph/index.ts';
import {
  type EdgeTable,
  edgesAt,
  edgesLeaving,
  edgeTableOf,
  type GraphEdge,
  type GraphModel,
  type GraphNode,
  namespaceOfNode,
} from '../model/index.ts';

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Whether the filters keep edge `i`. Without a label selector or a focus that is a question about
 * the edge alone (its ends shown, its connection allowing the protocol and port), asked only of
 * the few edges between the two ends; with them, filterColumns decides over all the edges.
 */
function keptEdges(model: GraphModel, table: EdgeTable, filters: GraphFilters): (i: number) => boolean {
  const allows = Uint8Array.from(table.kinds, (k) => (edgeAllows(k, filters.protocol, filters.port) ? 1 : 0));
  if (filters.focus === undefined && filters.label === '') {
    const hidden = new Set(filters.hiddenNamespaces);
    // filterGraph's first step: hidden namespaces, and external ranges on or off.
    const shown = new Uint8Array(model.nodes.length);
    for (let i = 0; i < shown.length; i++) {
      const node = model.nodes[i]!;
      const kept =
        node.type === 'external'
          ? filters.showExternal
          : node.namespace === undefined || !hidden.has(node.namespace);
      shown[i] = kept ? 1 : 0;
    }
    return (i) =>
      shown[table.source[i]!] === 1 && shown[table.target[i]!] === 1 && allows[table.kind[i]!] === 1;
  }
  const { edges } = filterColumns(
    model.nodes,
    { count: table.source.length, source: table.source, target: table.target },
    (i) => allows[table.kind[i]!] === 1,
    filters,
  );
  return (i) => edges[i] === 1;
}

/** A flag per node: 1 where the node is drawn as `end` (itself, or its collapsed namespace). */
function drawnAs(nodes: readonly GraphNode[], collapsed: ReadonlySet<string>, end: string): Uint8Array {
  const flags = new Uint8Array(nodes.length);
  const namespace = namespaceOfNode(end);
  const group = namespace !== undefined && groupId(namespace) === end && collapsed.has(namespace);
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    const grouped = node.type === 'workload' && node.namespace !== undefined && collapsed.has(node.namespace);
    flags[i] = (grouped ? group && node.namespace === namespace : node.id === end) ? 1 : 0;
  }
  return flags;
}

/**
 * What pairsBehind finds on `filterGraph(model, filters)`: the connections the filters keep whose
 * ends, once collapsed namespaces stand for their workloads, are `source` and `target`, sorted by
 * source then destination. A model the worker sent is read as columns; only the edges found
 * are built.
 */
export function connectionsBehind(
  model: GraphModel,
  filters: GraphFilters,
  collapsed: ReadonlySet<string>,
  source: string,
  target: string,
): GraphEdge[] {
  const table = edgeTableOf(model);
  if (!table) return pairsBehind(filterGraph(model, filters), collapsed, source, target);
  const { nodes } = model;
  // Which nodes stand, drawn, at the edge's source end and at its target end.
  const atSource = drawnAs(nodes, collapsed, source);
  const atTarget = drawnAs(nodes, collapsed, target);
  const kept = keptEdges(model, table, filters);
  // Only the edges leaving the source end are read: a namespace's few thousand, not the million.
  const found: number[] = [];
  for (let s = 0; s < nodes.length; s++) {
    if (atSource[s] === 0) continue;
    for (const i of edgesLeaving(model, s)!) if (atTarget[table.target[i]!] === 1 && kept(i)) found.push(i);
  }
  return edgesAt(model, found).sort(
    (a, b) => compareIds(a.source, b.source) || compareIds(a.target, b.target),
  );
}
