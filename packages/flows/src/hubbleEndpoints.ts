import { asName, labelsOf } from './fields.ts';
import { canonicalIPv4 } from './tupleTable.ts';
import type { FlowEndpoint } from './types.ts';

/** Hubble's label sources: only `k8s:` labels are pod labels; `reserved:` ones name an entity. */
const K8S_PREFIX = 'k8s:';

/** Distinct endpoints remembered; past this the cache starts over (bounded for any file). */
const CACHE_LIMIT = 100_000;

/** Keys Cilium adds to a pod's identity that are not the pod's own labels. */
function isCiliumKey(key: string): boolean {
  return key === 'io.kubernetes.pod.namespace' || key.startsWith('io.cilium.');
}

/** An endpoint as read, with its address as an IPv4 integer (undefined when not canonical IPv4). */
export interface ReadEndpoint {
  endpoint: FlowEndpoint | undefined;
  v4: number | undefined;
}

/** What an endpoint was read from, to tell whether the next one is the same. */
interface Cached extends ReadEndpoint {
  namespace: unknown;
  pod: unknown;
  address: unknown;
  labels: readonly unknown[] | undefined;
}

/**
 * Reads Hubble endpoints, each distinct one once. A capture repeats the same few thousand
 * endpoints a million times; reading one (its labels into an object) cost more than looking it up,
 * and handing out the same object for the same endpoint lets the matcher and the aggregator
 * remember their answers by identity. The cache compares every field the reading uses (namespace,
 * pod name, labels, address), so an endpoint is the same object exactly when it reads the same.
 * The objects are shared by the records that name them: readers of records must not change them.
 */
export class HubbleEndpoints {
  /**
   * Keyed by the address as an integer when it is a canonical IPv4 address (nearly every flow):
   * an integer hashes for less than a string JSON.parse has just made, and two canonical
   * addresses are the same integer exactly when they are the same text, so the address needs no
   * other comparison.
   */
  private readonly byV4 = new Map<number, Cached>();
  /** Keyed by another address, else the pod name. */
  private readonly byText = new Map<string, Cached>();

  /**
   * The endpoint of `fields` (Hubble's `source`/`destination`) at `address` (`IP.source`...),
   * with the address as an integer for the connection's tuple (read once per distinct endpoint).
   */
  read(fields: Record<string, unknown> | undefined, address: unknown): ReadEndpoint {
    const labels = fields?.labels;
    const v4 = typeof address === 'string' ? canonicalIPv4(address) : undefined;
    // Labels that are not a list of strings are rare: read them each time.
    if (labels !== undefined && !Array.isArray(labels)) return { endpoint: endpoint(fields, address), v4 };
    if (v4 !== undefined) {
      const cached = this.byV4.get(v4);
      if (
        cached !== undefined &&
        cached.namespace === fields?.namespace &&
        cached.pod === fields?.pod_name &&
        sameEntries(cached.labels, labels)
      )
        return cached;
      if (this.byV4.size >= CACHE_LIMIT) this.byV4.clear();
      const read = entry(fields, address, labels, v4);
      this.byV4.set(v4, read);
      return read;
    }
    // Keyed by the address, else the pod name: what nearly every flow has and tells endpoints apart.
    const key =
      typeof address === 'string'
        ? address
        : typeof fields?.pod_name === 'string'
          ? fields.pod_name
          : undefined;
    if (key === undefined) return { endpoint: endpoint(fields, address), v4 };
    const cached = this.byText.get(key);
    if (
      cached !== undefined &&
      cached.address === address &&
      cached.namespace === fields?.namespace &&
      cached.pod === fields?.pod_name &&
      sameEntries(cached.labels, labels)
    )
      return cached;
    if (this.byText.size >= CACHE_LIMIT) this.byText.clear();
    const read = entry(fields, address, labels, v4);
    this.byText.set(key, read);
    return read;
  }
}

function entry(
  fields: Record<string, unknown> | undefined,
  address: unknown,
  labels: readonly unknown[] | undefined,
  v4: number | undefined,
): Cached {
  return {
    namespace: fields?.namespace,
    pod: fields?.pod_name,
    address,
    labels: labels === undefined ? undefined : [...labels],
    endpoint: endpoint(fields, address),
    v4,
  };
}

function sameEntries(a: readonly unknown[] | undefined, b: readonly unknown[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const entry = a[i];
    // Strings compare by value; anything else (never a label) is not taken as the same.
    if (typeof entry !== 'string' || entry !== b[i]) return false;
  }
  return true;
}

/**
 * One end of a Hubble flow: namespace, pod name, `k8s:` labels (Cilium's own keys left out), the
 * address, and the entity its `reserved:` labels name. Undefined when it names nothing.
 */
function endpoint(fields: Record<string, unknown> | undefined, address: unknown): FlowEndpoint | undefined {
  const result: FlowEndpoint = {};
  const ip = asName(address);
  if (ip) result.ip = ip;
  if (!fields) return ip ? result : undefined;
  const namespace = asName(fields.namespace);
  const pod = asName(fields.pod_name);
  if (namespace) result.namespace = namespace;
  if (pod) result.name = pod;
  const labels: Record<string, string> = {};
  let reserved: string | undefined;
  for (const entry of Array.isArray(fields.labels) ? fields.labels : []) {
    if (typeof entry !== 'string') continue;
    if (entry.startsWith('reserved:')) reserved ??= entry.slice('reserved:'.length).split('=')[0];
    if (!entry.startsWith(K8S_PREFIX)) continue;
    const eq = entry.indexOf('=');
    const key = eq < 0 ? entry.slice(K8S_PREFIX.length) : entry.slice(K8S_PREFIX.length, eq);
    if (!isCiliumKey(key)) labels[key] = eq < 0 ? '' : entry.slice(eq + 1);
  }
  if (Object.keys(labels).length > 0) result.labels = labels;
  else {
    const other = labelsOf(fields.labels);
    if (other && !reserved) result.labels = other;
  }
  if (reserved === 'world') result.entity = 'world';
  else if (reserved === 'host' || reserved === 'remote-node' || reserved === 'kube-apiserver')
    result.entity = 'host';
  else if (pod) result.entity = 'pod';
  return result.ip || result.namespace || result.name || result.labels || result.entity ? result : undefined;
}
