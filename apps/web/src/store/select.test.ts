import { describe, expect, it } from 'vitest';
import { type DraftRangeId, draftRangeId } from '../model/index.ts';
import { useStore } from './store.ts';

describe('select', () => {
  it('shows Details when a connection is selected, so its explanation is not hidden behind the YAML', () => {
    useStore.getState().showPanel('editor');
    useStore.getState().select({ kind: 'node', id: 'a/b[Pod]' });
    expect(useStore.getState().view.panel).toBe('editor');
    useStore
      .getState()
      .select({ kind: 'edge', id: 'a/b[Pod]->a/c[Pod]', source: 'a/b[Pod]', target: 'a/c[Pod]' });
    expect(useStore.getState().view.panel).toBe('details');
    useStore.getState().showPanel('findings');
    useStore.getState().select(undefined);
    expect(useStore.getState().view.panel).toBe('findings');
  });

  it('keeps typed ids only: an id that is no id of its kind selects nothing', () => {
    useStore.getState().select({ kind: 'node', id: 'a/b[Pod]' });
    expect(useStore.getState().view.selection).toEqual({ kind: 'node', id: 'a/b[Pod]' });
    useStore.getState().select({ kind: 'node', id: 'not an id' });
    expect(useStore.getState().view.selection).toBeUndefined();
  });
});

describe('restoreWorkspace', () => {
  it('rebuilds the id of a drafted range from the range: a stored id is only text', () => {
    useStore.getState().restoreWorkspace({
      files: [],
      baseline: [],
      ranges: [{ id: 'stale' as DraftRangeId, cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] }],
    });
    expect(useStore.getState().authoring.ranges.map((r) => r.id)).toEqual([
      draftRangeId('10.0.0.0/8', ['10.1.0.0/16']),
    ]);
  });
});
