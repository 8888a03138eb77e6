// Exposure through cluster-wide tiers: cluster policy peers name potential pods the same way
// NetworkPolicy peers do (`namespaces` is a namespace selector alone, `pods` both selectors), so
// they add representative peers, and a workload's exposure runs through the tiers like a real
// connection does.

import type { ClusterPolicyPeer, LabelSelector } from '@netpol-atlas/manifests';
import type { ConnectionSet } from './connectionSet.ts';
import type { CompiledClusterPolicy, CompiledTierPeer, CompiledTierRule } from './model.ts';
import {
  admitsAllNamespaces,
  type RepresentativePeer,
  representativePeer,
  selectorFullyMatches,
} from './representativePeer.ts';
import { decideSide, type SideQuery } from './tiers.ts';

/** The selectors a cluster policy peer names pods by, or undefined for address and domain peers. */
function peerSelectors(
  peer: ClusterPolicyPeer,
): { namespaceSelector: LabelSelector; podSelector: LabelSelector | undefined } | undefined {
  if (peer.pods)
    return { namespaceSelector: peer.pods.namespaceSelector, podSelector: peer.pods.podSelector };
  if (peer.namespaces) return { namespaceSelector: peer.namespaces, podSelector: undefined };
  return undefined;
}

/** The peer as written in its policy. */
function specPeer(rule: CompiledTierRule, peer: CompiledTierPeer): ClusterPolicyPeer | undefined {
  const spec = rule.policy.object.spec;
  return (rule.direction === 'Ingress' ? spec.ingress : spec.egress)[rule.index]?.peers[peer.index];
}

/**
 * Adds the representative peers of cluster policy rules to `out` (first of equal ones kept). As
 * for NetworkPolicy, a rule admitting every namespace yields none.
 */
export function collectTierRepresentatives(
  policies: readonly CompiledClusterPolicy[],
  out: Map<string, RepresentativePeer>,
): void {
  for (const policy of policies) {
    for (const rule of [...policy.ingress, ...policy.egress]) {
      const found: RepresentativePeer[] = [];
      let entireCluster = false;
      for (const peer of rule.peers) {
        const spec = specPeer(rule, peer);
        const selectors = spec && peerSelectors(spec);
        if (!selectors) continue;
        if (admitsAllNamespaces(selectors.namespaceSelector, selectors.podSelector)) {
          entireCluster = true;
          break;
        }
        found.push(representativePeer(selectors.namespaceSelector, selectors.podSelector, ''));
      }
      if (entireCluster) continue;
      for (const rep of found) if (!out.has(rep.key)) out.set(rep.key, rep);
    }
  }
}

/** Whether a cluster policy rule admits any pod of any namespace (the entire cluster). */
export function tierRuleAdmitsEntireCluster(rule: CompiledTierRule): boolean {
  return rule.peers.some((peer) => {
    if (peer.kind === 'unknown') return rule.action !== 'Accept';
    const spec = specPeer(rule, peer);
    const selectors = spec && peerSelectors(spec);
    return selectors !== undefined && admitsAllNamespaces(selectors.namespaceSelector, selectors.podSelector);
  });
}

/** Whether a cluster policy rule speaks for a representative peer (see selectorFullyMatches). */
export function tierRuleSelectsRepresentative(rule: CompiledTierRule, rep: RepresentativePeer): boolean {
  return rule.peers.some((peer) => {
    if (peer.kind === 'unknown') return rule.action !== 'Accept';
    const spec = specPeer(rule, peer);
    const selectors = spec && peerSelectors(spec);
    if (!selectors || !selectorFullyMatches(selectors.namespaceSelector, rep.namespaceSelector)) return false;
    return selectors.podSelector ? selectorFullyMatches(selectors.podSelector, rep.podSelector) : true;
  });
}

/** What a side allows a potential peer, through the tiers around its NetworkPolicy result. */
export function exposureThroughTiers(
  tiers: Parameters<typeof decideSide>[0],
  networkPolicy: (() => ConnectionSet) | undefined,
  query: SideQuery,
): ConnectionSet {
  return decideSide(tiers, networkPolicy, query);
}
