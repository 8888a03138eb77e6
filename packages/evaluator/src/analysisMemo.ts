// The per-lineage memo behind analyze(): the side classes of workloads, the views they see the
// other ends through, their results per bucket, and the interned connection sets.

import { Atoms } from './atoms.ts';
import { lineageOf } from './cluster.ts';
import { InternedSets } from './internedSets.ts';
import type { Cluster, CompiledPolicy, SideTiers, WorkloadPeer } from './model.ts';
import { PortLayouts } from './portLayouts.ts';
import { NumberTrie, SideKeys } from './sideKeys.ts';
import { type SideProgram, SidePrograms } from './sides.ts';
import { buildView, memberList, type View } from './sideViews.ts';
import { tiersEmpty } from './tiers.ts';

/**
 * The workloads that decide alike on one side (egress or ingress): same NetworkPolicy meaning,
 * same cluster policy rules, and for ingress with named ports the same port layout. Its result
 * towards another end depends only on the bucket of that end in its view.
 */
export interface SideClass {
  /** Dense number among the classes of its direction. */
  id: number;
  direction: 'ingress' | 'egress';
  /** A member's policies and cluster policy rules (every member's mean the same). */
  policies: readonly CompiledPolicy[];
  tiers: SideTiers;
  /** A member: its port layout resolves ingress named ports. */
  subject: number;
  /** The atom of each workload, in the partition the view groups (its direction's). */
  atomOf: Int32Array;
  view: View;
  /** With cluster policy rules: the view of their peer groups alone (`view` itself, or coarser). */
  tierView: View | undefined;
  /** Per bucket of the view: the interned id of the side's result, 0 while not computed. */
  results: Int32Array;
  /** The side's rules compiled for computing results; made on first use. */
  program?: SideProgram;
  /**
   * Results towards addresses (by first address) and domain names, as interned ids; made on first
   * use (a side that names no address keeps its one result in `anyAddress`).
   */
  addresses: Map<number, number> | undefined;
  /** The result towards every address of a side that names none, 0 while not computed. */
  anyAddress: number;
  /** Whether some rule admits addresses by range (else one result serves every address); set on first use. */
  namesAddresses?: boolean;
  domains: Map<string, number> | undefined;
}

/** Interns side keys into classes. Grows only, so a class number always means one key. */
class SideClasses {
  readonly byKey = new NumberTrie<SideClass>();
  readonly list: SideClass[] = [];
  constructor(readonly direction: 'ingress' | 'egress') {}
}

/**
 * What analyses of one lineage (clusters built incrementally from one another, see lineageOf)
 * share. Within a lineage the workloads are the same objects and a peer group number always
 * means the same member set; side keys are built from what rules mean, so a key determines its
 * results in every cluster of the lineage: results are cached by class across analyses. The
 * caches only grow; a memo grown far past what one cluster needs is replaced by a fresh one.
 */
export class Memo {
  readonly egress = new SideClasses('egress');
  readonly ingress = new SideClasses('ingress');
  readonly keys = new SideKeys();
  /** Every result, interned: equal ids are equal sets. */
  readonly sets = new InternedSets();
  readonly programs: SidePrograms;
  readonly portClassOf: Int32Array;
  /** The last analysis's classes: a workload whose policies and tiers are the same objects keeps its class. */
  last: { cluster: Cluster; egressOf: readonly SideClass[]; ingressOf: readonly SideClass[] } | undefined;
  private readonly portClasses: number;
  private atomPorts: { representative: Int32Array; classOf: Int32Array } | undefined;
  /**
   * The other ends as each direction's sides see them: ingress sides classify sources by the
   * groups of ingress rules, egress sides destinations by those of egress rules (and port layout).
   */
  readonly atoms: { ingress: Atoms; egress: Atoms };
  /** Views by their key: whether split by port layout (1) or not (0), then the groups, ascending. */
  private readonly views = { ingress: new NumberTrie<View>(), egress: new NumberTrie<View>() };
  /** Every view, per direction: extended when the atoms are refined. */
  private readonly viewList: { ingress: View[]; egress: View[] } = { ingress: [], egress: [] };
  private viewKey = new Int32Array(64);
  private readonly memberLists = new Map<number, Int32Array>();
  private readonly groupAtoms = {
    ingress: new Map<number, Int32Array>(),
    egress: new Map<number, Int32Array>(),
  };

  constructor(readonly workloads: readonly WorkloadPeer[]) {
    const layouts = new PortLayouts();
    this.portClassOf = new Int32Array(workloads.length);
    for (const w of workloads) this.portClassOf[w.index] = layouts.of(w);
    this.portClasses = layouts.count;
    this.programs = new SidePrograms(this.sets, this.portClassOf);
    this.atoms = { ingress: new Atoms(workloads.length), egress: new Atoms(workloads.length) };
  }

