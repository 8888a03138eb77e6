import type { Analysis } from './analyze.ts';
import { externalPeer } from './analyze.ts';
import { type ConnectionSet, equalConnections, isEmptyConnections } from './connectionSet.ts';
import type { ExternalPeer, Peer } from './model.ts';

export type PeerStatus = 'persistent' | 'new' | 'lost';

/** A pair whose allowed connections differ between two analyses. */
export interface ConnectionChange {
  type: 'changed' | 'added' | 'removed';
  src: Peer;
  dst: Peer;
  /** undefined: no connection. */
  before: ConnectionSet | undefined;
  after: ConnectionSet | undefined;
  srcStatus: PeerStatus;
  dstStatus: PeerStatus;
}

/** The connectivity difference between two analyses of (usually) the same cluster. */
export interface ConnectivityDiff {
  changes: ConnectionChange[];
  /** Pairs allowed in both with the same connections. */
  unchanged: { src: Peer; dst: Peer; conn: ConnectionSet }[];
  /** Every peer of either side, with whether it exists in both. */
  peers: { peer: Peer; status: PeerStatus }[];
}

interface Side {
  analysis: Analysis;
  byId: Map<string, number>;
}

/** The external ranges of both sides cut into common atoms, each mapped back to its range on each side. */
function commonAtoms(
  a: readonly ExternalPeer[],
  b: readonly ExternalPeer[],
): { atom: ExternalPeer; inA: number; inB: number }[] {
  const starts = [...new Set([...a.map((e) => e.first), ...b.map((e) => e.first)])].sort((x, y) => x - y);
  const out: { atom: ExternalPeer; inA: number; inB: number }[] = [];
  let ia = 0;
  let ib = 0;
  starts.forEach((first, i) => {
    const last = i + 1 < starts.length ? starts[i + 1]! - 1 : 0xffffffff;
    while (a[ia]!.last < first) ia++;
    while (b[ib]!.last < first) ib++;
    out.push({
      atom: externalPeer(first, last),
      inA: ia,
      inB: ib,
    });
  });
  return out;
}

/**
 * Compares the connectivity of two analyses pair by pair. Workloads are matched by their peer
 * string; external ranges are re-cut into atoms common to both sides so ranges compare exactly.
 */
export function diffAnalyses(before: Analysis, after: Analysis): ConnectivityDiff {
  const a: Side = { analysis: before, byId: new Map(before.workloads.map((w) => [w.id, w.index])) };
  const b: Side = { analysis: after, byId: new Map(after.workloads.map((w) => [w.id, w.index])) };
  const peers: ConnectivityDiff['peers'] = [];
  const ids = [...new Set([...a.byId.keys(), ...b.byId.keys()])].sort();
  const status = (id: string): PeerStatus =>
    !a.byId.has(id) ? 'new' : !b.byId.has(id) ? 'lost' : 'persistent';
  const peerOf = (id: string): Peer => {
    const ia = a.byId.get(id);
    return ia !== undefined ? before.workloads[ia]! : after.workloads[b.byId.get(id)!]!;
  };
  for (const id of ids) peers.push({ peer: peerOf(id), status: status(id) });

  const result: ConnectivityDiff = { changes: [], unchanged: [], peers };
  const compare = (src: Peer, dst: Peer, x: ConnectionSet | undefined, y: ConnectionSet | undefined) => {
    const xs = x && !isEmptyConnections(x) ? x : undefined;
    const ys = y && !isEmptyConnections(y) ? y : undefined;
    if (!xs && !ys) return;
    const srcStatus = src.type === 'workload' ? status(src.id) : 'persistent';
    const dstStatus = dst.type === 'workload' ? status(dst.id) : 'persistent';
    if (xs && ys) {
      if (equalConnections(xs, ys)) result.unchanged.push({ src, dst, conn: xs });
      else result.changes.push({ type: 'changed', src, dst, before: xs, after: ys, srcStatus, dstStatus });
    } else {
      result.changes.push({
        type: xs ? 'removed' : 'added',
        src,
        dst,
        before: xs,
        after: ys,
        srcStatus,
        dstStatus,
      });
    }
  };

  for (const srcId of ids) {
    for (const dstId of ids) {
      if (srcId === dstId) continue;
      const x = pairOf(a, srcId, dstId);
      const y = pairOf(b, srcId, dstId);
      compare(peerOf(srcId), peerOf(dstId), x, y);
    }
  }
  // Per workload, consecutive common atoms that changed alike are reported as one range.
  const ingress = commonAtoms(before.ingressExternals, after.ingressExternals);
  const egress = commonAtoms(before.egressExternals, after.egressExternals);
  const domains = [
    ...new Map([...before.domainExternals, ...after.domainExternals].map((d) => [d.id, d])).values(),
  ];
  for (const id of ids) {
    const ia = a.byId.get(id);
    const ib = b.byId.get(id);
    const workload = peerOf(id);
    const fromSide = ingress.map(({ atom, inA, inB }) => ({
      atom,
      x: ia === undefined ? undefined : before.fromExternal(inA, ia),
      y: ib === undefined ? undefined : after.fromExternal(inB, ib),
    }));
    for (const run of mergeAlike(fromSide)) compare(run.atom, workload, run.x, run.y);
    const toSide = egress.map(({ atom, inA, inB }) => ({
      atom,
      x: ia === undefined ? undefined : before.toExternal(ia, inA),
      y: ib === undefined ? undefined : after.toExternal(ib, inB),
    }));
    for (const run of mergeAlike(toSide)) compare(workload, run.atom, run.x, run.y);
    // Domain-name destinations are matched by name.
    for (const domain of domains) {
      const da = before.domainExternals.findIndex((d) => d.id === domain.id);
      const db = after.domainExternals.findIndex((d) => d.id === domain.id);
      compare(
        workload,
        domain,
        ia === undefined || da < 0 ? undefined : before.toDomain(ia, da),
        ib === undefined || db < 0 ? undefined : after.toDomain(ib, db),
      );
    }
  }
  return result;
}

type AtomResult = { atom: ExternalPeer; x: ConnectionSet | undefined; y: ConnectionSet | undefined };

/** Equal connection sets, an absent set counting as empty. */
export function sameConnections(p: ConnectionSet | undefined, q: ConnectionSet | undefined): boolean {
  const pe = !p || isEmptyConnections(p);
  const qe = !q || isEmptyConnections(q);
  return pe || qe ? pe === qe : equalConnections(p, q);
}

/** Joins adjacent atoms whose before and after connections are both equal. */
function mergeAlike(results: readonly AtomResult[]): AtomResult[] {
  const out: AtomResult[] = [];
  for (const r of results) {
    const last = out.at(-1);
    if (last && sameConnections(last.x, r.x) && sameConnections(last.y, r.y)) {
      out[out.length - 1] = { ...last, atom: externalPeer(last.atom.first, r.atom.last) };
    } else {
      out.push(r);
    }
  }
  return out;
}

function pairOf(side: Side, srcId: string, dstId: string): ConnectionSet | undefined {
  const s = side.byId.get(srcId);
  const d = side.byId.get(dstId);
  return s === undefined || d === undefined ? undefined : side.analysis.between(s, d);
}
