import {
  type Analysis,
  type ConnectionSet,
  containsPort,
  formatConnectionSet,
  type Peer,
  type Protocol,
  parseProtocol,
  type WorkloadPeer,
} from '@netpol-atlas/evaluator';
import { ConnLines } from './format/connLines.ts';
import type { ListReport, PeerNode } from './format/types.ts';

/** Narrowing of a connectivity list, with netpol-analyzer's flag semantics. */
export interface Focus {
  /** `name` or `ns/name` of workloads (owner names). */
  workloads: readonly string[];
  /** The other end must be one of these (needs `workloads`). */
  peers: readonly string[];
  direction: 'ingress' | 'egress' | undefined;
  /** `tcp-8080`: keep pairs whose connection includes it. */
  conn: { protocol: Protocol; port: number } | undefined;
}

/** Parses `--focus-conn` (`tcp-8080`); undefined when malformed. */
export function parseFocusConn(text: string): Focus['conn'] {
  const match = /^([a-zA-Z]+)-(\d+)$/.exec(text);
  const protocol = match ? parseProtocol(match[1]!.toUpperCase()) : undefined;
  const port = match ? Number(match[2]) : Number.NaN;
  if (!protocol || !(port >= 1 && port <= 65535)) return undefined;
  return { protocol, port };
}

/** True when `peer` is a workload named `name` or `ns/name` in `names` (owner names). */
export function matchesWorkload(peer: Peer, names: readonly string[]): boolean {
  if (peer.type !== 'workload') return false;
  return names.some((n) => n === peer.name || n === `${peer.namespace}/${peer.name}`);
}

/**
 * Whether a pair is in the focus of `--focusworkload` (with `--focus-direction`) and
 * `--focusworkload-peer`: one end is a focus workload (the destination for ingress, the source
 * for egress), and the other a focus peer when peers are given (or a focus workload too).
 */
export function pairInFocus(src: Peer, dst: Peer, focus: Focus): boolean {
  if (focus.workloads.length === 0) return true;
  const other = (peer: Peer) => focus.peers.length === 0 || matchesWorkload(peer, focus.peers);
  // Egress: the focus workload is the source; ingress: the destination; no direction: either.
  const asSource = focus.direction !== 'ingress' && matchesWorkload(src, focus.workloads) && other(dst);
  const asDestination = focus.direction !== 'egress' && matchesWorkload(dst, focus.workloads) && other(src);
  return asSource || asDestination;
}

/** The workload node of the dot format. */
function peerNode(peer: Peer): PeerNode {
  return peer.type === 'workload'
    ? { id: peer.id, kind: 'workload', namespace: peer.namespace, name: `${peer.name}[${peer.kind}]` }
    : { id: peer.id, kind: 'external' };
}

/**
 * Turns an analysis into the lines and nodes that the formatters print. The lines go into a
 * compact table: a peer is interned once, and a connection set's text rendered once (the
 * analysis interns its sets, so equal sets are one object).
 */
export function buildListReport(analysis: Analysis, focus: Focus): ListReport {
  const lines = new ConnLines();
  // The peers some line names, with their index in the table: workloads by their position in
  // the cluster (a lookup per end of millions of lines), the few address ranges by identity.
  const used = new Map<Peer, number>();
  const workloadSlots = new Int32Array(analysis.workloads.length).fill(-1);
  const connText = new Map<ConnectionSet, number>();
  const peerIndex = (peer: Peer) => {
    const slot = peer.type === 'workload' && peer.index < workloadSlots.length ? peer.index : -1;
    let index = slot < 0 ? used.get(peer) : workloadSlots[slot]!;
    if (index === undefined || index < 0) {
      index = lines.peer(peer.id);
      used.set(peer, index);
      if (slot >= 0) workloadSlots[slot] = index;
    }
    return index;
  };
  const focused = focus.workloads.length > 0;
  // Lines come grouped by source, and runs of them share a connection: the last ones seen save
  // most lookups.
  let lastSrc: Peer | undefined;
  let lastSrcIndex = 0;
  let lastConn: ConnectionSet | undefined;
  let lastText = 0;
  for (const { src, dst, conn } of analysis.connections()) {
    if (focused && !pairInFocus(src, dst, focus)) continue;
    if (focus.conn && !containsPort(conn, focus.conn.protocol, focus.conn.port)) continue;
    if (conn !== lastConn) {
      let text = connText.get(conn);
      if (text === undefined) {
        text = lines.conn(formatConnectionSet(conn));
        connText.set(conn, text);
      }
      lastConn = conn;
      lastText = text;
    }
    if (src !== lastSrc) {
      lastSrc = src;
      lastSrcIndex = peerIndex(src);
    }
    lines.add(lastSrcIndex, peerIndex(dst), lastText);
  }
  // By id: an address range the analysis lists for both directions is one peer.
  const byId = new Map([...used.keys()].map((p) => [p.id, p]));
  const workloads: readonly WorkloadPeer[] = focused
    ? analysis.workloads.filter((w) => matchesWorkload(w, focus.workloads) || byId.has(w.id))
    : analysis.workloads;
  const externals = [...byId.values()].filter((p) => p.type === 'external');
  return {
    lines,
    peers: [...workloads, ...externals].map(peerNode),
    ...(focus.conn ? { focusConn: `${focus.conn.protocol} ${focus.conn.port}` } : {}),
  };
}
