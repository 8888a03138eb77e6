// The per-lineage memo behind analyze(): equivalence classes of workloads, the connections
// between classes, and the peer-group memberships classes are keyed by.

import { lineageOf } from './cluster.ts';
import {
  ALL_CONNECTIONS,
  type ConnectionSet,
  connectionKey,
  isEmptyConnections,
  NO_CONNECTIONS,
} from './connectionSet.ts';
import type { Cluster, CompiledPolicy, CompiledPort, SideTiers, WorkloadPeer } from './model.ts';
import { rulePorts } from './rulePorts.ts';
import type { TierOutcome } from './tiers.ts';

/** The signature of a workload's named container ports: equal signatures resolve names alike. */
function namedPortSignature(w: WorkloadPeer): string {
  return w.ports
    .filter((p) => p.name)
    .map((p) => `${p.name}/${p.protocol}/${p.containerPort}`)
    .sort()
    .join(',');
}

export function ruleIds(policies: readonly CompiledPolicy[], direction: 'ingress' | 'egress'): string {
  return policies.flatMap((p) => p[direction].map((r) => r.id)).join(',');
}

/**
 * A class of workloads that behave alike on one side: the side's policies, the peer groups that
 * admit its members, and one member (for its port layout). Admission is decided by the groups,
 * not by the member: a later cluster of the lineage may use groups the key did not cover.
 */
export interface ClassInfo {
  policies: readonly CompiledPolicy[];
  /** The cluster policy rules of the side (Admin and Baseline tiers). */
  tiers: SideTiers;
  /** Bit set of peer group numbers. */
  groups: Uint32Array;
  representative: number;
  /** What its tiers decide per other end, once looked up (the class's tiers never change). */
  tierOutcomes?: { outcomes: TierOutcomes; named: boolean };
}

function groupBits(groups: readonly number[]): Uint32Array {
  let max = -1;
  for (const g of groups) if (g > max) max = g;
  const bits = new Uint32Array(max < 0 ? 0 : (max >>> 5) + 1);
  for (const g of groups) bits[g >>> 5]! |= 1 << (g & 31);
  return bits;
}

/** Interns class keys into dense numbers. Grows only, so a number always means one key. */
class Classes {
  private readonly ids = new Map<string, number>();
  readonly info: ClassInfo[] = [];
  classOf(
    key: string,
    policies: readonly CompiledPolicy[],
    tiers: SideTiers,
    groups: readonly number[],
    representative: number,
  ): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.info.length;
      this.ids.set(key, id);
      this.info.push({ policies, tiers, groups: groupBits(groups), representative });
    }
    return id;
  }
  get size(): number {
    return this.info.length;
  }
}

interface LastClasses {
  cluster: Cluster;
  memberships: readonly string[];
  srcClassOf: Int32Array;
  dstClassOf: Int32Array;
}

export function samePolicies(a: readonly CompiledPolicy[], b: readonly CompiledPolicy[]): boolean {
  return a === b || (a.length === b.length && a.every((p, i) => p === b[i]));
}

/** The peer groups the rules use, and per workload the sorted groups admitting it. */
interface Memberships {
  used: Map<number, Uint8Array>;
  lists: number[][];
  keys: string[];
}

/** What one side's cluster policy rules decide, per other end: by class slot, or by address / domain key. */
export interface TierOutcomes {
  byClass: (TierOutcome | undefined)[];
  byName: Map<string, TierOutcome>;
}

/**
 * What analyses of one lineage (clusters built incrementally from one another, see lineageOf)
 * share. Within a lineage the workloads are the same objects, and a rule id or peer group number
 * always means the same rule or member set, so a class key (rule ids, admitting groups, port
 * layout) determines its connections in every cluster of the lineage: results are cached by
 * class number across analyses. The caches only grow; a memo grown far past what one cluster
 * needs is replaced by a fresh one.
 */
export class Memo {
  readonly src = new Classes();
  readonly dst = new Classes();
  /**
   * Per source class, per destination class: the id of the pair's connections in `sets`, 0 when
   * not computed yet. Typed rows keep a 10k-pod cluster's 1.7 million class pairs in 7 MB.
   */
  readonly rows: (Int32Array | undefined)[] = [];
  /** Interned connection sets by id; id 0 stands for "not computed". */
  readonly sets: ConnectionSet[] = [NO_CONNECTIONS, NO_CONNECTIONS];
  readonly fromExternal = new Map<string, ConnectionSet>();
  readonly toExternal = new Map<string, ConnectionSet>();
  readonly portClassOf: Int32Array;
  /** Port classes plus one (slot 0: no destination port layout), to number (other end, port layout) pairs. */
  readonly portSlots: number;
  /**
   * Per side's cluster policy rules (direction, named-port mode and rule ids), per other end (a
   * class, with the port layout named ports resolve on, or an address): what the tiers decide.
   * Rule ids and class numbers mean the same in every cluster of the lineage, as for `rows`.
   */
  readonly tierOutcomes = new Map<string, TierOutcomes>();
  memberships: Memberships | undefined;
  /** The classes of the last analysis: a workload whose policies and groups are unchanged keeps its class. */
  lastClasses: LastClasses | undefined;
  private readonly interned = new Map<string, number>();
  private readonly ports = new WeakMap<PortedRule, (ConnectionSet | undefined)[]>();

