import { TIER_RULES } from './tiersCatalog.ts';
import type { FindingRule, FindingSeverity } from './types.ts';

/** What a finding rule checks, for reports and SARIF `rules[]`. */
export interface FindingRuleInfo {
  rule: FindingRule;
  /** Stable code, e.g. `NPA-OPEN-INGRESS`: the prefix of every finding id and the SARIF rule id. */
  code: string;
  /** The severity most findings of this rule have; some findings are raised or lowered by context. */
  defaultSeverity: FindingSeverity;
  /** One line. */
  summary: string;
  /** Why it matters. */
  description: string;
  /** What to do about it. */
  help: string;
  /**
   * Why findings of this rule carry no fix suggestion, when they cannot: the remedy lies outside
   * the manifests (the CNI, node access, the input's completeness) or is not a change of the
   * policy at all. Every other rule suggests a fix (tested).
   */
  noFix?: string;
}

/** Most severe first. */
export const FINDING_SEVERITIES: readonly FindingSeverity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** Rank of a severity: 0 for critical, 4 for info. */
export function severityRank(severity: FindingSeverity): number {
  return FINDING_SEVERITIES.indexOf(severity);
}

/** True when `severity` is `threshold` or more severe. */
export function severityAtLeast(severity: FindingSeverity, threshold: FindingSeverity): boolean {
  return severityRank(severity) <= severityRank(threshold);
}

