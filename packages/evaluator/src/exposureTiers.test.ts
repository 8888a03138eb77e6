import { parseManifests } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import { analyze, buildCluster, exposure, formatConnectionSet } from './index.ts';

const PODS = `
apiVersion: v1
kind: Namespace
metadata: {name: app}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: app, labels: {app: web}}
spec: {containers: [{name: c}]}
`;

function report(policies: string) {
  const parsed = parseManifests([{ path: 'p.yaml', text: `${PODS}---\n${policies}` }]);
  const r = exposure(analyze(buildCluster(parsed.objects)));
  const w = r.workloads[0];
  const lines = (side: 'ingress' | 'egress') =>
    w?.[side].entries.map(
      (e) => `${e.peer === 'entire-cluster' ? 'entire-cluster' : e.peer.id} : ${formatConnectionSet(e.conn)}`,
    );
  return {
    ingress: lines('ingress'),
    ingressProtected: w?.ingress.protected,
    egressProtected: w?.egress.protected,
  };
}

const ANP = (action: string, from: string) => `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: p}
spec:
  tier: Admin
  priority: 1
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: app}}}
  ingress: [{action: ${action}, from: [${from}], protocols: [{tcp: {destinationPort: {number: 80}}}]}]
`;

describe('exposure through cluster-wide tiers', () => {
  it('a cluster policy protects the direction it has rules for, and its peers become representative peers', () => {
    const r = report(ANP('Deny', '{namespaces: {matchLabels: {house: slytherin}}}'));
    expect(r.ingressProtected).toBe(true);
    expect(r.egressProtected).toBe(false);
    expect(r.ingress).toEqual([
      'entire-cluster : All Connections',
      '[namespace with {house=slytherin}]/[all pods] : SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535',
    ]);
  });

  it('a Deny of every namespace narrows the entire cluster itself', () => {
    const r = report(ANP('Deny', '{namespaces: {}}'));
    expect(r.ingress).toEqual(['entire-cluster : SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535']);
  });
});
