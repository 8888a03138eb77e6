import { type Cluster, parseIPv4, type WorkloadPeer } from '@netpol-atlas/evaluator';
import type { FlowEndpoint } from './types.ts';

/** How an endpoint was matched to a workload. */
export type MatchedBy = 'id' | 'name' | 'labels' | 'ip';

/** Why an endpoint matched nothing the policies could decide. */
export type UnmatchedReason =
  /** A node (Hubble `reserved:host`/`remote-node`, a Calico host endpoint): policies do not govern it. */
  | 'host'
  /** It names a namespace or pod the manifests do not have. */
  | 'unknown-workload'
  /** Its labels fit several workloads of its namespace equally well. */
  | 'ambiguous'
  /** Outside the cluster, but the record has no address (Calico's aggregated `pub`/`pvt`). */
  | 'no-address'
  /** An address the analysis cannot place (IPv6: the analysis is IPv4 only). */
  | 'unsupported-address'
  /** Neither end is a workload of the manifests: no policy of theirs decides the flow. */
  | 'no-workload';

/** One end of a flow, resolved. */
export type EndpointMatch =
  | { kind: 'workload'; workload: WorkloadPeer; by: MatchedBy }
  /** An address outside the cluster's known pods, as an IPv4 integer. */
  | { kind: 'external'; address: number }
  | { kind: 'unmatched'; reason: UnmatchedReason };

/** Distinct endpoints remembered; a file with more distinct ones starts the memo over. */
const MEMO_LIMIT = 100_000;

/**
 * Matches the ends of flow records to the workloads of a compiled cluster: by workload id, by
 * namespace and pod name (a pod of the workload, its aggregated `name-*` form, or the workload's
 * own name), by namespace and labels (the workload whose labels the record's labels include,
 * most labels first), by pod IP (`status.podIP(s)`); an address of no known pod is external.
 * Answers are remembered per distinct endpoint, so a large file costs one lookup per record.
 */
export class WorkloadMatcher {
  private readonly byId = new Map<string, WorkloadPeer>();
  private readonly byPod = new Map<string, WorkloadPeer>();
  private readonly byNamespace = new Map<string, WorkloadPeer[]>();
  private readonly byIPv4 = new Map<number, WorkloadPeer>();
  private readonly byAddress = new Map<string, WorkloadPeer>();
  private readonly memo = new Map<string, EndpointMatch>();

  constructor(cluster: Cluster) {
    for (const workload of cluster.workloads) {
      this.byId.set(workload.id, workload);
      const list = this.byNamespace.get(workload.namespace) ?? [];
      list.push(workload);
      this.byNamespace.set(workload.namespace, list);
      for (const pod of workload.pods) {
        this.byPod.set(`${workload.namespace}/${pod.name}`, workload);
        // Host-network pods share their node's address: the address says nothing about the pod.
        if (pod.hostNetwork) continue;
        for (const ip of pod.ips) {
          const v4 = parseIPv4(ip);
          if (v4 !== undefined) this.byIPv4.set(v4, workload);
          else this.byAddress.set(ip.toLowerCase(), workload);
        }
      }
    }
  }

  /** Pod names already placed by name (most records name their pods): no other field matters then. */
  private readonly byNameMemo = new Map<string, EndpointMatch>();

  /** Resolves one end of a flow. */
  match(endpoint: FlowEndpoint): EndpointMatch {
    const { namespace, name } = endpoint;
    const nameKey =
      endpoint.workloadId === undefined && namespace !== undefined && name !== undefined
        ? `${namespace}/${name}`
        : undefined;
    if (nameKey !== undefined) {
      const byName = this.byNameMemo.get(nameKey);
      if (byName) return byName;
    }
    const key = memoKey(endpoint);
    const known = this.memo.get(key);
    if (known) return known;
    const result = this.resolve(endpoint);
    if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
    this.memo.set(key, result);
    if (nameKey !== undefined && result.kind === 'workload' && result.by === 'name') {
      if (this.byNameMemo.size >= MEMO_LIMIT) this.byNameMemo.clear();
      this.byNameMemo.set(nameKey, result);
    }
    return result;
  }

