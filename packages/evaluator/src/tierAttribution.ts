// Which layer decided a connection, side by side: the Admin tier, the namespace's NetworkPolicies,
// the Baseline tier or the default. The graph colours edges by it and its details panel names the
// deciding rules; the connections the Admin tier denies are listed on demand, so a reviewer sees
// what the platform team blocks. Built on the same layered decision analyze and explain run.

import type { ClusterPolicyKind, SourceRange } from '@netpol-atlas/manifests';
import type { Analysis } from './analyze.ts';
import {
  type ConnectionSet,
  intersectConnections,
  isEmptyConnections,
  NO_CONNECTIONS,
  unionConnections,
} from './connectionSet.ts';
import { peerMatchesExternal } from './domains.ts';
import { sideTiersFor, tierChain, tierRuleSelects } from './explainTiers.ts';
import type {
  Cluster,
  CompiledPolicy,
  CompiledTierRule,
  Direction,
  Peer,
  Tier,
  TierAction,
  WorkloadPeer,
} from './model.ts';
import { rulePorts } from './rulePorts.ts';
import { decideSide, newTrace, type SideTrace } from './tiers.ts';

/** The layers of one side, in the order they run. `default`: no layer decided, so it is allowed. */
export type DecidingLayer = 'Admin' | 'NetworkPolicy' | 'Baseline' | 'default';

/** The layers from most to least authoritative, the order {@link decidingLayer} ranks them in. */
const LAYER_RANK: readonly DecidingLayer[] = ['Admin', 'NetworkPolicy', 'Baseline', 'default'];

/** A cluster policy rule, as attributions name it. */
export interface TierRuleRef {
  /** `Kind/name`. */
  policy: string;
  kind: ClusterPolicyKind;
  tier: Tier;
  priority: number;
  direction: Direction;
  /** Index in `spec.ingress` / `spec.egress`. */
  rule: number;
  ruleName: string | undefined;
  action: TierAction;
  file: string;
  range: SourceRange | undefined;
}

/** One layer's share of what one side allows. */
export interface LayerDecision {
  layer: DecidingLayer;
  /** The part of the connection this layer decided. */
  conn: ConnectionSet;
  /** The accepting cluster policy rule (Admin and Baseline layers). */
  rule?: TierRuleRef;
  /** `ns/name` of the NetworkPolicies whose rules admit this part (NetworkPolicy layer). */
  policies?: string[];
}

/** What decided one side of a connection; `decisions` is empty when the subject is an address. */
export interface SideAttribution {
  direction: Direction;
  decisions: LayerDecision[];
}

/** Who decided an allowed connection, side by side. */
export interface ConnectionAttribution {
  egress: SideAttribution;
  ingress: SideAttribution;
  /** The most authoritative layer that decided some of it on either side (see {@link decidingLayer}). */
  decidedBy: DecidingLayer;
}

/** A part of a connection an Admin tier Deny rule blocks. */
export interface AdminDenial {
  src: Peer;
  dst: Peer;
  /** The side whose Admin tier denies (the source's egress or the destination's ingress). */
  direction: Direction;
  /** What the rule denies between the pair (matched, and not decided by an earlier rule). */
  conn: ConnectionSet;
  rule: TierRuleRef;
}

/** The Admin tier's denials, capped so a huge workspace answers in bounded time. */
export interface AdminDenials {
  denials: AdminDenial[];
  /** True when the cap stopped the search: more pairs are denied than listed. */
  truncated: boolean;
}

function ruleRef(rule: CompiledTierRule, action: TierAction): TierRuleRef {
  const { policy } = rule;
  return {
    policy: policy.id,
    kind: policy.kind,
    tier: policy.tier,
    priority: policy.priority,
    direction: rule.direction,
    rule: rule.index,
    ruleName: rule.name,
    action,
    file: policy.object.source.file,
    range: policy.object.source.locate([
      'spec',
      rule.direction === 'Egress' ? 'egress' : 'ingress',
      rule.index,
    ]),
  };
}

