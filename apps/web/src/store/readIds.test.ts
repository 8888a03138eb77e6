import { describe, expect, it } from 'vitest';
import { asNodeId, edgeId, namespaceId } from '../model/index.ts';
import { connectDialog, edgeSelection, nodeSelection, policySelection } from './readIds.ts';

const API = asNodeId('store/store-api[Deployment]')!;
const DB = asNodeId('store/db[StatefulSet]')!;

describe('reading a selection from ids as drawn', () => {
  it('keeps a selection whose ids are ids of their kind', () => {
    expect(nodeSelection(API)).toEqual({ kind: 'node', id: API });
    expect(nodeSelection('ns:store')).toEqual({ kind: 'node', id: namespaceId('store') });
    expect(policySelection('store/deny-all')).toEqual({ kind: 'policy', id: 'store/deny-all' });
    expect(edgeSelection({ id: edgeId(API, DB), source: API, target: DB })).toEqual({
      kind: 'edge',
      id: edgeId(API, DB),
      source: API,
      target: DB,
    });
  });

  it("keeps an Admin denial's edge id, and rebuilds an edge id that does not join its ends", () => {
    const denied = edgeId(API, DB, true);
    expect(edgeSelection({ id: denied, source: API, target: DB })?.id).toBe(denied);
    expect(edgeSelection({ id: 'something-else', source: API, target: DB })?.id).toBe(edgeId(API, DB));
    expect(edgeSelection({ id: edgeId(DB, API, true), source: API, target: DB })?.id).toBe(edgeId(API, DB));
  });

  it('selects nothing for an id that is not one of its kind', () => {
    expect(nodeSelection('store-api')).toBeUndefined();
    expect(edgeSelection({ id: 'a->b', source: 'a', target: 'b' })).toBeUndefined();
    expect(edgeSelection({ id: 'x', source: API, target: 'b' })).toBeUndefined();
    expect(policySelection('deny-all')).toBeUndefined();
  });
});

describe('connectDialog', () => {
  it('reads the ends of a drawn connection as node ids, leaving an end that is none to pick', () => {
    expect(connectDialog(API, 'ns:store')).toEqual({ kind: 'connect', src: API, dst: namespaceId('store') });
    expect(connectDialog('nonsense', DB)).toEqual({ kind: 'connect', src: undefined, dst: DB });
  });
});
