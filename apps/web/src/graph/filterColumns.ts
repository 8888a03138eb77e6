// filterGraph's steps over edge columns: the one implementation behind the worker's overview
// (graph/overview.ts) and the connections table and matrix (workspace/edgeFilter.ts), which keep
// their edges as node-index columns instead of objects.

import type { GraphNode } from '../model/index.ts';
import { type GraphFilters, labelPredicate } from './filterGraph.ts';

/** Edges as columns: edge `i` goes from node `source[i]` to `target[i]` (-1: not a node). */
export interface EdgeColumns {
  count: number;
  source: Int32Array;
  target: Int32Array;
}

/** A flag per node and per edge: 1 where the filters keep it. */
export interface KeptFlags {
  nodes: Uint8Array;
  edges: Uint8Array;
}

/**
 * What filterGraph keeps of `nodes` and the `edges` between them, as flags: hidden namespaces,
 * external ranges on or off, `allows(i)` (edge `i` allows the protocol and port), a label
 * selector (the matching workloads, their edges and the peers at the other end), focus on one
 * node's neighbourhood, and external ranges only while a kept edge touches them.
 */
export function filterColumns(
  nodes: readonly GraphNode[],
  edges: EdgeColumns,
  allows: (edge: number) => boolean,
  filters: GraphFilters,
): KeptFlags {
  const n = nodes.length;
  const { count, source, target } = edges;
  const hidden = new Set(filters.hiddenNamespaces);
  // 1: the nodes the namespace and external filters keep.
  const kept = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const node = nodes[i]!;
    const shown =
      node.type === 'external'
        ? filters.showExternal
        : node.namespace === undefined || !hidden.has(node.namespace);
    kept[i] = shown ? 1 : 0;
  }
  // 2: the edges between kept nodes allowing the protocol and port.
  const edgeKept = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const s = source[i]!;
    const t = target[i]!;
    edgeKept[i] = s >= 0 && t >= 0 && kept[s] === 1 && kept[t] === 1 && allows(i) ? 1 : 0;
  }
  // Keeps the kept edges touching `seed`, and of the kept nodes those in `seed` or at an end of them.
  const narrow = (seed: Uint8Array) => {
    const keep = seed.slice();
    for (let i = 0; i < count; i++) {
      if (edgeKept[i] === 0) continue;
      const s = source[i]!;
      const t = target[i]!;
      if (seed[s] === 1 || seed[t] === 1) {
        keep[s] = 1;
        keep[t] = 1;
      } else edgeKept[i] = 0;
    }
    for (let i = 0; i < n; i++) kept[i] = kept[i]! & keep[i]!;
  };
  // 3: a label selector keeps the matching workloads, their edges and the peers at the other end.
  const matchesLabel = labelPredicate(filters.label);
  if (matchesLabel) {
    const matching = new Uint8Array(n);
    for (let i = 0; i < n; i++)
      if (kept[i] === 1 && nodes[i]!.type === 'workload' && matchesLabel(nodes[i]!.labels)) matching[i] = 1;
    narrow(matching);
  }
  // 4: focus on one node and its neighbours.
  const focus = filters.focus === undefined ? -1 : nodes.findIndex((x) => x.id === filters.focus);
  if (focus >= 0 && kept[focus] === 1) {
    const seed = new Uint8Array(n);
    seed[focus] = 1;
    narrow(seed);
  }
  // 5: address ranges stay only while some kept edge touches them.
  const touched = new Uint8Array(n);
  for (let i = 0; i < count; i++) {
    if (edgeKept[i] === 0) continue;
    touched[source[i]!] = 1;
    touched[target[i]!] = 1;
  }
  for (let i = 0; i < n; i++) if (nodes[i]!.type === 'external' && touched[i] === 0) kept[i] = 0;
  return { nodes: kept, edges: edgeKept };
}