function admitsOther(rule: CompiledPolicy['ingress'][number], other: Peer): boolean {
  if (!rule.peers) return true;
  return rule.peers.some((p) =>
    other.type === 'workload' ? p.members[other.index] === 1 : peerMatchesExternal(p, other),
  );
}

/**
 * What the NetworkPolicies isolating `subject` in `direction` admit from/to `other`, with the
 * policies that admit it; undefined when no NetworkPolicy isolates the subject.
 */
function networkPolicySide(
  cluster: Cluster,
  direction: Direction,
  subject: WorkloadPeer,
  other: Peer,
  portsDst: WorkloadPeer | undefined,
): { conn: ConnectionSet; admitting: { policy: string; conn: ConnectionSet }[] } | undefined {
  const policies = (direction === 'Egress' ? cluster.egressPolicies : cluster.ingressPolicies)[
    subject.index
  ]!;
  if (policies.length === 0) return undefined;
  let conn = NO_CONNECTIONS;
  const admitting: { policy: string; conn: ConnectionSet }[] = [];
  for (const policy of policies) {
    let mine = NO_CONNECTIONS;
    for (const rule of direction === 'Egress' ? policy.egress : policy.ingress) {
      if (admitsOther(rule, other)) mine = unionConnections(mine, rulePorts(rule, portsDst));
    }
    if (isEmptyConnections(mine)) continue;
    admitting.push({ policy: policy.id, conn: mine });
    conn = unionConnections(conn, mine);
  }
  return { conn, admitting };
}

function attributeSide(
  cluster: Cluster,
  direction: Direction,
  subject: Peer,
  other: Peer,
  portsDst: WorkloadPeer | undefined,
  wanted: ConnectionSet,
): SideAttribution {
  if (subject.type !== 'workload') return { direction, decisions: [] };
  const np = networkPolicySide(cluster, direction, subject, other, portsDst);
  const npDecision = (reached: ConnectionSet): LayerDecision[] => {
    if (!np) return [];
    const conn = intersectConnections(reached, np.conn);
    if (isEmptyConnections(conn)) return [];
    const policies = np.admitting
      .filter((a) => !isEmptyConnections(intersectConnections(a.conn, conn)))
      .map((a) => a.policy);
    return [{ layer: 'NetworkPolicy', conn, policies }];
  };
  const tiers = sideTiersFor(cluster, direction, subject);
  if (!tiers) {
    if (np) return { direction, decisions: npDecision(wanted) };
    return { direction, decisions: [{ layer: 'default', conn: wanted }] };
  }
  const { chain } = tierChain(
    cluster,
    tiers,
    direction,
    other,
    portsDst,
    np ? () => np.conn : undefined,
    wanted,
  );
  const decisions: LayerDecision[] = [];
  const accepting = (tier: Tier) =>
    chain.decisions
      .filter((d) => d.tier === tier && d.action === 'Accept')
      .map((d) => {
        // The side's tiers hold rules of this direction only: policy and index name one.
        const compiled = [...tiers.admin, ...tiers.baseline].find(
          (r) => r.policy.id === d.policy && r.index === d.rule,
        )!;
        return { layer: tier, conn: d.conn, rule: ruleRef(compiled, 'Accept') } satisfies LayerDecision;
      });
  decisions.push(...accepting('Admin'));
  if (np) decisions.push(...npDecision(chain.networkPolicyReached));
  decisions.push(...accepting('Baseline'));
  if (!isEmptyConnections(chain.defaulted)) decisions.push({ layer: 'default', conn: chain.defaulted });
  return { direction, decisions };
}

