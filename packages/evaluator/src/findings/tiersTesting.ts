// The tier rules' rows of the findings table (findings.test.ts) and the inputs of their variant
// tests; not exported from the package.

import type { CniProfile } from '../model.ts';
import { reviewFiles } from './testing.ts';
import type { TierFindingRule } from './tiersTypes.ts';
import type { Finding, FindingRule, FindingSeverity, FixSuggestion } from './types.ts';

/** One row: the fixture folder is named after the rule (trigger.yaml, near-miss*.yaml). */
export interface TierCase {
  rule: TierFindingRule;
  subject: string;
  severity: FindingSeverity;
  fix?: FixSuggestion['kind'];
  cni?: CniProfile;
  nearMissCni?: CniProfile;
}

export const TIER_CASES: TierCase[] = [
  {
    rule: 'cluster-policy-not-enforced',
    subject: 'AdminNetworkPolicy/no-monitoring-into-shop',
    severity: 'high',
    cni: 'calico',
    nearMissCni: 'ovn-kubernetes',
  },
  {
    rule: 'tier-priority-tie',
    subject: 'ClusterNetworkPolicy/block-monitoring',
    severity: 'medium',
    fix: 'set-cluster-policy-priority',
  },
  {
    rule: 'tier-shadowed-rule',
    subject: 'ClusterNetworkPolicy/shop-lockdown',
    severity: 'medium',
    fix: 'remove-cluster-policy-rule',
  },
  { rule: 'tier-pass-reopens', subject: 'shop/api-from-monitoring', severity: 'high' },
  {
    rule: 'tier-pass-default-allow',
    subject: 'shop/web[Deployment]',
    severity: 'medium',
    fix: 'preset-default-deny-ingress',
  },
  { rule: 'tier-baseline-overridden', subject: 'shop/api[Deployment]', severity: 'medium' },
  {
    rule: 'tier-networks-cover-pods',
    subject: 'ClusterNetworkPolicy/no-internet-from-shop',
    severity: 'high',
  },
  { rule: 'tier-domain-names', subject: 'ClusterNetworkPolicy/shop-egress-allowlist', severity: 'low' },
];

/**
 * Reviews `policies` after `base` (the tier fixtures' namespaces and workloads: shop/web, shop/api,
 * monitoring/prometheus; the tests read it from a fixture), and the findings of one rule.
 */
export function tierReviewer(base: string) {
  const review = (policies: string, cni?: CniProfile): Finding[] =>
    reviewFiles([{ path: 'x.yaml', text: `${base}---\n${policies}` }], cni).findings;
  const only = (rule: FindingRule, policies: string, cni?: CniProfile): Finding[] =>
    review(policies, cni).filter((f) => f.rule === rule);
  return { review, only };
}

export const CNP = (name: string, tier: string, priority: number, subject: string, rules: string) =>
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

export const SHOP = '{ namespaces: { matchLabels: { kubernetes.io/metadata.name: shop } } }';
export const MONITORING_BY_NAME =
  '{ namespaces: { matchLabels: { kubernetes.io/metadata.name: monitoring } } }';