  /**
   * Refines the atoms by every peer group of `cluster`'s rules (each once per lineage), before
   * views are built on them, then extends the views built on coarser atoms.
   */
  prepare(cluster: Cluster): void {
    const refined = { ingress: false, egress: false };
    const refine = (direction: 'ingress' | 'egress', peers: readonly { group: number }[] | undefined) => {
      const atoms = this.atoms[direction];
      for (const { group } of peers ?? []) {
        if (atoms.has(group)) continue;
        if (atoms.refine(group, this.members(cluster, group))) refined[direction] = true;
      }
    };
    for (const policy of [...cluster.policies, ...cluster.clusterPolicies]) {
      for (const rule of policy.ingress) refine('ingress', rule.peers);
      for (const rule of policy.egress) refine('egress', rule.peers);
    }
    if (cluster.usesNamedPorts && this.refinePorts()) refined.egress = true;
    for (const direction of ['ingress', 'egress'] as const) {
      if (!refined[direction]) continue;
      this.groupAtoms[direction].clear();
      const atoms = this.atoms[direction];
      for (const view of this.viewList[direction]) view.bucketOf = atoms.extend(view.bucketOf);
    }
  }

  /**
   * The class of workload `w`'s side in `cluster`. `policies` and `tiers` are the workload's for
   * the direction.
   */
  classOf(
    cluster: Cluster,
    direction: 'ingress' | 'egress',
    w: number,
    policies: readonly CompiledPolicy[],
    tiers: SideTiers,
  ): SideClass {
    const keys = this.keys;
    let length = keys.side(policies, tiers, direction);
    const named = keys.named;
    // Ingress named ports resolve on the subject itself: its port layout is part of its class.
    if (direction === 'ingress' && named) keys.key[length++] = this.portClassOf[w]!;
    const classes = direction === 'egress' ? this.egress : this.ingress;
    const node = classes.byKey.node(keys.key, length);
    if (node.value) return node.value;
    const groups = keys.groups(policies, tiers, direction);
    const byPorts = direction === 'egress' && named;
    const view = this.view(cluster, direction, groups, byPorts);
    const c: SideClass = {
      id: classes.list.length,
      direction,
      policies,
      tiers,
      subject: w,
      atomOf: this.atoms[direction].atomOf,
      view,
      tierView: tiersEmpty(tiers)
        ? undefined
        : this.view(cluster, direction, { policies: NO_GROUPS, tiers: groups.tiers }, byPorts),
      results: new Int32Array(view.representatives.length),
      addresses: undefined,
      anyAddress: 0,
      namesAddresses: undefined,
      domains: undefined,
    };
    node.value = c;
    classes.list.push(c);
    return c;
  }

  /** The interned result of class `c` towards the other ends in `bucket` of its view. */
  result(c: SideClass, bucket: number): number {
    let id = c.results[bucket]!;
    if (id === 0) {
      const other = c.view.representatives[bucket]!;
      // Named ports resolve on the destination: the other end for egress, the subject for ingress.
      const dst = this.workloads[c.direction === 'egress' ? other : c.subject];
      const program = this.program(c);
      // A side's cluster policy rules read only their own peer groups: every other end in one
      // bucket of the view of those groups alone meets the same tier outcome, which is then
      // shared by every class with those rules.
      const tierView = c.tierView;
      id =
        tierView && program.tiers?.byMask
          ? this.programs.resultTowardsInTiers(
              program,
              other,
              dst,
              tierView,
              tierView === c.view ? bucket : tierView.bucketOf[c.atomOf[other]!]!,
            )
          : this.programs.resultTowards(program, other, dst);
      c.results[bucket] = id;
    }
    return id;
  }

  /**
   * Splits the egress atoms by port layout: named ports resolve on the destination, so its port
   * layout is part of what egress sides see. Returns whether an atom was added.
   */
  private refinePorts(): boolean {
    const atoms = this.atoms.egress;
    if (atoms.has('ports')) return false;
    const byClass: number[][] = Array.from({ length: this.portClasses }, () => []);
    for (let w = 0; w < this.workloads.length; w++) byClass[this.portClassOf[w]!]!.push(w);
    let refined = atoms.refine('ports', new Int32Array(0));
    // The first layout is what the others leave.
    for (let p = 1; p < byClass.length; p++)
      if (atoms.refine(`ports:${p}`, Int32Array.from(byClass[p]!))) refined = true;
    return refined;
  }

