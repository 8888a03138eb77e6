import {
  type Analysis,
  type Cluster,
  containsPort,
  type Explanation,
  type ExternalPeer,
  formatConnectionSet,
  type Peer,
  type RuleMatch,
  type SideExplanation,
  type WorkloadPeer,
} from '@netpol-atlas/evaluator';
import type { Workspace } from '@netpol-atlas/workspace';
import type { AggregatedFlow, FlowAggregator, FlowEnd, UnmatchedFlow } from './aggregate.ts';

/**
 * The three states of traffic against the workspace's policies: observed and allowed, observed but
 * denied (dropped now, or would break), allowed but never observed (a candidate to remove).
 */
type FlowState = 'observed-allowed' | 'observed-denied' | 'allowed-unobserved';

/** A rule (or the lack of one) that decided one side of a flow. */
export interface DecidingRule {
  side: 'egress' | 'ingress';
  /** Where it was decided: a cluster policy tier, NetworkPolicy, or nothing (allowed by default). */
  layer: 'Admin' | 'NetworkPolicy' | 'Baseline' | 'default';
  /** `ns/name` of a NetworkPolicy, `Kind/name` of a cluster policy; for a NetworkPolicy denial, the policies that isolate the pod. */
  policies: string[];
  /** The rule index (`spec.ingress`/`spec.egress`), when one rule decided. */
  rule: number | undefined;
  action: 'allow' | 'deny';
  /** Where the deciding rule is written, when one rule decided. */
  file?: string;
  range?: RuleMatch['range'];
}

/**
 * Why the workspace allows or denies one aggregated flow. The flows of one pair of peers on one
 * protocol and port share one decision object: read it, never change it.
 */
export interface FlowDecision {
  /** The sides that deny it (empty when allowed). */
  deniedBy: Array<'egress' | 'ingress'>;
  rules: DecidingRule[];
  /** The explanation's sentences, egress then ingress. */
  summary: string[];
}

/** An aggregated flow with the workspace's verdict. */
export interface EvaluatedFlow extends AggregatedFlow {
  state: Exclude<FlowState, 'allowed-unobserved'>;
  /** The ends as peers of the analysis (an address as its external range). */
  srcPeer: Peer;
  dstPeer: Peer;
  decision: FlowDecision;
}

/** A connection the policies allow (by some rule, not by default) with no observed flow. */
export interface UnobservedConnection {
  src: Peer;
  dst: Peer;
  /** What is allowed, as the CLI's lists write it (`TCP 80,UDP 53`). */
  conn: string;
}

/** The observed flows of one input judged by one workspace revision. */
export interface FlowReport {
  revision: number;
  flows: EvaluatedFlow[];
  unobserved: UnobservedConnection[];
  unmatched: { groups: UnmatchedFlow[]; groupCount: number; records: number; connections: number };
  totals: {
    records: number;
    connections: number;
    observedAllowed: number;
    observedDenied: number;
    /** Connections (records' counts) of the observed-denied flows. */
    deniedConnections: number;
    allowedUnobserved: number;
  };
}

/**
 * Judges aggregated flows by a workspace's policies: for each flow, allowed or denied (the
 * analysis's connection set on its port), with the deciding rules from the explanation (tiers
 * included); and the connections a rule allows that no flow used.
 */
