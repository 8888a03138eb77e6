import {
  type ConnectionSet,
  type ExternalPeer,
  explainConnection,
  externalPeer,
  formatConnectionSet,
  type Intervals,
  intersectIntervals,
  isEmptyConnections,
  isFatal,
  NO_CONNECTIONS,
  type Peer,
  subtractConnections,
  subtractIntervals,
  type WorkloadPeer,
} from '@netpol-atlas/evaluator';
import type { Diagnostic } from '@netpol-atlas/manifests';
import { type Compiled, compile } from './compiled.ts';
import { covers, type Ports } from './intent.ts';
import { type Endpoint, requestedConnections } from './peers.ts';
import type { Change, FileEdit } from './types.ts';

/** An ordered pair of evaluator peers an intent is about. */
export interface PeerPair {
  src: Peer;
  dst: Peer;
  /** The destination as a workload, for named-port resolution. */
  dstWorkload: WorkloadPeer | undefined;
}

/**
 * The address ranges of `ranges`, cut at every atom of the analysis. Each piece lies inside or
 * outside every ipBlock of the cluster, so one `explainConnection` decides all of its addresses.
 */
export function addressPieces(atoms: readonly ExternalPeer[], ranges: Intervals): ExternalPeer[] {
  const out: ExternalPeer[] = [];
  for (const atom of atoms) {
    const inside = intersectIntervals(ranges, [atom.first, atom.last]);
    for (let i = 0; i < inside.length; i += 2) out.push(externalPeer(inside[i]!, inside[i + 1]!));
  }
  return out;
}

/** The workloads of an endpoint as they are in `ws` (matched by peer string). */
function workloadsIn(ws: Compiled, endpoint: Endpoint): WorkloadPeer[] {
  const ids = new Set(endpoint.workloads.map((w) => w.id));
  return ws.cluster.workloads.filter((w) => ids.has(w.id));
}

/**
 * Every (source, destination) pair an intent covers in `ws`: workloads of each end, address pieces
 * of a CIDR end (`holes` selects the excepted ranges instead). A pod to itself is left out: it is
 * always allowed.
 */
export function intentPairs(ws: Compiled, src: Endpoint, dst: Endpoint, holes = false): PeerPair[] {
  const srcPeers: Peer[] =
    src.kind === 'cidr'
      ? addressPieces(ws.analysis.ingressExternals, holes ? src.holes : src.ranges)
      : workloadsIn(ws, src);
  const dstPeers: Peer[] =
    dst.kind === 'cidr'
      ? addressPieces(ws.analysis.egressExternals, holes ? dst.holes : dst.ranges)
      : workloadsIn(ws, dst);
  // Holes are only about the CIDR end: without one, there are no excepted pairs.
  if (holes && src.kind !== 'cidr' && dst.kind !== 'cidr') return [];
  const pairs: PeerPair[] = [];
  for (const s of srcPeers) {
    for (const d of dstPeers) {
      if (s.type === 'workload' && d.type === 'workload' && s.id === d.id) continue;
      if (s.type === 'external' && d.type === 'external') continue;
      pairs.push({ src: s, dst: d, dstWorkload: d.type === 'workload' ? d : undefined });
    }
  }
  return pairs;
}

/** What is allowed between a pair now. */
export function pairConnections(ws: Compiled, pair: PeerPair): ConnectionSet {
  return explainConnection(ws.cluster, pair.src, pair.dst).conn;
}

/** True when `peer` belongs to the endpoint (a workload of it, or an address range inside it). */
function endpointHas(endpoint: Endpoint, peer: Peer): boolean {
  if (peer.type === 'external') {
    return (
      endpoint.kind === 'cidr' && subtractIntervals([peer.first, peer.last], endpoint.ranges).length === 0
    );
  }
  return endpoint.kind !== 'cidr' && endpoint.workloads.some((w) => w.id === peer.id);
}

/** The evaluator's verdict on a change: connectivity diff and any new problems in the files. */
export interface Verification {
  after: Compiled;
  added: Change[];
  removed: Change[];
  /** The peers of `added[i]` / `removed[i]`, for callers that classify changes. */
  addedPeers: { src: Peer; dst: Peer }[];
  removedPeers: { src: Peer; dst: Peer }[];
  /** New fatal diagnostics, or diagnostics on edited policies: the edit must not introduce any. */
  problems: string[];
}

/** A Change for a pair. */
export function change(
  src: Peer,
  dst: Peer,
  before: ConnectionSet,
  after: ConnectionSet,
  conn: ConnectionSet,
): Change {
  return {
    src: src.id,
    dst: dst.id,
    before: formatConnectionSet(before),
    after: formatConnectionSet(after),
    conn,
    ports: formatConnectionSet(conn),
  };
}

/**
 * The policy id a diagnostic is about, as the planners name policies: `ns/name` for a
 * NetworkPolicy, `Kind/name` for a cluster-scoped policy; undefined for anything else.
 */
