import { describe, expect, it } from 'vitest';
import { useStore } from './store.ts';

describe('select', () => {
  it('shows Details when a connection is selected, so its explanation is not hidden behind the YAML', () => {
    useStore.getState().showPanel('editor');
    useStore.getState().select({ kind: 'node', id: 'a/b[Pod]' });
    expect(useStore.getState().view.panel).toBe('editor');
    useStore.getState().select({ kind: 'edge', id: 'a->b', source: 'a', target: 'b' });
    expect(useStore.getState().view.panel).toBe('details');
    useStore.getState().showPanel('findings');
    useStore.getState().select(undefined);
    expect(useStore.getState().view.panel).toBe('findings');
  });
});
