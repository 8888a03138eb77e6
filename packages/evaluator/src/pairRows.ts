// The workload pairs of an analysis, source by source: what connections() lists first. A source's
// row depends only on its egress class and on its ingress atom (the part of the workloads that no
// ingress rule's peer group splits: every destination's ingress decides alike about all of it),
// so a row is computed once per (egress class, ingress atom) and replayed for the other sources
// that share both.
//
// Each loop over atoms, destinations or reach entries is a small function of its own: the
// constructor and the row computation run once per analysis, and V8 optimises a function called
// many times far sooner (and keeps it optimised) than a long one-shot function with big loops.

import type { Memo, SideClass } from './analysisMemo.ts';
import { ALL_ID, EMPTY_ID, type InternedSets } from './internedSets.ts';
import { NumberTrie } from './sideKeys.ts';
import type { View } from './sideViews.ts';

/** Sorted indices or interned ids, in the narrowest array that holds them. */
export type CompactArray = Uint16Array | Uint32Array;

/** Atoms whose columns are filled together. */
const ATOM_BLOCK = 64;

/** An empty compact array. */
const NONE: CompactArray = new Uint16Array(0);

/** A copy of `values[0..length)` in 16 bits when every value is at most `max` and `max` fits, else 32. */
export function compactCopy(values: Int32Array, length: number, max: number): CompactArray {
  if (length === 0) return NONE;
  const out = max <= 0xffff ? new Uint16Array(length) : new Uint32Array(length);
  out.set(values.subarray(0, length));
  return out;
}

/**
 * What an egress class reaches: the destinations it allows something towards (ascending) and what
 * it allows each, in 16 bits when they fit (the classes of a big cluster hold many at once).
 * Shared by the rows of the class (one per ingress atom of its sources), dropped after its last.
 */
interface Reach {
  destinations: CompactArray;
  outs: CompactArray;
  /** Rows of the class not computed yet. */
  rowsLeft: number;
}

/**
 * The rows of the sources, each computed for the first source of its (egress class, ingress
 * atom) and dropped once the last source that needs it is listed. Nothing is computed before the
 * first row is asked for.
 */
export class PairRows {
  /** Per destination: its ingress class's entry in each column. */
  private readonly columnOf: Int32Array;
  private readonly atomOf: Int32Array;
  /**
   * Per ingress atom, a column: what each ingress class in use (alike ones share an entry) allows
   * from the sources of that atom (`columns[atom * classCount + columnOf[d]]`). A row reads one
   * atom's column, a short stretch of memory.
   */
  private readonly columns: CompactArray;
  private readonly classCount: number;
  /** How many sources still need each row. */
  private readonly rowUses: Int32Array;
  private readonly rowIndex: Int32Array;
  private readonly rows: (CompactArray | undefined)[];
  /** Per egress class id: its reach while some of its rows are still to compute. */
  private readonly reaches: (Reach | undefined)[] = [];
  /** Per egress class id: how many distinct rows it has. */
  private readonly rowsOfClass: Int32Array;
  private readonly scratch: Int32Array;
  /** The largest interned id, and the largest destination index: what compact arrays must hold. */
  private readonly maxId: number;
  private readonly maxIndex: number;

