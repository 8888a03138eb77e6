// What one side of a connection (a workload's egress, or its ingress) depends on, as keys: two
// workloads whose side keys are equal decide alike about every other end. Keys are built from
// what rules mean (peer groups, ports, actions), never from rule ids, so a policy compiled again
// with the same meaning (re-parsed after an edit elsewhere in its file, or moved) keeps its key,
// and NetworkPolicies of different namespaces that say the same thing share one.

import type {
  CompiledPolicy,
  CompiledPort,
  CompiledRule,
  CompiledTierPeer,
  CompiledTierRule,
  SideTiers,
} from './model.ts';
import { tiersEmpty } from './tiers.ts';

type Direction = 'ingress' | 'egress';

function portKey(p: CompiledPort): string {
  return p.kind === 'named'
    ? `${p.anyProtocol ? '*' : p.protocol}:${p.name}`
    : `${p.protocol}:${p.from}-${p.to}`;
}

function portsKey(ports: readonly CompiledPort[] | undefined): string {
  return ports ? ports.map(portKey).sort().join(',') : '*';
}

/**
 * A peer entry's meaning: its group (the members it admits, and for address groups the addresses)
 * plus, for a cluster policy peer, the domain names it covers (domain peers share one empty group).
 */
function peerKey(peer: { readonly group: number; readonly domains?: readonly string[] }): string {
  return peer.domains && peer.domains.length > 0
    ? `${peer.group}@${peer.domains.join('|')}`
    : `${peer.group}`;
}

const ruleKeys = new WeakMap<CompiledRule | CompiledTierRule, string>();

/** A NetworkPolicy rule's meaning: the peers it admits and the ports it opens. */
export function ruleKey(rule: CompiledRule): string {
  let key = ruleKeys.get(rule);
  if (key === undefined) {
    const peers = rule.peers ? [...new Set(rule.peers.map(peerKey))].sort().join('.') : '*';
    key = `${peers}/${portsKey(rule.ports)}`;
    ruleKeys.set(rule, key);
  }
  return key;
}

/** A cluster policy rule's meaning: its action, peers and ports (its position is the caller's). */
function tierRuleKey(rule: CompiledTierRule): string {
  let key = ruleKeys.get(rule);
  if (key === undefined) {
    const peers = [...new Set(rule.peers.map((p: CompiledTierPeer) => peerKey(p)))].sort().join('.');
    key = `${rule.action}:${peers}/${portsKey(rule.ports)}`;
    ruleKeys.set(rule, key);
  }
  return key;
}

function namedIn(ports: readonly CompiledPort[] | undefined): boolean {
  return ports?.some((p) => p.kind === 'named') ?? false;
}

/** A policy's rules (of one direction) or a side's tiers, as interned meanings, and whether they name ports. */
interface Numbered {
  key: string;
  named: boolean;
}

/** A side's key, and whether some rule of it names a port (resolved on the destination's containers). */
export interface SideKey {
  key: string;
  named: boolean;
}

/**
 * Interns rule meanings to small numbers, so that a side's key is a short list of numbers. One
 * interner serves a whole lineage of analyses: a number always means one meaning.
 */
export class SideKeys {
  private readonly numbers = new Map<string, number>();
  private readonly byPolicy = {
    ingress: new WeakMap<CompiledPolicy, Numbered>(),
    egress: new WeakMap<CompiledPolicy, Numbered>(),
  };
  private readonly byTiers = new WeakMap<SideTiers, Numbered>();

  private number(key: string): number {
    let n = this.numbers.get(key);
    if (n === undefined) {
      n = this.numbers.size;
      this.numbers.set(key, n);
    }
    return n;
  }

  /** A policy's rules of one direction: the sorted, distinct rule meanings (the policy admits their union). */
  private policy(policy: CompiledPolicy, direction: Direction): Numbered {
    const cache = this.byPolicy[direction];
    let entry = cache.get(policy);
    if (!entry) {
      const rules = policy[direction];
      const key = [...new Set(rules.map(ruleKey))].sort().join('\n');
      entry = { key: `${this.number(key)}`, named: rules.some((r) => namedIn(r.ports)) };
      cache.set(policy, entry);
    }
    return entry;
  }

  /** A side's cluster policy rules, in evaluation order (order matters within a tier). */
  private tiers(tiers: SideTiers): Numbered {
    let entry = this.byTiers.get(tiers);
    if (!entry) {
      const admin = tiers.admin.map((r) => this.number(tierRuleKey(r)));
      const baseline = tiers.baseline.map((r) => this.number(tierRuleKey(r)));
      entry = {
        key: `${admin.join(',')}/${baseline.join(',')}`,
        named: tiers.admin.some((r) => namedIn(r.ports)) || tiers.baseline.some((r) => namedIn(r.ports)),
      };
      this.byTiers.set(tiers, entry);
    }
    return entry;
  }

  /**
   * The key of one side of a workload: its NetworkPolicy layer (`open` when no policy selects it
   * for the direction, else the distinct policy meanings, whose union it admits) and its cluster
   * policy rules.
   */
  side(policies: readonly CompiledPolicy[], tiers: SideTiers, direction: Direction): SideKey {
    let key: string;
    let named = false;
    if (policies.length === 0) key = 'open';
    else if (policies.length === 1) {
      const entry = this.policy(policies[0]!, direction);
      key = entry.key;
      named = entry.named;
    } else {
      const keys = new Set<string>();
      for (const p of policies) {
        const entry = this.policy(p, direction);
        keys.add(entry.key);
        named ||= entry.named;
      }
      key = [...keys].sort().join(',');
    }
    if (!tiersEmpty(tiers)) {
      const entry = this.tiers(tiers);
      key = `${key}|${entry.key}`;
      named ||= entry.named;
    }
    return { key, named };
  }
}

/** The peer groups a side's NetworkPolicy rules and cluster policy rules read about the other end, sorted, once each. */
export function sideGroups(
  policies: readonly CompiledPolicy[],
  tiers: SideTiers,
  direction: Direction,
): { policies: number[]; tiers: number[] } {
  const fromPolicies = new Set<number>();
  for (const policy of policies)
    for (const rule of policy[direction]) for (const peer of rule.peers ?? []) fromPolicies.add(peer.group);
  const fromTiers = new Set<number>();
  for (const rule of [...tiers.admin, ...tiers.baseline])
    for (const peer of rule.peers) fromTiers.add(peer.group);
  const sorted = (set: Set<number>) => [...set].sort((a, b) => a - b);
  return { policies: sorted(fromPolicies), tiers: sorted(fromTiers) };
}