  constructor(readonly workloads: readonly WorkloadPeer[]) {
    const signatures = new Map<string, number>();
    this.portClassOf = new Int32Array(workloads.length);
    for (const w of workloads) {
      const signature = namedPortSignature(w);
      let id = signatures.get(signature);
      if (id === undefined) {
        id = signatures.size;
        signatures.set(signature, id);
      }
      this.portClassOf[w.index] = id;
    }
    this.portSlots = signatures.size + 1;
  }

  /** The id of `set` in `sets`: one per distinct set, so equal results compare with `===`. */
  intern(set: ConnectionSet): number {
    // Most class pairs allow nothing: skip building a key for them.
    if (isEmptyConnections(set)) return 1;
    const key = connectionKey(set);
    let id = this.interned.get(key);
    if (id === undefined) {
      id = this.sets.length;
      this.sets.push(set);
      this.interned.set(key, id);
    }
    return id;
  }

  /** The row of source class `sc`, long enough for every destination class so far. */
  row(sc: number): Int32Array {
    const old = this.rows[sc];
    if (old && old.length >= this.dst.size) return old;
    const row = new Int32Array(this.dst.size);
    if (old) row.set(old);
    this.rows[sc] = row;
    return row;
  }

  /** The ports `rule` admits towards workload `dst`, or towards an address when undefined. */
  portsOf(rule: PortedRule, dst: WorkloadPeer | undefined): ConnectionSet {
    if (!rule.ports) return ALL_CONNECTIONS;
    let sets = this.ports.get(rule);
    if (!sets) {
      sets = [];
      this.ports.set(rule, sets);
    }
    // Only named ports depend on the destination: slot 0 serves addresses and unnamed ports.
    const named = rule.ports.some((p) => p.kind === 'named');
    const slot = named && dst ? this.portClassOf[dst.index]! + 1 : 0;
    let set = sets[slot];
    if (!set) {
      set = rulePorts(rule, named ? dst : undefined);
      sets[slot] = set;
    }
    return set;
  }

  outgrown(): boolean {
    const limit = 2 * this.workloads.length + 1024;
    return this.src.size > limit || this.dst.size > limit || this.tierOutcomes.size > limit;
  }
}

const memos = new WeakMap<object, Memo>();

export function memoFor(cluster: Cluster): Memo {
  const lineage = lineageOf(cluster);
  if (!lineage) return new Memo(cluster.workloads);
  let memo = memos.get(lineage);
  if (!memo || memo.outgrown()) {
    memo = new Memo(cluster.workloads);
    memos.set(lineage, memo);
  }
  return memo;
}

/** A NetworkPolicy or cluster policy rule, as far as its ports go. */
type PortedRule = { readonly ports: readonly CompiledPort[] | undefined };

/** Whether a rule admits the members of a class (a rule without peers admits everyone). */
export function admitsClass(
  rule: { readonly peers: readonly { readonly group: number }[] | undefined },
  peer: ClassInfo,
): boolean {
  if (!rule.peers) return true;
  const bits = peer.groups;
  for (const p of rule.peers) {
    const word = p.group >>> 5;
    if (word < bits.length && (bits[word]! & (1 << (p.group & 31))) !== 0) return true;
  }
  return false;
}

/** The peer groups `cluster`'s rules use, with their members. */
function usedGroups(cluster: Cluster): Map<number, Uint8Array> {
  const used = new Map<number, Uint8Array>();
  for (const policy of cluster.policies) {
    for (const rule of policy.ingress)
      for (const peer of rule.peers ?? []) used.set(peer.group, peer.members);
    for (const rule of policy.egress) for (const peer of rule.peers ?? []) used.set(peer.group, peer.members);
  }
  for (const policy of cluster.clusterPolicies) {
    for (const rule of policy.ingress) for (const peer of rule.peers) used.set(peer.group, peer.members);
    for (const rule of policy.egress) for (const peer of rule.peers) used.set(peer.group, peer.members);
  }
  return used;
}

/**
 * Per workload, the sorted list of the peer groups that admit it, and that list as a string key.
 * Derived from the memo's previous result when there is one: only members of groups that came or
 * went are redone.
 */
export function membershipsOf(cluster: Cluster, memo: Memo): Memberships {
  const used = usedGroups(cluster);
  const last = memo.memberships;
  let lists: number[][];
  let keys: string[];
  if (last) {
    const touched = new Set<number>();
    const membersOfMissing = (a: Map<number, Uint8Array>, b: Map<number, Uint8Array>) => {
      for (const [group, members] of a) {
        if (b.has(group)) continue;
        for (let i = 0; i < members.length; i++) if (members[i] === 1) touched.add(i);
      }
    };
    membersOfMissing(used, last.used);
    membersOfMissing(last.used, used);
    if (touched.size === 0) {
      memo.memberships = { ...last, used };
      return memo.memberships;
    }
    lists = [...last.lists];
    keys = [...last.keys];
    for (const i of touched) {
      const list = lists[i]!.filter((g) => used.has(g));
      for (const [group, members] of used) if (members[i] === 1 && !last.used.has(group)) list.push(group);
      list.sort((a, b) => a - b);
      lists[i] = list;
      keys[i] = list.join(',');
    }
  } else {
    lists = cluster.workloads.map(() => []);
    for (const group of [...used.keys()].sort((a, b) => a - b)) {
      const members = used.get(group)!;
      for (let i = 0; i < members.length; i++) if (members[i] === 1) lists[i]!.push(group);
    }
    keys = lists.map((l) => l.join(','));
  }
  memo.memberships = { used, lists, keys };
  return memo.memberships;
}
