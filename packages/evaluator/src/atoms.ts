// Atoms: the coarsest partition of the workloads that the peer groups of one direction's rules
// cannot split. Every side's view of the other ends is a grouping of atoms, so a view costs one
// entry per atom, not one per workload: ten thousand workloads fall into a few thousand atoms.

/**
 * A partition of the workloads, refined group by group and never coarsened, so an atom's number
 * keeps meaning a subset of what it meant: a later split only carves a new atom out of an old
 * one (its `parent`), and whatever was computed per atom holds for both parts.
 */
export class Atoms {
  /** The atom of each workload. */
  readonly atomOf: Int32Array;
  /** The atom each atom was carved out of (-1 for the first). */
  readonly parent: number[] = [];
  private readonly size: number[] = [];
  private readonly refined = new Set<number | string>();
  /** Scratch, per atom: members seen in the group being applied, and the atom they move to. */
  private readonly hits: Int32Array;
  private readonly splitTo: Int32Array;
  private representatives: Int32Array | undefined;

  constructor(readonly workloads: number) {
    this.atomOf = new Int32Array(workloads);
    this.hits = new Int32Array(workloads);
    this.splitTo = new Int32Array(workloads).fill(-1);
    if (workloads > 0) {
      this.parent.push(-1);
      this.size.push(workloads);
    }
  }

  get count(): number {
    return this.size.length;
  }

  /** Whether the partition was refined by `key` already. */
  has(key: number | string): boolean {
    return this.refined.has(key);
  }

  /**
   * Splits every atom that `members` (workload indices, ascending, no repeats) cuts in two;
   * `key` names the split so it is applied once. Returns whether an atom was added.
   */
  refine(key: number | string, members: Int32Array): boolean {
    if (this.refined.has(key)) return false;
    this.refined.add(key);
    const { atomOf, hits, splitTo, size, parent } = this;
    const touched: number[] = [];
    for (let k = 0; k < members.length; k++) {
      const a = atomOf[members[k]!]!;
      const seen = hits[a]!;
      hits[a] = seen + 1;
      if (seen === 0) touched.push(a);
    }
    const before = size.length;
    for (const a of touched) {
      // An atom wholly inside the group is not cut.
      if (hits[a]! === size[a]!) continue;
      splitTo[a] = size.length;
      size.push(hits[a]!);
      size[a]! -= hits[a]!;
      parent.push(a);
    }
    if (size.length > before) {
      for (let k = 0; k < members.length; k++) {
        const w = members[k]!;
        const to = splitTo[atomOf[w]!]!;
        if (to >= 0) atomOf[w] = to;
      }
    }
    for (const a of touched) {
      hits[a] = 0;
      splitTo[a] = -1;
    }
    if (size.length === before) return false;
    this.representatives = undefined;
    return true;
  }

  /** The smallest workload of each atom. */
  representativeOf(): Int32Array {
    if (!this.representatives) {
      const out = new Int32Array(this.count);
      for (let w = this.workloads - 1; w >= 0; w--) out[this.atomOf[w]!] = w;
      this.representatives = out;
    }
    return this.representatives;
  }

  /** The distinct atoms of a group's members (ascending workload indices), ascending. */
  atomsIn(members: Int32Array): Int32Array {
    const { atomOf, hits } = this;
    const found: number[] = [];
    for (let k = 0; k < members.length; k++) {
      const a = atomOf[members[k]!]!;
      if (hits[a] === 0) {
        hits[a] = 1;
        found.push(a);
      }
    }
    for (const a of found) hits[a] = 0;
    return Int32Array.from(found).sort();
  }

  /**
   * Extends a per-atom array made when there were fewer atoms: a carved-out atom takes its
   * parent's value (parents are always older, so one ascending pass follows chains of splits).
   */
  extend<T extends Uint16Array | Int32Array>(values: T): T {
    if (values.length === this.count) return values;
    const out = (
      values instanceof Uint16Array ? new Uint16Array(this.count) : new Int32Array(this.count)
    ) as T;
    out.set(values);
    for (let a = values.length; a < this.count; a++) out[a] = out[this.parent[a]!]!;
    return out;
  }
}
