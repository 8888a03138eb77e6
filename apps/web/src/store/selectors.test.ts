import { describe, expect, it } from 'vitest';
import { shallow } from 'zustand/shallow';
import type { GraphModel } from '../model/index.ts';
import { draftRangeId } from '../model/index.ts';
import type { Derived } from './derived.ts';
import { NONE } from './derived.ts';
import {
  selectAnalysisSummary,
  selectHistoryActions,
  selectMarkers,
  selectNodes,
  selectRange,
} from './selectors.ts';
import { createAppStore } from './store.ts';

const derived = (analysis: Partial<Derived['analysis']>): Derived => ({
  analysis: {
    status: 'ready',
    files: undefined,
    model: undefined,
    problems: [],
    ms: 0,
    error: undefined,
    ...analysis,
  },
  layout: { key: '', positions: undefined, status: 'ready' },
});

describe('selectors', () => {
  it('fall back to one frozen empty list, so a missing model does not re-render forever', () => {
    expect(selectNodes(derived({}))).toBe(NONE);
    expect(selectNodes(derived({}))).toBe(selectNodes(derived({})));
  });

  it('build objects that compare shallowly equal while their fields are the same', () => {
    const model = { nodes: [] } as unknown as GraphModel;
    const before = derived({ model, problems: [] });
    // New problems (and a new analysis object) leave the status bar's fields as they were.
    const after = derived({
      model,
      problems: [{ message: 'x' }] as unknown as Derived['analysis']['problems'],
    });
    expect(shallow(selectAnalysisSummary(before), selectAnalysisSummary(after))).toBe(true);
    expect(shallow(selectMarkers(before), selectMarkers(after))).toBe(false);
    expect(shallow(selectAnalysisSummary(before), selectAnalysisSummary(derived({ model, ms: 3 })))).toBe(
      false,
    );
  });

  it('pick actions that stay the same function across state changes', () => {
    const store = createAppStore();
    const first = selectHistoryActions(store.getState());
    store.getState().setSearch('web');
    expect(shallow(first, selectHistoryActions(store.getState()))).toBe(true);
  });

  it('find one drafted range by id', () => {
    const store = createAppStore();
    const range = { id: draftRangeId('10.0.0.0/8', []), cidr: '10.0.0.0/8', except: [] };
    store.getState().addRange(range);
    expect(selectRange('range:10.0.0.0/8')(store.getState())).toEqual(range);
    expect(selectRange('range:10.0.0.0/9')(store.getState())).toBeUndefined();
  });
});

describe('reveal', () => {
  it('is done once the editor has shown it, so a remounted editor does not jump back', () => {
    const store = createAppStore();
    const place = { file: 'a.yaml', line: 3, column: 1, endLine: 3, endColumn: 9 };
    store.getState().reveal(place);
    const first = store.getState().view.reveal!;
    store.getState().reveal(place);
    const second = store.getState().view.reveal!;
    expect(second.nonce).not.toBe(first.nonce);
    // An older reveal finishing late leaves the newer one pending.
    store.getState().revealed(first.nonce);
    expect(store.getState().view.reveal).toBe(second);
    store.getState().revealed(second.nonce);
    expect(store.getState().view.reveal).toBeUndefined();
  });
});
