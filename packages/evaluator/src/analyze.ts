import { IPV4_ALL } from '@netpol-atlas/manifests';
import { type Memo, memoFor, type SideClass, samePolicies } from './analysisMemo.ts';
import { type Connection, ConnectionList } from './connectionList.ts';
import { ALL_CONNECTIONS, type ConnectionSet } from './connectionSet.ts';
import { domainPeer, peerMatchesExternal } from './domains.ts';
import { externalRangeId } from './ids.ts';
import { EMPTY_ID } from './internedSets.ts';
import { intervalsContain } from './intervals.ts';
import { ipAtoms } from './ip.ts';
import type {
  Cluster,
  CompiledPeer,
  CompiledRule,
  CompiledTierPeer,
  CompiledTierRule,
  ExternalPeer,
  WorkloadPeer,
} from './model.ts';

export type { Connection } from './connectionList.ts';
export { rulePorts } from './rulePorts.ts';

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

/** What delta.ts reads of an analysis: its memo and each workload's side classes. */
export interface AnalysisClasses {
  memo: Memo;
  egressOf: readonly SideClass[];
  ingressOf: readonly SideClass[];
}

const classesOf = new WeakMap<Analysis, AnalysisClasses>();

/** The side classes behind an analysis made by {@link analyze}; undefined for any other. */
export function analysisClasses(analysis: Analysis): AnalysisClasses | undefined {
  return classesOf.get(analysis);
}

/**
 * Computes connectivity. A connection needs the source's egress AND the destination's ingress:
 * each side is open unless some policy selects the pod for that direction, in which case it is the
 * union of the selecting policies' rules that admit the other side (within the cluster policy
 * tiers, see SidePrograms.result).
 *
 * Workloads whose side means the same share a side class, and a class sees the other ends through
 * a view: the buckets of workloads its rules cannot tell apart. A side's result is computed once
 * per class and bucket, and a connection is the intersection of two interned results. Analyses of
 * clusters built incrementally from one another (buildCluster's `previous`) share their classes
 * and results: after a policy edit, only classes the edit created are computed.
 */
