// The namespace matrix as the worker counts it: per pair of namespaces, the connections from one
// to the other and the list of them, over the edge table's columns. A million connections are
// three counting sorts and a few typed arrays, transferred to the page, which draws the cells in
// view and lists a picked cell's connections from them without building one edge object first.

import type { GraphFilters } from '../graph/index.ts';
import type { GraphNode } from '../model/index.ts';
import { keptByFilters } from './edgeFilter.ts';
import type { TableSource } from './tableSource.ts';

/** The row and column standing for every external address range (not a valid namespace name). */
export const EXTERNAL_GROUP = '(external)';

/** The matrix of the connections the graph's filters keep, group by group. */
export interface MatrixCounts {
  /** Row and column order: namespaces by name, then the external ranges when there are any. */
  groups: string[];
  /** Workloads (or ranges) per group. */
  sizes: Int32Array;
  /** The index of EXTERNAL_GROUP in `groups`, -1 when there is none. */
  external: number;
  /** Row-major, `groups.length` squared: workload pairs with an allowed connection (a workload and itself not counted). */
  allowed: Int32Array;
  /** Cell `k`'s connections are `cellEdges[cellStart[k]]` to `cellEdges[cellStart[k + 1] - 1]`. */
  cellStart: Int32Array;
  /** Edge table indices, cell by cell, each cell's sorted by source, then destination. */
  cellEdges: Int32Array;
}

/** The matrix's group of a node: its namespace, or the external group for an address range. */
function matrixGroup(node: GraphNode): string {
  return node.type === 'external' || node.namespace === undefined ? EXTERNAL_GROUP : node.namespace;
}

/** Per node, its place when the ids are sorted with the locale's collation (equal ids share one). */
function localeRanks(nodes: readonly GraphNode[]): { ranks: Int32Array; places: number } {
  const compare = new Intl.Collator().compare;
  const order = nodes.map((_, i) => i).sort((a, b) => compare(nodes[a]!.id, nodes[b]!.id));
  const ranks = new Int32Array(nodes.length);
  let place = -1;
  for (let k = 0; k < order.length; k++) {
    if (k === 0 || compare(nodes[order[k]!]!.id, nodes[order[k - 1]!]!.id) !== 0) place++;
    ranks[order[k]!] = place;
  }
  return { ranks, places: place + 1 };
}

/** A stable counting sort of `order` by a small integer key per item; also the start of each key. */
function byKey(
  order: Int32Array,
  places: number,
  keyOf: (item: number) => number,
): { sorted: Int32Array; starts: Int32Array } {
  const starts = new Int32Array(places + 1);
  for (const item of order) starts[keyOf(item) + 1]!++;
  for (let k = 0; k < places; k++) starts[k + 1]! += starts[k]!;
  const next = starts.slice(0, places);
  const sorted = new Int32Array(order.length);
  for (const item of order) sorted[next[keyOf(item)]!++] = item;
  return { sorted, starts };
}

/**
 * Namespace × namespace counts of workload pairs with an allowed connection among what the graph's
 * filters keep, and the connections behind each cell: the overview of a cluster whose graph is
 * a hairball. The arrays are fresh on each call (the worker transfers them).
 */
export function matrixCounts(source: TableSource, filters: GraphFilters): MatrixCounts {
  const { nodes, table } = source;
  const kept = keptByFilters(nodes, table, filters);
  const compare = new Intl.Collator().compare;
  const names = new Set<string>();
  for (let i = 0; i < nodes.length; i++) if (kept.nodes[i] === 1) names.add(matrixGroup(nodes[i]!));
  const groups = [...names].sort((a, b) =>
    a === EXTERNAL_GROUP ? 1 : b === EXTERNAL_GROUP ? -1 : compare(a, b),
  );
  const index = new Map(groups.map((g, i) => [g, i]));
  const n = groups.length;
  const groupOf = new Int32Array(nodes.length).fill(-1);
  const sizes = new Int32Array(n);
  for (let i = 0; i < nodes.length; i++) {
    if (kept.nodes[i] === 0) continue;
    groupOf[i] = index.get(matrixGroup(nodes[i]!))!;
    sizes[groupOf[i]!]!++;
  }
  const cellOf = (edge: number) => groupOf[table.source[edge]!]! * n + groupOf[table.target[edge]!]!;
  const allowed = new Int32Array(n * n);
  for (const edge of kept.edges) if (table.source[edge] !== table.target[edge]) allowed[cellOf(edge)]!++;
  const { ranks, places } = localeRanks(nodes);
  const byTarget = byKey(kept.edges, places, (e) => ranks[table.target[e]!]!).sorted;
  const bySource = byKey(byTarget, places, (e) => ranks[table.source[e]!]!).sorted;
  const cells = byKey(bySource, n * n, cellOf);
  return {
    groups,
    sizes,
    external: index.get(EXTERNAL_GROUP) ?? -1,
    allowed,
    cellStart: cells.starts,
    cellEdges: cells.sorted,
  };
}
