import { describe, expect, it } from 'vitest';
import { useStore } from './store.ts';

describe('document history', () => {
  it('records user changes as undo steps, and not changes marked history: false', () => {
    const store = useStore.getState();
    store.loadFiles([{ path: 'a.yaml', text: 'a: 1\n' }], { replace: true });
    const steps = useStore.getState().history.past.length;
    useStore.getState().loadFiles([{ path: 'a.yaml', text: 'a: 2\n' }], { history: false });
    expect(useStore.getState().history.past.length).toBe(steps);
    const id = useStore.getState().documents.files[0]!.id;
    useStore.getState().removeFile(id, { history: false });
    expect(useStore.getState().history.past.length).toBe(steps);
    useStore.getState().loadFiles([{ path: 'b.yaml', text: 'b: 1\n' }]);
    expect(useStore.getState().history.past.length).toBe(steps + 1);
    useStore.getState().undo();
    expect(useStore.getState().documents.files.map((f) => f.path)).toEqual([]);
  });
});

describe('undo history across a reload', () => {
  it('is saved with the workspace and restored, so undo still goes back', async () => {
    const { workspaceSnapshot } = await import('../workspace/workspaceStorage.ts');
    const { readSavedWorkspace } = await import('../workspace/persist.ts');
    const { decodeHistory } = await import('../workspace/savedHistory.ts');
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
