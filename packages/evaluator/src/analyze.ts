import {
  ALL_CONNECTIONS,
  type ConnectionSet,
  connectionKey,
  intersectConnections,
  isEmptyConnections,
  NO_CONNECTIONS,
  portRangeConnections,
  unionConnections,
} from './connectionSet.ts';
import { intervalsContain } from './intervals.ts';
import { formatIPv4, IPV4_ALL, ipAtoms } from './ip.ts';
import type { Cluster, CompiledPolicy, CompiledRule, ExternalPeer, Peer, WorkloadPeer } from './model.ts';

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
  /** Allowed connections from workload `src` to workload `dst` (by index). */
  between(src: number, dst: number): ConnectionSet;
  /** Allowed connections from an ingress external range to a workload. */
  fromExternal(external: number, dst: number): ConnectionSet;
  /** Allowed connections from a workload to an egress external range. */
  toExternal(src: number, external: number): ConnectionSet;
  /** Equivalence classes formed (workloads that behave alike share one): a measure of the work done. */
  stats: { sourceClasses: number; destinationClasses: number };
  /**
   * Every non-empty connection, workload pairs first (a workload to itself is skipped: it is
   * always allowed), then external sources, then external destinations.
   */
  connections(): Iterable<Connection>;
}

/** Builds the ranges for one side, as netpol-analyzer does: the ipBlocks plus 0.0.0.0/0. */
function externalsFor(sets: Cluster['ingressIpSets']): ExternalPeer[] {
  return ipAtoms([IPV4_ALL, ...sets]).map(([first, last]) => externalPeer(first, last));
}

/** Interns keys into dense class numbers. */
class Classes {
  private readonly ids = new Map<string, number>();
  readonly representatives: number[] = [];
  classOf(key: string, representative: number): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(key, id);
      this.representatives.push(representative);
    }
    return id;
  }
  get size(): number {
    return this.ids.size;
  }
}

/** The ports a rule admits towards `dst` (named ports resolved on its containers), or towards an address. */
export function rulePorts(rule: CompiledRule, dst: WorkloadPeer | undefined): ConnectionSet {
  if (!rule.ports) return ALL_CONNECTIONS;
  let out = NO_CONNECTIONS;
  for (const port of rule.ports) {
    if (port.kind === 'named') {
      // Named ports resolve only on a destination pod, by name and protocol together.
      for (const cp of dst?.ports ?? []) {
        if (cp.name === port.name && cp.protocol === port.protocol) {
          out = unionConnections(
            out,
            portRangeConnections(port.protocol, cp.containerPort, cp.containerPort),
          );
        }
      }
    } else {
      out = unionConnections(out, portRangeConnections(port.protocol, port.from, port.to));
    }
  }
  return out;
}

/** The signature of a workload's named container ports: equal signatures resolve names alike. */
function namedPortSignature(w: WorkloadPeer): string {
  return w.ports
    .filter((p) => p.name)
    .map((p) => `${p.name}/${p.protocol}/${p.containerPort}`)
    .sort()
    .join(',');
}

function ruleIds(policies: readonly CompiledPolicy[], direction: 'ingress' | 'egress'): string {
  return policies.flatMap((p) => p[direction].map((r) => r.id)).join(',');
}

/**
 * Computes connectivity. A connection needs the source's egress AND the destination's ingress:
 * each side is open unless some policy selects the pod for that direction, in which case it is the
 * union of the selecting policies' rules that admit the other side.
 */
