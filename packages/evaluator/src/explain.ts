import type { SourceRange } from '@netpol-atlas/manifests';
import { parseIPv4 } from '@netpol-atlas/manifests';
import { externalPeer, rulePorts } from './analyze.ts';
import {
  ALL_CONNECTIONS,
  type ConnectionSet,
  containsPort,
  formatConnectionSet,
  intersectConnections,
  isEmptyConnections,
  NO_CONNECTIONS,
  type Protocol,
  portRangeConnections,
  unionConnections,
} from './connectionSet.ts';
import { DOMAIN_PEER_PREFIX, domainPeer, peerMatchesExternal } from './domains.ts';
import { decisionText, sideTiersFor, type TierChain, tierChain } from './explainTiers.ts';
import type {
  Cluster,
  CompiledPeer,
  CompiledPolicy,
  CompiledRule,
  Direction,
  Peer,
  WorkloadPeer,
} from './model.ts';
import { plural } from './plural.ts';

/** A rule that admits (part of) the traffic, with the entries that matched and where it is written. */
export interface RuleMatch {
  policy: string;
  direction: Direction;
  /** Index in `spec.ingress` / `spec.egress`. */
  rule: number;
  /** Index of the matching entry in `from`/`to`; undefined when the rule has no peers (all). */
  peer: number | undefined;
  /** Indices of the port entries admitting the query; empty when the rule has no ports (all). */
  ports: number[];
  /** What this rule admits for the pair. */
  conn: ConnectionSet;
  file: string;
  range: SourceRange | undefined;
  /** Set when the match relies on implementation-defined behaviour. */
  caveat?: string;
}

/** A rule that came close: its peer matched but not its ports, or the reverse. */
export interface NearMiss {
  policy: string;
  direction: Direction;
  rule: number;
  reason: 'ports' | 'peer';
  file: string;
  range: SourceRange | undefined;
}

/** One side of a connection: the source's egress or the destination's ingress. */
export interface SideExplanation {
  direction: Direction;
  /** The peer whose policies decide this side. */
  subject: Peer;
  /** False when no policy selects the subject for this direction (or it is an address). */
  isolated: boolean;
  /** `ns/name` of the policies selecting the subject for this direction. */
  policies: string[];
  allowedBy: RuleMatch[];
  nearMisses: NearMiss[];
  /** Everything this side admits between the pair. */
  conn: ConnectionSet;
  /** True when this side admits the query (or anything at all, without a query). */
  allows: boolean;
  /** One sentence a person can read. */
  summary: string;
  /**
   * The cluster-wide tiers of this side (Admin, then NetworkPolicy, then Baseline), when some
   * cluster policy selects the subject for this direction.
   */
  tiers?: TierChain;
}

/** Why a connection is allowed or denied, with both sides. */
export interface Explanation {
  src: Peer;
  dst: Peer;
  query: { protocol: Protocol; port: number } | undefined;
  verdict: 'allowed' | 'denied';
  /** Everything allowed between the pair. */
  conn: ConnectionSet;
  egress: SideExplanation;
  ingress: SideExplanation;
  notes: string[];
}

/**
 * Resolves a peer written as `ns/name[Kind]`, `ns/name`, `name` (unique), an IPv4 address or
 * `dns:<name>` (a domain name, or a `*.` pattern). Returns undefined when nothing (or more than
 * one workload) matches.
 */
export function findPeer(cluster: Cluster, text: string): Peer | undefined {
  if (text.startsWith(DOMAIN_PEER_PREFIX)) {
    const name = text.slice(DOMAIN_PEER_PREFIX.length);
    return DOMAIN_NAME.test(name) ? domainPeer(name) : undefined;
  }
  const address = parseIPv4(text);
  if (address !== undefined) return externalPeer(address, address);
  const exact = cluster.workloads.find((w) => w.id === text);
  if (exact) return exact;
  const candidates = cluster.workloads.filter((w) => `${w.namespace}/${w.name}` === text || w.name === text);
  return candidates.length === 1 ? candidates[0] : undefined;
}