  private resolve(endpoint: FlowEndpoint): EndpointMatch {
    if (endpoint.workloadId) {
      const workload = this.byId.get(endpoint.workloadId);
      if (workload) return { kind: 'workload', workload, by: 'id' };
    }
    const { namespace, name, labels, ip } = endpoint;
    if (namespace !== undefined && name !== undefined) {
      const workload = this.byName(namespace, name);
      if (workload) return { kind: 'workload', workload, by: 'name' };
    }
    if (namespace !== undefined && labels !== undefined) {
      const found = this.byLabels(namespace, labels);
      if (found === 'ambiguous') return { kind: 'unmatched', reason: 'ambiguous' };
      if (found) return { kind: 'workload', workload: found, by: 'labels' };
    }
    const v4 = ip === undefined ? undefined : parseIPv4(ip);
    if (ip !== undefined) {
      const workload = v4 !== undefined ? this.byIPv4.get(v4) : this.byAddress.get(ip.toLowerCase());
      if (workload) return { kind: 'workload', workload, by: 'ip' };
    }
    if (endpoint.entity === 'host') return { kind: 'unmatched', reason: 'host' };
    // A record that names a pod or namespace is about something in the cluster we do not know.
    if (
      endpoint.entity !== 'world' &&
      (namespace !== undefined || name !== undefined || endpoint.workloadId)
    ) {
      return { kind: 'unmatched', reason: 'unknown-workload' };
    }
    if (v4 !== undefined) return { kind: 'external', address: v4 };
    if (ip !== undefined) return { kind: 'unmatched', reason: 'unsupported-address' };
    return { kind: 'unmatched', reason: endpoint.entity === 'world' ? 'no-address' : 'unknown-workload' };
  }

  /**
   * A pod name, an aggregated name (`frontend-7d9f8b-*`) or a workload name: the pod itself when
   * known, else the workload whose name is the longest `name-` prefix (pods are named after their
   * owner: `<deployment>-<replicaset hash>-<pod hash>`).
   */
  private byName(namespace: string, name: string): WorkloadPeer | undefined {
    const pod = this.byPod.get(`${namespace}/${name}`);
    if (pod) return pod;
    const candidates = this.byNamespace.get(namespace) ?? [];
    const aggregated = name.endsWith('*');
    const stem = name.replace(/-?\*$/, '');
    let best: WorkloadPeer | undefined;
    for (const workload of candidates) {
      if (stem === workload.name || stem.startsWith(`${workload.name}-`)) {
        if (!best || workload.name.length > best.name.length) best = workload;
      }
    }
    if (best || !aggregated) return best;
    // An aggregated name stands for the pods whose names start with it (a bare pod `api-0`: `api-*`).
    const owners = new Set(candidates.filter((w) => w.pods.some((p) => p.name.startsWith(`${stem}-`))));
    return owners.size === 1 ? [...owners][0] : undefined;
  }

  private byLabels(
    namespace: string,
    labels: Readonly<Record<string, string>>,
  ): WorkloadPeer | 'ambiguous' | undefined {
    let best: WorkloadPeer | undefined;
    let bestSize = 0;
    let tie = false;
    for (const workload of this.byNamespace.get(namespace) ?? []) {
      const entries = Object.entries(workload.labels);
      if (entries.length === 0 || !entries.every(([k, v]) => labels[k] === v)) continue;
      if (entries.length > bestSize) {
        best = workload;
        bestSize = entries.length;
        tie = false;
      } else if (entries.length === bestSize) tie = true;
    }
    return tie ? 'ambiguous' : best;
  }
}

function memoKey(endpoint: FlowEndpoint): string {
  const labels = endpoint.labels ? Object.entries(endpoint.labels).join(';') : '';
  return `${endpoint.workloadId ?? ''}\u0000${endpoint.namespace ?? ''}\u0000${endpoint.name ?? ''}\u0000${endpoint.ip ?? ''}\u0000${endpoint.entity ?? ''}\u0000${labels}`;
}
