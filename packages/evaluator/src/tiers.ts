// The layered decision on one side of a connection: Admin tier, NetworkPolicy, Baseline tier,
// then the default (allow). Shared by analyze (fast, per class pair) and explain (traced).

import type { Diagnostic } from '@netpol-atlas/manifests';
import {
  ALL_CONNECTIONS,
  type ConnectionSet,
  intersectConnections,
  isEmptyConnections,
  NO_CONNECTIONS,
  subtractConnections,
  unionConnections,
} from './connectionSet.ts';
import { domainCovers } from './domains.ts';
import { intersectIntervals } from './intervals.ts';
import type { CompiledClusterPolicy, CompiledTierRule, SideTiers, Tier, TierAction } from './model.ts';
import { rulePorts } from './rulePorts.ts';

/** A side with no cluster policy rules. */
export const NO_TIERS: SideTiers = Object.freeze({ admin: Object.freeze([]), baseline: Object.freeze([]) });

/** True when no cluster policy rule applies to the side. */
export function tiersEmpty(tiers: SideTiers): boolean {
  return tiers.admin.length === 0 && tiers.baseline.length === 0;
}

/** One rule that decided part of a connection. */
export interface TierStep {
  tier: Tier;
  rule: CompiledTierRule;
  action: TierAction;
  /** The part of the connection this rule decided (matched and not decided before). */
  conn: ConnectionSet;
}

/** What each layer decided on one side, for explanations. */
export interface SideTrace {
  steps: TierStep[];
  /** What reached the NetworkPolicy layer, and whether the pod was isolated there. */
  networkPolicy: { reached: ConnectionSet; isolated: boolean; allowed: ConnectionSet };
  /** What no layer decided: allowed by default. */
  defaulted: ConnectionSet;
}

/** What a side needs to know about the other end: whether a rule's peers match it, and the ports a rule names. */
export interface SideQuery {
  matches(rule: CompiledTierRule): boolean;
  ports(rule: CompiledTierRule): ConnectionSet;
}

/** What one tier did with what reached it: accepted, and left to the next layer (passed or unmatched). */
interface TierRun {
  accepted: ConnectionSet;
  rest: ConnectionSet;
}

/**
 * Runs one tier's rules in order over `open`: Accept and Deny decide what they match and is still
 * undecided; Pass hands what it matches to the next layer, skipping the rest of the tier.
 */
function runTier(
  tier: Tier,
  rules: readonly CompiledTierRule[],
  open: ConnectionSet,
  query: SideQuery,
  trace: SideTrace | undefined,
): TierRun {
  let undecided = open;
  let passed = NO_CONNECTIONS;
  let accepted = NO_CONNECTIONS;
  for (const rule of rules) {
    if (isEmptyConnections(undecided)) break;
    if (!query.matches(rule)) continue;
    const part = intersectConnections(undecided, query.ports(rule));
    if (isEmptyConnections(part)) continue;
    undecided = subtractConnections(undecided, part);
    if (rule.action === 'Accept') accepted = unionConnections(accepted, part);
    else if (rule.action === 'Pass') passed = unionConnections(passed, part);
    trace?.steps.push({ tier, rule, action: rule.action, conn: part });
  }
  return { accepted, rest: unionConnections(undecided, passed) };
}

const UNTOUCHED: TierRun = Object.freeze({ accepted: NO_CONNECTIONS, rest: ALL_CONNECTIONS });

/**
 * The connections one side allows. `networkPolicy` is undefined when no NetworkPolicy isolates the
 * pod in this direction, else the union of what its policies admit. Within a tier, rules run in
 * the order of `tiers` (priority, tie-break, rule order): Accept and Deny decide what they match
 * and is still undecided; Pass hands what it matches to the next layer, skipping the rest of the
 * tier. An isolating NetworkPolicy layer decides everything that reaches it.
 */
export function decideSide(
  tiers: SideTiers,
  networkPolicy: (() => ConnectionSet) | undefined,
  query: SideQuery,
  trace?: SideTrace,
): ConnectionSet {
  const admin =
    tiers.admin.length > 0 ? runTier('Admin', tiers.admin, ALL_CONNECTIONS, query, trace) : UNTOUCHED;
  if (networkPolicy) {
    const admitted = isEmptyConnections(admin.rest)
      ? NO_CONNECTIONS
      : intersectConnections(admin.rest, networkPolicy());
    if (trace) {
      trace.networkPolicy = { reached: admin.rest, isolated: true, allowed: admitted };
      trace.defaulted = NO_CONNECTIONS;
    }
    return unionConnections(admin.accepted, admitted);
  }
  if (trace) trace.networkPolicy = { reached: admin.rest, isolated: false, allowed: NO_CONNECTIONS };
  const baseline =
    tiers.baseline.length > 0 && !isEmptyConnections(admin.rest)
      ? runTier('Baseline', tiers.baseline, admin.rest, query, trace)
      : { accepted: NO_CONNECTIONS, rest: admin.rest };
  if (trace) trace.defaulted = baseline.rest;
  return unionConnections(unionConnections(admin.accepted, baseline.accepted), baseline.rest);
}

