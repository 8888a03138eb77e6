// Views: how one side's rules see the other ends. A side's rules only ask which of their peer
// groups admit the other end (and, for named ports, the destination's port layout), so the
// workloads fall into a few buckets that the side cannot tell apart: its result is computed once
// per bucket, not once per workload or per pair.

/** A partition of the workloads: the bucket of each, and one member per bucket. */
export interface View {
  bucketOf: Uint16Array | Int32Array;
  /** A member of each bucket (every member of a bucket is alike to the side). */
  representatives: Int32Array;
}

/**
 * Splits the workloads (or the buckets of `base`) by their membership in each group (sparse
 * member lists, ascending), then by port layout (`ports.classOf`) when given. Each group costs the smaller of its members and its non-members
 * (splitting off either side gives the same partition), so the many narrow groups are cheap.
 */
export function buildView(
  n: number,
  base: View | undefined,
  groups: readonly Int32Array[],
  ports: { classOf: Int32Array; count: number } | undefined,
): View {
  // Refining a coarser view that is already known costs a copy, not its groups again.
  const work = new Int32Array(n);
  if (base) work.set(base.bucketOf);
  let count = base ? base.representatives.length : n > 0 ? 1 : 0;
  // split[b]: the bucket that members of bucket b move to under the current group (-1: none yet).
  let split = new Int32Array(64).fill(-1);
  const touched: number[] = [];
  const moveTo = (i: number) => {
    const b = work[i]!;
    let target = split[b]!;
    if (target < 0) {
      target = count++;
      split[b] = target;
      touched.push(b);
    }
    work[i] = target;
  };
  for (const members of groups) {
    if (members.length === 0 || members.length === n) continue;
    // A group can at most double the buckets.
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
  // Number the buckets densely in order of first member (a split may have emptied some), then
  // split by port layout when the side resolves named ports.
  const bucketOf = n < 0xffff ? new Uint16Array(n) : new Int32Array(n);
  const firsts: number[] = [];
  if (ports) {
    const byKey = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const key = work[i]! * ports.count + ports.classOf[i]!;
      let b = byKey.get(key);
      if (b === undefined) {
        b = firsts.length;
        byKey.set(key, b);
        firsts.push(i);
      }
      bucketOf[i] = b;
    }
  } else {
    const dense = new Int32Array(count).fill(-1);
    for (let i = 0; i < n; i++) {
      let b = dense[work[i]!]!;
      if (b < 0) {
        b = firsts.length;
        dense[work[i]!] = b;
        firsts.push(i);
      }
      bucketOf[i] = b;
    }
  }
  return { bucketOf, representatives: Int32Array.from(firsts) };
}

/** The members of a dense membership array, as an ascending list. */
export function memberList(members: Uint8Array): Int32Array {
  let count = 0;
  for (let i = 0; i < members.length; i++) count += members[i]!;
  const out = new Int32Array(count);
  let k = 0;
  for (let i = 0; i < members.length; i++) if (members[i] === 1) out[k++] = i;
  return out;
}