  constructor(
    private readonly memo: Memo,
    private readonly egressOf: readonly SideClass[],
    ingressOf: readonly SideClass[],
  ) {
    const n = egressOf.length;
    this.scratch = new Int32Array(Math.max(16, 2 * n));
    this.maxIndex = n;
    const atoms = memo.atoms.ingress.count;
    this.atomOf = memo.atoms.ingress.atomOf;
    const classes = columnClasses(memo, ingressOf);
    // Interned ids only grow while results are computed, and the columns hold computed results.
    this.maxId = Math.max(memo.sets.list.length, n);
    const count = classes.list.length;
    const columns =
      memo.sets.list.length <= 0xffff ? new Uint16Array(atoms * count) : new Uint32Array(atoms * count);
    // A block of atoms per pass over the classes: each class's view is read in order, and the
    // block's stretch of columns stays in cache while every class writes its entry in it.
    for (let first = 0; first < atoms; first += ATOM_BLOCK) {
      const end = Math.min(atoms, first + ATOM_BLOCK);
      for (let k = 0; k < count; k++) fillColumn(columns, count, k, classes.list[k]!, first, end);
    }
    this.columns = columns;
    this.columnOf = classes.columnOf;
    this.classCount = count;
    const index = rowIndex(egressOf, this.atomOf, atoms, memo.egress.list.length);
    this.rowIndex = index.rowIndex;
    this.rowUses = index.rowUses;
    this.rowsOfClass = index.rowsOfClass;
    this.rows = new Array(index.rowUses.length);
  }

  /** Source `s`'s row: pairs (destination, interned set), flattened; `s` itself may be in it. */
  rowOf(s: number): CompactArray {
    const r = this.rowIndex[s]!;
    let row = this.rows[r];
    if (!row) {
      row = this.compute(this.egressOf[s]!, this.atomOf[s]!);
      this.rows[r] = row;
    }
    if (--this.rowUses[r]! === 0) this.rows[r] = undefined;
    return row;
  }

  /** The row of egress class `egress` towards the sources of ingress atom `atom`. */
  private compute(egress: SideClass, atom: number): CompactArray {
    const reach = this.reachOf(egress);
    const length = rowPairs(
      reach.destinations,
      reach.outs,
      this.columnOf,
      this.columns,
      atom * this.classCount,
      this.memo.sets,
      this.scratch,
    );
    if (--reach.rowsLeft === 0) this.reaches[egress.id] = undefined;
    return compactCopy(this.scratch, length, Math.max(this.maxId, this.memo.sets.list.length));
  }

  /** The reach of egress class `c`, made on its first row. */
  private reachOf(c: SideClass): Reach {
    let reach = this.reaches[c.id];
    if (reach) return reach;
    computeAll(this.memo, c);
    // Per egress atom, the result: every destination of an atom is alike to the class.
    const byAtom = resultsByAtom(c.view.bucketOf, c.results);
    const scratch = this.scratch;
    const n = this.egressOf.length;
    const count = reachedDestinations(byAtom, c.atomOf, n, scratch);
    const destinations = compactCopy(scratch, count, this.maxIndex);
    const outs = compactCopy(
      outsOf(destinations, byAtom, c.atomOf, scratch),
      count,
      this.memo.sets.list.length,
    );
    reach = { destinations, outs, rowsLeft: this.rowsOfClass[c.id]! };
    this.reaches[c.id] = reach;
    return reach;
  }
}

/**
 * The ingress classes of the destinations, numbered densely among those in use: classes that see
 * the sources through one view and decide alike per bucket give the same column, so they share a
 * number and the columns hold fewer entries to fill.
 */
function columnClasses(
  memo: Memo,
  ingressOf: readonly SideClass[],
): { list: SideClass[]; columnOf: Int32Array } {
  const n = ingressOf.length;
  const local = new Map<SideClass, number>();
  // By the view's number, then the verdict of each bucket.
  const byVerdicts = new NumberTrie<number>();
  let key = new Int32Array(64);
  const viewIds = new Map<View, number>();
  const list: SideClass[] = [];
  const columnOf = new Int32Array(n);
  for (let d = 0; d < n; d++) {
    const c = ingressOf[d]!;
    let k = local.get(c);
    if (k === undefined) {
      computeAll(memo, c);
      let view = viewIds.get(c.view);
      if (view === undefined) {
        view = viewIds.size;
        viewIds.set(c.view, view);
      }
      if (key.length < c.results.length + 1) key = new Int32Array(2 * c.results.length + 1);
      key[0] = view;
      key.set(c.results, 1);
      const node = byVerdicts.node(key, c.results.length + 1);
      k = node.value;
      if (k === undefined) {
        k = list.length;
        list.push(c);
        node.value = k;
      }
      local.set(c, k);
    }
    columnOf[d] = k;
  }
  return { list, columnOf };
}

