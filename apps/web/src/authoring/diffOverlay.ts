import { drawnPlaces, type GroupedGraph } from '../graph/index.ts';
import type { ConnectionChangeView } from '../workspace/index.ts';

/** How an edge differs from the baseline. */
export type DiffMark = 'added' | 'removed' | 'changed';

/** The mark of one drawn (or no longer drawn) edge, and what to write on it. */
export interface EdgeMark {
  id: string;
  source: string;
  target: string;
  mark: DiffMark;
  label: string;
  /** The workload-level changes it stands for. */
  changes: ConnectionChangeView[];
}

function labelOf(changes: readonly ConnectionChangeView[], mark: DiffMark): string {
  if (changes.length > 1) return `${changes.length} changes`;
  const c = changes[0]!;
  if (mark === 'added') return `+ ${c.after}`;
  if (mark === 'removed') return `− ${c.before}`;
  return `${c.before} → ${c.after}`;
}

/**
 * Puts the connectivity diff on the grouped graph: one mark per drawn edge (or per pair of drawn
 * nodes that lost their edge). Several changes on one drawn edge that do not all agree are
 * "changed". Changes between nodes that are not drawn (filtered out) are left off.
 */
export function markDiff(graph: GroupedGraph, changes: readonly ConnectionChangeView[]): EdgeMark[] {
  const drawnAt = drawnPlaces(graph);
  const byEdge = new Map<string, { source: string; target: string; changes: ConnectionChangeView[] }>();
  for (const change of changes) {
    for (const source of drawnAt(change.src)) {
      for (const target of drawnAt(change.dst)) {
        if (source === target) continue;
        const id = `${source}->${target}`;
        const entry = byEdge.get(id) ?? { source, target, changes: [] };
        entry.changes.push(change);
        byEdge.set(id, entry);
      }
    }
  }
  return [...byEdge.entries()].map(([id, { source, target, changes: list }]) => {
    const kinds = new Set(list.map((c) => c.type));
    const mark: DiffMark = kinds.size === 1 ? list[0]!.type : 'changed';
    return { id, source, target, mark, label: labelOf(list, mark), changes: list };
  });
}
