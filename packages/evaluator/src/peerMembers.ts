// Which workloads a rule peer admits: the member sets the policy compiler shares between peer
// groups, computed from indexes of the workloads (by namespace) and of the namespaces (by label)
// so that a selector is tested only against the objects that can match it.

import type { Labels } from '@netpol-atlas/manifests';
import type { Intervals } from './intervals.ts';
import type { Cluster, NamespaceInfo, WorkloadPeer } from './model.ts';
import type { CompiledSelector } from './selectors.ts';

/** A peer group's members, and the workloads an ipBlock covers for some of their pods only. */
export interface Members {
  members: Uint8Array;
  partial: readonly string[];
}

/** Member sets of the workloads of one lineage (their namespaces and labels never change in it). */
export class PeerMembers {
  private readonly namespaceMatches = new Map<string, Set<string>>();
  private readonly podMatches = new Map<string, Uint8Array>();
  private workloadsByNamespace: Map<string, WorkloadPeer[]> | undefined;
  private labelIndex: Map<string, NamespaceInfo[]> | undefined;
  private addresses: { addresses: Float64Array; owners: Int32Array } | undefined;
  private counts: Int32Array | undefined;

  constructor(
    private readonly workloads: readonly WorkloadPeer[],
    private readonly namespaces: ReadonlyMap<string, NamespaceInfo>,
    private readonly options: Cluster['options'],
  ) {}

  /**
   * The workloads in `namespaces` whose labels `podSelector` matches (undefined: all of them);
   * host-network workloads left out for cluster policy peers, which never select them. Only the
   * namespaces' workloads are tested, unless they are most of the cluster: then the selector's
   * cached verdict on every workload serves.
   */
  inNamespaces(
    namespaces: ReadonlySet<string>,
    podSelector: CompiledSelector | undefined,
    clusterPeer: boolean,
  ): Members {
    const members = new Uint8Array(this.workloads.length);
    const byNamespace = this.byNamespace();
    let inside = 0;
    for (const name of namespaces) inside += byNamespace.get(name)?.length ?? 0;
    const pods =
      podSelector && !podSelector.matchesAll && inside * 2 > this.workloads.length
        ? this.podMembers(podSelector)
        : undefined;
    for (const name of namespaces) {
      for (const w of byNamespace.get(name) ?? []) {
        if (clusterPeer && w.hostNetwork) continue;
        const matches = pods ? pods[w.index] === 1 : !podSelector || podSelector.matches(w.labels);
        if (matches) members[w.index] = 1;
      }
    }
    return { members, partial: [] };
  }

  /** The workloads of each namespace, in workload order. */
  byNamespace(): Map<string, WorkloadPeer[]> {
    if (!this.workloadsByNamespace) {
      const byNamespace = new Map<string, WorkloadPeer[]>();
      // Workloads sorted by id come namespace by namespace: a run of them needs one lookup.
      let last: string | undefined;
      let list: WorkloadPeer[] = [];
      for (const w of this.workloads) {
        if (w.namespace !== last) {
          last = w.namespace;
          const known = byNamespace.get(last);
          list = known ?? [];
          if (!known) byNamespace.set(last, list);
        }
        list.push(w);
      }
      this.workloadsByNamespace = byNamespace;
    }
    return this.workloadsByNamespace;
  }

  /**
   * Upstream e2e expects an ipBlock to admit a pod whose IP lies inside it; netpol-analyzer and
   * Cilium never match pod IPs. A workload is admitted only when every known pod IP is inside.
   */
  inAddresses(ipv4: Intervals | undefined): Members {
    const members = new Uint8Array(this.workloads.length);
    const partial: string[] = [];
    if (!ipv4 || this.options.compat === 'netpol-analyzer' || this.options.cni === 'cilium')
      return { members, partial };
    // Only the pod addresses inside the ranges are visited, found in the sorted index, and
    // counted per workload in a scratch array cleared as the counts are read.
    const { addresses, owners } = this.addressIndex();
    this.counts ??= new Int32Array(this.workloads.length);
    const counts = this.counts;
    const touched: number[] = [];
    for (let i = 0; i < ipv4.length; i += 2) {
      const last = ipv4[i + 1]!;
      for (let k = lowerBound(addresses, ipv4[i]!); k < addresses.length && addresses[k]! <= last; k++) {
        const w = owners[k]!;
        if (counts[w] === 0) touched.push(w);
        counts[w]! += 1;
      }
    }
    touched.sort((a, b) => a - b);
    for (const w of touched) {
      const workload = this.workloads[w]!;
      if (counts[w] === workload.ipv4.length) members[w] = 1;
      else partial.push(workload.id);
      counts[w] = 0;
    }
    return { members, partial };
  }

