import { describe, expect, it } from 'vitest';
import { nodeId } from '../model/ids.test-helper.ts';
import { externalNode } from '../model/index.ts';
import { workloadNode as workload } from '../model/nodes.test-helper.ts';
import { drawnAs, drawnPlaces } from './drawnPeers.ts';
import type { GroupedGraph } from './groupGraph.ts';

const API = 'shop/api[Deployment]';
const DB = 'shop/db[StatefulSet]';
const FRONTEND = 'web/frontend[Deployment]';
const LOW = '0.0.0.0-9.255.255.255[External]';
const TEN = '10.0.0.0-10.255.255.255[External]';
const HIGH = '11.0.0.0-255.255.255.255[External]';

/** `shop` expanded with api (db filtered out), `web` collapsed, three address ranges. */
const graph: GroupedGraph = {
  groups: [
    { id: 'ns:shop', namespace: 'shop', collapsed: false, size: 2, unprotected: 0 },
    { id: 'ns:web', namespace: 'web', collapsed: true, size: 1, unprotected: 0 },
  ],
  nodes: [
    workload(API),
    ...[LOW, TEN, HIGH].map((id) => ({ ...externalNode(nodeId(id), id), parent: undefined })),
  ],
  edges: [],
};

describe('drawnPlaces', () => {
  const place = drawnPlaces(graph);

  it.each([
    { name: 'a drawn workload: its own node', peer: API, want: [API] },
    { name: 'a workload of a collapsed namespace: the namespace', peer: FRONTEND, want: ['ns:web'] },
    { name: 'a workload filtered out of an expanded namespace: nowhere', peer: DB, want: [] },
    { name: 'a workload of a namespace not drawn: nowhere', peer: 'bank/ledger[Deployment]', want: [] },
    { name: 'a drawn range: its own node', peer: TEN, want: [TEN] },
    { name: 'a range inside a drawn one: that one', peer: '10.1.0.0-10.1.255.255[External]', want: [TEN] },
    {
      name: 'a range across drawn ones: every one it overlaps',
      peer: '9.0.0.0-10.0.0.0[External]',
      want: [LOW, TEN],
    },
    {
      name: 'the whole address space: every drawn range',
      peer: '0.0.0.0-255.255.255.255[External]',
      want: [LOW, TEN, HIGH],
    },
    { name: 'no peer id: nowhere', peer: 'nonsense', want: [] },
  ])('$name', ({ peer, want }) => {
    expect(place(peer)).toEqual(want);
  });
});

describe('drawnAs', () => {
  it.each([
    { drawn: API, peer: API, want: true },
    { drawn: API, peer: DB, want: false },
    { drawn: 'ns:shop', peer: DB, want: true },
    { drawn: 'ns:web', peer: DB, want: false },
    { drawn: 'ns:shop', peer: TEN, want: false },
    { drawn: TEN, peer: '10.2.0.0-10.2.0.255[External]', want: true },
    { drawn: TEN, peer: '11.0.0.0-11.0.0.255[External]', want: false },
    { drawn: TEN, peer: API, want: false },
  ])('$drawn stands for $peer: $want', ({ drawn, peer, want }) => {
    expect(drawnAs(drawn, peer)).toBe(want);
  });
});
