import { IPV4_ALL } from '@netpol-atlas/manifests';
import {
  admitsClass,
  type ClassInfo,
  membershipsOf,
  memoFor,
  ruleIds,
  samePolicies,
} from './analysisMemo.ts';
import {
  ALL_CONNECTIONS,
  type ConnectionSet,
  intersectConnections,
  isEmptyConnections,
  NO_CONNECTIONS,
  unionConnections,
} from './connectionSet.ts';
import { domainPeer, peerMatchesExternal } from './domains.ts';
import { externalRangeId } from './ids.ts';
import { intervalsContain } from './intervals.ts';
import { ipAtoms } from './ip.ts';
import type {
  Cluster,
  CompiledPeer,
  CompiledPolicy,
  CompiledRule,
  CompiledTierPeer,
  CompiledTierRule,
  ExternalPeer,
  Peer,
  WorkloadPeer,
} from './model.ts';
import { sameTiers, type TierOutcome, tierKey, tierOutcome, tiersEmpty, withNetworkPolicy } from './tiers.ts';

export { rulePorts } from './rulePorts.ts';

/** One allowed connection between two peers. */
export interface Connection {
  src: Peer;
  dst: Peer;
  conn: ConnectionSet;
}

/**
 * The connectivity of a cluster: for every ordered pair of peers, the allowed ConnectionSet.
 * Workload pairs are computed per equivalence class on demand and cached, so memory grows with
 * the number of distinct behaviours, not with pairs.
 */
export interface Analysis {
  cluster: Cluster;
  workloads: readonly WorkloadPeer[];
  /** Address ranges as sources (cut at ingress ipBlock boundaries). */
  ingressExternals: readonly ExternalPeer[];
  /** Address ranges as destinations (cut at egress ipBlock boundaries). */
  egressExternals: readonly ExternalPeer[];
  /** Domain-name destinations (`dns:<pattern>`), one per name pattern cluster policies write. */
  domainExternals: readonly ExternalPeer[];
  /** Allowed connections from workload `src` to workload `dst` (by index). */
  between(src: number, dst: number): ConnectionSet;
  /** Allowed connections from an ingress external range to a workload. */
  fromExternal(external: number, dst: number): ConnectionSet;
  /** Allowed connections from a workload to an egress external range. */
  toExternal(src: number, external: number): ConnectionSet;
  /** Allowed connections from a workload to a domain-name destination (by index in `domainExternals`). */
  toDomain(src: number, domain: number): ConnectionSet;
  /** Equivalence classes formed (workloads that behave alike share one): a measure of the work done. */
  stats: { sourceClasses: number; destinationClasses: number };
  /**
   * Every non-empty connection, workload pairs first (a workload to itself is skipped: it is
   * always allowed), then external sources, then external destinations, then domain names.
   */
  connections(): Iterable<Connection>;
}

/** Builds the ranges for one side, as netpol-analyzer does: the ipBlocks plus 0.0.0.0/0. */
function externalsFor(sets: Cluster['ingressIpSets']): ExternalPeer[] {
  return ipAtoms([IPV4_ALL, ...sets]).map(([first, last]) => externalPeer(first, last));
}

/**
 * Computes connectivity. A connection needs the source's egress AND the destination's ingress:
 * each side is open unless some policy selects the pod for that direction, in which case it is the
 * union of the selecting policies' rules that admit the other side.
 *
 * Analyses of clusters built incrementally from one another (buildCluster's `previous`) share
 * their cached results: after a policy edit, only classes the edit touched are computed again.
 */
