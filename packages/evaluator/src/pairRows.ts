// The workload pairs of an analysis, source by source: what connections() lists first. A source's
// row depends only on its egress class and on its ingress atom (the part of the workloads that no
// ingress rule's peer group splits: every destination's ingress decides alike about all of it),
// so a row is computed once per (egress class, ingress atom) and replayed for the other sources
// that share both.

import type { Memo, SideClass } from './analysisMemo.ts';
import type { ConnectionSet } from './connectionSet.ts';
import { ALL_ID, EMPTY_ID } from './internedSets.ts';
import type { WorkloadPeer } from './model.ts';
import type { View } from './sideViews.ts';

/** One non-empty workload pair, as connections() yields it. */
interface WorkloadPair {
  src: WorkloadPeer;
  dst: WorkloadPeer;
  conn: ConnectionSet;
}

/** No pairs. */
const EMPTY_ROW = new Int32Array(0);

/**
 * Every workload pair with a non-empty connection, sources ascending and, per source, destinations
 * ascending (a workload to itself is skipped). A row only looks at the destinations its egress
 * class reaches, and reads what each destination's ingress allows from a column: per ingress
 * class in use, its verdict on the source's atom. A row is dropped once the last source that
 * needs it is listed. Nothing is computed before the first pair is asked for.
 *
 * An iterator object rather than a generator: a generator saves and restores all its live
 * locals at every yield, which costs more than the pair itself when there are millions.
 */
export class WorkloadPairs implements IterableIterator<WorkloadPair> {
  private rows: PairRows | undefined;
  private source = -1;
  private src: WorkloadPeer | undefined;
  private row: Int32Array = EMPTY_ROW;
  private at = 0;
  /**
   * The one result object every `next()` returns, refilled: a reader takes the value before it
   * asks for the next one (for-of, spreading, Array.from), and millions of pairs are millions
   * fewer objects to collect.
   */
  private readonly result: { value: WorkloadPair | undefined; done: boolean } = {
    value: undefined,
    done: false,
  };

  constructor(
    private readonly memo: Memo,
    private readonly workloads: readonly WorkloadPeer[],
    private readonly egressOf: readonly SideClass[],
    private readonly ingressOf: readonly SideClass[],
  ) {}

  [Symbol.iterator](): this {
    return this;
  }

  next(): IteratorResult<WorkloadPair> {
    const { workloads, result } = this;
    for (;;) {
      const row = this.row;
      while (this.at < row.length) {
        const d = row[this.at]!;
        const id = row[this.at + 1]!;
        this.at += 2;
        if (d !== this.source) {
          result.value = { src: this.src!, dst: workloads[d]!, conn: this.memo.sets.list[id]! };
          return result as IteratorResult<WorkloadPair>;
        }
      }
      if (this.source + 1 >= workloads.length) {
        result.value = undefined;
        result.done = true;
        return result as IteratorResult<WorkloadPair>;
      }
      this.rows ??= new PairRows(this.memo, workloads, this.egressOf, this.ingressOf);
      this.source++;
      this.src = workloads[this.source];
      this.row = this.rows.rowOf(this.source);
      this.at = 0;
    }
  }
}

/** Atoms whose columns are filled together: one pass over the classes serves them all. */
const ATOM_BLOCK = 64;

/**
 * What an egress class reaches, as parallel arrays: the destinations it allows something towards
 * (ascending), what it allows each, and each one's ingress class (numbered as in the columns).
 * Shared by the rows of the class (one per ingress atom of its sources), dropped after its last.
 */
interface Reach {
  destinations: Int32Array;
  outs: Int32Array;
  classes: Int32Array;
  /** Rows of the class not computed yet. */
  rowsLeft: number;
}

/** The rows of the sources, each computed for the first source of its (egress class, ingress atom). */
class PairRows {
  /** Per destination: its ingress class's column entry, numbered densely among those in use. */
  private readonly classOf: Int32Array;
  private readonly atomOf: Int32Array;
  /**
   * Per ingress atom, a column: what each ingress class in use (alike ones share an entry)
   * allows from the sources of that atom (`columns[atom * classes + k]`). Filled for all atoms at once, a block of atoms per pass
   * over the classes: reading one class's verdict per source instead would visit every class's
   * view once per atom, scattered in memory.
   */
  private readonly columns: Uint16Array | Int32Array;
  private readonly classCount: number;
  /** How many sources still need each row. */
  private readonly rowUses: number[] = [];
  private readonly rowIndex: Int32Array;
  private readonly rows: (Int32Array | undefined)[];
  /** Per egress class id: its reach while some of its rows are still to compute. */
  private readonly reaches: (Reach | undefined)[] = [];
  /** Per egress class id: how many distinct rows it has. */
  private readonly rowsOfClass: number[] = [];
  private scratch: Int32Array;

