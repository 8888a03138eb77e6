import type { Protocol } from '@netpol-atlas/evaluator';
import { asName, asObject, type Parsed, portOf, timeOf } from './fields.ts';
import type { HubbleEndpoints } from './hubbleEndpoints.ts';
import type { FlowRecord, ObservedVerdict } from './types.ts';

/** The record without the line and format, which the reader adds. */
export type RecordBody = Omit<FlowRecord, 'line' | 'format'>;

/** Hubble verdicts as what happened to the traffic; AUDIT means policy would have dropped it. */
const VERDICTS: Readonly<Record<string, ObservedVerdict>> = {
  FORWARDED: 'forwarded',
  REDIRECTED: 'forwarded',
  TRANSLATED: 'forwarded',
  TRACED: 'forwarded',
  DROPPED: 'dropped',
  AUDIT: 'dropped',
};

/** Lines of `hubble observe -o json` that are not flows (`lost_events`, `node_status`, `agent_event`, `debug_event`). */
function isEvent(object: Record<string, unknown>): boolean {
  // Written out rather than a loop over the names: every record of a large file is checked.
  return (
    'lost_events' in object || 'node_status' in object || 'agent_event' in object || 'debug_event' in object
  );
}

/** True when the object looks like a Hubble flow (or a `GetFlowsResponse` around one). */
export function isHubble(object: Record<string, unknown>): boolean {
  const flow = asObject(object.flow) ?? object;
  return (
    'l4' in flow ||
    'IP' in flow ||
    ('verdict' in flow && ('source' in flow || 'destination' in flow)) ||
    isEvent(object)
  );
}

/**
 * Reads one Hubble flow: `hubble observe -o json`/`jsonpb` print a `GetFlowsResponse` per line
 * (`{"flow": {...}, "node_name": ..., "time": ...}`); a bare `Flow` object is read too. The flow
 * has `source`/`destination` endpoints (namespace, pod_name, labels as `k8s:key=value`),
 * `IP.source`/`IP.destination`, `l4.TCP|UDP|SCTP.destination_port`, `verdict` and `time`. Its ends
 * come from `endpoints`, which hands out one object per distinct endpoint.
 */
export function hubbleRecord(
  object: Record<string, unknown>,
  endpoints: HubbleEndpoints,
): Parsed<RecordBody> {
  if (isEvent(object)) return { kind: 'skip', reason: 'event' };
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
  const source = endpoints.read(asObject(flow.source), ip?.source);
  const destination = endpoints.read(asObject(flow.destination), ip?.destination);
  const src = source.endpoint;
  const dst = destination.endpoint;
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
  const value: RecordBody = { src, dst, protocol, port, verdict, count: 1 };
  if (time !== undefined) {
    value.firstSeen = time;
    value.lastSeen = time;
  }
  // The connection's 5-tuple (see connections.ts): each observation of it carries the same.
  const sourcePort = portOf(l4Fields.source_port);
  const from = asName(ip?.source);
  const to = asName(ip?.destination);
  return {
    kind: 'record',
    value,
    connection:
      from !== undefined && to !== undefined && sourcePort !== undefined
        ? { protocol, from, sourcePort, to, port, fromV4: source.v4, toV4: destination.v4 }
        : undefined,
  };
}
