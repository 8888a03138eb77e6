import type { Locator, SourceRange } from './diagnostics.ts';

/** Labels as Kubernetes stores them: string to string. */
export type Labels = Readonly<Record<string, string>>;

/**
 * Where an object came from: file, document index, the document's range and a field locator.
 * Sources of objects from a `ManifestCache` are live: `document`, `range` and `locate` follow the
 * document's current place in its file, as the file was at the cache's latest parse of it.
 */
export interface ObjectSource {
  file: string;
  /** 0-based index of the YAML document in the file (JSON files: 0). */
  document: number;
  /** Index inside a `List` document, when the object was a list item. */
  item?: number;
  range: SourceRange | undefined;
  /** Resolves a field path relative to this object to its source range. */
  locate: Locator;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller: boolean;
}

export interface ObjectMeta {
  name: string;
  /** As written; undefined when absent (the evaluator defaults it to `default`). */
  namespace: string | undefined;
  labels: Labels;
  annotations: Labels;
  ownerReferences: readonly OwnerReference[];
}

export interface ContainerPort {
  name: string | undefined;
  containerPort: number;
  /** Defaulted to TCP. */
  protocol: string;
}

/** What the evaluator needs of a pod spec (also used for workload pod templates). */
export interface PodTemplate {
  labels: Labels;
  ports: readonly ContainerPort[];
  hostNetwork: boolean;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values: readonly string[];
}

/** A label selector as written. `undefined` fields were absent. */
export interface LabelSelector {
  matchLabels: Labels | undefined;
  matchExpressions: readonly LabelSelectorRequirement[] | undefined;
}

export interface IPBlock {
  cidr: string;
  except: readonly string[];
}

/** One entry of `from`/`to`. Absent selectors are `undefined`; `{}` is an empty selector. */
export interface NetworkPolicyPeer {
  podSelector: LabelSelector | undefined;
  namespaceSelector: LabelSelector | undefined;
  ipBlock: IPBlock | undefined;
}

/** `port` is a number, a name, or undefined (all ports). `protocol` undefined means TCP. */
export interface NetworkPolicyPort {
  protocol: string | undefined;
  port: number | string | undefined;
  endPort: number | undefined;
}

/** An ingress or egress rule. `peers`/`ports` undefined = field absent (match all). */
export interface NetworkPolicyRule {
  peers: readonly NetworkPolicyPeer[] | undefined;
  ports: readonly NetworkPolicyPort[] | undefined;
}

export interface NetworkPolicySpec {
  podSelector: LabelSelector;
  /** As written; undefined when absent (the evaluator applies API-server defaulting). */
  policyTypes: readonly string[] | undefined;
  ingress: readonly NetworkPolicyRule[] | undefined;
  egress: readonly NetworkPolicyRule[] | undefined;
}

interface ObjectBase {
  apiVersion: string;
  metadata: ObjectMeta;
  source: ObjectSource;
  /** The decoded document, for tools that need fields this model does not type. */
  raw: Readonly<Record<string, unknown>>;
}

export interface NamespaceObject extends ObjectBase {
  kind: 'Namespace';
}

export interface PodObject extends ObjectBase {
  kind: 'Pod';
  template: PodTemplate;
  /** `status.podIPs` (or `status.podIP`), empty when unknown. */
  podIPs: readonly string[];
  hostIP: string | undefined;
  /** `status.phase`, undefined when the manifest has no status. */
  phase: string | undefined;
}

export const WORKLOAD_KINDS = [
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'ReplicationController',
  'Job',
  'CronJob',
] as const;

export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

export interface WorkloadObject extends ObjectBase {
  kind: WorkloadKind;
  template: PodTemplate;
  replicas: number | undefined;
}

export interface ServicePort {
  name: string | undefined;
  port: number;
  targetPort: number | string | undefined;
  protocol: string;
}

export interface ServiceObject extends ObjectBase {
  kind: 'Service';
  selector: Labels | undefined;
  ports: readonly ServicePort[];
}