function diagnosticPolicyId(d: Diagnostic): string | undefined {
  if (d.object === undefined) return undefined;
  if (d.kind === 'NetworkPolicy') return d.object;
  if (d.kind !== undefined && CLUSTER_POLICY_KINDS.has(d.kind)) return `${d.kind}/${d.object}`;
  return undefined;
}

const CLUSTER_POLICY_KINDS = new Set([
  'ClusterNetworkPolicy',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
]);

function diagnosticKey(d: Diagnostic): string {
  return `${d.file}|${d.code}|${d.object ?? ''}|${d.field}|${d.message}`;
}

/**
 * Applies the file edits as text to a fork of the workspace (which re-parses only the edited
 * files), re-runs the evaluator there and compares. `touchedPolicies` (ids: `ns/name`, or
 * `Kind/name` for cluster policies) must come out with no new diagnostics; `createdPolicies`
 * with none at all.
 */
export function verifyEdits(
  before: Compiled,
  edits: readonly FileEdit[],
  touchedPolicies: readonly string[],
  createdPolicies: readonly string[],
): Verification {
  const fork = before.workspace.fork();
  fork.edit(edits.map((e) => ({ kind: 'set' as const, path: e.path, text: e.after })));
  const after = compile(fork);
  const { diff } = fork.diff(before.workspace)!;
  const added: Change[] = [];
  const removed: Change[] = [];
  const addedPeers: { src: Peer; dst: Peer }[] = [];
  const removedPeers: { src: Peer; dst: Peer }[] = [];
  for (const c of diff.changes) {
    const x = c.before ?? NO_CONNECTIONS;
    const y = c.after ?? NO_CONNECTIONS;
    const gained = subtractConnections(y, x);
    const lost = subtractConnections(x, y);
    if (!isEmptyConnections(gained)) {
      added.push(change(c.src, c.dst, x, y, gained));
      addedPeers.push({ src: c.src, dst: c.dst });
    }
    if (!isEmptyConnections(lost)) {
      removed.push(change(c.src, c.dst, x, y, lost));
      removedPeers.push({ src: c.src, dst: c.dst });
    }
  }

  const problems: string[] = [];
  const known = new Set([...before.parsed.diagnostics, ...before.cluster.diagnostics].map(diagnosticKey));
  const created = new Set(createdPolicies);
  const touched = new Set([...touchedPolicies, ...createdPolicies]);
  for (const d of after.cluster.diagnostics) {
    if (isFatal(d) && !known.has(diagnosticKey(d))) problems.push(`${d.code}: ${d.message}`);
  }
  for (const d of after.parsed.diagnostics) {
    const id = diagnosticPolicyId(d);
    if (id === undefined || !touched.has(id)) continue;
    if (created.has(id) || !known.has(diagnosticKey(d))) problems.push(`${id} ${d.field}: ${d.message}`);
  }
  // YAML-level warnings carry no object; their field paths shift when rules move, so count them.
  const yamlWarnings = (ds: readonly Diagnostic[], file: string) =>
    ds.filter((d) => d.file === file && (d.code === 'yaml11-reading' || d.code === 'yaml-syntax')).length;
  for (const edit of edits) {
    const grew =
      yamlWarnings(after.parsed.diagnostics, edit.path) - yamlWarnings(before.parsed.diagnostics, edit.path);
    if (grew > 0) problems.push(`${edit.path}: the edit introduced ${grew} YAML reading problem(s)`);
  }
  return { after, added, removed, addedPeers, removedPeers, problems };
}

/**
 * Why the workspace `after` an allow does not do what the intent asked: the first pair of the
 * intent that still lacks some of the requested connections. Undefined when every pair has them.
 */
export function intentShortfall(
  after: Compiled,
  src: Endpoint,
  dst: Endpoint,
  ports: Ports,
): string | undefined {
  for (const pair of intentPairs(after, src, dst)) {
    const wanted = requestedConnections(ports, pair.dstWorkload);
    const now = pairConnections(after, pair);
    if (!covers(now, wanted)) {
      return `after the edit ${pair.src.id} -> ${pair.dst.id} allows ${formatConnectionSet(now)}, not ${formatConnectionSet(wanted)}`;
    }
  }
  return undefined;
}

/**
 * The changes (added or removed) beyond the intent: other pairs entirely, and other ports of an
 * intended pair.
 */
export function beyondIntent(
  changes: readonly Change[],
  peers: readonly { src: Peer; dst: Peer }[],
  src: Endpoint,
  dst: Endpoint,
  ports: Ports,
): Change[] {
  const out: Change[] = [];
  changes.forEach((c, i) => {
    const pair = peers[i]!;
    const intended = endpointHas(src, pair.src) && endpointHas(dst, pair.dst);
    const extra = intended
      ? subtractConnections(
          c.conn,
          requestedConnections(ports, pair.dst.type === 'workload' ? pair.dst : undefined),
        )
      : c.conn;
    if (!isEmptyConnections(extra)) out.push({ ...c, conn: extra, ports: formatConnectionSet(extra) });
  });
  return out;
}
