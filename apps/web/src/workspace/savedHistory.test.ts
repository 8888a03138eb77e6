import { describe, expect, it } from 'vitest';
import type { DocumentFile } from '../model/index.ts';
import { useStore } from '../store/index.ts';
import { decodeHistory, encodeHistory } from './savedHistory.ts';
import { readSavedWorkspace } from './savedRecord.ts';
import { workspaceSnapshot } from './workspaceStorage.ts';

const file = (id: string, text: string): DocumentFile => ({ id, path: `${id}.yaml`, text });

/** A session: a.yaml edited three times, b.yaml added, one step undone (so one redo step). */
function session() {
  const a0 = file('a', 'a: 0\n');
  const a1 = file('a', 'a: 1\n');
  const a2 = file('a', 'a: 2\n');
  const b = file('b', 'b: 0\n');
  const past = [[a0], [a1], [a2]];
  const current = [a2, b];
  const future = [[a1, b].map((f) => ({ ...f }))];
  return { past, current, future };
}

describe('the saved undo history', () => {
  it('round-trips through a record as IndexedDB stores it, storing each text once', () => {
    const { past, current, future } = session();
    const saved = structuredClone(encodeHistory(current, { past, future }));
    // a: 2 and b: 0 are the current texts: only a: 0 and a: 1 are stored beside them.
    expect([...saved.texts].sort()).toEqual(['a: 0\n', 'a: 1\n']);
    const restored = decodeHistory(saved, current);
    expect(restored.past).toEqual(past);
    expect(restored.future).toEqual(future);
  });

  it('keeps the steps nearest the present within the budget and drops the oldest', () => {
    const big = (n: number) => file('a', `${'x'.repeat(100)}${n}\n`);
    const past = Array.from({ length: 10 }, (_, i) => [big(i)]);
    const current = [big(10)];
    const saved = encodeHistory(current, { past, future: [] }, { chars: 350, steps: 100 });
    const restored = decodeHistory(saved, current);
    expect(restored.past).toEqual(past.slice(-3));
    expect(saved.texts.join('').length).toBeLessThanOrEqual(350);
    const fewer = decodeHistory(
      encodeHistory(current, { past, future: [] }, { chars: 1e6, steps: 4 }),
      current,
    );
    expect(fewer.past).toEqual(past.slice(-4));
  });

  it('reads a damaged or foreign history as none, never as wrong steps', () => {
    const { past, current, future } = session();
    const saved = encodeHistory(current, { past, future });
    expect(decodeHistory(undefined, current)).toEqual({ past: [], future: [] });
    expect(decodeHistory({ ...saved, past: [[['a', 'a.yaml', 99]]] }, current)).toEqual({
      past: [],
      future: [],
    });
    expect(decodeHistory({ ...saved, texts: [1] }, current)).toEqual({ past: [], future: [] });
    expect(decodeHistory({ ...saved, future: 'x' }, current)).toEqual({ past: [], future: [] });
  });

  it('is kept by readSavedWorkspace, and records without it still read', () => {
    const { past, current, future } = session();
    const history = encodeHistory(current, { past, future });
    const record = {
      version: 1,
      files: current,
      activeFileId: 'a',
      sampleId: undefined,
      baseline: [],
      ranges: [],
    };
    expect(readSavedWorkspace({ ...record, history })?.history).toEqual(history);
    expect(readSavedWorkspace(record)).toMatchObject({ files: current, history: undefined });
  });
});

describe('undo history across a reload', () => {
  it('is saved with the workspace and restored, so undo still goes back', () => {
    useStore.getState().loadFiles([{ path: 'a.yaml', text: 'a: 1\n' }], { replace: true });
    const id = useStore.getState().documents.files[0]!.id;
    useStore.getState().restoreWorkspace({
      files: useStore.getState().documents.files,
      baseline: [],
    });
    useStore.getState().editFile(id, 'a: 2\n');
    useStore.getState().loadFiles([{ path: 'b.yaml', text: 'b: 1\n' }]);
    useStore.getState().undo();
    const before = useStore.getState();
    expect(before.history.past).toHaveLength(1);
    expect(before.history.future).toHaveLength(1);

    // What IndexedDB would hand back after a reload (structured clone of the saved record).
    const saved = readSavedWorkspace(structuredClone(workspaceSnapshot(before)))!;
    useStore.getState().restoreWorkspace({ files: [{ path: 'other.yaml', text: 'x: 1\n' }], baseline: [] });
    expect(useStore.getState().history.past).toHaveLength(0);
    useStore.getState().restoreWorkspace({ ...saved, history: decodeHistory(saved.history, saved.files) });

    const texts = () => useStore.getState().documents.files.map((f) => `${f.path}=${f.text}`);
    expect(texts()).toEqual(['a.yaml=a: 2\n']);
    useStore.getState().redo();
    expect(texts()).toEqual(['a.yaml=a: 2\n', 'b.yaml=b: 1\n']);
    useStore.getState().undo();
    useStore.getState().undo();
    expect(texts()).toEqual(['a.yaml=a: 1\n']);
    expect(useStore.getState().history.past).toHaveLength(0);
  });
});
