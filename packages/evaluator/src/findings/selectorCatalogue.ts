// Every label selector the policies use, read from the decoded documents rather than from one
// policy model: NetworkPolicy, and the cluster-wide kinds (ClusterNetworkPolicy, AdminNetworkPolicy,
// BaselineAdminNetworkPolicy) alike, so the what-if tries the labels any of them decides on.

import type { KubeObject, LabelSelector, LabelSelectorRequirement, Labels } from '@netpol-atlas/manifests';
import { compileSelector } from '../selectors.ts';
import { namespaceOf } from '../workloads.ts';

/** One selector of one policy, with what it selects and where. */
export interface SelectorUse {
  selector: LabelSelector;
  /** What the selector matches: pods' labels or namespaces' labels. */
  selects: 'pod' | 'namespace';
  /** True for the pods a policy applies to (its `podSelector` or `subject`), false for a rule's peer. */
  subject: boolean;
  /**
   * The other half of the same peer (pods in namespaces): a pod selector's namespace selector, or a
   * namespace selector's pod selector. undefined when the peer has none.
   */
  companion: LabelSelector | undefined;
  /** A pod selector without a namespace selector matches in this namespace only (NetworkPolicy's own). */
  namespace: string | undefined;
  /** False when the policy only allows (NetworkPolicy): matching fewer of its peers never opens anything. */
  canDeny: boolean;
  /** `ns/name` of a NetworkPolicy, `Kind/name` of a cluster-wide policy. */
  policy: string;
}

/** Kinds whose documents hold no policy selectors (a workload's `spec.selector` picks its own pods). */
const NOT_POLICIES = new Set([
  'Namespace',
  'Pod',
  'Service',
  'Node',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'ReplicationController',
  'Job',
  'CronJob',
]);

type Json = Readonly<Record<string, unknown>>;

function isMap(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A selector as written; undefined when the value is not a selector map. */
function readSelector(value: unknown): LabelSelector | undefined {
  if (!isMap(value)) return undefined;
  const labels: Record<string, string> = {};
  if (isMap(value.matchLabels)) {
    for (const [k, v] of Object.entries(value.matchLabels)) {
      if (typeof v === 'string') labels[k] = v;
      else if (typeof v === 'number' || typeof v === 'boolean') labels[k] = String(v);
    }
  }
  const expressions: LabelSelectorRequirement[] = [];
  if (Array.isArray(value.matchExpressions)) {
    for (const e of value.matchExpressions) {
      if (!isMap(e) || typeof e.key !== 'string' || typeof e.operator !== 'string') continue;
      const values = Array.isArray(e.values) ? e.values.filter((v) => typeof v === 'string') : [];
      expressions.push({ key: e.key, operator: e.operator, values });
    }
  }
  return {
    matchLabels: isMap(value.matchLabels) ? labels : undefined,
    matchExpressions: Array.isArray(value.matchExpressions) ? expressions : undefined,
  };
}

/**
 * The selectors of every policy among `objects`, found by their field names wherever they sit:
 * `podSelector` and `namespaceSelector` (side by side they form one peer), and the cluster-wide
 * kinds' `namespaces`. A selector under `subject`, or a NetworkPolicy's `spec.podSelector`, is a
 * subject; the others are peers.
 */
export function selectorCatalogue(objects: readonly KubeObject[]): SelectorUse[] {
  const out: SelectorUse[] = [];
  for (const object of objects) {
    if (NOT_POLICIES.has(object.kind)) continue;
    const isNetworkPolicy = object.kind === 'NetworkPolicy';
    const policy = isNetworkPolicy
      ? `${namespaceOf(object)}/${object.metadata.name}`
      : `${object.kind}/${object.metadata.name}`;
    const base = { canDeny: !isNetworkPolicy, policy };
    const visit = (node: unknown, path: readonly string[]): void => {
      if (Array.isArray(node)) {
        for (const item of node) visit(item, path);
        return;
      }
      if (!isMap(node)) return;
      const subject =
        path.includes('subject') || (isNetworkPolicy && path.length === 1 && path[0] === 'spec');
      const pods = readSelector(node.podSelector);
      const namespaces = readSelector(node.namespaceSelector);
      // Cluster-wide peers read an absent half as `{}`; a NetworkPolicy peer without a namespace
      // selector stays in the policy's namespace.
      const fallbackNamespaces = isNetworkPolicy
        ? undefined
        : { matchLabels: {}, matchExpressions: undefined };
      if (pods) {
        out.push({
          ...base,
          selector: pods,
          selects: 'pod',
          subject,
          companion: namespaces ?? fallbackNamespaces,
          namespace: namespaces || !isNetworkPolicy ? undefined : namespaceOf(object),
        });
      }
      if (namespaces) {
        out.push({
          ...base,
          selector: namespaces,
          selects: 'namespace',
          subject,
          companion: pods,
          namespace: undefined,
        });
      }
      const clusterNamespaces = isNetworkPolicy ? undefined : readSelector(node.namespaces);
      if (clusterNamespaces) {
        out.push({
          ...base,
          selector: clusterNamespaces,
          selects: 'namespace',
          subject: subject || path.at(-1) === 'subject',
          companion: undefined,
          namespace: undefined,
        });
      }
      for (const [key, value] of Object.entries(node)) {
        if (key === 'metadata' || key === 'podSelector' || key === 'namespaceSelector') continue;
        if (key === 'namespaces' && clusterNamespaces) continue;
        visit(value, [...path, key]);
      }
    };
    visit(object.raw, []);
  }
  return out;
}

/** Values the selectors name for each key, per kind of object they select. */
export function selectorValues(
  uses: readonly SelectorUse[],
  selects: SelectorUse['selects'],
): Map<string, string[]> {
  const values = new Map<string, Set<string>>();
  const add = (key: string, value: string) => {
    let set = values.get(key);
    if (!set) {
      set = new Set();
      values.set(key, set);
    }
    set.add(value);
  };
  for (const use of uses) {
    if (use.selects !== selects) continue;
    for (const [k, v] of Object.entries(use.selector.matchLabels ?? {})) add(k, v);
    for (const e of use.selector.matchExpressions ?? []) for (const v of e.values) add(e.key, v);
  }
  return new Map([...values].map(([k, set]) => [k, [...set].sort()]));
}

/** Where a workload is, as the selectors see it: its pod labels, its namespace and that namespace's labels. */
export interface LabelledPlace {
  podLabels: Labels;
  namespace: string;
  namespaceLabels: Labels;
}

/** True when the use (with its companion or its namespace) matches a pod at `place`. */
export function useMatches(use: SelectorUse, place: LabelledPlace): boolean {
  const [own, other] =
    use.selects === 'pod'
      ? [place.podLabels, place.namespaceLabels]
      : [place.namespaceLabels, place.podLabels];
  if (!compileSelector(use.selector).matches(own)) return false;
  if (use.companion && !compileSelector(use.companion).matches(other)) return false;
  return use.namespace === undefined || use.namespace === place.namespace;
}

/**
 * The policies whose subject selects a pod at `place`, by their selectors alone: NetworkPolicies
 * by their pod selector in their namespace, cluster-wide policies by their subject's namespaces
 * or pods. (Host-network pods, which cluster-wide policies never select, are the caller's concern.)
 */
export function policiesSelecting(uses: readonly SelectorUse[], place: LabelledPlace): Set<string> {
  const out = new Set<string>();
  for (const use of uses) if (use.subject && useMatches(use, place)) out.add(use.policy);
  return out;
}
