import { type Memo, type SideClass, samePolicies } from './analysisMemo.ts';
import { type Analysis, type AnalysisClasses, analysisClasses, type Connection } from './analyze.ts';
import { type ConnectionSet, isEmptyConnections, NO_CONNECTIONS } from './connectionSet.ts';
import { sameConnections } from './diff.ts';
import type { ExternalPeer } from './model.ts';
import { sameTiers } from './tiers.ts';

/** How the connections of one analysis differ from another's, in the later one's peers. */
export interface ConnectionDelta {
  /** Connections of `after` that `before` lacks or allows differently (with `after`'s set). */
  upserted: Connection[];
  /** Connections of `before` that `after` lacks (with `before`'s set). */
  removed: Connection[];
  /** How many workloads' egress side changed (their rows were compared). */
  sources: number;
  /** How many workloads' ingress side changed (their columns were compared). */
  destinations: number;
}

function sameAtoms(a: readonly ExternalPeer[], b: readonly ExternalPeer[]): boolean {
  return a.length === b.length && a.every((e, i) => e.first === b[i]!.first && e.last === b[i]!.last);
}

/**
 * The connections that changed between two analyses of the same workloads (the same array, as
 * buildCluster's incremental builds share), found without enumerating every pair: a connection
 * from s to d depends only on s's egress side (NetworkPolicies and cluster policy rules) and d's
 * ingress side. Between analyses of one lineage, a workload whose side class is unchanged decides
 * as before, and of a changed side only the other ends whose result moved are compared (its old
 * and new classes' results, bucket by bucket); otherwise the rows of workloads whose egress
 * policies changed and the columns of those whose ingress policies changed are compared in full.
 * Address ranges are compared in full when their cuts moved.
 *
 * Returns undefined when the analyses do not share their workloads (a non-policy object changed):
 * enumerate `after.connections()` instead.
 */
export function connectionDelta(before: Analysis, after: Analysis): ConnectionDelta | undefined {
  if (before.workloads !== after.workloads) return undefined;
  const { workloads } = after;
  const n = workloads.length;
  const classesBefore = analysisClasses(before);
  const classesAfter = analysisClasses(after);
  const byClass =
    classesBefore && classesAfter && classesBefore.memo === classesAfter.memo
      ? { before: classesBefore, after: classesAfter }
      : undefined;
  const rows: number[] = [];
  const columns: number[] = [];
  const isRow = new Uint8Array(n);
  const b = before.cluster;
  const a = after.cluster;
  for (let i = 0; i < n; i++) {
    const egressChanged = byClass
      ? byClass.before.egressOf[i] !== byClass.after.egressOf[i]
      : !samePolicies(b.egressPolicies[i]!, a.egressPolicies[i]!) ||
        !sameTiers(b.egressTiers[i]!, a.egressTiers[i]!);
    if (egressChanged) {
      rows.push(i);
      isRow[i] = 1;
    }
    const ingressChanged = byClass
      ? byClass.before.ingressOf[i] !== byClass.after.ingressOf[i]
      : !samePolicies(b.ingressPolicies[i]!, a.ingressPolicies[i]!) ||
        !sameTiers(b.ingressTiers[i]!, a.ingressTiers[i]!);
    if (ingressChanged) columns.push(i);
  }
  const delta: ConnectionDelta = {
    upserted: [],
    removed: [],
    sources: rows.length,
    destinations: columns.length,
  };
  const compare = (src: Connection['src'], dst: Connection['dst'], x: ConnectionSet, y: ConnectionSet) => {
    if (x === y || sameConnections(x, y)) return;
    if (isEmptyConnections(y)) delta.removed.push({ src, dst, conn: x });
    else delta.upserted.push({ src, dst, conn: y });
  };
  const comparePair = (s: number, d: number) =>
    compare(workloads[s]!, workloads[d]!, before.between(s, d), after.between(s, d));

  if (byClass) comparePairsByClass(byClass.before, byClass.after, rows, columns, isRow, comparePair);
  else {
    for (const s of rows) for (let d = 0; d < n; d++) if (d !== s) comparePair(s, d);
    // Pairs in a changed row were compared above.
    for (const d of columns) for (let s = 0; s < n; s++) if (s !== d && isRow[s] === 0) comparePair(s, d);
  }

  const ingressSame = sameAtoms(before.ingressExternals, after.ingressExternals);
  const egressSame = sameAtoms(before.egressExternals, after.egressExternals);
  if (ingressSame) {
    for (const d of columns) {
      for (let e = 0; e < after.ingressExternals.length; e++)
        compare(
          after.ingressExternals[e]!,
          workloads[d]!,
          before.fromExternal(e, d),
          after.fromExternal(e, d),
        );
    }
  }
  if (egressSame) {
    for (const s of rows) {
      for (let e = 0; e < after.egressExternals.length; e++)
        compare(workloads[s]!, after.egressExternals[e]!, before.toExternal(s, e), after.toExternal(s, e));
    }
  }
  // Domain names: per changed row, or for every workload when the names themselves changed (a new
  // name is a new peer that every workload may reach).
  const domainsSame =
    before.domainExternals.length === after.domainExternals.length &&
    before.domainExternals.every((d, i) => d.id === after.domainExternals[i]!.id);
  const domainRows = domainsSame ? rows : workloads.map((w) => w.index);
  const domainIds = [...new Set([...before.domainExternals, ...after.domainExternals].map((d) => d.id))];
  for (const s of domainRows) {
    for (const domain of domainIds) {
      const da = before.domainExternals.findIndex((d) => d.id === domain);
      const db = after.domainExternals.findIndex((d) => d.id === domain);
      compare(
        workloads[s]!,
        (db >= 0 ? after.domainExternals[db] : before.domainExternals[da])!,
        da >= 0 ? before.toDomain(s, da) : NO_CONNECTIONS,
        db >= 0 ? after.toDomain(s, db) : NO_CONNECTIONS,
      );
    }
  }
  if (!ingressSame || !egressSame) {
    // The ranges were cut anew: compare every connection of the changed side by peer ids.
    const old = new Map<string, Connection>();
    for (const c of externalConnections(before, !ingressSame, !egressSame))
      old.set(`${c.src.id}>${c.dst.id}`, c);
    for (const c of externalConnections(after, !ingressSame, !egressSame)) {
      const key = `${c.src.id}>${c.dst.id}`;
      const was = old.get(key);
      old.delete(key);
      if (!was || !sameConnections(was.conn, c.conn)) delta.upserted.push(c);
    }
    delta.removed.push(...old.values());
  }
  return delta;
}

