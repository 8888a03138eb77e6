// The cluster-wide tier rules in one call, for findings.ts.

import type { FindingContext } from './context.ts';
import { baselineOverriddenFindings, passDefaultAllowFindings, passReopensFindings } from './tiersLayers.ts';
import { priorityTieFindings, shadowedTierRuleFindings } from './tiersOrder.ts';
import { domainNamesFindings, networksCoverPodsFindings, tierSpoofingFindings } from './tiersPeers.ts';
import type { Finding } from './types.ts';

/**
 * Findings about ClusterNetworkPolicy, AdminNetworkPolicy and BaselineAdminNetworkPolicy in force
 * under the review's CNI (kinds it does not enforce are reported by the CNI rules instead).
 */
export function tierFindings(ctx: FindingContext): Finding[] {
  if (ctx.cluster.clusterPolicies.length === 0) return [];
  const reopens = passReopensFindings(ctx);
  return [
    ...priorityTieFindings(ctx),
    ...shadowedTierRuleFindings(ctx, reopens.explained),
    ...reopens.findings,
    ...passDefaultAllowFindings(ctx),
    ...baselineOverriddenFindings(ctx),
    ...networksCoverPodsFindings(ctx),
    ...tierSpoofingFindings(ctx),
    ...domainNamesFindings(ctx),
  ];
}
