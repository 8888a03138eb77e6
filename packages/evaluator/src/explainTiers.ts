// The cluster-wide tiers in explanations: which rule of which policy decided each part of a
// connection on one side (tier, policy, priority, rule, action), and which selecting policies
// were passed over and why.

import type { ClusterPolicyKind, SourceRange } from '@netpol-atlas/manifests';
import { rulePorts } from './analyze.ts';
import { type ConnectionSet, intersectConnections, isEmptyConnections } from './connectionSet.ts';
import { peerMatchesExternal } from './domains.ts';
import type {
  Cluster,
  CompiledTierRule,
  Direction,
  Peer,
  SideTiers,
  Tier,
  TierAction,
  WorkloadPeer,
} from './model.ts';
import { decideSide, newTrace, type SideTrace, tiersEmpty } from './tiers.ts';

/** One cluster policy rule that decided part of the traffic on one side. */
export interface TierDecision {
  tier: Tier;
  /** `Kind/name`. */
  policy: string;
  kind: ClusterPolicyKind;
  name: string;
  priority: number;
  direction: Direction;
  /** Index in `spec.ingress` / `spec.egress`. */
  rule: number;
  ruleName: string | undefined;
  action: TierAction;
  /** The part of the traffic this rule decided (matched, and not decided by an earlier rule). */
  conn: ConnectionSet;
  file: string;
  range: SourceRange | undefined;
  /** Same-tier, same-priority policies that also match this traffic: their order is implementation-defined. */
  tiedWith: string[];
}

/** A cluster policy that selects the subject but decided nothing of this traffic, and why. */
export interface PassedOver {
  policy: string;
  tier: Tier;
  priority: number;
  /**
   * `peer`: no rule of this direction selects the other end; `ports`: rules select it but on other
   * ports; `decided`: what its rules match was decided earlier (a higher-precedence rule, a Pass
   * that left the tier, or NetworkPolicy for the Baseline tier); `no-rules`: none in this direction.
   */
  reason: 'peer' | 'ports' | 'decided' | 'no-rules';
  file: string;
  range: SourceRange | undefined;
}

/** The layered decision of one side: tiers around NetworkPolicy. */
export interface TierChain {
  decisions: TierDecision[];
  passedOver: PassedOver[];
  /** What reached the NetworkPolicy layer (after the Admin tier), and whether it isolates the pod. */
  networkPolicyReached: ConnectionSet;
  networkPolicyIsolates: boolean;
  /** What no layer decided: allowed by default. */
  defaulted: ConnectionSet;
}

/** Whether a cluster policy rule's peers match `other` (a workload, or an address range wholly inside). */
export function tierRuleSelects(rule: CompiledTierRule, other: Peer): boolean {
  return rule.peers.some((p) =>
    other.type === 'workload' ? p.members[other.index] === 1 : peerMatchesExternal(p, other),
  );
}

/** The cluster policy rules applying to `subject` in `direction` (none for an address). */
export function sideTiersFor(cluster: Cluster, direction: Direction, subject: Peer): SideTiers | undefined {
  if (subject.type !== 'workload') return undefined;
  const tiers = (direction === 'Egress' ? cluster.egressTiers : cluster.ingressTiers)[subject.index]!;
  return tiersEmpty(tiers) ? undefined : tiers;
}

/**
 * Runs one side through its tiers with a trace, restricted to `wanted`: the decisions that touch
 * it, the policies passed over, and what reached NetworkPolicy and the default.
 */
export function tierChain(
  cluster: Cluster,
  tiers: SideTiers,
  direction: Direction,
  other: Peer,
  portsDst: WorkloadPeer | undefined,
  networkPolicy: (() => ConnectionSet) | undefined,
  wanted: ConnectionSet,
): { conn: ConnectionSet; chain: TierChain } {
  const trace: SideTrace = newTrace();
  const conn = decideSide(
    tiers,
    networkPolicy,
    { matches: (rule) => tierRuleSelects(rule, other), ports: (rule) => rulePorts(rule, portsDst) },
    trace,
  );
  const field = direction === 'Egress' ? 'egress' : 'ingress';
  const decisions: TierDecision[] = [];
  for (const step of trace.steps) {
    const part = intersectConnections(step.conn, wanted);
    if (isEmptyConnections(part)) continue;
    const { policy } = step.rule;
    const tied = (cluster.priorityTies.get(policy.id) ?? []).filter((id) =>
      [...tiers.admin, ...tiers.baseline].some(
        (r) =>
          r.policy.id === id &&
          tierRuleSelects(r, other) &&
          !isEmptyConnections(intersectConnections(rulePorts(r, portsDst), part)),
      ),
    );
    decisions.push({
      tier: step.tier,
      policy: policy.id,
      kind: policy.kind,
      name: policy.name,
      priority: policy.priority,
      direction,
      rule: step.rule.index,
      ruleName: step.rule.name,
      action: step.action,
      conn: part,
      file: policy.object.source.file,
      range: policy.object.source.locate(['spec', field, step.rule.index]),
      tiedWith: tied,
    });
  }
  const deciding = new Set(decisions.map((d) => d.policy));
  const passedOver: PassedOver[] = [];
  const seen = new Set<string>();
  for (const rule of [...tiers.admin, ...tiers.baseline]) {
    const { policy } = rule;
    if (deciding.has(policy.id) || seen.has(policy.id)) continue;
    seen.add(policy.id);
    const rules = policy[direction === 'Egress' ? 'egress' : 'ingress'];
    const selecting = rules.filter((r) => tierRuleSelects(r, other));
    const reason: PassedOver['reason'] =
      rules.length === 0
        ? 'no-rules'
        : selecting.length === 0
          ? 'peer'
          : selecting.every((r) => isEmptyConnections(intersectConnections(rulePorts(r, portsDst), wanted)))
            ? 'ports'
            : 'decided';
    passedOver.push({
      policy: policy.id,
      tier: policy.tier,
      priority: policy.priority,
      reason,
      file: policy.object.source.file,
      range: policy.object.source.locate(['spec', 'priority']) ?? policy.object.source.range,
    });
  }
  return {
    conn,
    chain: {
      decisions,
      passedOver,
      networkPolicyReached: intersectConnections(trace.networkPolicy.reached, wanted),
      networkPolicyIsolates: networkPolicy !== undefined,
      defaulted: intersectConnections(trace.defaulted, wanted),
    },
  };
}

/** One sentence per decision, for summaries. */
export function decisionText(d: TierDecision, conn: string): string {
  const verb = d.action === 'Accept' ? 'accepts' : d.action === 'Deny' ? 'denies' : 'passes on';
  const rule = d.ruleName ? `rule ${d.rule} "${d.ruleName}"` : `rule ${d.rule}`;
  return `${d.tier} tier: ${d.policy} (priority ${d.priority}) ${d.direction.toLowerCase()} ${rule} ${verb} ${conn}`;
}
