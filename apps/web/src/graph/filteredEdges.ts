// The filter stage's answer as the overview's grouping reads it (see overviewGrouping.ts): the
// kept nodes and edges of one revision under one set of filters, with each workload's namespace
// group, the edges' labels as ids, and the kept edges listed by namespace, so that expanding or
// collapsing a namespace finds the edges it regroups without a pass over a million of them.

import type { EdgeTable, GraphEdge, GraphNode } from '../model/index.ts';
import { DECIDERS } from './groupedEdges.ts';
import { type GroupInfo, groupId } from './groupGraph.ts';
import { stringIndex } from './stringIndex.ts';

/** What the filters kept of a revision's graph, indexed by namespace; fixed while they stay. */
export interface FilteredEdges {
  nodes: readonly GraphNode[];
  /** 1 per node the filters keep. */
  kept: Uint8Array;
  /** Edge `i`: the table's first, then the extra ones from index `base` on. */
  source: Int32Array;
  target: Int32Array;
  /** 1 per edge the filters keep. */
  edgeKept: Uint8Array;
  keptEdges: number;
  base: number;
  /** The table's connection kind per edge. */
  kind: Int32Array;
  /** The edges' labels, each once: edges are merged by label as ids into this list. */
  labelNames: string[];
  /** Per connection kind (per extra edge) its label's id in `labelNames`, and whether it allows all. */
  kindLabel: Int32Array;
  kindAll: Uint8Array;
  extraLabel: Int32Array;
  extraAll: Uint8Array;
  extraDenied: Uint8Array;
  /** Per edge its deciding layer (index into DECIDERS, -1: none); undefined when no edge has one. */
  decider: Int8Array | undefined;
  /** The namespace groups, in the order their first kept workload comes. */
  groups: GroupInfo[];
  /** Per node its group's index in `groups`; -1 for address ranges, dropped nodes, no namespace. */
  groupOf: Int32Array;
  /** Group indices in namespace order, as the grouped graph lists them. */
  groupOrder: Int32Array;
  /**
   * The kept edges by namespace, as linked lists through edge indices (-1 ends one): from
   * `fromHead[g]` on through `fromNext`, those whose source is in group `g`; from `toHead[g]`
   * through `toNext`, those whose target is in `g` and source is not.
   */
  fromHead: Int32Array;
  fromNext: Int32Array;
  toHead: Int32Array;
  toNext: Int32Array;
  /** Per group, how many kept edges have an end in it. */
  groupEdges: Int32Array;
}

function deciderIndex(decider: string | undefined): number {
  return decider === undefined ? -1 : DECIDERS.indexOf(decider as (typeof DECIDERS)[number]);
}

/** The namespace groups of the kept workloads, and each node's. */
function namespaceGroups(nodes: readonly GraphNode[], kept: Uint8Array) {
  const groups: GroupInfo[] = [];
  const groupIndex = new Map<string, number>();
  const groupOf = new Int32Array(nodes.length).fill(-1);
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    if (kept[i] === 0 || node.type !== 'workload' || node.namespace === undefined) continue;
    let g = groupIndex.get(node.namespace);
    if (g === undefined) {
      g = groups.length;
      groups.push({
        id: groupId(node.namespace),
        namespace: node.namespace,
        collapsed: false,
        size: 0,
        unprotected: 0,
      });
      groupIndex.set(node.namespace, g);
    }
    groups[g]!.size++;
    if (!node.ingressIsolated) groups[g]!.unprotected++;
    groupOf[i] = g;
  }
  const groupOrder = Int32Array.from(groups.keys()).sort((a, b) =>
    groups[a]!.namespace.localeCompare(groups[b]!.namespace),
  );
  return { groups, groupOf, groupOrder };
}

/** Indexes the kept nodes and edges by namespace group. */
export function filteredEdges(
  nodes: readonly GraphNode[],
  kept: Uint8Array,
  edges: { source: Int32Array; target: Int32Array; edgeKept: Uint8Array },
  table: EdgeTable,
  extra: readonly GraphEdge[],
): FilteredEdges {
  const labels = stringIndex();
  const { groups, groupOf, groupOrder } = namespaceGroups(nodes, kept);
  const { source, target, edgeKept } = edges;
  const base = table.source.length;
  const hasDecider = table.tiers !== undefined || extra.some((e) => e.tiers !== undefined);
  const decider = hasDecider ? new Int8Array(edgeKept.length) : undefined;
  const fromHead = new Int32Array(groups.length).fill(-1);
  const toHead = new Int32Array(groups.length).fill(-1);
  const fromNext = new Int32Array(edgeKept.length);
  const toNext = new Int32Array(edgeKept.length);
  const groupEdges = new Int32Array(groups.length);
  let keptEdges = 0;
  for (let i = 0; i < edgeKept.length; i++) {
    if (edgeKept[i] === 0) continue;
    keptEdges++;
    if (decider)
      decider[i] = deciderIndex(i < base ? table.tiers?.[i]?.decidedBy : extra[i - base]!.tiers?.decidedBy);
    const gs = groupOf[source[i]!]!;
    const gt = groupOf[target[i]!]!;
    if (gs >= 0) {
      fromNext[i] = fromHead[gs]!;
      fromHead[gs] = i;
      groupEdges[gs]!++;
    }
    if (gt >= 0 && gt !== gs) {
      toNext[i] = toHead[gt]!;
      toHead[gt] = i;
      groupEdges[gt]!++;
    }
  }
  return {
    nodes,
    kept,
    source,
    target,
    edgeKept,
    keptEdges,
    base,
    kind: table.kind,
    labelNames: labels.strings,
    kindLabel: Int32Array.from(table.kinds, (k) => labels.indexOf(k.label)),
    kindAll: Uint8Array.from(table.kinds, (k) => (k.all ? 1 : 0)),
    extraLabel: Int32Array.from(extra, (e) => labels.indexOf(e.label)),
    extraAll: Uint8Array.from(extra, (e) => (e.all ? 1 : 0)),
    extraDenied: Uint8Array.from(extra, (e) => (e.adminDenied !== undefined ? 1 : 0)),
    decider,
    groups,
    groupOf,
    groupOrder,
    fromHead,
    fromNext,
    toHead,
    toNext,
    groupEdges,
  };
}

/** Per group, 1 when the namespace is collapsed. */
export function collapsedGroups(f: FilteredEdges, collapsed: ReadonlySet<string>): Uint8Array {
  return Uint8Array.from(f.groups, (g) => (collapsed.has(g.namespace) ? 1 : 0));
}

/** How many kept edges have an end in a group whose collapsed flag differs between the two. */
export function toggledEdges(f: FilteredEdges, from: Uint8Array, to: Uint8Array): number {
  let total = 0;
  for (let g = 0; g < f.groups.length; g++) if (from[g] !== to[g]) total += f.groupEdges[g]!;
  return total;
}
