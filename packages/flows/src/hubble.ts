import type { Protocol } from '@netpol-atlas/evaluator';
import { asName, asObject, labelsOf, type Parsed, portOf, timeOf } from './fields.ts';
import type { FlowEndpoint, FlowRecord, ObservedVerdict } from './types.ts';

/** The record without the line and format, which the reader adds. */
export type RecordBody = Omit<FlowRecord, 'line' | 'format'>;

/** Hubble's label sources: only `k8s:` labels are pod labels; `reserved:` ones name an entity. */
const K8S_PREFIX = 'k8s:';

/** Keys Cilium adds to a pod's identity that are not the pod's own labels. */
function isCiliumKey(key: string): boolean {
  return key === 'io.kubernetes.pod.namespace' || key.startsWith('io.cilium.');
}

/** Hubble verdicts as what happened to the traffic; AUDIT means policy would have dropped it. */
const VERDICTS: Readonly<Record<string, ObservedVerdict>> = {
  FORWARDED: 'forwarded',
  REDIRECTED: 'forwarded',
  TRANSLATED: 'forwarded',
  TRACED: 'forwarded',
  DROPPED: 'dropped',
  AUDIT: 'dropped',
};

/** Lines of `hubble observe -o json` that are not flows. */
const EVENT_KEYS = ['lost_events', 'node_status', 'agent_event', 'debug_event'];

/** True when the object looks like a Hubble flow (or a `GetFlowsResponse` around one). */
export function isHubble(object: Record<string, unknown>): boolean {
  const flow = asObject(object.flow) ?? object;
  return (
    'l4' in flow ||
    'IP' in flow ||
    ('verdict' in flow && ('source' in flow || 'destination' in flow)) ||
    EVENT_KEYS.some((k) => k in object)
  );
}

/**
 * Reads one Hubble flow: `hubble observe -o json`/`jsonpb` print a `GetFlowsResponse` per line
 * (`{"flow": {...}, "node_name": ..., "time": ...}`); a bare `Flow` object is read too. The flow
 * has `source`/`destination` endpoints (namespace, pod_name, labels as `k8s:key=value`),
 * `IP.source`/`IP.destination`, `l4.TCP|UDP|SCTP.destination_port`, `verdict` and `time`.
 */
export function hubbleRecord(object: Record<string, unknown>): Parsed<RecordBody> {
  if (EVENT_KEYS.some((k) => k in object)) return { kind: 'skip', reason: 'event' };
  const flow = asObject(object.flow) ?? object;
  if (flow.is_reply === true) return { kind: 'skip', reason: 'reply' };
  if (flow.Type === 'L7' || flow.type === 'L7') return { kind: 'skip', reason: 'l7' };
  const l4 = asObject(flow.l4);
  if (!l4)
    return {
      kind: 'problem',
      problem: {
        code: 'missing-field',
        field: 'l4',
        message: 'no l4 section: the flow has no protocol and port',
      },
    };
  let protocol: Protocol | undefined;
  let l4Fields: Record<string, unknown> | undefined;
  for (const name of ['TCP', 'UDP', 'SCTP'] as const) {
    const fields = asObject(l4[name]);
    if (fields) {
      protocol = name;
      l4Fields = fields;
    }
  }
  if (!protocol || !l4Fields) return { kind: 'skip', reason: 'protocol' };
  const port = portOf(l4Fields.destination_port);
  if (port === undefined) {
    return {
      kind: 'problem',
      problem: {
        code: 'invalid-field',
        field: `l4.${protocol}.destination_port`,
        message: `l4.${protocol}.destination_port must be a port number 1-65535, not ${JSON.stringify(l4Fields.destination_port)}`,
      },
    };
  }
  const ip = asObject(flow.IP);
  const src = endpoint(asObject(flow.source), ip?.source);
  const dst = endpoint(asObject(flow.destination), ip?.destination);
  if (!src || !dst) {
    const field = src ? 'destination' : 'source';
    return {
      kind: 'problem',
      problem: {
        code: 'missing-field',
        field,
        message: `the ${field} has no namespace, pod, labels or IP address`,
      },
    };
  }
  const time = timeOf(flow.time ?? object.time);
  const verdict = typeof flow.verdict === 'string' ? (VERDICTS[flow.verdict] ?? 'unknown') : 'unknown';
  const value: RecordBody = {
    src,
    dst,
    protocol,
    port,
    verdict,
    count: 1,
    ...(time !== undefined ? { firstSeen: time, lastSeen: time } : {}),
  };
  // The connection's 5-tuple (see connections.ts): each observation of it carries the same.
  const sourcePort = portOf(l4Fields.source_port);
  const from = asName(ip?.source);
  const to = asName(ip?.destination);
  return {
    kind: 'record',
    value,
    connection:
      from !== undefined && to !== undefined && sourcePort !== undefined
        ? { protocol, from, sourcePort, to, port }
        : undefined,
  };
}

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
