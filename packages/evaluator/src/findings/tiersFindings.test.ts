// Variants of the tier rules beyond their trigger and near miss (findings.test.ts): what changes
// a verdict, what each CNI profile is said to enforce, and how the messages name the traffic.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseManifests } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import { buildCluster } from '../cluster.ts';
import type { CniProfile } from '../model.ts';
import { findings } from './findings.ts';
import { CNP, MONITORING_BY_NAME, SHOP, tierReviewer } from './tiersTesting.ts';

/** The namespaces and workloads every tier fixture starts with (shop/web, shop/api, monitoring/prometheus). */
const BASE = readFileSync(
  fileURLToPath(new URL('./fixtures/tier-domain-names/near-miss.yaml', import.meta.url)),
  'utf8',
).split('---\napiVersion: policy.networking.k8s.io')[0]!;
const { only } = tierReviewer(BASE);

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
