import { describe, expect, it } from 'vitest';
import {
  asNodeId,
  draftRangeId,
  edgeId,
  isNamespaceId,
  namespaceId,
  namespaceOfNode,
  nodeLabel,
  parseEdgeId,
  parseNodeId,
  parsePolicyRef,
  rangeText,
} from './ids.ts';

const WORKLOAD = asNodeId('store/store-api[Deployment]')!;
const RANGE = asNodeId('10.0.0.0-10.255.255.255[External]')!;
const domainId = (pattern: string) => asNodeId(`dns:${pattern}`)!;
const clusterPolicyId = (kind: string, name: string) => `${kind}/${name}`;

describe('node ids', () => {
  it.each([
    [namespaceId('team-a'), { kind: 'namespace', namespace: 'team-a' }],
    [domainId('*.example.com'), { kind: 'domain', pattern: '*.example.com' }],
    [draftRangeId('10.0.0.0/8', []), { kind: 'draft-range', cidr: '10.0.0.0/8', except: [] }],
    [
      draftRangeId('10.0.0.0/8', ['10.1.0.0/16', '10.2.0.0/16']),
      { kind: 'draft-range', cidr: '10.0.0.0/8', except: ['10.1.0.0/16', '10.2.0.0/16'] },
    ],
    [
      'store/store-api[Deployment]',
      { kind: 'workload', namespace: 'store', name: 'store-api', workloadKind: 'Deployment' },
    ],
    ['default/pod-1[Pod]', { kind: 'workload', namespace: 'default', name: 'pod-1', workloadKind: 'Pod' }],
    ['10.0.0.0-10.255.255.255[External]', { kind: 'external', first: 0x0a000000, last: 0x0affffff }],
  ])('%s is built and read back as the same thing', (id, parts) => {
    expect(parseNodeId(id)).toEqual({ ...parts, id });
    expect(asNodeId(id)).toBe(id);
  });

  it.each([
    '',
    'ns:',
    'dns:',
    'range:',
    'range:10.0.0.0/8 except ',
    'store-api',
    'store/store-api',
    '/x[Pod]',
    'store/[Pod]',
    '10.0.0.9-10.0.0.1[External]',
    '10.0.0.0[External]',
    '300.0.0.0-300.0.0.1[External]',
  ])('%j is no node id', (id) => {
    expect(parseNodeId(id)).toBeUndefined();
    expect(asNodeId(id)).toBeUndefined();
  });

  it('gives the namespace a node lies in: a workload, or a namespace node; none for addresses', () => {
    expect(namespaceOfNode(WORKLOAD)).toBe('store');
    expect(namespaceOfNode(namespaceId('store'))).toBe('store');
    expect(namespaceOfNode(RANGE)).toBeUndefined();
    expect(namespaceOfNode(domainId('example.com'))).toBeUndefined();
    expect(namespaceOfNode('garbage')).toBeUndefined();
  });

  it('tells a namespace node by its id alone, as parseNodeId does', () => {
    const ids = [
      namespaceId('team-a'),
      'ns:',
      'ns',
      WORKLOAD,
      'ns:x/y[Deployment]',
      RANGE,
      domainId('ns.example.com'),
      draftRangeId('10.0.0.0/8', []),
    ];
    for (const id of ids) expect(isNamespaceId(id), id).toBe(parseNodeId(id)?.kind === 'namespace');
  });

  it('reads a namespace and a drafted range in a sentence, anything else as itself', () => {
    expect(nodeLabel(namespaceId('store'))).toBe('namespace store');
    expect(nodeLabel(draftRangeId('10.0.0.0/8', ['10.1.0.0/16']))).toBe('10.0.0.0/8 except 10.1.0.0/16');
    expect(nodeLabel(WORKLOAD)).toBe('store/store-api[Deployment]');
    expect(nodeLabel('anything')).toBe('anything');
  });

  it("writes an external range's addresses, one address when it is one", () => {
    expect(rangeText(RANGE)).toBe('10.0.0.0-10.255.255.255');
    expect(rangeText('192.168.1.4-192.168.1.4[External]')).toBe('192.168.1.4');
    expect(rangeText(WORKLOAD)).toBeUndefined();
  });
});

describe('edge ids', () => {
  it('round-trips an edge between any two kinds of node, and an Admin denial', () => {
    for (const [source, target] of [
      [WORKLOAD, RANGE],
      [namespaceId('a'), namespaceId('b')],
      [draftRangeId('10.0.0.0/8', ['10.1.0.0/16']), domainId('*.example.com')],
    ] as const) {
      expect(parseEdgeId(edgeId(source, target))).toEqual({ source, target, denied: false });
      expect(parseEdgeId(edgeId(source, target, true))).toEqual({ source, target, denied: true });
    }
    expect(edgeId(WORKLOAD, RANGE)).toBe('store/store-api[Deployment]->10.0.0.0-10.255.255.255[External]');
    expect(edgeId(WORKLOAD, RANGE, true)).toBe(`denied:${edgeId(WORKLOAD, RANGE)}`);
  });

  it.each(['', 'a->b', 'store/store-api[Deployment]', `ns:a->`, `->ns:b`, 'denied:ns:a'])(
    '%j is no edge id',
    (id) => {
      expect(parseEdgeId(id)).toBeUndefined();
    },
  );
});

describe('policy ids', () => {
  it('tells a NetworkPolicy from a cluster policy', () => {
    expect(parsePolicyRef('default/deny-all')).toEqual({
      scope: 'namespace',
      id: 'default/deny-all',
      namespace: 'default',
      name: 'deny-all',
    });
    const cluster = clusterPolicyId('ClusterNetworkPolicy', 'pass-dns');
    expect(parsePolicyRef(cluster)).toEqual({
      scope: 'cluster',
      id: cluster,
      kind: 'ClusterNetworkPolicy',
      name: 'pass-dns',
    });
    expect(parsePolicyRef(clusterPolicyId('BaselineAdminNetworkPolicy', 'default'))?.scope).toBe('cluster');
  });

  it.each(['', 'deny-all', 'default/', '/deny-all', 'a/b/c', 'store/store-api[Deployment]'])(
    '%j is no policy id',
    (id) => {
      expect(parsePolicyRef(id)).toBeUndefined();
    },
  );
});
