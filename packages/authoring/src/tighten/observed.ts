import {
  type Cluster,
  type ConnectionSet,
  connectionKey,
  formatIPv4,
  type Intervals,
  intervalsToCidrs,
  NO_CONNECTIONS,
  portRangeConnections,
  unionConnections,
  unionIntervals,
  type WorkloadPeer,
} from '@netpol-atlas/evaluator';
import type { Direction } from '../intent.ts';
import { parseIPv4Block } from '../ipRanges.ts';
import { peerFor, resolveEndpoint } from '../peers.ts';
import { DNS_PORTS, isKubeDns } from '../presets.ts';
import type { ResolvedScope, SubjectGroup } from './scope.ts';
import type { ObservedConnection, ObservedEnd } from './types.ts';

/** An end of an observation placed in the cluster: a workload, or an address range outside it. */
export type PlacedEnd =
  | { kind: 'workload'; workload: WorkloadPeer; text: string }
  | { kind: 'external'; first: number; last: number; text: string };

/** An observation about the scope, its ends placed. */
export interface PlacedObservation {
  src: PlacedEnd;
  dst: PlacedEnd;
  protocol: ObservedConnection['protocol'];
  port: number;
  count: number | undefined;
  /** The observed port as a connection set. */
  conn: ConnectionSet;
}

/** One rule peer to write for a group and direction, with the ports observed through it. */
export interface DesiredEntry {
  peer: Record<string, unknown>;
  conn: ConnectionSet;
  /** The workloads the written peer admits (its labels select them all), or the addresses. */
  workloads: readonly WorkloadPeer[];
  ranges: Intervals | undefined;
  text: string;
}

/** What a subject may exchange after tightening, per other end: the closure of what is written. */
export interface Allowance {
  workloads: Map<number, ConnectionSet>;
  externals: { ranges: Intervals; conn: ConnectionSet }[];
}

function placeEnd(byId: ReadonlyMap<string, WorkloadPeer>, end: ObservedEnd): PlacedEnd | string {
  if (end.kind === 'workload') {
    const workload = byId.get(end.id);
    return workload
      ? { kind: 'workload', workload, text: workload.id }
      : `no workload ${end.id} in the files`;
  }
  const block = parseIPv4Block(end.address.includes('/') ? end.address : `${end.address}/32`);
  if (!block) {
    return end.address.includes(':')
      ? `${end.address} is IPv6: the evaluator analyses IPv4 only, so a rule for it could not be verified`
      : `${end.address} is not an IPv4 address or CIDR`;
  }
  return { kind: 'external', first: block.first, last: block.last, text: end.address };
}

function endText(end: ObservedEnd): string {
  return end.kind === 'workload' ? end.id : end.address;
}

/**
 * Places the observations in the cluster and keeps those about the scope (one end tightened).
 * The rest are listed with the reason they were left out.
 */
export function placeObservations(
  cluster: Cluster,
  scope: ResolvedScope,
  observed: readonly ObservedConnection[],
): { relevant: PlacedObservation[]; ignored: { observation: string; reason: string }[] } {
  const relevant: PlacedObservation[] = [];
  const ignored: { observation: string; reason: string }[] = [];
  const byId = new Map(cluster.workloads.map((w) => [w.id, w]));
  const inScope = (end: PlacedEnd) => end.kind === 'workload' && scope.subjects.has(end.workload.index);
  for (const o of observed) {
    const observation = `${endText(o.src)} -> ${endText(o.dst)} ${o.protocol} ${o.port}`;
    const src = placeEnd(byId, o.src);
    const dst = placeEnd(byId, o.dst);
    if (typeof src === 'string' || typeof dst === 'string') {
      // Only worth listing when the other end is ours; otherwise the observation is not about the scope.
      const other = typeof src === 'string' ? dst : src;
      if (typeof other !== 'string' && inScope(other)) {
        ignored.push({ observation, reason: typeof src === 'string' ? src : (dst as string) });
      }
      continue;
    }
    if (!inScope(src) && !inScope(dst)) continue;
    if (src.kind === 'workload' && dst.kind === 'workload' && src.workload.id === dst.workload.id) {
      ignored.push({ observation, reason: 'a workload reaching itself is always allowed' });
      continue;
    }
    if (!Number.isInteger(o.port) || o.port < 1 || o.port > 65535) {
      ignored.push({ observation, reason: `port ${o.port} is not 1-65535` });
      continue;
    }
    relevant.push({
      src,
      dst,
      protocol: o.protocol,
      port: o.port,
      count: o.count,
      conn: portRangeConnections(o.protocol, o.port, o.port),
    });
  }
  return { relevant, ignored };
}

