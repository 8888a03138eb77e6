import { describe, expect, it } from 'vitest';
import { type ClusterPolicyObject, type NodeObject, parseFile } from './index.ts';

function one(text: string) {
  const r = parseFile({ path: 'p.yaml', text });
  return { object: r.objects[0], diagnostics: r.diagnostics, unanalysed: r.unanalysed };
}

const CNP = `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: { name: guard }
spec:
  tier: Admin
  priority: 10
  subject:
    pods:
      namespaceSelector: { matchLabels: { team: a } }
      podSelector: { matchLabels: { app: web } }
  ingress:
    - name: from-mon
      action: Accept
      from:
        - namespaces: { matchLabels: { kubernetes.io/metadata.name: monitoring } }
      protocols:
        - tcp: { destinationPort: { number: 9090 } }
        - udp: { destinationPort: { range: { start: 1000, end: 2000 } } }
        - destinationNamedPort: metrics
  egress:
    - action: Accept
      to:
        - networks: [10.0.0.0/8]
        - nodes: { matchLabels: { role: infra } }
        - domainNames: ["*.example.com"]
`;

describe('cluster policy decode', () => {
  it('reads a v1alpha2 ClusterNetworkPolicy into the normalised shape, without a not-evaluated warning', () => {
    const { object, diagnostics } = one(CNP);
    // Only the notes that nodes and domainNames are experimental-channel fields.
    expect(diagnostics.map((d) => d.code)).toEqual(['crd-experimental-field', 'crd-experimental-field']);
    expect(diagnostics.every((d) => d.severity !== 'error')).toBe(true);
    const cnp = object as ClusterPolicyObject;
    expect(cnp.kind).toBe('ClusterNetworkPolicy');
    expect(cnp.valid).toBe(true);
    expect(cnp.metadata.namespace).toBeUndefined();
    expect(cnp.spec.tier).toBe('Admin');
    expect(cnp.spec.priority).toBe(10);
    expect(cnp.spec.subject.pods?.podSelector.matchLabels).toEqual({ app: 'web' });
    expect(cnp.spec.ingress[0]).toMatchObject({
      name: 'from-mon',
      action: 'Accept',
      portsField: 'protocols',
      ports: [
        { kind: 'number', protocol: 'TCP', port: 9090 },
        { kind: 'range', protocol: 'UDP', start: 1000, end: 2000 },
        { kind: 'named', name: 'metrics' },
      ],
    });
    const peers = cnp.spec.egress[0]!.peers;
    expect(peers.map((p) => [p.networks, p.nodes?.matchLabels, p.domainNames])).toEqual([
      [['10.0.0.0/8'], undefined, undefined],
      [undefined, { role: 'infra' }, undefined],
      [undefined, undefined, ['*.example.com']],
    ]);
  });

  it('reads v1alpha1 ANP ports (protocol defaulted to TCP) and BANP as the Baseline tier', () => {
    const anp = one(`apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: { name: a }
spec:
  priority: 5
  subject: { namespaces: {} }
  egress:
    - action: Pass
      to: [{ pods: { podSelector: {} } }]
      ports:
        - portNumber: { port: 80 }
        - portRange: { protocol: UDP, start: 5, end: 9 }
        - namedPort: dns
`).object as ClusterPolicyObject;
    expect(anp.spec.tier).toBe('Admin');
    expect(anp.spec.subject.namespaces).toEqual({ matchLabels: undefined, matchExpressions: undefined });
    expect(anp.spec.egress[0]!.peers[0]!.pods?.namespaceSelector).toEqual({
      matchLabels: undefined,
      matchExpressions: undefined,
    });
    expect(anp.spec.egress[0]!.ports).toEqual([
      { kind: 'number', protocol: 'TCP', port: 80 },
      { kind: 'range', protocol: 'UDP', start: 5, end: 9 },
      { kind: 'named', name: 'dns' },
    ]);
    const banp = one(`apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: { name: default }
spec:
  subject: { namespaces: {} }
  ingress: [{ action: Deny, from: [{ namespaces: {} }] }]
`).object as ClusterPolicyObject;
    expect(banp.spec).toMatchObject({ tier: 'Baseline', priority: 0 });
    expect(banp.spec.ingress[0]!.ports).toBeUndefined();
  });

  it('reports type errors with their field path and marks the object invalid', () => {
    const { object, diagnostics } = one(
      'apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: { name: x }\nspec:\n  tier: Admin\n  priority: high\n  subject: { namespaces: {} }\n',
    );
    expect((object as ClusterPolicyObject).valid).toBe(false);
    // One report of the field (the validator's), not one more from the decoder.
    expect(diagnostics.filter((d) => d.field === 'spec.priority')).toMatchObject([
      { severity: 'error', range: { start: { line: 6 } } },
    ]);
  });

  it('refuses a kind written with an API version that does not serve it (not analysed)', () => {
    const { object, diagnostics } = one(CNP.replace('v1alpha2', 'v1alpha1'));
    expect((object as ClusterPolicyObject).valid).toBe(false);
    expect(diagnostics).toMatchObject([{ severity: 'error', field: 'apiVersion' }]);
  });

  it('reads Node labels and IP addresses, leaving host names out', () => {
    const node = one(`apiVersion: v1
kind: Node
metadata: { name: n1, labels: { role: infra } }
status:
  addresses:
    - { type: InternalIP, address: 10.1.0.4 }
    - { type: Hostname, address: n1 }
`).object as NodeObject;
    expect(node.kind).toBe('Node');
    expect(node.metadata.labels).toEqual({ role: 'infra' });
    expect(node.addresses).toEqual(['10.1.0.4']);
  });
});
