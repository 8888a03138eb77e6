import type {
  Diagnostic,
  KubeObject,
  LabelSelector,
  NetworkPolicyPort,
  ObjectSource,
  SourceRange,
} from '@netpol-atlas/manifests';
import type { CniProfile, Direction } from '../model.ts';
import type { TierFindingRule, TierFixSuggestion } from './tiersTypes.ts';

/** How much a finding matters to a reviewer, most severe first in {@link FINDING_SEVERITIES}. */
export type FindingSeverity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** The names of the finding rules (kebab-case, stable: reports, SARIF and filters key on them). */
export type FindingRule =
  | 'cni-not-enforced'
  | 'cni-policy-not-analysed'
  | 'invalid-manifest'
  | 'unknown-field'
  | 'ignored-direction'
  | 'defaulted-policy-types'
  | 'open-ingress'
  | 'open-egress'
  | 'missing-default-deny-ingress'
  | 'missing-default-deny-egress'
  | 'allow-any-peer'
  | 'world-cidr'
  | 'all-namespaces'
  | 'all-ports'
  | 'ipblock-covers-pods'
  | 'ipblock-covers-nodes'
  | 'ipblock-reaches-metadata'
  | 'ipblock-unseen-range'
  | 'namespace-label-spoofable'
  | 'pod-label-spoofable'
  | 'and-or-split'
  | 'and-or-joined'
  | 'policy-selects-nothing'
  | 'peer-matches-nothing'
  | 'named-port-undefined'
  | 'named-port-protocol'
  | 'duplicate-rule'
  | 'shadowed-rule'
  | 'host-network'
  | 'sctp-port'
  | 'end-port'
  | 'node-traffic'
  | 'no-workloads'
  | 'dns-unreachable'
  | 'negative-selector'
  | 'one-sided-rule'
  | 'combined-widening'
  | 'undeclared-port'
  | TierFindingRule;

/** A place in the input that a finding is about. */
export interface FindingLocation {
  file: string;
  /** Undefined when the source range is unknown (e.g. an object read from JSON without positions). */
  range: SourceRange | undefined;
}

/** Where a rule lives inside a policy: `spec.<direction>[rule]`, optionally one of its peers or ports. */
export interface RuleRef {
  /** `ns/name` of the policy. */
  policy: string;
  direction: Direction;
  /** Index in `spec.ingress` / `spec.egress`. */
  rule: number;
}

/** A protocol and port a fix suggests to write into a rule. */
export interface SuggestedPort {
  protocol: 'TCP' | 'UDP' | 'SCTP';
  port: number;
}

/**
 * An authoring action described as data, so that the authoring package (or a person) can apply
 * it later. Each kind names exactly what to change; none of them is applied by the evaluator.
 */
export type FixSuggestion =
  /** Add a policy `podSelector: {}` with the given policyTypes and no rules to the namespace. */
  | { kind: 'preset-default-deny-ingress'; namespace: string }
  | { kind: 'preset-default-deny-egress'; namespace: string }
  /** Replace the peer's namespaceSelector by `kubernetes.io/metadata.name In (namespaces)`. */
  | ({ kind: 'use-namespace-name-label'; peer: number; namespaces: string[] } & RuleRef)
  /** Merge a namespaceSelector-only peer and a podSelector-only peer into one peer with both. */
  | ({ kind: 'merge-peers'; namespacePeer: number; podPeer: number } & RuleRef)
  /** Split a peer with both selectors into two peers (one per selector). */
  | ({ kind: 'split-peer'; peer: number } & RuleRef)
  /** Add the missing type to `spec.policyTypes` so that the written rules take effect. */
  | { kind: 'add-policy-type'; policy: string; policyType: Direction }
  /** Write `spec.policyTypes` explicitly. */
  | { kind: 'set-policy-types'; policy: string; policyTypes: Direction[] }
  /** Delete a rule: another rule of the same policy covers it (`coveredBy`), or it allows nothing. */
  | ({ kind: 'remove-rule'; coveredBy?: number } & RuleRef)
  /** Add `ports` to a rule that currently admits every port. */
  | ({ kind: 'restrict-ports'; ports: SuggestedPort[] } & RuleRef)
  /**
   * Delete one entry of a rule's `ports`; when it is the only one, delete the whole rule (an
   * empty `ports` would admit every port).
   */
  | ({ kind: 'remove-port'; port: number } & RuleRef)
  /** Add CIDRs to an ipBlock's `except` list. */
  | ({ kind: 'add-ipblock-except'; peer: number; except: string[] } & RuleRef)
  /** Set a selector's `matchLabels` to `labels`: keys written directly under it, or the labels a typo missed. */
  | {
      kind: 'move-into-match-labels';
      policy: string;
      /** Field path of the selector inside the object, e.g. `['spec', 'podSelector']`. */
      path: (string | number)[];
      labels: Record<string, string>;
    }
  /** Set the protocol of a named port entry to the one the destination defines. */
  | ({ kind: 'set-port-protocol'; port: number; protocol: 'TCP' | 'UDP' | 'SCTP' } & RuleRef)
  /** Add an egress rule to the policy admitting the DNS pods of `namespace` on these ports. */
  | { kind: 'add-dns-egress'; policy: string; namespace: string; ports: SuggestedPort[] }
  /** Give a rule without `from`/`to` these peers instead of "everything". */
  | ({ kind: 'set-peers'; peers: SuggestedPeer[] } & RuleRef)
  /** Replace a peer's pod labels (`matchLabels`) by labels that workloads really carry (a likely typo). */
  | ({ kind: 'set-peer-labels'; peer: number; labels: Record<string, string> } & RuleRef)
  /** Add `key In (values)` to a peer's podSelector, so that it trusts what it names, not what it lacks. */
  | ({ kind: 'require-label-in'; peer: number; key: string; values: string[] } & RuleRef)
  /** Delete a peer that matches nothing (the rule keeps its other peers). */
  | ({ kind: 'remove-peer'; peer: number } & RuleRef)
  /** Replace a port entry (a named port nothing defines) by one that resolves. */
  | ({
      kind: 'replace-port';
      port: number;
      with: { protocol: 'TCP' | 'UDP' | 'SCTP'; port: number | string };
    } & RuleRef)
  /** Let only the listed workloads carry `labels` in `namespace` (an admission policy; NetworkPolicy cannot). */
  | { kind: 'restrict-pod-labels'; namespace: string; labels: Record<string, string>; workloads: string[] }
  /** Run the workload off the host network, so that NetworkPolicy applies to it. */
  | { kind: 'disable-host-network'; workload: string }

  /**
   * Add a rule of `direction` to `policy` whose one peer is the pods `podSelector` selects in
   * `namespace` (by its `kubernetes.io/metadata.name`), on `ports` as written (none: every port):
   * the other half of an allow written on one side only.
   */
  | {
      kind: 'add-mirror-rule';
      policy: string;
      direction: Direction;
      namespace: string;
      podSelector: LabelSelector;
      ports: readonly NetworkPolicyPort[];
    }
  | TierFixSuggestion;

