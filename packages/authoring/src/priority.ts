import type { Cluster, Tier } from '@netpol-atlas/evaluator';

/** The priority range of ClusterNetworkPolicy (v1alpha2 `spec.priority`: 0 to 1000, lower first). */
export const MIN_PRIORITY = 0;
export const MAX_PRIORITY = 1000;

/** Where a suggestion aims when nothing bounds it: room on both sides for later policies. */
const PREFERRED_PRIORITY = 100;

/** The priorities the tier's policies use now (every kind and API version sharing the tier). */
export function usedPriorities(cluster: Cluster, tier: Tier): Set<number> {
  const used = new Set<number>();
  for (const policy of cluster.clusterPolicies) if (policy.tier === tier) used.add(policy.priority);
  return used;
}

/**
 * A priority for a new cluster policy: below `before` (it must be decided before rules at that
 * priority; lower is earlier) and used by no policy of the tier, so its order against every
 * other policy is defined by the spec, never by the implementation. Among the free values, a
 * multiple of ten closest to `min(before - 1, 100)` (the later one on a tie, so it takes no more
 * precedence than it needs), else any free value closest to it. Undefined when none is free.
 */
export function suggestPriority(used: ReadonlySet<number>, before?: number): number | undefined {
  const highest = Math.min(MAX_PRIORITY, before === undefined ? MAX_PRIORITY : before - 1);
  if (highest < MIN_PRIORITY) return undefined;
  const target = Math.min(highest, PREFERRED_PRIORITY);
  const pick = (step: number): number | undefined => {
    let best: number | undefined;
    for (let p = MIN_PRIORITY; p <= highest; p += step) {
      if (used.has(p)) continue;
      const distance = Math.abs(p - target);
      // `<=`: on equal distance the later (larger) value wins, as the loop ascends.
      if (best === undefined || distance <= Math.abs(best - target)) best = p;
    }
    return best;
  };
  return pick(10) ?? pick(1);
}

/**
 * Checks a priority the user chose: in range, free in the tier, and before `before`. Returns
 * why not, or undefined when it is fine.
 */
export function checkPriority(
  priority: number,
  used: ReadonlySet<number>,
  tier: Tier,
  before: { priority: number; policy: string } | undefined,
): string | undefined {
  if (!Number.isInteger(priority) || priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
    return `priority ${priority} is not a whole number from ${MIN_PRIORITY} to ${MAX_PRIORITY}`;
  }
  if (used.has(priority)) {
    return `priority ${priority} is already used in the ${tier} tier: two policies at one priority that match the same traffic are applied in an implementation-defined order`;
  }
  if (before && priority >= before.priority) {
    return `priority ${priority} would be decided after ${before.policy} (priority ${before.priority}), which decides this traffic first: choose a lower number`;
  }
  return undefined;
}