/**
 * What a side's tiers decide about one other end, whatever its NetworkPolicies admit: the part
 * NetworkPolicy is left to decide, and the results with and without an isolating NetworkPolicy
 * follow from it (see SidePrograms.result in sides.ts). Analyses compute it once per sequence of
 * matching rules.
 */
export interface TierOutcome {
  /** Accepted by the Admin tier. */
  accepted: ConnectionSet;
  /** Not decided by the Admin tier (passed or unmatched): what an isolating NetworkPolicy decides. */
  reached: ConnectionSet;
  /** The side's result when no NetworkPolicy isolates the pod (Baseline tier, then the default). */
  unisolated: ConnectionSet;
}

/** {@link decideSide} split at the NetworkPolicy layer. */
export function tierOutcome(tiers: SideTiers, query: SideQuery): TierOutcome {
  const admin =
    tiers.admin.length > 0 ? runTier('Admin', tiers.admin, ALL_CONNECTIONS, query, undefined) : UNTOUCHED;
  const baseline =
    tiers.baseline.length > 0 && !isEmptyConnections(admin.rest)
      ? runTier('Baseline', tiers.baseline, admin.rest, query, undefined)
      : { accepted: NO_CONNECTIONS, rest: admin.rest };
  return {
    accepted: admin.accepted,
    reached: admin.rest,
    unisolated: unionConnections(unionConnections(admin.accepted, baseline.accepted), baseline.rest),
  };
}

/** An empty trace to pass to {@link decideSide}. */
export function newTrace(): SideTrace {
  return {
    steps: [],
    networkPolicy: { reached: NO_CONNECTIONS, isolated: false, allowed: NO_CONNECTIONS },
    defaulted: NO_CONNECTIONS,
  };
}

/**
 * Cluster policies in evaluation order: tier, ascending priority, then policy id. Equal
 * priorities are implementation-defined (the spec lets an implementation apply either policy);
 * the id order is this tool's documented choice, and ties that matter are diagnosed.
 */
