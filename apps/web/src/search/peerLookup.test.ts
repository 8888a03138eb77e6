import { describe, expect, it } from 'vitest';
import { nodeId } from '../model/ids.test-helper.ts';
import { externalNode, type GraphNode } from '../model/index.ts';
import { graphNode } from '../model/nodes.test-helper.ts';
import { rankPeers, resolvePeer } from './peerLookup.ts';

function workload(namespace: string, name: string, kind = 'Deployment'): GraphNode {
  return graphNode(`${namespace}/${name}[${kind}]`, { label: name });
}

const nodes: GraphNode[] = [
  workload('team005', 'api-11'),
  workload('team005', 'api-1'),
  workload('team005', 'web-api-1'),
  workload('team006', 'api-1'),
  workload('frontend', 'frontend'),
  workload('store', 'cache', 'Deployment'),
  workload('store', 'cache', 'StatefulSet'),
  externalNode(nodeId('10.0.0.0-10.0.255.255[External]'), '10.0.0.0/16'),
  externalNode(nodeId('10.1.0.0-10.1.0.255[External]'), '10.1.0.0/24'),
];
const ids = (list: GraphNode[]) => list.map((n) => n.id);

describe('rankPeers', () => {
  it('ranks exact matches first, then prefixes, then substrings', () => {
    expect(ids(rankPeers(nodes, 'team005/api-1'))).toEqual([
      'team005/api-1[Deployment]',
      'team005/api-11[Deployment]',
    ]);
    expect(ids(rankPeers(nodes, 'api-1'))).toEqual([
      // exact by name
      'team005/api-1[Deployment]',
      'team006/api-1[Deployment]',
      // the name starts with it
      'team005/api-11[Deployment]',
      // only contains it
      'team005/web-api-1[Deployment]',
    ]);
    expect(ids(rankPeers(nodes, 'FRONT'))).toEqual(['frontend/frontend[Deployment]']);
    expect(rankPeers(nodes, '  ')).toEqual([]);
    expect(rankPeers(nodes, 'api', 2)).toHaveLength(2);
  });
});

describe('resolvePeer', () => {
  it.each([
    ['frontend/frontend[Deployment]', 'frontend/frontend[Deployment]'],
    ['frontend/frontend[deployment]', 'frontend/frontend[Deployment]'],
    ['frontend/frontend', 'frontend/frontend[Deployment]'],
    [' frontend ', 'frontend/frontend[Deployment]'],
    ['team005/api-1', 'team005/api-1[Deployment]'],
    ['store/cache[StatefulSet]', 'store/cache[StatefulSet]'],
    ['10.0.3.4', '10.0.0.0-10.0.255.255[External]'],
    ['10.0.128.0/17', '10.0.0.0-10.0.255.255[External]'],
    ['10.1.0.0/24', '10.1.0.0-10.1.0.255[External]'],
    ['192.168.1.7', '192.168.1.7'],
  ])('reads %j as %s', (text, id) => {
    expect(resolvePeer(nodes, text)).toMatchObject({ ok: true, id });
  });

  it('lists the candidates of ambiguous text', () => {
    expect(resolvePeer(nodes, 'api-1')).toEqual({
      ok: false,
      code: 'ambiguous',
      message: '2 workloads match "api-1": pick one',
      candidates: ['team005/api-1[Deployment]', 'team006/api-1[Deployment]'],
    });
    expect(resolvePeer(nodes, 'store/cache')).toMatchObject({
      code: 'ambiguous',
      candidates: ['store/cache[Deployment]', 'store/cache[StatefulSet]'],
    });
    expect(resolvePeer(nodes, '10.0.0.0/15')).toMatchObject({
      code: 'ambiguous',
      candidates: ['10.0.0.0-10.0.255.255[External]', '10.1.0.0-10.1.0.255[External]'],
    });
  });

  it('says what is unknown or malformed, with the closest peers', () => {
    // A typo: nothing contains the text, so the peers within a typo or two are suggested.
    expect(resolvePeer(nodes, 'frontend/frontnd')).toEqual({
      ok: false,
      code: 'unknown',
      message: 'No workload or address matches "frontend/frontnd".',
      candidates: ['frontend/frontend[Deployment]'],
    });
    expect(resolvePeer(nodes, 'zzzzzz')).toMatchObject({ code: 'unknown', candidates: [] });
    expect(resolvePeer(nodes, 'team005/api')).toMatchObject({
      code: 'unknown',
      candidates: ['team005/api-1[Deployment]', 'team005/api-11[Deployment]'],
    });
    expect(resolvePeer(nodes, '10.0.0.300')).toMatchObject({ code: 'invalid-address' });
    expect(resolvePeer(nodes, '10.0.0.0/33')).toMatchObject({ code: 'invalid-address' });
    expect(resolvePeer(nodes, '')).toMatchObject({ code: 'empty' });
  });

  it('explains a CIDR no connection involves by its first address, and says so', () => {
    const r = resolvePeer(nodes, '172.16.5.0/24');
    expect(r).toMatchObject({ ok: true, id: '172.16.5.0' });
    expect(r.ok && r.note).toContain('first address');
  });
});
