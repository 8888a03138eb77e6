// The grouping stage of the worker's overview (see groupGraph for what it means), kept as a state
// that a changed set of collapsed namespaces updates instead of recomputing. Expanding one of 600
// namespaces used to regroup all of a million connections (a quarter of a second); the edges whose
// grouping it changes are those with an end in that namespace, which FilteredEdges lists.
//
// The answer is the same as grouping from scratch, order included: an aggregated edge comes where
// its first connection (lowest edge index) is, endpoint ids and labels are listed in first use.

import type { FilteredEdges } from './filteredEdges.ts';
import { DECIDERS, type WireGroupedGraph } from './groupedEdges.ts';

/**
 * One grouping: which groups are collapsed, and the aggregated edges in order. An end is a node
 * index, or `nodes.length` + the index of the collapsed group standing for it.
 */
export interface Grouping {
  collapsed: Uint8Array;
  /** How many aggregated edges there are: the columns may be longer. */
  size: number;
  source: Int32Array;
  target: Int32Array;
  count: Int32Array;
  /** The lowest index among the merged edges: the aggregated edges are in this order. */
  first: Int32Array;
  /** The label id of that first edge. */
  firstLabel: Int32Array;
  /** The merged edges' common label id, -1 when they differ. */
  label: Int32Array;
  all: Uint8Array;
  /** Index into DECIDERS, -1 for none. */
  decided: Int8Array;
  denied: Uint8Array;
}

const MIXED = DECIDERS.indexOf('mixed');

/**
 * Aggregated edges being built, in typed columns that double as they fill. Edges may come in any
 * order (a regrouping walks them by namespace): each keeps its lowest edge index, by which they
 * are then sorted.
 */
class Aggregates {
  size = 0;
  /** The columns, `size` of them filled; replaced when they grow. */
  columns: Grouping;

  constructor(
    private readonly f: FilteredEdges,
    collapsed: Uint8Array,
  ) {
    this.columns = emptyGrouping(collapsed, 1024);
  }

  /** Starts an aggregated edge with edge `i` between ends `s` and `t`; returns its index. */
  add(s: number, t: number, i: number): number {
    const { f } = this;
    if (this.size === this.columns.source.length) this.grow();
    const c = this.columns;
    const at = this.size++;
    const table = i < f.base;
    const label = table ? f.kindLabel[f.kind[i]!]! : f.extraLabel[i - f.base]!;
    c.source[at] = s;
    c.target[at] = t;
    c.count[at] = 1;
    c.first[at] = i;
    c.firstLabel[at] = label;
    c.label[at] = label;
    c.all[at] = table ? f.kindAll[f.kind[i]!]! : f.extraAll[i - f.base]!;
    c.decided[at] = f.decider ? f.decider[i]! : -1;
    c.denied[at] = table ? 0 : f.extraDenied[i - f.base]!;
    return at;
  }

  /** Merges edge `i` into aggregated edge `at`. */
  merge(at: number, i: number): void {
    const { f } = this;
    const c = this.columns;
    const table = i < f.base;
    const label = table ? f.kindLabel[f.kind[i]!]! : f.extraLabel[i - f.base]!;
    c.count[at]!++;
    if (i < c.first[at]!) {
      c.first[at] = i;
      c.firstLabel[at] = label;
    }
    if (c.label[at] !== label) c.label[at] = -1;
    if ((table ? f.kindAll[f.kind[i]!]! : f.extraAll[i - f.base]!) === 0) c.all[at] = 0;
    if (c.decided[at] !== (f.decider ? f.decider[i]! : -1)) c.decided[at] = MIXED;
  }

  private grow(): void {
    const c = this.columns;
    const next = emptyGrouping(c.collapsed, 2 * c.source.length);
    copyRun(c, 0, this.size, next, 0);
    this.columns = next;
  }

  /** The aggregated edges in the order of their first edges, as a grouping. */
  sorted(): Grouping {
    const c = this.columns;
    const { size } = this;
    let ascending = true;
    for (let k = 1; k < size && ascending; k++) ascending = c.first[k - 1]! < c.first[k]!;
    // Grouping every edge adds them in that order already.
    if (ascending) {
      const grouping = emptyGrouping(c.collapsed, size);
      copyRun(c, 0, size, grouping, 0);
      return grouping;
    }
    const order = Int32Array.from({ length: size }, (_, k) => k).sort((a, b) => c.first[a]! - c.first[b]!);
    const grouping = emptyGrouping(c.collapsed, size);
    for (let k = 0; k < size; k++) copyAggregate(c, order[k]!, grouping, k);
    return grouping;
  }
}

/** Per node, the end standing for it under `collapsed`: itself, its collapsed group, or -1. */
function endpoints(f: FilteredEdges, collapsed: Uint8Array): Int32Array {
  const n = f.nodes.length;
  const end = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    if (f.kept[i] === 0) continue;
    const g = f.groupOf[i]!;
    end[i] = g >= 0 && collapsed[g] === 1 ? n + g : i;
  }
  return end;
}

