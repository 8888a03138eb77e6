// The graph model of one compiled revision: workload and address-range nodes, the allowed
// connections as an edge table, the namespaces and the policies with what they select and admit.

import {
  type Analysis,
  type Cluster,
  type CompiledPolicy,
  type ConnectionSet,
  type ExternalPeer,
  formatConnectionSet,
  formatIPv4,
  isAllConnections,
  type Peer,
} from '@netpol-atlas/evaluator';
import type { KubeObject } from '@netpol-atlas/manifests';
import {
  type ConnectionKind,
  type EdgeTable,
  type EdgeTiers,
  type GraphNode,
  type NamespaceSummary,
  type PolicySummary,
  peerNodeId,
  type WireModel,
} from '../model/index.ts';
import { toSourceRef } from './sourceRef.ts';
import { clusterPolicySummary, edgeTiers, externalPeerNode, nodeNamesByAddress } from './tierViews.ts';

type NodeNames = ReturnType<typeof nodeNamesByAddress>;

/** `a.b.c.d/n` when the range is exactly one CIDR block, else `first-last`. */
export function rangeLabel(first: number, last: number): string {
  const size = last - first + 1;
  const prefix = 32 - Math.log2(size);
  if (Number.isInteger(prefix) && first % size === 0) return `${formatIPv4(first)}/${prefix}`;
  return `${formatIPv4(first)}-${formatIPv4(last)}`;
}

function hasTierRules(side: Cluster['ingressTiers'][number]): boolean {
  return side.admin.length > 0 || side.baseline.length > 0;
}

/** The node of a peer: a workload, or an address range or domain name. */
export function peerNode(cluster: Cluster, peer: Peer, nodeNames: NodeNames): GraphNode {
  if (peer.type === 'external') return externalPeerNode(peer, nodeNames, rangeLabel);
  const first = peer.pods[0];
  return {
    id: peerNodeId(peer.id),
    type: 'workload',
    label: peer.name,
    kind: peer.kind,
    namespace: peer.namespace,
    labels: { ...peer.labels },
    ports: peer.ports.map((p) => ({ name: p.name, port: p.containerPort, protocol: p.protocol })),
    ingressIsolated: cluster.ingressPolicies[peer.index]!.length > 0,
    egressIsolated: cluster.egressPolicies[peer.index]!.length > 0,
    pods: peer.pods.length,
    source: first ? toSourceRef(first.source.file, first.source.range) : undefined,
    ...(cluster.clusterPolicies.length > 0
      ? {
          clusterTiers: {
            ingress: hasTierRules(cluster.ingressTiers[peer.index]!),
            egress: hasTierRules(cluster.egressTiers[peer.index]!),
          },
        }
      : {}),
  };
}

/**
 * Up to this many edges, each carries the tier that decided it (the graph draws at most 1500 at
 * once); beyond, attributing every edge would cost seconds per edit, so the details panel asks
 * for the one selected (edgeTiersInWorkspace).
 */
const MAX_ATTRIBUTED_EDGES = 1500;

/** What the model is built from: one revision's parse, cluster and analysis. */
export interface ModelSource {
  objects: readonly KubeObject[];
  cluster: Cluster;
  analysis: Analysis;
}

/**
 * The graph model of one revision. Workloads are the first nodes, in the cluster's order (node
 * `i` is workload `i`); the address ranges and domain names some connection involves follow. The
 * connections are interned by their connection set: a million edges share a few dozen kinds.
 * `admitted` keeps the workloads each peer member set admits, so an edit recomputes only those
 * of the peers it changed.
 */
export function graphModelOf(
  { objects, cluster, analysis }: ModelSource,
  admitted: MemberLists,
): Omit<WireModel, 'revision'> {
  const nodeNames = nodeNamesByAddress(objects);
  const nodes: GraphNode[] = cluster.workloads.map((w) => peerNode(cluster, w, nodeNames));
  const externalIndex = new Map<string, number>();
  const indexOf = (peer: Peer): number => {
    if (peer.type === 'workload') return peer.index;
    let index = externalIndex.get(peer.id);
    if (index === undefined) {
      index = nodes.length;
      nodes.push(peerNode(cluster, peer, nodeNames));
      externalIndex.set(peer.id, index);
    }
    return index;
  };
  const kinds: ConnectionKind[] = [];
  // The analysis interns the sets of workload pairs; a set met again by identity skips formatting.
  const kindOfSet = new Map<ConnectionSet, number>();
  const kindOfLabel = new Map<string, number>();
  const kindOf = (conn: ConnectionSet): number => {
    let kind = kindOfSet.get(conn);
    if (kind !== undefined) return kind;
    const label = formatConnectionSet(conn);
    kind = kindOfLabel.get(label);
    if (kind === undefined) {
      kind = kinds.length;
      kinds.push({
        label,
        all: isAllConnections(conn),
        ports: { TCP: [...conn.TCP], UDP: [...conn.UDP], SCTP: [...conn.SCTP] },
      });
      kindOfLabel.set(label, kind);
    }
    kindOfSet.set(conn, kind);
    return kind;
  };
  const source: number[] = [];
  const target: number[] = [];
  const kind: number[] = [];
  const pairs: [Peer, Peer, ConnectionSet][] = [];
  const attribute = cluster.clusterPolicies.length > 0;
  for (const { src, dst, conn } of analysis.connections()) {
    source.push(indexOf(src));
    target.push(indexOf(dst));
    kind.push(kindOf(conn));
    if (attribute && pairs.length <= MAX_ATTRIBUTED_EDGES) pairs.push([src, dst, conn]);
  }
  // Which tier decided an edge can change while its connections do not (an Admin Accept added
  // over a NetworkPolicy rule): every edge is attributed again on each revision.
  const tiers: EdgeTiers[] | undefined =
    attribute && source.length <= MAX_ATTRIBUTED_EDGES
      ? pairs.map(([src, dst, conn]) => edgeTiers(cluster, src, dst, conn))
      : undefined;
  const table: EdgeTable = {
    source: Int32Array.from(source),
    target: Int32Array.from(target),
    kind: Int32Array.from(kind),
    kinds,
    tiers,
  };
  const nodeIndex = new Map(nodes.map((n, i) => [n.id, i]));
  const externals = [...analysis.ingressExternals, ...analysis.egressExternals, ...analysis.domainExternals];
  return {
    nodes,
    table,
    namespaces: namespacesOf(cluster),
    policies: [
      ...cluster.clusterPolicies
        .filter((p) => p.tier === 'Admin')
        .map((p) => clusterPolicySummary(cluster, p, nodeIndex, externals)),
      ...cluster.policies.map((p) => networkPolicySummary(cluster, p, admitted, nodeIndex, externals)),
      ...cluster.clusterPolicies
        .filter((p) => p.tier === 'Baseline')
        .map((p) => clusterPolicySummary(cluster, p, nodeIndex, externals)),
    ],
  };
}

