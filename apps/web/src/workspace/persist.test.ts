import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { draftRangeId } from '../model/index.ts';
import {
  indexedDbStore,
  type KeyValueStore,
  readSavedWorkspace,
  type SavedWorkspace,
  WorkspacePersister,
} from './persist.ts';

function workspace(text: string): SavedWorkspace {
  return {
    version: 1,
    files: [{ id: 'a.yaml#1', path: 'a.yaml', text }],
    activeFileId: 'a.yaml#1',
    sampleId: undefined,
    baseline: [{ path: 'a.yaml', text: '' }],
    ranges: [{ id: draftRangeId('10.0.0.0/8', []), cidr: '10.0.0.0/8', except: [] }],
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

// A fresh, empty IndexedDB (fake-indexeddb, a full in-memory implementation) for every test.
beforeEach(() => {
  vi.stubGlobal('indexedDB', new IDBFactory());
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** Resolves an IndexedDB request, as a test writes one by hand. */
function settle<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

describe('indexedDbStore', () => {
  it('puts, gets and deletes values, which outlive the store object (a reload)', async () => {
    const store = indexedDbStore('db', 'workspace');
    expect(await store.get('k')).toBeUndefined();
    await store.put('k', { files: ['x'] });
    expect(await indexedDbStore('db', 'workspace').get('k')).toEqual({ files: ['x'] });
    await store.delete('k');
    expect(await store.get('k')).toBeUndefined();
  });

  it('reads a workspace saved by the earlier hand-written wrapper (same database layout)', async () => {
    // What that wrapper did: database netpol-atlas version 1, store workspace, out-of-line key.
    const open = indexedDB.open('netpol-atlas', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('workspace');
    const db = await settle(open);
    await settle(
      db.transaction('workspace', 'readwrite').objectStore('workspace').put(workspace('old'), 'workspace'),
    );
    db.close();
    const persister = new WorkspacePersister(indexedDbStore(), { delayMs: 0 });
    expect(await persister.load()).toEqual(workspace('old'));
  });

  it('rejects every call when the browser has no IndexedDB', async () => {
    vi.stubGlobal('indexedDB', undefined);
    const store = indexedDbStore();
    await expect(store.get('k')).rejects.toThrow('no IndexedDB');
    await expect(store.put('k', 1)).rejects.toThrow('no IndexedDB');
    await expect(store.delete('k')).rejects.toThrow('no IndexedDB');
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
    const persister = new WorkspacePersister(indexedDbStore(), { delayMs: 0 });
    persister.schedule(() => workspace('kept'));
    await persister.flush();
    const reloaded = new WorkspacePersister(indexedDbStore(), { delayMs: 0 });
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
