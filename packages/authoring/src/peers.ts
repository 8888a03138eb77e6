import {
  ALL_CONNECTIONS,
  type Cluster,
  type ConnectionSet,
  type Intervals,
  NAMESPACE_NAME_LABEL,
  NO_CONNECTIONS,
  portRangeConnections,
  protocolConnections,
  subtractIntervals,
  unionConnections,
  unionIntervals,
  type WorkloadPeer,
} from '@netpol-atlas/evaluator';
import type { Labels } from '@netpol-atlas/manifests';
import { parseIPv4Block } from './ipRanges.ts';
import type { PeerRef, PortIntent } from './types.ts';

/**
 * Pod-template labels that controllers set per revision, per pod or per run. A selector on them
 * stops matching after the next rollout (or matches one pod only), so peers never use them.
 */
const UNSTABLE_LABEL_KEYS = new Set([
  'pod-template-hash',
  'controller-revision-hash',
  'pod-template-generation',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'job-name',
  'controller-uid',
]);
const UNSTABLE_LABEL_PREFIXES = ['batch.kubernetes.io/'];

/**
 * The labels that identify a workload's pods across rollouts: its pod-template labels minus the
 * ones controllers add per revision or per pod (`pod-template-hash`, `controller-revision-hash`,
 * `job-name`, `batch.kubernetes.io/*`...).
 */
export function stableLabels(labels: Labels): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels)) {
    if (UNSTABLE_LABEL_KEYS.has(key)) continue;
    if (UNSTABLE_LABEL_PREFIXES.some((prefix) => key.startsWith(prefix))) continue;
    out[key] = value;
  }
  return out;
}

/**
 * A key that two workloads share exactly when one selector selects both by these labels: the
 * namespace and the labels in key order. Writers group workloads by it so each selector is
 * written once.
 */
export function selectorKey(namespace: string, labels: Record<string, string>): string {
  return `${namespace}|${JSON.stringify(Object.entries(labels).sort())}`;
}

/** An intent's end resolved against the cluster. */
export type Endpoint =
  | {
      kind: 'workload';
      workload: WorkloadPeer;
      workloads: readonly WorkloadPeer[];
      namespace: string;
      labels: Record<string, string>;
      /** Short name for generated policy names. */
      slug: string;
      text: string;
    }
  | {
      kind: 'namespace';
      workloads: readonly WorkloadPeer[];
      namespace: string;
      slug: string;
      text: string;
    }
  | {
      kind: 'cidr';
      workloads: readonly WorkloadPeer[];
      cidr: string;
      except: string[];
      /** The addresses meant: `cidr` minus the excepts. */
      ranges: Intervals;
      /** The excepts, as address ranges. */
      holes: Intervals;
      slug: string;
      text: string;
    };

/** Why an intent's end could not be resolved. */
export interface EndpointError {
  reason: 'unknown-peer' | 'invalid-input' | 'no-stable-labels' | 'unsupported';
  message: string;
}

/** Resolves a {@link PeerRef} against the cluster. */
export function resolveEndpoint(cluster: Cluster, ref: PeerRef): Endpoint | EndpointError {
  if (ref.kind === 'workload') {
    const workload = cluster.workloads.find((w) => w.id === ref.id);
    if (!workload) return { reason: 'unknown-peer', message: `no workload ${ref.id} in the files` };
    const labels = stableLabels(workload.labels);
    if (Object.keys(labels).length === 0) {
      return {
        reason: 'no-stable-labels',
        message: `${ref.id} has no pod labels a policy could select it by (only per-revision ones, or none): add a label to its pod template`,
      };
    }
    return {
      kind: 'workload',
      workload,
      workloads: [workload],
      namespace: workload.namespace,
      labels,
      slug: workload.name,
      text: workload.id,
    };
  }
  if (ref.kind === 'namespace') {
    if (!cluster.namespaces.has(ref.name)) {
      return { reason: 'unknown-peer', message: `no namespace ${ref.name} in the files` };
    }
    return {
      kind: 'namespace',
      workloads: cluster.workloads.filter((w) => w.namespace === ref.name),
      namespace: ref.name,
      slug: `ns-${ref.name}`,
      text: `namespace ${ref.name}`,
    };
  }
  const block = parseIPv4Block(ref.cidr);
  if (!block) {
    return /:/.test(ref.cidr)
      ? {
          reason: 'unsupported',
          message: `IPv6 block ${ref.cidr}: the evaluator analyses IPv4 only, so the change could not be verified`,
        }
      : { reason: 'invalid-input', message: `${ref.cidr} is not a valid CIDR (e.g. 10.0.0.0/8)` };
  }
  let ranges: Intervals = [block.first, block.last];
  let holes: Intervals = [];
  const except: string[] = [];
  for (const text of ref.except ?? []) {
    const hole = parseIPv4Block(text);
    if (!hole) return { reason: 'invalid-input', message: `except ${text} is not a valid IPv4 CIDR` };
    const strictlyInside =
      hole.first >= block.first &&
      hole.last <= block.last &&
      hole.last - hole.first < block.last - block.first;
    if (!strictlyInside) {
      return { reason: 'invalid-input', message: `except ${text} must lie strictly inside ${block.text}` };
    }
    ranges = subtractIntervals(ranges, [hole.first, hole.last]);
    holes = unionIntervals(holes, [hole.first, hole.last]);
    except.push(hole.text);
  }
  return {
    kind: 'cidr',
    workloads: [],
    cidr: block.text,
    except,
    ranges,
    holes,
    slug: `cidr-${block.text.replace(/[./]/g, '-')}`,
    text: except.length > 0 ? `${block.text} except ${except.join(', ')}` : block.text,
  };
}