function namespacesOf(cluster: Cluster): NamespaceSummary[] {
  const workloadsIn = new Map<string, number>();
  for (const w of cluster.workloads) workloadsIn.set(w.namespace, (workloadsIn.get(w.namespace) ?? 0) + 1);
  return [...cluster.namespaces.values()]
    .map((ns) => ({
      name: ns.name,
      labels: { ...ns.labels },
      declared: ns.declared,
      workloads: workloadsIn.get(ns.name) ?? 0,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function networkPolicySummary(
  cluster: Cluster,
  p: CompiledPolicy,
  lists: MemberLists,
  nodeIndex: ReadonlyMap<string, number>,
  externals: readonly ExternalPeer[],
): PolicySummary {
  const ranges = new Set<number>();
  for (const rule of [...p.ingress, ...p.egress]) {
    for (const peer of rule.peers ?? []) {
      if (!peer.ipv4) continue;
      for (const e of externals) {
        const index = e.type === 'external' ? nodeIndex.get(e.id) : undefined;
        if (index !== undefined && inside(peer.ipv4, e.first, e.last)) ranges.add(index);
      }
    }
  }
  const workloads = admittedWorkloads(lists, cluster.workloads.length, p);
  // Workloads are the first nodes (node i is workload i), the ranges follow them.
  const admits = new Int32Array(workloads.length + ranges.size);
  admits.set(workloads);
  admits.set(Int32Array.from(ranges).sort(), workloads.length);
  return {
    id: p.id,
    namespace: p.namespace,
    name: p.name,
    kind: 'NetworkPolicy',
    tier: 'NetworkPolicy' as const,
    priority: undefined,
    types: [
      ...(p.affectsIngress ? ['Ingress' as const] : []),
      ...(p.affectsEgress ? ['Egress' as const] : []),
    ],
    selects: p.selected.map((i) => cluster.workloads[i]!.id),
    admits,
    source: toSourceRef(p.object.source.file, p.object.source.range),
  };
}

/**
 * The workload indices of a peer member set, ascending, kept per set: the policy compiler shares
 * one set between equal peer groups, and an incremental build keeps the sets of the policies an
 * edit did not touch, so most are listed once per workspace rather than once per policy and edit.
 */
export type MemberLists = WeakMap<Uint8Array, Int32Array>;

function memberList(lists: MemberLists, members: Uint8Array): Int32Array {
  let list = lists.get(members);
  if (!list) {
    let count = 0;
    for (let i = 0; i < members.length; i++) if (members[i] === 1) count++;
    list = new Int32Array(count);
    for (let i = 0, k = 0; i < members.length; i++) if (members[i] === 1) list[k++] = i;
    lists.set(members, list);
  }
  return list;
}

let unionMarks = new Uint8Array(0);

/** The workloads a policy's peers admit, by index, ascending. */
function admittedWorkloads(lists: MemberLists, workloads: number, policy: CompiledPolicy): Int32Array {
  const sets = new Set<Uint8Array>();
  for (const rule of [...policy.ingress, ...policy.egress])
    for (const peer of rule.peers ?? []) sets.add(peer.members);
  if (sets.size === 0) return new Int32Array(0);
  if (sets.size === 1) return memberList(lists, sets.values().next().value!);
  // Several sets: their union, each workload marked as it is first met (the marks are shared
  // between calls and cleared after use), then put in order.
  if (unionMarks.length < workloads) unionMarks = new Uint8Array(workloads);
  const marks = unionMarks;
  const picked: number[] = [];
  for (const members of sets)
    for (const i of memberList(lists, members))
      if (marks[i] === 0) {
        marks[i] = 1;
        picked.push(i);
      }
  for (const i of picked) marks[i] = 0;
  return Int32Array.from(picked).sort();
}

function inside(set: readonly number[], first: number, last: number): boolean {
  for (let i = 0; i < set.length; i += 2) if (first >= set[i]! && last <= set[i + 1]!) return true;
  return false;
}
