// What one side of a connection allows towards one other end: the cluster policy tiers around the
// NetworkPolicy layer (see decideSide), as analyze computes it per side class and bucket, per
// address and per domain name. A side's rules are compiled once into a program over interned ids
// (see internedSets.ts), so a result costs a pass over the rules asking which admit the other end,
// then a few table lookups: no connection set is built unless the combination is new.

import { isAllConnections } from './connectionSet.ts';
import { ALL_ID, EMPTY_ID, type InternedSets } from './internedSets.ts';
import type {
  CompiledPeer,
  CompiledPolicy,
  CompiledPort,
  CompiledRule,
  CompiledTierPeer,
  CompiledTierRule,
  SideTiers,
  WorkloadPeer,
} from './model.ts';
import { rulePorts } from './rulePorts.ts';
import { ruleKey } from './sideKeys.ts';
import { tierOutcome, tiersEmpty } from './tiers.ts';

/** The rules of one side: a workload's policies and cluster policy rules for one direction. */
export interface SideRules {
  direction: 'ingress' | 'egress';
  policies: readonly CompiledPolicy[];
  tiers: SideTiers;
}

/** Whether a rule's peer entry admits the other end a result is computed for. */
export type AdmitsPeer = (peer: CompiledPeer | CompiledTierPeer) => boolean;

/** A rule as a program reads it. */
interface ProgramRule {
  /** undefined: every other end. */
  peers: readonly (CompiledPeer | CompiledTierPeer)[] | undefined;
  /** The interned ports, or -1 when named ports make them depend on the destination. */
  ports: number;
  rule: PortedRule;
}

/** A cluster policy rule as a program reads it: `code` stands for its action in outcome keys. */
interface ProgramTierRule extends ProgramRule {
  code: string;
}

/** A side's cluster policy rules, compiled once per rule list (many sides share one). */
interface TierProgram {
  tiers: SideTiers;
  admin: readonly ProgramTierRule[];
  baseline: readonly ProgramTierRule[];
  /**
   * Outcomes by the mask of matching rules (bit i: rule i, Admin then Baseline), when the rules
   * are few and name no port (so the mask alone determines the outcome).
   */
  byMask: Map<number, OutcomeIds> | undefined;
  /**
   * With `byMask`: the outcome per bucket of a view that refines the partition by the rules' peer
   * groups (every other end of such a bucket matches the same rules), by view.
   */
  byBucket: Map<object, (OutcomeIds | undefined)[]>;
}

/** A side's rules, compiled: see {@link SidePrograms.compile}. */
export interface SideProgram {
  /** The NetworkPolicy rules, one per meaning; undefined when no NetworkPolicy isolates the side. */
  rules: readonly ProgramRule[] | undefined;
  /** undefined when no cluster policy rule applies to the side. */
  tiers: TierProgram | undefined;
  /**
   * The peers of every rule, in the order of the matched flags a result reads: Admin rules, then
   * Baseline rules, then NetworkPolicy rules (undefined: the rule admits every other end).
   */
  peers: readonly (readonly AnyPeer[] | undefined)[];
}

type AnyPeer = CompiledPeer | CompiledTierPeer;

/** A tier outcome (see TierOutcome) as interned ids. */
interface OutcomeIds {
  accepted: number;
  reached: number;
  unisolated: number;
}

/** Masks are 32-bit integers. */
const MASK_RULES = 30;

/** A NetworkPolicy or cluster policy rule, as far as its ports go. */
type PortedRule = { readonly ports: readonly CompiledPort[] | undefined };

const ACTION_CODES = { Accept: 'a', Deny: 'd', Pass: 'p' } as const;

/**
 * Compiles sides and computes their results as interned ids. The tiers' outcome depends only on
 * the sequence of rules that match the other end (their tier, action and ports), so it is cached
 * by that sequence, across sides and classes: the few wide cluster policies are run once per
 * combination, not once per bucket.
 */
export class SidePrograms {
  /** Per rule: interned ports by slot (0: no destination or no named port; 1 + port layout otherwise). */
  private readonly ports = new WeakMap<PortedRule, number[]>();
  private readonly outcomes = new Map<string, OutcomeIds>();
  private readonly policyRules = {
    ingress: new WeakMap<CompiledPolicy, ProgramRule[]>(),
    egress: new WeakMap<CompiledPolicy, ProgramRule[]>(),
  };
  private readonly tierPrograms = new WeakMap<SideTiers, TierProgram>();
  /** Per rule of the program being decided (see SideProgram.peers): 1 when it admits the other end. */
  private matched = new Uint8Array(64);

  constructor(
    private readonly sets: InternedSets,
    /** Per workload: its named-port layout (equal layouts resolve names alike). */
    private readonly portClassOf: Int32Array,
  ) {}

