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
import { edgesAt, edgeTableOf, type GraphEdge, type GraphModel } from '../model/index.ts';

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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
  const allows = Uint8Array.from(table.kinds, (k) => (edgeAllows(k, filters.protocol, filters.port) ? 1 : 0));
  const count = table.source.length;
  const kept = filterColumns(
    nodes,
    { count, source: table.source, target: table.target },
    (i) => allows[table.kind[i]!] === 1,
    filters,
  );
  // Which nodes stand, drawn, at the edge's source end and at its target end.
  const atSource = new Uint8Array(nodes.length);
  const atTarget = new Uint8Array(nodes.length);
  nodes.forEach((node, i) => {
    const grouped = node.type === 'workload' && node.namespace !== undefined && collapsed.has(node.namespace);
    const drawn = grouped ? groupId(node.namespace!) : node.id;
    if (drawn === source) atSource[i] = 1;
    if (drawn === target) atTarget[i] = 1;
  });
  const found: number[] = [];
  for (let i = 0; i < count; i++)
    if (kept.edges[i] === 1 && atSource[table.source[i]!] === 1 && atTarget[table.target[i]!] === 1)
      found.push(i);
  return edgesAt(model, found).sort(
    (a, b) => compareIds(a.source, b.source) || compareIds(a.target, b.target),
  );
}
