// What one side of a connection allows towards one other end: the cluster policy tiers around the
// NetworkPolicy layer (see decideSide), as analyze computes it per side class and bucket.

import {
  ALL_CONNECTIONS,
  type ConnectionSet,
  isEmptyConnections,
  NO_CONNECTIONS,
  unionConnections,
} from './connectionSet.ts';
import type { CompiledPolicy, CompiledRule, CompiledTierRule, SideTiers } from './model.ts';
import { tierOutcome, tiersEmpty, withNetworkPolicy } from './tiers.ts';

/** The rules of one side: a workload's policies and cluster policy rules for one direction. */
export interface SideRules {
  direction: 'ingress' | 'egress';
  policies: readonly CompiledPolicy[];
  tiers: SideTiers;
}

/**
 * What a side allows towards the other end that `admits` decides about; `ports` gives the ports a
 * rule opens towards the destination (named ports resolved on it). The Admin tier decides first;
 * what it leaves goes to the isolating NetworkPolicies (their union), or, when none isolates the
 * pod, to the Baseline tier and then the default (allow).
 */
export function sideResult(
  side: SideRules,
  admits: (rule: CompiledRule | CompiledTierRule) => boolean,
  ports: (rule: CompiledRule | CompiledTierRule) => ConnectionSet,
): ConnectionSet {
  const { policies, tiers, direction } = side;
  const networkPolicies = (): ConnectionSet => {
    let out = NO_CONNECTIONS;
    for (const policy of policies) {
      for (const rule of policy[direction]) if (admits(rule)) out = unionConnections(out, ports(rule));
    }
    return out;
  };
  if (tiersEmpty(tiers)) return policies.length === 0 ? ALL_CONNECTIONS : networkPolicies();
  const outcome = tierOutcome(tiers, { matches: admits, ports });
  if (policies.length === 0) return outcome.unisolated;
  // The Admin tier decided everything: NetworkPolicy has no say.
  if (isEmptyConnections(outcome.reached)) return outcome.accepted;
  return withNetworkPolicy(outcome, networkPolicies());
}
