import type { MatrixCounts, TableSource } from '../workspace/index.ts';

/** One cell: connections from workloads of `from` to workloads of `to`. */
export interface MatrixCell {
  from: string;
  to: string;
  /** Ordered workload pairs with any allowed connection. */
  allowed: number;
  /** Ordered pairs there are (a workload and itself excluded: that traffic is always allowed). */
  pairs: number;
}

/**
 * The cell from `groups[i]` to `groups[j]`: its allowed pairs out of the pairs there are. Ranges
 * never talk to ranges (there are no such pairs to analyse), so that cell has no pairs.
 */
export function cellAt(matrix: MatrixCounts, i: number, j: number): MatrixCell {
  const { groups, sizes, external } = matrix;
  const pairs = i === external && j === external ? 0 : sizes[i]! * sizes[j]! - (i === j ? sizes[i]! : 0);
  return { from: groups[i]!, to: groups[j]!, allowed: matrix.allowed[i * groups.length + j]!, pairs };
}

/** One connection behind a cell, as its list shows it. */
export interface CellPair {
  id: string;
  source: string;
  target: string;
  label: string;
}

/** The connections behind the cell from `groups[i]` to `groups[j]`, sorted by source then destination. */
export function cellPairs(source: TableSource, matrix: MatrixCounts, i: number, j: number): CellPair[] {
  const cell = i * matrix.groups.length + j;
  const edges = matrix.cellEdges.subarray(matrix.cellStart[cell], matrix.cellStart[cell + 1]);
  const { nodes, table } = source;
  return Array.from(edges, (edge) => {
    const from = nodes[table.source[edge]!]!.id;
    const to = nodes[table.target[edge]!]!.id;
    return { id: `${from}->${to}`, source: from, target: to, label: table.kinds[table.kind[edge]!]!.label };
  });
}

/** The share of a cell's pairs that may connect, 0..1; undefined when it has no pairs. */
export function exposure(cell: MatrixCell): number | undefined {
  return cell.pairs === 0 ? undefined : cell.allowed / cell.pairs;
}

/** Exposure bands, for colour and legend: the colour never carries information the text lacks. */
export const EXPOSURE_LEVELS = [
  { level: 0, label: 'none (0%)' },
  { level: 1, label: 'up to 25%' },
  { level: 2, label: '25–50%' },
  { level: 3, label: '50–75%' },
  { level: 4, label: 'over 75%' },
] as const;

/** The band of a share: 0 for none, then quarters (a single allowed pair is never "none"). */
export function exposureLevel(share: number | undefined): 0 | 1 | 2 | 3 | 4 {
  if (share === undefined || share <= 0) return 0;
  if (share <= 0.25) return 1;
  if (share <= 0.5) return 2;
  if (share <= 0.75) return 3;
  return 4;
}

/** A share as people read it: whole percent, but never rounded to 0% or 100% when it is not. */
export function percentText(share: number | undefined): string {
  if (share === undefined) return '–';
  if (share > 0 && share < 0.01) return '<1%';
  if (share < 1 && share > 0.99) return '>99%';
  return `${Math.round(share * 100)}%`;
}
