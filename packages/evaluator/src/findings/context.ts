import type {
  LabelSelector,
  NetworkPolicyPeer,
  NetworkPolicyRule,
  PathSegment,
  SourceRange,
} from '@netpol-atlas/manifests';
import { parseIPv4 } from '@netpol-atlas/manifests';
import type { Cluster, CniProfile, CompiledPolicy, CompiledRule, WorkloadPeer } from '../model.ts';
import { NAMESPACE_NAME_LABEL } from '../model.ts';
import type { CompiledSelector } from '../selectors.ts';
import { findingRuleInfo } from './catalog.ts';
import type { Finding, FindingLocation, FindingRule, FindingSeverity, FindingsOptions } from './types.ts';

/** Facts every rule module reads, computed once per {@link findings} call. */
export interface FindingContext {
  cluster: Cluster;
  options: FindingsOptions;
  cni: CniProfile;
  /** False for CNIs that ignore NetworkPolicy. */
  enforced: boolean;
  /** Per workload index: some policy selects it with Ingress / Egress in its policyTypes (whatever the CNI). */
  selectedForIngress: readonly boolean[];
  selectedForEgress: readonly boolean[];
  /** Known node IPv4 addresses (pods' `status.hostIP`, hostNetwork pods' IPs). */
  nodeIPs: readonly number[];
  /** Known pod IPv4 addresses (hostNetwork pods excluded), sorted, with the workload of each. */
  podIPs: readonly { ip: number; workload: WorkloadPeer }[];
  /** The workloads of a namespace (empty for unknown ones). */
  workloadsIn(namespace: string): readonly WorkloadPeer[];
  /** The policies of a namespace. */
  policiesIn(namespace: string): readonly CompiledPolicy[];
}

/** True for CNIs that enforce NetworkPolicy (the notes' table: Flannel and kubenet do not). */
export function enforces(cni: CniProfile): boolean {
  return cni !== 'flannel' && cni !== 'kubenet';
}

