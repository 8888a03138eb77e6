import { parseManifests } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import { buildCluster, explainConnection, explainPair, findPeer, formatConnectionSet } from './index.ts';

const YAML = `
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: a, labels: {app: web}}
spec: {containers: [{name: c}]}
---
apiVersion: v1
kind: Pod
metadata: {name: cli, namespace: b, labels: {app: cli}}
spec: {containers: [{name: c}]}
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: pass-80}
spec:
  tier: Admin
  priority: 1
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: a}}}
  ingress:
  - {name: delegate, action: Pass, from: [{namespaces: {}}], protocols: [{tcp: {destinationPort: {number: 80}}}]}
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: deny-b}
spec:
  tier: Admin
  priority: 2
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: a}}}
  ingress:
  - {action: Deny, from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: b}}}]}
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: unrelated}
spec:
  tier: Baseline
  priority: 1
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: a}}}
  ingress:
  - {action: Deny, from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: c}}}]}
`;

function setup() {
  const cluster = buildCluster(parseManifests([{ path: 'p.yaml', text: YAML }]).objects);
  return { cluster, src: findPeer(cluster, 'b/cli')!, dst: findPeer(cluster, 'a/web')! };
}

describe('explaining cluster-wide tiers', () => {
  it('names the deciding policy, tier, priority, rule and action, with the rule line', () => {
    const { cluster, src, dst } = setup();
    const e = explainConnection(cluster, src, dst, { protocol: 'TCP', port: 443 });
    expect(e.verdict).toBe('denied');
    expect(e.ingress.tiers?.decisions).toMatchObject([
      {
        tier: 'Admin',
        policy: 'ClusterNetworkPolicy/deny-b',
        priority: 2,
        rule: 0,
        action: 'Deny',
        file: 'p.yaml',
        range: { start: { line: 30 } },
      },
    ]);
    expect(e.ingress.tiers?.passedOver).toMatchObject([
      { policy: 'ClusterNetworkPolicy/pass-80', reason: 'ports' },
      { policy: 'ClusterNetworkPolicy/unrelated', reason: 'peer' },
    ]);
  });

  it('follows a Pass into NetworkPolicy and the default', () => {
    const { cluster, src, dst } = setup();
    const e = explainConnection(cluster, src, dst, { protocol: 'TCP', port: 80 });
    expect(e.verdict).toBe('allowed');
    const chain = e.ingress.tiers!;
    expect(chain.decisions.map((d) => [d.policy, d.action, d.ruleName])).toEqual([
      ['ClusterNetworkPolicy/pass-80', 'Pass', 'delegate'],
    ]);
    expect(chain.networkPolicyIsolates).toBe(false);
    expect(formatConnectionSet(chain.defaulted)).toBe('TCP 80');
    expect(chain.passedOver.find((p) => p.policy === 'ClusterNetworkPolicy/deny-b')?.reason).toBe('decided');
  });

  it('gives per-port reasons in evaluation order for the list report', () => {
    const { cluster, src, dst } = setup();
    const pair = explainPair(cluster, src, dst);
    const allowed = pair.segments.find((s) => s.allowed)!;
    expect(formatConnectionSet(allowed.conn)).toBe('TCP 80');
    expect(allowed.ingress.reasons).toMatchObject([
      { kind: 'tier-rule', policy: 'pass-80', action: 'Pass', ruleName: 'delegate' },
      { kind: 'system-default' },
    ]);
    const denied = pair.segments.find((s) => !s.allowed)!;
    expect(denied.ingress.reasons).toMatchObject([{ kind: 'tier-rule', policy: 'deny-b', action: 'Deny' }]);
  });

  describe('under netpol-analyzer compatibility', () => {
    // An Admin Accept decides TCP 80 of the pair on the client's egress; a rule-less NetworkPolicy
    // isolates the client's egress and denies the rest.
    const ACCEPT_80_AND_ISOLATE = `
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: a, labels: {app: client}}
spec: {containers: [{name: c}]}
---
apiVersion: v1
kind: Pod
metadata: {name: server, namespace: a, labels: {app: server}}
spec: {containers: [{name: c}]}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: accept-80}
spec:
  priority: 10
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: a}}}
  egress: [{name: out-80, action: Allow, to: [{namespaces: {}}], ports: [{portNumber: {port: 80, protocol: TCP}}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: isolate-client, namespace: a}
spec: {podSelector: {matchLabels: {app: client}}, policyTypes: [Egress]}
`;
    const explainDenied = (compat: boolean) => {
      const objects = parseManifests([{ path: 'p.yaml', text: ACCEPT_80_AND_ISOLATE }]).objects;
      const cluster = buildCluster(objects, compat ? { compat: 'netpol-analyzer' } : {});
      const pair = explainPair(cluster, findPeer(cluster, 'a/client')!, findPeer(cluster, 'a/server')!);
      return pair.segments.find((s) => !s.allowed)!;
    };

    it('leaves out the NetworkPolicy reasons of ports an Admin Accept left to them, as upstream does', () => {
      const denied = explainDenied(true);
      expect(denied.egress).toMatchObject({ allowed: false, unexplained: true, reasons: [] });
    });

    it('gives those reasons by default', () => {
      const denied = explainDenied(false);
      expect(denied.egress.unexplained).toBeUndefined();
      expect(denied.egress.reasons).toMatchObject([{ kind: 'not-selected', noRules: true }]);
    });
  });
});
