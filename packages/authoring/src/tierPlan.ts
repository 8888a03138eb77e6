// Allowing a drawn edge with ClusterNetworkPolicy Accept rules (Admin or Baseline tier).

import {
  type ConnectionSet,
  explainConnection,
  intersectConnections,
  isEmptyConnections,
  type SideExplanation,
  subtractConnections,
  type Tier,
  type TierDecision,
} from '@netpol-atlas/evaluator';
import { ClusterPolicySet, notEnforced, unwritable } from './clusterPolicyWrite.ts';
import type { Compiled } from './compiled.ts';
import type { Direction, Ports } from './intent.ts';
import { type Endpoint, requestedConnections } from './peers.ts';
import { edgeEffects, failure, planOk } from './planResult.ts';
import { checkPriority, suggestPriority, usedPriorities } from './priority.ts';
import type { Plan } from './types.ts';
import { beyondIntent, intentPairs, intentShortfall, verifyEdits } from './verify.ts';

/** A name word for an end in a cluster-scoped name: namespaces included, since names are cluster-wide. */
export function clusterSlug(end: Endpoint): string {
  return end.kind === 'workload' ? `${end.namespace}-${end.workload.name}` : end.slug;
}

/** The earliest rule of `tier` that decides some of `traffic` other than by `except` (Accept for an allow). */
export interface Blocker {
  priority: number;
  policy: string;
  action: string;
}

function intersects(a: ConnectionSet, b: ConnectionSet): boolean {
  return !isEmptyConnections(intersectConnections(a, b));
}

/** The decisions of `tier` on a side that take some of `traffic` with an action other than `keep`. */
export function blockersOf(
  side: SideExplanation,
  tier: Tier,
  traffic: ConnectionSet,
  keep: 'Accept' | 'Deny',
): TierDecision[] {
  return (side.tiers?.decisions ?? []).filter(
    (d) => d.tier === tier && d.action !== keep && intersects(d.conn, traffic),
  );
}

/** Keeps the earliest blocker (lowest priority) of each side. */
export function earliest(
  current: Blocker | undefined,
  decisions: readonly TierDecision[],
): Blocker | undefined {
  let out = current;
  for (const d of decisions) {
    if (!out || d.priority < out.priority) out = { priority: d.priority, policy: d.policy, action: d.action };
  }
  return out;
}

interface SideNeed {
  direction: Direction;
  blocker: Blocker | undefined;
  overridden: Set<string>;
}

/**
 * Plans Accept rules in the Admin or Baseline tier for `src` -> `dst` on `ports`: one
 * ClusterNetworkPolicy per side that does not admit the traffic now (ingress on the destination,
 * egress on the source), each at a free priority that is decided before the tier's rules in the
 * way. A Baseline Accept never applies where a NetworkPolicy isolates the side or the Admin tier
 * denies: the plan says so instead. Verified on a fork like every plan.
 */