export function analyze(cluster: Cluster): Analysis {
  const { workloads } = cluster;
  const n = workloads.length;
  const memberships = membershipKeys(cluster);
  // Workloads whose named container ports are alike resolve named rule ports alike: one number each.
  const portClasses = new Classes();
  const portClassOf = new Int32Array(n);
  for (const w of workloads)
    portClassOf[w.index] = portClasses.classOf(cluster.usesNamedPorts ? namedPortSignature(w) : '', w.index);
  const srcClasses = new Classes();
  const dstClasses = new Classes();
  const srcClassOf = new Int32Array(n);
  const dstClassOf = new Int32Array(n);
  for (const w of workloads) {
    const i = w.index;
    const egress = cluster.egressPolicies[i]!;
    const ingress = cluster.ingressPolicies[i]!;
    const ports = portClassOf[i];
    const egressKey = egress.length > 0 ? ruleIds(egress, 'egress') : 'open';
    const ingressKey = ingress.length > 0 ? ruleIds(ingress, 'ingress') : 'open';
    srcClassOf[i] = srcClasses.classOf(`${egressKey}#${memberships[i]}`, i);
    dstClassOf[i] = dstClasses.classOf(`${ingressKey}#${memberships[i]}#${ports}`, i);
  }

  const interned = new Map<string, ConnectionSet>();
  const intern = (set: ConnectionSet): ConnectionSet => {
    // Most class pairs allow nothing: skip building a key for them.
    if (isEmptyConnections(set)) return NO_CONNECTIONS;
    const key = connectionKey(set);
    const existing = interned.get(key);
    if (existing) return existing;
    interned.set(key, set);
    return set;
  };

  const portsCache = new Map<number, ConnectionSet>();
  const stride = portClasses.size + 1;
  const portsOf = (rule: CompiledRule, dst: WorkloadPeer | undefined): ConnectionSet => {
    if (!rule.ports) return ALL_CONNECTIONS;
    // Addresses take the extra slot 0; workloads their port class + 1.
    const key = rule.id * stride + (dst ? portClassOf[dst.index]! + 1 : 0);
    let set = portsCache.get(key);
    if (!set) {
      set = rulePorts(rule, dst);
      portsCache.set(key, set);
    }
    return set;
  };

  // Per rule, the union of its peers' member sets: "does this rule admit workload w" is one lookup.
  const ruleMembers = new Map<number, Uint8Array>();
  const membersOf = (rule: CompiledRule): Uint8Array => {
    let members = ruleMembers.get(rule.id);
    if (!members) {
      members = new Uint8Array(n);
      for (const peer of rule.peers ?? []) {
        const m = peer.members;
        for (let i = 0; i < n; i++) members[i] = members[i]! | m[i]!;
      }
      ruleMembers.set(rule.id, members);
    }
    return members;
  };

  /** What `policies` (of one side) admit for a peer that `admits(rule)` decides about. */
  const side = (
    policies: readonly CompiledPolicy[],
    direction: 'ingress' | 'egress',
    admits: (rule: CompiledRule) => boolean,
    portsDst: WorkloadPeer | undefined,
  ): ConnectionSet => {
    if (policies.length === 0) return ALL_CONNECTIONS;
    let out = NO_CONNECTIONS;
    for (const policy of policies) {
      for (const rule of policy[direction]) {
        if (admits(rule)) out = unionConnections(out, portsOf(rule, portsDst));
      }
    }
    return out;
  };

  const pairTable: (ConnectionSet | undefined)[] = new Array(srcClasses.size * dstClasses.size);
  const between = (src: number, dst: number): ConnectionSet => {
    if (src === dst) return ALL_CONNECTIONS;
    const slot = srcClassOf[src]! * dstClasses.size + dstClassOf[dst]!;
    let set = pairTable[slot];
    if (!set) {
      const s = srcClasses.representatives[srcClassOf[src]!]!;
      const d = dstClasses.representatives[dstClassOf[dst]!]!;
      const dstPeer = workloads[d]!;
      const egress = side(
        cluster.egressPolicies[s]!,
        'egress',
        (rule) => !rule.peers || membersOf(rule)[d] === 1,
        dstPeer,
      );
      const ingress = isEmptyConnections(egress)
        ? NO_CONNECTIONS
        : side(
            cluster.ingressPolicies[d]!,
            'ingress',
            (rule) => !rule.peers || membersOf(rule)[s] === 1,
            dstPeer,
          );
      set = intern(intersectConnections(egress, ingress));
      pairTable[slot] = set;
    }
    return set;
  };

  const ingressExternals = externalsFor(cluster.ingressIpSets);
  const egressExternals = externalsFor(cluster.egressIpSets);
  const admitsAddress = (rule: CompiledRule, address: number) =>
    !rule.peers || rule.peers.some((p) => p.ipv4 !== undefined && intervalsContain(p.ipv4, address));

  const fromCache = new Map<string, ConnectionSet>();
  const fromExternal = (external: number, dst: number): ConnectionSet => {
    const key = `${external}#${dstClassOf[dst]}`;
    let set = fromCache.get(key);
    if (!set) {
      const address = ingressExternals[external]!.first;
      const d = dstClasses.representatives[dstClassOf[dst]!]!;
      set = intern(
        side(cluster.ingressPolicies[d]!, 'ingress', (r) => admitsAddress(r, address), workloads[d]),
      );
      fromCache.set(key, set);
    }
    return set;
  };
  const toCache = new Map<string, ConnectionSet>();
  const toExternal = (src: number, external: number): ConnectionSet => {
    const key = `${external}#${srcClassOf[src]}`;
    let set = toCache.get(key);
    if (!set) {
      const address = egressExternals[external]!.first;
      const s = srcClasses.representatives[srcClassOf[src]!]!;
      set = intern(side(cluster.egressPolicies[s]!, 'egress', (r) => admitsAddress(r, address), undefined));
      toCache.set(key, set);
    }
    return set;
  };

  return {
    cluster,
    workloads,
    ingressExternals,
    egressExternals,
    between,
    fromExternal,
    toExternal,
    stats: { sourceClasses: srcClasses.size, destinationClasses: dstClasses.size },
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
    },
  };
}

/** The external peer covering `first..last`. */
export function externalPeer(first: number, last: number): ExternalPeer {
  return { type: 'external', id: `${formatIPv4(first)}-${formatIPv4(last)}[External]`, first, last };
}

/** Per workload, the sorted list of peer groups that admit it, as a string key. */
function membershipKeys(cluster: Cluster): string[] {
  const lists: number[][] = cluster.workloads.map(() => []);
  const seen = new Set<number>();
  for (const policy of cluster.policies) {
    for (const rule of [...policy.ingress, ...policy.egress]) {
      for (const peer of rule.peers ?? []) {
        if (seen.has(peer.group)) continue;
        seen.add(peer.group);
        const members = peer.members;
        for (let i = 0; i < members.length; i++) if (members[i] === 1) lists[i]!.push(peer.group);
      }
    }
  }
  return lists.map((l) => l.sort((a, b) => a - b).join(','));
}
