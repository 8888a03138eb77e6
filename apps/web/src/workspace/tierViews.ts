// The cluster-wide tiers as the app shows them: which layer decided an edge, cluster policies in
// the policy list, the Admin tier's denials, the tier chain of an explanation, and labels for the
// peers only cluster policies name (Node addresses, domain names).

import {
  type Analysis,
  adminDenials,
  attributeConnection,
  type Cluster,
  type CompiledClusterPolicy,
  type ConnectionSet,
  type ExternalPeer,
  formatConnectionSet,
  isAllConnections,
  type LayerDecision,
  type Peer,
  parseIPv4,
  type TierChain,
  type TierRuleRef,
  unionConnections,
} from '@netpol-atlas/evaluator';
import type { KubeObject } from '@netpol-atlas/manifests';
import {
  type AdminDenialsView,
  type EdgeTiers,
  type ExplainTierChain,
  externalNode,
  type GraphEdge,
  type GraphNode,
  type LayerDecisionView,
  type PolicySummary,
  peerNodeId,
  type TierRuleView,
} from '../model/index.ts';
import { toSourceRef } from './sourceRef.ts';

function ruleView(ref: TierRuleRef): TierRuleView {
  return {
    policy: ref.policy,
    tier: ref.tier,
    priority: ref.priority,
    direction: ref.direction,
    rule: ref.rule,
    ruleName: ref.ruleName,
    action: ref.action,
    source: toSourceRef(ref.file, ref.range),
  };
}

function decisionView(d: LayerDecision): LayerDecisionView {
  return {
    layer: d.layer,
    conn: formatConnectionSet(d.conn),
    rule: d.rule && ruleView(d.rule),
    policies: d.policies ?? [],
  };
}

/** Which layer decided each side of the allowed connection `conn`. */
export function edgeTiers(cluster: Cluster, src: Peer, dst: Peer, conn: ConnectionSet): EdgeTiers {
  const a = attributeConnection(cluster, src, dst, conn);
  return {
    decidedBy: a.decidedBy,
    egress: a.egress.decisions.map(decisionView),
    ingress: a.ingress.decisions.map(decisionView),
  };
}

/** Node names by IPv4 address, from the Node objects of the workspace. */
export function nodeNamesByAddress(objects: readonly KubeObject[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const object of objects) {
    if (object.kind !== 'Node') continue;
    for (const text of object.addresses) {
      const address = parseIPv4(text);
      if (address === undefined) continue;
      out.set(address, [...(out.get(address) ?? []), object.metadata.name]);
    }
  }
  return out;
}

/**
 * The node of an external peer: a domain name labelled by its pattern, a range holding Node
 * addresses by the Node names, any other range by its CIDR (or first-last).
 */
export function externalPeerNode(
  peer: ExternalPeer,
  nodeNames: ReadonlyMap<number, readonly string[]>,
  rangeLabel: (first: number, last: number) => string,
): GraphNode {
  if (peer.domain !== undefined) return { ...externalNode(peerNodeId(peer.id), peer.domain), kind: 'Domain' };
  const names = new Set<string>();
  // Only ranges small enough to be a Node's own address(es) are named after it.
  if (peer.last - peer.first < 256) {
    for (const [address, list] of nodeNames)
      if (address >= peer.first && address <= peer.last) for (const n of list) names.add(n);
  }
  const node = externalNode(peerNodeId(peer.id), rangeLabel(peer.first, peer.last));
  if (names.size === 0) return node;
  const nodeNamesList = [...names].sort();
  return { ...node, kind: 'Node', label: nodeNamesList.join(', '), nodeNames: nodeNamesList };
}

function rulePeers(policy: CompiledClusterPolicy) {
  return [...policy.ingress, ...policy.egress].flatMap((r) => r.peers);
}

/**
 * A cluster policy in the policy list: the workloads its subject selects and the peers its rules
 * name (workloads, the shown address ranges inside its `networks`/`nodes`, its domain names).
 */
