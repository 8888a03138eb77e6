import { cidrToInterval, formatIPv4, parseIPv4 } from '@netpol-atlas/manifests';
import { type Intervals, subtractIntervals, unionIntervals } from '../intervals.ts';
import type { WorkloadPeer } from '../model.ts';
import { type FindingContext, MAX_LISTED } from './context.ts';

/** The cloud metadata service (AWS, GCP, Azure, OpenStack...): instance credentials over HTTP. */
export const METADATA_ADDRESS = 0xa9fea9fe;
/** 169.254.0.0/16: link-local, where the metadata service and node-local agents (DNS caches) answer. */
export const LINK_LOCAL: Intervals = cidrToInterval('169.254.0.0/16')!;
/** 127.0.0.0/8: loopback never leaves the pod, so no policy ever sees it. */
export const LOOPBACK: Intervals = cidrToInterval('127.0.0.0/8')!;
/** The kubelet API: exec, logs and port-forward into every pod of the node when it is reachable. */
export const KUBELET_PORT = 10250;

/**
 * The cluster's own address ranges, as far as the input and the settings tell: configured CIDRs
 * (`--pod-cidr`, `--node-cidr`, `--service-cidr`) and the addresses the manifests show (pod and
 * host IPs in `status`, Node objects).
 */
export interface ClusterAddresses {
  /** Configured pod CIDRs. Observed pod IPs are in the context (`podIPs`) with their workloads. */
  podRanges: Intervals;
  /** Configured node CIDRs plus every node address observed. */
  nodes: Intervals;
  /** Configured Service (ClusterIP) CIDRs. */
  services: Intervals;
  /** The written CIDRs, for messages. */
  podCidrs: readonly string[];
  nodeCidrs: readonly string[];
  serviceCidrs: readonly string[];
  /** Observed node addresses, sorted. */
  nodeIPs: readonly number[];
}

const CACHE = new WeakMap<FindingContext, ClusterAddresses>();

/** The cluster's ranges for one review (computed once per context). */
export function clusterAddresses(ctx: FindingContext): ClusterAddresses {
  const cached = CACHE.get(ctx);
  if (cached) return cached;
  const networks = ctx.options.networks ?? {};
  const parse = (list: readonly string[] | undefined) => {
    const written: string[] = [];
    let set: Intervals = [];
    for (const text of list ?? []) {
      const range = cidrToInterval(text.trim());
      if (!range) continue;
      written.push(text.trim());
      set = unionIntervals(set, range);
    }
    return { written, set };
  };
  const pods = parse(networks.podCidrs);
  const nodes = parse(networks.nodeCidrs);
  const services = parse(networks.serviceCidrs);
  const nodeIPs = new Set(ctx.nodeIPs);
  for (const object of ctx.options.objects ?? []) {
    if (object.kind !== 'Node') continue;
    for (const address of object.addresses) {
      const ip = parseIPv4(address);
      if (ip !== undefined) nodeIPs.add(ip);
    }
  }
  const sortedNodeIPs = [...nodeIPs].sort((a, b) => a - b);
  let nodeSet = nodes.set;
  for (const ip of sortedNodeIPs) nodeSet = unionIntervals(nodeSet, [ip, ip]);
  const out: ClusterAddresses = {
    podRanges: pods.set,
    nodes: nodeSet,
    services: services.set,
    podCidrs: pods.written,
    nodeCidrs: nodes.written,
    serviceCidrs: services.written,
    nodeIPs: sortedNodeIPs,
  };
  CACHE.set(ctx, out);
  return out;
}

/** True when every address of `inner` lies in `outer`. */
export function insideIntervals(inner: Intervals, outer: Intervals): boolean {
  return inner.length > 0 && subtractIntervals(inner, outer).length === 0;
}

/** The fewest CIDRs that cover exactly an interval set (largest aligned blocks first). */
export function intervalsToCidrs(set: Intervals): string[] {
  const out: string[] = [];
  for (let i = 0; i < set.length; i += 2) {
    let lo = set[i]!;
    const hi = set[i + 1]!;
    while (lo <= hi) {
      // The largest block aligned on `lo` that stays inside [lo, hi].
      let size = lo === 0 ? 2 ** 32 : 2 ** Math.min(32, ctz(lo));
      while (size > hi - lo + 1) size /= 2;
      out.push(`${formatIPv4(lo)}/${32 - Math.log2(size)}`);
      lo += size;
    }
  }
  return out;
}

function ctz(value: number): number {
  let n = 0;
  let v = value;
  while (v % 2 === 0 && n < 32) {
    v /= 2;
    n += 1;
  }
  return n;
}

/** Which pods an address set covers: the workloads, their namespaces, the address bounds and a sample. */
export interface PodCoverage {
  covered: WorkloadPeer[];
  namespaces: string[];
  min: number;
  max: number;
  /** At most MAX_LISTED of the covered addresses. */
  sample: number[];
}

/** The pods whose IPs an address set covers (a binary search per interval over the sorted pod IPs). */
export function podsInside(ctx: FindingContext, set: Intervals): PodCoverage {
  const covered = new Set<WorkloadPeer>();
  const sample: number[] = [];
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  const all = ctx.podIPs;
  for (let i = 0; i < set.length; i += 2) {
    const [lo, hi] = [set[i]!, set[i + 1]!];
    let left = 0;
    let right = all.length;
    while (left < right) {
      const mid = (left + right) >>> 1;
      if (all[mid]!.ip < lo) left = mid + 1;
      else right = mid;
    }
    for (let j = left; j < all.length && all[j]!.ip <= hi; j++) {
      const { ip, workload } = all[j]!;
      covered.add(workload);
      if (sample.length < MAX_LISTED && sample.at(-1) !== ip) sample.push(ip);
      min = Math.min(min, ip);
      max = Math.max(max, ip);
    }
  }
  const list = [...covered].sort((a, b) => a.index - b.index);
  return { covered: list, namespaces: [...new Set(list.map((w) => w.namespace))], min, max, sample };
}

/** The smallest CIDR holding every address from `min` to `max`. */
export function coveringCidr(min: number, max: number): { text: string; first: number; last: number } {
  const prefix = Math.clz32((min ^ max) >>> 0);
  const size = 2 ** (32 - prefix);
  const first = Math.floor(min / size) * size;
  return { text: `${formatIPv4(first)}/${prefix}`, first, last: first + size - 1 };
}

/** Addresses for a message: each range as a CIDR, or a single address as itself. */
export function addressesText(set: Intervals): string[] {
  return intervalsToCidrs(set).map((c) => (c.endsWith('/32') ? c.slice(0, -3) : c));
}