export function evaluationOrder(policies: readonly CompiledClusterPolicy[]): CompiledClusterPolicy[] {
  return [...policies].sort(
    (a, b) =>
      (a.tier === b.tier ? 0 : a.tier === 'Admin' ? -1 : 1) ||
      a.priority - b.priority ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/** The sides of the workloads selected by one list of cluster policies. */
interface SharedSides {
  ingress: SideTiers;
  egress: SideTiers;
}

/** A serial number per compiled cluster policy object, so a list of policies has a cheap key. */
const serials = new WeakMap<CompiledClusterPolicy, number>();
let nextSerial = 0;

function serialOf(policy: CompiledClusterPolicy): number {
  let serial = serials.get(policy);
  if (serial === undefined) {
    serial = nextSerial++;
    serials.set(policy, serial);
  }
  return serial;
}

/**
 * Per workload, the cluster policy rules applying to its ingress and egress, in evaluation
 * order. Workloads selected by the same policies share one object, so comparing sides is cheap;
 * `previous` (what an earlier build returned as `shared`) keeps those objects across builds when
 * the same compiled policies select a workload, so that what is cached by side stays valid.
 */
export function sideTiersOf(
  ordered: readonly CompiledClusterPolicy[],
  workloadCount: number,
  previous?: ReadonlyMap<string, SharedSides>,
): { ingress: SideTiers[]; egress: SideTiers[]; shared: Map<string, SharedSides> } {
  const ingress: SideTiers[] = new Array(workloadCount).fill(NO_TIERS);
  const egress: SideTiers[] = new Array(workloadCount).fill(NO_TIERS);
  const shared = new Map<string, SharedSides>();
  if (ordered.length === 0) return { ingress, egress, shared };
  const selecting: number[][] = Array.from({ length: workloadCount }, () => []);
  ordered.forEach((policy, p) => {
    for (const w of policy.selected) selecting[w]!.push(p);
  });
  const serial = ordered.map(serialOf);
  for (let w = 0; w < workloadCount; w++) {
    const list = selecting[w]!;
    if (list.length === 0) continue;
    const key = list.map((p) => serial[p]).join(',');
    let sides = shared.get(key);
    if (!sides) {
      sides = previous?.get(key);
      if (!sides) {
        const build = (direction: 'ingress' | 'egress'): SideTiers => {
          const admin: CompiledTierRule[] = [];
          const baseline: CompiledTierRule[] = [];
          for (const p of list) {
            const policy = ordered[p]!;
            (policy.tier === 'Admin' ? admin : baseline).push(...policy[direction]);
          }
          return admin.length === 0 && baseline.length === 0 ? NO_TIERS : { admin, baseline };
        };
        sides = { ingress: build('ingress'), egress: build('egress') };
      }
      shared.set(key, sides);
    }
    ingress[w] = sides.ingress;
    egress[w] = sides.egress;
  }
  return { ingress, egress, shared };
}

/** True when two sides hold the same rules in the same order. */
export function sameTiers(a: SideTiers, b: SideTiers): boolean {
  const same = (x: readonly CompiledTierRule[], y: readonly CompiledTierRule[]) =>
    x === y || (x.length === y.length && x.every((r, i) => r === y[i]));
  return a === b || (same(a.admin, b.admin) && same(a.baseline, b.baseline));
}

/** Whether two rules can match a common connection (peers and ports overlap). */
export function rulesOverlap(a: CompiledTierRule, b: CompiledTierRule): boolean {
  const peersOverlap = a.peers.some((p) =>
    b.peers.some((q) => {
      if (p.kind === 'unknown' || q.kind === 'unknown') return true;
      for (let i = 0; i < p.members.length; i++) if (p.members[i] === 1 && q.members[i] === 1) return true;
      if (p.ipv4 && q.ipv4 && intersectIntervals(p.ipv4, q.ipv4).length > 0) return true;
      return p.domains.some((x) => q.domains.some((y) => domainCovers(x, y) || domainCovers(y, x)));
    }),
  );
  if (!peersOverlap) return false;
  if (!a.ports || !b.ports) return true;
  // A named port may resolve to any number: assume it overlaps.
  if (a.ports.some((p) => p.kind === 'named') || b.ports.some((p) => p.kind === 'named')) return true;
  return !isEmptyConnections(intersectConnections(rulePorts(a, undefined), rulePorts(b, undefined)));
}

/**
 * Same-tier, same-priority policies that select a common pod with overlapping rules of different
 * actions: which applies first is implementation-defined, so each such pair is diagnosed (and
 * under `--compat netpol-analyzer`, any two AdminNetworkPolicies sharing a priority are an error,
 * as there).
 */
export function priorityTies(
  ordered: readonly CompiledClusterPolicy[],
  compat: 'netpol-analyzer' | undefined,
): { diagnostics: Diagnostic[]; byPolicy: Map<string, string[]> } {
  const diagnostics: Diagnostic[] = [];
  const byPolicy = new Map<string, string[]>();
  for (let i = 0; i < ordered.length; i++) {
    const a = ordered[i]!;
    for (let j = i + 1; j < ordered.length; j++) {
      const b = ordered[j]!;
      if (b.tier !== a.tier || b.priority !== a.priority) break;
      const where = {
        file: b.object.source.file,
        field: 'spec.priority',
        range: b.object.source.locate(['spec', 'priority']),
        object: b.id,
        kind: b.kind,
      };
      if (
        compat === 'netpol-analyzer' &&
        a.kind === 'AdminNetworkPolicy' &&
        b.kind === 'AdminNetworkPolicy'
      ) {
        diagnostics.push({
          code: 'anp-same-priority',
          severity: 'error',
          message: `Admin Network Policies "${a.name}" and "${b.name}" have the same priority ${a.priority}. Two policies are considered to be conflicting if they are assigned the same priority.`,
          ...where,
        });
        continue;
      }
      const common = new Set(a.selected);
      if (!b.selected.some((w) => common.has(w))) continue;
      const conflict = (['ingress', 'egress'] as const).find((d) =>
        a[d].some((ra) => b[d].some((rb) => ra.action !== rb.action && rulesOverlap(ra, rb))),
      );
      if (!conflict) continue;
      byPolicy.set(a.id, [...(byPolicy.get(a.id) ?? []), b.id]);
      byPolicy.set(b.id, [...(byPolicy.get(b.id) ?? []), a.id]);
      diagnostics.push({
        code: 'cluster-policy-priority-tie',
        severity: 'warning',
        message: `${a.id} and ${b.id} share priority ${a.priority} in the ${a.tier} tier and have overlapping ${conflict} rules with different actions for the same pods: which one applies is implementation-defined. This analysis applies ${a.id} first (ties are ordered by kind/name).`,
        ...where,
      });
    }
  }
  return { diagnostics, byPolicy };
}
