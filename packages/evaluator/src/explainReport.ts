import { type Analysis, rulePorts } from './analyze.ts';
import {
  type ConnectionSet,
  containsPort,
  isEmptyConnections,
  MAX_PORT,
  MIN_PORT,
  NO_CONNECTIONS,
  PROTOCOLS,
  type Protocol,
  subtractConnections,
  unionConnections,
} from './connectionSet.ts';
import { peerMatchesExternal } from './domains.ts';
import { sideTiersFor, tierRuleSelects } from './explainTiers.ts';
import { type Intervals, unionIntervals } from './intervals.ts';
import type {
  Cluster,
  CompiledPolicy,
  CompiledRule,
  CompiledTierRule,
  Direction,
  Peer,
  SideTiers,
  Tier,
  TierAction,
  WorkloadPeer,
} from './model.ts';

/**
 * Why one side (the source's egress or the destination's ingress) treats a port as it does.
 * `policy` is `ns/name`; `rule` is the 0-based index in `spec.ingress` / `spec.egress`.
 */
export type ExplainReason =
  /** The rule selects the other peer and admits the port. */
  | { kind: 'allowed-by-rule'; policy: string; direction: Direction; rule: number }
  /**
   * The rule selects the other peer but does not admit the port. `namedPortsUnmatched`: the rule
   * admits nothing towards the destination because its named ports resolve on none of its containers.
   */
  | {
      kind: 'ports-mismatch';
      policy: string;
      direction: Direction;
      rule: number;
      namedPortsUnmatched: boolean;
    }
  /** The policy selects the subject but none of its rules selects the other peer (`noRules`: it has none). */
  | { kind: 'not-selected'; policy: string; direction: Direction; noRules: boolean }
  /**
   * A cluster policy rule decided the port (Accept, Deny) or passed it on (Pass). `policy` is the
   * policy's name, `policyKind` its kind; `rule` the index, `ruleName` its name when it has one.
   */
  | {
      kind: 'tier-rule';
      policy: string;
      policyKind: string;
      tier: Tier;
      priority: number;
      direction: Direction;
      rule: number;
      ruleName: string | undefined;
      action: TierAction;
    }
  /** After a Pass (or tier rules that decided nothing), the default allowed the port. */
  | { kind: 'system-default' };

/** The verdict of one side for a set of ports, with the reasons behind it. */
export interface SideVerdict {
  direction: Direction;
  allowed: boolean;
  /**
   * True when no policy selects the subject for this direction, or the subject is an address: the
   * system default allows everything and `reasons` is empty.
   */
  systemDefault: boolean;
  /** Allowed: the rules admitting the ports. Denied: per selecting policy, why it does not. */
  reasons: readonly ExplainReason[];
  /**
   * Under `compat: 'netpol-analyzer'` only: the side denies these ports but netpol-analyzer keeps no
   * reason for them, so the side is left out of the report (see {@link verdictAt}).
   */
  unexplained?: true;
}

/** Ports (of any protocol) that share one verdict and the same reasons on both sides. */
export interface ExplainSegment {
  /** Both sides allow these ports. */
  allowed: boolean;
  conn: ConnectionSet;
  egress: SideVerdict;
  ingress: SideVerdict;
}

/** The per-port explanation of one ordered pair of peers. */
export interface PairExplanation {
  src: Peer;
  dst: Peer;
  /** Neither end is selected by a policy for the relevant direction: everything is allowed by default. */
  systemDefaultOnly: boolean;
  /** Together they cover every port of every protocol exactly once. */
  segments: ExplainSegment[];
}

/** A rule of a selecting policy that selects the other peer, with what it admits towards the destination. */
interface RuleContribution {
  rule: CompiledRule;
  conn: ConnectionSet;
  namedPortsUnmatched: boolean;
}

interface PolicyContribution {
  policy: CompiledPolicy;
  rules: RuleContribution[];
}

/** A cluster policy rule that selects the other peer, with what it matches towards the destination. */
interface TierContribution {
  rule: CompiledTierRule;
  conn: ConnectionSet;
}

/**
 * What decides one side: the cluster policy rules selecting the other peer (Admin and Baseline, in
 * evaluation order) around the NetworkPolicies isolating the subject (in cluster order, undefined
 * when none does). The whole model is undefined when nothing applies: the system default decides.
 */
type SideModel =
  | {
      policies: PolicyContribution[] | undefined;
      admin: TierContribution[];
      baseline: TierContribution[];
      /** netpol-analyzer drops the NetworkPolicy layer's denial reasons on this side (see verdictAt). */
      dropsDenialReasons: boolean;
    }
  | undefined;

function selectsPeer(rule: CompiledRule, other: Peer): boolean {
  if (!rule.peers) return true;
  if (other.type === 'workload') return rule.peers.some((p) => p.members[other.index] === 1);
  // netpol-analyzer admits an address range only when it lies inside the block.
  return rule.peers.some((p) => peerMatchesExternal(p, other));
}

