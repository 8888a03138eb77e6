import { describe, expect, it } from 'vitest';
import { asNodeId, edgeId, namespaceId } from '../model/index.ts';
import { readDialog, readSelection } from './readIds.ts';

const API = asNodeId('store/store-api[Deployment]')!;
const DB = asNodeId('store/db[StatefulSet]')!;

describe('readSelection', () => {
  it('keeps a selection whose ids are ids of their kind', () => {
    expect(readSelection({ kind: 'node', id: API })).toEqual({ kind: 'node', id: API });
    expect(readSelection({ kind: 'node', id: 'ns:store' })).toEqual({
      kind: 'node',
      id: namespaceId('store'),
    });
    expect(readSelection({ kind: 'policy', id: 'store/deny-all' })).toEqual({
      kind: 'policy',
      id: 'store/deny-all',
    });
    expect(readSelection({ kind: 'edge', id: edgeId(API, DB), source: API, target: DB })).toEqual({
      kind: 'edge',
      id: edgeId(API, DB),
      source: API,
      target: DB,
    });
    expect(readSelection(undefined)).toBeUndefined();
  });

  it("keeps an Admin denial's edge id, and rebuilds an edge id that does not join its ends", () => {
    const denied = edgeId(API, DB, true);
    expect(readSelection({ kind: 'edge', id: denied, source: API, target: DB })?.id).toBe(denied);
    expect(readSelection({ kind: 'edge', id: 'something-else', source: API, target: DB })?.id).toBe(
      edgeId(API, DB),
    );
    expect(readSelection({ kind: 'edge', id: edgeId(DB, API, true), source: API, target: DB })?.id).toBe(
      edgeId(API, DB),
    );
  });

  it('selects nothing for an id that is not one of its kind', () => {
    expect(readSelection({ kind: 'node', id: 'store-api' })).toBeUndefined();
    expect(readSelection({ kind: 'edge', id: 'a->b', source: 'a', target: 'b' })).toBeUndefined();
    expect(readSelection({ kind: 'edge', id: 'x', source: API, target: 'b' })).toBeUndefined();
    expect(readSelection({ kind: 'policy', id: 'deny-all' })).toBeUndefined();
  });
});

describe('readDialog', () => {
  it('reads the ends of a connection as node ids, and opens nothing when they are not', () => {
    expect(readDialog({ kind: 'remove', src: API, dst: 'ns:store' })).toEqual({
      kind: 'remove',
      src: API,
      dst: namespaceId('store'),
    });
    expect(readDialog({ kind: 'cluster-deny', src: API, dst: 'nonsense' })).toBeUndefined();
    expect(readDialog({ kind: 'connect', src: 'nonsense', dst: DB })).toEqual({
      kind: 'connect',
      src: undefined,
      dst: DB,
    });
    expect(readDialog({ kind: 'export' })).toEqual({ kind: 'export' });
  });
});