export function clusterPolicySummary(
  cluster: Cluster,
  policy: CompiledClusterPolicy,
  nodeIndex: ReadonlyMap<string, number>,
  externals: readonly ExternalPeer[],
): PolicySummary {
  const admitted = new Set<number>();
  for (const peer of rulePeers(policy)) {
    peer.members.forEach((m, w) => {
      if (m === 1) admitted.add(nodeIndex.get(cluster.workloads[w]!.id)!);
    });
    for (const e of externals) {
      const index = nodeIndex.get(e.id);
      if (index === undefined) continue;
      const named =
        e.domain !== undefined
          ? peer.domains.includes(e.domain)
          : peer.ipv4 !== undefined && inside(peer.ipv4, e.first, e.last);
      if (named) admitted.add(index);
    }
  }
  return {
    id: policy.id,
    namespace: '',
    name: policy.name,
    kind: policy.kind,
    tier: policy.tier,
    priority: policy.priority,
    types: [
      ...(policy.ingress.length > 0 ? ['Ingress' as const] : []),
      ...(policy.egress.length > 0 ? ['Egress' as const] : []),
    ],
    selects: policy.selected.map((i) => cluster.workloads[i]!.id),
    admits: Int32Array.from(admitted).sort(),
    source: toSourceRef(policy.object.source.file, policy.object.source.range),
  };
}

function inside(set: readonly number[], first: number, last: number): boolean {
  for (let i = 0; i < set.length; i += 2) if (first >= set[i]! && last <= set[i + 1]!) return true;
  return false;
}

/** The id prefix of Admin-denied edges, so they never share an id with the allowed edge of a pair. */
const DENIED_PREFIX = 'denied:';

/**
 * The connections the Admin tier denies, one edge per pair (the rules of both sides merged), and
 * the nodes they need beyond `shown` (the model's node ids).
 */
export function adminDenialsView(
  analysis: Analysis,
  shown: ReadonlySet<string>,
  nodeOf: (peer: Peer) => GraphNode,
): AdminDenialsView {
  const { denials, truncated } = adminDenials(analysis);
  const byPair = new Map<string, { src: Peer; dst: Peer; rules: TierRuleView[]; conn: ConnectionSet }>();
  const nodes = new Map<string, GraphNode>();
  for (const d of denials) {
    const id = `${DENIED_PREFIX}${d.src.id}->${d.dst.id}`;
    const entry = byPair.get(id);
    if (entry) {
      entry.conn = unionConnections(entry.conn, d.conn);
      entry.rules.push(ruleView(d.rule));
    } else {
      byPair.set(id, { src: d.src, dst: d.dst, rules: [ruleView(d.rule)], conn: d.conn });
    }
    for (const peer of [d.src, d.dst])
      if (!shown.has(peer.id) && !nodes.has(peer.id)) nodes.set(peer.id, nodeOf(peer));
  }
  const edges = [...byPair].map(
    ([id, { src, dst, rules, conn }]): GraphEdge => ({
      id,
      source: peerNodeId(src.id),
      target: peerNodeId(dst.id),
      label: formatConnectionSet(conn),
      all: isAllConnections(conn),
      ports: { TCP: [...conn.TCP], UDP: [...conn.UDP], SCTP: [...conn.SCTP] },
      adminDenied: rules,
    }),
  );
  return { edges, nodes: [...nodes.values()], truncated };
}

/** An explanation's tier chain, as the explain view shows it. */
export function tierChainView(chain: TierChain): ExplainTierChain {
  return {
    decisions: chain.decisions.map((d) => ({
      policy: d.policy,
      tier: d.tier,
      priority: d.priority,
      direction: d.direction,
      rule: d.rule,
      ruleName: d.ruleName,
      action: d.action,
      source: toSourceRef(d.file, d.range),
      conn: formatConnectionSet(d.conn),
      tiedWith: d.tiedWith,
    })),
    passedOver: chain.passedOver.map((p) => ({
      policy: p.policy,
      tier: p.tier,
      priority: p.priority,
      reason: p.reason,
      source: toSourceRef(p.file, p.range),
    })),
    networkPolicyReached: formatConnectionSet(chain.networkPolicyReached),
    networkPolicyIsolates: chain.networkPolicyIsolates,
    defaulted: formatConnectionSet(chain.defaulted),
  };
}