export function analyze(cluster: Cluster): Analysis {
  const { workloads } = cluster;
  const n = workloads.length;
  const memo = memoFor(cluster);
  const sets = memo.sets.list;
  const egressOf: SideClass[] = new Array(n);
  const ingressOf: SideClass[] = new Array(n);
  // A workload whose side has the same policies and tiers (the same objects) as in the memo's
  // last analysis keeps its class: after an edit, only the edited policies' workloads are keyed.
  const last = memo.last;
  memo.prepare(cluster);
  for (let i = 0; i < n; i++) {
    const egress = cluster.egressPolicies[i]!;
    const egressTiers = cluster.egressTiers[i]!;
    egressOf[i] =
      last &&
      egressTiers === last.cluster.egressTiers[i] &&
      samePolicies(egress, last.cluster.egressPolicies[i]!)
        ? last.egressOf[i]!
        : memo.classOf(cluster, 'egress', i, egress, egressTiers);
    const ingress = cluster.ingressPolicies[i]!;
    const ingressTiers = cluster.ingressTiers[i]!;
    ingressOf[i] =
      last &&
      ingressTiers === last.cluster.ingressTiers[i] &&
      samePolicies(ingress, last.cluster.ingressPolicies[i]!)
        ? last.ingressOf[i]!
        : memo.classOf(cluster, 'ingress', i, ingress, ingressTiers);
  }
  memo.last = { cluster, egressOf, ingressOf };

  /** The interned connections from workload `s` to workload `d` (not the same one). */
  const pairId = (s: number, d: number): number => {
    const e = egressOf[s]!;
    const eb = e.view.bucketOf[e.atomOf[d]!]!;
    let out = e.results[eb]!;
    if (out === 0) out = memo.result(e, eb);
    if (out === EMPTY_ID) return EMPTY_ID;
    const i = ingressOf[d]!;
    const ib = i.view.bucketOf[i.atomOf[s]!]!;
    let into = i.results[ib]!;
    if (into === 0) into = memo.result(i, ib);
    return memo.sets.both(out, into);
  };
  const between = (src: number, dst: number): ConnectionSet =>
    src === dst ? ALL_CONNECTIONS : sets[pairId(src, dst)]!;

  const ingressExternals = externalsFor(cluster.ingressIpSets);
  const egressExternals = externalsFor(cluster.egressIpSets);
  const domainExternals = cluster.domains.map(domainPeer);

  const byAddress = (c: SideClass, address: number, portsDst: WorkloadPeer | undefined): number => {
    c.addresses ??= new Map();
    let id = c.addresses.get(address);
    if (id === undefined) {
      id = memo.programs.result(
        memo.program(c),
        (p) => p.ipv4 !== undefined && intervalsContain(p.ipv4, address),
        portsDst,
      );
      c.addresses.set(address, id);
    }
    return id;
  };
  /** A class's results towards a list of address ranges, written into `row`. */
  const addressRow = (
    c: SideClass,
    externals: readonly ExternalPeer[],
    portsDst: WorkloadPeer | undefined,
    row: Int32Array,
  ): void => {
    // A side none of whose rules names addresses decides alike about all of them: one result serves.
    c.namesAddresses ??= namesAddresses(c);
    if (c.namesAddresses) {
      for (let e = 0; e < row.length; e++) row[e] = byAddress(c, externals[e]!.first, portsDst);
      return;
    }
    if (c.anyAddress === 0)
      c.anyAddress = memo.programs.result(memo.program(c), (p) => p.ipv4 !== undefined, portsDst);
    row.fill(c.anyAddress);
  };
  const byDomain = (c: SideClass, domain: ExternalPeer): number => {
    c.domains ??= new Map();
    let id = c.domains.get(domain.id);
    if (id === undefined) {
      id = memo.programs.result(memo.program(c), (p) => peerMatchesExternal(p, domain), undefined);
      c.domains.set(domain.id, id);
    }
    return id;
  };
  // Ingress named ports resolve on the subject; towards an address, egress ports name no container.
  const fromRow = externalRows(ingressExternals.length, (c, row) =>
    addressRow(c, ingressExternals, workloads[c.subject], row),
  );
  const toRow = externalRows(egressExternals.length, (c, row) =>
    addressRow(c, egressExternals, undefined, row),
  );
  const domainRow = externalRows(domainExternals.length, (c, row) => {
    for (let i = 0; i < row.length; i++) row[i] = byDomain(c, domainExternals[i]!);
  });
  const fromExternal = (external: number, dst: number): ConnectionSet =>
    sets[fromRow(ingressOf[dst]!)[external]!]!;
  const toExternal = (src: number, external: number): ConnectionSet =>
    sets[toRow(egressOf[src]!)[external]!]!;
  const toDomain = (src: number, index: number): ConnectionSet => sets[domainRow(egressOf[src]!)[index]!]!;

  const analysis: Analysis = {
    cluster,
    workloads,
    ingressExternals,
    egressExternals,
    domainExternals,
    between,
    fromExternal,
    toExternal,
    toDomain,
    stats: {
      sourceClasses: new Set(egressOf.map((c) => c.id)).size,
      destinationClasses: new Set(ingressOf.map((c) => c.id)).size,
    },
    connections() {
      return new ConnectionList({
        memo,
        workloads,
        egressOf,
        ingressOf,
        ingressExternals,
        egressExternals,
        domainExternals,
        fromRow,
        toRow,
        domainRow,
      });
    },
  };
  classesOf.set(analysis, { memo, egressOf, ingressOf });
  return analysis;
}

/**
 * Per class, the interned results towards every external peer of one list (this analysis's cut
 * of the addresses, or its domain names), computed together on the class's first use.
 */
function externalRows(
  count: number,
  fill: (c: SideClass, row: Int32Array) => void,
): (c: SideClass) => Int32Array {
  const rows: (Int32Array | undefined)[] = [];
  return (c) => {
    let row = rows[c.id];
    if (!row) {
      row = new Int32Array(count);
      fill(c, row);
      rows[c.id] = row;
    }
    return row;
  };
}

/**
 * Whether some rule of a side admits addresses by range (an ipBlock, or a cluster policy's
 * networks or nodes): only then can its verdict on one address differ from another's. Every
 * other rule admits all addresses (no peers) or none.
 */
function namesAddresses(c: SideClass): boolean {
  const named = (rule: CompiledRule | CompiledTierRule) =>
    rule.peers?.some((p: CompiledPeer | CompiledTierPeer) => p.ipv4 !== undefined) ?? false;
  return (
    c.policies.some((policy) => policy[c.direction].some(named)) ||
    c.tiers.admin.some(named) ||
    c.tiers.baseline.some(named)
  );
}

/** The external peer covering `first..last`. */
export function externalPeer(first: number, last: number): ExternalPeer {
  return { type: 'external', id: externalRangeId(first, last), first, last };
}
