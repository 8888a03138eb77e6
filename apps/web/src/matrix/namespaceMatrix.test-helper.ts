// The matrix's reference model, over edge objects: one cell object per pair of groups, counted
// edge by edge. It states what the matrix shows; the view gets it from the worker's counts over
// the edge table (workspace/matrixCounts.ts), and the tests check that the two agree.
import type { GraphEdge, GraphNode } from '../model/index.ts';
import type { MatrixCell } from './namespaceMatrix.ts';

/** The row and column standing for every external address range (not a valid namespace name). */
export const EXTERNAL_GROUP = '(external)';

export interface NamespaceMatrix {
  /** Row and column order: namespaces by name, then the external ranges when there are any. */
  groups: string[];
  /** Workloads (or ranges) per group. */
  sizes: number[];
  /** Row-major: the cell from `groups[i]` to `groups[j]` is `cells[i * groups.length + j]`. */
  cells: MatrixCell[];
}

/** The matrix's group of a node: its namespace, or the external group for an address range. */
export function matrixGroup(node: Pick<GraphNode, 'type' | 'namespace'>): string {
  return node.type === 'external' || node.namespace === undefined ? EXTERNAL_GROUP : node.namespace;
}

/**
 * Namespace × namespace counts of workload pairs with an allowed connection, out of the pairs
 * there are: the overview of a cluster whose graph is a hairball. Ranges never talk to ranges
 * (there are no such pairs to analyse), so that cell has no pairs.
 */
export function namespaceMatrix(nodes: readonly GraphNode[], edges: readonly GraphEdge[]): NamespaceMatrix {
  const groupOf = new Map(nodes.map((n) => [n.id, matrixGroup(n)]));
  const names = [...new Set(groupOf.values())].sort((a, b) =>
    a === EXTERNAL_GROUP ? 1 : b === EXTERNAL_GROUP ? -1 : a.localeCompare(b),
  );
  const index = new Map(names.map((g, i) => [g, i]));
  const sizes = names.map(() => 0);
  for (const g of groupOf.values()) sizes[index.get(g)!]!++;
  const n = names.length;
  const external = index.get(EXTERNAL_GROUP);
  const cells: MatrixCell[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const pairs = i === external && j === external ? 0 : sizes[i]! * sizes[j]! - (i === j ? sizes[i]! : 0);
      cells.push({ from: names[i]!, to: names[j]!, allowed: 0, pairs });
    }
  }
  for (const edge of edges) {
    const from = groupOf.get(edge.source);
    const to = groupOf.get(edge.target);
    if (from === undefined || to === undefined || edge.source === edge.target) continue;
    cells[index.get(from)! * n + index.get(to)!]!.allowed++;
  }
  return { groups: names, sizes, cells };
}

/** The connections behind a cell, sorted by source then destination. */
export function cellConnections(
  nodes: readonly GraphNode[],
  edges: readonly GraphEdge[],
  from: string,
  to: string,
): GraphEdge[] {
  const groupOf = new Map(nodes.map((n) => [n.id, matrixGroup(n)]));
  return edges
    .filter((e) => groupOf.get(e.source) === from && groupOf.get(e.target) === to)
    .sort((a, b) => a.source.localeCompare(b.source) || a.target.localeCompare(b.target));
}
