import { beforeEach, describe, expect, it } from 'vitest';
import { nodeId } from '../model/ids.test-helper.ts';
import { useStore } from '../store/index.ts';
import { applySnapshot, emptyPlaceholder } from './liveWorkspace.ts';

const a1 = {
  path: 'c/shop/deployments.yaml',
  text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: a, namespace: shop }\n',
};
const a2 = { ...a1, text: `${a1.text}# changed\n` };
const b = {
  path: 'c/shop/networkpolicies.yaml',
  text: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: p, namespace: shop }\nspec: { podSelector: {} }\n',
};

const initial = useStore.getState();
beforeEach(() => useStore.setState(initial, true));

function paths(): string[] {
  return useStore.getState().documents.files.map((f) => f.path);
}

describe('applySnapshot', () => {
  it('replaces the demo with the first snapshot', () => {
    expect(paths().some((p) => p.startsWith('demo/'))).toBe(true);
    applySnapshot(useStore, [a1, b], undefined, 'c');
    expect(paths()).toEqual([a1.path, b.path]);
    expect(useStore.getState().documents.sampleId).toBeUndefined();
  });

  it('then changes only what changed, keeping file ids and the selection', () => {
    applySnapshot(useStore, [a1, b], undefined, 'c');
    const ids = useStore.getState().documents.files.map((f) => f.id);
    useStore.getState().select({ kind: 'node', id: nodeId('shop/a[Deployment]') });
    applySnapshot(useStore, [a2, b], [a1, b], 'c');
    const files = useStore.getState().documents.files;
    expect(files.map((f) => f.id)).toEqual(ids);
    expect(files[0]!.text).toBe(a2.text);
    expect(useStore.getState().view.selection).toEqual({ kind: 'node', id: 'shop/a[Deployment]' });
    applySnapshot(useStore, [a2], [a2, b], 'c');
    expect(paths()).toEqual([a1.path]);
  });

  it('shows an empty cluster as empty, never as the demo', () => {
    applySnapshot(useStore, [], undefined, 'c');
    expect(paths()).toEqual([emptyPlaceholder('c').path]);
    applySnapshot(useStore, [a1], [], 'c');
    expect(paths()).toEqual([a1.path]);
  });

  it('starts over when the user opened other files meanwhile', () => {
    applySnapshot(useStore, [a1], undefined, 'c');
    useStore.getState().loadSample('demo');
    applySnapshot(useStore, [a2], [a1], 'c');
    expect(paths()).toEqual([a1.path]);
  });
});
