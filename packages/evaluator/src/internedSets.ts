// Interned connection sets: an analysis meets a few dozen distinct sets, millions of times. Each
// distinct set gets a small number, and the set operations analyze needs (intersection of the two
// sides, union of rules) become lookups in tables of numbers, computed once per pair of numbers.

import {
  ALL_CONNECTIONS,
  type ConnectionSet,
  connectionKey,
  intersectConnections,
  isAllConnections,
  isEmptyConnections,
  NO_CONNECTIONS,
  unionConnections,
} from './connectionSet.ts';

/** The interned id of the empty set, and of the set of every connection. */
export const EMPTY_ID = 1;
export const ALL_ID = 2;

/** A table of results by two ids: row by the first, column by the second, 0 while not computed. */
class PairTable {
  private readonly rows: Int32Array[] = [];

  constructor(private readonly compute: (a: number, b: number) => number) {}

  get(a: number, b: number, size: number): number {
    let row = this.rows[a];
    if (!row || b >= row.length) {
      const grown = new Int32Array(Math.max(16, size * 2));
      if (row) grown.set(row);
      row = grown;
      this.rows[a] = row;
    }
    let id = row[b]!;
    if (id === 0) {
      id = this.compute(a, b);
      row[b] = id;
    }
    return id;
  }
}

/**
 * Connection sets numbered by content: equal sets have equal ids, so comparing results is
 * comparing numbers. Grows only: an id always means one set.
 */
export class InternedSets {
  /** The sets by id; 0 stands for "not computed", then empty, then everything. */
  readonly list: ConnectionSet[] = [NO_CONNECTIONS, NO_CONNECTIONS, ALL_CONNECTIONS];
  private readonly ids = new Map<string, number>();
  private readonly intersections = new PairTable((a, b) =>
    this.intern(intersectConnections(this.list[a]!, this.list[b]!)),
  );
  private readonly unions = new PairTable((a, b) =>
    this.intern(unionConnections(this.list[a]!, this.list[b]!)),
  );

  /** The id of `set`: one per distinct set. */
  intern(set: ConnectionSet): number {
    // Most results allow nothing or everything: skip building a key for them.
    if (isEmptyConnections(set)) return EMPTY_ID;
    if (isAllConnections(set) && !set.namedPorts) return ALL_ID;
    const key = connectionKey(set);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.list.length;
      this.list.push(set);
      this.ids.set(key, id);
    }
    return id;
  }

  /** The id of the intersection of two interned sets (what both sides of a connection allow). */
  both(a: number, b: number): number {
    if (a === EMPTY_ID || b === EMPTY_ID) return EMPTY_ID;
    if (b === ALL_ID || a === b) return a;
    if (a === ALL_ID) return b;
    return this.intersections.get(a, b, this.list.length);
  }

  /** The id of the union of two interned sets (what either of two rules opens). */
  either(a: number, b: number): number {
    if (a === b || b === EMPTY_ID) return a;
    if (a === EMPTY_ID) return b;
    return this.unions.get(a, b, this.list.length);
  }
}
