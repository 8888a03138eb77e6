// The iterator behind Analysis.connections(): workload pairs source by source (see pairRows.ts),
// then address ranges as sources, then address ranges and domain names as destinations.

import type { Memo, SideClass } from './analysisMemo.ts';
import type { ConnectionSet } from './connectionSet.ts';
import { EMPTY_ID } from './internedSets.ts';
import type { ExternalPeer, Peer, WorkloadPeer } from './model.ts';
import { type CompactArray, PairRows } from './pairRows.ts';

/** One allowed connection between two peers. */
export interface Connection {
  src: Peer;
  dst: Peer;
  conn: ConnectionSet;
}

/** Per side class, its interned results towards every external peer of one list. */
export type ExternalRow = (c: SideClass) => Int32Array;

/** What the iterator reads of an analysis besides the memo. */
export interface ConnectionSource {
  memo: Memo;
  workloads: readonly WorkloadPeer[];
  egressOf: readonly SideClass[];
  ingressOf: readonly SideClass[];
  ingressExternals: readonly ExternalPeer[];
  egressExternals: readonly ExternalPeer[];
  domainExternals: readonly ExternalPeer[];
  fromRow: ExternalRow;
  toRow: ExternalRow;
  domainRow: ExternalRow;
}

const NO_PAIRS: CompactArray = new Uint16Array(0);
const NO_IDS = new Int32Array(0);

/** The stages of the list, in order: what `advance` lists next. */
const PAIRS = 0;
const FROM_EXTERNAL = 1;
const TO_EXTERNAL = 2;
const TO_DOMAIN = 3;
const DONE = 4;

/**
 * Every non-empty connection, in the order Analysis.connections() documents. One iterator object
 * for every stage, rather than generators chained together: a generator saves and restores its
 * live locals at every yield, and a chain passes each item through every link, which costs more
 * than the connection itself when there are millions. Nothing is computed before the first
 * connection is asked for.
 */
export class ConnectionList implements IterableIterator<Connection> {
  private stage = PAIRS;
  private rows: PairRows | undefined;
  /** The source being listed: a workload index (or an external index while sources are ranges). */
  private source = -1;
  private src: Peer | undefined;
  /** A row of workload pairs, flattened (destination, interned set), and the next entry in it. */
  private pairs: CompactArray = NO_PAIRS;
  /** Or: interned sets by destination index in `peers`. */
  private ids: Int32Array = NO_IDS;
  private peers: readonly Peer[] = [];
  private at = 0;
  private readonly list: readonly ConnectionSet[];
  /**
   * The one result object every `next()` returns, refilled: a reader takes the value before it
   * asks for the next one (for-of, spreading, Array.from), and millions of pairs are millions
   * fewer objects to collect.
   */
  private readonly result: { value: Connection | undefined; done: boolean } = {
    value: undefined,
    done: false,
  };

  constructor(private readonly from: ConnectionSource) {
    this.list = from.memo.sets.list;
  }

  [Symbol.iterator](): this {
    return this;
  }

  next(): IteratorResult<Connection> {
    const { result, list } = this;
    for (;;) {
      const pairs = this.pairs;
      while (this.at < pairs.length) {
        const d = pairs[this.at]!;
        const id = pairs[this.at + 1]!;
        this.at += 2;
        if (d !== this.source) {
          result.value = { src: this.src!, dst: this.from.workloads[d]!, conn: list[id]! };
          return result as IteratorResult<Connection>;
        }
      }
      const ids = this.ids;
      while (this.at < ids.length) {
        const id = ids[this.at]!;
        const k = this.at++;
        if (id !== EMPTY_ID) {
          result.value = { src: this.src!, dst: this.peers[k]!, conn: list[id]! };
          return result as IteratorResult<Connection>;
        }
      }
      if (!this.advance()) {
        result.value = undefined;
        result.done = true;
        return result as IteratorResult<Connection>;
      }
    }
  }

  /** Moves to the next source's row; false when every connection was listed. */
  private advance(): boolean {
    const { from } = this;
    const n = from.workloads.length;
    this.at = 0;
    this.pairs = NO_PAIRS;
    this.ids = NO_IDS;
    for (;;) {
      this.source++;
      switch (this.stage) {
        case PAIRS:
          if (this.source < n) {
            this.rows ??= new PairRows(from.memo, from.egressOf, from.ingressOf);
            this.src = from.workloads[this.source];
            this.pairs = this.rows.rowOf(this.source);
            return true;
          }
          this.rows = undefined;
          break;
        case FROM_EXTERNAL:
          if (this.source < from.ingressExternals.length) {
            this.src = from.ingressExternals[this.source];
            this.peers = from.workloads;
            this.ids = fromExternalRow(from, this.source);
            return true;
          }
          break;
        case TO_EXTERNAL:
        case TO_DOMAIN:
          if (this.source < n) {
            const toDomain = this.stage === TO_DOMAIN;
            this.src = from.workloads[this.source];
            this.peers = toDomain ? from.domainExternals : from.egressExternals;
            this.ids = (toDomain ? from.domainRow : from.toRow)(from.egressOf[this.source]!);
            return true;
          }
          break;
        case DONE:
          return false;
      }
      this.stage++;
      this.source = -1;
      // A workload's own pair is skipped by index: ranges as sources have no index to meet.
      if (this.stage !== PAIRS) this.src = undefined;
    }
  }
}

/** What external source `e` reaches, by destination workload. */
function fromExternalRow(from: ConnectionSource, e: number): Int32Array {
  const { ingressOf, fromRow } = from;
  const out = new Int32Array(ingressOf.length);
  for (let d = 0; d < out.length; d++) out[d] = fromRow(ingressOf[d]!)[e]!;
  return out;
}
