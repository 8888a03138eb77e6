/**
 * Every id the app puts on a node, an edge or a policy, built and parsed in this one place, so no
 * component takes an id apart with a regex or a prefix test. The analysis' own ids (workload,
 * policy, external range) are the evaluator's (`@netpol-atlas/evaluator` ids); the app adds the
 * ones it draws:
 * - namespace: `ns:<name>`, a collapsed namespace, or a whole namespace as a peer;
 * - domain name: `dns:<pattern>`, a name a cluster policy allows (the evaluator's peer string);
 * - drafted range: `range:<cidr>` plus ` except <cidr>,…`, an address range added by hand;
 * - cluster policy: `<Kind>/<name>`;
 * - edge: `<source>-><target>`, `denied:` first on the Admin tier's denials.
 * Branded types keep one kind of id from being passed where another is meant.
 */
import {
  type ExternalRangeId,
  formatIPv4,
  type PolicyId,
  parseExternalRangeId,
  parseWorkloadId,
  type WorkloadId,
} from '@netpol-atlas/evaluator';

export type { PolicyId };

declare const appIdBrand: unique symbol;
type Branded<Kind extends string> = string & { readonly [appIdBrand]: Kind };

/** A namespace as a node: `ns:<name>`. */
export type NamespaceId = Branded<'namespace'>;
/** A domain name (or `*.` pattern) a cluster policy names: `dns:<pattern>`. */
type DomainId = Branded<'domain'>;
/** An address range the user drafted: `range:<cidr>`, ` except <cidr>,…` when it has holes. */
export type DraftRangeId = Branded<'draft-range'>;
/** A cluster-scoped policy: `<Kind>/<name>`. */
type ClusterPolicyId = Branded<'cluster-policy'>;
/** A connection drawn between two nodes: `<source>-><target>`, `denied:` first for an Admin denial. */
export type EdgeId = Branded<'edge'>;

/** Anything drawn as a node. */
export type NodeId = WorkloadId | ExternalRangeId | DomainId | NamespaceId | DraftRangeId;
/** Any policy a list or a finding can select. */
export type AnyPolicyId = PolicyId | ClusterPolicyId;

/** A node id taken apart: which kind of node, and what it names. */
type NodeRef =
  | { kind: 'workload'; id: WorkloadId; namespace: string; name: string; workloadKind: string }
  | { kind: 'external'; id: ExternalRangeId; first: number; last: number }
  | { kind: 'domain'; id: DomainId; pattern: string }
  | { kind: 'namespace'; id: NamespaceId; namespace: string }
  | { kind: 'draft-range'; id: DraftRangeId; cidr: string; except: string[] };

const NAMESPACE_PREFIX = 'ns:';
const DOMAIN_PREFIX = 'dns:';
const DRAFT_PREFIX = 'range:';
const DRAFT_EXCEPT = ' except ';
const DENIED_PREFIX = 'denied:';
const ARROW = '->';
const CLUSTER_POLICY_KINDS: ReadonlySet<string> = new Set([
  'ClusterNetworkPolicy',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
]);

/** The node of namespace `name`. */
export function namespaceId(name: string): NamespaceId {
  return `${NAMESPACE_PREFIX}${name}` as NamespaceId;
}

/**
 * The node id of one of the evaluator's peers: a peer id is a workload, address range or domain
 * id by construction, so the worker's model takes it as it is.
 */
export function peerNodeId(peerId: string): NodeId {
  return peerId as NodeId;
}

/** True for the id of a (collapsed) namespace's node; cheap enough for every edge of a big graph. */
export function isNamespaceId(id: string): id is NamespaceId {
  return id.startsWith(NAMESPACE_PREFIX) && id.length > NAMESPACE_PREFIX.length;
}

/** The node of a drafted range `cidr` with holes `except`. */
export function draftRangeId(cidr: string, except: readonly string[]): DraftRangeId {
  return `${DRAFT_PREFIX}${cidr}${except.length > 0 ? `${DRAFT_EXCEPT}${except.join(',')}` : ''}` as DraftRangeId;
}

/** The edge from `source` to `target`; `denied` for an edge of the Admin tier's denials. */
export function edgeId(source: NodeId, target: NodeId, denied = false): EdgeId {
  return `${denied ? DENIED_PREFIX : ''}${source}${ARROW}${target}` as EdgeId;
}