export function evaluateFlows(workspace: Workspace, aggregator: FlowAggregator): FlowReport {
  const { revision, analysis } = workspace.connections();
  const { cluster } = analysis;
  const sources = sortedRanges(analysis.ingressExternals);
  const destinations = sortedRanges(analysis.egressExternals);
  const flows: EvaluatedFlow[] = [];
  const observedPairs = new Set<string>();
  const pairs = new Map<string, PairDecisions>();
  let deniedConnections = 0;
  let observedAllowed = 0;
  for (const flow of aggregator.flows()) {
    const srcPeer = peerOf(flow.src, sources);
    const dstPeer = peerOf(flow.dst, destinations);
    const allowed = allows(analysis, flow, srcPeer, dstPeer, sources, destinations);
    // One explanation per pair of peers (all ports), and one decision per pair and port: a large
    // capture has many flows per pair (each address outside the cluster is its own flow, and
    // addresses share a range), and an explanation costs far more than reading it.
    const pair = `${srcPeer.id}\u0000${dstPeer.id}`;
    let decisions = pairs.get(pair);
    if (decisions === undefined) {
      decisions = {
        explanation: workspace.explain(srcPeer, dstPeer)?.explanation,
        byPort: new Map(),
      };
      pairs.set(pair, decisions);
    }
    observedPairs.add(pair);
    const decision = decisionFor(decisions, flow, cluster);
    if (allowed) observedAllowed++;
    else deniedConnections += flow.count;
    // Field by field rather than spread: as many objects as flows.
    flows.push({
      key: flow.key,
      src: flow.src,
      dst: flow.dst,
      protocol: flow.protocol,
      port: flow.port,
      count: flow.count,
      forwarded: flow.forwarded,
      dropped: flow.dropped,
      firstSeen: flow.firstSeen,
      lastSeen: flow.lastSeen,
      line: flow.line,
      state: allowed ? 'observed-allowed' : 'observed-denied',
      srcPeer,
      dstPeer,
      decision,
    });
  }
  const unobserved = unobservedConnections(analysis, cluster, observedPairs);
  const unmatched = aggregator.unmatched();
  return {
    revision,
    flows,
    unobserved,
    unmatched: {
      groups: unmatched.groups,
      groupCount: unmatched.total,
      records: aggregator.unmatchedRecords,
      connections: aggregator.unmatchedConnections,
    },
    totals: {
      records: aggregator.records,
      connections: aggregator.connections,
      observedAllowed,
      observedDenied: flows.length - observedAllowed,
      deniedConnections,
      allowedUnobserved: unobserved.length,
    },
  };
}

interface Ranges {
  peers: readonly ExternalPeer[];
  starts: number[];
}

function sortedRanges(peers: readonly ExternalPeer[]): Ranges {
  const sorted = [...peers].sort((a, b) => a.first - b.first);
  return { peers: sorted, starts: sorted.map((p) => p.first) };
}

/** The range holding `address` (the ranges cover all of IPv4 without overlap). */
function rangeIndex(ranges: Ranges, address: number): number {
  let lo = 0;
  let hi = ranges.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ranges.starts[mid]! <= address) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function peerOf(end: FlowEnd, ranges: Ranges): Peer {
  return end.kind === 'workload' ? end.workload : ranges.peers[rangeIndex(ranges, end.address)]!;
}

function allows(
  analysis: Analysis,
  flow: AggregatedFlow,
  src: Peer,
  dst: Peer,
  sources: Ranges,
  destinations: Ranges,
): boolean {
  if (src.type === 'workload' && dst.type === 'workload') {
    // A pod may always reach itself; the analysis does not list a workload's own pairs.
    if (src.index === dst.index) return true;
    return containsPort(analysis.between(src.index, dst.index), flow.protocol, flow.port);
  }
  if (src.type === 'workload' && flow.dst.kind === 'external') {
    return containsPort(
      analysis.toExternal(src.index, rangeIndex(destinations, flow.dst.address)),
      flow.protocol,
      flow.port,
    );
  }
  if (dst.type === 'workload' && flow.src.kind === 'external') {
    return containsPort(
      analysis.fromExternal(rangeIndex(sources, flow.src.address), dst.index),
      flow.protocol,
      flow.port,
    );
  }
  return false;
}

/** The explanation of one pair of peers, and the decisions read from it per protocol and port. */
interface PairDecisions {
  explanation: Explanation | undefined;
  byPort: Map<number, FlowDecision>;
}

const PROTOCOL_INDEX: Readonly<Record<AggregatedFlow['protocol'], number>> = { TCP: 0, UDP: 1, SCTP: 2 };

/**
 * The decision for the flow's protocol and port, read from the pair's explanation once: flows of
 * one pair and port share the object. A decision depends on the flow only through its protocol
 * and port (see {@link decide}).
 */
function decisionFor(decisions: PairDecisions, flow: AggregatedFlow, cluster: Cluster): FlowDecision {
  const key = PROTOCOL_INDEX[flow.protocol] * 65536 + flow.port;
  let decision = decisions.byPort.get(key);
  if (decision === undefined) {
    decision = decisions.explanation
      ? decide(decisions.explanation, flow, cluster)
      : { deniedBy: [], rules: [], summary: [] };
    decisions.byPort.set(key, decision);
  }
  return decision;
}

