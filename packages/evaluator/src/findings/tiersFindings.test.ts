// Variants of the tier rules beyond their trigger and near miss (findings.test.ts): what changes
// a verdict, what each CNI profile is said to enforce, and how the messages name the traffic.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseManifests } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import { buildCluster } from '../cluster.ts';
import type { CniProfile } from '../model.ts';
import { findings } from './findings.ts';
import { reviewFiles } from './testing.ts';
import type { Finding, FindingRule } from './types.ts';

/** The namespaces and workloads every tier fixture starts with (shop/web, shop/api, monitoring/prometheus). */
const BASE = readFileSync(
  fileURLToPath(new URL('./fixtures/tier-domain-names/near-miss.yaml', import.meta.url)),
  'utf8',
).split('---\napiVersion: policy.networking.k8s.io')[0]!;

function review(policies: string, cni?: CniProfile): Finding[] {
  return reviewFiles([{ path: 'x.yaml', text: `${BASE}---\n${policies}` }], cni).findings;
}

function only(rule: FindingRule, policies: string, cni?: CniProfile): Finding[] {
  return review(policies, cni).filter((f) => f.rule === rule);
}

const CNP = (name: string, tier: string, priority: number, subject: string, rules: string) =>
  `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: { name: ${name} }
spec:
  tier: ${tier}
  priority: ${priority}
  subject: ${subject}
${rules}
---
`;

const SHOP = '{ namespaces: { matchLabels: { kubernetes.io/metadata.name: shop } } }';
const MONITORING_BY_NAME = '{ namespaces: { matchLabels: { kubernetes.io/metadata.name: monitoring } } }';

describe('namespace labels in cluster policies', () => {
  it('flags an Admin Accept that trusts a namespace label, high, with the namespaces to pin by name', () => {
    const [hit, ...rest] = only(
      'namespace-label-spoofable',
      CNP(
        'scrapes',
        'Admin',
        5,
        SHOP,
        '  ingress:\n    - { action: Accept, from: [{ namespaces: { matchLabels: { team: monitoring } } }] }',
      ),
    );
    expect(rest).toEqual([]);
    expect(hit?.id).toBe('NPA-NS-LABEL-SPOOF:ClusterNetworkPolicy/scrapes/ingress.0.from.0.namespaces');
    expect(hit?.severity).toBe('high');
    expect(hit?.message).toContain('team=monitoring');
    expect(hit?.message).toContain('above any NetworkPolicy');
    expect(hit?.fix?.suggestion).toEqual({
      kind: 'select-namespaces-by-name',
      policy: 'ClusterNetworkPolicy/scrapes',
      path: ['spec', 'ingress', 0, 'from', 0, 'namespaces'],
      namespaces: ['monitoring'],
    });
  });

  it('rates a Deny peer and a subject by label medium: removing the label escapes the policy', () => {
    const hits = only(
      'namespace-label-spoofable',
      CNP(
        'quarantine',
        'Admin',
        5,
        '{ namespaces: { matchLabels: { quarantine: "true" } } }',
        '  egress:\n    - { action: Deny, to: [{ pods: { namespaceSelector: { matchLabels: { team: monitoring } }, podSelector: {} } }] }',
      ),
    );
    expect(hits.map((f) => [f.id.split(':')[1], f.severity])).toEqual([
      ['ClusterNetworkPolicy/quarantine/subject.namespaces', 'medium'],
      ['ClusterNetworkPolicy/quarantine/egress.0.to.0.pods.namespaceSelector', 'medium'],
    ]);
    expect(hits[1]!.message).toContain('escapes this Deny');
  });

  it('stays silent on namespaces chosen by name and on every namespace', () => {
    expect(
      only(
        'namespace-label-spoofable',
        CNP(
          'scrapes',
          'Admin',
          5,
          '{ namespaces: {} }',
          `  ingress:\n    - { action: Accept, from: [${MONITORING_BY_NAME}, { namespaces: {} }] }`,
        ),
      ),
    ).toEqual([]);
  });
});