/** The most authoritative layer among both sides' decisions (Admin, NetworkPolicy, Baseline, default). */
function decidingLayer(egress: SideAttribution, ingress: SideAttribution): DecidingLayer {
  const layers = new Set([...egress.decisions, ...ingress.decisions].map((d) => d.layer));
  return LAYER_RANK.find((layer) => layers.has(layer)) ?? 'default';
}

/**
 * Which layer decided each side of the allowed connection `conn` from `src` to `dst` (as
 * `analyze` computed it): the accepting Admin or Baseline rule, the admitting NetworkPolicies, or
 * the default. A side may split: one port decided by an Admin Accept, the rest by NetworkPolicy.
 */
export function attributeConnection(
  cluster: Cluster,
  src: Peer,
  dst: Peer,
  conn: ConnectionSet,
): ConnectionAttribution {
  const portsDst = dst.type === 'workload' ? dst : undefined;
  const egress = attributeSide(cluster, 'Egress', src, dst, portsDst, conn);
  const ingress = attributeSide(cluster, 'Ingress', dst, src, portsDst, conn);
  return { egress, ingress, decidedBy: decidingLayer(egress, ingress) };
}

/** The Admin Deny steps of one side towards `other`. */
function adminDenySteps(
  tiers: NonNullable<ReturnType<typeof sideTiersFor>>,
  other: Peer,
  portsDst: WorkloadPeer | undefined,
): { rule: CompiledTierRule; conn: ConnectionSet }[] {
  const trace: SideTrace = newTrace();
  // Only the Admin tier matters here: it runs before NetworkPolicy, whatever that admits.
  decideSide(
    { admin: tiers.admin, baseline: [] },
    undefined,
    { matches: (rule) => tierRuleSelects(rule, other), ports: (rule) => rulePorts(rule, portsDst) },
    trace,
  );
  return trace.steps.filter((s) => s.action === 'Deny').map((s) => ({ rule: s.rule, conn: s.conn }));
}

/**
 * The connections the Admin tier denies, with the deciding rule: every ordered pair of peers
 * (workloads, and the analysis's address ranges and domain names) for which an Admin Deny rule of
 * the source's egress or the destination's ingress blocks something. Only subjects with an Admin
 * Deny rule are visited, and only the peers its Deny rules name, so the work follows the rules,
 * not the number of pairs. Stops after `limit` denials (`truncated`).
 */
export function adminDenials(analysis: Analysis, limit = 5000): AdminDenials {
  const { cluster } = analysis;
  const denials: AdminDenial[] = [];
  const externalsFor = (direction: Direction): Peer[] =>
    direction === 'Egress'
      ? [...analysis.egressExternals, ...analysis.domainExternals]
      : [...analysis.ingressExternals];
  for (const direction of ['Egress', 'Ingress'] as const) {
    const externals = externalsFor(direction);
    for (const subject of cluster.workloads) {
      const tiers = sideTiersFor(cluster, direction, subject);
      const denyRules = tiers?.admin.filter((r) => r.action === 'Deny') ?? [];
      if (!tiers || denyRules.length === 0) continue;
      const candidates = new Set<number>();
      for (const rule of denyRules) {
        for (const peer of rule.peers) {
          peer.members.forEach((m, w) => {
            if (m === 1 && w !== subject.index) candidates.add(w);
          });
        }
      }
      const others: Peer[] = [...[...candidates].sort((a, b) => a - b).map((w) => cluster.workloads[w]!)];
      for (const e of externals) if (denyRules.some((r) => tierRuleSelects(r, e))) others.push(e);
      for (const other of others) {
        const [src, dst] = direction === 'Egress' ? [subject, other] : [other, subject];
        const portsDst = dst.type === 'workload' ? dst : undefined;
        for (const step of adminDenySteps(tiers, other, portsDst)) {
          if (denials.length >= limit) return { denials, truncated: true };
          denials.push({ src, dst, direction, conn: step.conn, rule: ruleRef(step.rule, 'Deny') });
        }
      }
    }
  }
  return { denials, truncated: false };
}
