// Views: how one side's rules see the other ends. A side's rules only ask which of their peer
// groups admit the other end (and, for named ports, the destination's port layout), so the
// workloads fall into a few buckets that the side cannot tell apart: its result is computed once
// per bucket, not once per workload or per pair. A view groups atoms (see atoms.ts), which no
// group splits: it costs one entry per atom.

/** A partition of the atoms: the bucket of each, and one workload per bucket. */
export interface View {
  /** Per atom; extended when the atoms are refined (a new atom takes its parent's bucket). */
  bucketOf: Uint16Array | Int32Array;
  /** A workload of each bucket (every member of a bucket is alike to the side). */
  representatives: Int32Array;
}

/**
 * Splits the `n` atoms (or the buckets of `base`) by their membership in each group (sparse
 * atom lists, ascending), then by port layout (`ports.classOf`, per atom) when given. Each group
 * costs the smaller of its atoms and the others (splitting off either side gives the same
 * partition), so the many narrow groups are cheap. A split may empty a bucket (all its atoms
 * moved): such a bucket has no representative (-1) and no atom refers to it. `representative`
 * holds a workload of each atom.
 */
export function buildView(
  n: number,
  base: View | undefined,
  groups: readonly Int32Array[],
  ports: { classOf: Int32Array; count: number } | undefined,
  representative: Int32Array,
): View {
  // Refining a coarser view that is already known costs a copy, not its groups again.
  let bucketOf: Uint16Array | Int32Array = base
    ? base.bucketOf.slice()
    : // Half the 16-bit range: a group at most doubles the buckets, even after renumbering.
      n < 0x7fff
      ? new Uint16Array(n)
      : new Int32Array(n);
  let count = base ? base.representatives.length : n > 0 ? 1 : 0;
  // split[b]: the bucket that members of bucket b move to under the current group (-1: none yet).
  let split = new Int32Array(64).fill(-1);
  const touched: number[] = [];
  const moveTo = (i: number) => {
    const b = bucketOf[i]!;
    let target = split[b]!;
    if (target < 0) {
      target = count++;
      split[b] = target;
      touched.push(b);
    }
    bucketOf[i] = target;
  };
  for (const members of groups) {
    if (members.length === 0 || members.length === n) continue;
    // A group at most doubles the buckets; empty ones are numbered away before a narrow array overflows.
    if (bucketOf instanceof Uint16Array && count * 2 >= 0xffff) count = renumber(bucketOf);
    if (split.length < count * 2) split = new Int32Array(count * 4).fill(-1);
    if (members.length * 2 <= n) {
      for (let k = 0; k < members.length; k++) moveTo(members[k]!);
    } else {
      // Move the non-members instead: the members' complement, walked in step with the list.
      let k = 0;
      for (let i = 0; i < n; i++) {
        if (k < members.length && members[k] === i) k++;
        else moveTo(i);
      }
    }
    for (const b of touched) split[b] = -1;
    touched.length = 0;
  }
  if (ports) {
    // Split by port layout, numbering buckets anew by (bucket, layout).
    const byKey = new Map<number, number>();
    const next = bucketOf instanceof Uint16Array ? new Uint16Array(n) : new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const key = bucketOf[i]! * ports.count + ports.classOf[i]!;
      let b = byKey.get(key);
      if (b === undefined) {
        b = byKey.size;
        byKey.set(key, b);
      }
      next[i] = b;
    }
    bucketOf = next;
    count = byKey.size;
  }
  const representatives = new Int32Array(count).fill(-1);
  for (let i = 0; i < n; i++) {
    const b = bucketOf[i]!;
    const w = representative[i]!;
    if (representatives[b]! < 0 || w < representatives[b]!) representatives[b] = w;
  }
  return { bucketOf, representatives };
}

/** Numbers the buckets densely in order of first member; returns how many there are. */
function renumber(bucketOf: Uint16Array | Int32Array): number {
  const dense = new Map<number, number>();
  for (let i = 0; i < bucketOf.length; i++) {
    let b = dense.get(bucketOf[i]!);
    if (b === undefined) {
      b = dense.size;
      dense.set(bucketOf[i]!, b);
    }
    bucketOf[i] = b;
  }
  return dense.size;
}

/** The members of a dense membership array, as an ascending list. */
export function memberList(members: Uint8Array): Int32Array {
  // Most groups admit few of many workloads: indexOf skips the zeros natively.
  const found: number[] = [];
  for (let i = members.indexOf(1); i >= 0; i = members.indexOf(1, i + 1)) found.push(i);
  return Int32Array.from(found);
}
