// The plain data a seeded random cluster is made of (randomCluster.ts draws it, clusterYaml.ts
// writes it as manifests). Used by tests only.

import type { ClusterOptions, Protocol } from '../index.ts';

export interface GenPort {
  name?: string;
  containerPort: number;
  protocol: Protocol;
}
export interface GenSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}
export interface GenPeer {
  podSelector?: GenSelector;
  namespaceSelector?: GenSelector;
  ipBlock?: { cidr: string; except?: string[] };
}
export interface GenPolicyPort {
  protocol?: Protocol;
  port?: number | string;
  endPort?: number;
}
export interface GenRule {
  peers?: GenPeer[];
  ports?: GenPolicyPort[];
}
export interface GenPolicy {
  name: string;
  namespace?: string;
  podSelector: GenSelector;
  policyTypes?: Array<'Ingress' | 'Egress'>;
  ingress?: GenRule[];
  egress?: GenRule[];
}
export interface GenPod {
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  ports: GenPort[];
  /** Owner (a ReplicaSet) when controlled. */
  owner?: string;
  /** Omitted: no status at all. */
  status?: { phase: 'Running' | 'Succeeded' | 'Failed'; ip?: string };
}
export interface GenWorkload {
  kind: 'Deployment' | 'StatefulSet';
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  ports: GenPort[];
}
export interface GenTierPeer {
  namespaces?: GenSelector;
  pods?: { namespaceSelector: GenSelector; podSelector: GenSelector };
  networks?: string[];
}
export interface GenTierPort {
  protocol: Protocol;
  /** A number, a range `port..end`, or (with `name`) a named port; none of them: the whole protocol (v1alpha2 only). */
  port?: number;
  end?: number;
  name?: string;
}
export interface GenTierRule {
  action: 'Accept' | 'Deny' | 'Pass';
  peers: GenTierPeer[];
  ports?: GenTierPort[];
}
/** A ClusterNetworkPolicy (v1alpha2) or an AdminNetworkPolicy / BaselineAdminNetworkPolicy (v1alpha1). */
export interface GenClusterPolicy {
  kind: 'ClusterNetworkPolicy' | 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy';
  name: string;
  tier: 'Admin' | 'Baseline';
  priority: number;
  subject: GenTierPeer;
  ingress?: GenTierRule[];
  egress?: GenTierRule[];
}
export interface GenCluster {
  namespaces: Array<{ name: string; labels: Record<string, string> }>;
  pods: GenPod[];
  workloads: GenWorkload[];
  policies: GenPolicy[];
  /** Cluster-wide policies (only with `randomCluster(seed, { clusterPolicies: true })`). */
  clusterPolicies: GenClusterPolicy[];
  options: ClusterOptions;
}