function hasUnresolvedNamedPort(rule: CompiledRule, dst: WorkloadPeer | undefined): boolean {
  return (rule.ports ?? []).some(
    (port) =>
      port.kind === 'named' &&
      !(dst?.ports ?? []).some((cp) => cp.name === port.name && cp.protocol === port.protocol),
  );
}

function sideModel(
  cluster: Cluster,
  direction: Direction,
  subject: Peer,
  other: Peer,
  portsDst: WorkloadPeer | undefined,
): SideModel {
  if (subject.type !== 'workload') return undefined;
  const policies = (direction === 'Egress' ? cluster.egressPolicies : cluster.ingressPolicies)[
    subject.index
  ]!;
  const tiers: SideTiers | undefined = sideTiersFor(cluster, direction, subject);
  if (policies.length === 0 && !tiers) return undefined;
  const contributions = (rules: readonly CompiledTierRule[]): TierContribution[] =>
    rules
      .filter((rule) => tierRuleSelects(rule, other))
      .map((rule) => ({ rule, conn: rulePorts(rule, portsDst) }));
  const admin = contributions(tiers?.admin ?? []);
  return {
    policies: policies.length === 0 ? undefined : networkPolicyModel(policies, direction, other, portsDst),
    admin,
    baseline: contributions(tiers?.baseline ?? []),
    dropsDenialReasons: cluster.options.compat === 'netpol-analyzer' && adminAcceptsSomePort(admin),
  };
}

/** Whether some port of the pair is decided by an Admin Accept: the first matching Admin rule accepts it. */
function adminAcceptsSomePort(admin: readonly TierContribution[]): boolean {
  let decided = NO_CONNECTIONS;
  for (const { rule, conn } of admin) {
    if (rule.action === 'Accept' && !isEmptyConnections(subtractConnections(conn, decided))) return true;
    decided = unionConnections(decided, conn);
  }
  return false;
}

function networkPolicyModel(
  policies: readonly CompiledPolicy[],
  direction: Direction,
  other: Peer,
  portsDst: WorkloadPeer | undefined,
): PolicyContribution[] {
  return policies.map((policy) => {
    const rules: RuleContribution[] = [];
    for (const rule of direction === 'Egress' ? policy.egress : policy.ingress) {
      if (!selectsPeer(rule, other)) continue;
      const conn = rulePorts(rule, portsDst);
      const namedPortsUnmatched = isEmptyConnections(conn) && hasUnresolvedNamedPort(rule, portsDst);
      rules.push({ rule, conn, namedPortsUnmatched });
    }
    return { policy, rules };
  });
}

/**
 * A side's verdict on one port. Within a policy netpol-analyzer keeps the first rule that decides a
 * port (the first admitting rule, else the first rule selecting the peer); across the policies of
 * one side it collects every policy's reason that agrees with the side's verdict.
 */
function verdictAt(model: SideModel, direction: Direction, protocol: Protocol, port: number): SideVerdict {
  if (!model) return { direction, allowed: true, systemDefault: true, reasons: [] };
  const chain: ExplainReason[] = [];
  /** The first rule of a tier matching the port: its reason joins the chain; Accept/Deny decide. */
  const runTier = (rules: readonly TierContribution[]): boolean | undefined => {
    const first = rules.find((c) => containsPort(c.conn, protocol, port));
    if (!first) return undefined;
    const { rule } = first;
    chain.push({
      kind: 'tier-rule',
      policy: rule.policy.name,
      policyKind: rule.policy.kind,
      tier: rule.policy.tier,
      priority: rule.policy.priority,
      direction,
      rule: rule.index,
      ruleName: rule.name,
      action: rule.action,
    });
    return rule.action === 'Pass' ? undefined : rule.action === 'Accept';
  };
  const admin = runTier(model.admin);
  if (admin !== undefined) return { direction, allowed: admin, systemDefault: false, reasons: chain };
  if (model.policies) {
    const np = networkPolicyVerdictAt(model.policies, direction, protocol, port);
    // netpol-analyzer merges the NetworkPolicies' verdict into the Admin tier's allowed set without
    // their reasons once that set is not empty, so the ports they deny keep no reason at all: the
    // report leaves the side out. An upstream quirk, reproduced only in its compatibility mode.
    if (!np.allowed && model.dropsDenialReasons) {
      return { direction, allowed: false, systemDefault: false, reasons: [], unexplained: true };
    }
    return { ...np, reasons: [...chain, ...np.reasons] };
  }
  const baseline = runTier(model.baseline);
  if (baseline !== undefined) return { direction, allowed: baseline, systemDefault: false, reasons: chain };
  if (chain.length === 0) return { direction, allowed: true, systemDefault: true, reasons: [] };
  return { direction, allowed: true, systemDefault: false, reasons: [...chain, { kind: 'system-default' }] };
}

