import { describe, expect, it } from 'vitest';
import { WorkloadMatcher } from './match.ts';
import { shopWorkspace } from './testing/fixtures.ts';
import type { FlowEndpoint } from './types.ts';

const matcher = new WorkloadMatcher(shopWorkspace().cluster().cluster);

function matched(endpoint: FlowEndpoint): string {
  const m = matcher.match(endpoint);
  if (m.kind === 'workload') return `${m.workload.id} by ${m.by}`;
  if (m.kind === 'external')
    return `external ${m.address >>> 24}.${(m.address >>> 16) & 255}.${(m.address >>> 8) & 255}.${m.address & 255}`;
  return `unmatched: ${m.reason}`;
}

describe('WorkloadMatcher', () => {
  it.each<[string, FlowEndpoint, string]>([
    ['a pod by name', { namespace: 'shop', name: 'api-0' }, 'shop/api-0[Pod] by name'],
    [
      'a generated pod name by its owner',
      { namespace: 'web', name: 'frontend-5d8f7-abcde' },
      'web/frontend[Deployment] by name',
    ],
    [
      "Calico's aggregated name",
      { namespace: 'web', name: 'frontend-5d8f7-*' },
      'web/frontend[Deployment] by name',
    ],
    ['an aggregated name of a bare pod', { namespace: 'shop', name: 'api-*' }, 'shop/api-0[Pod] by name'],
    ['a StatefulSet pod', { namespace: 'shop', name: 'db-0' }, 'shop/db[StatefulSet] by name'],
    ['a workload id', { workloadId: 'shop/db[StatefulSet]' }, 'shop/db[StatefulSet] by id'],
    [
      'labels, extra labels allowed',
      { namespace: 'web', labels: { app: 'frontend', tier: 'ui', 'pod-template-hash': 'x' } },
      'web/frontend[Deployment] by labels',
    ],
    ['a pod IP from status', { ip: '10.1.0.5' }, 'shop/api-0[Pod] by ip'],
    ['an unknown IP, outside the cluster', { ip: '203.0.113.9' }, 'external 203.0.113.9'],
    [
      'an unknown pod',
      { namespace: 'shop', name: 'cache-1', ip: '10.1.0.77' },
      'unmatched: unknown-workload',
    ],
    ['a node', { ip: '192.168.1.10', entity: 'host' }, 'unmatched: host'],
    ['the world without an address', { entity: 'world' }, 'unmatched: no-address'],
    ['an IPv6 address', { ip: 'fd00::1' }, 'unmatched: unsupported-address'],
    ['labels of no workload', { namespace: 'web', labels: { app: 'other' } }, 'unmatched: unknown-workload'],
  ])('matches %s', (_name, endpoint, expected) => {
    expect(matched(endpoint)).toBe(expected);
    // The memo answers the same the second time.
    expect(matched(endpoint)).toBe(expected);
  });

  it('prefers the name over labels and IP, and the most specific labels', () => {
    expect(matched({ namespace: 'shop', name: 'api-0', labels: { app: 'db' }, ip: '10.9.9.9' })).toBe(
      'shop/api-0[Pod] by name',
    );
    const ws = shopWorkspace(`
apiVersion: v1
kind: Pod
metadata: { name: a, namespace: ns1, labels: { app: x } }
spec: { containers: [{ name: c, image: i }] }
---
apiVersion: v1
kind: Pod
metadata: { name: b, namespace: ns1, labels: { app: x, role: api } }
spec: { containers: [{ name: c, image: i }] }
---
apiVersion: v1
kind: Pod
metadata: { name: c, namespace: ns1, labels: { team: z } }
spec: { containers: [{ name: c, image: i }] }
`);
    const m = new WorkloadMatcher(ws.cluster().cluster);
    expect(m.match({ namespace: 'ns1', labels: { app: 'x', role: 'api' } })).toMatchObject({
      kind: 'workload',
      workload: { name: 'b' },
    });
    expect(m.match({ namespace: 'ns1', labels: { app: 'x', team: 'z' } })).toEqual({
      kind: 'unmatched',
      reason: 'ambiguous',
    });
  });
});