/** Why the pair's explanation allows or denies the flow's protocol and port. */
function decide(
  explanation: Explanation,
  flow: Pick<AggregatedFlow, 'protocol' | 'port'>,
  cluster: Cluster,
): FlowDecision {
  const sides = [explanation.egress, explanation.ingress];
  const rules = sides.flatMap((side) => decidingRules(side, flow, cluster));
  return {
    deniedBy: sides
      .filter((s) => !admits(s, flow))
      .map((s) => (s.direction === 'Egress' ? 'egress' : 'ingress')),
    rules,
    summary: sides.map((s) => s.summary),
  };
}

/** Whether one side of the pair's explanation admits the flow's port. */
function admits(side: SideExplanation, flow: Pick<AggregatedFlow, 'protocol' | 'port'>): boolean {
  return containsPort(side.conn, flow.protocol, flow.port);
}

/** The rule that decided one side for the flow's port: a tier rule, NetworkPolicy rules, isolation, or the default. */
function decidingRules(
  side: SideExplanation,
  flow: Pick<AggregatedFlow, 'protocol' | 'port'>,
  cluster: Cluster,
): DecidingRule[] {
  const name = side.direction === 'Egress' ? 'egress' : 'ingress';
  const decision = side.tiers?.decisions.find(
    (d) => d.action !== 'Pass' && containsPort(d.conn, flow.protocol, flow.port),
  );
  if (decision) {
    return [
      {
        side: name,
        layer: decision.tier,
        policies: [decision.policy],
        rule: decision.rule,
        action: decision.action === 'Deny' ? 'deny' : 'allow',
        file: decision.file,
        range: decision.range,
      },
    ];
  }
  const allows = admits(side, flow);
  if (side.isolated) {
    if (!allows) {
      // No rule decided: the first isolating policy is where to look (and where an annotation goes).
      const source = cluster.policies.find((p) => p.id === side.policies[0])?.object.source;
      return [
        {
          side: name,
          layer: 'NetworkPolicy',
          policies: side.policies,
          rule: undefined,
          action: 'deny',
          ...(source ? { file: source.file, range: source.range } : {}),
        },
      ];
    }
    const matches = side.allowedBy.filter((m) => containsPort(m.conn, flow.protocol, flow.port));
    if (matches.length > 0) {
      return matches.map((m) => ({
        side: name,
        layer: 'NetworkPolicy',
        policies: [m.policy],
        rule: m.rule,
        action: 'allow',
        file: m.file,
        range: m.range,
      }));
    }
  }
  return allows ? [{ side: name, layer: 'default', policies: [], rule: undefined, action: 'allow' }] : [];
}

/** True when some rule (a NetworkPolicy's or a cluster policy's) governs this side of the workload. */
function governed(cluster: Cluster, workload: WorkloadPeer, direction: 'Ingress' | 'Egress'): boolean {
  const policies = direction === 'Ingress' ? cluster.ingressPolicies : cluster.egressPolicies;
  const tiers = (direction === 'Ingress' ? cluster.ingressTiers : cluster.egressTiers)[workload.index];
  return (
    (policies[workload.index]?.length ?? 0) > 0 ||
    (tiers?.admin.length ?? 0) + (tiers?.baseline.length ?? 0) > 0
  );
}

/**
 * Allowed connections no observed flow used, where a policy governs at least one side: the pairs
 * a rule opens (traffic allowed only because nothing isolates either side is not listed: there is
 * no rule to remove).
 */
function unobservedConnections(
  analysis: Analysis,
  cluster: Cluster,
  observed: ReadonlySet<string>,
): UnobservedConnection[] {
  const out: UnobservedConnection[] = [];
  for (const { src, dst, conn } of analysis.connections()) {
    if (observed.has(`${src.id}\u0000${dst.id}`)) continue;
    const bySource = src.type === 'workload' && governed(cluster, src, 'Egress');
    const byDestination = dst.type === 'workload' && governed(cluster, dst, 'Ingress');
    if (!bySource && !byDestination) continue;
    out.push({ src, dst, conn: formatConnectionSet(conn) });
  }
  return out;
}