/** What node id `id` names; undefined when it is no node id at all. */
export function parseNodeId(id: string): NodeRef | undefined {
  if (id.startsWith(NAMESPACE_PREFIX)) {
    const namespace = id.slice(NAMESPACE_PREFIX.length);
    return namespace === '' ? undefined : { kind: 'namespace', id: id as NamespaceId, namespace };
  }
  if (id.startsWith(DOMAIN_PREFIX)) {
    const pattern = id.slice(DOMAIN_PREFIX.length);
    return pattern === '' ? undefined : { kind: 'domain', id: id as DomainId, pattern };
  }
  if (id.startsWith(DRAFT_PREFIX)) {
    const [cidr = '', holes] = id.slice(DRAFT_PREFIX.length).split(DRAFT_EXCEPT);
    if (cidr === '' || holes === '') return undefined;
    return { kind: 'draft-range', id: id as DraftRangeId, cidr, except: holes ? holes.split(',') : [] };
  }
  const range = parseExternalRangeId(id);
  if (range) return { kind: 'external', id: id as ExternalRangeId, ...range };
  const workload = parseWorkloadId(id);
  if (workload) {
    const { namespace, name, kind } = workload;
    return { kind: 'workload', id: id as WorkloadId, namespace, name, workloadKind: kind };
  }
  return undefined;
}

/** `id` as a node id, when it is one. */
export function asNodeId(id: string): NodeId | undefined {
  return parseNodeId(id)?.id;
}

/** The namespace a node lies in (a workload's, or the namespace node's own); undefined for addresses and names. */
export function namespaceOfNode(id: string): string | undefined {
  const ref = parseNodeId(id);
  return ref?.kind === 'workload' || ref?.kind === 'namespace' ? ref.namespace : undefined;
}

/** An edge id taken apart; undefined when it is not one or an end is no node id. */
export function parseEdgeId(id: string): { source: NodeId; target: NodeId; denied: boolean } | undefined {
  const denied = id.startsWith(DENIED_PREFIX);
  const pair = denied ? id.slice(DENIED_PREFIX.length) : id;
  // No node id holds `->` (names are DNS labels, ranges use a single `-`), so the first one splits.
  const arrow = pair.indexOf(ARROW);
  if (arrow < 0) return undefined;
  const source = asNodeId(pair.slice(0, arrow));
  const target = asNodeId(pair.slice(arrow + ARROW.length));
  return source && target ? { source, target, denied } : undefined;
}

/**
 * `id` as a policy id: a NetworkPolicy's `ns/name` or a cluster policy's `Kind/name` (a namespace
 * is a lowercase DNS label, so it never reads as a kind); undefined for anything else.
 */
export function parsePolicyRef(
  id: string,
):
  | { scope: 'namespace'; id: PolicyId; namespace: string; name: string }
  | { scope: 'cluster'; id: ClusterPolicyId; kind: string; name: string }
  | undefined {
  const slash = id.indexOf('/');
  if (slash <= 0 || slash === id.length - 1 || id.endsWith(']')) return undefined;
  const [scope, name] = [id.slice(0, slash), id.slice(slash + 1)];
  if (name.includes('/')) return undefined;
  if (CLUSTER_POLICY_KINDS.has(scope))
    return { scope: 'cluster', id: id as ClusterPolicyId, kind: scope, name };
  return { scope: 'namespace', id: id as PolicyId, namespace: scope, name };
}

/**
 * How a node id reads in a sentence: `namespace store`, a drafted range as its CIDR; anything
 * else as itself.
 */
export function nodeLabel(id: string): string {
  const ref = parseNodeId(id);
  switch (ref?.kind) {
    case 'namespace':
      return `namespace ${ref.namespace}`;
    case 'draft-range':
      return id.slice(DRAFT_PREFIX.length);
    default:
      return id;
  }
}

/** The addresses of an external range id as text: `a.b.c.d`, or `first-last` when it spans more; undefined for other ids. */
export function rangeText(id: string): string | undefined {
  const range = parseExternalRangeId(id);
  if (!range) return undefined;
  return range.first === range.last
    ? formatIPv4(range.first)
    : `${formatIPv4(range.first)}-${formatIPv4(range.last)}`;
}