  /** A side's rules, NetworkPolicy rules deduplicated by meaning (their union is what the side admits). */
  compile(side: SideRules): SideProgram {
    const { policies, tiers, direction } = side;
    let rules: ProgramRule[] | undefined;
    if (policies.length === 1) rules = this.rulesOf(policies[0]!, direction);
    else if (policies.length > 1) {
      rules = [];
      const seen = new Set<string>();
      for (const policy of policies) {
        for (const r of this.rulesOf(policy, direction)) {
          const key = ruleKey(r.rule as CompiledRule);
          if (seen.has(key)) continue;
          seen.add(key);
          rules.push(r);
        }
      }
    }
    const tierProgram = tiersEmpty(tiers) ? undefined : this.tierProgram(tiers);
    const peers: (readonly AnyPeer[] | undefined)[] = [];
    if (tierProgram) for (const r of [...tierProgram.admin, ...tierProgram.baseline]) peers.push(r.peers);
    for (const r of rules ?? []) peers.push(r.peers);
    return { rules, tiers: tierProgram, peers };
  }

  /** A policy's rules of one direction, one per meaning. */
  private rulesOf(policy: CompiledPolicy, direction: 'ingress' | 'egress'): ProgramRule[] {
    const cache = this.policyRules[direction];
    let rules = cache.get(policy);
    if (!rules) {
      rules = [];
      const seen = new Set<string>();
      for (const rule of policy[direction]) {
        const key = ruleKey(rule);
        if (seen.has(key)) continue;
        seen.add(key);
        rules.push({ peers: rule.peers, ports: this.fixedPorts(rule), rule });
      }
      cache.set(policy, rules);
    }
    return rules;
  }

  private tierProgram(tiers: SideTiers): TierProgram {
    let program = this.tierPrograms.get(tiers);
    if (!program) {
      const compile = (list: readonly CompiledTierRule[]) =>
        list.map((rule) => ({
          peers: rule.peers,
          ports: this.fixedPorts(rule),
          rule,
          code: ACTION_CODES[rule.action],
        }));
      const admin = compile(tiers.admin);
      const baseline = compile(tiers.baseline);
      const maskable =
        admin.length + baseline.length <= MASK_RULES &&
        admin.every((r) => r.ports >= 0) &&
        baseline.every((r) => r.ports >= 0);
      program = { tiers, admin, baseline, byMask: maskable ? new Map() : undefined, byBucket: new Map() };
      this.tierPrograms.set(tiers, program);
    }
    return program;
  }

  /**
   * What the side allows towards the other end that `admits` decides about, as an interned id;
   * `dst` resolves named ports (the destination workload, or undefined towards an address). The
   * Admin tier decides first; what it leaves goes to the isolating NetworkPolicies (their union),
   * or, when none isolates the pod, to the Baseline tier and then the default (allow).
   */
  result(program: SideProgram, admits: AdmitsPeer, dst: WorkloadPeer | undefined): number {
    const { peers } = program;
    const matched = this.matchedFor(peers.length);
    for (let i = 0; i < peers.length; i++) matched[i] = admitsSome(peers[i], admits) ? 1 : 0;
    return this.decide(program, matched, dst);
  }

  /**
   * {@link result} towards workload `other` (by index): the peers' member arrays are read directly,
   * the one check a class makes per bucket of its view, thousands of times per analysis.
   */
  resultTowards(program: SideProgram, other: number, dst: WorkloadPeer | undefined): number {
    const { peers } = program;
    const matched = this.matchedFor(peers.length);
    for (let i = 0; i < peers.length; i++) matched[i] = admitsMember(peers[i], other) ? 1 : 0;
    return this.decide(program, matched, dst);
  }

  /**
   * {@link resultTowards} for a side whose tier program has `byMask`, `other` being in bucket
   * `bucket` of `view`, a view no tier rule's peer group splits: the tier outcome is computed once
   * per such bucket, and only the NetworkPolicy rules are tested for `other`.
   */
  resultTowardsInTiers(
    program: SideProgram,
    other: number,
    dst: WorkloadPeer | undefined,
    view: object,
    bucket: number,
  ): number {
    const { peers } = program;
    const tiers = program.tiers!;
    const first = tiers.admin.length + tiers.baseline.length;
    const matched = this.matchedFor(peers.length);
    let outcomes = tiers.byBucket.get(view);
    if (!outcomes) {
      outcomes = [];
      tiers.byBucket.set(view, outcomes);
    }
    let outcome = outcomes[bucket];
    if (!outcome) {
      for (let i = 0; i < first; i++) matched[i] = admitsMember(peers[i], other) ? 1 : 0;
      outcome = this.outcome(tiers, matched, dst);
      outcomes[bucket] = outcome;
    }
    for (let i = first; i < peers.length; i++) matched[i] = admitsMember(peers[i], other) ? 1 : 0;
    return this.decideWith(program, outcome, matched, dst);
  }

  /** The scratch array of matched flags, for `count` rules. */
  private matchedFor(count: number): Uint8Array {
    if (this.matched.length < count) this.matched = new Uint8Array(count * 2);
    return this.matched;
  }

  /** The result, from the flags of the rules that admit the other end (see SideProgram.peers). */
  private decide(program: SideProgram, matched: Uint8Array, dst: WorkloadPeer | undefined): number {
    const { rules, tiers } = program;
    const first = tiers ? tiers.admin.length + tiers.baseline.length : 0;
    if (!tiers) return rules ? this.admitted(rules, matched, first, dst) : ALL_ID;
    return this.decideWith(program, this.outcome(tiers, matched, dst), matched, dst);
  }

