import { describe, expect, it } from 'vitest';
import { nodeId } from '../model/ids.test-helper.ts';
import { type DraftRangeId, draftRangeId, edgeId } from '../model/index.ts';
import { useStore } from './store.ts';

const B = nodeId('a/b[Pod]');
const C = nodeId('a/c[Pod]');

describe('select', () => {
  it('shows Details when a connection is selected, so its explanation is not hidden behind the YAML', () => {
    useStore.getState().showPanel('editor');
    useStore.getState().select({ kind: 'node', id: B });
    expect(useStore.getState().view.panel).toBe('editor');
    useStore.getState().select({ kind: 'edge', id: edgeId(B, C), source: B, target: C });
    expect(useStore.getState().view.panel).toBe('details');
    useStore.getState().showPanel('findings');
    useStore.getState().select(undefined);
    expect(useStore.getState().view.panel).toBe('findings');
  });

  it('keeps the typed selection it is given, and clears it on undefined', () => {
    useStore.getState().select({ kind: 'node', id: B });
    expect(useStore.getState().view.selection).toEqual({ kind: 'node', id: 'a/b[Pod]' });
    useStore.getState().select(undefined);
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
