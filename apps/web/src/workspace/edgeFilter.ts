// The graph's filters over the edge table: which nodes and which connections filterGraph keeps,
// as flags and indices instead of arrays of objects, so the connections table and the namespace
// matrix of a million connections are narrowed without building one edge object.

import { edgeAllows, filterColumns, type GraphFilters } from '../graph/index.ts';
import type { EdgeTable, GraphNode } from '../model/index.ts';

/** What the filters keep: a flag per node, and the kept edges' indices in table order. */
export interface KeptByFilters {
  nodes: Uint8Array;
  edges: Int32Array;
}

/**
 * The nodes and edges filterGraph keeps of the model given as `nodes` and `table`: hidden
 * namespaces, external ranges on or off, a protocol and port, a label selector (the matching
 * workloads, their connections and the peers at the other end), focus on one node's
 * neighbourhood, and external ranges only while a kept edge touches them.
 */
export function keptByFilters(
  nodes: readonly GraphNode[],
  table: EdgeTable,
  filters: GraphFilters,
): KeptByFilters {
  const count = table.source.length;
  const allows = Uint8Array.from(table.kinds, (k) => (edgeAllows(k, filters.protocol, filters.port) ? 1 : 0));
  const kept = filterColumns(
    nodes,
    { count, source: table.source, target: table.target },
    (i) => allows[table.kind[i]!] === 1,
    filters,
  );
  let edges = 0;
  for (let i = 0; i < count; i++) edges += kept.edges[i]!;
  const list = new Int32Array(edges);
  for (let i = 0, k = 0; i < count; i++) if (kept.edges[i] === 1) list[k++] = i;
  return { nodes: kept.nodes, edges: list };
}
