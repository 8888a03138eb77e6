// Variants of the tier rules about peers and layers: Baseline Accepts voided by NetworkPolicy,
// networks peers, domainNames, and default deny written as a cluster policy.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findingInstances } from './testing.ts';
import { CNP, MONITORING_BY_NAME, SHOP, tierReviewer } from './tiersTesting.ts';

/** The namespaces and workloads every tier fixture starts with (shop/web, shop/api, monitoring/prometheus). */
const BASE = readFileSync(
  fileURLToPath(new URL('./fixtures/tier-domain-names/near-miss.yaml', import.meta.url)),
  'utf8',
).split('---\napiVersion: policy.networking.k8s.io')[0]!;
const { only, review } = tierReviewer(BASE);

describe('Baseline rules and NetworkPolicy', () => {
  it('counts every pod that loses a Baseline Accept, pods with the same verdict judged once', () => {
    const many = Array.from(
      { length: 30 },
      (_, i) => `apiVersion: v1
kind: Pod
metadata: { name: worker-${i}, namespace: shop, labels: { app: worker } }
spec: { containers: [{ name: c, image: x, ports: [{ containerPort: ${i % 2 === 0 ? 9090 : 8080} }] }] }
---
`,
    ).join('');
    const policies =
      many +
      CNP(
        'scrapes',
        'Baseline',
        10,
        '{ namespaces: {} }',
        `  ingress:\n    - { action: Accept, from: [${MONITORING_BY_NAME}] }`,
      ) +
      `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: workers, namespace: shop }
spec:
  podSelector: { matchLabels: { app: worker } }
  policyTypes: [Ingress]
`;
    const [hit] = only('tier-baseline-overridden', policies);
    expect(hit?.title).toContain('does not apply to 30 pod(s)');
    expect(hit?.subjects).toContain('shop/worker-29[Pod]');
  });

  it('does not report a Baseline Deny that NetworkPolicy overrides: the tier works as designed', () => {
    const policies =
      CNP(
        'default-deny',
        'Baseline',
        10,
        '{ namespaces: {} }',
        '  ingress:\n    - { action: Deny, from: [{ namespaces: {} }] }',
      ) +
      `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: api, namespace: shop }
spec:
  podSelector: {}
  policyTypes: [Ingress]
  ingress: [{ from: [{ namespaceSelector: {} }] }]
`;
    expect(only('tier-baseline-overridden', policies)).toEqual([]);
  });
});

describe('networks peers', () => {
  const PODS_WITH_IPS = `apiVersion: v1
kind: Pod
metadata: { name: cache, namespace: shop, labels: { app: cache } }
spec: { containers: [{ name: c, image: redis }] }
status: { podIP: 10.244.1.7 }
---
`;
  const deny = (cidr: string) =>
    PODS_WITH_IPS +
    CNP('egress', 'Admin', 10, SHOP, `  egress:\n    - { action: Deny, to: [{ networks: [${cidr}] }] }`);

  it('flags a range that holds known pod addresses, naming the pods', () => {
    const [hit] = only('tier-networks-cover-pods', deny('10.244.0.0/16'));
    expect(hit?.subjects).toContain('shop/cache[Pod]');
    expect(hit?.message).toContain('holds the addresses of shop/cache[Pod]');
  });

  it('flags ::/0 and stays silent on a range outside the pods', () => {
    expect(only('tier-networks-cover-pods', deny('"::/0"'))[0]?.title).toContain('::/0');
    expect(only('tier-networks-cover-pods', deny('192.0.2.0/24'))).toEqual([]);
  });

  it('in the Baseline tier, says NetworkPolicies still decide and suggests an Accept, not a Pass', () => {
    const policy = CNP(
      'internet',
      'Baseline',
      10,
      SHOP,
      '  egress:\n    - { action: Deny, to: [{ networks: [0.0.0.0/0] }] }',
    );
    const [hit] = only('tier-networks-cover-pods', policy);
    expect(hit?.severity).toBe('low');
    expect(hit?.message).toContain('for pods no NetworkPolicy isolates for Egress');
    expect(hit?.message).toContain('an Accept to `namespaces: {}`');
  });

  it('stays silent when the same rule names every pod on purpose', () => {
    const policy = CNP(
      'all',
      'Admin',
      10,
      SHOP,
      '  egress:\n    - { action: Accept, to: [{ namespaces: {} }, { networks: [0.0.0.0/0] }] }',
    );
    expect(only('tier-networks-cover-pods', policy)).toEqual([]);
  });
});

describe('domainNames', () => {
  const policy = (kind: 'ClusterNetworkPolicy' | 'AdminNetworkPolicy') =>
    kind === 'ClusterNetworkPolicy'
      ? CNP(
          'names',
          'Admin',
          10,
          SHOP,
          "  egress:\n    - { action: Accept, to: [{ domainNames: ['api.example.com'] }] }",
        )
      : `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: { name: names }
spec:
  priority: 10
  subject: ${SHOP}
  egress:
    - { action: Allow, to: [{ domainNames: ['api.example.com'] }] }
`;

  it('says what is known per profile, and that the standard CRD prunes the field', () => {
    const [ovn] = only('tier-domain-names', policy('AdminNetworkPolicy'), 'ovn-kubernetes');
    expect(ovn?.message).toContain('OVN-Kubernetes implements domainNames for AdminNetworkPolicy');
    const [calico] = only('tier-domain-names', policy('ClusterNetworkPolicy'), 'calico');
    expect(calico?.message).toContain('whether calico implements them for ClusterNetworkPolicy is not known');
    expect(calico?.message).toContain('prunes the field');
    // A kind the profile does not enforce is reported as such, not as a domain-name caveat.
    expect(only('tier-domain-names', policy('AdminNetworkPolicy'), 'calico')).toEqual([]);
  });
});

describe('default deny written as a cluster policy', () => {
  const open = (policies: string) =>
    findingInstances(review(policies))
      .filter((f) => ['open-ingress', 'missing-default-deny-ingress'].includes(f.rule))
      .map((f) => f.id.split(':')[1]);

  it('a Baseline Deny of every namespace is the default deny: no open workload, no missing default deny', () => {
    expect(open('')).toEqual(expect.arrayContaining(['shop/api[Deployment]', 'shop']));
    const baseline = CNP(
      'default-deny',
      'Baseline',
      10,
      '{ namespaces: {} }',
      '  ingress:\n    - { action: Deny, from: [{ namespaces: {} }] }',
    );
    expect(open(baseline)).toEqual([]);
  });

  it('a Deny of some namespaces, or of a port, or of some pods of a namespace, is not', () => {
    const partial = CNP(
      'some',
      'Admin',
      10,
      SHOP,
      `  ingress:\n    - { action: Deny, from: [${MONITORING_BY_NAME}] }\n    - { action: Deny, from: [{ namespaces: {} }], protocols: [{ tcp: { destinationPort: { number: 22 } } }] }`,
    );
    expect(open(partial)).toContain('shop/api[Deployment]');
    const apiOnly = CNP(
      'api-only',
      'Admin',
      10,
      '{ pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: api } } } }',
      '  ingress:\n    - { action: Deny, from: [{ namespaces: {} }] }',
    );
    // The api is covered; the namespace is not (a new pod would be open), nor is the web.
    expect(open(apiOnly)).toEqual(expect.arrayContaining(['shop/web[Deployment]', 'shop']));
    expect(open(apiOnly)).not.toContain('shop/api[Deployment]');
  });
});
