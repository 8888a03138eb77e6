import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type IdbFactoryLike,
  indexedDbStore,
  type KeyValueStore,
  readSavedWorkspace,
  type SavedWorkspace,
  WorkspacePersister,
} from './persist.ts';

type Handler = (() => void) | null | undefined;
interface FakeRequest {
  result: unknown;
  error: null;
  onsuccess?: Handler;
  onerror?: Handler;
  onupgradeneeded?: Handler;
  onblocked?: Handler;
}

/**
 * Just enough of IndexedDB for the wrapper: databases of object stores, requests that succeed
 * asynchronously, and transactions that complete after their last request. Values are cloned
 * on the way in and out, as IndexedDB does.
 */
function fakeIndexedDb(): IdbFactoryLike {
  const databases = new Map<string, Map<string, Map<string, unknown>>>();
  return {
    open(name: string) {
      const request: FakeRequest = { result: undefined, error: null };
      setTimeout(() => {
        const existing = databases.get(name);
        const stores = existing ?? new Map<string, Map<string, unknown>>();
        databases.set(name, stores);
        request.result = {
          createObjectStore: (store: string) => stores.set(store, new Map()),
          transaction(storeName: string) {
            const data = stores.get(storeName)!;
            const tx: {
              oncomplete?: Handler;
              onerror?: Handler;
              onabort?: Handler;
              objectStore: () => unknown;
            } = {
              objectStore: () => ({
                get: (key: string) => run(() => structuredClone(data.get(key))),
                put: (value: unknown, key: string) => run(() => void data.set(key, structuredClone(value))),
                delete: (key: string) => run(() => void data.delete(key)),
              }),
            };
            let pending = 0;
            const run = (fn: () => unknown) => {
              const r: FakeRequest = { result: undefined, error: null };
              pending++;
              setTimeout(() => {
                r.result = fn();
                r.onsuccess?.();
                if (--pending === 0) setTimeout(() => tx.oncomplete?.());
              });
              return r;
            };
            return tx;
          },
        };
        if (!existing) request.onupgradeneeded?.();
        request.onsuccess?.();
      });
      return request;
    },
  } as unknown as IdbFactoryLike;
}

function workspace(text: string): SavedWorkspace {
  return {
    version: 1,
    files: [{ id: 'a.yaml#1', path: 'a.yaml', text }],
    activeFileId: 'a.yaml#1',
    sampleId: undefined,
    baseline: [{ path: 'a.yaml', text: '' }],
    ranges: [{ id: 'range:10.0.0.0/8', cidr: '10.0.0.0/8', except: [] }],
  };
}

