// Findings that say the same thing in many places come as one group, and the group keeps every
// instance: a namespace's open workloads, one pod label set trusted by many rules, identical rules.

import { describe, expect, it } from 'vitest';
import { findingInstances, reviewFiles } from './testing.ts';
import type { Finding } from './types.ts';

function deployment(ns: string, app: string) {
  return `---
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${app}, namespace: ${ns} }
spec:
  selector: { matchLabels: { app: ${app} } }
  template:
    metadata: { labels: { app: ${app} } }
    spec:
      containers: [{ name: main, image: example/${app}, ports: [{ containerPort: 8080 }] }]
`;
}

function policy(ns: string, name: string, spec: string) {
  return `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: ${name}, namespace: ${ns} }
spec:
${spec}`;
}

const fromApp = (target: string, source: string) =>
  `  podSelector: { matchLabels: { app: ${target} } }\n  policyTypes: [Ingress, Egress]\n  ingress:\n    - from: [{ podSelector: { matchLabels: { app: ${source} } } }]\n      ports: [{ port: 8080 }]\n  egress: [{}]\n`;

const TEXT = [
  ...['a', 'b', 'c'].map((app) => deployment('open', app)),
  ...['web', 'api', 'db', 'cache', 'jobs'].map((app) => deployment('shop', app)),
  policy('shop', 'api', fromApp('api', 'web')),
  policy('shop', 'db', fromApp('db', 'web')),
  policy('shop', 'cache', fromApp('cache', 'api')),
].join('');

const review = (text: string): Finding[] => reviewFiles([{ path: 'x.yaml', text }]).findings;

describe('grouping', () => {
  const list = review(TEXT);
  const instances = findingInstances(list);

  it('reports a namespace without policies once: "N workloads open", each workload and direction inside', () => {
    const group = list.find((f) => f.id.endsWith('namespace-open:open'))!;
    expect(group.title).toBe('Namespace open has no NetworkPolicy: 3 workloads open to ingress and egress');
    expect(group.severity).toBe('high');
    expect(group.instances!.map((i) => i.rule).sort()).toEqual([
      'missing-default-deny-egress',
      'missing-default-deny-ingress',
      'open-egress',
      'open-egress',
      'open-egress',
      'open-ingress',
      'open-ingress',
      'open-ingress',
    ]);
    expect(list.filter((f) => f.namespaces.includes('open'))).toHaveLength(1);
  });

  it('groups pod-label spoofing by namespace and label set', () => {
    const spoofs = list.filter((f) => f.rule === 'pod-label-spoofable');
    expect(spoofs.map((f) => [f.title, f.instances?.length ?? 1])).toEqual([
      ['2 rules admit any pod of shop that carries app=web', 2],
      ['shop/cache ingress[0].from[0] admits any pod of shop that carries app=api', 1],
    ]);
  });

  it('reports identical rules without peers as one', () => {
    const anyPeer = list.filter((f) => f.rule === 'allow-any-peer');
    expect(anyPeer).toHaveLength(1);
    expect(anyPeer[0]!.title).toBe('3 rules have no `to`: they admit every destination, on every port');
    expect(anyPeer[0]!.instances!.map((i) => i.subjects[0])).toEqual(['shop/api', 'shop/db', 'shop/cache']);
  });

  it('keeps every instance, each with its own id and place, and orders groups most severe first', () => {
    const ids = [...list.filter((f) => f.instances).map((f) => f.id), ...instances.map((f) => f.id)];
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(instances.length).toBeGreaterThan(list.length);
    for (const i of instances.filter((f) => f.rule !== 'node-traffic')) {
      expect(i.locations.length, i.id).toBeGreaterThan(0);
    }
    const order = ['critical', 'high', 'medium', 'low', 'info'];
    const ranks = list.map((f) => order.indexOf(f.severity));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    for (const f of list) {
      if (f.instances) expect(f.severity).toBe(f.instances[0]!.severity);
    }
  });

  it('does not group findings that differ: another namespace, another label set, a single one', () => {
    const single = review(deployment('solo', 'x') + policy('solo', 'x', fromApp('x', 'y')));
    expect(single.every((f) => f.instances === undefined || f.instances.length > 1)).toBe(true);
    expect(single.find((f) => f.rule === 'allow-any-peer')?.instances).toBeUndefined();
  });
});
