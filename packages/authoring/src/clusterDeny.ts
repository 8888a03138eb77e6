// "Deny this connection cluster-wide": an Admin tier Deny for the exact pair and ports.

import {
  type ConnectionSet,
  explainConnection,
  formatConnectionSet,
  intersectConnections,
  isEmptyConnections,
} from '@netpol-atlas/evaluator';
import { ClusterPolicySet, notEnforced, unwritable } from './clusterPolicyWrite.ts';
import type { Compiled } from './compiled.ts';
import type { Direction, Ports } from './intent.ts';
import { type Endpoint, requestedConnections } from './peers.ts';
import { edgeEffects, failure, planOk } from './planResult.ts';
import { suggestPriority, usedPriorities } from './priority.ts';
import { removalScope } from './removalTargets.ts';
import { type Blocker, blockersOf, clusterSlug, earliest } from './tierPlan.ts';
import type { Change, FileEdit, Plan, PlanOptions, PlanSource, RemovalIntent } from './types.ts';
import { beyondIntent, intentPairs, type PeerPair, pairConnections, verifyEdits } from './verify.ts';

interface Candidate {
  direction: Direction;
  priority: number;
  edits: FileEdit[];
  removed: Change[];
  collateral: Change[];
  overridden: string[];
}

/**
 * Plans an Admin tier ClusterNetworkPolicy Deny that stops `src` reaching `dst` on `ports`
 * (default every port), whatever any NetworkPolicy or Baseline rule says. The Deny goes on the
 * destination's ingress (else the source's egress, for an address-range destination), at a free
 * priority decided before every Admin rule that accepts or passes the traffic on that side now.
 * Both sides are tried where both can be written; the one removing fewer other connections wins.
 * Verified on a fork: the connection must be gone, nothing added, and no priority tie created.
 */
export function planClusterDeny(source: PlanSource, intent: RemovalIntent, options: PlanOptions = {}): Plan {
  const scope = removalScope(source, intent, options, {
    outside: 'both ends are outside the cluster: cluster policies do not govern that traffic',
    self: 'a pod can always reach itself: no policy blocks that',
    verb: 'deny',
  });
  if ('failed' in scope) return scope.failed;
  const { ws, src, dst, ports, what, targets } = scope;

  const rejected: string[] = [];
  const candidates: Candidate[] = [];
  for (const direction of ['Ingress', 'Egress'] as const) {
    const ingress = direction === 'Ingress';
    const problem = ingress
      ? (unwritable(dst, 'subject') ?? unwritable(src, 'ingress-peer'))
      : (unwritable(src, 'subject') ?? unwritable(dst, 'egress-peer'));
    if (problem) {
      rejected.push(`${direction.toLowerCase()} side: ${problem}`);
      continue;
    }
    const result = tryDeny(ws, direction, src, dst, ports, what, targets);
    // The profile ignores every cluster policy: the other side would fare no better.
    if ('problem' in result && result.unsupported) return failure('unsupported', result.problem);
    if ('problem' in result) rejected.push(`${direction.toLowerCase()} side: ${result.problem}`);
    else candidates.push(result);
  }
  if (candidates.length === 0)
    return failure(rejectionReason(rejected), `cannot deny ${what}: ${rejected.join('; ')}`);
  // Fewest other connections lost; on a tie the destination's ingress, where a deny is usually looked for.
  const best = candidates.reduce((a, b) => (b.collateral.length < a.collateral.length ? b : a));
  const warnings: string[] = [];
  if (best.overridden.length > 0) {
    warnings.push(
      `For this traffic the Deny is decided before ${best.overridden.join(', ')}, which admit it now`,
    );
  }
  const summary = `Deny ${what} cluster-wide: ${best.edits.flatMap((e) => e.changes).join('; ')}. ${edgeEffects('removed', best.removed.length, best.collateral.length)}`;
  return planOk({
    edits: best.edits,
    removed: best.removed,
    sideEffects: best.collateral,
    summary,
    warnings,
  });
}

function rejectionReason(rejected: readonly string[]): 'no-priority' | 'invalid-input' | 'cannot-remove' {
  if (rejected.some((r) => r.includes('no free Admin priority'))) return 'no-priority';
  if (rejected.every((r) => r.includes('ClusterNetworkPolicy') || r.includes('outside the cluster')))
    return 'invalid-input';
  return 'cannot-remove';
}

function tryDeny(
  ws: Compiled,
  direction: Direction,
  src: Endpoint,
  dst: Endpoint,
  ports: Ports,
  what: string,
  targets: readonly { pair: PeerPair; requested: ConnectionSet }[],
): Candidate | { problem: string; unsupported?: boolean } {
  const ingress = direction === 'Ingress';
  let blocker: Blocker | undefined;
  const overridden = new Set<string>();
  for (const { pair, requested } of targets) {
    const explanation = explainConnection(ws.cluster, pair.src, pair.dst);
    const decisions = blockersOf(
      ingress ? explanation.ingress : explanation.egress,
      'Admin',
      requested,
      'Deny',
    );
    blocker = earliest(blocker, decisions);
    for (const d of decisions) overridden.add(`${d.policy} (${d.action}, priority ${d.priority})`);
  }
  const priority = suggestPriority(usedPriorities(ws.cluster, 'Admin'), blocker?.priority);
  if (priority === undefined) {
    return {
      problem: `no free Admin priority is decided before ${blocker?.policy} (priority ${blocker?.priority})`,
    };
  }
  const set = new ClusterPolicySet(ws);
  set.create({
    tier: 'Admin',
    priority,
    words: ['admin', 'deny', clusterSlug(src), 'to', clusterSlug(dst)],
    subject: ingress ? dst : src,
    direction,
    action: 'Deny',
    peer: ingress ? src : dst,
    ports,
    comment: `Denies ${what} cluster-wide, on ${ingress ? "the destination's ingress" : "the source's egress"}. Admin tier: no NetworkPolicy can re-open it (generated by netpol-atlas).`,
  });
  const edits = set.render();
  const verification = verifyEdits(ws, edits, [], set.createdIds);
  if (verification.problems.length > 0) return { problem: verification.problems.join('; ') };
  const ignored = notEnforced(verification.after, set.createdIds);
  if (ignored) return { problem: ignored, unsupported: true };
  if (verification.added.length > 0) {
    const c = verification.added[0]!;
    return { problem: `it would also add ${c.src} -> ${c.dst} (${c.ports})` };
  }
  for (const pair of intentPairs(verification.after, src, dst)) {
    const left = intersectConnections(
      pairConnections(verification.after, pair),
      requestedConnections(ports, pair.dstWorkload),
    );
    if (!isEmptyConnections(left)) {
      return { problem: `${pair.src.id} -> ${pair.dst.id} would still allow ${formatConnectionSet(left)}` };
    }
  }
  const tied = set.createdIds.filter((id) => verification.after.cluster.priorityTies.has(id));
  if (tied.length > 0) return { problem: `${tied.join(', ')} would tie with another policy's priority` };
  return {
    direction,
    priority,
    edits,
    removed: verification.removed,
    collateral: beyondIntent(verification.removed, verification.removedPeers, src, dst, ports),
    overridden: [...overridden],
  };
}
