import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { indexedDbStore, type KeyValueStore, WorkspacePersister } from './persist.ts';
import { isTextKey, type SavedWorkspace } from './savedRecord.ts';
import { savedWorkspace } from './savedWorkspace.test-helper.ts';

/** A workspace of `n` files, file i holding `text(i)`. */
function manyFiles(n: number, text: (i: number) => string): SavedWorkspace {
  const files = Array.from({ length: n }, (_, i) => ({ id: `f${i}#1`, path: `f${i}.yaml`, text: text(i) }));
  return {
    version: 1,
    files,
    activeFileId: files[0]?.id,
    sampleId: undefined,
    baseline: files.map((f) => ({ path: f.path, text: f.text })),
    ranges: [],
  };
}

/** An in-memory store that records every call: the texts each write carries, by value. */
function recordingStore(): KeyValueStore & { calls: string[]; data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  const calls: string[] = [];
  const describe = (value: unknown) => (typeof value === 'string' ? value : 'record');
  return {
    calls,
    data,
    async getMany(keys) {
      return keys.map((key) => data.get(key));
    },
    async putMany(entries) {
      calls.push(`put ${entries.map(([, v]) => describe(v)).join(',')}`);
      for (const [key, value] of entries) data.set(key, value);
    },
    async update(decide) {
      const changes = decide([...data.keys()]);
      const deleted = changes.delete.map((key) => describe(data.get(key)));
      calls.push(
        `update put ${changes.put.map(([, v]) => describe(v)).join(',')} delete ${deleted.join(',')}`,
      );
      for (const [key, value] of changes.put) data.set(key, value);
      for (const key of changes.delete) data.delete(key);
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
  it('puts and gets values, which outlive the store object (a reload)', async () => {
    const store = indexedDbStore('db', 'workspace');
    expect(await store.getMany(['k'])).toEqual([undefined]);
    await store.putMany([
      ['k', { files: ['x'] }],
      ['t', 'text'],
    ]);
    expect(await indexedDbStore('db', 'workspace').getMany(['t', 'k', 'z'])).toEqual([
      'text',
      { files: ['x'] },
      undefined,
    ]);
  });

  it('updates atomically from the keys it holds, and a failing update changes nothing', async () => {
    const store = indexedDbStore('db', 'workspace');
    await store.putMany([
      ['a', 1],
      ['b', 2],
    ]);
    let seen: readonly string[] = [];
    await store.update((keys) => {
      seen = keys;
      return { put: [['c', 3]], delete: ['a'] };
    });
    expect(seen).toEqual(['a', 'b']);
    expect(await store.getMany(['a', 'b', 'c'])).toEqual([undefined, 2, 3]);
    await expect(
      store.update(() => {
        throw new Error('broken');
      }),
    ).rejects.toBeDefined();
    expect(await store.getMany(['a', 'b', 'c'])).toEqual([undefined, 2, 3]);
  });

  it('reads a workspace saved by the earlier hand-written wrapper (same database layout)', async () => {
    // What that wrapper did: database netpol-atlas version 1, store workspace, out-of-line key.
    const open = indexedDB.open('netpol-atlas', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('workspace');
    const db = await settle(open);
    await settle(
      db
        .transaction('workspace', 'readwrite')
        .objectStore('workspace')
        .put(savedWorkspace('old'), 'workspace'),
    );
    db.close();
    const persister = new WorkspacePersister(indexedDbStore(), { delayMs: 0 });
    expect(await persister.load()).toEqual(savedWorkspace('old'));
    // Saved again in today's layout, it still reads the same.
    persister.schedule(() => savedWorkspace('old'));
    await persister.flush();
    expect(await new WorkspacePersister(indexedDbStore(), { delayMs: 0 }).load()).toEqual(
      savedWorkspace('old'),
    );
  });

  it('rejects every call when the browser has no IndexedDB', async () => {
    vi.stubGlobal('indexedDB', undefined);
    const store = indexedDbStore();
    await expect(store.getMany(['k'])).rejects.toThrow('no IndexedDB');
    await expect(store.putMany([['k', 1]])).rejects.toThrow('no IndexedDB');
    await expect(store.update(() => ({ put: [], delete: [] }))).rejects.toThrow('no IndexedDB');
  });
});

describe('WorkspacePersister', () => {
  it('saves once, the newest snapshot, after the changes stop', async () => {
    vi.useFakeTimers();
    const store = recordingStore();
    const statuses: string[] = [];
    const persister = new WorkspacePersister(store, { delayMs: 300, onStatus: (s) => statuses.push(s) });
    persister.schedule(() => savedWorkspace('one'));
    await vi.advanceTimersByTimeAsync(200);
    persister.schedule(() => savedWorkspace('two'));
    await vi.advanceTimersByTimeAsync(200);
    expect(store.calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(200);
    expect(store.calls).toEqual(['update put record,two, delete ']);
    expect(statuses.at(-1)).toBe('saved');
    expect(await persister.load()).toEqual(savedWorkspace('two'));
  });

  it('flush writes a pending snapshot at once, in one transaction (the page is being hidden)', async () => {
    const store = recordingStore();
    const persister = new WorkspacePersister(store, { delayMs: 60_000 });
    persister.schedule(() => savedWorkspace('now'));
    await persister.flush();
    expect(store.calls).toEqual(['update put record,now, delete ']);
    expect(await new WorkspacePersister(store, { delayMs: 0 }).load()).toEqual(savedWorkspace('now'));
  });

  it('writes only the texts it has not written, and drops those no longer named', async () => {
    const store = recordingStore();
    const persister = new WorkspacePersister(store, { delayMs: 0 });
    const first = manyFiles(3, (i) => `file ${i}\n`);
    persister.schedule(() => first);
    await persister.flush();
    const edited = { ...first, files: first.files.map((f, i) => (i === 1 ? { ...f, text: 'edited\n' } : f)) };
    store.calls.length = 0;
    persister.schedule(() => edited);
    await persister.flush();
    // The baseline still holds "file 1": nothing to delete; one new text.
    expect(store.calls).toEqual(['update put record,edited\n delete ']);
    const dropped = { ...edited, baseline: edited.files.map((f) => ({ path: f.path, text: f.text })) };
    store.calls.length = 0;
    persister.schedule(() => dropped);
    await persister.flush();
    expect(store.calls).toEqual(['update put record delete file 1\n']);
    expect(await new WorkspacePersister(store, { delayMs: 0 }).load()).toEqual(dropped);
  });

  it('stores a text that files, baseline and history share once', async () => {
    const store = recordingStore();
    const persister = new WorkspacePersister(store, { delayMs: 0 });
    const shared = savedWorkspace('same', {
      baseline: [{ path: 'a.yaml', text: 'same' }],
      history: { texts: ['older'], past: [[['a.yaml#1', 'a.yaml', 1]]], future: [] },
    });
    persister.schedule(() => shared);
    await persister.flush();
    expect([...store.data.keys()].filter(isTextKey).map((k) => store.data.get(k))).toEqual(['same', 'older']);
    expect(await new WorkspacePersister(store, { delayMs: 0 }).load()).toEqual(shared);
  });

  it('writes new texts in slices before the record, so no write carries the whole workspace', async () => {
    const store = recordingStore();
    const persister = new WorkspacePersister(store, { delayMs: 0, sliceChars: 100 });
    const big = manyFiles(10, (i) => `${i}`.repeat(40));
    persister.schedule(() => big);
    await vi.waitFor(() => expect(store.calls.at(-1)).toMatch(/^update/));
    const puts = store.calls.filter((c) => c.startsWith('put '));
    // 40 characters a text, 100 a slice: three texts a write.
    expect(puts).toHaveLength(3);
    expect(store.calls.at(-1)).toBe(`update put record,${'9'.repeat(40)} delete `);
    expect(await new WorkspacePersister(store, { delayMs: 0 }).load()).toEqual(big);
  });

  it('keeps the last saved workspace whole while a newer one is half written', async () => {
    const store = recordingStore();
    const persister = new WorkspacePersister(store, { delayMs: 0, sliceChars: 10 });
    persister.schedule(() => savedWorkspace('saved'));
    await persister.flush();
    const putMany = store.putMany.bind(store);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let writes = 0;
    store.putMany = async (entries) => {
      await putMany(entries);
      if (++writes === 1) await gate;
    };
    const next = manyFiles(4, (i) => `text number ${i}`);
    persister.schedule(() => next);
    await vi.waitFor(() => expect(writes).toBe(1));
    // A reload now (another page reading the store) finds the last workspace saved, not half of this one.
    expect(await new WorkspacePersister(store, { delayMs: 0 }).load()).toEqual(savedWorkspace('saved'));
    release();
    await vi.waitFor(() => expect(store.calls.at(-1)).toMatch(/^update/));
    expect(await new WorkspacePersister(store, { delayMs: 0 }).load()).toEqual(next);
    // Nothing is left behind: the texts of the older workspace went with its record.
    expect([...store.data.keys()].filter(isTextKey)).toHaveLength(4);
  });

  it('saves after a reload without writing the texts it read back', async () => {
    const store = recordingStore();
    const first = new WorkspacePersister(store, { delayMs: 0 });
    const saved = manyFiles(3, (i) => `file ${i}\n`);
    first.schedule(() => saved);
    await first.flush();
    const reloaded = new WorkspacePersister(store, { delayMs: 0 });
    const restored = (await reloaded.load())!;
    store.calls.length = 0;
    reloaded.schedule(() => ({ ...restored, activeFileId: restored.files[2]!.id }));
    await reloaded.flush();
    expect(store.calls).toEqual(['update put record delete ']);
  });

  it('stays whole when two tabs save in turn (the last one wins)', async () => {
    const store = recordingStore();
    const tabA = new WorkspacePersister(store, { delayMs: 0 });
    const tabB = new WorkspacePersister(store, { delayMs: 0 });
    tabA.schedule(() => savedWorkspace('from A'));
    await tabA.flush();
    tabB.schedule(() => savedWorkspace('from B'));
    await tabB.flush();
    // Tab B's save dropped A's text; A saves the same documents again, believing it stored.
    tabA.schedule(() => savedWorkspace('from A', { activeFileId: undefined }));
    await tabA.flush();
    expect(await new WorkspacePersister(store, { delayMs: 0 }).load()).toEqual(
      savedWorkspace('from A', { activeFileId: undefined }),
    );
  });

  it('deletes the record and its texts when there is nothing worth keeping', async () => {
    const store = recordingStore();
    const persister = new WorkspacePersister(store, { delayMs: 0 });
    persister.schedule(() => savedWorkspace('x'));
    await persister.flush();
    persister.schedule(() => undefined);
    await persister.flush();
    expect(store.data.size).toBe(0);
    expect(await persister.load()).toBeUndefined();
  });

  it('never lets an older write land after a newer one', async () => {
    const store = recordingStore();
    const update = store.update.bind(store);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let first = true;
    store.update = async (decide) => {
      if (first) {
        first = false;
        await gate;
      }
      return update(decide);
    };
    const persister = new WorkspacePersister(store, { delayMs: 0 });
    persister.schedule(() => savedWorkspace('old'));
    const a = persister.flush();
    persister.schedule(() => savedWorkspace('new'));
    const b = persister.flush();
    release();
    await Promise.all([a, b]);
    expect(store.calls).toEqual(['update put record,old, delete ', 'update put record,new delete old']);
    expect(await persister.load()).toEqual(savedWorkspace('new'));
  });

  it('reports a failed write and keeps going', async () => {
    const store = recordingStore();
    const update = store.update.bind(store);
    store.update = () => Promise.reject(new Error('quota exceeded'));
    const statuses: [string, string | undefined][] = [];
    const persister = new WorkspacePersister(store, {
      delayMs: 0,
      onStatus: (s, e) => statuses.push([s, e]),
    });
    persister.schedule(() => savedWorkspace('x'));
    await persister.flush();
    expect(statuses.at(-1)).toEqual(['failed', 'quota exceeded']);
    store.update = update;
    persister.schedule(() => savedWorkspace('y'));
    await persister.flush();
    expect(statuses.at(-1)).toEqual(['saved', undefined]);
    expect(await persister.load()).toEqual(savedWorkspace('y'));
  });

  it('clear forgets the saved workspace and drops a pending save', async () => {
    vi.useFakeTimers();
    const store = recordingStore();
    const persister = new WorkspacePersister(store, { delayMs: 100 });
    persister.schedule(() => savedWorkspace('x'));
    await persister.flush();
    persister.schedule(() => savedWorkspace('pending'));
    await persister.clear();
    await vi.advanceTimersByTimeAsync(500);
    expect(store.calls).toEqual(['update put record,x, delete ', 'update put  delete record,x,']);
    expect(store.data.size).toBe(0);
  });

  it('works end to end on the IndexedDB wrapper, history included', async () => {
    const persister = new WorkspacePersister(indexedDbStore(), { delayMs: 0, sliceChars: 8 });
    const kept = savedWorkspace('kept', {
      history: { texts: ['before'], past: [[['a.yaml#1', 'a.yaml', 1]]], future: [] },
    });
    persister.schedule(() => kept);
    await persister.flush();
    persister.schedule(() => ({ ...kept, sampleId: 'demo' }));
    await vi.waitFor(async () =>
      expect(await new WorkspacePersister(indexedDbStore(), { delayMs: 0 }).load()).toEqual({
        ...kept,
        sampleId: 'demo',
      }),
    );
  });
});
