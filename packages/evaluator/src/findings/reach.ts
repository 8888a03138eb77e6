import type { Labels } from '@netpol-atlas/manifests';
import { rulePorts } from '../analyze.ts';
import {
  ALL_CONNECTIONS,
  type ConnectionSet,
  intersectConnections,
  isEmptyConnections,
  NO_CONNECTIONS,
  unionConnections,
} from '../connectionSet.ts';
import type { Cluster, CompiledPeer, CompiledPolicy, CompiledRule, WorkloadPeer } from '../model.ts';
import { enforces } from './context.ts';

/**
 * One source workload seen with (possibly) different labels on itself and on its namespace. The
 * compiled cluster's member bitsets describe the labels as written, so every decision that
 * depends on the source's labels, or on its namespace's labels, is re-evaluated from the
 * compiled selectors; everything else (ipBlocks, destinations' own labels) reuses the bitsets.
 */
export interface SourceView {
  source: WorkloadPeer;
  podLabels: Labels;
  namespaceLabels: Labels;
  /** Policies that select the source for egress with these labels (empty when the CNI enforces nothing). */
  egressPolicies: readonly CompiledPolicy[];
}

/**
 * The source as it would be with `podLabels` and `namespaceLabels` (both complete label maps).
 * `candidates` narrows the policies that may select it (callers that build many views pass the
 * egress policies of its namespace once); default: all of them.
 */
export function sourceView(
  cluster: Cluster,
  source: WorkloadPeer,
  podLabels: Labels = source.labels,
  namespaceLabels: Labels = cluster.namespaces.get(source.namespace)?.labels ?? {},
  candidates: readonly CompiledPolicy[] = cluster.policies,
): SourceView {
  const egressPolicies = enforces(cluster.options.cni)
    ? candidates.filter(
        (p) => p.affectsEgress && p.namespace === source.namespace && p.podSelector.matches(podLabels),
      )
    : [];
  return { source, podLabels, namespaceLabels, egressPolicies };
}

function namespaceLabelsOf(cluster: Cluster, view: SourceView, namespace: string): Labels {
  // Relabelling the source's namespace relabels it for every pod in it, destinations included.
  if (namespace === view.source.namespace) return view.namespaceLabels;
  return cluster.namespaces.get(namespace)?.labels ?? {};
}

function selectorPeerAdmits(
  peer: CompiledPeer,
  policy: CompiledPolicy,
  namespace: string,
  namespaceLabels: Labels,
  podLabels: Labels,
): boolean {
  const inScope = peer.namespaceSelector
    ? peer.namespaceSelector.matches(namespaceLabels)
    : policy.namespace === namespace;
  return inScope && (!peer.podSelector || peer.podSelector.matches(podLabels));
}

/** True when an egress rule of the source admits `dst` (with the view's namespace labels). */
function egressRuleAdmits(
  cluster: Cluster,
  view: SourceView,
  rule: CompiledRule,
  dst: WorkloadPeer,
): boolean {
  if (!rule.peers) return true;
  const nsLabels = namespaceLabelsOf(cluster, view, dst.namespace);
  return rule.peers.some((peer) =>
    peer.kind === 'ipBlock'
      ? peer.members[dst.index] === 1
      : selectorPeerAdmits(peer, rule.policy, dst.namespace, nsLabels, dst.labels),
  );
}

/** True when an ingress rule of `dst` admits the source as the view sees it. */
function ingressRuleAdmits(view: SourceView, rule: CompiledRule): boolean {
  if (!rule.peers) return true;
  const src = view.source;
  return rule.peers.some((peer) =>
    peer.kind === 'ipBlock'
      ? peer.members[src.index] === 1
      : selectorPeerAdmits(peer, rule.policy, src.namespace, view.namespaceLabels, view.podLabels),
  );
}

/** What the source's egress side admits towards `dst`. */
export function egressTowards(cluster: Cluster, view: SourceView, dst: WorkloadPeer): ConnectionSet {
  if (view.egressPolicies.length === 0) return ALL_CONNECTIONS;
  let out = NO_CONNECTIONS;
  for (const policy of view.egressPolicies) {
    for (const rule of policy.egress) {
      if (egressRuleAdmits(cluster, view, rule, dst)) out = unionConnections(out, rulePorts(rule, dst));
    }
  }
  return out;
}

/** What `dst`'s ingress side admits from the source. */
export function ingressFrom(cluster: Cluster, view: SourceView, dst: WorkloadPeer): ConnectionSet {
  const policies = cluster.ingressPolicies[dst.index] ?? [];
  if (policies.length === 0) return ALL_CONNECTIONS;
  let out = NO_CONNECTIONS;
  for (const policy of policies) {
    for (const rule of policy.ingress) {
      if (ingressRuleAdmits(view, rule)) out = unionConnections(out, rulePorts(rule, dst));
    }
  }
  return out;
}

/**
 * Allowed connections from the viewed source to a workload: its egress AND the destination's
 * ingress. With the labels as written it equals `analyze(cluster).between(src, dst)`.
 */
export function connectionFromView(cluster: Cluster, view: SourceView, dst: WorkloadPeer): ConnectionSet {
  if (dst.index === view.source.index) return ALL_CONNECTIONS;
  const egress = egressTowards(cluster, view, dst);
  if (isEmptyConnections(egress)) return NO_CONNECTIONS;
  return intersectConnections(egress, ingressFrom(cluster, view, dst));
}