/**
 * A peer a fix suggests: pods of the namespaces named (`all`: `namespaceSelector: {}`), with
 * `podLabels` as the podSelector (every pod when absent); or an address block.
 */
export type SuggestedPeer =
  | { namespaces: string[] | 'all'; podLabels?: Record<string, string> }
  | { cidr: string };

/** One security or correctness finding about the analysed manifests. */
export interface Finding {
  /** Stable across runs on the same input: `<code>:<subject and place>`, e.g. `NPA-OPEN-INGRESS:shop/web[Deployment]`. */
  id: string;
  rule: FindingRule;
  severity: FindingSeverity;
  /** One line. */
  title: string;
  /** What is wrong and why it matters, for a reviewer who is not a NetworkPolicy expert. */
  message: string;
  /** Workload ids (`ns/name[Kind]`) and policy ids (`ns/name`) involved, most relevant first. */
  subjects: string[];
  /** Namespaces involved, for filtering. */
  namespaces: string[];
  /** Source ranges involved, most relevant first (may be empty for cluster-wide findings). */
  locations: FindingLocation[];
  fix?: { description: string; suggestion: FixSuggestion };
  /**
   * Set when this finding groups several of the same kind (a namespace's open workloads, one label
   * set trusted by many rules, identical rules): each of them as it would be reported alone, most
   * severe first. The group's severity is the highest of its instances'. Absent for a single finding.
   */
  instances?: FindingInstance[];
}

/** One finding inside a group: a {@link Finding} that is not itself a group. */
export type FindingInstance = Omit<Finding, 'instances'>;

/** A policy object of another kind (Calico, Cilium, AdminNetworkPolicy...) that was read but not evaluated. */
export interface UnanalysedPolicyRef {
  kind: string;
  name: string;
  namespace: string | undefined;
  apiVersion?: string;
  /** Where it was read (the parser's `UnanalysedObject` carries it). */
  source?: ObjectSource;
}

/** Inputs of {@link findings} beyond the compiled cluster. */
export interface FindingsOptions {
  /** The CNI the cluster runs; default: the cluster's own `options.cni`. */
  cni?: CniProfile;
  /** Objects the parser kept but did not analyse (`ParseResult.unanalysed`). */
  unanalysed?: readonly UnanalysedPolicyRef[];
  /** The parsed objects, for facts the compiled cluster does not keep (node IPs from `status.hostIP`). */
  objects?: readonly KubeObject[];
  /** Parse and build diagnostics: fatal ones become `invalid-manifest` findings. */
  diagnostics?: readonly Diagnostic[];
  /** The cluster's address ranges, for the ipBlock checks (addresses in the input are used too). */
  networks?: ClusterNetworks;
}

/**
 * The cluster's address ranges as IPv4 CIDRs (`--pod-cidr`, `--service-cidr`, `--node-cidr`).
 * Unparseable or IPv6 entries are ignored.
 */
export interface ClusterNetworks {
  podCidrs?: readonly string[];
  serviceCidrs?: readonly string[];
  nodeCidrs?: readonly string[];
}
