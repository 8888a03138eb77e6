/**
 * Exposure analysis: which workloads could be reached by (or could reach) pods that do not exist
 * in the manifests yet, as netpol-analyzer's `list --exposure` reports it.
 *
 * Every rule peer that names pods by selectors becomes a representative peer: "any pod matching
 * this pod selector, in any namespace matching this namespace selector". Rules that admit every
 * namespace (or have no peers at all) make the selected workloads exposed to the entire cluster.
 * A representative peer stands only for the rules whose selectors are requirement-for-requirement
 * equal to its own (or empty): a rule `role NotIn (x,y)` does not speak for a pod that only
 * satisfies `role NotIn (w,x,y,z)`, because whether such a pod exists is unknown.
 */

import type { LabelSelector, Labels } from '@netpol-atlas/manifests';
import type { Analysis } from './analyze.ts';
import { rulePorts } from './analyze.ts';
import {
  ALL_CONNECTIONS,
  type ConnectionSet,
  connectionKey,
  intersectConnections,
  isEmptyConnections,
  NO_CONNECTIONS,
  PROTOCOLS,
  type Protocol,
  parseProtocol,
  portRangeConnections,
  unionConnections,
} from './connectionSet.ts';
import {
  collectTierRepresentatives,
  exposureThroughTiers,
  tierRuleAdmitsEntireCluster,
  tierRuleSelectsRepresentative,
} from './exposureTiers.ts';
import type { CompiledPolicy, CompiledRule, CompiledTierRule, WorkloadPeer } from './model.ts';
import { NAMESPACE_NAME_LABEL } from './model.ts';
import {
  admitsAllNamespaces,
  type RepresentativePeer,
  representativePeer,
  selectorFullyMatches,
} from './representativePeer.ts';
import { tiersEmpty } from './tiers.ts';

/** One line of a workload's exposure in one direction. */
export interface ExposureEntry {
  /** `entire-cluster`, or a representative peer. */
  peer: 'entire-cluster' | RepresentativePeer;
  conn: ConnectionSet;
}

/** A workload's exposure in one direction. */
export interface DirectionExposure {
  /** False when no policy selects the workload for this direction (then `entries` is empty). */
  protected: boolean;
  entries: ExposureEntry[];
}

/** What one workload is exposed to; only workloads with something to report are listed. */
export interface WorkloadExposure {
  workload: WorkloadPeer;
  ingress: DirectionExposure;
  egress: DirectionExposure;
}

/** The result of {@link exposure}. */
export interface ExposureReport {
  /** Representative peers that survived (no real pod stands for them), in discovery order. */
  representatives: RepresentativePeer[];
  /** In workload order. */
  workloads: WorkloadExposure[];
}

/** Narrowing of the analysis with netpol-analyzer's focus-workload semantics. */
export interface ExposureOptions {
  /** True for focus workloads; absent: every workload is in focus. */
  isFocus?: (w: WorkloadPeer) => boolean;
  /** `ingress`: only pairs whose destination is in focus; `egress`: whose source is. */
  direction?: 'ingress' | 'egress' | undefined;
  /**
   * One connection in focus (`--focus-conn`): every line is cut down to it, and a line that
   * does not include it, or says no more than the entire cluster's, is left out.
   */
  conn?: { protocol: Protocol; port: number } | undefined;
}

/**
 * Computes the exposure report of an analysis. The connections of a workload with a
 * representative peer are those of the rules that select the peer; a line equal to the entire
 * cluster's is left out (it says nothing new), and so is a peer the workload cannot reach at all.
 * Named ports towards a representative peer (or the entire cluster, on egress) stay unresolved;
 * on ingress they resolve on the workload's own containers.
 */