  /** Every known pod address (a workload's repeated ones too), ascending, with its workload. */
  private addressIndex(): { addresses: Float64Array; owners: Int32Array } {
    if (!this.addresses) {
      let total = 0;
      for (let i = 0; i < this.workloads.length; i++) total += this.workloads[i]!.ipv4.length;
      const addresses = new Float64Array(total);
      const owners = new Int32Array(total);
      // One number per address, `address * scale + workload`, sorts by address and then by
      // workload (the order addresses are listed in) with the typed array's own numeric sort.
      // Exact while the product stays below 2^53: up to two million workloads.
      const scale = 2 ** Math.ceil(Math.log2(this.workloads.length + 1));
      if (scale <= 2 ** 21) {
        const keys = new Float64Array(total);
        let k = 0;
        // Indexed loops: this runs once per build, mostly before the optimising compiler takes it,
        // and an unoptimised for-of allocates a result object per element.
        const workloads = this.workloads;
        for (let i = 0; i < workloads.length; i++) {
          const { ipv4, index } = workloads[i]!;
          for (let j = 0; j < ipv4.length; j++) keys[k++] = ipv4[j]! * scale + index;
        }
        keys.sort();
        for (let i = 0; i < total; i++) {
          const owner = keys[i]! % scale;
          owners[i] = owner;
          addresses[i] = (keys[i]! - owner) / scale;
        }
      } else {
        const entries: [number, number][] = [];
        for (const w of this.workloads) for (const ip of w.ipv4) entries.push([ip, w.index]);
        entries.sort((a, b) => a[0] - b[0]);
        entries.forEach(([ip, owner], i) => {
          addresses[i] = ip;
          owners[i] = owner;
        });
      }
      this.addresses = { addresses, owners };
    }
    return this.addresses;
  }

  /** The names of the namespaces `selector` matches, in the namespaces' order. */
  namespacesMatching(selector: CompiledSelector): Set<string> {
    let set = this.namespaceMatches.get(selector.key);
    if (!set) {
      // Most namespace selectors name a label (often the name label): only the namespaces
      // carrying it can match.
      const candidates =
        selector.equalities.length > 0
          ? (this.namespacesByLabel().get(selector.equalities[0]!) ?? [])
          : this.namespaces.values();
      set = new Set();
      for (const ns of candidates) if (selector.matches(ns.labels)) set.add(ns.name);
      this.namespaceMatches.set(selector.key, set);
    }
    return set;
  }

  /** The namespaces by label (`key=value`), in the namespaces' order. */
  private namespacesByLabel(): Map<string, NamespaceInfo[]> {
    if (!this.labelIndex) {
      const index = new Map<string, NamespaceInfo[]>();
      for (const ns of this.namespaces.values()) {
        for (const [key, value] of Object.entries(ns.labels)) {
          const label = `${key}=${value}`;
          const list = index.get(label);
          if (list) list.push(ns);
          else index.set(label, [ns]);
        }
      }
      this.labelIndex = index;
    }
    return this.labelIndex;
  }

  private podMembers(selector: CompiledSelector): Uint8Array {
    let members = this.podMatches.get(selector.key);
    if (!members) {
      members = new Uint8Array(this.workloads.length);
      for (const w of this.workloads) if (selector.matches(w.labels as Labels)) members[w.index] = 1;
      this.podMatches.set(selector.key, members);
    }
    return members;
  }
}

/** The first index of `sorted` holding a value at least `value`. */
function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