  /** {@link decide} for a side with tiers, their outcome known. */
  private decideWith(
    program: SideProgram,
    outcome: OutcomeIds,
    matched: Uint8Array,
    dst: WorkloadPeer | undefined,
  ): number {
    const { rules, tiers } = program;
    const first = tiers!.admin.length + tiers!.baseline.length;
    if (!rules) return outcome.unisolated;
    // The Admin tier decided everything: NetworkPolicy has no say.
    if (outcome.reached === EMPTY_ID) return outcome.accepted;
    const admitted = this.admitted(rules, matched, first, dst);
    const { sets } = this;
    const passed = isAllConnections(sets.list[outcome.reached]!)
      ? admitted
      : sets.both(outcome.reached, admitted);
    return outcome.accepted === EMPTY_ID ? passed : sets.either(outcome.accepted, passed);
  }

  /** The union of the ports of the NetworkPolicy rules that admit the other end (their flags from `first`). */
  private admitted(
    rules: readonly ProgramRule[],
    matched: Uint8Array,
    first: number,
    dst: WorkloadPeer | undefined,
  ): number {
    let out = EMPTY_ID;
    for (let i = 0; i < rules.length; i++)
      if (matched[first + i] === 1) out = this.sets.either(out, this.portsOf(rules[i]!, dst));
    return out;
  }

  /** The tiers' outcome, by the mask of matching rules or by the sequence of their actions and ports. */
  private outcome(program: TierProgram, matched: Uint8Array, dst: WorkloadPeer | undefined): OutcomeIds {
    const { admin, baseline, byMask } = program;
    const rules = admin.length + baseline.length;
    let mask = 0;
    if (byMask) {
      for (let i = 0; i < rules; i++) if (matched[i] === 1) mask |= 1 << i;
      const known = byMask.get(mask);
      if (known) return known;
    }
    // Sides of other rule lists meet the same sequences: the outcome is shared by the sequence.
    let key = '';
    for (let i = 0; i < admin.length; i++) {
      const r = admin[i]!;
      if (matched[i] === 1) key += `${r.code}${this.portsOf(r, dst)},`;
    }
    key += '|';
    for (let i = 0; i < baseline.length; i++) {
      const r = baseline[i]!;
      if (matched[admin.length + i] === 1) key += `${r.code}${this.portsOf(r, dst)},`;
    }
    let outcome = this.outcomes.get(key);
    if (!outcome) {
      const { sets } = this;
      const ports = new Map<CompiledTierRule, number>();
      const all = [...admin, ...baseline];
      for (let i = 0; i < all.length; i++)
        if (matched[i] === 1) ports.set(all[i]!.rule as CompiledTierRule, this.portsOf(all[i]!, dst));
      const found = tierOutcome(program.tiers, {
        matches: (rule) => ports.has(rule),
        ports: (rule) => sets.list[ports.get(rule)!]!,
      });
      outcome = {
        accepted: sets.intern(found.accepted),
        reached: sets.intern(found.reached),
        unisolated: sets.intern(found.unisolated),
      };
      this.outcomes.set(key, outcome);
    }
    byMask?.set(mask, outcome);
    return outcome;
  }

  /** The interned ports of a rule whose ports do not depend on the destination, else -1. */
  private fixedPorts(rule: PortedRule): number {
    return rule.ports?.some((p) => p.kind === 'named') ? -1 : this.portsId(rule, undefined);
  }

  private portsOf(r: ProgramRule, dst: WorkloadPeer | undefined): number {
    return r.ports >= 0 ? r.ports : this.portsId(r.rule, dst);
  }

  /** The interned ports `rule` admits towards workload `dst`, or towards an address when undefined. */
  private portsId(rule: PortedRule, dst: WorkloadPeer | undefined): number {
    if (!rule.ports) return ALL_ID;
    let ids = this.ports.get(rule);
    if (!ids) {
      ids = [];
      this.ports.set(rule, ids);
    }
    // Only named ports depend on the destination: slot 0 serves addresses and unnamed ports.
    const named = rule.ports.some((p) => p.kind === 'named');
    const slot = named && dst ? this.portClassOf[dst.index]! + 1 : 0;
    let id = ids[slot];
    if (id === undefined) {
      id = this.sets.intern(rulePorts(rule, named ? dst : undefined));
      ids[slot] = id;
    }
    return id;
  }
}

/** Whether a rule's peers admit the other end (a rule without peers admits every one). */
function admitsSome(peers: readonly AnyPeer[] | undefined, admits: AdmitsPeer): boolean {
  if (!peers) return true;
  for (const p of peers) if (admits(p)) return true;
  return false;
}

/** Whether a rule's peers admit workload `other`. */
function admitsMember(peers: readonly AnyPeer[] | undefined, other: number): boolean {
  if (!peers) return true;
  for (let i = 0; i < peers.length; i++) if (peers[i]!.members[other] === 1) return true;
  return false;
}