/** Builds the shared context. */
export function findingContext(cluster: Cluster, options: FindingsOptions): FindingContext {
  const cni = options.cni ?? cluster.options.cni;
  const selectedForIngress = cluster.workloads.map(() => false);
  const selectedForEgress = cluster.workloads.map(() => false);
  for (const policy of cluster.policies) {
    for (const w of policy.selected) {
      if (policy.affectsIngress) selectedForIngress[w] = true;
      if (policy.affectsEgress) selectedForEgress[w] = true;
    }
  }
  const nodeIPs = new Set<number>();
  for (const object of options.objects ?? []) {
    if (object.kind !== 'Pod' || !object.hostIP) continue;
    const ip = parseIPv4(object.hostIP);
    if (ip !== undefined) nodeIPs.add(ip);
  }
  // A hostNetwork pod's IP is its node's IP.
  for (const w of cluster.workloads) if (w.hostNetwork) for (const ip of w.ipv4) nodeIPs.add(ip);
  const podIPs = cluster.workloads
    .filter((w) => !w.hostNetwork)
    .flatMap((w) => w.ipv4.map((ip) => ({ ip, workload: w })))
    .sort((a, b) => a.ip - b.ip);
  const byNamespace = groupBy(cluster.workloads, (w) => w.namespace);
  const policiesByNamespace = groupBy(cluster.policies, (p) => p.namespace);
  return {
    cluster,
    options,
    cni,
    enforced: enforces(cni),
    selectedForIngress,
    selectedForEgress,
    nodeIPs: [...nodeIPs].sort((a, b) => a - b),
    podIPs,
    workloadsIn: (namespace) => byNamespace.get(namespace) ?? [],
    policiesIn: (namespace) => policiesByNamespace.get(namespace) ?? [],
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/** True when a member bitset admits no workload. */
export function admitsNone(members: Uint8Array): boolean {
  return !members.includes(1);
}

/**
 * Subjects and locations are for navigation: past this many the rest add no insight (the message
 * gives the totals) and only weigh on reports and SARIF uploads (GitHub keeps 100 locations a result).
 */
export const MAX_LISTED = 100;

/** The parts of a finding a rule module decides; the id, title and default severity come from the catalog. */
export interface FindingDraft {
  /** Identifies the subject and place within the rule, e.g. `shop/api/ingress[0].from[1]`. */
  key: string;
  severity?: FindingSeverity;
  title: string;
  message: string;
  subjects: string[];
  namespaces: string[];
  locations: (FindingLocation | undefined)[];
  fix?: Finding['fix'];
  /**
   * Findings of one rule with the same group key are reported as one group (see `groupFindings`):
   * e.g. identical rules, or one label set trusted by many rules. Undefined: reported alone.
   */
  group?: string;
}

/** Group keys are bookkeeping of the grouping step, not part of a finding's serialised shape. */
const GROUP_KEYS = new WeakMap<Finding, string>();

/** The group key a rule module gave a finding, if any. */
export function groupKeyOf(finding: Finding): string | undefined {
  return GROUP_KEYS.get(finding);
}

/** Completes a draft into a finding of `rule`. */
export function makeFinding(rule: FindingRule, draft: FindingDraft): Finding {
  const info = findingRuleInfo(rule);
  const finding: Finding = {
    id: `${info.code}:${draft.key}`,
    rule,
    severity: draft.severity ?? info.defaultSeverity,
    title: draft.title,
    message: draft.message,
    subjects: unique(draft.subjects, MAX_LISTED),
    namespaces: unique(draft.namespaces).sort(),
    locations: draft.locations.filter((l): l is FindingLocation => l !== undefined).slice(0, MAX_LISTED),
  };
  if (draft.fix) finding.fix = draft.fix;
  if (draft.group !== undefined) GROUP_KEYS.set(finding, draft.group);
  return finding;
}

/** Distinct values in order, stopping after `max` of them. */
function unique<T>(values: readonly T[], max = Number.POSITIVE_INFINITY): T[] {
  const seen = new Set<T>();
  for (const v of values) {
    if (seen.size >= max) break;
    seen.add(v);
  }
  return [...seen];
}

/** `ingress` or `egress`, the spec field of a direction. */
export function directionField(rule: Pick<CompiledRule, 'direction'>): 'ingress' | 'egress' {
  return rule.direction === 'Ingress' ? 'ingress' : 'egress';
}

/** `from` or `to`, the peers field of a direction. */
export function peersField(rule: Pick<CompiledRule, 'direction'>): 'from' | 'to' {
  return rule.direction === 'Ingress' ? 'from' : 'to';
}

/** A source location inside a policy; falls back to the whole document when the path is not found. */
export function policyLocation(policy: CompiledPolicy, path: readonly PathSegment[]): FindingLocation {
  const source = policy.object.source;
  return { file: source.file, range: source.locate(path) ?? source.range };
}

/** The location of `metadata.name` of a policy. */
export function policyNameLocation(policy: CompiledPolicy): FindingLocation {
  return policyLocation(policy, ['metadata', 'name']);
}

/** `spec.<direction>[i]`. */
export function rulePath(rule: CompiledRule): PathSegment[] {
  return ['spec', directionField(rule), rule.index];
}

/** `spec.<direction>[i].<from|to>[j]`. */
export function peerPath(rule: CompiledRule, peer: number): PathSegment[] {
  return [...rulePath(rule), peersField(rule), peer];
}

/** `spec.<direction>[i].ports[j]`. */
export function portPath(rule: CompiledRule, port: number): PathSegment[] {
  return [...rulePath(rule), 'ports', port];
}

/** How a rule reads in a message: `store/store-api ingress[0]`. */
export function ruleName(rule: CompiledRule): string {
  return `${rule.policy.id} ${directionField(rule)}[${rule.index}]`;
}

/** How a peer reads in a message: `store/store-api ingress[0].from[1]`. */
export function peerName(rule: CompiledRule, peer: number): string {
  return `${ruleName(rule)}.${peersField(rule)}[${peer}]`;
}

/** The id suffix of a rule: `store/store-api/ingress[0]`. */
export function ruleKey(rule: CompiledRule): string {
  return `${rule.policy.id}/${directionField(rule)}[${rule.index}]`;
}

/** The rule as written (the compiled rule keeps only what analysis needs). */
export function rawRule(rule: CompiledRule): NetworkPolicyRule | undefined {
  const spec = rule.policy.object.spec;
  return (rule.direction === 'Ingress' ? spec.ingress : spec.egress)?.[rule.index];
}

/** A peer as written. */
export function rawPeer(rule: CompiledRule, peer: number): NetworkPolicyPeer | undefined {
  return rawRule(rule)?.peers?.[peer];
}

/** Where a workload is declared (its name in the first manifest that defines it). */
export function workloadLocation(w: WorkloadPeer): FindingLocation | undefined {
  const pod = w.pods[0];
  if (!pod) return undefined;
  return { file: pod.source.file, range: pod.source.locate(['metadata', 'name']) ?? pod.source.range };
}

/** Where a namespace is declared, when it is. */
export function namespaceLocation(cluster: Cluster, name: string): FindingLocation | undefined {
  const source = cluster.namespaces.get(name)?.source;
  if (!source) return undefined;
  return { file: source.file, range: source.locate(['metadata', 'name']) ?? source.range };
}

/** A selector as people write it: `app=web, tier In (a,b)`, or `{} (everything)`. */
export function describeSelector(selector: CompiledSelector): string {
  return selector.matchesAll ? '{} (everything)' : selector.key.split(' && ').join(', ');
}

/**
 * The namespace names a selector pins through `kubernetes.io/metadata.name` (matchLabels or `In`),
 * or undefined when it does not pin the name: then any namespace with the right labels matches.
 */
export function pinnedNamespaceNames(selector: LabelSelector): string[] | undefined {
  const byLabel = selector.matchLabels?.[NAMESPACE_NAME_LABEL];
  const sets: string[][] = [];
  if (byLabel !== undefined) sets.push([byLabel]);
  for (const e of selector.matchExpressions ?? []) {
    if (e.key === NAMESPACE_NAME_LABEL && e.operator === 'In') sets.push([...e.values]);
  }
  if (sets.length === 0) return undefined;
  return sets.reduce((acc, s) => acc.filter((n) => s.includes(n))).sort();
}

/** Names of the namespaces a selector matches today. */
export function namespacesMatching(cluster: Cluster, selector: CompiledSelector): string[] {
  return [...cluster.namespaces.values()]
    .filter((ns) => selector.matches(ns.labels))
    .map((ns) => ns.name)
    .sort();
}

/** `a, b and 3 more` for long lists in messages. */
export function listText(values: readonly string[], max = 5): string {
  if (values.length === 0) return 'none';
  if (values.length <= max) return values.join(', ');
  return `${values.slice(0, max).join(', ')} and ${values.length - max} more`;
}

/** Compares ranges for sorting (undefined last). */
export function compareRanges(a: SourceRange | undefined, b: SourceRange | undefined): number {
  if (!a || !b) return a ? -1 : b ? 1 : 0;
  return a.start.line - b.start.line || a.start.column - b.start.column;
}

/** Every compiled rule of every policy, ingress first (rules of ignored directions are not compiled). */
export function allRules(cluster: Cluster): CompiledRule[] {
  return cluster.policies.flatMap((p) => [...p.ingress, ...p.egress]);
}

/** The ports of a rule as written: `TCP 80, TCP 8000-8080, TCP http, all UDP`, or `every port`. */
export function describePorts(rule: CompiledRule): string {
  if (!rule.ports) return 'every port';
  return rule.ports
    .map((p) =>
      p.kind === 'named'
        ? `${p.protocol} ${p.name}`
        : p.kind === 'all'
          ? `every ${p.protocol} port`
          : p.from === p.to
            ? `${p.protocol} ${p.from}`
            : `${p.protocol} ${p.from}-${p.to}`,
    )
    .join(', ');
}

/**
 * The workloads a rule's traffic goes to: for ingress the pods its policy selects, for egress the
 * workloads its peers admit (every workload when it has no peers).
 */
export function ruleDestinations(cluster: Cluster, rule: CompiledRule): WorkloadPeer[] {
  if (rule.direction === 'Ingress') return rule.policy.selected.map((i) => cluster.workloads[i]!);
  if (!rule.peers) return [...cluster.workloads];
  return cluster.workloads.filter((w) => rule.peers!.some((p) => p.members[w.index] === 1));
}