const ANP = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: { name: legacy }
spec:
  priority: 3
  subject: ${SHOP}
  ingress:
    - { action: Deny, from: [${MONITORING_BY_NAME}] }
---
`;
const CNP_DENY = CNP(
  'modern',
  'Admin',
  3,
  SHOP,
  `  ingress:\n    - { action: Deny, from: [${MONITORING_BY_NAME}] }`,
);

describe('cluster policies under a CNI profile', () => {
  const notEnforced = (cni: CniProfile) =>
    only('cluster-policy-not-enforced', ANP + CNP_DENY, cni).map(
      (f) => `${f.severity} ${f.subjects.join(',')}`,
    );

  it.each([
    ['upstream', []],
    ['calico', ['high AdminNetworkPolicy/legacy']],
    ['antrea', ['high AdminNetworkPolicy/legacy']],
    ['ovn-kubernetes', ['high ClusterNetworkPolicy/modern']],
    ['cilium', ['high AdminNetworkPolicy/legacy', 'medium ClusterNetworkPolicy/modern']],
    ['flannel', ['high AdminNetworkPolicy/legacy', 'high ClusterNetworkPolicy/modern']],
  ] as const)('%s: reports the kinds it does not enforce', (cni, expected) => {
    expect(notEnforced(cni)).toEqual(expected);
  });

  it('says what the profile enforces and how to convert', () => {
    const [calico] = only('cluster-policy-not-enforced', ANP, 'calico');
    expect(calico?.message).toContain('Calico 3.32 enforces ClusterNetworkPolicy');
    expect(calico?.message).toContain('`netpol migrate`');
    const [ovn] = only('cluster-policy-not-enforced', CNP_DENY, 'ovn-kubernetes');
    expect(ovn?.message).toContain('not ClusterNetworkPolicy (v1alpha2)');
    const [cilium] = only('cluster-policy-not-enforced', CNP_DENY, 'cilium');
    expect(cilium?.title).toContain('only with the feature enabled');
  });

  it('no longer calls the network-policy API kinds "not evaluated"', () => {
    expect(only('cni-policy-not-analysed', ANP + CNP_DENY)).toEqual([]);
  });

  it("reports Antrea's own ClusterNetworkPolicy, read as the Kubernetes kind", () => {
    const antrea = CNP_DENY.replace('policy.networking.k8s.io/v1alpha2', 'crd.antrea.io/v1beta1');
    const [hit] = only('cni-policy-not-analysed', antrea);
    expect(hit?.title).toContain("Antrea's ClusterNetworkPolicy");
  });

  it('judges the tiers by the CNI of the review, not of the build', () => {
    const text = readFileSync(
      fileURLToPath(new URL('./fixtures/tier-shadowed-rule/trigger.yaml', import.meta.url)),
      'utf8',
    );
    const parsed = parseManifests([{ path: 'x.yaml', text }]);
    const cluster = buildCluster(parsed.objects);
    const rules = (cni: CniProfile) => findings(cluster, { cni, objects: parsed.objects }).map((f) => f.rule);
    expect(rules('upstream')).toContain('tier-shadowed-rule');
    expect(rules('ovn-kubernetes')).not.toContain('tier-shadowed-rule');
    expect(rules('ovn-kubernetes')).toContain('cluster-policy-not-enforced');
  });
});

describe('shadowed tier rules', () => {
  const rules = (a: string, b: string, subjectB = SHOP, priorityB = 20) =>
    CNP('first', 'Admin', 10, SHOP, `  ingress:\n    - ${a}`) +
    CNP('second', 'Admin', priorityB, subjectB, `  ingress:\n    - ${b}`);
  const PROM = `{ pods: { namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: monitoring } }, podSelector: { matchLabels: { app: prometheus } } } }`;

  it('sees a narrower peer and fewer ports covered by an earlier policy; same action is low', () => {
    const [hit] = only(
      'tier-shadowed-rule',
      rules(
        `{ action: Deny, from: [${MONITORING_BY_NAME}] }`,
        `{ action: Deny, from: [${PROM}], protocols: [{ tcp: { destinationPort: { number: 9090 } } }] }`,
      ),
    );
    expect(hit?.subjects).toEqual(['ClusterNetworkPolicy/second', 'ClusterNetworkPolicy/first']);
    expect(hit?.severity).toBe('low');
    expect(hit?.message).toContain('Admin tier, priority 10');
  });

  it('stays silent when the later rule reaches pods or peers the earlier one does not', () => {
    const broader = `{ namespaces: {} }`;
    // The later policy also applies outside shop.
    expect(
      only(
        'tier-shadowed-rule',
        rules(
          `{ action: Deny, from: [${MONITORING_BY_NAME}] }`,
          `{ action: Accept, from: [${PROM}] }`,
          broader,
        ),
      ),
    ).toEqual([]);
    // The later rule's peer is broader than the earlier one's.
    expect(
      only(
        'tier-shadowed-rule',
        rules(`{ action: Deny, from: [${PROM}] }`, `{ action: Accept, from: [${MONITORING_BY_NAME}] }`),
      ),
    ).toEqual([]);
    // The earlier rule names fewer ports.
    expect(
      only(
        'tier-shadowed-rule',
        rules(
          `{ action: Deny, from: [${MONITORING_BY_NAME}], protocols: [{ tcp: { destinationPort: { number: 9090 } } }] }`,
          `{ action: Accept, from: [${MONITORING_BY_NAME}] }`,
        ),
      ),
    ).toEqual([]);
    // Equal priorities are a tie, not an order.
    expect(
      only(
        'tier-shadowed-rule',
        rules(
          `{ action: Deny, from: [${MONITORING_BY_NAME}] }`,
          `{ action: Accept, from: [${PROM}] }`,
          SHOP,
          10,
        ),
      ),
    ).toEqual([]);
  });
});

describe('Admin Pass', () => {
  const reopen = (npRule: string) =>
    CNP('delegate', 'Admin', 10, SHOP, `  ingress:\n    - { action: Pass, from: [${MONITORING_BY_NAME}] }`) +
    CNP('block', 'Admin', 20, SHOP, `  ingress:\n    - { action: Deny, from: [{ namespaces: {} }] }`) +
    `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: api, namespace: shop }