export interface NetworkPolicyObject extends ObjectBase {
  kind: 'NetworkPolicy';
  spec: NetworkPolicySpec;
  /** False when validation found errors: the API server would have rejected the object. */
  valid: boolean;
}

/** A Node: its labels (in `metadata`) and the IPs in `status.addresses`. */
export interface NodeObject extends ObjectBase {
  kind: 'Node';
  /** `status.addresses[].address` values that are IP addresses (host names are left out). */
  addresses: readonly string[];
}

/** The kinds of cluster-wide policy: v1alpha2 ClusterNetworkPolicy and the v1alpha1 pair it replaces. */
export const CLUSTER_POLICY_KINDS = [
  'ClusterNetworkPolicy',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
] as const;

export type ClusterPolicyKind = (typeof CLUSTER_POLICY_KINDS)[number];

/** `namespaceSelector` AND `podSelector` (an absent selector is read as `{}`, as Go's zero value). */
export interface NamespacedPodSelector {
  namespaceSelector: LabelSelector;
  podSelector: LabelSelector;
}

/**
 * One peer (or the subject) of a cluster policy. Exactly one field is set in a valid object;
 * none set means a field this model does not know (the spec says: fail closed).
 */
export interface ClusterPolicyPeer {
  namespaces: LabelSelector | undefined;
  pods: NamespacedPodSelector | undefined;
  /** CIDRs as written (egress only). */
  networks: readonly string[] | undefined;
  /** Node label selector (egress only, experimental channel). */
  nodes: LabelSelector | undefined;
  /** Domain names as written (egress only, experimental channel). */
  domainNames: readonly string[] | undefined;
}

/**
 * A port match, the same for both API versions: v1alpha2 `protocols[]` entries and v1alpha1
 * `ports[]` entries. `protocol` is defaulted to TCP where the API defaults it.
 */
export type ClusterPolicyPort =
  | { kind: 'number'; protocol: string; port: number }
  | { kind: 'range'; protocol: string; start: number; end: number }
  /** Every port of one protocol (v1alpha2 `tcp: {}` without a destination port). */
  | { kind: 'protocol'; protocol: string }
  /** A container port name on the destination pod, whatever its protocol. */
  | { kind: 'named'; name: string };

/** One ingress or egress rule of a cluster policy. */
export interface ClusterPolicyRule {
  name: string | undefined;
  /** As written: `Accept`/`Deny`/`Pass` (v1alpha2) or `Allow`/`Deny`/`Pass` (v1alpha1). */
  action: string;
  /** `from` (ingress) or `to` (egress). */
  peers: readonly ClusterPolicyPeer[];
  /** undefined: absent, every port of every protocol. */
  ports: readonly ClusterPolicyPort[] | undefined;
  /** Field name of the ports list as written: `protocols` (v1alpha2) or `ports` (v1alpha1). */
  portsField: 'protocols' | 'ports';
}

/** The normalised spec of any cluster policy kind. */
export interface ClusterPolicySpec {
  /** `Admin` or `Baseline` (v1alpha1: ANP is Admin, BANP is Baseline); as written for v1alpha2. */
  tier: string;
  /** 0..1000 as written; BaselineAdminNetworkPolicy (a singleton) has none and reads 0. */
  priority: number;
  subject: ClusterPolicyPeer;
  ingress: readonly ClusterPolicyRule[];
  egress: readonly ClusterPolicyRule[];
}

/** A ClusterNetworkPolicy, AdminNetworkPolicy or BaselineAdminNetworkPolicy (cluster-scoped). */
export interface ClusterPolicyObject extends ObjectBase {
  kind: ClusterPolicyKind;
  spec: ClusterPolicySpec;
  /** False when validation found errors: the API server would have rejected the object. */
  valid: boolean;
}

export type KubeObject =
  | NamespaceObject
  | PodObject
  | WorkloadObject
  | ServiceObject
  | NetworkPolicyObject
  | ClusterPolicyObject
  | NodeObject;

/** One input file. */
export interface SourceFile {
  path: string;
  text: string;
}
