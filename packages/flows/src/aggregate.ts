import { type Cluster, formatIPv4, type Protocol, type WorkloadPeer } from '@netpol-atlas/evaluator';
import { type EndpointMatch, type MatchedBy, type UnmatchedReason, WorkloadMatcher } from './match.ts';
import { TupleTable } from './tupleTable.ts';
import type { FlowEndpoint, FlowFormat, FlowRecord } from './types.ts';

/** One end of an aggregated flow: a workload, or an address outside the cluster's pods. */
export type FlowEnd =
  | { kind: 'workload'; workload: WorkloadPeer; by: MatchedBy }
  | { kind: 'external'; address: number };

/** Observed traffic between two ends on one protocol and port, summed over its records. */
export interface AggregatedFlow {
  /** `src -> dst protocol/port` with workload ids and addresses: the same for any workspace. */
  key: string;
  src: FlowEnd;
  dst: FlowEnd;
  protocol: Protocol;
  port: number;
  /** Connections the records stand for (records, or the recorder's own counts). */
  count: number;
  /** Of which the recorder saw forwarded / dropped (the rest did not say). */
  forwarded: number;
  dropped: number;
  firstSeen: number | undefined;
  lastSeen: number | undefined;
  /** The first line that contributed. */
  line: number;
}

/** Records whose ends matched nothing a policy decides, grouped by what they name and why. */
export interface UnmatchedFlow {
  /** The end that did not match; both when neither is a workload. */
  side: 'source' | 'destination' | 'both';
  reason: UnmatchedReason;
  src: string;
  dst: string;
  protocol: Protocol;
  port: number;
  count: number;
  line: number;
}

const PROTOCOL_INDEX: Readonly<Record<Protocol, number>> = { TCP: 0, UDP: 1, SCTP: 2 };

/** A flow's counters in {@link FlowAggregator}'s stats: 8 numbers (64 bytes, a cache line) a flow. */
const STATS_STRIDE = 8;
const STAT_COUNT = 0;
const STAT_FORWARDED = 1;
const STAT_DROPPED = 2;
const STAT_FIRST_SEEN = 3;
const STAT_LAST_SEEN = 4;

/** Hubble endpoints remembered by identity; past this the table starts over. */
const ENDS_LIMIT = 100_000;

/** One end of a record resolved: its match, and a dense id of the end (-1 when unmatched). */
interface End {
  match: EndpointMatch;
  id: number;
}

/** Distinct unmatched groups listed; past this they are still counted. */
const UNMATCHED_LIST_LIMIT = 1000;

/**
 * Aggregates flow records per (source, destination, protocol, port), the ends matched to the
 * workloads of one cluster ({@link WorkloadMatcher}). Records that match nothing are counted and
 * grouped in {@link unmatched}, never dropped silently.
 */
export class FlowAggregator {
  private readonly matcher: WorkloadMatcher;
  /** Hubble endpoints (shared objects, see HubbleEndpoints) -> their match and end. */
  private readonly ends = new Map<FlowEndpoint, End>();
  /** Dense ids of the ends seen: a workload, or an address outside the cluster. */
  private readonly workloadIds = new Map<WorkloadPeer, number>();
  private readonly addressIds = new Map<number, number>();
  /** (source end id, destination end id, protocol and port) -> the flow's index in {@link flowList}. */
  private readonly flowIndex = new TupleTable();
  private readonly flowList: AggregatedFlow[] = [];
  /**
   * The counters of each flow, {@link STATS_STRIDE} numbers a flow (a cache line) in flowList's
   * order; written into the flow objects when they are asked for ({@link flows}). A record adds
   * to one flow picked at random among thousands: in one line, that is one cache miss, where the
   * object's fields and the boxes of its times were three.
   */
  private stats = new Float64Array(1024 * STATS_STRIDE);
  private readonly unmatchedByKey = new Map<string, UnmatchedFlow>();
  /** Records (and the connections they stand for) read, and of them unmatched. */
  records = 0;
  connections = 0;
  unmatchedRecords = 0;
  unmatchedConnections = 0;