spec:
  podSelector: {}
  policyTypes: [Ingress]
  ingress: ${npRule}
`;

  it('names the connections a NetworkPolicy re-opens, with their ports', () => {
    const [hit] = only(
      'tier-pass-reopens',
      reopen('[{ from: [{ namespaceSelector: {} }], ports: [{ port: 9090 }] }]'),
    );
    expect(hit?.message).toContain('monitoring/prometheus[Deployment] -> shop/api[Deployment] on TCP 9090');
    expect(hit?.message).toContain('shop/api allows it there');
    // Reported once: the Deny is not also listed as shadowed by the Pass (it is not: it is broader).
    expect(only('tier-shadowed-rule', reopen('[{ from: [{ namespaceSelector: {} }] }]'))).toEqual([]);
  });

  it('stays silent when the NetworkPolicy denies what the Pass hands over', () => {
    expect(only('tier-pass-reopens', reopen('[]'))).toEqual([]);
  });

  it('is not a default allow when it only exempts pods from a later networks rule (the API’s advice)', () => {
    const policy = CNP(
      'no-internet',
      'Admin',
      10,
      SHOP,
      '  egress:\n    - { action: Pass, to: [{ namespaces: {} }] }\n    - { action: Deny, to: [{ networks: [0.0.0.0/0] }] }',
    );
    expect(only('tier-pass-default-allow', policy)).toEqual([]);
    expect(only('tier-networks-cover-pods', policy)).toEqual([]);
  });

  it('is not a default allow when an earlier rule decides everything it matches', () => {
    const policy = CNP(
      'lockdown',
      'Admin',
      10,
      SHOP,
      `  ingress:\n    - { action: Deny, from: [{ namespaces: {} }] }\n    - { action: Pass, from: [${MONITORING_BY_NAME}] }`,
    );
    expect(only('tier-pass-default-allow', policy)).toEqual([]);
    expect(only('tier-shadowed-rule', policy)).toHaveLength(1);
  });
});

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
    review(policies)
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
