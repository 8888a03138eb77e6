/**
 * Counting each Hubble connection once.
 *
 * Hubble emits an event each time a packet passes an observation point, and one connection's
 * request packets pass several: on the source's node it leaves the pod (`trace_observation_point`
 * FROM_ENDPOINT, `traffic_direction` EGRESS), meets the egress policy (a policy-verdict event,
 * `event_type.type` 5) and goes to the overlay or the stack (TO_OVERLAY, TO_STACK); on the
 * destination's node (another `node_name`) it arrives (FROM_OVERLAY, FROM_NETWORK), meets the
 * ingress policy (INGRESS) and enters the pod (TO_ENDPOINT); a drop is a drop event (type 1) at
 * either side; and without monitor aggregation every later packet of the connection is traced
 * again. The answers (`is_reply`) are skipped before this.
 *
 * Counting only one observation point (say the source's EGRESS) would lose connections whose
 * source Hubble does not see (from outside the cluster, from a node outside the capture, a
 * single-node `hubble observe`, a drop before that point). What every observation of a request
 * packet shares, whatever the point, node or event type, is the connection's 5-tuple: protocol,
 * source address and port, destination address and port (Cilium reports addresses after service
 * translation, and the client's ephemeral port tells two connections between the same pods
 * apart). So the rule is: a record whose 5-tuple was seen less than {@link CONNECTION_GAP_MS}
 * before (or after: nodes' clocks and the relay's merge are not exact) is another observation of
 * that connection. A longer silence can be a new connection reusing the tuple: Linux holds a
 * closed connection's tuple in TIME_WAIT for 60 s before its port can be reused for the same
 * destination. A record without ports or addresses has no identity and counts by itself.
 *
 * A repeat that adds nothing is skipped (counted in `skipped.repeat`); a repeat that reports a
 * drop the connection did not have yet (forwarded by the source's node, dropped by the
 * destination's ingress policy) is read as a duplicate record: its drop counts, its connection
 * does not (as with Calico's two reporters).
 */

import type { Protocol } from '@netpol-atlas/evaluator';
import { canonicalIPv4, TupleTable } from './tupleTable.ts';

/** A tuple silent this long may start a new connection (Linux's TIME_WAIT). */
const CONNECTION_GAP_MS = 60_000;

/** Tuples remembered at most; past this the oldest are forgotten (a bounded table for any file). */
const TRACKED_LIMIT = 200_000;

/**
 * Times are kept relative to the first record's, less this (about 3 days of clock skew), so that
 * a tuple's entry is a small integer (time * 2 + dropped).
 */
const ORIGIN_OFFSET_MS = 2 ** 28;

const PROTOCOL_CODE: Readonly<Record<Protocol, number>> = { TCP: 0, UDP: 1, SCTP: 2 };

/** What identifies a connection: its protocol, both addresses (as written) and both ports. */
export interface ConnectionTuple {
  protocol: Protocol;
  from: string;
  sourcePort: number;
  to: string;
  port: number;
  /**
   * `canonicalIPv4(from)` and `canonicalIPv4(to)` when the reader already has them (it reads
   * each distinct endpoint once); computed here when absent.
   */
  fromV4?: number | undefined;
  toV4?: number | undefined;
}

/** What an observation adds to the connection it belongs to. */
type Observation =
  /** The first observation of a connection: it counts. */
  | 'new'
  /** A repeat that adds a verdict not recorded yet (the destination dropped it): a duplicate. */
  | 'verdict'
  /** A repeat that adds nothing: skipped. */
  | 'repeat';

/**
 * One generation's sightings: IPv4 tuples in a {@link TupleTable} (no allocation per record),
 * others (IPv6) under a string key.
 */
class Sightings {
  readonly v4 = new TupleTable();
  readonly other = new Map<string, number>();

  get size(): number {
    return this.v4.size + this.other.size;
  }

  clear(): void {
    this.v4.clear();
    this.other.clear();
  }
}

/**
 * The connections of one file, by 5-tuple, for the rule above. Two generations of sightings: a
 * new one starts every {@link CONNECTION_GAP_MS} of record time (or at half the size limit) and
 * the one before the last is forgotten, so a tuple is remembered at least as long as the rule
 * needs and the table stays bounded, at O(1) a record.
 */
