import { describe, expect, it } from 'vitest';
import { shallow } from 'zustand/shallow';
import { countEdgeReads } from '../model/edgeTable.test-helper.ts';
import { nodeId } from '../model/ids.test-helper.ts';
import type { GraphModel } from '../model/index.ts';
import { draftRangeId, edgeId, hydrateModel } from '../model/index.ts';
import { workloadNode } from '../model/nodes.test-helper.ts';
import type { Derived } from './derived.ts';
import { NONE } from './derived.ts';
import {
  selectAnalysisSummary,
  selectEdge,
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

describe('selectEdge', () => {
  const web = nodeId('shop/web[Deployment]');
  const api = nodeId('shop/api[Deployment]');
  const model = () =>
    hydrateModel({
      nodes: [workloadNode(web), workloadNode(api)],
      namespaces: [],
      policies: [],
      revision: 1,
      table: {
        source: Int32Array.of(0, 1),
        target: Int32Array.of(1, 1),
        kind: Int32Array.of(0, 0),
        kinds: [{ label: 'TCP 80', all: false, ports: { TCP: [80, 80], UDP: [], SCTP: [] } }],
        tiers: undefined,
      },
    });

  it('finds the selected connection without building every edge, the same object on each change', () => {
    const m = model();
    const reads = countEdgeReads(m);
    const select = selectEdge(edgeId(web, api));
    const edge = select(derived({ model: m }));
    expect(edge).toMatchObject({ id: edgeId(web, api), source: web, target: api, label: 'TCP 80' });
    // A store change that keeps the model (new problems) must give the very same object back,
    // or a component reading it would re-render forever.
    expect(select(derived({ model: m, ms: 9 }))).toBe(edge);
    expect(reads()).toBe(0);
  });

  it('finds nothing without a model, or for an edge the model has not', () => {
    expect(selectEdge(edgeId(web, api))(derived({}))).toBeUndefined();
    expect(selectEdge(edgeId(api, web))(derived({ model: model() }))).toBeUndefined();
    expect(selectEdge('ns:shop->ns:shop')(derived({ model: model() }))).toBeUndefined();
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