  constructor(cluster: Cluster) {
    this.matcher = new WorkloadMatcher(cluster);
  }

  /** Adds one record. */
  add(record: FlowRecord): void {
    this.records++;
    // A duplicate report adds its verdict, not its connections.
    const count = record.duplicate ? 0 : record.count;
    const dropped = record.verdict === 'dropped' ? record.count : 0;
    this.connections += count;
    const src = this.end(record.src, record.format);
    const dst = this.end(record.dst, record.format);
    if (src.id < 0 || dst.id < 0 || (src.match.kind === 'external' && dst.match.kind === 'external')) {
      this.addUnmatched(record, src.match, dst.match);
      return;
    }
    // Numbers, not strings, on the per-record path: the ends' ids, the protocol and port.
    const protocolPort = PROTOCOL_INDEX[record.protocol] * 65536 + record.port;
    const located = this.flowIndex.locate(src.id, dst.id, protocolPort, 0);
    const forwarded = record.verdict === 'forwarded' ? count : 0;
    // An absent time is NaN in the stats (a record's time is always a finite number).
    const firstSeen = record.firstSeen ?? NaN;
    const lastSeen = record.lastSeen ?? NaN;
    if (located < 0) {
      const from = src.match as FlowEnd;
      const to = dst.match as FlowEnd;
      const index = this.flowList.length;
      this.flowList.push({
        key: `${endKey(from)} -> ${endKey(to)} ${record.protocol}/${record.port}`,
        src: from,
        dst: to,
        protocol: record.protocol,
        port: record.port,
        count,
        forwarded,
        dropped,
        firstSeen: record.firstSeen,
        lastSeen: record.lastSeen,
        line: record.line,
      });
      this.flowIndex.insertAt(located, src.id, dst.id, protocolPort, 0, index);
      const at = index * STATS_STRIDE;
      if (at + STATS_STRIDE > this.stats.length) {
        const grown = new Float64Array(this.stats.length * 2);
        grown.set(this.stats);
        this.stats = grown;
      }
      const stats = this.stats;
      stats[at + STAT_COUNT] = count;
      stats[at + STAT_FORWARDED] = forwarded;
      stats[at + STAT_DROPPED] = dropped;
      stats[at + STAT_FIRST_SEEN] = firstSeen;
      stats[at + STAT_LAST_SEEN] = lastSeen;
      return;
    }
    const stats = this.stats;
    const at = this.flowIndex.valueAt(located) * STATS_STRIDE;
    stats[at + STAT_COUNT]! += count;
    stats[at + STAT_FORWARDED]! += forwarded;
    stats[at + STAT_DROPPED]! += dropped;
    // Widened when unset (NaN) or exceeded: `!(a <= b)` holds for a NaN.
    if (!(stats[at + STAT_FIRST_SEEN]! <= firstSeen)) {
      if (!Number.isNaN(firstSeen)) stats[at + STAT_FIRST_SEEN] = firstSeen;
    }
    if (!(stats[at + STAT_LAST_SEEN]! >= lastSeen)) {
      if (!Number.isNaN(lastSeen)) stats[at + STAT_LAST_SEEN] = lastSeen;
    }
  }

  /**
   * The match of one end and its id. Hubble's reader hands out one object per distinct endpoint,
   * so its ends are remembered by identity (one lookup a record); other formats build an
   * endpoint per record, which the matcher remembers by content.
   */
  private end(endpoint: FlowEndpoint, format: FlowFormat): End {
    if (format === 'hubble') {
      const known = this.ends.get(endpoint);
      if (known) return known;
    }
    const match = this.matcher.match(endpoint);
    const end: End = { match, id: this.endId(match) };
    if (format === 'hubble') {
      if (this.ends.size >= ENDS_LIMIT) this.ends.clear();
      this.ends.set(endpoint, end);
    }
    return end;
  }