/** Up to this many namespaces, edges between collapsed ones are merged through a dense table (2 x 4M cells at most). */
const DENSE_GROUPS = 2000;

/**
 * Groups every kept edge under `collapsed`. One loop over up to a million edges, run cold on the
 * first overview of a revision: merging is written out here rather than called (see Aggregates),
 * which took the first run from under 100 ms to over 400.
 */
export function groupAll(f: FilteredEdges, collapsed: Uint8Array): Grouping {
  const n = f.nodes.length;
  const span = n + f.groups.length;
  const end = endpoints(f, collapsed);
  const out = new Aggregates(f, collapsed);
  let c = out.columns;
  const merged = new Map<number, number>();
  // Between two collapsed namespaces (most edges of a big overview) the merged edge is found in
  // a dense table by group indices: a million Map look-ups took most of an expansion's time.
  const groupCount = f.groups.length;
  const betweenGroups =
    groupCount <= DENSE_GROUPS ? new Int32Array(2 * groupCount * groupCount).fill(-1) : undefined;
  const {
    source,
    target,
    edgeKept,
    base,
    extraDenied,
    kind,
    kindLabel,
    kindAll,
    extraLabel,
    extraAll,
    decider,
  } = f;
  for (let i = 0; i < edgeKept.length; i++) {
    if (edgeKept[i] === 0) continue;
    const s = end[source[i]!]!;
    const t = end[target[i]!]!;
    if (s < 0 || t < 0 || s === t) continue;
    const denied = i < base ? 0 : extraDenied[i - base]!;
    const cell = betweenGroups && s >= n && t >= n ? (denied * groupCount + s - n) * groupCount + t - n : -1;
    const key = denied * span * span + s * span + t;
    const at = cell >= 0 ? betweenGroups![cell]! : (merged.get(key) ?? -1);
    if (at < 0) {
      const added = out.add(s, t, i);
      c = out.columns;
      if (cell >= 0) betweenGroups![cell] = added;
      else merged.set(key, added);
      continue;
    }
    // Edges come in order here: the first one stays first.
    c.count[at]!++;
    if (c.label[at] !== (i < base ? kindLabel[kind[i]!]! : extraLabel[i - base]!)) c.label[at] = -1;
    if ((i < base ? kindAll[kind[i]!]! : extraAll[i - base]!) === 0) c.all[at] = 0;
    if (c.decided[at] !== (decider ? decider[i]! : -1)) c.decided[at] = MIXED;
  }
  return out.sorted();
}

/**
 * `previous` with the namespaces whose collapsed flag `collapsed` changes regrouped: its
 * aggregated edges touching them are dropped and the edges with an end in them grouped again;
 * the rest stays. Costs the toggled namespaces' edges plus a pass over the aggregated ones.
 */
export function regroup(f: FilteredEdges, previous: Grouping, collapsed: Uint8Array): Grouping {
  const n = f.nodes.length;
  const span = n + f.groups.length;
  const toggled = new Uint8Array(f.groups.length);
  for (let g = 0; g < toggled.length; g++) toggled[g] = previous.collapsed[g] !== collapsed[g] ? 1 : 0;
  const end = endpoints(f, collapsed);
  const fresh = new Aggregates(f, collapsed);
  const merged = new Map<number, number>();
  const take = (i: number) => {
    const s = end[f.source[i]!]!;
    const t = end[f.target[i]!]!;
    if (s < 0 || t < 0 || s === t) return;
    const denied = i < f.base ? 0 : f.extraDenied[i - f.base]!;
    const key = denied * span * span + s * span + t;
    const at = merged.get(key);
    if (at === undefined) merged.set(key, fresh.add(s, t, i));
    else fresh.merge(at, i);
  };
  for (let g = 0; g < toggled.length; g++) {
    if (toggled[g] === 0) continue;
    for (let i = f.fromHead[g]!; i >= 0; i = f.fromNext[i]!) take(i);
    // An edge from another toggled namespace was taken with that namespace's.
    for (let i = f.toHead[g]!; i >= 0; i = f.toNext[i]!) {
      const gs = f.groupOf[f.source[i]!]!;
      if (gs < 0 || toggled[gs] === 0) take(i);
    }
  }
  const added = fresh.sorted();
  // The previous edges not touching a toggled namespace, merged with the new ones by first edge.
  // The ones kept come in long runs, copied a run at a time: the loop over the aggregated edges
  // (100,000 on a big overview) runs cold on the first expansion, so it does little per edge.
  const { groupOf } = f;
  const next = emptyGrouping(collapsed, previous.size + added.size);
  let k = 0;
  let a = 0;
  let run = -1;
  let runAt = 0;
  for (let j = 0; j < previous.size; j++) {
    const s = previous.source[j]!;
    const t = previous.target[j]!;
    const first = previous.first[j]!;
    const drop = toggled[s >= n ? s - n : groupOf[s]!] === 1 || toggled[t >= n ? t - n : groupOf[t]!] === 1;
    if (drop || (a < added.size && added.first[a]! < first)) {
      if (run >= 0) copyRun(previous, run, j, next, runAt);
      run = -1;
      if (drop) continue;
      while (a < added.size && added.first[a]! < first) copyAggregate(added, a++, next, k++);
    }
    if (run < 0) {
      run = j;
      runAt = k;
    }
    k++;
  }
  if (run >= 0) copyRun(previous, run, previous.size, next, runAt);
  while (a < added.size) copyAggregate(added, a++, next, k++);
  next.size = k;
  return next;
}

