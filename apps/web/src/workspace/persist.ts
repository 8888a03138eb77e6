import { createStore, del, get, set } from 'idb-keyval';
import type { DocumentFile, DraftRange } from '../model/index.ts';
import type { SaveStatus } from '../store/index.ts';
import type { SavedHistory } from './savedHistory.ts';

/** A tiny async key-value store: what persistence needs from IndexedDB, and what a test fakes. */
export interface KeyValueStore {
  get(key: string): Promise<unknown>;
  put(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
}

/**
 * A {@link KeyValueStore} on one IndexedDB object store, through idb-keyval. The database opens on
 * first use (a failed open is retried on the next call). Records sit under out-of-line keys in
 * database `netpol-atlas`, store `workspace`, version 1: the layout of the hand-written wrapper
 * this replaced, so workspaces saved before still load. When IndexedDB is missing (private modes,
 * some embedded browsers) every call rejects and the app says that the work is not being saved.
 */
export function indexedDbStore(databaseName = 'netpol-atlas', storeName = 'workspace'): KeyValueStore {
  const store = typeof indexedDB === 'undefined' ? undefined : createStore(databaseName, storeName);
  const missing = () => Promise.reject(new Error('this browser offers no IndexedDB storage'));
  return {
    get: (key) => (store ? get(key, store) : missing()),
    put: (key, value) => (store ? set(key, value, store) : missing()),
    delete: (key) => (store ? del(key, store) : missing()),
  };
}

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

const KEY = 'workspace';

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

/**
 * Saves the workspace a short while after the last change (typing would otherwise write on every
 * key), one write at a time so an older snapshot never lands after a newer one. A snapshot of
 * `undefined` means there is nothing worth keeping (the untouched demo): the record is deleted.
 */
export class WorkspacePersister {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private snapshot: (() => SavedWorkspace | undefined) | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: KeyValueStore,
    private readonly options: { delayMs: number; onStatus?: (status: SaveStatus, error?: string) => void },
  ) {}

  /** Saves `snapshot()` after the delay; a newer call replaces a pending one. */
  schedule(snapshot: () => SavedWorkspace | undefined): void {
    this.snapshot = snapshot;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.options.onStatus?.('saving');
    this.timer = setTimeout(() => void this.flush(), this.options.delayMs);
  }

  /** Writes a pending snapshot now (page hidden or closing); resolves when every write is done. */
  flush(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const snapshot = this.snapshot;
    this.snapshot = undefined;
    if (snapshot) {
      this.queue = this.queue.then(async () => {
        try {
          const value = snapshot();
          if (value) await this.store.put(KEY, value);
          else await this.store.delete(KEY);
          this.options.onStatus?.('saved');
        } catch (error) {
          this.options.onStatus?.('failed', error instanceof Error ? error.message : String(error));
        }
      });
    }
    return this.queue;
  }

  /** The saved workspace, if there is a readable one. Storage errors read as "nothing saved". */
  async load(): Promise<SavedWorkspace | undefined> {
    try {
      return readSavedWorkspace(await this.store.get(KEY));
    } catch {
      return undefined;
    }
  }

  /** Forgets the saved workspace (and any pending save). */
  clear(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.snapshot = undefined;
    this.queue = this.queue.then(() => this.store.delete(KEY).catch(() => undefined));
    return this.queue;
  }
}