/**
 * The other ends whose result differs between two classes of one memo, ascending. Interned ids
 * are equal exactly when the sets are, so comparing ids bucket by bucket is exact.
 */
function differing(memo: Memo, x: SideClass, y: SideClass): number[] {
  // Buckets a split emptied (no representative) hold no workload: leave them uncomputed.
  const ids = (c: SideClass) =>
    Int32Array.from(c.results, (_, bucket) =>
      c.view.representatives[bucket]! >= 0 ? memo.result(c, bucket) : 0,
    );
  const idsX = ids(x);
  const idsY = ids(y);
  const bx = x.view.bucketOf;
  const by = y.view.bucketOf;
  // Two classes of one direction group the same atoms.
  const { atomOf } = x;
  const out: number[] = [];
  for (let i = 0; i < atomOf.length; i++) {
    const a = atomOf[i]!;
    if (idsX[bx[a]!] !== idsY[by[a]!]) out.push(i);
  }
  return out;
}

/**
 * Compares the pairs that can have changed: from a changed row, the destinations its egress now
 * decides differently about plus every changed column; into a changed column, the sources its
 * ingress now decides differently about (those of changed rows were compared with the rows).
 */
function comparePairsByClass(
  before: AnalysisClasses,
  after: AnalysisClasses,
  rows: readonly number[],
  columns: readonly number[],
  isRow: Uint8Array,
  comparePair: (s: number, d: number) => void,
): void {
  const { memo } = after;
  const cache = new Map<string, number[]>();
  const moved = (x: SideClass, y: SideClass) => {
    const key = `${x.direction}:${x.id}>${y.id}`;
    let list = cache.get(key);
    if (!list) {
      list = differing(memo, x, y);
      cache.set(key, list);
    }
    return list;
  };
  // A stamp per destination, so a pair is compared once per row.
  const seen = new Int32Array(isRow.length).fill(-1);
  for (const s of rows) {
    for (const d of moved(before.egressOf[s]!, after.egressOf[s]!)) {
      if (d === s) continue;
      seen[d] = s;
      comparePair(s, d);
    }
    for (const d of columns) if (d !== s && seen[d] !== s) comparePair(s, d);
  }
  for (const d of columns) {
    for (const s of moved(before.ingressOf[d]!, after.ingressOf[d]!)) {
      if (s !== d && isRow[s] === 0) comparePair(s, d);
    }
  }
}

/** The non-empty connections between workloads and address ranges, for the sides asked. */
function* externalConnections(analysis: Analysis, ingress: boolean, egress: boolean): Iterable<Connection> {
  const { workloads, ingressExternals, egressExternals } = analysis;
  for (let w = 0; w < workloads.length; w++) {
    if (ingress) {
      for (let e = 0; e < ingressExternals.length; e++) {
        const conn = analysis.fromExternal(e, w);
        if (!isEmptyConnections(conn)) yield { src: ingressExternals[e]!, dst: workloads[w]!, conn };
      }
    }
    if (egress) {
      for (let e = 0; e < egressExternals.length; e++) {
        const conn = analysis.toExternal(w, e);
        if (!isEmptyConnections(conn)) yield { src: workloads[w]!, dst: egressExternals[e]!, conn };
      }
    }
  }
}
