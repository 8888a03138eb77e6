import { describe, expect, it } from 'vitest';
import { COALESCE_MS } from './history.ts';
import { createAppStore, useStore } from './store.ts';

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

describe('typing coalesces into one undo step', () => {
  /** A store on a clock the test moves by hand. */
  function storeAt(start: number) {
    let now = start;
    const store = createAppStore({ now: () => now });
    store.getState().loadFiles([{ path: 'a.yaml', text: 'a: 0\n' }], { replace: true });
    const id = store.getState().documents.files[0]!.id;
    return {
      store,
      id,
      type: (text: string, afterMs: number) => {
        now += afterMs;
        store.getState().editFile(id, text);
      },
      steps: () => store.getState().history.past.length,
    };
  }

  it('joins edits to one file typed within COALESCE_MS of each other', () => {
    const { type, steps, store } = storeAt(1_000_000);
    const before = steps();
    type('a: 1\n', 10);
    type('a: 12\n', COALESCE_MS - 1);
    type('a: 123\n', COALESCE_MS - 1);
    expect(steps()).toBe(before + 1);
    store.getState().undo();
    expect(store.getState().documents.files[0]!.text).toBe('a: 0\n');
  });

  it('starts a new step after a pause of COALESCE_MS or more', () => {
    const { type, steps } = storeAt(0);
    const before = steps();
    type('a: 1\n', 10);
    type('a: 2\n', COALESCE_MS);
    expect(steps()).toBe(before + 2);
  });

  it('starts a new step for another file, after an undo, and after a change that is not typing', () => {
    const { store, type, steps, id } = storeAt(0);
    store.getState().loadFiles([{ path: 'b.yaml', text: 'b: 0\n' }]);
    const other = store.getState().documents.files.find((f) => f.id !== id)!.id;
    const before = steps();
    type('a: 1\n', 1);
    store.getState().editFile(other, 'b: 1\n');
    expect(steps()).toBe(before + 2);

    store.getState().undo();
    type('a: 2\n', 1);
    expect(steps()).toBe(before + 2);

    store.getState().applyEdits([{ path: 'a.yaml', before: 'a: 2\n', after: 'a: 3\n', changes: [] }]);
    type('a: 4\n', 1);
    expect(steps()).toBe(before + 4);
  });

  it('keeps each store on its own clock and ids: nothing is shared between stores', () => {
    const first = storeAt(0);
    const second = storeAt(0);
    expect(first.id).toBe(second.id);
    first.type('a: 1\n', 1);
    second.type('a: 1\n', 1);
    expect(second.steps()).toBe(first.steps());
  });
});