export function analyze(cluster: Cluster): Analysis {
  const { workloads } = cluster;
  const n = workloads.length;
  const memo = memoFor(cluster);
  const { lists: groupsOf, keys: memberships } = membershipsOf(cluster, memo);
  const { src: srcClasses, dst: dstClasses, rows, sets } = memo;
  const srcClassOf = new Int32Array(n);
  const dstClassOf = new Int32Array(n);
  const last = memo.lastClasses;
  const prior = last && last.cluster.usesNamedPorts === cluster.usesNamedPorts ? last : undefined;
  for (const w of workloads) {
    const i = w.index;
    const egress = cluster.egressPolicies[i]!;
    const ingress = cluster.ingressPolicies[i]!;
    const egressTiers = cluster.egressTiers[i]!;
    const ingressTiers = cluster.ingressTiers[i]!;
    const sameGroups = prior !== undefined && prior.memberships[i] === memberships[i];
    if (
      sameGroups &&
      samePolicies(egress, prior.cluster.egressPolicies[i]!) &&
      sameTiers(egressTiers, prior.cluster.egressTiers[i]!)
    ) {
      srcClassOf[i] = prior.srcClassOf[i]!;
    } else {
      const egressKey = egress.length > 0 ? ruleIds(egress, 'egress') : 'open';
      srcClassOf[i] = srcClasses.classOf(
        `${egressKey}|${tierKey(egressTiers)}#${memberships[i]}`,
        egress,
        egressTiers,
        groupsOf[i]!,
        i,
      );
    }
    if (
      sameGroups &&
      samePolicies(ingress, prior.cluster.ingressPolicies[i]!) &&
      sameTiers(ingressTiers, prior.cluster.ingressTiers[i]!)
    ) {
      dstClassOf[i] = prior.dstClassOf[i]!;
    } else {
      // Workloads whose named container ports are alike resolve named rule ports alike.
      const ports = cluster.usesNamedPorts ? memo.portClassOf[i] : '';
      const ingressKey = ingress.length > 0 ? ruleIds(ingress, 'ingress') : 'open';
      dstClassOf[i] = dstClasses.classOf(
        `${ingressKey}|${tierKey(ingressTiers)}#${memberships[i]}#${ports}`,
        ingress,
        ingressTiers,
        groupsOf[i]!,
        i,
      );
    }
  }
  memo.lastClasses = { cluster, memberships, srcClassOf, dstClassOf };

  /** What `policies` (of one side) admit for a peer that `admits(rule)` decides about. */
  const networkPolicySide = (
    policies: readonly CompiledPolicy[],
    direction: 'ingress' | 'egress',
    admits: (rule: CompiledRule) => boolean,
    portsDst: WorkloadPeer | undefined,
  ): ConnectionSet => {
    let out = NO_CONNECTIONS;
    for (const policy of policies) {
      for (const rule of policy[direction]) {
        if (admits(rule)) out = unionConnections(out, memo.portsOf(rule, portsDst));
      }
    }
    return out;
  };
  /**
   * What one side allows: the cluster policy tiers around its NetworkPolicies (see decideSide).
   * `other` names the other end (a class number, an address or a domain) so that what the tiers
   * decide about it is computed once per side's rules, not once per pair.
   */
  const side = (
    subject: ClassInfo,
    direction: 'ingress' | 'egress',
    admits: (rule: CompiledRule | CompiledTierRule) => boolean,
    portsDst: WorkloadPeer | undefined,
    other: number | string,
  ): ConnectionSet => {
    const { policies, tiers } = subject;
    if (tiersEmpty(tiers)) {
      return policies.length === 0
        ? ALL_CONNECTIONS
        : networkPolicySide(policies, direction, admits, portsDst);
    }
    const outcome = tierOutcomeOf(subject, direction, admits, portsDst, other);
    if (policies.length === 0) return outcome.unisolated;
    // The Admin tier decided everything: NetworkPolicy has no say.
    if (isEmptyConnections(outcome.reached)) return outcome.accepted;
    return withNetworkPolicy(outcome, networkPolicySide(policies, direction, admits, portsDst));
  };
  const tierOutcomeOf = (
    subject: ClassInfo,
    direction: 'ingress' | 'egress',
    admits: (rule: CompiledTierRule) => boolean,
    portsDst: WorkloadPeer | undefined,
    other: number | string,
  ): TierOutcome => {
    const { tiers } = subject;
    let entry = subject.tierOutcomes;
    if (!entry) {
      // Only named rule ports depend on the destination (its port layout): without any, the
      // outcome depends on the other end alone.
      const named = [...tiers.admin, ...tiers.baseline].some((r) => r.ports?.some((p) => p.kind === 'named'));
      const key = `${direction}|${named ? 'named' : ''}|${tierKey(tiers)}`;
      let outcomes = memo.tierOutcomes.get(key);
      if (!outcomes) {
        outcomes = { byClass: [], byName: new Map() };
        memo.tierOutcomes.set(key, outcomes);
      }
      entry = { outcomes, named };
      subject.tierOutcomes = entry;
    }
    const { outcomes, named } = entry;
    const slot = named && portsDst ? memo.portClassOf[portsDst.index]! + 1 : 0;
    if (typeof other === 'string') {
      const key = `${other}|${slot}`;
      let outcome = outcomes.byName.get(key);
      if (!outcome) {
        outcome = tierOutcome(tiers, { matches: admits, ports: (rule) => memo.portsOf(rule, portsDst) });
        outcomes.byName.set(key, outcome);
      }
      return outcome;
    }
    // Class numbers are small and dense: an array beats a map on the hottest path of an analysis.
    const index = named ? other * memo.portSlots + slot : other;
    let outcome = outcomes.byClass[index];
    if (!outcome) {
      outcome = tierOutcome(tiers, { matches: admits, ports: (rule) => memo.portsOf(rule, portsDst) });
      outcomes.byClass[index] = outcome;
    }
    return outcome;
  };

  const between = (src: number, dst: number): ConnectionSet => {
    if (src === dst) return ALL_CONNECTIONS;
    const sc = srcClassOf[src]!;
    const dc = dstClassOf[dst]!;
    let row = rows[sc];
    if (row === undefined || dc >= row.length) row = memo.row(sc);
    let id = row[dc]!;
    if (id === 0) {
      id = classPair(sc, dc);
      row[dc] = id;
    }
    return sets[id]!;
  };

  /** Computes the connections from source class `sc` to destination class `dc`, as an interned id. */
  const classPair = (sc: number, dc: number): number => {
    const s = srcClasses.info[sc]!;
    const d = dstClasses.info[dc]!;
    const dstPeer = workloads[d.representative]!;
    const egress = side(s, 'egress', (rule) => admitsClass(rule, d), dstPeer, dc);
    const ingress = isEmptyConnections(egress)
      ? NO_CONNECTIONS
      : side(d, 'ingress', (rule) => admitsClass(rule, s), dstPeer, sc);
    return memo.intern(intersectConnections(egress, ingress));
  };

  const ingressExternals = externalsFor(cluster.ingressIpSets);
  const egressExternals = externalsFor(cluster.egressIpSets);
  const admitsAddress = (rule: CompiledRule | CompiledTierRule, address: number) =>
    !rule.peers || rule.peers.some((p) => p.ipv4 !== undefined && intervalsContain(p.ipv4, address));

  const fromExternal = (external: number, dst: number): ConnectionSet => {
    const address = ingressExternals[external]!.first;
    const key = `${address}#${dstClassOf[dst]}`;
    let set = memo.fromExternal.get(key);
    if (!set) {
      const d = dstClasses.info[dstClassOf[dst]!]!;
      set =
        memo.sets[
          memo.intern(
            side(d, 'ingress', (r) => admitsAddress(r, address), workloads[d.representative], `a${address}`),
          )
        ]!;
      memo.fromExternal.set(key, set);
    }
    return set;
  };
  const domainExternals = cluster.domains.map(domainPeer);
  const toDomain = (src: number, index: number): ConnectionSet => {
    const domain = domainExternals[index]!;
    const key = `${domain.id}#${srcClassOf[src]}`;
    let set = memo.toExternal.get(key);
    if (!set) {
      const s = srcClasses.info[srcClassOf[src]!]!;
      const admitsDomain = (rule: CompiledRule | CompiledTierRule) =>
        !rule.peers ||
        rule.peers.some((p: CompiledPeer | CompiledTierPeer) => peerMatchesExternal(p, domain));
      set = memo.sets[memo.intern(side(s, 'egress', admitsDomain, undefined, domain.id))]!;
      memo.toExternal.set(key, set);
    }
    return set;
  };
  const toExternal = (src: number, external: number): ConnectionSet => {
    const address = egressExternals[external]!.first;
    const key = `${address}#${srcClassOf[src]}`;
    let set = memo.toExternal.get(key);
    if (!set) {
      const s = srcClasses.info[srcClassOf[src]!]!;
      set =
        memo.sets[
          memo.intern(side(s, 'egress', (r) => admitsAddress(r, address), undefined, `a${address}`))
        ]!;
      memo.toExternal.set(key, set);
    }
    return set;
  };

  return {
    cluster,
    workloads,
    ingressExternals,
    egressExternals,
    domainExternals,
    between,
    fromExternal,
    toExternal,
    toDomain,
    stats: { sourceClasses: new Set(srcClassOf).size, destinationClasses: new Set(dstClassOf).size },
    *connections() {
      for (let s = 0; s < n; s++) {
        for (let d = 0; d < n; d++) {
          if (s === d) continue;
          const conn = between(s, d);
          if (!isEmptyConnections(conn)) yield { src: workloads[s]!, dst: workloads[d]!, conn };
        }
      }
      for (let e = 0; e < ingressExternals.length; e++) {
        for (let d = 0; d < n; d++) {
          const conn = fromExternal(e, d);
          if (!isEmptyConnections(conn)) yield { src: ingressExternals[e]!, dst: workloads[d]!, conn };
        }
      }
      for (let s = 0; s < n; s++) {
        for (let e = 0; e < egressExternals.length; e++) {
          const conn = toExternal(s, e);
          if (!isEmptyConnections(conn)) yield { src: workloads[s]!, dst: egressExternals[e]!, conn };
        }
      }
      for (let s = 0; s < n; s++) {
        for (let d = 0; d < domainExternals.length; d++) {
          const conn = toDomain(s, d);
          if (!isEmptyConnections(conn)) yield { src: workloads[s]!, dst: domainExternals[d]!, conn };
        }
      }
    },
  };
}

/** The external peer covering `first..last`. */
export function externalPeer(first: number, last: number): ExternalPeer {
  return { type: 'external', id: externalRangeId(first, last), first, last };
}
