// What the tier finding rules share: the cluster policies the stated CNI enforces, how a rule is
// named and located, and the layered decision of one side replayed with a trace, so that each
// rule reports what actually happens to the traffic rather than what the YAML seems to say.

import type { ClusterPolicyPeer, PathSegment } from '@netpol-atlas/manifests';
import { cniEnforcesKind } from '../clusterPolicies.ts';
import {
  type ConnectionSet,
  formatConnectionSet,
  isAllConnections,
  NO_CONNECTIONS,
  unionConnections,
} from '../connectionSet.ts';
import { tierRuleSelects } from '../explainTiers.ts';
import type {
  Cluster,
  CompiledClusterPolicy,
  CompiledPolicy,
  CompiledTierRule,
  Direction,
  SideTiers,
  TierAction,
  WorkloadPeer,
} from '../model.ts';
import { rulePorts } from '../rulePorts.ts';
import { decideSide, newTrace, type SideTrace } from '../tiers.ts';
import type { FindingContext } from './context.ts';
import type { FindingLocation } from './types.ts';

/** The cluster policies in force under the CNI the review is for (it may differ from the build's). */
export function enforcedTierPolicies(ctx: FindingContext): CompiledClusterPolicy[] {
  return ctx.cluster.clusterPolicies.filter((p) => cniEnforcesKind(ctx.cni, p.kind));
}

/** `ingress` or `egress`. */
export function tierField(direction: Direction): 'ingress' | 'egress' {
  return direction === 'Ingress' ? 'ingress' : 'egress';
}

/** `from` or `to`. */
export function tierPeersField(direction: Direction): 'from' | 'to' {
  return direction === 'Ingress' ? 'from' : 'to';
}

/** How a rule reads in a message: `ClusterNetworkPolicy/platform egress[1] "deny-db"`. */
export function tierRuleName(rule: CompiledTierRule): string {
  const base = `${rule.policy.id} ${tierField(rule.direction)}[${rule.index}]`;
  return rule.name ? `${base} "${rule.name}"` : base;
}

/** The id suffix of a rule: `ClusterNetworkPolicy/platform/egress[1]`. */
export function tierRuleKey(rule: CompiledTierRule): string {
  return `${rule.policy.id}/${tierField(rule.direction)}[${rule.index}]`;
}

/** `spec.<direction>[i]`, optionally deeper. */
export function tierRulePath(rule: CompiledTierRule, ...rest: PathSegment[]): PathSegment[] {
  return ['spec', tierField(rule.direction), rule.index, ...rest];
}

/** A location in a cluster policy, falling back to the whole object when the path is not found. */
export function tierLocation(policy: CompiledClusterPolicy, path: readonly PathSegment[]): FindingLocation {
  const source = policy.object.source;
  return { file: source.file, range: source.locate(path) ?? source.range };
}

/** `Admin tier, priority 10` (the Baseline tier of v1alpha1 has no priority). */
export function tierPlace(policy: CompiledClusterPolicy): string {
  return policy.kind === 'BaselineAdminNetworkPolicy'
    ? 'Baseline tier'
    : `${policy.tier} tier, priority ${policy.priority}`;
}

/** `accepts`, `denies`, `passes on`. */
export function actionVerb(action: TierAction): string {
  return action === 'Accept' ? 'accepts' : action === 'Deny' ? 'denies' : 'passes on';
}

/** A peer as written in its policy. */
export function specPeer(rule: CompiledTierRule, index: number): ClusterPolicyPeer | undefined {
  const spec = rule.policy.object.spec;
  return (rule.direction === 'Ingress' ? spec.ingress : spec.egress)[rule.index]?.peers[index];
}

/** The cluster policy rules applying to a workload in a direction. */
export function sideTiers(cluster: Cluster, direction: Direction, w: WorkloadPeer): SideTiers {
  return (direction === 'Ingress' ? cluster.ingressTiers : cluster.egressTiers)[w.index]!;
}

/** The NetworkPolicies isolating a workload in a direction (none on CNIs that enforce none). */
export function isolatingPolicies(
  ctx: FindingContext,
  direction: Direction,
  w: WorkloadPeer,
): readonly CompiledPolicy[] {
  if (!ctx.enforced) return [];
  return (direction === 'Ingress' ? ctx.cluster.ingressPolicies : ctx.cluster.egressPolicies)[w.index]!;
}

/** Workloads a rule's peers admit today. */
export function ruleWorkloads(cluster: Cluster, rule: CompiledTierRule): WorkloadPeer[] {
  return cluster.workloads.filter((w) => rule.peers.some((p) => p.members[w.index] === 1));
}

/** The destination whose container ports resolve named ports on a side. */
function portsDestination(direction: Direction, subject: WorkloadPeer, other: WorkloadPeer): WorkloadPeer {
  return direction === 'Ingress' ? subject : other;
}

/** What the NetworkPolicies isolating `subject` admit from (ingress) or to (egress) `other`. */
export function networkPolicyAdmits(
  policies: readonly CompiledPolicy[],
  direction: Direction,
  subject: WorkloadPeer,
  other: WorkloadPeer,
): ConnectionSet {
  const dst = portsDestination(direction, subject, other);
  let out = NO_CONNECTIONS;
  for (const policy of policies) {
    for (const rule of direction === 'Ingress' ? policy.ingress : policy.egress) {
      if (rule.peers && !rule.peers.some((p) => p.members[other.index] === 1)) continue;
      out = unionConnections(out, rulePorts(rule, dst));
    }
  }
  return out;
}

/** One side replayed through its layers: the trace of which rule decided what, and the result. */
export interface SideReplay {
  trace: SideTrace;
  allowed: ConnectionSet;
  /** The NetworkPolicies isolating the subject (empty: the Baseline tier and the default decide). */
  isolating: readonly CompiledPolicy[];
}

/**
 * Replays `subject`'s side of its connection with `other` through the tiers and NetworkPolicy;
 * with `networkPolicies` false, as if no NetworkPolicy isolated it (what the Baseline tier would do).
 */
export function replaySide(
  ctx: FindingContext,
  direction: Direction,
  subject: WorkloadPeer,
  other: WorkloadPeer,
  networkPolicies = true,
): SideReplay {
  const dst = portsDestination(direction, subject, other);
  const isolating = networkPolicies ? isolatingPolicies(ctx, direction, subject) : [];
  const trace = newTrace();
  const allowed = decideSide(
    sideTiers(ctx.cluster, direction, subject),
    isolating.length > 0 ? () => networkPolicyAdmits(isolating, direction, subject, other) : undefined,
    { matches: (rule) => tierRuleSelects(rule, other), ports: (rule) => rulePorts(rule, dst) },
    trace,
  );
  return { trace, allowed, isolating };
}

/** `TCP 5432` style text; `every port` for everything. */
export function connText(conn: ConnectionSet): string {
  return isAllConnections(conn) ? 'every port' : formatConnectionSet(conn);
}

/** `a -> b` in the direction traffic flows on a side. */
export function flowText(direction: Direction, subject: WorkloadPeer, other: WorkloadPeer): string {
  return direction === 'Ingress' ? `${other.id} -> ${subject.id}` : `${subject.id} -> ${other.id}`;
}
