// The graph's filters over the edge table: which nodes and which connections filterGraph keeps,
// as flags and indices instead of arrays of objects, so the connections table and the namespace
// matrix of a million connections are narrowed without building one edge object.

import { type GraphFilters, parseLabelSelector, selectorMatches } from '../graph/index.ts';
import type { ConnectionKind, EdgeTable, GraphNode, Protocol } from '../model/index.ts';

/** What the filters keep: a flag per node, and the kept edges' indices in table order. */
export interface KeptByFilters {
  nodes: Uint8Array;
  edges: Int32Array;
}

const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

/** Whether a connection kind allows the protocol (any: some protocol) and port, as filterGraph reads it. */
function kindAllows(kind: ConnectionKind, protocol: Protocol | 'any', port: number | undefined): boolean {
  return (protocol === 'any' ? PROTOCOLS : [protocol]).some((p) => {
    const ranges = kind.ports[p];
    if (port === undefined) return ranges.length > 0;
    for (let i = 0; i < ranges.length; i += 2) if (port >= ranges[i]! && port <= ranges[i + 1]!) return true;
    return false;
  });
}

/**
 * The nodes and edges filterGraph keeps of the model given as `nodes` and `table`: hidden
 * namespaces, external ranges on or off, a protocol and port, a label selector (the matching
 * workloads, their connections and the peers at the other end), focus on one node's
 * neighbourhood, and external ranges only while a kept edge touches them.
 */
export function keptByFilters(
  nodes: readonly GraphNode[],
  table: EdgeTable,
  filters: GraphFilters,
): KeptByFilters {
  const n = nodes.length;
  const count = table.source.length;
  const hidden = new Set(filters.hiddenNamespaces);
  const kept = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const node = nodes[i]!;
    const shown =
      node.type === 'external'
        ? filters.showExternal
        : node.namespace === undefined || !hidden.has(node.namespace);
    kept[i] = shown ? 1 : 0;
  }
  const allows = Uint8Array.from(table.kinds, (k) => (kindAllows(k, filters.protocol, filters.port) ? 1 : 0));
  const edgeKept = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const s = table.source[i]!;
    const t = table.target[i]!;
    edgeKept[i] = kept[s] === 1 && kept[t] === 1 && allows[table.kind[i]!] === 1 ? 1 : 0;
  }
  // Keeps the kept edges touching `seed`, and of the kept nodes those in `seed` or at an end of them.
  const narrow = (seed: Uint8Array) => {
    const keep = seed.slice();
    for (let i = 0; i < count; i++) {
      if (edgeKept[i] === 0) continue;
      const s = table.source[i]!;
      const t = table.target[i]!;
      if (seed[s] === 1 || seed[t] === 1) {
        keep[s] = 1;
        keep[t] = 1;
      } else edgeKept[i] = 0;
    }
    for (let i = 0; i < n; i++) kept[i] = kept[i]! & keep[i]!;
  };
  const { requirements } = parseLabelSelector(filters.label);
  if (requirements && requirements.length > 0) {
    const matching = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const node = nodes[i]!;
      if (kept[i] === 1 && node.type === 'workload' && selectorMatches(requirements, node.labels))
        matching[i] = 1;
    }
    narrow(matching);
  }
  const focus = filters.focus === undefined ? -1 : nodes.findIndex((x) => x.id === filters.focus);
  if (focus >= 0 && kept[focus] === 1) {
    const seed = new Uint8Array(n);
    seed[focus] = 1;
    narrow(seed);
  }
  const touched = new Uint8Array(n);
  let edges = 0;
  for (let i = 0; i < count; i++) {
    if (edgeKept[i] === 0) continue;
    touched[table.source[i]!] = 1;
    touched[table.target[i]!] = 1;
    edges++;
  }
  for (let i = 0; i < n; i++) if (nodes[i]!.type === 'external' && touched[i] === 0) kept[i] = 0;
  const list = new Int32Array(edges);
  for (let i = 0, k = 0; i < count; i++) if (edgeKept[i] === 1) list[k++] = i;
  return { nodes: kept, edges: list };
}
