import type { Protocol } from '@netpol-atlas/evaluator';

/** The flow record formats the reader understands. */
export type FlowFormat = 'hubble' | 'calico' | 'csv';

/** What the recording side saw happen to the traffic (Hubble's verdict, Calico's action). */
export type ObservedVerdict = 'forwarded' | 'dropped' | 'unknown';

/**
 * One end of an observed flow, as the record names it. Every field is optional: a record may name
 * a pod, only an address, only labels, or a workload id; the matcher uses what is there.
 */
export interface FlowEndpoint {
  namespace?: string;
  /**
   * A pod name (`frontend-7d9f8b-x2k4j`), a Calico aggregated name (`frontend-7d9f8b-*`) or a
   * workload name: the matcher accepts each.
   */
  name?: string;
  /** A workload id as the analysis writes it (`ns/name[Kind]`), from CSV inputs. */
  workloadId?: string;
  /** The pod's labels (Hubble's `k8s:` prefix and Cilium's own keys already stripped). */
  labels?: Readonly<Record<string, string>>;
  /** An IPv4 or IPv6 address, as written. */
  ip?: string;
  /**
   * What the recorder says this end is, when it says: `world` (outside the cluster), `host` (a
   * node, which policies never govern) or `pod`.
   */
  entity?: 'pod' | 'world' | 'host';
}

/** One observed flow (or an aggregate the recorder already counted). */
export interface FlowRecord {
  /** 1-based line of the input the record came from. */
  line: number;
  format: FlowFormat;
  src: FlowEndpoint;
  dst: FlowEndpoint;
  protocol: Protocol;
  /** The destination port. */
  port: number;
  verdict: ObservedVerdict;
  /** How many connections the record stands for (1 for Hubble; the recorder's count otherwise). */
  count: number;
  /**
   * Another report of a connection a record before already counted (Calico logs each flow at
   * both ends; Hubble sees it at several observation points): it adds its verdict (a drop at the
   * destination) but not its count.
   */
  duplicate?: boolean;
  /** When it was seen first and last, milliseconds since the epoch (absent when the record has no time). */
  firstSeen?: number;
  lastSeen?: number;
}

/** A problem with one line of input; the rest of the input still loads. */
export interface FlowDiagnostic {
  /** Stable code a script can match on. */
  code: FlowDiagnosticCode;
  severity: 'error' | 'warning';
  message: string;
  /** 1-based line of the input. */
  line: number;
  /** The field the problem is in, when it is one field (`l4`, `source.namespace`, `port`). */
  field?: string;
}

/** The codes of {@link FlowDiagnostic}. */
export type FlowDiagnosticCode =
  /** The line is not valid JSON (often a line cut short). */
  | 'invalid-json'
  /** The line is JSON but no known flow format (no Hubble or Calico fields). */
  | 'unknown-format'
  /** The line is in another format than the lines before it. */
  | 'mixed-formats'
  /** A required field is missing (both ends, the port). */
  | 'missing-field'
  /** A field has a value of the wrong type or out of range. */
  | 'invalid-field'
  /** A CSV header names a column the reader does not know (the column is ignored). */
  | 'unknown-column'
  /** A CSV row has a different number of cells than the header. */
  | 'column-count'
  /** A record's time is well before the latest one already read, or ends before it starts. */
  | 'clock-skew';

/** Records the reader read but did not turn into flows, by reason: counted, never dropped silently. */
export interface SkippedRecords {
  /** Reply halves of connections (Hubble `is_reply`): the request half is the flow. */
  reply: number;
  /** L7 events (Hubble `Type: L7`) repeat the L4 flow they ride on. */
  l7: number;
  /** Protocols NetworkPolicy does not govern (ICMP, others). */
  protocol: number;
  /** Non-flow events (agent, debug, lost-events notices). */
  event: number;
  /**
   * Further observations of a connection already counted, adding nothing (Hubble sees one
   * connection at several points and nodes: see the reader's rule). Optional so that records
   * written before it existed still type-check; the reader always sets it.
   */
  repeat?: number;
}

export type { Protocol };
