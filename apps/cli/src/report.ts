import {
  type Analysis,
  containsPort,
  formatConnectionSet,
  type Peer,
  type Protocol,
  parseProtocol,
  type WorkloadPeer,
} from '@netpol-atlas/evaluator';
import type { ConnLine, ListReport, PeerNode } from './format/types.ts';

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

/** Turns an analysis into the lines and nodes that the formatters print. */
export function buildListReport(analysis: Analysis, focus: Focus): ListReport {
  const lines: ConnLine[] = [];
  const used = new Map<string, Peer>();
  const focused = focus.workloads.length > 0;
  for (const { src, dst, conn } of analysis.connections()) {
    if (!pairInFocus(src, dst, focus)) continue;
    if (focus.conn && !containsPort(conn, focus.conn.protocol, focus.conn.port)) continue;
    lines.push({ src: src.id, dst: dst.id, conn: formatConnectionSet(conn) });
    used.set(src.id, src);
    used.set(dst.id, dst);
  }
  const workloads: readonly WorkloadPeer[] = focused
    ? analysis.workloads.filter((w) => matchesWorkload(w, focus.workloads) || used.has(w.id))
    : analysis.workloads;
  const externals = [...used.values()].filter((p) => p.type === 'external');
  return {
    lines,
    peers: [...workloads, ...externals].map(peerNode),
    ...(focus.conn ? { focusConn: `${focus.conn.protocol} ${focus.conn.port}` } : {}),
  };
}