export function planTierAllow(
  ws: Compiled,
  tier: Tier,
  src: Endpoint,
  dst: Endpoint,
  ports: Ports,
  what: string,
  priority: number | undefined,
): Plan {
  const needs = new Map<Direction, SideNeed>();
  for (const pair of intentPairs(ws, src, dst)) {
    const wanted = requestedConnections(ports, pair.dstWorkload);
    if (isEmptyConnections(wanted)) continue;
    const explanation = explainConnection(ws.cluster, pair.src, pair.dst);
    const sides: [Direction, SideExplanation, boolean][] = [
      ['Ingress', explanation.ingress, pair.dst.type === 'workload'],
      ['Egress', explanation.egress, pair.src.type === 'workload'],
    ];
    for (const [direction, side, applies] of sides) {
      if (!applies) continue;
      const missing = subtractConnections(wanted, side.conn);
      if (isEmptyConnections(missing)) continue;
      const subject = direction === 'Ingress' ? pair.dst.id : pair.src.id;
      if (tier === 'Baseline') {
        const isolates = side.tiers ? side.tiers.networkPolicyIsolates : side.isolated;
        if (isolates) {
          return failure(
            'tier-overridden',
            `NetworkPolicy ${side.policies.join(', ')} isolates ${subject} for ${direction.toLowerCase()} and decides before the Baseline tier, ` +
              'so a Baseline Accept would never apply: choose a namespace NetworkPolicy or the Admin tier',
          );
        }
        // An Admin Pass hands the traffic on to NetworkPolicy and then to the Baseline tier: only a Deny keeps it away.
        const denied = blockersOf(side, 'Admin', missing, 'Accept').filter((d) => d.action === 'Deny');
        if (denied.length > 0) {
          return failure(
            'tier-overridden',
            `${denied[0]!.policy} (Admin tier, priority ${denied[0]!.priority}) decides ${subject}'s ${direction.toLowerCase()} of this traffic ` +
              'before the Baseline tier: choose the Admin tier',
          );
        }
      }
      const blocking = blockersOf(side, tier, missing, 'Accept');
      const need = needs.get(direction) ?? { direction, blocker: undefined, overridden: new Set<string>() };
      need.blocker = earliest(need.blocker, blocking);
      for (const d of blocking) need.overridden.add(`${d.policy} (${d.action}, priority ${d.priority})`);
      needs.set(direction, need);
    }
  }
  if (needs.size === 0) return failure('already-allowed', `${what} is already allowed`);
  for (const direction of needs.keys()) {
    const problem =
      direction === 'Ingress'
        ? (unwritable(dst, 'subject') ?? unwritable(src, 'ingress-peer'))
        : (unwritable(src, 'subject') ?? unwritable(dst, 'egress-peer'));
    if (problem) return failure('invalid-input', problem);
  }

  const used = usedPriorities(ws.cluster, tier);
  const taken = new Set(used);
  const set = new ClusterPolicySet(ws);
  const word = tier === 'Admin' ? 'admin' : 'baseline';
  const warnings: string[] = [];
  for (const direction of ['Ingress', 'Egress'] as const) {
    const need = needs.get(direction);
    if (!need) continue;
    let chosen = priority;
    if (chosen === undefined) {
      chosen = suggestPriority(taken, need.blocker?.priority);
      if (chosen === undefined) {
        return failure(
          'no-priority',
          `no free ${tier} priority is decided before ${need.blocker?.policy} (priority ${need.blocker?.priority}) in the ${tier} tier`,
        );
      }
    } else {
      const problem = checkPriority(chosen, used, tier, need.blocker);
      if (problem) return failure('no-priority', problem);
    }
    taken.add(chosen);
    const ingress = direction === 'Ingress';
    // The egress half of a two-sided allow gets a suffix; a lone policy keeps the plain name.
    const words = [
      word,
      'accept',
      clusterSlug(src),
      'to',
      clusterSlug(dst),
      ...(!ingress && needs.has('Ingress') ? ['egress'] : []),
    ];
    const where =
      tier === 'Admin'
        ? 'in the Admin tier, decided before every NetworkPolicy'
        : `in the Baseline tier: a default that a NetworkPolicy isolating ${ingress ? dst.text : src.text} overrides`;
    set.create({
      tier,
      priority: chosen,
      words,
      subject: ingress ? dst : src,
      direction,
      action: 'Accept',
      peer: ingress ? src : dst,
      ports,
      comment: `Accepts ${what}, on ${ingress ? "the destination's ingress" : "the source's egress"}, ${where} (generated by netpol-atlas).`,
    });
    if (need.overridden.size > 0) {
      warnings.push(
        `For this traffic the new ${direction.toLowerCase()} Accept is decided before ${[...need.overridden].join(', ')}`,
      );
    }
  }
  if (tier === 'Baseline') {
    warnings.push(
      'A Baseline Accept is a default: a NetworkPolicy that later isolates either end for this direction decides instead',
    );
  }

  const fileEdits = set.render();
  const verification = verifyEdits(ws, fileEdits, [], set.createdIds);
  if (verification.problems.length > 0) {
    return failure('not-verified', `the edit would introduce problems: ${verification.problems.join('; ')}`);
  }
  const ignored = notEnforced(verification.after, set.createdIds);
  if (ignored) return failure('unsupported', ignored);
  const shortfall = intentShortfall(verification.after, src, dst, ports);
  if (shortfall) return failure('not-verified', shortfall);
  if (verification.removed.length > 0) {
    const c = verification.removed[0]!;
    return failure('not-verified', `the edit would remove ${c.src} -> ${c.dst} (${c.ports})`);
  }
  const tied = set.createdIds.filter((id) => verification.after.cluster.priorityTies.has(id));
  if (tied.length > 0)
    return failure('not-verified', `${tied.join(', ')} would tie with another policy's priority`);

  const sideEffects = beyondIntent(verification.added, verification.addedPeers, src, dst, ports);
  const parts = fileEdits.flatMap((e) => e.changes);
  const summary = `Allow ${what} in the ${tier} tier: ${parts.join('; ')}. ${edgeEffects('added', verification.added.length, sideEffects.length)}`;
  return planOk({ edits: fileEdits, added: verification.added, sideEffects, summary, warnings });
}
