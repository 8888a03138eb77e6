import type {
  ClusterPolicyKind,
  ClusterPolicyObject,
  ContainerPort,
  Diagnostic,
  IPBlock,
  Labels,
  NetworkPolicyObject,
  ObjectSource,
} from '@netpol-atlas/manifests';
import type { Protocol } from './connectionSet.ts';
import type { Intervals } from './intervals.ts';
import type { CompiledSelector } from './selectors.ts';

/** Where an object without `metadata.namespace` lives. */
export const DEFAULT_NAMESPACE = 'default';

/** The label every namespace carries (Kubernetes 1.21+), keyed on its name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * How the NetworkPolicy implementation behaves. `upstream` is the Kubernetes e2e conformance
 * behaviour; the others model the notes' CNI table.
 */
export type CniProfile =
  | 'upstream'
  | 'calico'
  | 'cilium'
  | 'antrea'
  | 'ovn-kubernetes'
  | 'flannel'
  | 'kubenet';

/** Options of {@link buildCluster}. */
export interface ClusterOptions {
  /**
   * `netpol-analyzer` reproduces np-guard netpol-analyzer's documented deviations: ipBlocks never
   * select pods, a named port towards an ipBlock peer is a fatal error, `virt-launcher-*` pods are
   * ignored, finished pods (Succeeded/Failed) are kept. Default: upstream semantics.
   */
  compat?: 'netpol-analyzer';
  /** Default `upstream`. */
  cni?: CniProfile;
  /** `workload` (default): one peer per owner. `pod`: one peer per Pod object (workload manifests ignored). */
  granularity?: 'workload' | 'pod';
}

/** A namespace, declared by a manifest or implied by an object that lives in it. */
export interface NamespaceInfo {
  name: string;
  /** Always includes `kubernetes.io/metadata.name`. */
  labels: Labels;
  declared: boolean;
  source: ObjectSource | undefined;
}

/** One pod behind a workload peer (a template counts as one pod). */
export interface PodInfo {
  name: string;
  labels: Labels;
  ips: readonly string[];
  hostNetwork: boolean;
  source: ObjectSource;
}

/** A workload (or bare pod) as a peer of the connectivity graph. */
export interface WorkloadPeer {
  type: 'workload';
  /** Position in `cluster.workloads`. */
  index: number;
  /** `ns/name[Kind]`, netpol-analyzer's peer string. */
  id: string;
  namespace: string;
  name: string;
  kind: string;
  labels: Labels;
  ports: readonly ContainerPort[];
  pods: PodInfo[];
  /** Known IPv4 addresses of its pods, as integers. */
  ipv4: readonly number[];
  hostNetwork: boolean;
}

/**
 * A disjoint range of addresses outside the cluster's pods, cut at every ipBlock boundary; or a
 * domain-name destination of a cluster policy (`domain` set), whose addresses are unknown.
 */
export interface ExternalPeer {
  type: 'external';
  /** `first-last[External]`, or `dns:<pattern>` for a domain name. */
  id: string;
  /** A domain name's addresses are unknown: its range spans all of IPv4. */
  first: number;
  last: number;
  /** The lower-cased name pattern (`*.example.com`) of a domain-name peer. */
  domain?: string;
}

export type Peer = WorkloadPeer | ExternalPeer;

export type Direction = 'Ingress' | 'Egress';

/** A port entry of a rule, resolved as far as possible without a destination. */
export interface CompiledPort {
  index: number;
  protocol: Protocol;
  /** `all`: no port given; `range`: `from..to`; `named`: resolved per destination. */
  kind: 'all' | 'range' | 'named';
  from: number;
  to: number;
  name: string | undefined;
  /**
   * Cluster policies name a port without a protocol (`destinationNamedPort`, `namedPort`): the
   * name then resolves on any protocol of the destination's container port.
   */
  anyProtocol?: boolean;
}

/** A peer entry of a rule, with its members precomputed. */
export interface CompiledPeer {
  index: number;
  /** Shared by every peer entry with identical semantics (same selectors or same block). */
  group: number;
  kind: 'selector' | 'ipBlock';
  namespaceSelector: CompiledSelector | undefined;
  podSelector: CompiledSelector | undefined;
  ipBlock: IPBlock | undefined;
  /** IPv4 addresses admitted (ipBlock peers; undefined for IPv6 blocks). */
  ipv4: Intervals | undefined;
  /** `members[workloadIndex] === 1` when the peer admits that workload. */
  members: Uint8Array;
}

/** One ingress or egress rule. */
export interface CompiledRule {
  /** Global rule number (stable within one cluster). */
  id: number;
  policy: CompiledPolicy;
  direction: Direction;
  index: number;
  /** undefined: `from`/`to` absent or empty, i.e. every source/destination. */
  peers: readonly CompiledPeer[] | undefined;
  /** undefined: `ports` absent or empty, i.e. every port. */
  ports: readonly CompiledPort[] | undefined;
}