const RULES: readonly FindingRuleInfo[] = [
  {
    rule: 'cni-not-enforced',
    code: 'NPA-CNI-NOT-ENFORCED',
    defaultSeverity: 'critical',
    summary: 'The CNI does not enforce NetworkPolicy',
    description:
      'NetworkPolicy support is optional for CNI plugins. Flannel and kubenet ignore NetworkPolicy objects: they are stored by the API server but nothing enforces them, so every pod can reach every other pod whatever the policies say.',
    help: 'Run a CNI that enforces NetworkPolicy (Calico, Cilium, Antrea...), or add one in policy-only mode beside Flannel (e.g. Canal).',
    noFix: "The remedy is the cluster's network plugin, not a manifest.",
  },
  {
    rule: 'cni-policy-not-analysed',
    code: 'NPA-CNI-POLICY',
    defaultSeverity: 'medium',
    summary: 'CNI-specific policy kinds present but not evaluated',
    description:
      "Calico and Cilium add their own policy kinds (and Kubernetes has AdminNetworkPolicy). They can allow or deny traffic before or after NetworkPolicy, so this analysis, which evaluates only networking.k8s.io/v1 NetworkPolicy, may differ from the cluster's real behaviour.",
    help: 'Review these objects separately, or keep connectivity rules in NetworkPolicy where possible.',
    noFix: 'Nothing in these objects is known to be wrong: they were not evaluated.',
  },
  {
    rule: 'invalid-manifest',
    code: 'NPA-INVALID-MANIFEST',
    defaultSeverity: 'high',
    summary: 'A manifest the API server would refuse',
    description:
      'The API server rejects this object, so it is not in force: a policy meant to protect pods protects nothing, and the analysis of the rest may be incomplete.',
    help: 'Fix the reported field; `netpol validate` prints every problem with its line.',
    noFix: 'The diagnostic names the refused field; the right value depends on what the author meant.',
  },
  {
    rule: 'unknown-field',
    code: 'NPA-UNKNOWN-FIELD',
    defaultSeverity: 'high',
    summary: 'A field Kubernetes does not know (dropped or refused)',
    description:
      'The API server drops unknown fields unless the client asks for strict validation (then the whole object is refused). A dropped selector key turns the selector into `{}`, which selects everything; a dropped `from`/`to` admits every peer; a dropped `ingress`/`egress` removes every rule.',
    help: 'Move the keys where they belong (labels go under `matchLabels`) and apply with `kubectl apply --validate=strict`.',
  },
  {
    rule: 'ignored-direction',
    code: 'NPA-IGNORED-DIRECTION',
    defaultSeverity: 'high',
    summary: 'Rules for a direction missing from policyTypes are ignored',
    description:
      'When `policyTypes` is written, Kubernetes ignores the rules of a direction it does not list: the pods are not isolated for that direction and the rules have no effect.',
    help: 'Add the direction to `policyTypes`, or delete the rules if they are not wanted.',
  },
  {
    rule: 'defaulted-policy-types',
    code: 'NPA-DEFAULTED-INGRESS',
    defaultSeverity: 'medium',
    summary: 'An egress-only policy also denies all ingress (policyTypes defaulted)',
    description:
      'Without `policyTypes`, the API server sets `[Ingress]`, plus `Egress` when egress rules exist. A policy written with egress rules only therefore also isolates its pods for ingress, with no ingress rule: all ingress to them is denied.',
    help: 'Write `policyTypes: [Egress]` if only egress was meant, or `[Ingress, Egress]` to make the deny explicit.',
  },
  {
    rule: 'open-ingress',
    code: 'NPA-OPEN-INGRESS',
    defaultSeverity: 'high',
    summary: 'Workload open to ingress from everywhere (no policy selects it)',
    description:
      'A pod no ingress policy selects accepts connections from every pod of the cluster and every address that can route to it. An attacker in any compromised pod can probe it.',
    help: 'Add a default-deny ingress policy to the namespace, then allow what the workload needs.',
  },
  {
    rule: 'open-egress',
    code: 'NPA-OPEN-EGRESS',
    defaultSeverity: 'medium',
    summary: 'Workload open to egress to everywhere (no policy selects it)',
    description:
      'A pod no egress policy selects can connect to every pod and every address: a compromised pod can probe the cluster and exfiltrate data.',
    help: 'Add a default-deny egress policy to the namespace (allowing DNS), then allow what the workload needs.',
  },
  {
    rule: 'dns-unreachable',
    code: 'NPA-DNS-UNREACHABLE',
    defaultSeverity: 'medium',
    summary: 'Egress-isolated workload that cannot resolve names',
    description:
      "Once an egress policy selects a pod, DNS is denied like everything else unless a rule allows it. Lookups go to the cluster DNS pods (the Service address is translated to them before policies apply), over UDP 53 and, for large answers, TCP 53 (OpenShift's DNS pods listen on 5353). Without them the workload cannot reach anything by name, even what its rules allow.",
    help: 'Allow egress to the DNS pods (kube-system, k8s-app=kube-dns) on UDP and TCP 53, or on the ports the DNS pods declare.',
  },
  {
    rule: 'missing-default-deny-ingress',
    code: 'NPA-NO-DEFAULT-DENY-INGRESS',
    defaultSeverity: 'medium',
    summary: 'Namespace without a default-deny ingress policy',
    description:
      "Without a policy selecting every pod (`podSelector: {}`) for ingress, a new pod, or a pod whose labels change so that its policies no longer select it, is open to ingress from everywhere. Isolation then depends on every pod's labels.",
    help: 'Add a `podSelector: {}` policy with `policyTypes: [Ingress]` and no rules.',
  },
  {
    rule: 'missing-default-deny-egress',
    code: 'NPA-NO-DEFAULT-DENY-EGRESS',
    defaultSeverity: 'low',
    summary: 'Namespace without a default-deny egress policy',
    description:
      'Without a policy selecting every pod for egress, new pods and pods whose labels change can connect anywhere.',
    help: 'Add a `podSelector: {}` policy with `policyTypes: [Egress]` and no rules (then allow DNS and what is needed).',
  },
  {
    rule: 'allow-any-peer',
    code: 'NPA-ANY-PEER',
    defaultSeverity: 'high',
    summary: 'Rule without `from`/`to`: admits every pod and every address',
    description:
      'A rule with no peers matches every source (ingress) or destination (egress): all pods of all namespaces and all IP addresses.',
    help: "List the peers the rule is for: the fix suggests the workloads whose own policies expect this traffic (and the DNS pods for egress), or at least the cluster's pods only.",
  },
  {
    rule: 'world-cidr',
    code: 'NPA-WORLD-CIDR',
    defaultSeverity: 'high',
    summary: 'ipBlock 0.0.0.0/0 (or ::/0): every address',
    description:
      'An ipBlock covering the whole address space admits every external address (the internet, if routable) and, on most CNIs, every pod and node too.',
    help: 'Narrow the CIDR to the addresses really needed, and use `except` for the cluster ranges.',
  },
  {
    rule: 'all-namespaces',
    code: 'NPA-ALL-NAMESPACES',
    defaultSeverity: 'high',
    summary: '`namespaceSelector: {}`: every namespace, including future ones',
    description:
      'An empty namespaceSelector matches every namespace. Alone it admits every pod of the cluster; with a podSelector it admits any pod with those labels in any namespace, and anyone who can create pods anywhere can add them.',
    help: 'Select the namespaces by name (`kubernetes.io/metadata.name`).',
  },
  {
    rule: 'all-ports',
    code: 'NPA-ALL-PORTS',
    defaultSeverity: 'low',
    summary: 'Rule admits every port',
    description:
      'A rule without `ports` admits every port and protocol of its peers, including debug and admin ports the workload may expose. Least privilege asks for the ports it serves.',
    help: "List the ports (the destination's container ports are suggested).",
  },
  {
    rule: 'ipblock-covers-pods',
    code: 'NPA-IPBLOCK-PODS',
    defaultSeverity: 'medium',
    summary: 'ipBlock covers pod IPs (implementation-defined)',
    description:
      'ipBlocks are meant for addresses outside the cluster. Whether one admits pods whose IPs it covers is implementation-defined: the upstream e2e suite and most CNIs say yes, Cilium says no, and pod IPs change on every restart. The rule may admit (or fail to admit) pods by accident.',
    help: 'Select pods with selectors; add the pod CIDR to `except`.',
  },
  {
    rule: 'ipblock-covers-nodes',
    code: 'NPA-IPBLOCK-NODES',
    defaultSeverity: 'medium',
    summary: 'ipBlock covers node IPs',
    description:
      'Traffic from nodes (kubelet, hostNetwork pods, SNATed traffic) carries node IPs. An ipBlock covering them admits everything that runs on, or spoofs, those nodes.',
    help: 'Add the node range to `except` unless node traffic is meant.',
  },
  {
    rule: 'ipblock-reaches-metadata',
    code: 'NPA-IPBLOCK-METADATA',
    defaultSeverity: 'high',
    summary: 'Egress ipBlock reaches the cloud metadata service (169.254.169.254)',
    description:
      "A wide egress ipBlock (0.0.0.0/0 with the cluster ranges excepted, say) still covers 169.254.169.254 unless it is excepted too. On most clouds the metadata service hands the node's instance credentials to any caller over HTTP, so a compromised pod gets the node's cloud permissions.",
    help: 'Add 169.254.169.254/32 (or 169.254.0.0/16) to `except`.',
  },
  {
    rule: 'ipblock-unseen-range',
    code: 'NPA-IPBLOCK-UNSEEN',
    defaultSeverity: 'medium',
    summary: 'ipBlock inside the Service range or loopback: policies never see those addresses',
    description:
      "Traffic to a ClusterIP is translated to a backing pod's address before NetworkPolicy applies, and loopback traffic never leaves the pod. An ipBlock made only of such addresses matches nothing, so what it was meant to allow is denied (or decided by other rules).",
    help: "Select the Service's pods with selectors instead of its ClusterIP.",
    noFix:
      "The peer meant is the Service's pods, which a ClusterIP range does not name; and deleting a rule's only peer would admit every destination.",
  },
  {
    rule: 'namespace-label-spoofable',
    code: 'NPA-NS-LABEL-SPOOF',
    defaultSeverity: 'high',
    summary: 'namespaceSelector on a label anyone who can label a namespace can set',
    description:
      "Labels other than `kubernetes.io/metadata.name` (which the API server sets to the namespace's name) can be added by anyone allowed to edit a namespace. That person can make this rule admit their namespace. With a podSelector beside it they also need pod labels, which namespace owners usually control.",
    help: 'Select namespaces with `kubernetes.io/metadata.name`.',
  },
  {
    rule: 'pod-label-spoofable',
    code: 'NPA-POD-LABEL-SPOOF',
    defaultSeverity: 'low',
    summary: 'podSelector peer: any pod of the namespace can match it by adding a label',
    description:
      "A podSelector peer trusts pod labels. Anyone who can create or label pods in the peer's namespace (directly or through a Deployment) can give a pod these labels and get the access.",
    help: 'Restrict who can create or label pods in that namespace (RBAC, an admission policy letting only the intended workloads carry the labels), or keep sensitive workloads in namespaces only their owners can write to.',
  },
  {
    rule: 'and-or-split',
    code: 'NPA-AND-OR-SPLIT',
    defaultSeverity: 'high',
    summary: 'namespaceSelector and podSelector in two peers (OR) where one peer (AND) was likely meant',
    description:
      "Two peers `- namespaceSelector: ...` and `- podSelector: ...` are OR-ed: the first admits every pod of the selected namespaces. The podSelector peer matches nothing in the policy's own namespace but matches pods in the namespaces the other peer selects, which suggests a single peer with both selectors (AND) was meant: one `-` too many.",
    help: 'Remove the `-` before `podSelector` so both selectors are in one peer.',
  },
  {
    rule: 'and-or-joined',
    code: 'NPA-AND-OR-JOINED',
    defaultSeverity: 'medium',
    summary: 'One peer with both selectors (AND) matches nothing; two peers (OR) may have been meant',
    description:
      'A peer with a namespaceSelector and a podSelector admits only pods matching both. Here no pod of the selected namespaces has the pod labels, though pods elsewhere do: one `-` may be missing.',
    help: 'If either selector alone was meant to admit, write them as two peers.',
  },
  {
    rule: 'negative-selector',
    code: 'NPA-NEGATIVE-SELECTOR',
    defaultSeverity: 'medium',
    summary: 'A selector written only as exclusions (NotIn, DoesNotExist)',
    description:
      'A selector with only NotIn/DoesNotExist requirements matches every pod or namespace that lacks the excluded labels, including every one created later without labels. As a peer it trusts newcomers by default; as the pods a policy selects, it hands them its allow rules.',
    help: 'Select what you trust by a label it must carry (matchLabels or In), and keep exclusions as a refinement.',
  },
  {
    rule: 'combined-widening',
    code: 'NPA-COMBINED-WIDENING',
    defaultSeverity: 'medium',
    summary: 'A broad policy voids the limits of a stricter one selecting the same pods',
    description:
      'Policies only add to each other: a pod admits whatever any policy selecting it allows. A strict policy (chosen peers, chosen ports) says nothing once a second policy selecting the same pods admits a whole namespace, every namespace, a large address block or every peer on the same ports.',
    help: 'Narrow the broad policy (its podSelector, peers or ports) so that it no longer selects the pods the strict policy protects.',
    noFix:
      'Which of the two policies is wrong depends on intent: the broad one may be meant for other pods (narrow its podSelector), or the strict one may be obsolete.',
  },
  {
    rule: 'one-sided-rule',
    code: 'NPA-ONE-SIDED',
    defaultSeverity: 'medium',
    summary: 'An allow rule the other side refuses: it carries no traffic',
    description:
      "A connection needs both the client's egress and the server's ingress to allow it. An egress rule towards pods whose ingress does not admit the sources (or an ingress rule from pods whose egress may not send) carries nothing: the traffic its author meant to allow is denied. A classic cause is another team's egress-only policy written without policyTypes, which the API server turns into a deny-all-ingress.",
    help: 'Add the matching rule on the other side (or fix its policyTypes), or delete the one-sided allow.',
  },
  {
    rule: 'policy-selects-nothing',
    code: 'NPA-SELECTS-NOTHING',
    defaultSeverity: 'low',
    summary: 'Policy selects no pod',
    description:
      "No workload in the policy's namespace matches its podSelector, so it isolates and allows nothing: often a typo in a label, or a policy left behind.",
    help: "Fix the podSelector to match the workload's labels (a near spelling is suggested), or delete the policy.",
  },
  {
    rule: 'peer-matches-nothing',
    code: 'NPA-PEER-MATCHES-NOTHING',
    defaultSeverity: 'low',
    summary: 'Rule peer matches no workload',
    description:
      'No analysed workload matches this peer, so it admits nothing (today). Often a typo in a label or namespace name; sometimes it is for workloads not in these manifests.',
    help: 'Use the labels the intended workloads carry (a near spelling is suggested), or delete the peer; a peer for the cluster DNS absent from the input is kept (info).',
  },
  {
    rule: 'named-port-undefined',
    code: 'NPA-NAMED-PORT-UNDEFINED',
    defaultSeverity: 'medium',
    summary: 'Named port no destination defines',
    description:
      "A named port resolves on the destination pod's container ports. If no destination defines it, the port entry admits nothing, and the traffic the author meant to allow is denied. Named ports never match ipBlock destinations.",
    help: 'Use the name the container port has (a near spelling, or the only name the destinations define), or the number the name stands for.',
  },
  {
    rule: 'named-port-protocol',
    code: 'NPA-NAMED-PORT-PROTOCOL',
    defaultSeverity: 'medium',
    summary: 'Named port defined only with another protocol',
    description:
      'A named port resolves by name AND protocol. The destination defines the name with a different protocol, so the entry admits nothing.',
    help: "Set the port entry's protocol to the container port's.",
  },
  {
    rule: 'undeclared-port',
    code: 'NPA-UNDECLARED-PORT',
    defaultSeverity: 'low',
    summary: 'Ingress port no selected container declares',
    description:
      'The rule opens a port that none of the pods it protects declares, though they declare others. Nothing should be listening there: the entry is usually copied from another policy or left over, and it admits whatever starts listening on that port later.',
    help: 'Delete the port entry, or declare the port on the container that serves it.',
  },
  {
    rule: 'duplicate-rule',
    code: 'NPA-DUPLICATE-RULE',
    defaultSeverity: 'low',
    summary: 'Rule duplicates another rule of the same policy',
    description: 'Two rules of one policy and direction admit exactly the same traffic. One is redundant.',
    help: 'Delete one of them.',
  },
  {
    rule: 'shadowed-rule',
    code: 'NPA-SHADOWED-RULE',
    defaultSeverity: 'low',
    summary: 'Rule fully covered by a broader rule of the same policy',
    description:
      'Every peer and port of this rule is admitted by another rule of the same policy and direction, so it has no effect. Often the broader rule is broader than intended.',
    help: 'Delete the narrower rule, or narrow the broader one.',
  },
  {
    rule: 'host-network',
    code: 'NPA-HOST-NETWORK',
    defaultSeverity: 'info',
    summary: 'hostNetwork pod: policies may not apply (implementation-defined)',
    description:
      "A pod on the host network uses its node's IP. Most CNIs do not apply NetworkPolicy to such pods, and peers see its traffic as node traffic, which is always allowed.",
    help: "Run the workload off the host network where possible; otherwise protect its ports with host firewalls or the CNI's host policies. A policy written for it may do nothing (medium).",
  },
  {
    rule: 'sctp-port',
    code: 'NPA-SCTP',
    defaultSeverity: 'info',
    summary: 'SCTP port (implementation-defined)',
    description:
      'SCTP in NetworkPolicy is GA since Kubernetes 1.20, but not every CNI implements it (Cilium does not by default): the rule may have no effect.',
    help: "Check the CNI's SCTP support.",
    noFix: 'The manifest is correct; support depends on the CNI.',
  },
  {
    rule: 'end-port',
    code: 'NPA-END-PORT',
    defaultSeverity: 'info',
    summary: 'Port range with endPort (implementation-defined on older CNIs)',
    description:
      'endPort needs Kubernetes 1.25+ (1.22+ behind a gate) and CNI support. Where it is not supported the range may be read as its first port only, or the rule ignored.',
    help: "Check the CNI's endPort support.",
    noFix: 'The manifest is correct; support depends on the Kubernetes version and the CNI.',
  },
  {
    rule: 'node-traffic',
    code: 'NPA-NODE-TRAFFIC',
    defaultSeverity: 'info',
    summary: "Traffic from a pod's node is always allowed",
    description:
      "To let the kubelet run health checks, CNIs always allow traffic from a pod's own node, whatever the policies say. Anyone with access to a node (even without admin rights) can send from the node's IP, or spoof it.",
    help: 'Protect nodes; use authentication (mTLS, tokens) between services as well as NetworkPolicy.',
    noFix: "Inherent to every CNI: no policy can deny a pod's own node.",
  },
  {
    rule: 'no-workloads',
    code: 'NPA-NO-WORKLOADS',
    defaultSeverity: 'info',
    summary: 'No workloads in the input: selection checks skipped',
    description:
      'The manifests contain policies but no pods or workloads, so checks that look at which pods a selector matches were skipped.',
    help: 'Add the workload manifests to the input for a complete review.',
    noFix: 'The input is incomplete, not wrong: add the workload manifests.',
  },
  ...TIER_RULES,
];

/** Every finding rule, in report order. */
export const FINDING_RULES: readonly FindingRuleInfo[] = RULES;

const BY_RULE = new Map(RULES.map((r) => [r.rule, r]));

/** The catalog entry of a rule. */
export function findingRuleInfo(rule: FindingRule): FindingRuleInfo {
  const info = BY_RULE.get(rule);
  if (!info) throw new Error(`unknown finding rule ${rule}`);
  return info;
}