export function exposure(analysis: Analysis, options: ExposureOptions = {}): ExposureReport {
  const { cluster, workloads } = analysis;
  const isFocus = options.isFocus ?? (() => true);
  const focusConn = options.conn
    ? portRangeConnections(options.conn.protocol, options.conn.port, options.conn.port)
    : undefined;
  const inFocus = (conn: ConnectionSet) => (focusConn ? intersectConnections(conn, focusConn) : conn);
  const representatives = collectRepresentatives(cluster.policies);
  collectTierRepresentatives(cluster.clusterPolicies, representatives);
  removeRealisedRepresentatives(representatives, analysis);
  const reps = [...representatives.values()];

  const wide = new Map<CompiledPolicy, { ingress: ConnectionSet; egress: ConnectionSet }>();
  for (const policy of cluster.policies) {
    wide.set(policy, { ingress: clusterWide(policy.ingress), egress: clusterWide(policy.egress) });
  }

  // Upstream reports a direction only for focus workloads, and only in the focus direction.
  const reported = (w: WorkloadPeer, side: 'ingress' | 'egress'): boolean =>
    isFocus(w) && (options.direction === undefined || options.direction === side);

  const out: WorkloadExposure[] = [];
  for (const w of workloads) {
    const result: WorkloadExposure = {
      workload: w,
      ingress: { protected: true, entries: [] },
      egress: { protected: true, entries: [] },
    };
    let listed = false;
    for (const side of ['ingress', 'egress'] as const) {
      if (!reported(w, side)) continue;
      const policies =
        side === 'ingress' ? cluster.ingressPolicies[w.index]! : cluster.egressPolicies[w.index]!;
      const tiers = side === 'ingress' ? cluster.ingressTiers[w.index]! : cluster.egressTiers[w.index]!;
      const target = result[side];
      // A pod is protected in a direction once a NetworkPolicy isolates it or a cluster policy rule applies.
      if (policies.length === 0 && tiersEmpty(tiers)) {
        target.protected = false;
        listed = true;
        continue;
      }
      /** Through the tiers (when any), what a potential peer gets that the given predicates admit. */
      const layered = (
        networkPolicy: ConnectionSet,
        admits: (rule: CompiledTierRule) => boolean,
      ): ConnectionSet =>
        tiersEmpty(tiers)
          ? networkPolicy
          : exposureThroughTiers(tiers, policies.length > 0 ? () => networkPolicy : undefined, {
              matches: admits,
              ports: (rule) => (side === 'ingress' ? rulePorts(rule, w) : unresolvedPorts(rule)),
            });
      let npEntire = NO_CONNECTIONS;
      for (const policy of policies) npEntire = unionConnections(npEntire, wide.get(policy)![side]);
      if (side === 'ingress') npEntire = resolveNamesByName(npEntire, w);
      const entire = inFocus(layered(npEntire, tierRuleAdmitsEntireCluster));
      if (!isEmptyConnections(entire)) {
        target.entries.push({ peer: 'entire-cluster', conn: entire });
        listed = true;
      }
      const entireKey = isEmptyConnections(entire) ? undefined : connectionKey(entire);
      for (const rep of reps) {
        let npConn = NO_CONNECTIONS;
        for (const policy of policies) {
          for (const rule of policy[side]) {
            if (!ruleSelectsRepresentative(rule, rep)) continue;
            npConn = unionConnections(
              npConn,
              side === 'ingress' ? rulePorts(rule, w) : unresolvedPorts(rule),
            );
          }
        }
        const conn = inFocus(layered(npConn, (rule) => tierRuleSelectsRepresentative(rule, rep)));
        if (entireKey === undefined ? isEmptyConnections(conn) : connectionKey(conn) === entireKey) continue;
        // Under a focus connection, a peer that does not get it says nothing about it.
        if (focusConn && isEmptyConnections(conn)) continue;
        target.entries.push({ peer: rep, conn });
        listed = true;
      }
    }
    if (listed) out.push(result);
  }
  return { representatives: reps, workloads: out };
}

/** The namespace selector an absent one stands for in a NetworkPolicy: the policy's namespace. */
function namespaceNameSelector(namespace: string): LabelSelector {
  return { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace }, matchExpressions: undefined };
}

/**
 * Representative peers of every rule peer with selectors, in policy order (ingress rules before
 * egress rules), the first of equal ones kept. A rule that admits every namespace yields none:
 * the entire cluster already covers it.
 */
function collectRepresentatives(policies: readonly CompiledPolicy[]): Map<string, RepresentativePeer> {
  const out = new Map<string, RepresentativePeer>();
  for (const policy of policies) {
    for (const rule of [...policy.ingress, ...policy.egress]) {
      const spec = specRule(rule);
      if (!spec?.peers || spec.peers.length === 0) continue;
      const found: RepresentativePeer[] = [];
      let entireCluster = false;
      for (const peer of spec.peers) {
        if (peer.ipBlock) continue;
        if (admitsAllNamespaces(peer.namespaceSelector, peer.podSelector)) {
          entireCluster = true;
          break;
        }
        if (!peer.namespaceSelector && !peer.podSelector) continue;
        const ns = peer.namespaceSelector ?? namespaceNameSelector(policy.namespace);
        found.push(representativePeer(ns, peer.podSelector, peer.namespaceSelector ? '' : policy.namespace));
      }
      if (entireCluster) continue;
      for (const rep of found) if (!out.has(rep.key)) out.set(rep.key, rep);
    }
  }
  return out;
}