/** Copies the aggregated edges `from` to `to` (excluded) of one grouping to `at` on in another. */
function copyRun(source: Grouping, from: number, to: number, target: Grouping, at: number): void {
  target.source.set(source.source.subarray(from, to), at);
  target.target.set(source.target.subarray(from, to), at);
  target.count.set(source.count.subarray(from, to), at);
  target.first.set(source.first.subarray(from, to), at);
  target.firstLabel.set(source.firstLabel.subarray(from, to), at);
  target.label.set(source.label.subarray(from, to), at);
  target.all.set(source.all.subarray(from, to), at);
  target.decided.set(source.decided.subarray(from, to), at);
  target.denied.set(source.denied.subarray(from, to), at);
}

function emptyGrouping(collapsed: Uint8Array, size: number): Grouping {
  return {
    collapsed,
    size,
    source: new Int32Array(size),
    target: new Int32Array(size),
    count: new Int32Array(size),
    first: new Int32Array(size),
    firstLabel: new Int32Array(size),
    label: new Int32Array(size),
    all: new Uint8Array(size),
    decided: new Int8Array(size),
    denied: new Uint8Array(size),
  };
}

function copyAggregate(from: Grouping, j: number, to: Grouping, k: number): void {
  to.source[k] = from.source[j]!;
  to.target[k] = from.target[j]!;
  to.count[k] = from.count[j]!;
  to.first[k] = from.first[j]!;
  to.firstLabel[k] = from.firstLabel[j]!;
  to.label[k] = from.label[j]!;
  to.all[k] = from.all[j]!;
  to.decided[k] = from.decided[j]!;
  to.denied[k] = from.denied[j]!;
}

/** A grouping as the worker posts it: the visible nodes, the groups and the edge columns. */
export function wireGrouping(f: FilteredEdges, grouping: Grouping): WireGroupedGraph {
  const { nodes, groups, groupOf, kept } = f;
  const n = nodes.length;
  const { collapsed } = grouping;
  const shown: WireGroupedGraph['nodes'] = [];
  for (let i = 0; i < n; i++) {
    if (kept[i] === 0) continue;
    const g = groupOf[i]!;
    if (g < 0) shown.push({ ...nodes[i]!, parent: undefined });
    else if (collapsed[g] === 0) shown.push({ ...nodes[i]!, parent: groups[g]!.id });
  }
  // Endpoint ids and labels are listed in first use, as a grouping from scratch lists them.
  const endIndex = new Int32Array(n + groups.length).fill(-1);
  const ends: string[] = [];
  const labelIndex = new Int32Array(f.labelNames.length).fill(-1);
  const labels: string[] = [];
  const size = grouping.size;
  const source = new Int32Array(size);
  const target = new Int32Array(size);
  const label = new Int32Array(size);
  for (let k = 0; k < size; k++) {
    const s = grouping.source[k]!;
    if (endIndex[s]! < 0) {
      endIndex[s] = ends.length;
      ends.push(s < n ? nodes[s]!.id : groups[s - n]!.id);
    }
    source[k] = endIndex[s]!;
    const t = grouping.target[k]!;
    if (endIndex[t]! < 0) {
      endIndex[t] = ends.length;
      ends.push(t < n ? nodes[t]!.id : groups[t - n]!.id);
    }
    target[k] = endIndex[t]!;
    const first = grouping.firstLabel[k]!;
    if (labelIndex[first]! < 0) {
      labelIndex[first] = labels.length;
      labels.push(f.labelNames[first]!);
    }
    label[k] = grouping.label[k]! < 0 ? -1 : labelIndex[first]!;
  }
  return {
    groups: Array.from(f.groupOrder, (g) => ({ ...groups[g]!, collapsed: collapsed[g] === 1 })),
    nodes: shown,
    edges: {
      ends,
      source,
      target,
      count: grouping.count.slice(0, size),
      label,
      labels,
      all: grouping.all.slice(0, size),
      decidedBy: grouping.decided.slice(0, size),
      denied: grouping.denied.slice(0, size),
    },
  };
}
