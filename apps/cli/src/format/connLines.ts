/**
 * The lines of a connectivity list, held compactly and sorted without comparing strings per line.
 * 50,000 pods give millions of lines: as one object and one rendered string each, then sorted by
 * string comparison and joined into one text, they took gigabytes and most of the CLI's time.
 * Here a peer id and a connection text are interned once, a line is three integers, and the sort
 * ranks the (few) distinct peers once, then orders the lines by their ranks.
 */

import { compareGo } from './common.ts';
import type { ConnLine } from './types.ts';

/** Lines a block of a {@link ConnLines} holds (a power of two). */
const BLOCK_BITS = 16;
const BLOCK_LINES = 1 << BLOCK_BITS;
const BLOCK_MASK = BLOCK_LINES - 1;

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
  /**
   * src, dst, conn per line, {@link BLOCK_LINES} lines a block (the first grows to it). Blocks,
   * rather than one array doubled: every array copied away stays counted as memory in use until
   * a full collection, and tens of megabytes of them made V8 collect the whole heap, twice a list.
   */
  private readonly blocks: Int32Array[] = [new Int32Array(3 * 1024)];
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
    const line = this.count++;
    let block = this.blocks[line >>> BLOCK_BITS];
    const at = 3 * (line & BLOCK_MASK);
    if (block === undefined) {
      block = new Int32Array(3 * BLOCK_LINES);
      this.blocks.push(block);
    } else if (at === block.length) {
      // Only the first block grows: a small table stays small.
      const grown = new Int32Array(2 * block.length);
      grown.set(block);
      this.blocks[0] = block = grown;
    }
    block[at] = src;
    block[at + 1] = dst;
    block[at + 2] = conn;
  }

  /** Column `column` (0: source, 1: destination, 2: connection) of line `line`. */
  private field(line: number, column: number): number {
    return this.blocks[line >>> BLOCK_BITS]![3 * (line & BLOCK_MASK) + column]!;
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
        src: this.ids[this.field(i, 0)]!,
        dst: this.ids[this.field(i, 1)]!,
        conn: this.conns[this.field(i, 2)]!,
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
    const order = this.orderBySource(rank);
    this.orderBuckets(order, rank);
    if (connKey) this.orderTies(order, rank, this.connRanks(connKey));
    const { ids, conns } = this;
    return {
      size: this.count,
      src: (i) => ids[this.field(order[i]!, 0)]!,
      dst: (i) => ids[this.field(order[i]!, 1)]!,
      conn: (i) => conns[this.field(order[i]!, 2)]!,
    };
  }

  /** The lines by source rank (a counting sort: stable, linear), one bucket of lines per rank. */
  private orderBySource(rank: Int32Array): Int32Array {
    const n = this.count;
    const starts = new Int32Array(rank.length + 1);
    for (let i = 0; i < n; i++) starts[rank[this.field(i, 0)]! + 1]!++;
    for (let r = 0; r < rank.length; r++) starts[r + 1]! += starts[r]!;
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[starts[rank[this.field(i, 0)]!]!++] = i;
    return order;
  }

  /**
   * Orders each run of lines with one source rank by destination rank, keeping the order lines
   * were added in among equals. The key packs the position in the run so that a plain numeric
   * sort is a stable one; the scratch arrays are as long as the longest run, not the table.
   */
  private orderBuckets(order: Int32Array, rank: Int32Array): void {
    const n = this.count;
    let keys = new Float64Array(0);
    let run = new Int32Array(0);
    for (let start = 0; start < n; ) {
      const source = rank[this.field(order[start]!, 0)];
      let end = start + 1;
      while (end < n && rank[this.field(order[end]!, 0)] === source) end++;
      const length = end - start;
      if (length > 1) {
        if (keys.length < length) {
          keys = new Float64Array(length);
          run = new Int32Array(length);
        }
        const k = keys.subarray(0, length);
        for (let j = 0; j < length; j++) {
          run[j] = order[start + j]!;
          k[j] = rank[this.field(run[j]!, 1)]! * length + j;
        }
        k.sort();
        for (let j = 0; j < length; j++) order[start + j] = run[k[j]! % length]!;
      }
      start = end;
    }
  }

  /** Orders each run of lines with equal source and destination ranks by connection rank. */
  private orderTies(order: Int32Array, rank: Int32Array, connRank: Int32Array): void {
    const pair = (i: number) =>
      rank[this.field(order[i]!, 0)]! * rank.length + rank[this.field(order[i]!, 1)]!;
    for (let start = 0; start < this.count; ) {
      let end = start + 1;
      while (end < this.count && pair(end) === pair(start)) end++;
      if (end - start > 1) {
        const run = Array.from(order.subarray(start, end));
        run.sort((a, b) => connRank[this.field(a, 2)]! - connRank[this.field(b, 2)]!);
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
