import type { DocumentFile, DraftRange } from '../model/index.ts';
import type { SavedHistory } from './savedHistory.ts';

/**
 * What is saved: the documents, the baseline they are compared with, the drafted ranges and the
 * undo history (optional: records saved before it was kept still read).
 */
export interface SavedWorkspace {
  version: 1;
  files: DocumentFile[];
  activeFileId: string | undefined;
  sampleId: string | undefined;
  baseline: { path: string; text: string }[];
  ranges: DraftRange[];
  /** Checked against the files when restored (see decodeHistory). */
  history?: SavedHistory | undefined;
}

/**
 * How a workspace is laid out in storage since version 2: this small record names every text by
 * the key it is stored under, each text a record of its own. Writing a workspace then clones only
 * the texts that are new (typing in one file of 600 writes that file's text), and the texts can be
 * written a slice at a time before this record, written last, makes them the saved workspace.
 */
export interface StoredWorkspace {
  version: 2;
  files: { id: string; path: string; text: string }[];
  activeFileId: string | undefined;
  sampleId: string | undefined;
  baseline: { path: string; text: string }[];
  ranges: DraftRange[];
  /** As {@link SavedHistory}, with `texts` holding keys. */
  history?: SavedHistory | undefined;
}

/** Where texts are stored: one record each, under keys that start with this. */
const TEXT_KEY_PREFIX = 'text:';

/** Whether a key of the store holds a text of a saved workspace. */
export function isTextKey(key: string): boolean {
  return key.startsWith(TEXT_KEY_PREFIX);
}

/**
 * Makes text keys that no other page's keys can equal: a key is never reused for another text,
 * so a key that is in the store holds the text it was made for.
 */
export function textKeyMaker(session: string): () => string {
  let next = 0;
  return () => `${TEXT_KEY_PREFIX}${session}.${(next++).toString(36)}`;
}

/**
 * The workspace as a {@link StoredWorkspace} and the texts it names (key to text). `keyOf` gives
 * the key of a text: equal texts get one key, so a text the documents, the baseline and the
 * history share is stored once.
 */
export function splitTexts(
  workspace: SavedWorkspace,
  keyOf: (text: string) => string,
): { record: StoredWorkspace; texts: Map<string, string> } {
  const texts = new Map<string, string>();
  const ref = (text: string) => {
    const key = keyOf(text);
    texts.set(key, text);
    return key;
  };
  const record: StoredWorkspace = {
    version: 2,
    files: workspace.files.map((f) => ({ id: f.id, path: f.path, text: ref(f.text) })),
    activeFileId: workspace.activeFileId,
    sampleId: workspace.sampleId,
    baseline: workspace.baseline.map((f) => ({ path: f.path, text: ref(f.text) })),
    ranges: workspace.ranges,
    history: workspace.history && { ...workspace.history, texts: workspace.history.texts.map(ref) },
  };
  return { record, texts };
}

function stringsOf(list: unknown, field: 'text'): string[] | undefined {
  if (!Array.isArray(list)) return undefined;
  const out: string[] = [];
  for (const item of list) {
    const value =
      typeof item === 'object' && item !== null ? (item as Record<string, unknown>)[field] : undefined;
    if (typeof value !== 'string') return undefined;
    out.push(value);
  }
  return out;
}

/**
 * The keys of the texts a stored record names (what to read before {@link joinTexts}); undefined
 * when the value is not a version 2 record.
 */
export function textKeysOf(value: unknown): string[] | undefined {
  if (typeof value !== 'object' || value === null || (value as { version?: unknown }).version !== 2)
    return undefined;
  const v = value as Partial<Record<keyof StoredWorkspace, unknown>>;
  const files = stringsOf(v.files, 'text');
  const baseline = stringsOf(v.baseline, 'text');
  if (!files || !baseline) return undefined;
  const history = (v.history as { texts?: unknown } | undefined)?.texts;
  const historyKeys = Array.isArray(history) && history.every((k) => typeof k === 'string') ? history : [];
  return [...new Set([...files, ...baseline, ...historyKeys])];
}

/**
 * A version 2 record with its texts put back (`texts`: key to the value read under it), checked as
 * {@link readSavedWorkspace} checks. A document or baseline text that is missing makes the whole
 * record unreadable (half a workspace is not what was saved); a missing history text drops only
 * the history, which is then restored empty.
 */
export function joinTexts(value: unknown, texts: ReadonlyMap<string, unknown>): SavedWorkspace | undefined {
  if (textKeysOf(value) === undefined) return undefined;
  const v = value as StoredWorkspace;
  const text = (key: string) => {
    const found = texts.get(key);
    return typeof found === 'string' ? found : undefined;
  };
  const files = v.files.map((f) => ({ ...f, text: text(f.text) }));
  const baseline = v.baseline.map((f) => ({ ...f, text: text(f.text) }));
  if (files.some((f) => f.text === undefined) || baseline.some((f) => f.text === undefined)) return undefined;
  const historyTexts = Array.isArray(v.history?.texts) ? v.history.texts.map(text) : undefined;
  const history =
    v.history && historyTexts && !historyTexts.includes(undefined)
      ? { ...v.history, texts: historyTexts as string[] }
      : undefined;
  return readSavedWorkspace({ ...v, version: 1, files, baseline, history });
}

function isFileList(value: unknown, withId: boolean): boolean {
  return (
    Array.isArray(value) &&
    value.every(
      (f) =>
        typeof f === 'object' &&
        f !== null &&
        typeof f.path === 'string' &&
        typeof f.text === 'string' &&
        (!withId || typeof f.id === 'string'),
    )
  );
}

/** A saved record, checked: anything else (an older format, a damaged record) is ignored. */
export function readSavedWorkspace(value: unknown): SavedWorkspace | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Partial<SavedWorkspace>;
  if (v.version !== 1 || !isFileList(v.files, true) || !isFileList(v.baseline, false)) return undefined;
  const ranges = Array.isArray(v.ranges)
    ? v.ranges.filter(
        (r) => typeof r?.id === 'string' && typeof r.cidr === 'string' && Array.isArray(r.except),
      )
    : [];
  return {
    version: 1,
    files: v.files!.map((f) => ({ id: f.id, path: f.path, text: f.text })),
    activeFileId: typeof v.activeFileId === 'string' ? v.activeFileId : undefined,
    sampleId: typeof v.sampleId === 'string' ? v.sampleId : undefined,
    baseline: v.baseline!.map((f) => ({ path: f.path, text: f.text })),
    ranges,
    history: typeof v.history === 'object' && v.history !== null ? v.history : undefined,
  };
}