export class ConnectionTracker {
  /** Tuple -> (time since the origin) * 2 + (1 when a drop was recorded). */
  private current = new Sightings();
  private previous = new Sightings();
  /** Records without a time: a tuple is one connection as long as it is remembered. */
  private readonly untimed = new Map<string, boolean>();
  private origin: number | undefined;
  /** The latest record time, and when the current generation began (both since the origin). */
  private latest = 0;
  private generationStart = 0;
  private readonly limit: number;

  /** `limit`: tuples remembered at most (200,000; smaller in tests). */
  constructor(limit = TRACKED_LIMIT) {
    this.limit = limit;
  }

  /** Classifies one observation of `tuple` at `time` (ms; undefined when the record has none). */
  observe(tuple: ConnectionTuple, time: number | undefined, dropped: boolean): Observation {
    if (time === undefined) return this.observeUntimed(tupleText(tuple), dropped);
    this.origin ??= time - ORIGIN_OFFSET_MS;
    const at = time - this.origin;
    if (at > this.latest) this.latest = at;
    if (this.latest - this.generationStart >= CONNECTION_GAP_MS || this.current.size >= this.limit / 2) {
      const forgotten = this.previous;
      this.previous = this.current;
      forgotten.clear();
      this.current = forgotten;
      this.generationStart = this.latest;
    }
    const bit = dropped ? 1 : 0;
    const from = 'fromV4' in tuple ? tuple.fromV4 : canonicalIPv4(tuple.from);
    const to = from === undefined ? undefined : 'toV4' in tuple ? tuple.toV4 : canonicalIPv4(tuple.to);
    if (from !== undefined && to !== undefined) {
      // Both ports in one word (16 bits each), the protocol in another.
      const ports = (tuple.sourcePort << 16) | tuple.port;
      const protocol = PROTOCOL_CODE[tuple.protocol];
      // One probe of the current generation for both the lookup and the store.
      const table = this.current.v4;
      const slot = table.locate(from, to, ports, protocol);
      const code = slot >= 0 ? table.valueAt(slot) : this.previous.v4.get(from, to, ports, protocol);
      const seen = classify(code, at, dropped);
      const next = nextCode(seen, code, at, bit);
      if (slot >= 0) table.setAt(slot, next);
      else table.insertAt(slot, from, to, ports, protocol, next);
      return seen;
    }
    const text = tupleText(tuple);
    const code = this.current.other.get(text) ?? this.previous.other.get(text);
    const seen = classify(code, at, dropped);
    this.current.other.set(text, nextCode(seen, code, at, bit));
    return seen;
  }

  private observeUntimed(tuple: string, dropped: boolean): Observation {
    const wasDropped = this.untimed.get(tuple);
    if (wasDropped === undefined) {
      if (this.untimed.size >= this.limit) this.untimed.clear();
      this.untimed.set(tuple, dropped);
      return 'new';
    }
    if (dropped && !wasDropped) {
      this.untimed.set(tuple, true);
      return 'verdict';
    }
    return 'repeat';
  }
}

/** A sighting within the gap is the same connection; the first one, or one after a silence, a new one. */
function classify(code: number | undefined, at: number, dropped: boolean): Observation {
  if (code === undefined) return 'new';
  const seen = Math.floor(code / 2);
  if (Math.abs(at - seen) >= CONNECTION_GAP_MS) return 'new';
  const wasDropped = code - seen * 2 === 1;
  return dropped && !wasDropped ? 'verdict' : 'repeat';
}

/** The entry once an observation classified as `seen` is added: a drop once recorded stays. */
function nextCode(seen: Observation, code: number | undefined, at: number, bit: number): number {
  if (seen === 'new' || code === undefined) return at * 2 + bit;
  const time = Math.floor(code / 2);
  return Math.max(at, time) * 2 + Math.max(code - time * 2, bit);
}

function tupleText(tuple: ConnectionTuple): string {
  return `${tuple.protocol} ${tuple.from} ${tuple.sourcePort} ${tuple.to} ${tuple.port}`;
}