/**
 * The rule peer (a `from`/`to` entry) that admits `endpoint`, written for a policy in `policyNamespace`.
 * Namespaces are named by `kubernetes.io/metadata.name`, which only the API server sets: a label
 * users choose could be put on another namespace to get in. A pod peer in another namespace
 * carries both selectors in ONE entry (AND), never two (OR).
 */
export function peerFor(endpoint: Endpoint, policyNamespace: string): Record<string, unknown> {
  if (endpoint.kind === 'cidr') {
    return {
      ipBlock:
        endpoint.except.length > 0
          ? { cidr: endpoint.cidr, except: endpoint.except }
          : { cidr: endpoint.cidr },
    };
  }
  const namespaceSelector = { matchLabels: { [NAMESPACE_NAME_LABEL]: endpoint.namespace } };
  if (endpoint.kind === 'namespace') return { namespaceSelector };
  const podSelector = { matchLabels: { ...endpoint.labels } };
  return endpoint.namespace === policyNamespace ? { podSelector } : { namespaceSelector, podSelector };
}

/** A selector that picks the pods of `labels` (a workload's stable labels). */
export function selectorFor(labels: Record<string, string>): Record<string, unknown> {
  return Object.keys(labels).length === 0 ? {} : { matchLabels: { ...labels } };
}

/** Checks a port intent; returns a message when it is malformed. */
export function checkPortIntent(port: PortIntent): string | undefined {
  if (!['TCP', 'UDP', 'SCTP'].includes(port.protocol)) return `unknown protocol ${String(port.protocol)}`;
  if (typeof port.port === 'string') {
    if (port.endPort !== undefined) return `endPort needs a numeric port, not the named port ${port.port}`;
    const name = port.port;
    const valid =
      name.length > 0 &&
      name.length <= 15 &&
      /^[a-z0-9-]+$/.test(name) &&
      /[a-z]/.test(name) &&
      !name.includes('--') &&
      !name.startsWith('-') &&
      !name.endsWith('-');
    return valid
      ? undefined
      : `${name} is not a valid port name (IANA service name: a-z, 0-9, -; 15 characters at most)`;
  }
  if (port.port === undefined) {
    return port.endPort === undefined ? undefined : 'endPort needs a port';
  }
  if (!Number.isInteger(port.port) || port.port < 1 || port.port > 65535)
    return `port ${port.port} is not 1-65535`;
  if (port.endPort !== undefined) {
    if (!Number.isInteger(port.endPort) || port.endPort < port.port || port.endPort > 65535) {
      return `endPort ${port.endPort} must be a port number not below port ${port.port}`;
    }
  }
  return undefined;
}

/** A port intent with a purely numeric string port read as the number it is. */
export function normalizePortIntent(port: PortIntent): PortIntent {
  if (typeof port.port === 'string' && /^\d+$/.test(port.port)) return { ...port, port: Number(port.port) };
  return port;
}

/** The `ports` entry for a port intent, keys in the order people write them. */
export function portEntry(port: PortIntent): Record<string, unknown> {
  const out: Record<string, unknown> = { protocol: port.protocol };
  if (port.port !== undefined) out.port = port.port;
  if (port.endPort !== undefined && port.endPort !== port.port) out.endPort = port.endPort;
  return out;
}

/** What one port intent means towards `dst` (named ports resolved on its containers; none for addresses). */
export function portIntentConnections(port: PortIntent, dst: WorkloadPeer | undefined): ConnectionSet {
  if (port.port === undefined) return protocolConnections(port.protocol);
  if (typeof port.port === 'number')
    return portRangeConnections(port.protocol, port.port, port.endPort ?? port.port);
  let out = NO_CONNECTIONS;
  for (const cp of dst?.ports ?? []) {
    if (cp.name === port.port && cp.protocol === port.protocol) {
      out = unionConnections(out, portRangeConnections(port.protocol, cp.containerPort, cp.containerPort));
    }
  }
  return out;
}

/** What the intent's ports mean towards `dst`. */
export function requestedConnections(
  ports: readonly PortIntent[] | 'all',
  dst: WorkloadPeer | undefined,
): ConnectionSet {
  if (ports === 'all') return ALL_CONNECTIONS;
  let out = NO_CONNECTIONS;
  for (const port of ports) out = unionConnections(out, portIntentConnections(port, dst));
  return out;
}

/** True when `dst` has a container port with this name and protocol. */
export function definesNamedPort(dst: WorkloadPeer, port: PortIntent): boolean {
  return dst.ports.some((cp) => cp.name === port.port && cp.protocol === port.protocol);
}

const MAX_NAME_LENGTH = 253;

/**
 * A policy name from words (`allow`, `demo`, `to`, `store-api`): lower-case DNS-1123 subdomain,
 * unique among `taken` (a numeric suffix is added when needed).
 */
export function policyName(words: readonly string[], taken: ReadonlySet<string>): string {
  let base = words
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  if (base === '') base = 'policy';
  base = base.slice(0, MAX_NAME_LENGTH - 4).replace(/[^a-z0-9]+$/, '');
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) {
    const name = `${base}-${i}`;
    if (!taken.has(name)) return name;
  }
}
