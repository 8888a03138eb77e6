// Default-deny written as a cluster policy: a Deny of every pod (and every address) with no ports,
// in the Admin or Baseline tier. A workload it covers is not "open to everywhere", and a namespace
// it covers whole needs no default-deny NetworkPolicy of its own: the platform wrote one.

import { IPV4_ALL } from '@netpol-atlas/manifests';
import { subtractIntervals } from '../intervals.ts';
import type { CompiledClusterPolicy, CompiledTierRule, Direction, WorkloadPeer } from '../model.ts';
import { admitsAllNamespaces } from '../representativePeer.ts';
import { compileSelector } from '../selectors.ts';
import type { FindingContext } from './context.ts';
import { enforcedTierPolicies, sideTiers, specPeer } from './tiersContext.ts';

/** True for a Deny on every port of every pod (a `namespaces: {}` peer, or networks of all IPv4). */
function catchAllDeny(rule: CompiledTierRule): boolean {
  if (rule.action !== 'Deny' || rule.ports) return false;
  return rule.peers.some((peer) => {
    if (peer.kind === 'unknown') return true;
    if (peer.kind === 'networks')
      return peer.ipv4 !== undefined && subtractIntervals(IPV4_ALL, peer.ipv4).length === 0;
    const spec = specPeer(rule, peer.index);
    if (spec?.pods) return admitsAllNamespaces(spec.pods.namespaceSelector, spec.pods.podSelector);
    return spec?.namespaces !== undefined && admitsAllNamespaces(spec.namespaces, undefined);
  });
}

/**
 * True when a cluster policy rule applying to the workload's side denies all traffic by default:
 * some catch-all Deny applies to it, so what reaches it is only what rules before the Deny (or, for
 * a Baseline Deny, NetworkPolicies) let through.
 */
export function tierDeniesByDefault(ctx: FindingContext, w: WorkloadPeer, direction: Direction): boolean {
  if (ctx.cluster.clusterPolicies.length === 0) return false;
  const tiers = sideTiers(ctx.cluster, direction, w);
  const enforced = new Set(enforcedTierPolicies(ctx));
  return [...tiers.admin, ...tiers.baseline].some((r) => enforced.has(r.policy) && catchAllDeny(r));
}

/** True when the policy's subject is every pod of the namespace, now and later. */
function coversNamespace(ctx: FindingContext, policy: CompiledClusterPolicy, namespace: string): boolean {
  const labels = ctx.cluster.namespaces.get(namespace)?.labels;
  if (!labels) return false;
  const subject = policy.object.spec.subject;
  if (subject.namespaces) return compileSelector(subject.namespaces).matches(labels);
  if (!subject.pods || !admitsAllNamespaces(subject.pods.podSelector, undefined)) return false;
  return compileSelector(subject.pods.namespaceSelector).matches(labels);
}

/** True when a cluster policy denies the whole namespace by default in this direction (future pods included). */
export function tierDefaultDenyNamespace(
  ctx: FindingContext,
  namespace: string,
  direction: Direction,
): boolean {
  const field = direction === 'Ingress' ? 'ingress' : 'egress';
  return enforcedTierPolicies(ctx).some(
    (p) => coversNamespace(ctx, p, namespace) && p[field].some(catchAllDeny),
  );
}
