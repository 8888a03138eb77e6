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
