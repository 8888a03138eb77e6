/**
 * The lines of a connectivity list, held compactly and sorted without comparing strings per line.
 * 50,000 pods give millions of lines: as one object and one rendered string each, then sorted by
 * string comparison and joined into one text, they took gigabytes and most of the CLI's time.
 * Here a peer id and a connection text are interned once, a line is three integers, and the sort
 * ranks the (few) distinct peers once, then orders the lines by their ranks.
 */

import { compareGo } from './common.ts';
import type { ConnLine } from './types.ts';

/** Lines in print order, read by position: what the formatters loop over. */
export interface LineList {
  readonly size: number;
  src(i: number): string;
  dst(i: number): string;
  conn(i: number): string;
}

/** A table of connection lines in the order they were added. */
export class ConnLines implements Iterable<ConnLine> {
  private readonly ids: string[] = [];
  private readonly idIndex = new Map<string, number>();
  private readonly conns: string[] = [];
  private readonly connIndex = new Map<string, number>();
  /** src, dst, conn per line. */
  private rows = new Int32Array(3 * 1024);
  private count = 0;

  /** A table holding `lines` (any order), for callers that have plain lines. */
  static of(lines: Iterable<ConnLine>): ConnLines {
    if (lines instanceof ConnLines) return lines;
    const table = new ConnLines();
    for (const l of lines) table.add(table.peer(l.src), table.peer(l.dst), table.conn(l.conn));
    return table;
  }

  /** The index of a peer id, interned on first sight. */
  peer(id: string): number {
    let index = this.idIndex.get(id);
    if (index === undefined) {
      index = this.ids.length;
      this.ids.push(id);
      this.idIndex.set(id, index);
    }
    return index;
  }

  /** The index of a connection text, interned on first sight. */
  conn(text: string): number {
    let index = this.connIndex.get(text);
    if (index === undefined) {
      index = this.conns.length;
      this.conns.push(text);
      this.connIndex.set(text, index);
    }
    return index;
  }

  /** Adds a line of interned peers and connection (indexes from {@link peer} and {@link conn}). */
  add(src: number, dst: number, conn: number): void {
    if (3 * this.count + 3 > this.rows.length) {
      const grown = new Int32Array(this.rows.length * 2);
      grown.set(this.rows);
      this.rows = grown;
    }
    const at = 3 * this.count++;
    this.rows[at] = src;
    this.rows[at + 1] = dst;
    this.rows[at + 2] = conn;
  }

  get size(): number {
    return this.count;
  }

  /** Every peer id some line names, in first-seen order. */
  peerIds(): readonly string[] {
    return this.ids;
  }

  *[Symbol.iterator](): Iterator<ConnLine> {
    for (let i = 0; i < this.count; i++) {
      yield {
        src: this.ids[this.rows[3 * i]!]!,
        dst: this.ids[this.rows[3 * i + 1]!]!,
        conn: this.conns[this.rows[3 * i + 2]!]!,
      };
    }
  }

  /**
   * The lines sorted by source, then destination, comparing `key(id)` in Go byte order; lines
   * with equal keys keep the order they were added in (as a stable sort of the lines would), or
   * with `connKey` are ordered by `connKey(conn)`. The keys let dot order its edges as their
   * rendered text sorts (quoted ids, then the quoted label).
   */
  sorted(key: (id: string) => string = (id) => id, connKey?: (conn: string) => string): LineList {
    const rank = this.ranks(key);
    const rows = this.rows;
    const n = this.count;
    // Counting sort by source rank: stable, linear.
    const starts = new Int32Array(this.ids.length + 1);
    for (let i = 0; i < n; i++) starts[rank[rows[3 * i]!]! + 1]!++;
    for (let r = 0; r < this.ids.length; r++) starts[r + 1]! += starts[r]!;
    const order = new Int32Array(n);
    const next = starts.slice(0, this.ids.length);
    for (let i = 0; i < n; i++) order[next[rank[rows[3 * i]!]!]!++] = i;
    // Within a source, by destination rank. The key packs the position in the bucket so that
    // equal ranks keep their order and a plain numeric sort is a stable one.
    const scratch = new Float64Array(n);
    for (let r = 0; r < this.ids.length; r++) {
      const start = starts[r]!;
      const length = starts[r + 1]! - start;
      if (length < 2) continue;
      const keys = scratch.subarray(start, start + length);
      for (let j = 0; j < length; j++) keys[j] = rank[rows[3 * order[start + j]! + 1]!]! * length + j;
      keys.sort();
      const bucket = order.slice(start, start + length);
      for (let j = 0; j < length; j++) order[start + j] = bucket[keys[j]! % length]!;
    }
    if (connKey) this.orderTies(order, rank, this.connRanks(connKey));
    const { ids, conns } = this;
    return {
      size: n,
      src: (i) => ids[rows[3 * order[i]!]!]!,
      dst: (i) => ids[rows[3 * order[i]! + 1]!]!,
      conn: (i) => conns[rows[3 * order[i]! + 2]!]!,
    };
  }

  /** Orders each run of lines with equal source and destination ranks by connection rank. */
  private orderTies(order: Int32Array, rank: Int32Array, connRank: Int32Array): void {
    const rows = this.rows;
    const pair = (i: number) => rank[rows[3 * order[i]!]!]! * rank.length + rank[rows[3 * order[i]! + 1]!]!;
    for (let start = 0; start < this.count; ) {
      let end = start + 1;
      while (end < this.count && pair(end) === pair(start)) end++;
      if (end - start > 1) {
        const run = Array.from(order.subarray(start, end));
        run.sort((a, b) => connRank[rows[3 * a + 2]!]! - connRank[rows[3 * b + 2]!]!);
        order.set(run, start);
      }
      start = end;
    }
  }

  private connRanks(key: (conn: string) => string): Int32Array {
    return rankBy(this.conns.map(key));
  }

  /** Each peer's rank in Go order of `key(id)`; equal keys share a rank. */
  private ranks(key: (id: string) => string): Int32Array {
    return rankBy(this.ids.map(key));
  }
}

/** Each key's rank in Go order; equal keys share a rank. */
function rankBy(keys: readonly string[]): Int32Array {
  const byKey = keys.map((_, i) => i).sort((a, b) => compareGo(keys[a]!, keys[b]!));
  const rank = new Int32Array(keys.length);
  let current = 0;
  for (let k = 0; k < byKey.length; k++) {
    if (k > 0 && keys[byKey[k]!] !== keys[byKey[k - 1]!]) current++;
    rank[byKey[k]!] = current;
  }
  return rank;
}

/** Plain lines, already in print order, read by position. */
export function lineList(lines: readonly ConnLine[]): LineList {
  return {
    size: lines.length,
    src: (i) => lines[i]!.src,
    dst: (i) => lines[i]!.dst,
    conn: (i) => lines[i]!.conn,
  };
}
