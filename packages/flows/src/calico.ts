import { asName, asObject, countOf, labelsOf, type Parsed, portOf, protocolOf, timeOf } from './fields.ts';
import type { RecordBody } from './hubble.ts';
import type { FlowEndpoint, ObservedVerdict } from './types.ts';

/**
 * Field names compared without case or underscores, so one reader takes the flow-log files'
 * `dest_name_aggr`, the flow-logs API's protobuf JSON (`destName`, `Key.dest_port`) and its
 * console's `dest_name` alike.
 */
function normalised(object: Record<string, unknown>): Map<string, unknown> {
  const fields = new Map<string, unknown>();
  const add = (o: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(o)) fields.set(k.replace(/_/g, '').toLowerCase(), v);
  };
  add(object);
  // The flow-logs API nests the identifying fields in `Key`.
  const key = asObject(object.Key) ?? asObject(object.key);
  if (key) add(key);
  return fields;
}

/** True when the object has Calico's flow fields (after unwrapping a `FlowResult`'s `flow`). */
export function isCalico(object: Record<string, unknown>): boolean {
  const fields = normalised(asObject(object.flow) ?? object);
  return (
    fields.has('destport') &&
    (fields.has('sourcename') || fields.has('sourcenameaggr') || fields.has('sourceip'))
  );
}

/** Calico endpoint types: a pod, a host, a network set, or a network outside the cluster. */
function entityOf(type: unknown): FlowEndpoint['entity'] | undefined {
  const text = String(type ?? '').toLowerCase();
  if (text === 'wep' || text === 'workloadendpoint') return 'pod';
  if (text === 'hep' || text === 'hostendpoint') return 'host';
  if (text === 'net' || text === 'network') return 'world';
  return undefined;
}

function endpoint(fields: Map<string, unknown>, side: 'source' | 'dest'): FlowEndpoint {
  const result: FlowEndpoint = {};
  const namespace = asName(fields.get(`${side}namespace`));
  // The pod when the log has it, else the aggregated name (`frontend-7d9f8b-*`).
  const name = asName(fields.get(`${side}name`)) ?? asName(fields.get(`${side}nameaggr`));
  const ip = asName(fields.get(`${side}ip`));
  const labels = labelsOf(fields.get(`${side}labels`));
  const entity = entityOf(fields.get(`${side}type`));
  if (namespace) result.namespace = namespace;
  // `pub`/`pvt` name a network, not a pod.
  if (name && entity !== 'world') result.name = name;
  if (ip) result.ip = ip;
  if (labels) result.labels = labels;
  if (entity) result.entity = entity;
  return result;
}

const ACTIONS: Readonly<Record<string, ObservedVerdict>> = { allow: 'forwarded', deny: 'dropped' };

/**
 * Reads one Calico flow: a line of the flow-log files (`source_name`, `source_name_aggr`,
 * `source_namespace`, `source_ip`, `source_type`, `source_labels`, the `dest_*` twins, `dest_port`,
 * `proto`, `action`, `start_time`, `end_time`, `num_flows`), or a flow of the flow-logs API
 * (Goldmane: `Key` with the same names, `start_time`, `end_time`, `num_connections_started`),
 * also when wrapped in a `FlowResult` (`{"id":..,"flow":{..}}`).
 */
export function calicoRecord(object: Record<string, unknown>): Parsed<RecordBody> {
  const fields = normalised(asObject(object.flow) ?? object);
  const protocolText = fields.get('proto') ?? fields.get('protocol');
  if (protocolText === undefined) {
    return {
      kind: 'problem',
      problem: { code: 'missing-field', field: 'proto', message: 'no proto field: the flow has no protocol' },
    };
  }
  const protocol = protocolOf(protocolText);
  if (!protocol) return { kind: 'skip', reason: 'protocol' };
  const port = portOf(fields.get('destport'));
  if (port === undefined) {
    return {
      kind: 'problem',
      problem: {
        code: 'invalid-field',
        field: 'dest_port',
        message: `dest_port must be a port number 1-65535, not ${JSON.stringify(fields.get('destport'))}`,
      },
    };
  }
  const action = String(fields.get('action') ?? '').toLowerCase();
  const start = timeOf(fields.get('starttime'));
  const end = timeOf(fields.get('endtime')) ?? start;
  // Connections the record counts: started in its interval, else however many it aggregates.
  const count =
    [fields.get('numflowsstarted'), fields.get('numconnectionsstarted'), fields.get('numflows')]
      .map(countOf)
      .find((n) => n !== undefined && n > 0) ?? 1;
  const src = endpoint(fields, 'source');
  const reporter = String(fields.get('reporter') ?? '').toLowerCase();
  return {
    kind: 'record',
    value: {
      src,
      dst: endpoint(fields, 'dest'),
      protocol,
      port,
      verdict: ACTIONS[action] ?? 'unknown',
      count,
      // A pod source reports the connection itself (reporter src), so the destination's record repeats it.
      ...(reporter === 'dst' && src.entity === 'pod' ? { duplicate: true } : {}),
      ...(start !== undefined ? { firstSeen: start, lastSeen: end ?? start } : {}),
    },
  };
}
