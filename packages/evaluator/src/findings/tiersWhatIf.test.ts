// What-if and exposure answers that a cluster-wide policy changes: the same workloads and
// NetworkPolicies, with and without the cluster policy, must give different answers.

import { parseManifests } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze.ts';
import { buildCluster } from '../cluster.ts';
import { formatConnectionSet } from '../connectionSet.ts';
import { exposure } from '../exposure.ts';
import { changeText, clusterOf, DEPLOY, NS, openings, POLICY, run } from './whatIfTesting.ts';

const WORKLOADS = [
  NS('shop'),
  NS('tools', '{ quarantine: "true" }'),
  DEPLOY('shop', 'db', '{ app: db }'),
  DEPLOY('shop', 'web', '{ app: web }'),
  DEPLOY('tools', 'shell', '{ app: shell }'),
  POLICY('shop', 'db-deny-all', 'podSelector: { matchLabels: { app: db } }\npolicyTypes: [Ingress]'),
];

const BACKUP_ACCEPT = `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: { name: backups-reach-db }
spec:
  tier: Admin
  priority: 5
  subject:
    pods:
      namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: shop } }
      podSelector: { matchLabels: { app: db } }
  ingress:
    - action: Accept
      from:
        - pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: backup } } }
      protocols: [{ tcp: { destinationPort: { number: 5432 } } }]
`;

const QUARANTINE = `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: { name: quarantine }
spec:
  tier: Admin
  priority: 1
  subject:
    namespaces: { matchLabels: { quarantine: "true" } }
  egress:
    - action: Deny
      to: [{ namespaces: {} }]
`;

describe('what-if through cluster-wide tiers', () => {
  it('finds the pod label an Admin Accept trusts, above the NetworkPolicy that denies everything', () => {
    const without = run(clusterOf(...WORKLOADS), 'tools/shell')!;
    expect(openings(without.withPodLabels).filter((l) => l.includes('shop/db'))).toEqual([]);
    const withTier = run(clusterOf(...WORKLOADS, BACKUP_ACCEPT), 'tools/shell')!;
    expect(openings(withTier.withPodLabels)).toContain('app=backup -> shop/db[Deployment]: TCP 5432');
  });

  it('finds the namespace label whose removal escapes an Admin Deny', () => {
    const input = clusterOf(...WORKLOADS, QUARANTINE);
    const result = run(input, 'tools/shell')!;
    expect(result.reachesNow.filter((t) => t.kind === 'workload')).toEqual([]);
    const leaving = result.withNamespaceLabels.find((o) => changeText(o) === 'quarantine-');
    expect(leaving?.opens.map((t) => `${t.peer}: ${formatConnectionSet(t.conn)}`)).toContain(
      'shop/web[Deployment]: All Connections',
    );
    expect(leaving?.leaves).toContain('ClusterNetworkPolicy/quarantine');
  });
});

describe('exposure through cluster-wide tiers', () => {
  const dbIngress = (...texts: string[]) => {
    const parsed = parseManifests(texts.map((text, i) => ({ path: `${i}.yaml`, text })));
    const report = exposure(analyze(buildCluster(parsed.objects)));
    return report.workloads
      .find((w) => w.workload.id === 'shop/db[Deployment]')
      ?.ingress.entries.map(
        (e) =>
          `${e.peer === 'entire-cluster' ? 'entire-cluster' : e.peer.id}: ${formatConnectionSet(e.conn)}`,
      );
  };

  it('an Admin Accept exposes a workload that its NetworkPolicy closes', () => {
    expect(dbIngress(...WORKLOADS)).toEqual([]);
    expect(dbIngress(...WORKLOADS, BACKUP_ACCEPT)).toEqual([
      '[all namespaces]/[pod with {app=backup}]: TCP 5432',
    ]);
  });
});
