/**
 * Plain, serialisable data exchanged between the analysis worker and the UI. Nothing here holds
 * functions or cyclic references, so it crosses `postMessage` unchanged.
 */

import type { NodeId } from './ids.ts';

/** Where something is written: file path and 1-based line/column. */
export interface SourceRef {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** A workload or an external address range. */
export interface GraphNode {
  /** The peer string: `ns/name[Kind]`, `a.b.c.d-e.f.g.h[External]` or `dns:<pattern>` (a domain name). */
  id: NodeId;
  type: 'workload' | 'external';
  /** Short display name: the workload name, the Node names, the domain, or the range as a CIDR when it is one. */
  label: string;
  kind: string;
  namespace: string | undefined;
  labels: Record<string, string>;
  ports: { name: string | undefined; port: number; protocol: string }[];
  /** Set on an address range that is (or holds) a Node's address: the Node names. */
  nodeNames?: string[];
  /** Some cluster policy (Admin or Baseline tier) has rules for its ingress / egress; unset without any. */
  clusterTiers?: { ingress: boolean; egress: boolean };
  /** Some policy selects it for ingress / egress. */
  ingressIsolated: boolean;
  egressIsolated: boolean;
  pods: number;
  source: SourceRef | undefined;
}

/** The layer that decided (part of) one side of a connection; `default`: none did, so it is allowed. */
export type DecidingLayer = 'Admin' | 'NetworkPolicy' | 'Baseline' | 'default';

/** A cluster policy rule, as the UI names it. */
export interface TierRuleView {
  /** `Kind/name`. */
  policy: string;
  tier: 'Admin' | 'Baseline';
  priority: number;
  direction: 'Ingress' | 'Egress';
  rule: number;
  ruleName: string | undefined;
  action: 'Accept' | 'Deny' | 'Pass';
  source: SourceRef | undefined;
}

/** One layer's share of what one side of a connection allows. */
export interface LayerDecisionView {
  layer: DecidingLayer;
  conn: string;
  /** The accepting rule (Admin and Baseline layers). */
  rule: TierRuleView | undefined;
  /** The admitting NetworkPolicies, `ns/name` (NetworkPolicy layer). */
  policies: string[];
}

/** Which layers decided each side of an edge (set when the workspace has cluster policies). */
export interface EdgeTiers {
  /** The most authoritative layer deciding some of it, on either side: Admin, NetworkPolicy, Baseline, default. */
  decidedBy: DecidingLayer;
  /** Empty on a side whose subject is an address. */
  egress: LayerDecisionView[];
  ingress: LayerDecisionView[];
}

/** The Admin tier's denials; `truncated` when there were more than the worker lists. */
export interface AdminDenialsView {
  /** One edge per pair (id `denied:src->dst`), with `adminDenied` set: what is denied, not allowed. */
  edges: GraphEdge[];
  /** Nodes the denied edges need that the allowed ones do not (address ranges, domain names). */
  nodes: GraphNode[];
  truncated: boolean;
}

/** An allowed connection. */
export interface GraphEdge {
  id: string;
  source: NodeId;
  target: NodeId;
  /** netpol-analyzer's connection string: `All Connections`, `TCP 80,UDP 53`. */
  label: string;
  all: boolean;
  /** Per protocol, flattened inclusive port ranges `[lo, hi, ...]`. */
  ports: Record<Protocol, number[]>;
  /** Which tier decided it; undefined when the workspace has no cluster policies. */
  tiers?: EdgeTiers;
  /**
   * Set on the edges of the Admin-denied overlay: the connection described is DENIED by these
   * Admin tier Deny rules (both sides' rules, each naming its direction).
   */
  adminDenied?: TierRuleView[];
}

export interface NamespaceSummary {
  name: string;
  labels: Record<string, string>;
  declared: boolean;
  workloads: number;
}

/** A policy: which workloads it selects and which peers its rules admit, for highlighting. */
export interface PolicySummary {
  /** `ns/name` for a NetworkPolicy; `Kind/name` for a cluster policy. */
  id: string;
  /** Empty for a cluster policy (cluster-scoped). */
  namespace: string;
  name: string;
  /** `NetworkPolicy`, or the cluster policy kind (ClusterNetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy). */
  kind: string;
  /** The layer it sits in: cluster policies in the Admin or Baseline tier, NetworkPolicies between. */
  tier: 'Admin' | 'NetworkPolicy' | 'Baseline';
  /** A cluster policy's priority (lower first); undefined for a NetworkPolicy. */
  priority: number | undefined;
  types: ('Ingress' | 'Egress')[];
  selects: string[];
  /**
   * The peers its rules admit, as indices into the model's `nodes`: compact, because a policy
   * open to every namespace admits every workload (see admittedIds).
   */
  admits: Int32Array;
  source: SourceRef | undefined;
}

/** Everything the graph needs, computed in the worker from the documents. */
export interface GraphModel {
  nodes: GraphNode[];
  edges: GraphEdge[];
  namespaces: NamespaceSummary[];
  policies: PolicySummary[];
}

/** A diagnostic as the UI shows it. */
export interface Problem {
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  file: string;
  field: string;
  source: SourceRef | undefined;
  fatal: boolean;
}

/** One rule that admits traffic, or nearly does. */
export interface RuleRef {
  policy: string;
  direction: 'Ingress' | 'Egress';
  rule: number;
  peer: number | undefined;
  ports: number[];
  conn: string;
  source: SourceRef | undefined;
  caveat: string | undefined;
}

export interface ExplainSide {
  direction: 'Ingress' | 'Egress';
  subject: string;
  isolated: boolean;
  policies: string[];
  allows: boolean;
  conn: string;
  summary: string;
  allowedBy: RuleRef[];
  nearMisses: { policy: string; rule: number; reason: 'ports' | 'peer'; source: SourceRef | undefined }[];
  /** The tier chain of this side, when some cluster policy selects its subject in this direction. */
  tiers: ExplainTierChain | undefined;
}

/** One cluster policy rule that decided part of a side's traffic (Accept, Deny or Pass). */
export interface ExplainTierDecision extends TierRuleView {
  conn: string;
  /** Same-tier, same-priority policies also matching: the order between them is implementation-defined. */
  tiedWith: string[];
}

/** A cluster policy that selects the subject but decided nothing of this traffic, and why. */
export interface ExplainPassedOver {
  policy: string;
  tier: 'Admin' | 'Baseline';
  priority: number;
  reason: 'peer' | 'ports' | 'decided' | 'no-rules';
  source: SourceRef | undefined;
}

/** The layered decision of one side: Admin tier, NetworkPolicy, Baseline tier, default. */
export interface ExplainTierChain {
  decisions: ExplainTierDecision[];
  passedOver: ExplainPassedOver[];
  /** What reached the NetworkPolicy layer ('No Connections' when the Admin tier decided all). */
  networkPolicyReached: string;
  networkPolicyIsolates: boolean;
  /** What no layer decided: allowed by default. */
  defaulted: string;
}

/** Why a connection is allowed or denied. */
export interface ExplainResult {
  src: string;
  dst: string;
  query: { protocol: Protocol; port: number } | undefined;
  verdict: 'allowed' | 'denied';
  conn: string;
  egress: ExplainSide;
  ingress: ExplainSide;
  notes: string[];
}

/** A manifest file loaded into the workspace. */
export interface DocumentFile {
  id: string;
  path: string;
  text: string;
}

/** A security finding as the UI shows it (locations resolved to editor references). */
export interface FindingView {
  id: string;
  rule: string;
  severity: 'critical' | 'high' | 'medium' | 'low' | 'info';
  title: string;
  message: string;
  subjects: string[];
  namespaces: string[];
  sources: SourceRef[];
  fix: string | undefined;
  /** Set when the fix is a preset the authoring dialogs can preview and apply. */
  preset: { kind: 'deny-ingress' | 'deny-egress-keep-dns'; namespace: string } | undefined;
  /** A group's findings, each as reported alone (absent for a single finding). */
  instances?: FindingView[];
}

/** What a compromised workload reaches now, and with one more label set. */
/** A label change of the what-if, as shown: labels set, labels removed. */
export interface WhatIfChange {
  labels: Record<string, string>;
  remove: string[];
}

/** One minimal label change and what it gives the workload, both ways. */
export interface WhatIfOpening extends WhatIfChange {
  /** Destinations it would reach (egress), with the connections gained. */
  opens: { peer: string; conn: string }[];
  /** Sources that would reach it (ingress), with the connections gained. */
  exposes: { peer: string; conn: string }[];
  loses: string[];
  leaves: string[];
  enters: string[];
  alternatives: WhatIfChange[];
}

/** How far one search went; `untried > 0`: the bound stopped it. */
export interface WhatIfSearchView {
  evaluated: number;
  limit: number;
  untried: number;
}

export interface WhatIfView {
  workload: string;
  reachesNow: { peer: string; conn: string }[];
  reachedByNow: { peer: string; conn: string }[];
  withPodLabels: WhatIfOpening[];
  withNamespaceLabels: WhatIfOpening[];
  search: { pod: WhatIfSearchView; namespace: WhatIfSearchView };
  notes: string[];
}

/** The ids of the peers a policy's rules admit. */
export function admittedIds(
  model: Pick<GraphModel, 'nodes'>,
  policy: Pick<PolicySummary, 'admits'>,
): string[] {
  return Array.from(policy.admits, (i) => model.nodes[i]!.id);
}

/** The node of an address range (a range of the analysis, or one drawn but not yet in a policy). */
export function externalNode(id: NodeId, label: string): GraphNode {
  return {
    id,
    type: 'external',
    label,
    kind: 'External',
    namespace: undefined,
    labels: {},
    ports: [],
    ingressIsolated: false,
    egressIsolated: false,
    pods: 0,
    source: undefined,
  };
}
