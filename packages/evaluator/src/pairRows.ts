// The workload pairs of an analysis, source by source: what connections() lists first. A pair
// needs both sides, and most pairs are closed by one of them, so the work is laid out to make a
// closed pair cost a few typed-array reads.

import { EMPTY_ID, type Memo, type SideClass } from './analysisMemo.ts';
import type { ConnectionSet } from './connectionSet.ts';
import type { WorkloadPeer } from './model.ts';

/** Sources handled together: their ingress columns are filled class by class, in one pass. */
const BLOCK = 64;

/** One non-empty workload pair, as connections() yields it. */
interface WorkloadPair {
  src: WorkloadPeer;
  dst: WorkloadPeer;
  conn: ConnectionSet;
}

/**
 * Every workload pair with a non-empty connection, sources ascending and, per source, destinations
 * ascending (a workload to itself is skipped). A source only looks at the destinations its egress
 * class reaches; a destination's ingress decides about a source by the bucket the source falls
 * in, so for a block of sources the ingress result of every class in use is read once per class
 * and source (a column), instead of once per pair through each destination's own view.
 */
export function* workloadPairs(
  memo: Memo,
  workloads: readonly WorkloadPeer[],
  egressOf: readonly SideClass[],
  ingressOf: readonly SideClass[],
): Generator<WorkloadPair> {
  const n = workloads.length;
  const { sets } = memo;
  // The ingress classes in use, numbered densely, and every bucket's result computed.
  const local = new Map<SideClass, number>();
  const classes: SideClass[] = [];
  const classOf = new Int32Array(n);
  for (let d = 0; d < n; d++) {
    const c = ingressOf[d]!;
    let k = local.get(c);
    if (k === undefined) {
      k = classes.length;
      classes.push(c);
      local.set(c, k);
      // A bucket a split emptied has no representative, and no workload in it.
      const { representatives } = c.view;
      for (let b = 0; b < representatives.length; b++) if (representatives[b]! >= 0) memo.result(c, b);
    }
    classOf[d] = k;
  }
  const count = classes.length;
  // column[k * BLOCK + (s - first)]: what ingress class k allows from source s.
  const column = new Int32Array(count * BLOCK);
  for (let first = 0; first < n; first += BLOCK) {
    const end = Math.min(n, first + BLOCK);
    for (let k = 0; k < count; k++) {
      const { view, results, atomOf } = classes[k]!;
      const bucketOf = view.bucketOf;
      const at = k * BLOCK - first;
      for (let s = first; s < end; s++) column[at + s] = results[bucketOf[atomOf[s]!]!]!;
    }
    for (let s = first; s < end; s++) {
      const egress = egressOf[s]!;
      const reached = memo.reached(egress);
      const outOf = egress.view.bucketOf;
      const outAtoms = egress.atomOf;
      const outs = egress.results;
      const offset = s - first;
      const src = workloads[s]!;
      for (let j = 0; j < reached.length; j++) {
        const d = reached[j]!;
        const into = column[classOf[d]! * BLOCK + offset]!;
        if (into === EMPTY_ID || d === s) continue;
        const id = memo.both(outs[outOf[outAtoms[d]!]!]!, into);
        if (id !== EMPTY_ID) yield { src, dst: workloads[d]!, conn: sets[id]! };
      }
    }
  }
}