/** Cuts overlapping address observations into pieces, each with the union of the ports seen on it. */
function addressEntries(
  pieces: readonly { first: number; last: number; conn: ConnectionSet }[],
): DesiredEntry[] {
  const bounds = [...new Set(pieces.flatMap((p) => [p.first, p.last + 1]))].sort((a, b) => a - b);
  const byPorts = new Map<string, { conn: ConnectionSet; ranges: Intervals }>();
  for (let i = 0; i + 1 < bounds.length; i++) {
    const first = bounds[i]!;
    const last = bounds[i + 1]! - 1;
    let conn = NO_CONNECTIONS;
    for (const p of pieces) if (p.first <= first && p.last >= last) conn = unionConnections(conn, p.conn);
    if (conn === NO_CONNECTIONS) continue;
    const key = connectionKey(conn);
    const entry = byPorts.get(key);
    if (entry) entry.ranges = unionIntervals(entry.ranges, [first, last]);
    else byPorts.set(key, { conn, ranges: [first, last] });
  }
  const out: DesiredEntry[] = [];
  for (const { conn, ranges } of byPorts.values()) {
    for (const cidr of intervalsToCidrs(ranges)) {
      const block = parseIPv4Block(cidr)!;
      out.push({
        peer: { ipBlock: { cidr } },
        conn,
        workloads: [],
        ranges: [block.first, block.last],
        text: block.first === block.last ? formatIPv4(block.first) : cidr,
      });
    }
  }
  return out;
}

/** The peers and ports to write for one group and direction: exactly what was observed, as selectors can say it. */
export function desiredEntries(
  cluster: Cluster,
  group: SubjectGroup,
  direction: Direction,
  relevant: readonly PlacedObservation[],
  warnings: Set<string>,
): DesiredEntry[] {
  const members = new Set(group.members.map((w) => w.index));
  const byPeer = new Map<string, DesiredEntry>();
  const pieces: { first: number; last: number; conn: ConnectionSet }[] = [];
  for (const o of relevant) {
    const subject = direction === 'Ingress' ? o.dst : o.src;
    const other = direction === 'Ingress' ? o.src : o.dst;
    if (subject.kind !== 'workload' || !members.has(subject.workload.index)) continue;
    if (other.kind === 'external') {
      pieces.push({ first: other.first, last: other.last, conn: o.conn });
      continue;
    }
    const endpoint = resolveEndpoint(cluster, { kind: 'workload', id: other.workload.id });
    if ('reason' in endpoint) {
      warnings.add(`${endpoint.message}: its observed traffic with ${subject.workload.id} cannot be written`);
      continue;
    }
    const peer = peerFor(endpoint, group.namespace);
    const key = JSON.stringify(peer);
    const entry = byPeer.get(key);
    if (entry) {
      entry.conn = unionConnections(entry.conn, o.conn);
      continue;
    }
    const labels = endpoint.kind === 'workload' ? endpoint.labels : {};
    byPeer.set(key, {
      peer,
      conn: o.conn,
      workloads: cluster.workloads.filter(
        (w) =>
          w.namespace === other.workload.namespace &&
          Object.entries(labels).every(([k, v]) => w.labels[k] === v),
      ),
      ranges: undefined,
      text: other.workload.id,
    });
  }
  const entries = [...byPeer.values()].sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  return [...entries, ...addressEntries(pieces)];
}

/** A subject's allowance in one direction, from the entries written for every group it is in. */
export function allowanceOf(
  cluster: Cluster,
  entries: readonly DesiredEntry[],
  direction: Direction,
  keepDns: boolean,
): Allowance {
  const allowance: Allowance = { workloads: new Map(), externals: [] };
  const add = (w: WorkloadPeer, conn: ConnectionSet) =>
    allowance.workloads.set(
      w.index,
      unionConnections(allowance.workloads.get(w.index) ?? NO_CONNECTIONS, conn),
    );
  for (const entry of entries) {
    for (const w of entry.workloads) add(w, entry.conn);
    if (entry.ranges) allowance.externals.push({ ranges: entry.ranges, conn: entry.conn });
  }
  if (keepDns && direction === 'Egress')
    for (const w of cluster.workloads.filter(isKubeDns)) add(w, DNS_PORTS);
  return allowance;
}