function networkPolicyVerdictAt(
  model: PolicyContribution[],
  direction: Direction,
  protocol: Protocol,
  port: number,
): SideVerdict {
  const allowing: ExplainReason[] = [];
  for (const { policy, rules } of model) {
    const first = rules.find((r) => containsPort(r.conn, protocol, port));
    if (first)
      allowing.push({ kind: 'allowed-by-rule', policy: policy.id, direction, rule: first.rule.index });
  }
  if (allowing.length > 0) return { direction, allowed: true, systemDefault: false, reasons: allowing };
  const denying = model.map(({ policy, rules }): ExplainReason => {
    const first = rules[0];
    if (first) {
      return {
        kind: 'ports-mismatch',
        policy: policy.id,
        direction,
        rule: first.rule.index,
        namedPortsUnmatched: first.namedPortsUnmatched,
      };
    }
    const defined = direction === 'Egress' ? policy.egress : policy.ingress;
    return { kind: 'not-selected', policy: policy.id, direction, noRules: defined.length === 0 };
  });
  return { direction, allowed: false, systemDefault: false, reasons: denying };
}

/** Start ports of the elementary port ranges of one protocol: cut wherever some rule's ports start or end. */
function cutPoints(models: readonly SideModel[], protocol: Protocol): number[] {
  const cuts = new Set<number>([MIN_PORT]);
  for (const model of models) {
    const conns = [
      ...(model?.policies ?? []).flatMap((p) => p.rules.map((r) => r.conn)),
      ...(model?.admin ?? []).map((c) => c.conn),
      ...(model?.baseline ?? []).map((c) => c.conn),
    ];
    for (const conn of conns) {
      const ranges = conn[protocol];
      for (let i = 0; i < ranges.length; i += 2) {
        cuts.add(ranges[i]!);
        if (ranges[i + 1]! < MAX_PORT) cuts.add(ranges[i + 1]! + 1);
      }
    }
  }
  return [...cuts].sort((a, b) => a - b);
}

function reasonKey(r: ExplainReason): string {
  switch (r.kind) {
    case 'allowed-by-rule':
      return `a:${r.policy}:${r.rule}`;
    case 'ports-mismatch':
      return `m:${r.policy}:${r.rule}:${r.namedPortsUnmatched}`;
    case 'not-selected':
      return `n:${r.policy}:${r.noRules}`;
    case 'tier-rule':
      return `t:${r.policyKind}/${r.policy}:${r.direction}:${r.rule}:${r.action}`;
    case 'system-default':
      return 'd';
  }
}

function verdictKey(v: SideVerdict): string {
  return `${v.allowed}|${v.systemDefault}|${v.unexplained === true}|${v.reasons.map(reasonKey).join(',')}`;
}

/**
 * Explains, port by port, why traffic from `src` to `dst` is allowed or denied: every protocol's
 * 1-65535 is cut into segments on which the verdict and the (side, policy, rule) reasons of both
 * sides are constant, and segments with identical reasons are merged across protocols. This is the
 * model of netpol-analyzer's `list --explain` (plain NetworkPolicy layer only).
 */
export function explainPair(cluster: Cluster, src: Peer, dst: Peer): PairExplanation {
  const portsDst = dst.type === 'workload' ? dst : undefined;
  const egress = sideModel(cluster, 'Egress', src, dst, portsDst);
  const ingress = sideModel(cluster, 'Ingress', dst, src, portsDst);
  const groups = new Map<
    string,
    { egress: SideVerdict; ingress: SideVerdict; conn: Record<Protocol, Intervals> }
  >();
  for (const protocol of PROTOCOLS) {
    const cuts = cutPoints([egress, ingress], protocol);
    cuts.forEach((start, i) => {
      const end = i + 1 < cuts.length ? cuts[i + 1]! - 1 : MAX_PORT;
      const e = verdictAt(egress, 'Egress', protocol, start);
      const n = verdictAt(ingress, 'Ingress', protocol, start);
      const key = `${verdictKey(e)}#${verdictKey(n)}`;
      let group = groups.get(key);
      if (!group) {
        group = { egress: e, ingress: n, conn: { TCP: [], UDP: [], SCTP: [] } };
        groups.set(key, group);
      }
      group.conn[protocol] = unionIntervals(group.conn[protocol], [start, end]);
    });
  }
  const segments = [...groups.values()].map(
    (g): ExplainSegment => ({ allowed: g.egress.allowed && g.ingress.allowed, ...g }),
  );
  // Cluster policies that select a subject but none of whose rules match the pair leave it to the default.
  const systemDefaultOnly = segments.every((g) => g.egress.systemDefault && g.ingress.systemDefault);
  return { src, dst, systemDefaultOnly, segments };
}

/**
 * {@link explainPair} for every pair netpol-analyzer reports: workload to workload (a workload to
 * itself excluded), every ingress address range to every workload, and every workload to every
 * egress address range. Address ranges never pair with each other.
 */
export function explainAllPairs(analysis: Analysis): PairExplanation[] {
  const { cluster, workloads, ingressExternals, egressExternals } = analysis;
  const out: PairExplanation[] = [];
  for (const src of workloads) {
    for (const dst of workloads) if (src.index !== dst.index) out.push(explainPair(cluster, src, dst));
    for (const dst of egressExternals) out.push(explainPair(cluster, src, dst));
  }
  for (const src of ingressExternals) {
    for (const dst of workloads) out.push(explainPair(cluster, src, dst));
  }
  return out;
}
