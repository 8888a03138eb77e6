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

/**
 * A policy's rules (of one direction) or a side's tiers: their interned meaning, whether they name
 * ports, and the peer groups their rules read about the other end (ascending, once each).
 */
interface Numbered {
  n: number;
  named: boolean;
  groups: Int32Array;
}

/**
 * Values by short lists of small numbers (side keys, view keys), in nested maps: a lookup builds
 * no key text, and a number key hashes without reading a string.
 */
export class NumberTrie<T> {
  private readonly root: TrieNode<T> = { next: undefined, value: undefined };

  /** The node of `key[0..length)`, made when missing: read and write its `value`. */
  node(key: Int32Array, length: number): TrieNode<T> {
    let node = this.root;
    for (let i = 0; i < length; i++) {
      const k = key[i]!;
      node.next ??= new Map();
      let child = node.next.get(k);
      if (!child) {
        child = { next: undefined, value: undefined };
        node.next.set(k, child);
      }
      node = child;
    }
    return node;
  }
}

/** A node of a {@link NumberTrie}. */
export interface TrieNode<T> {
  next: Map<number, TrieNode<T>> | undefined;
  value: T | undefined;
}

/**
 * Interns rule meanings to small numbers, so that a side's key is a short list of numbers. One
 * interner serves a whole lineage of analyses: a number always means one meaning.
 */
export class SideKeys {
  private readonly numbers = new Map<string, number>();
  private readonly tierNumbers = new Map<string, number>();
  private readonly byPolicy = {
    ingress: new WeakMap<CompiledPolicy, Numbered>(),
    egress: new WeakMap<CompiledPolicy, Numbered>(),
  };
  private readonly byTiers = new WeakMap<SideTiers, Numbered>();
  /** The key {@link side} wrote last (its length is what it returned). */
  key = new Int32Array(16);
  /** Whether some rule of the side {@link side} keyed last names a port. */
  named = false;

  private number(numbers: Map<string, number>, key: string): number {
    let n = numbers.get(key);
    if (n === undefined) {
      n = numbers.size;
      numbers.set(key, n);
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
      const groups: number[] = [];
      for (const rule of rules) for (const peer of rule.peers ?? []) groups.push(peer.group);
      entry = {
        n: this.number(this.numbers, key),
        named: rules.some((r) => namedIn(r.ports)),
        groups: distinctSorted(groups),
      };
      cache.set(policy, entry);
    }
    return entry;
  }

  /** A side's cluster policy rules, in evaluation order (order matters within a tier). */
  private tiers(tiers: SideTiers): Numbered {
    let entry = this.byTiers.get(tiers);
    if (!entry) {
      const admin = tiers.admin.map((r) => this.number(this.numbers, tierRuleKey(r)));
      const baseline = tiers.baseline.map((r) => this.number(this.numbers, tierRuleKey(r)));
      const groups: number[] = [];
      for (const rule of [...tiers.admin, ...tiers.baseline])
        for (const peer of rule.peers) groups.push(peer.group);
      entry = {
        n: this.number(this.tierNumbers, `${admin.join(',')}/${baseline.join(',')}`),
        named: tiers.admin.some((r) => namedIn(r.ports)) || tiers.baseline.some((r) => namedIn(r.ports)),
        groups: distinctSorted(groups),
      };
      this.byTiers.set(tiers, entry);
    }
    return entry;
  }

  /**
   * Writes the key of one side of a workload into {@link key} and returns its length: how many
   * distinct policy meanings its NetworkPolicy layer has (none: no policy selects it for the
   * direction), those meanings ascending (it admits their union), then its cluster policy rules
   * (-1: none). Sets {@link named}.
   */
  side(policies: readonly CompiledPolicy[], tiers: SideTiers, direction: Direction): number {
    if (this.key.length < policies.length + 4) this.key = new Int32Array(2 * policies.length + 4);
    const key = this.key;
    let named = false;
    let count = 0;
    for (let i = 0; i < policies.length; i++) {
      const entry = this.policy(policies[i]!, direction);
      named ||= entry.named;
      // Insertion into the sorted distinct run key[1..count]: sides have a few policies.
      const n = entry.n;
      let j = count;
      while (j > 0 && key[j]! > n) j--;
      if (j > 0 && key[j] === n) continue;
      for (let k = count; k > j; k--) key[k + 1] = key[k]!;
      key[j + 1] = n;
      count++;
    }
    key[0] = count;
    let length = count + 1;
    if (tiersEmpty(tiers)) key[length++] = -1;
    else {
      const entry = this.tiers(tiers);
      key[length++] = entry.n;
      named ||= entry.named;
    }
    this.named = named;
    return length;
  }

  /**
   * The peer groups a side's NetworkPolicy rules and cluster policy rules read about the other
   * end, sorted, once each.
   */
  groups(
    policies: readonly CompiledPolicy[],
    tiers: SideTiers,
    direction: Direction,
  ): { policies: Int32Array; tiers: Int32Array } {
    const fromTiers = tiersEmpty(tiers) ? NO_GROUPS : this.tiers(tiers).groups;
    if (policies.length === 1)
      return { policies: this.policy(policies[0]!, direction).groups, tiers: fromTiers };
    const fromPolicies: number[] = [];
    for (const policy of policies)
      for (const g of this.policy(policy, direction).groups) fromPolicies.push(g);
    return { policies: distinctSorted(fromPolicies), tiers: fromTiers };
  }
}

const NO_GROUPS = new Int32Array(0);

/** The distinct numbers of `values`, ascending. */
function distinctSorted(values: number[]): Int32Array {
  if (values.length === 0) return NO_GROUPS;
  const sorted = Int32Array.from(values).sort();
  let length = 1;
  for (let i = 1; i < sorted.length; i++) if (sorted[i] !== sorted[length - 1]) sorted[length++] = sorted[i]!;
  return length === sorted.length ? sorted : sorted.slice(0, length);
}