/** Writes class `c`'s verdict on the ingress atoms `first..end-1` as entry `k` of their columns. */
function fillColumn(
  columns: CompactArray,
  count: number,
  k: number,
  c: SideClass,
  first: number,
  end: number,
): void {
  const bucketOf = c.view.bucketOf;
  const results = c.results;
  for (let a = first; a < end; a++) columns[a * count + k] = results[bucketOf[a]!]!;
}

/** Numbers the rows (one per egress class and ingress atom) and counts their uses. */
function rowIndex(
  egressOf: readonly SideClass[],
  atomOf: Int32Array,
  atoms: number,
  egressClasses: number,
): { rowIndex: Int32Array; rowUses: Int32Array; rowsOfClass: Int32Array } {
  const n = egressOf.length;
  const index = new Int32Array(n);
  const keys = new Map<number, number>();
  const rowsOfClass = new Int32Array(egressClasses);
  for (let s = 0; s < n; s++) {
    const id = egressOf[s]!.id;
    const key = id * atoms + atomOf[s]!;
    let row = keys.get(key);
    if (row === undefined) {
      row = keys.size;
      keys.set(key, row);
      rowsOfClass[id]!++;
    }
    index[s] = row;
  }
  const rowUses = new Int32Array(keys.size);
  for (let s = 0; s < n; s++) rowUses[index[s]!]!++;
  return { rowIndex: index, rowUses, rowsOfClass };
}

/**
 * Writes the pairs (destination, interned set) of one row into `out` and returns how many numbers
 * it wrote: per reached destination, what the egress class allows it intersected with what its
 * ingress class allows the row's atom (whose column starts at `column`).
 */
function rowPairs(
  destinations: CompactArray,
  outs: CompactArray,
  columnOf: Int32Array,
  columns: CompactArray,
  column: number,
  sets: InternedSets,
  out: Int32Array,
): number {
  let length = 0;
  for (let j = 0; j < destinations.length; j++) {
    const d = destinations[j]!;
    const into = columns[column + columnOf[d]!]!;
    if (into === EMPTY_ID) continue;
    const o = outs[j]!;
    const id = into === ALL_ID ? o : o === ALL_ID ? into : sets.both(o, into);
    if (id === EMPTY_ID) continue;
    out[length++] = d;
    out[length++] = id;
  }
  return length;
}

/** Per atom, the result of the bucket it falls in. */
function resultsByAtom(bucketOf: View['bucketOf'], results: Int32Array): Int32Array {
  const byAtom = new Int32Array(bucketOf.length);
  for (let a = 0; a < byAtom.length; a++) byAtom[a] = results[bucketOf[a]!]!;
  return byAtom;
}

/** Writes the destinations (of `n`) whose atom's result is not empty into `out`; returns how many. */
function reachedDestinations(byAtom: Int32Array, atomOf: Int32Array, n: number, out: Int32Array): number {
  let count = 0;
  for (let d = 0; d < n; d++) if (byAtom[atomOf[d]!] !== EMPTY_ID) out[count++] = d;
  return count;
}

/** Writes the result towards each of `destinations` into `out` (which may be the array they came from). */
function outsOf(
  destinations: CompactArray,
  byAtom: Int32Array,
  atomOf: Int32Array,
  out: Int32Array,
): Int32Array {
  for (let j = 0; j < destinations.length; j++) out[j] = byAtom[atomOf[destinations[j]!]!]!;
  return out;
}

/** Computes every result of class `c` (a bucket a split emptied has no representative, and no workload). */
function computeAll(memo: Memo, c: SideClass): void {
  const { representatives } = c.view;
  const results = c.results;
  for (let b = 0; b < representatives.length; b++)
    if (results[b] === 0 && representatives[b]! >= 0) memo.result(c, b);
}