/** A NetworkPolicy after API-server defaulting, with compiled selectors and rules. */
export interface CompiledPolicy {
  /** `ns/name`. */
  id: string;
  namespace: string;
  name: string;
  object: NetworkPolicyObject;
  podSelector: CompiledSelector;
  /** Effective policyTypes (defaulted). */
  affectsIngress: boolean;
  affectsEgress: boolean;
  ingress: readonly CompiledRule[];
  egress: readonly CompiledRule[];
  /** Indices of the workloads the policy selects. */
  selected: readonly number[];
}

/** The two tiers cluster-wide policies live in; NetworkPolicy sits between them. */
export type Tier = 'Admin' | 'Baseline';

/** A cluster policy rule's action, v1alpha1 `Allow` read as `Accept`. */
export type TierAction = 'Accept' | 'Deny' | 'Pass';

/** A peer of a cluster policy rule, with its members precomputed like a NetworkPolicy peer's. */
export interface CompiledTierPeer {
  index: number;
  /** Peer group number, shared with NetworkPolicy peers of identical meaning. */
  group: number;
  /**
   * `unknown`: no field this model knows was set (a newer CRD): the spec says fail closed, so it
   * matches everything in a Deny or Pass rule and nothing in an Accept rule.
   */
  kind: 'namespaces' | 'pods' | 'networks' | 'nodes' | 'domainNames' | 'unknown';
  namespaceSelector: CompiledSelector | undefined;
  podSelector: CompiledSelector | undefined;
  nodeSelector: CompiledSelector | undefined;
  /** CIDRs of a `networks` peer, as written. */
  cidrs: readonly string[];
  /** IPv4 addresses the peer admits as external destinations (networks, node addresses). */
  ipv4: Intervals | undefined;
  /** Lower-cased domain names of a `domainNames` peer, trailing dot removed. */
  domains: readonly string[];
  /** `members[workloadIndex] === 1` when the peer admits that workload. */
  members: Uint8Array;
}

/** One ingress or egress rule of a cluster policy. */
export interface CompiledTierRule {
  /** Global rule number, from the same counter as NetworkPolicy rules. */
  id: number;
  policy: CompiledClusterPolicy;
  direction: Direction;
  index: number;
  name: string | undefined;
  action: TierAction;
  peers: readonly CompiledTierPeer[];
  /** undefined: no `protocols`/`ports`, every port of every protocol. */
  ports: readonly CompiledPort[] | undefined;
}

/** A ClusterNetworkPolicy (or v1alpha1 AdminNetworkPolicy / BaselineAdminNetworkPolicy), compiled. */
export interface CompiledClusterPolicy {
  /** `Kind/name`: cluster-scoped names are unique per kind only. */
  id: string;
  kind: ClusterPolicyKind;
  name: string;
  tier: Tier;
  priority: number;
  object: ClusterPolicyObject;
  ingress: readonly CompiledTierRule[];
  egress: readonly CompiledTierRule[];
  /** Indices of the workloads the subject selects (host-network pods never). */
  selected: readonly number[];
}

/**
 * The cluster policy rules that apply to one workload in one direction, in evaluation order:
 * ascending priority, ties broken by policy id (a documented, deterministic choice that the
 * `cluster-policy-priority-tie` diagnostic flags), then rule order.
 */
export interface SideTiers {
  admin: readonly CompiledTierRule[];
  baseline: readonly CompiledTierRule[];
}

/** The compiled cluster: build once, query many times. */
export interface Cluster {
  options: Required<Pick<ClusterOptions, 'cni' | 'granularity'>> & Pick<ClusterOptions, 'compat'>;
  namespaces: ReadonlyMap<string, NamespaceInfo>;
  workloads: readonly WorkloadPeer[];
  policies: readonly CompiledPolicy[];
  /** Per workload: the policies that select it for ingress / for egress. */
  ingressPolicies: readonly (readonly CompiledPolicy[])[];
  egressPolicies: readonly (readonly CompiledPolicy[])[];
  /** IPv4 sets named by ingress / egress ipBlocks (atoms are cut at their boundaries). */
  ingressIpSets: readonly Intervals[];
  egressIpSets: readonly Intervals[];
  /** Name patterns that egress `domainNames` peers of the policies in force write (sorted): each is an external peer. */
  domains: readonly string[];
  /** Cluster-wide policies in force (both tiers, both API versions), in evaluation order. */
  clusterPolicies: readonly CompiledClusterPolicy[];
  /** Per workload: the cluster policy rules that apply to its ingress / egress. */
  ingressTiers: readonly SideTiers[];
  egressTiers: readonly SideTiers[];
  /**
   * Policy id to the ids of same-tier, same-priority policies whose rules overlap with different
   * actions for some pod: the order between them is implementation-defined.
   */
  priorityTies: ReadonlyMap<string, readonly string[]>;
  /** True when some rule uses a named port (destination port layouts then matter). */
  usesNamedPorts: boolean;
  /** Problems found while building; see {@link isFatal}. */
  diagnostics: readonly Diagnostic[];
}
