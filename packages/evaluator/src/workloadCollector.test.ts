// Workloads collected in the build's one pass over the objects: pods are grouped by their direct
// owner as they come, and groups whose owner turns out to be owned (known only once every object
// has been read) are folded into their top owner's workload.

import { parseManifests } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import { buildCluster } from './index.ts';

const pod = (name: string, rs: string, hash: string, ip: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: shop
  labels: { app: web, pod-template-hash: ${hash} }
  ownerReferences: [{ apiVersion: apps/v1, kind: ReplicaSet, name: ${rs}, uid: ${rs}, controller: true }]
spec: { containers: [{ name: c }] }
status: { phase: Running, podIP: ${ip} }
`;

const replicaSet = (name: string, hash: string) => `apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: ${name}
  namespace: shop
  ownerReferences: [{ apiVersion: apps/v1, kind: Deployment, name: web, uid: d1, controller: true }]
spec:
  template: { metadata: { labels: { app: web, pod-template-hash: ${hash} } }, spec: { containers: [{ name: c }] } }
`;

// A rollout caught midway, listed in an order where every pod comes before the ReplicaSet that
// says which Deployment owns it: the pods of both ReplicaSets are one workload all the same.
const rollout = [
  pod('web-old-1', 'web-old', 'old', '10.0.0.3'),
  pod('web-new-1', 'web-new', 'new', '10.0.0.1'),
  pod('web-old-2', 'web-old', 'old', '10.0.0.2'),
  replicaSet('web-new', 'new'),
  replicaSet('web-old', 'old'),
  `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: new-only, namespace: shop }
spec:
  podSelector: { matchLabels: { pod-template-hash: new } }
  ingress: [{}]
`,
].join('---\n');

describe('workloads folded into their top owner', () => {
  it('merges the groups of every ReplicaSet of a Deployment, pods in input order', () => {
    const { objects } = parseManifests([{ path: 'rollout.yaml', text: rollout }]);
    const cluster = buildCluster(objects);
    expect(cluster.workloads.map((w) => w.id)).toEqual(['shop/web[Deployment]']);
    const web = cluster.workloads[0]!;
    expect(web.name).toBe('web');
    expect(web.kind).toBe('Deployment');
    expect(web.pods.map((p) => p.name)).toEqual([
      'web-old-1',
      'web-new-1',
      'web-old-2',
      'web-new',
      'web-old',
    ]);
    // The earliest object made the workload: its labels stand for it.
    expect(web.labels['pod-template-hash']).toBe('old');
    expect(web.ipv4).toEqual([0x0a000003, 0x0a000001, 0x0a000002]);
  });

  it('reports the pods of the merged workload that a selector tells apart', () => {
    // Each ReplicaSet's pods agree with each other: only the merged workload's pods differ.
    const { objects } = parseManifests([{ path: 'rollout.yaml', text: rollout }]);
    const gaps = buildCluster(objects).diagnostics.filter((d) => d.code === 'pod-owner-label-gap');
    expect(gaps.map((d) => d.object)).toEqual(['shop/web']);
  });

  it('keeps one workload per ReplicaSet in compat mode, with no gap inside either', () => {
    const { objects } = parseManifests([{ path: 'rollout.yaml', text: rollout }]);
    const cluster = buildCluster(objects, { compat: 'netpol-analyzer' });
    expect(cluster.workloads.map((w) => `${w.id} ${w.pods.map((p) => p.name).join(',')}`)).toEqual([
      'shop/web-new[ReplicaSet] web-new-1,web-new',
      'shop/web-old[ReplicaSet] web-old-1,web-old-2,web-old',
    ]);
    expect(cluster.diagnostics.filter((d) => d.code === 'pod-owner-label-gap')).toEqual([]);
  });
});