// The DomainName pattern of the CRD (one optional `*.` prefix, then dot-separated labels).
const DOMAIN_NAME =
  /^(\*\.)?([a-zA-Z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.)+[a-zA-Z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.?$/;

function describePeer(peer: Peer): string {
  return peer.id;
}

function peerAdmits(peer: CompiledPeer, other: Peer): boolean {
  if (other.type === 'workload') return peer.members[other.index] === 1;
  return peerMatchesExternal(peer, other);
}

function queryConnections(query: Explanation['query']): ConnectionSet {
  return query ? portRangeConnections(query.protocol, query.port, query.port) : ALL_CONNECTIONS;
}

function admits(conn: ConnectionSet, query: Explanation['query']): boolean {
  return query ? containsPort(conn, query.protocol, query.port) : !isEmptyConnections(conn);
}

function explainSide(
  cluster: Cluster,
  direction: Direction,
  subject: Peer,
  other: Peer,
  portsDst: WorkloadPeer | undefined,
  query: Explanation['query'],
): SideExplanation {
  const side = explainNetworkPolicySide(cluster, direction, subject, other, portsDst, query);
  const tiers = sideTiersFor(cluster, direction, subject);
  if (!tiers) return side;
  const wanted = queryConnections(query);
  const { conn, chain } = tierChain(
    cluster,
    tiers,
    direction,
    other,
    portsDst,
    side.isolated ? () => side.conn : undefined,
    wanted,
  );
  const allows = admits(intersectConnections(conn, wanted), query);
  const steps = chain.decisions.map((d) => decisionText(d, formatConnectionSet(d.conn)));
  const layers: string[] = [...steps];
  if (!isEmptyConnections(chain.networkPolicyReached)) {
    layers.push(
      chain.networkPolicyIsolates
        ? `NetworkPolicy decides ${formatConnectionSet(chain.networkPolicyReached)}: ${side.summary.replace(/\.$/, '')}`
        : `no NetworkPolicy isolates ${describePeer(subject)} for ${direction}`,
    );
  }
  if (!isEmptyConnections(chain.defaulted)) {
    layers.push(`${formatConnectionSet(chain.defaulted)} is allowed by default (no tier decided it)`);
  }
  // The NetworkPolicy rules only count for what reached that layer.
  const reachedNp = !isEmptyConnections(chain.networkPolicyReached) && chain.networkPolicyIsolates;
  return {
    ...side,
    allowedBy: reachedNp ? side.allowedBy : [],
    nearMisses: reachedNp ? side.nearMisses : [],
    conn,
    allows,
    summary: `${layers.join('; ')}.`,
    tiers: chain,
  };
}

function explainNetworkPolicySide(
  cluster: Cluster,
  direction: Direction,
  subject: Peer,
  other: Peer,
  portsDst: WorkloadPeer | undefined,
  query: Explanation['query'],
): SideExplanation {
  const verb = direction === 'Egress' ? 'send to' : 'receive from';
  if (subject.type === 'external') {
    return {
      direction,
      subject,
      isolated: false,
      policies: [],
      allowedBy: [],
      nearMisses: [],
      conn: ALL_CONNECTIONS,
      allows: true,
      summary: `${describePeer(subject)} is outside the cluster: no NetworkPolicy restricts what it can ${verb}.`,
    };
  }
  const policies: readonly CompiledPolicy[] = (
    direction === 'Egress' ? cluster.egressPolicies : cluster.ingressPolicies
  )[subject.index]!;
  if (policies.length === 0) {
    return {
      direction,
      subject,
      isolated: false,
      policies: [],
      allowedBy: [],
      nearMisses: [],
      conn: ALL_CONNECTIONS,
      allows: true,
      summary: `No NetworkPolicy selects ${describePeer(subject)} for ${direction}, so it may ${verb} anything.`,
    };
  }
  const allowedBy: RuleMatch[] = [];
  const nearMisses: NearMiss[] = [];
  let conn = NO_CONNECTIONS;
  const wanted = queryConnections(query);
  for (const policy of policies) {
    const rules: readonly CompiledRule[] = direction === 'Egress' ? policy.egress : policy.ingress;
    for (const rule of rules) {
      const field = direction === 'Egress' ? 'egress' : 'ingress';
      const where = {
        policy: policy.id,
        direction,
        rule: rule.index,
        file: policy.object.source.file,
        range: policy.object.source.locate(['spec', field, rule.index]),
      };
      const matchedPeer = rule.peers ? rule.peers.find((p) => peerAdmits(p, other)) : undefined;
      const peerOk = !rule.peers || matchedPeer !== undefined;
      const ruleConn = rulePorts(rule, portsDst);
      const portOk = admits(intersectConnections(ruleConn, wanted), query);
      if (peerOk && portOk) {
        const ports = (rule.ports ?? [])
          .filter((p) =>
            admits(intersectConnections(rulePorts({ ...rule, ports: [p] }, portsDst), wanted), query),
          )
          .map((p) => p.index);
        const match: RuleMatch = {
          ...where,
          peer: matchedPeer?.index,
          ports,
          conn: ruleConn,
          range: policy.object.source.locate(
            matchedPeer
              ? ['spec', field, rule.index, direction === 'Egress' ? 'to' : 'from', matchedPeer.index]
              : ['spec', field, rule.index],
          ),
        };
        if (matchedPeer?.kind === 'ipBlock' && other.type === 'workload') {
          match.caveat =
            'matched through the pod IP inside an ipBlock: implementation-defined (Cilium and netpol-analyzer never match pod IPs)';
        }
        allowedBy.push(match);
        conn = unionConnections(conn, ruleConn);
      } else if (peerOk !== portOk) {
        // Without a port query every rule with ports "matches on ports": only report the
        // informative case, a peer that matches a rule whose ports admit nothing for it.
        if (query || peerOk) nearMisses.push({ ...where, reason: peerOk ? 'ports' : 'peer' });
        if (peerOk) conn = unionConnections(conn, ruleConn);
      }
    }
  }
  const allows = admits(intersectConnections(conn, wanted), query);
  const names = policies.map((p) => p.id).join(', ');
  const summary = allows
    ? `${describePeer(subject)} is isolated for ${direction} by ${names}; ${plural(allowedBy.length, 'rule')} ${allowedBy.length === 1 ? 'admits' : 'admit'} this traffic.`
    : `${describePeer(subject)} is isolated for ${direction} by ${names}, and no rule of ${policies.length === 1 ? 'it' : 'them'} admits ${describePeer(other)}${query ? ` on ${query.protocol} ${query.port}` : ''}.`;
  return {
    direction,
    subject,
    isolated: true,
    policies: policies.map((p) => p.id),
    allowedBy,
    nearMisses,
    conn,
    allows,
    summary,
  };
}

/**
 * Explains one connection: the source's egress side and the destination's ingress side, which
 * policies select each, which rules (policy, direction, rule, peer and port indices) admit the
 * traffic, and which rules nearly did. Without a query, explains everything allowed between them.
 */
export function explainConnection(
  cluster: Cluster,
  src: Peer,
  dst: Peer,
  query?: { protocol: Protocol; port: number },
): Explanation {
  const portsDst = dst.type === 'workload' ? dst : undefined;
  const egress = explainSide(cluster, 'Egress', src, dst, portsDst, query);
  const ingress = explainSide(cluster, 'Ingress', dst, src, portsDst, query);
  const notes: string[] = [];
  let conn = intersectConnections(egress.conn, ingress.conn);
  if (src.type === 'workload' && dst.type === 'workload' && src.index === dst.index) {
    conn = ALL_CONNECTIONS;
    notes.push('A pod can always reach itself: NetworkPolicy never blocks traffic from a pod to itself.');
  }
  if (src.type === 'external' && dst.type === 'external') {
    notes.push('Both ends are outside the cluster: NetworkPolicy does not apply.');
  }
  const enforced = cluster.options.cni !== 'flannel' && cluster.options.cni !== 'kubenet';
  if (!enforced) {
    notes.push(
      `The ${cluster.options.cni} CNI does not enforce NetworkPolicy: everything is allowed whatever the policies say.`,
    );
  }
  for (const side of [egress, ingress]) {
    for (const d of side.tiers?.decisions ?? []) {
      if (d.tiedWith.length === 0) continue;
      notes.push(
        `${d.policy} and ${d.tiedWith.join(', ')} share priority ${d.priority} in the ${d.tier} tier and all match this traffic: which applies is implementation-defined. This analysis applies ${d.policy} first (ties are ordered by kind/name).`,
      );
    }
  }
  for (const peer of [src, dst]) {
    if (peer.type === 'external' && peer.domain !== undefined) {
      notes.push(
        `${peer.id} stands for the addresses ${peer.domain} resolves to, which only the dataplane learns (from the pod's DNS answers): rules naming the domain decide it, and address rules (ipBlock, networks) only when they admit every IPv4 address.`,
      );
    }
    if (peer.type === 'workload' && peer.hostNetwork) {
      notes.push(`${peer.id} uses the host network: whether policies apply to it depends on the CNI.`);
    }
  }
  if (dst.type === 'workload') {
    notes.push(
      `Traffic from the node that runs ${dst.id} (kubelet probes) is always allowed, and can be spoofed by anyone on that node.`,
    );
  }
  const verdict = admits(intersectConnections(conn, queryConnections(query)), query) ? 'allowed' : 'denied';
  return { src, dst, query, verdict, conn, egress, ingress, notes };
}