/** An in-memory store that records every call. */
function recordingStore(): KeyValueStore & { calls: string[]; data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  const calls: string[] = [];
  return {
    calls,
    data,
    async get(key) {
      calls.push(`get ${key}`);
      return data.get(key);
    },
    async put(key, value) {
      calls.push(`put ${key} ${(value as SavedWorkspace).files[0]!.text}`);
      data.set(key, value);
    },
    async delete(key) {
      calls.push(`delete ${key}`);
      data.delete(key);
    },
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('indexedDbStore', () => {
  it('puts, gets and deletes values, which outlive the store object (a reload)', async () => {
    const factory = fakeIndexedDb();
    const store = indexedDbStore(factory, 'db', 'workspace');
    expect(await store.get('k')).toBeUndefined();
    await store.put('k', { files: ['x'] });
    expect(await indexedDbStore(factory, 'db', 'workspace').get('k')).toEqual({ files: ['x'] });
    await store.delete('k');
    expect(await store.get('k')).toBeUndefined();
  });

  it('rejects every call when the browser has no IndexedDB', async () => {
    const store = indexedDbStore(undefined);
    await expect(store.get('k')).rejects.toThrow('no IndexedDB');
    await expect(store.put('k', 1)).rejects.toThrow('no IndexedDB');
  });
});

describe('WorkspacePersister', () => {
  it('saves once, the newest snapshot, after the changes stop', async () => {
    vi.useFakeTimers();
    const store = recordingStore();
    const statuses: string[] = [];
    const persister = new WorkspacePersister(store, { delayMs: 300, onStatus: (s) => statuses.push(s) });
    persister.schedule(() => workspace('one'));
    await vi.advanceTimersByTimeAsync(200);
    persister.schedule(() => workspace('two'));
    await vi.advanceTimersByTimeAsync(200);
    expect(store.calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(200);
    expect(store.calls).toEqual(['put workspace two']);
    expect(statuses.at(-1)).toBe('saved');
    expect(await persister.load()).toEqual(workspace('two'));
  });

  it('flush writes a pending snapshot at once (the page is being hidden)', async () => {
    const store = recordingStore();
    const persister = new WorkspacePersister(store, { delayMs: 60_000 });
    persister.schedule(() => workspace('now'));
    await persister.flush();
    expect(store.calls).toEqual(['put workspace now']);
  });

  it('deletes the record when there is nothing worth keeping', async () => {
    const store = recordingStore();
    const persister = new WorkspacePersister(store, { delayMs: 0 });
    persister.schedule(() => workspace('x'));
    await persister.flush();
    persister.schedule(() => undefined);
    await persister.flush();
    expect(store.calls).toEqual(['put workspace x', 'delete workspace']);
    expect(await persister.load()).toBeUndefined();
  });

  it('never lets an older write land after a newer one', async () => {
    const store = recordingStore();
    const slowPut = store.put.bind(store);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let first = true;
    store.put = async (key, value) => {
      if (first) {
        first = false;
        await gate;
      }
      return slowPut(key, value);
    };
    const persister = new WorkspacePersister(store, { delayMs: 0 });
    persister.schedule(() => workspace('old'));
    const a = persister.flush();
    persister.schedule(() => workspace('new'));
    const b = persister.flush();
    release();
    await Promise.all([a, b]);
    expect(store.calls).toEqual(['put workspace old', 'put workspace new']);
    expect((store.data.get('workspace') as SavedWorkspace).files[0]!.text).toBe('new');
  });

  it('reports a failed write and keeps going', async () => {
    const store = recordingStore();
    store.put = () => Promise.reject(new Error('quota exceeded'));
    const statuses: [string, string | undefined][] = [];
    const persister = new WorkspacePersister(store, {
      delayMs: 0,
      onStatus: (s, e) => statuses.push([s, e]),
    });
    persister.schedule(() => workspace('x'));
    await persister.flush();
    expect(statuses.at(-1)).toEqual(['failed', 'quota exceeded']);
  });

  it('clear forgets the saved workspace and drops a pending save', async () => {
    vi.useFakeTimers();
    const store = recordingStore();
    const persister = new WorkspacePersister(store, { delayMs: 100 });
    persister.schedule(() => workspace('x'));
    await persister.flush();
    persister.schedule(() => workspace('pending'));
    await persister.clear();
    await vi.advanceTimersByTimeAsync(500);
    expect(store.calls).toEqual(['put workspace x', 'delete workspace']);
  });

  it('works end to end on the IndexedDB wrapper', async () => {
    const factory = fakeIndexedDb();
    const persister = new WorkspacePersister(indexedDbStore(factory), { delayMs: 0 });
    persister.schedule(() => workspace('kept'));
    await persister.flush();
    const reloaded = new WorkspacePersister(indexedDbStore(factory), { delayMs: 0 });
    expect(await reloaded.load()).toEqual(workspace('kept'));
  });
});

describe('readSavedWorkspace', () => {
  it.each([
    { name: 'nothing', value: undefined },
    { name: 'another version', value: { ...workspace('x'), version: 2 } },
    { name: 'files without ids', value: { ...workspace('x'), files: [{ path: 'a', text: '' }] } },
    { name: 'a damaged baseline', value: { ...workspace('x'), baseline: 'oops' } },
  ])('ignores $name', ({ value }) => {
    expect(readSavedWorkspace(value)).toBeUndefined();
  });

  it('drops malformed ranges but keeps the documents', () => {
    const saved = readSavedWorkspace({ ...workspace('x'), ranges: [{ cidr: 1 }] });
    expect(saved?.files[0]?.text).toBe('x');
    expect(saved?.ranges).toEqual([]);
  });
});
