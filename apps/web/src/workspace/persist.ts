import { createStore, getMany, promisifyRequest, setMany } from 'idb-keyval';
import type { SaveStatus } from '../store/index.ts';
import {
  isTextKey,
  joinTexts,
  readSavedWorkspace,
  type SavedWorkspace,
  splitTexts,
  textKeyMaker,
  textKeysOf,
} from './savedRecord.ts';

/** What one atomic update of a {@link KeyValueStore} writes and deletes. */
export interface StoreChanges {
  put: (readonly [string, unknown])[];
  delete: string[];
}

/** A tiny async key-value store: what persistence needs from IndexedDB, and what a test fakes. */
export interface KeyValueStore {
  /** The values under `keys`, in order; undefined where there is none. */
  getMany(keys: readonly string[]): Promise<unknown[]>;
  /** Writes the entries in one transaction. */
  putMany(entries: readonly (readonly [string, unknown])[]): Promise<void>;
  /**
   * One atomic read-modify-write: `decide` gets every key held and says what to put and delete,
   * all in the same transaction, so another tab's update lands wholly before or after it.
   */
  update(decide: (keys: readonly string[]) => StoreChanges): Promise<void>;
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
    getMany: (keys) => (store ? getMany([...keys], store) : missing()),
    putMany: (entries) =>
      store
        ? setMany(
            entries.map(([k, v]) => [k, v]),
            store,
          )
        : missing(),
    update: (decide) =>
      store
        ? store('readwrite', (objects) => {
            const done = promisifyRequest(objects.transaction);
            // Callbacks rather than promises: the transaction must still be active for the writes.
            const held = objects.getAllKeys();
            held.onsuccess = () => {
              try {
                const changes = decide(held.result.filter((k): k is string => typeof k === 'string'));
                for (const [key, value] of changes.put) objects.put(value, key);
                for (const key of changes.delete) objects.delete(key);
              } catch {
                objects.transaction.abort();
              }
            };
            return done;
          })
        : missing(),
  };
}

const KEY = 'workspace';

/**
 * Characters of new text written per transaction. Each write clones its values on the page's
 * thread; a slice this size costs a few milliseconds, so saving 10,000 workloads (9 MB of YAML)
 * never holds the page for long, where one write of everything took hundreds of milliseconds.
 */
const SLICE_CHARS = 512 * 1024;

/** How many times a read retries when another tab's save replaced the texts while it read. */
const READ_ATTEMPTS = 3;

/**
 * Saves the workspace a short while after the last change (typing would otherwise write on every
 * key), one write at a time so an older snapshot never lands after a newer one. A snapshot of
 * `undefined` means there is nothing worth keeping (the untouched demo): the record is deleted.
 *
 * Texts are stored apart from the record that names them (see `StoredWorkspace`): a save writes
 * only the texts the store does not hold yet, in slices, then the record, which makes them the
 * saved workspace in one transaction. Until then the store holds the previous workspace whole, so
 * a page closed halfway through a save reloads the last one saved.
 */
export class WorkspacePersister {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private snapshot: (() => SavedWorkspace | undefined) | undefined;
  private queue: Promise<void> = Promise.resolve();
  /** The key of each text this page saved or read (texts are compared by value). */
  private keys = new Map<string, string>();
  /** The text keys written by this page or read from the store. */
  private stored = new Set<string>();
  private readonly newKey: () => string;
  /** Set while the page is being hidden or closed: the pending save goes in one transaction. */
  private urgent = false;

  constructor(
    private readonly store: KeyValueStore,
    private readonly options: {
      delayMs: number;
      onStatus?: (status: SaveStatus, error?: string) => void;
      /** Characters of new text per write (see SLICE_CHARS). */
      sliceChars?: number;
    },
  ) {
    this.newKey = textKeyMaker(`${Date.now().toString(36)}.${Math.random().toString(36).slice(2, 8)}`);
  }

  /** Saves `snapshot()` after the delay; a newer call replaces a pending one. */
  schedule(snapshot: () => SavedWorkspace | undefined): void {
    this.snapshot = snapshot;
    this.urgent = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.options.onStatus?.('saving');
    this.timer = setTimeout(() => this.write(), this.options.delayMs);
  }

  /**
   * Writes a pending snapshot now, in one transaction (the page is hidden or closing, nobody waits
   * on it and it may not get another task); resolves when every write is done.
   */
  flush(): Promise<void> {
    this.urgent = true;
    return this.write();
  }

  private write(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const snapshot = this.snapshot;
    this.snapshot = undefined;
    if (snapshot) {
      this.queue = this.queue.then(async () => {
        try {
          await this.save(snapshot());
          this.options.onStatus?.('saved');
        } catch (error) {
          this.options.onStatus?.('failed', error instanceof Error ? error.message : String(error));
        }
      });
    }
    return this.queue;
  }

  private keyOf(text: string): string {
    let key = this.keys.get(text);
    if (key === undefined) {
      key = this.newKey();
      this.keys.set(text, key);
    }
    return key;
  }

  private async save(workspace: SavedWorkspace | undefined): Promise<void> {
    if (!workspace) {
      await this.forget();
      return;
    }
    const { record, texts } = splitTexts(workspace, (text) => this.keyOf(text));
    let slice: [string, string][] = [];
    let chars = 0;
    for (const [key, text] of texts) {
      if (this.urgent) break;
      if (this.stored.has(key)) continue;
      slice.push([key, text]);
      chars += text.length;
      if (chars >= (this.options.sliceChars ?? SLICE_CHARS)) {
        await this.store.putMany(slice);
        for (const [written] of slice) this.stored.add(written);
        slice = [];
        chars = 0;
      }
    }
    // The record goes in with every text it names that the store lacks (the last slice; all of
    // them when urgent; any another tab's save deleted meanwhile) and drops the texts it does
    // not name: whoever saves last, the store holds one whole workspace.
    await this.store.update((held) => {
      const have = new Set(held);
      return {
        put: [[KEY, record], ...[...texts].filter(([key]) => !have.has(key))],
        delete: held.filter((key) => isTextKey(key) && !texts.has(key)),
      };
    });
    this.stored = new Set(texts.keys());
    this.keys = new Map([...texts].map(([key, text]) => [text, key]));
  }

  private async forget(): Promise<void> {
    await this.store.update((held) => ({
      put: [],
      delete: held.filter((key) => key === KEY || isTextKey(key)),
    }));
    this.stored.clear();
    this.keys.clear();
  }

  /** The saved workspace, if there is a readable one. Storage errors read as "nothing saved". */
  async load(): Promise<SavedWorkspace | undefined> {
    try {
      for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
        const [value] = await this.store.getMany([KEY]);
        const keys = textKeysOf(value);
        if (!keys) return readSavedWorkspace(value);
        const values = await this.store.getMany(keys);
        const texts = new Map(keys.map((key, i) => [key, values[i]]));
        const saved = joinTexts(value, texts);
        if (!saved) continue;
        for (const [key, text] of texts) {
          if (typeof text !== 'string') continue;
          this.keys.set(text, key);
          this.stored.add(key);
        }
        return saved;
      }
      return undefined;
    } catch {
      return undefined;
    }
  }

  /** Forgets the saved workspace (and any pending save). */
  clear(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.snapshot = undefined;
    this.queue = this.queue.then(() => this.forget().catch(() => undefined));
    return this.queue;
  }
}
