// The catalog entries of the cluster-wide tier rules (ClusterNetworkPolicy, AdminNetworkPolicy,
// BaselineAdminNetworkPolicy), kept apart so that the shared catalog only lists them.

import type { TierFindingRule } from './tiersTypes.ts';
import type { FindingSeverity } from './types.ts';

/** The shape of the catalog's `FindingRuleInfo`, written out: the catalog imports this file. */
interface TierRuleInfo {
  rule: TierFindingRule;
  code: string;
  defaultSeverity: FindingSeverity;
  summary: string;
  description: string;
  help: string;
  /** Why no fix can be suggested, when none is. */
  noFix?: string;
}

/** Catalog entries of the tier rules, in report order. */
export const TIER_RULES: readonly TierRuleInfo[] = [
  {
    rule: 'cluster-policy-not-enforced',
    code: 'NPA-TIER-NOT-ENFORCED',
    defaultSeverity: 'high',
    summary: 'Cluster policies of a kind the CNI does not enforce',
    description:
      'ClusterNetworkPolicy (v1alpha2) and AdminNetworkPolicy / BaselineAdminNetworkPolicy (v1alpha1) are enforced only by network plugins that implement them, and each implements its own subset: Calico 3.32 serves ClusterNetworkPolicy and removed AdminNetworkPolicy; Cilium serves ClusterNetworkPolicy behind a feature flag; OVN-Kubernetes serves the v1alpha1 kinds; Flannel and kubenet none. The API server stores objects of the other kinds, but they have no effect.',
    help: 'Write the policies in a kind the CNI enforces (`netpol migrate` converts v1alpha1 to ClusterNetworkPolicy), or check the profile given with --cni.',
    noFix:
      "The remedy is the policies' kind or the cluster's network plugin (`netpol migrate` converts v1alpha1), not an edit of a rule.",
  },
  {
    rule: 'tier-priority-tie',
    code: 'NPA-TIER-PRIORITY-TIE',
    defaultSeverity: 'medium',
    summary: 'Overlapping cluster policy rules at the same priority (implementation-defined order)',
    description:
      'When two policies of one tier share a priority and have rules that match the same traffic with different actions, the API leaves the order between them to the implementation: the same manifests can accept a connection on one cluster and deny it on another, or after an upgrade.',
    help: 'Give each policy its own priority, the one that must win lower.',
  },
  {
    rule: 'tier-shadowed-rule',
    code: 'NPA-TIER-SHADOWED',
    defaultSeverity: 'low',
    summary: 'Cluster policy rule that an earlier rule always decides first',
    description:
      'Within a tier the first matching rule decides (lower priority value first, then rule order). A rule whose every connection is matched by an earlier rule never applies: its action is dead code, and a reader who trusts it misjudges the traffic.',
    help: 'Delete the rule, or move it before the rule that decides first (a lower priority value, or earlier in the list).',
  },
  {
    rule: 'tier-pass-reopens',
    code: 'NPA-TIER-PASS-REOPENS',
    defaultSeverity: 'high',
    summary: 'Admin Pass lets NetworkPolicy allow what a later Admin Deny blocks',
    description:
      'Pass hands a connection to the NetworkPolicy layer and skips the rest of the Admin tier. A Deny that comes later in the tier (a higher priority value, or later in the list) therefore never sees what the Pass matched, and namespace NetworkPolicies can allow it.',
    help: 'Narrow the Pass so that it does not match what the Deny must block, or move the Deny before it.',
    noFix:
      'Either the Pass or the later Deny is wrong, and only the platform team knows which: narrowing the Pass or moving the Deny above it are both edits of intent.',
  },
  {
    rule: 'tier-pass-default-allow',
    code: 'NPA-TIER-PASS-ALLOWS',
    defaultSeverity: 'medium',
    summary: 'Admin Pass with nothing below it to decide (allowed by default)',
    description:
      'Pass delegates a connection to NetworkPolicy, then to the Baseline tier. When no NetworkPolicy isolates the pods and no Baseline rule applies to them, nothing decides and the connection is allowed by default: the Pass acts as an Accept, which is rarely what "let namespaces decide" meant.',
    help: 'Add a default-deny NetworkPolicy in the namespaces (or a Baseline Deny), or write Accept if allowing was the intent.',
  },
  {
    rule: 'tier-baseline-overridden',
    code: 'NPA-TIER-BASELINE-OVERRIDDEN',
    defaultSeverity: 'medium',
    summary: 'Baseline rule that NetworkPolicy overrides for some pods',
    description:
      'The Baseline tier only decides for pods that no NetworkPolicy isolates in that direction. Once a NetworkPolicy selects a pod, a Baseline Accept (e.g. monitoring or DNS for everyone) no longer applies to it, and a Baseline Deny no longer protects it.',
    help: 'Allow the traffic in the NetworkPolicy too, or move the rule to the Admin tier if it must hold whatever namespaces write.',
    noFix:
      "The NetworkPolicy that voids the Baseline Accept is the namespace's own decision; which side should change is the owners' call.",
  },
  {
    rule: 'tier-networks-cover-pods',
    code: 'NPA-TIER-NETWORKS-PODS',
    defaultSeverity: 'medium',
    summary: 'A `networks` peer that also matches pod traffic',
    description:
      'The API matches `networks` CIDRs against every address, pods included: an Accept or Deny of `0.0.0.0/0` (or `::/0`, or a range holding the pod network) also accepts or denies pod-to-pod traffic, although networks peers are meant for destinations outside the cluster.',
    help: 'Put a rule that Passes (or decides) pod traffic before the networks rule, e.g. a Pass to `namespaces: {}`.',
    noFix:
      "Whether pods belong under the range is the author's intent: an except for the pod range and an earlier rule for the pods change the meaning differently.",
  },
  {
    rule: 'tier-domain-names',
    code: 'NPA-TIER-DOMAIN-NAMES',
    defaultSeverity: 'low',
    summary: '`domainNames` peers (experimental, implementation-specific)',
    description:
      '`domainNames` exists only in the experimental channel of the network-policy API: the standard-channel CRD prunes the field, which leaves an Accept rule matching nothing, and whether and how a network plugin matches names (it must watch the DNS answers pods receive) is implementation-specific.',
    help: "Check that the experimental CRD is installed and that the CNI implements domainNames; otherwise use `networks` with the service's addresses.",
    noFix: "The remedy is the cluster's network plugin or CRD channel, not an edit of the rule.",
  },
];