  /** The same id for the same workload or address, whatever endpoint named it; -1 when unmatched. */
  private endId(match: EndpointMatch): number {
    if (match.kind === 'unmatched') return -1;
    const ids: Map<WorkloadPeer | number, number> =
      match.kind === 'workload' ? this.workloadIds : this.addressIds;
    const of = match.kind === 'workload' ? match.workload : match.address;
    let id = ids.get(of);
    if (id === undefined) {
      id = this.workloadIds.size + this.addressIds.size;
      ids.set(of, id);
    }
    return id;
  }

  /** The aggregated flows, in a stable order (by key). */
  flows(): AggregatedFlow[] {
    const stats = this.stats;
    for (let i = 0; i < this.flowList.length; i++) {
      const flow = this.flowList[i]!;
      const at = i * STATS_STRIDE;
      flow.count = stats[at + STAT_COUNT]!;
      flow.forwarded = stats[at + STAT_FORWARDED]!;
      flow.dropped = stats[at + STAT_DROPPED]!;
      flow.firstSeen = timeOrUndefined(stats[at + STAT_FIRST_SEEN]!);
      flow.lastSeen = timeOrUndefined(stats[at + STAT_LAST_SEEN]!);
    }
    return [...this.flowList].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** The unmatched groups (up to 1000, most connections first), and how many groups there were. */
  unmatched(): { groups: UnmatchedFlow[]; total: number } {
    const groups = [...this.unmatchedByKey.values()].sort((a, b) => b.count - a.count || a.line - b.line);
    return { groups, total: this.unmatchedGroups };
  }

  private unmatchedGroups = 0;

  private addUnmatched(record: FlowRecord, src: EndpointMatch, dst: EndpointMatch): void {
    const count = record.duplicate ? 0 : record.count;
    this.unmatchedRecords++;
    this.unmatchedConnections += count;
    const side =
      src.kind === 'unmatched' && dst.kind === 'unmatched'
        ? 'both'
        : src.kind === 'unmatched'
          ? 'source'
          : dst.kind === 'unmatched'
            ? 'destination'
            : 'both';
    const reason =
      src.kind === 'unmatched' ? src.reason : dst.kind === 'unmatched' ? dst.reason : 'no-workload';
    const srcText = describe(record.src, src);
    const dstText = describe(record.dst, dst);
    const key = `${side}\u0000${reason}\u0000${srcText}\u0000${dstText}\u0000${record.protocol}/${record.port}`;
    const group = this.unmatchedByKey.get(key);
    if (group) {
      group.count += count;
      return;
    }
    this.unmatchedGroups++;
    if (this.unmatchedByKey.size >= UNMATCHED_LIST_LIMIT) return;
    this.unmatchedByKey.set(key, {
      side,
      reason,
      src: srcText,
      dst: dstText,
      protocol: record.protocol,
      port: record.port,
      count,
      line: record.line,
    });
  }
}

function timeOrUndefined(time: number): number | undefined {
  return Number.isNaN(time) ? undefined : time;
}

/** A key for one end that does not depend on the policies (workload id, or the address). */
function endKey(end: FlowEnd): string {
  return end.kind === 'workload' ? end.workload.id : formatIPv4(end.address);
}

/** What a record names for one end, for the unmatched list (the workload when it matched). */
function describe(endpoint: FlowEndpoint, match: EndpointMatch): string {
  if (match.kind === 'workload') return match.workload.id;
  if (match.kind === 'external') return formatIPv4(match.address);
  const name =
    endpoint.namespace !== undefined && endpoint.name !== undefined
      ? `${endpoint.namespace}/${endpoint.name}`
      : undefined;
  const labels = endpoint.labels
    ? `{${Object.entries(endpoint.labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(',')}}`
    : undefined;
  const parts = [
    endpoint.workloadId ??
      name ??
      (endpoint.namespace !== undefined && labels ? `${endpoint.namespace}/${labels}` : endpoint.namespace),
    endpoint.ip,
    endpoint.entity === 'host' ? '(host)' : endpoint.entity === 'world' ? '(world)' : undefined,
  ];
  return parts.filter((p) => p !== undefined).join(' ') || '(unknown)';
}