  constructor(
    private readonly memo: Memo,
    workloads: readonly WorkloadPeer[],
    private readonly egressOf: readonly SideClass[],
    ingressOf: readonly SideClass[],
  ) {
    const n = workloads.length;
    this.scratch = new Int32Array(Math.max(16, 2 * n));
    // Ingress classes that see the sources through one view and decide alike per bucket give the
    // same column entries: they share one number, so the columns hold fewer entries to fill.
    const local = new Map<SideClass, number>();
    const byVerdicts = new Map<string, number>();
    const viewIds = new Map<View, number>();
    const classes: SideClass[] = [];
    this.classOf = new Int32Array(n);
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
        const key = `${view}:${c.results.join(',')}`;
        k = byVerdicts.get(key);
        if (k === undefined) {
          k = classes.length;
          classes.push(c);
          byVerdicts.set(key, k);
        }
        local.set(c, k);
      }
      this.classOf[d] = k;
    }
    this.atomOf = memo.atoms.ingress.atomOf;
    const atoms = memo.atoms.ingress.count;
    const count = classes.length;
    this.classCount = count;
    // Interned ids fit 16 bits unless there are more distinct sets than that.
    const columns =
      memo.sets.list.length <= 0xffff ? new Uint16Array(atoms * count) : new Int32Array(atoms * count);
    for (let first = 0; first < atoms; first += ATOM_BLOCK) {
      const end = Math.min(atoms, first + ATOM_BLOCK);
      for (let k = 0; k < count; k++) {
        const c = classes[k]!;
        const bucketOf = c.view.bucketOf;
        const results = c.results;
        for (let a = first; a < end; a++) columns[a * count + k] = results[bucketOf[a]!]!;
      }
    }
    this.columns = columns;
    this.rowIndex = new Int32Array(n);
    const keys = new Map<number, number>();
    for (let s = 0; s < n; s++) {
      const egress = egressOf[s]!;
      const key = egress.id * atoms + this.atomOf[s]!;
      let row = keys.get(key);
      if (row === undefined) {
        row = this.rowUses.length;
        keys.set(key, row);
        this.rowUses.push(0);
        this.rowsOfClass[egress.id] = (this.rowsOfClass[egress.id] ?? 0) + 1;
      }
      this.rowUses[row]!++;
      this.rowIndex[s] = row;
    }
    this.rows = new Array(this.rowUses.length);
  }

  /** Source `s`'s row: pairs (destination, interned set), flattened; `s` itself may be in it. */
  rowOf(s: number): Int32Array {
    const r = this.rowIndex[s]!;
    let row = this.rows[r];
    if (!row) {
      row = this.compute(this.egressOf[s]!, this.atomOf[s]! * this.classCount);
      this.rows[r] = row;
    }
    if (--this.rowUses[r]! === 0) this.rows[r] = undefined;
    return row;
  }

  /** A row, from the egress class's reach and the column starting at `column`. */
  private compute(egress: SideClass, column: number): Int32Array {
    const reach = this.reachOf(egress);
    const { destinations, outs, classes } = reach;
    const { columns } = this;
    const sets = this.memo.sets;
    const scratch = this.scratch;
    let length = 0;
    for (let j = 0; j < destinations.length; j++) {
      const into = columns[column + classes[j]!]!;
      if (into === EMPTY_ID) continue;
      const out = outs[j]!;
      const id = into === ALL_ID ? out : out === ALL_ID ? into : sets.both(out, into);
      if (id === EMPTY_ID) continue;
      scratch[length++] = destinations[j]!;
      scratch[length++] = id;
    }
    if (--reach.rowsLeft === 0) this.reaches[egress.id] = undefined;
    return length === 0 ? EMPTY_ROW : scratch.slice(0, length);
  }

  /** The reach of egress class `c`, made on its first row. */
  private reachOf(c: SideClass): Reach {
    let reach = this.reaches[c.id];
    if (reach) return reach;
    computeAll(this.memo, c);
    const { bucketOf } = c.view;
    const { atomOf } = c;
    const results = c.results;
    // Per egress atom, the result: every destination of an atom is alike to the class.
    const byAtom = new Int32Array(bucketOf.length);
    for (let a = 0; a < byAtom.length; a++) byAtom[a] = results[bucketOf[a]!]!;
    const n = atomOf.length;
    const scratch = this.scratch;
    let count = 0;
    for (let d = 0; d < n; d++) if (byAtom[atomOf[d]!] !== EMPTY_ID) scratch[count++] = d;
    const destinations = scratch.slice(0, count);
    const outs = new Int32Array(count);
    const classes = new Int32Array(count);
    const { classOf } = this;
    for (let j = 0; j < count; j++) {
      const d = destinations[j]!;
      outs[j] = byAtom[atomOf[d]!]!;
      classes[j] = classOf[d]!;
    }
    reach = { destinations, outs, classes, rowsLeft: this.rowsOfClass[c.id]! };
    this.reaches[c.id] = reach;
    return reach;
  }
}

/** Computes every result of class `c` (a bucket a split emptied has no representative, and no workload). */
function computeAll(memo: Memo, c: SideClass): void {
  const { representatives } = c.view;
  const results = c.results;
  for (let b = 0; b < representatives.length; b++)
    if (results[b] === 0 && representatives[b]! >= 0) memo.result(c, b);
}
