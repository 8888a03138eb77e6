import type { DocumentFile } from '../model/index.ts';

/** A file of an undo step: its id, its path and the index of its text (see {@link SavedHistory}). */
export type SavedFileRef = [id: string, path: string, text: number];

/**
 * The undo/redo history as saved with the workspace. Steps share most of their texts with each
 * other and with the current documents, so each text is stored once: index `i` below the number
 * of current files means that file's text, larger ones index `texts`.
 */
export interface SavedHistory {
  texts: string[];
  /** Oldest first, as in the store. */
  past: SavedFileRef[][];
  /** Next redo first, as in the store. */
  future: SavedFileRef[][];
}

export interface HistoryBudget {
  /** Characters of text the history may add beyond the current documents. */
  chars: number;
  /** Steps kept in each direction. */
  steps: number;
}

/** About 8 MB of UTF-16 in IndexedDB at most, whatever the workspace's size. */
export const HISTORY_BUDGET: HistoryBudget = { chars: 4_000_000, steps: 100 };

/**
 * The history to save: the steps nearest the present first, undo and redo in turn, until the
 * budget is spent; older steps are dropped (an undo step must not depend on a dropped one, so
 * each direction stops at its first step that does not fit).
 */
export function encodeHistory(
  files: readonly DocumentFile[],
  history: { past: readonly (readonly DocumentFile[])[]; future: readonly (readonly DocumentFile[])[] },
  budget: HistoryBudget = HISTORY_BUDGET,
): SavedHistory {
  const index = new Map<string, number>();
  files.forEach((f, i) => {
    if (!index.has(f.text)) index.set(f.text, i);
  });
  const texts: string[] = [];
  let chars = 0;
  /** The step's refs, or undefined when its new texts would exceed the budget (nothing is added then). */
  const encode = (step: readonly DocumentFile[]): SavedFileRef[] | undefined => {
    const added = new Set<string>();
    let cost = 0;
    for (const f of step) {
      if (!index.has(f.text) && !added.has(f.text)) {
        added.add(f.text);
        cost += f.text.length;
      }
    }
    if (chars + cost > budget.chars) return undefined;
    for (const text of added) {
      index.set(text, files.length + texts.length);
      texts.push(text);
    }
    chars += cost;
    return step.map((f) => [f.id, f.path, index.get(f.text)!]);
  };
  const past: SavedFileRef[][] = [];
  const future: SavedFileRef[][] = [];
  let pastOpen = true;
  let futureOpen = true;
  for (let d = 0; (pastOpen || futureOpen) && d < budget.steps; d++) {
    const undoStep = pastOpen ? history.past[history.past.length - 1 - d] : undefined;
    const encodedPast = undoStep && encode(undoStep);
    if (encodedPast) past.unshift(encodedPast);
    else pastOpen = false;
    const redoStep = futureOpen ? history.future[d] : undefined;
    const encodedFuture = redoStep && encode(redoStep);
    if (encodedFuture) future.push(encodedFuture);
    else futureOpen = false;
  }
  return { texts, past, future };
}

function isRef(value: unknown): value is SavedFileRef {
  return (
    Array.isArray(value) &&
    value.length === 3 &&
    typeof value[0] === 'string' &&
    typeof value[1] === 'string' &&
    Number.isInteger(value[2])
  );
}

/**
 * The saved history against the restored documents; empty when it is missing or does not fit
 * them (a damaged record, or one from another version), since a wrong undo is worse than none.
 */
export function decodeHistory(
  saved: unknown,
  files: readonly DocumentFile[],
): { past: DocumentFile[][]; future: DocumentFile[][] } {
  const empty = { past: [], future: [] };
  if (typeof saved !== 'object' || saved === null) return empty;
  const { texts, past, future } = saved as Partial<Record<keyof SavedHistory, unknown>>;
  if (!Array.isArray(texts) || !texts.every((t) => typeof t === 'string')) return empty;
  if (!Array.isArray(past) || !Array.isArray(future)) return empty;
  const all = [...files.map((f) => f.text), ...(texts as string[])];
  // Equal files of different steps become one object, as they were in the store.
  const shared = new Map<string, DocumentFile>();
  const decodeStep = (step: unknown): DocumentFile[] | undefined => {
    if (!Array.isArray(step) || !step.every(isRef)) return undefined;
    const out: DocumentFile[] = [];
    for (const [id, path, i] of step) {
      if (i < 0 || i >= all.length) return undefined;
      const key = `${id}\u0000${path}\u0000${i}`;
      let file = shared.get(key);
      if (!file) {
        file = { id, path, text: all[i]! };
        shared.set(key, file);
      }
      out.push(file);
    }
    return out;
  };
  const decodedPast = past.map(decodeStep);
  const decodedFuture = future.map(decodeStep);
  if (decodedPast.includes(undefined) || decodedFuture.includes(undefined)) return empty;
  return { past: decodedPast as DocumentFile[][], future: decodedFuture as DocumentFile[][] };
}
