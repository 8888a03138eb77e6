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
    egress: lines('egress'),
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

  it("keeps a cluster policy's named port (which names no protocol) under no protocol until a pod resolves it", () => {
    // v1alpha1 namedPort has no protocol: towards the entire cluster it stays a bare name; on
    // ingress it resolves on the subject's own container port, taking that port's protocol.
    const r = report(`apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: p}
spec:
  priority: 1
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: app}}}
  egress: [{name: out, action: Allow, to: [{namespaces: {}}], ports: [{namedPort: dns}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: app, labels: {app: api}}
spec: {containers: [{name: c, ports: [{name: dns, containerPort: 5353, protocol: UDP}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: isolate-egress, namespace: app}
spec: {podSelector: {}, policyTypes: [Egress]}
`);
    expect(r.egress).toContain('entire-cluster : any dns');
    expect(r.egress?.join('\n')).not.toMatch(/TCP dns/);
  });
});