/** The rule as written in the policy (the compiled rule keeps its position). */
function specRule(rule: CompiledRule) {
  const spec = rule.policy.object.spec;
  return (rule.direction === 'Ingress' ? spec.ingress : spec.egress)?.[rule.index];
}

/**
 * Drops representative peers that a real pod already stands for. Only plain-label selectors are
 * decided this way, and only when both the namespace and the pod part name labels: a peer meaning
 * "any pod" or "any namespace", or one written with expressions, could still be a new pod.
 */
function removeRealisedRepresentatives(reps: Map<string, RepresentativePeer>, analysis: Analysis): void {
  const { cluster } = analysis;
  for (const [key, rep] of reps) {
    if (!rep.podSelector) continue;
    if ((rep.podSelector.matchExpressions ?? []).length > 0) continue;
    if ((rep.namespaceSelector.matchExpressions ?? []).length > 0) continue;
    const podLabels = rep.podSelector.matchLabels ?? {};
    const nsLabels = rep.namespaceSelector.matchLabels ?? {};
    if (Object.keys(nsLabels).length === 0 || Object.keys(podLabels).length === 0) continue;
    const realised = analysis.workloads.some((w) => {
      const namespace = cluster.namespaces.get(w.namespace)?.labels ?? {};
      return labelsMatch(nsLabels, namespace) && w.pods.some((pod) => labelsMatch(podLabels, pod.labels));
    });
    if (realised) reps.delete(key);
  }
}

function labelsMatch(required: Labels, labels: Labels): boolean {
  return Object.entries(required).every(([k, v]) => Object.hasOwn(labels, k) && labels[k] === v);
}

/** Whether a rule admits a representative peer (an ipBlock never does). */
function ruleSelectsRepresentative(rule: CompiledRule, rep: RepresentativePeer): boolean {
  const spec = specRule(rule);
  if (!spec?.peers || spec.peers.length === 0) return true;
  return spec.peers.some((peer) => {
    if (peer.ipBlock) return false;
    const nsMatch = peer.namespaceSelector
      ? selectorFullyMatches(peer.namespaceSelector, rep.namespaceSelector)
      : rep.namespace === rule.policy.namespace;
    if (!nsMatch) return false;
    return peer.podSelector ? selectorFullyMatches(peer.podSelector, rep.podSelector) : true;
  });
}

/**
 * What a policy's rules of one side admit from/to every namespace: rules without peers, and
 * rules with a `namespaceSelector: {}` peer. Named ports stay names (no destination is known).
 */
function clusterWide(rules: readonly CompiledRule[]): ConnectionSet {
  let out = NO_CONNECTIONS;
  for (const rule of rules) {
    const spec = specRule(rule);
    const wide =
      !spec?.peers ||
      spec.peers.length === 0 ||
      spec.peers.some((p) => !p.ipBlock && admitsAllNamespaces(p.namespaceSelector, p.podSelector));
    if (wide) out = unionConnections(out, unresolvedPorts(rule));
  }
  return out;
}

/** A rule's ports with named ports kept as names (their number depends on a pod not known). */
function unresolvedPorts(rule: Pick<CompiledRule, 'ports'>): ConnectionSet {
  if (!rule.ports) return ALL_CONNECTIONS;
  let out = NO_CONNECTIONS;
  for (const port of rule.ports) {
    if (port.kind === 'named') {
      out = unionConnections(out, {
        ...NO_CONNECTIONS,
        namedPorts: { [port.anyProtocol ? 'any' : port.protocol]: [port.name!] },
      });
    } else {
      out = unionConnections(out, portRangeConnections(port.protocol, port.from, port.to));
    }
  }
  return out;
}

/**
 * Replaces named ports by the workload's container port of that name (upstream matches the name
 * only, whatever the container's protocol; a name of no protocol takes the container's);
 * names the workload does not define stay names.
 */
function resolveNamesByName(set: ConnectionSet, w: WorkloadPeer): ConnectionSet {
  if (!set.namedPorts) return set;
  let out: ConnectionSet = { TCP: set.TCP, UDP: set.UDP, SCTP: set.SCTP };
  for (const key of [...PROTOCOLS, 'any'] as const) {
    for (const name of set.namedPorts[key] ?? []) {
      const port = w.ports.find((p) => p.name === name);
      const protocol = key === 'any' ? (parseProtocol(port?.protocol) ?? 'TCP') : key;
      out = unionConnections(
        out,
        port
          ? portRangeConnections(protocol, port.containerPort, port.containerPort)
          : { ...NO_CONNECTIONS, namedPorts: { [key]: [name] } },
      );
    }
  }
  return out;
}
