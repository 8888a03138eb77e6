// The (subject, other end) pairs a tier rule speaks about, grouped so that each group is replayed
// once: two pairs share a verdict when their sides read the same rules, the same NetworkPolicies,
// the same peer matches and the same container ports. Lint stays fast on large inputs and still
// names every pod a finding is about.

import { tierRuleSelects } from '../explainTiers.ts';
import type { CompiledPolicy, CompiledTierRule, SideTiers, WorkloadPeer } from '../model.ts';
import type { FindingContext } from './context.ts';
import { isolatingPolicies, ruleWorkloads, sideTiers } from './tiersContext.ts';

/** Replays one rule may cost at most (one per group); past it, the remaining groups are not judged. */
const MAX_GROUPS_PER_RULE = 20_000;

/** Pairs that share a verdict: `subject` and `other` stand for every pair of `subjects` x `others`. */
export interface PairGroup {
  subject: WorkloadPeer;
  other: WorkloadPeer;
  subjects: readonly WorkloadPeer[];
  others: readonly WorkloadPeer[];
}

/** Every pair of a group with two distinct workloads (a pod always reaches itself). */
export function* groupPairs(group: PairGroup): Generator<[WorkloadPeer, WorkloadPeer]> {
  for (const s of group.subjects) for (const o of group.others) if (s.index !== o.index) yield [s, o];
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return [...out.values()];
}

function portsKey(w: WorkloadPeer): string {
  return JSON.stringify(w.ports);
}

/** What the NetworkPolicy rules of a side read of the other end: which of their peers admit it. */
function networkPolicyKey(
  policies: readonly CompiledPolicy[],
  ingress: boolean,
  other: WorkloadPeer,
): string {
  let key = '';
  for (const policy of policies) {
    for (const rule of ingress ? policy.ingress : policy.egress) {
      key += rule.peers ? (rule.peers.some((p) => p.members[other.index] === 1) ? '1' : '0') : '*';
    }
  }
  return key;
}

/** The pairs of a rule (its policy's subjects x the workloads its peers admit), grouped by verdict. */
export function pairGroups(ctx: FindingContext, rule: CompiledTierRule): PairGroup[] {
  const ingress = rule.direction === 'Ingress';
  const ids = new Map<SideTiers, number>();
  const subjects = rule.policy.selected.map((i) => ctx.cluster.workloads[i]!);
  const others = ruleWorkloads(ctx.cluster, rule);
  const out: PairGroup[] = [];
  const subjectGroups = groupBy(subjects, (s) => {
    const tiers = sideTiers(ctx.cluster, rule.direction, s);
    if (!ids.has(tiers)) ids.set(tiers, ids.size);
    const policies = isolatingPolicies(ctx, rule.direction, s).map((p) => p.id);
    return `${ids.get(tiers)}|${policies.join(',')}|${ingress ? portsKey(s) : ''}`;
  });
  for (const sg of subjectGroups) {
    const first = sg[0]!;
    const tiers = sideTiers(ctx.cluster, rule.direction, first);
    const rules = [...tiers.admin, ...tiers.baseline];
    const policies = isolatingPolicies(ctx, rule.direction, first);
    const otherGroups = groupBy(
      others,
      (o) =>
        `${rules.map((r) => (tierRuleSelects(r, o) ? '1' : '0')).join('')}|${networkPolicyKey(policies, ingress, o)}|${ingress ? '' : portsKey(o)}`,
    );
    for (const og of otherGroups) {
      if (out.length >= MAX_GROUPS_PER_RULE) return out;
      const pair = groupPairs({ subject: first, other: og[0]!, subjects: sg, others: og }).next();
      if (pair.done) continue;
      const [subject, other] = pair.value;
      out.push({ subject, other, subjects: sg, others: og });
    }
  }
  return out;
}