  /**
   * The partition of the atoms by a side's groups (and the port layout, when `byPorts`), shared
   * by key within a direction. Sides with cluster policy rules start from the view of those rules
   * alone: many sides share them, and their groups are the wide ones.
   */
  private view(
    cluster: Cluster,
    direction: 'ingress' | 'egress',
    groups: { policies: Int32Array; tiers: Int32Array },
    byPorts: boolean,
  ): View {
    const all = union(groups.tiers, groups.policies);
    if (this.viewKey.length < all.length + 1) this.viewKey = new Int32Array(2 * all.length + 1);
    this.viewKey[0] = byPorts ? 1 : 0;
    this.viewKey.set(all, 1);
    const node = this.views[direction].node(this.viewKey, all.length + 1);
    let view = node.value;
    if (!view) {
      const atoms = this.atoms[direction];
      // prepare() refined the atoms by the groups of the cluster's rules; these are among them.
      let refined = byPorts && this.refinePorts();
      for (const g of all) if (!atoms.has(g) && atoms.refine(g, this.members(cluster, g))) refined = true;
      if (refined) {
        this.groupAtoms[direction].clear();
        for (const known of this.viewList[direction]) known.bucketOf = atoms.extend(known.bucketOf);
      }
      const rest = groups.tiers.length > 0 ? without(groups.policies, groups.tiers) : groups.policies;
      const base =
        groups.tiers.length > 0 && rest.length > 0
          ? this.view(cluster, direction, { policies: NO_GROUPS, tiers: groups.tiers }, byPorts)
          : undefined;
      const representative = atoms.representativeOf();
      const lists: Int32Array[] = [];
      for (const g of base ? rest : all) lists.push(this.atomsOf(cluster, direction, g));
      view = buildView(
        atoms.count,
        base,
        lists,
        // A base view was split by port layout already.
        byPorts && !base
          ? { classOf: this.portClassesOf(representative), count: this.portClasses }
          : undefined,
        representative,
      );
      node.value = view;
      this.viewList[direction].push(view);
    }
    return view;
  }

  /**
   * The port layout of each atom's representative: the same for every view built on one state of
   * the egress atoms (`representative` is replaced when they are refined), so it is made once.
   */
  private portClassesOf(representative: Int32Array): Int32Array {
    if (this.atomPorts?.representative !== representative)
      this.atomPorts = { representative, classOf: representative.map((w) => this.portClassOf[w]!) };
    return this.atomPorts.classOf;
  }

  /** The atoms of peer group `group` in a direction's partition, ascending. */
  private atomsOf(cluster: Cluster, direction: 'ingress' | 'egress', group: number): Int32Array {
    const known = this.groupAtoms[direction];
    let list = known.get(group);
    if (!list) {
      list = this.atoms[direction].atomsIn(this.members(cluster, group));
      known.set(group, list);
    }
    return list;
  }

  /** The members of peer group `group`, as an ascending list (a group's members never change in a lineage). */
  private members(cluster: Cluster, group: number): Int32Array {
    let list = this.memberLists.get(group);
    if (!list) {
      const members = groupMembers(cluster, group);
      list = members ? memberList(members) : new Int32Array(0);
      this.memberLists.set(group, list);
    }
    return list;
  }

  /** The compiled rules of class `c`. */
  program(c: SideClass): SideProgram {
    c.program ??= this.programs.compile(c);
    return c.program;
  }

  outgrown(): boolean {
    const limit = 2 * this.workloads.length + 1024;
    return (
      this.egress.list.length > limit ||
      this.ingress.list.length > limit ||
      this.viewList.ingress.length + this.viewList.egress.length > limit
    );
  }
}

const NO_GROUPS = new Int32Array(0);

/** The distinct numbers of two ascending lists, ascending. */
function union(a: Int32Array, b: Int32Array): Int32Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Int32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length || j < b.length) {
    const x = i < a.length ? a[i]! : 0x7fffffff;
    const y = j < b.length ? b[j]! : 0x7fffffff;
    if (x <= y) i++;
    if (y <= x) j++;
    out[k++] = Math.min(x, y);
  }
  return k === out.length ? out : out.slice(0, k);
}

/** The numbers of ascending list `a` that ascending list `b` lacks, ascending. */
function without(a: Int32Array, b: Int32Array): Int32Array {
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    while (j < b.length && b[j]! < x) j++;
    if (j >= b.length || b[j] !== x) out.push(x);
  }
  return out.length === a.length ? a : Int32Array.from(out);
}

const groupIndexes = new WeakMap<Cluster, Map<number, Uint8Array>>();

/** The member array of peer group `group`, from the rule peers of `cluster` (indexed once per cluster). */
function groupMembers(cluster: Cluster, group: number): Uint8Array | undefined {
  let index = groupIndexes.get(cluster);
  if (!index) {
    const found = new Map<number, Uint8Array>();
    const add = (peers: readonly { group: number; members: Uint8Array }[] | undefined) => {
      for (const peer of peers ?? []) found.set(peer.group, peer.members);
    };
    for (const policy of [...cluster.policies, ...cluster.clusterPolicies]) {
      for (const rule of policy.ingress) add(rule.peers);
      for (const rule of policy.egress) add(rule.peers);
    }
    index = found;
    groupIndexes.set(cluster, index);
  }
  return index.get(group);
}

const memos = new WeakMap<object, Memo>();

/** The memo of `cluster`'s lineage (a fresh one for a cluster of no lineage, or an outgrown memo). */
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

/** True when two lists hold the same policy objects in the same order. */
export function samePolicies(a: readonly CompiledPolicy[], b: readonly CompiledPolicy[]): boolean {
  return a === b || (a.length === b.length && a.every((p, i) => p === b[i]));
}
