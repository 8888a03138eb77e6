// filter → group over the edge table, as the worker runs it: the same answer as
// groupGraph(filterGraph(model), collapsed), but with node indices and flags in typed arrays
// instead of sets of id strings, so a million connections group in tens of milliseconds and
// only the grouped graph (the overview, or an expanded namespace's workloads) reaches the page.

import type { EdgeTable, GraphEdge, GraphNode } from '../model/index.ts';
import { type EdgeColumns as Columns, filterColumns } from './filterColumns.ts';
import { edgeAllows, type GraphFilters } from './filterGraph.ts';
import { DECIDERS, type WireGroupedGraph } from './groupedEdges.ts';
import { type GroupedGraph, type GroupInfo, groupId } from './groupGraph.ts';

/** What the overview is grouped from: the model's nodes and edge table, plus drawn-on extras. */
export interface OverviewSource {
  nodes: readonly GraphNode[];
  table: EdgeTable;
  /** Nodes and edges shown with the model's (the Admin-denied overlay), by id. */
  extra?: { nodes: readonly GraphNode[]; edges: readonly GraphEdge[] };
}

/** Edge `i` of a source: the table's first, then the extra ones. */
interface EdgeColumns extends Columns {
  /** The extra edges, from index `table.source.length` on. */
  extra: readonly GraphEdge[];
}

function columnsOf(source: OverviewSource, nodes: readonly GraphNode[]): EdgeColumns {
  const { table } = source;
  const extra = source.extra?.edges ?? [];
  const base = table.source.length;
  if (extra.length === 0) return { count: base, source: table.source, target: table.target, extra };
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const src = new Int32Array(base + extra.length);
  const dst = new Int32Array(base + extra.length);
  src.set(table.source);
  dst.set(table.target);
  extra.forEach((e, k) => {
    src[base + k] = index.get(e.source) ?? -1;
    dst[base + k] = index.get(e.target) ?? -1;
  });
  return { count: base + extra.length, source: src, target: dst, extra };
}

/**
 * The filtered, grouped graph of a model given as an edge table (see filterGraph and groupGraph
 * for what each filter and a collapsed namespace mean), with its edges as columns, as the worker
 * posts it; fromWire makes it the grouped graph.
 */
export function overviewColumns(
  source: OverviewSource,
  filters: GraphFilters,
  collapsed: ReadonlySet<string>,
): WireGroupedGraph {
  const { table } = source;
  const nodes = source.extra ? [...source.nodes, ...source.extra.nodes] : source.nodes;
  const edges = columnsOf(source, nodes);
  const base = table.source.length;
  const kindAllows = Uint8Array.from(table.kinds, (k) =>
    edgeAllows(k, filters.protocol, filters.port) ? 1 : 0,
  );
  const allows = (i: number) =>
    i < base
      ? kindAllows[table.kind[i]!] === 1
      : edgeAllows(edges.extra[i - base]!, filters.protocol, filters.port);
  const { nodes: kept, edges: edgeKept } = filterColumns(nodes, edges, allows, filters);
  return grouped(nodes, kept, edges, edgeKept, table, collapsed);
}

/** Up to this many namespaces, edges between collapsed ones are merged through a dense table (2 x 4M cells at most). */
const DENSE_GROUPS = 2000;

/** The grouping stage over the kept nodes and edges (see groupGraph). */
function grouped(
  nodes: readonly GraphNode[],
  kept: Uint8Array,
  edges: EdgeColumns,
  edgeKept: Uint8Array,
  table: EdgeTable,
  collapsed: ReadonlySet<string>,
): WireGroupedGraph {
  const n = nodes.length;
  const base = table.source.length;
  const groups = new Map<string, GroupInfo & { index: number }>();
  const groupList: (GroupInfo & { index: number })[] = [];
  // An edge's end: a node index, or n + the index of the collapsed group standing for it.
  const endpoint = new Int32Array(n).fill(-1);
  const out: GroupedGraph['nodes'] = [];
  for (let i = 0; i < n; i++) {
    if (kept[i] === 0) continue;
    const node = nodes[i]!;
    if (node.type !== 'workload' || node.namespace === undefined) {
      out.push({ ...node, parent: undefined });
      endpoint[i] = i;
      continue;
    }
    const id = groupId(node.namespace);
    let group = groups.get(id);
    if (!group) {
      group = {
        id,
        namespace: node.namespace,
        collapsed: collapsed.has(node.namespace),
        size: 0,
        unprotected: 0,
        index: groupList.length,
      };
      groups.set(id, group);
      groupList.push(group);
    }
    group.size++;
    if (!node.ingressIsolated) group.unprotected++;
    if (group.collapsed) {
      endpoint[i] = n + group.index;
    } else {
      out.push({ ...node, parent: id });
      endpoint[i] = i;
    }
  }
  const span = n + groupList.length;
  // Endpoint -> index in `ends`, given on first use.
  const endIndex = new Int32Array(span).fill(-1);
  const ends: string[] = [];
  const endOf = (end: number) => {
    if (endIndex[end]! < 0) {
      endIndex[end] = ends.length;
      ends.push(end < n ? nodes[end]!.id : groupList[end - n]!.id);
    }
    return endIndex[end]!;
  };
  const labels: string[] = [];
  const labelIndex = new Map<string, number>();
  const labelOf = (label: string) => {
    let index = labelIndex.get(label);
    if (index === undefined) {
      index = labels.length;
      labels.push(label);
      labelIndex.set(label, index);
    }
    return index;
  };
  const merged = new Map<number, number>();
  // Between two collapsed namespaces (most edges of a big overview) the merged edge is found in
  // a dense table by group indices: a million Map look-ups took most of an expansion's time.
  const groupCount = groupList.length;
  const betweenGroups =
    groupCount <= DENSE_GROUPS ? new Int32Array(2 * groupCount * groupCount).fill(-1) : undefined;
  const src: number[] = [];
  const dst: number[] = [];
  const count: number[] = [];
  const label: number[] = [];
  const all: number[] = [];
  const decided: number[] = [];
  const denied: number[] = [];
  for (let i = 0; i < edges.count; i++) {
    if (edgeKept[i] === 0) continue;
    const source = endpoint[edges.source[i]!]!;
    const target = endpoint[edges.target[i]!]!;
    if (source < 0 || target < 0 || source === target) continue;
    const extra = i < base ? undefined : edges.extra[i - base]!;
    const kind = extra ?? table.kinds[table.kind[i]!]!;
    const decider = extra ? extra.tiers?.decidedBy : table.tiers?.[i]?.decidedBy;
    const decidedBy = decider === undefined ? -1 : DECIDERS.indexOf(decider);
    const isDenied = extra?.adminDenied !== undefined ? 1 : 0;
    const cell =
      betweenGroups && source >= n && target >= n
        ? (isDenied * groupCount + source - n) * groupCount + target - n
        : -1;
    const key = isDenied * span * span + source * span + target;
    const found = cell >= 0 ? betweenGroups![cell]! : merged.get(key);
    const at = found === undefined || found < 0 ? undefined : found;
    if (at === undefined) {
      if (cell >= 0) betweenGroups![cell] = src.length;
      else merged.set(key, src.length);
      src.push(endOf(source));
      dst.push(endOf(target));
      count.push(1);
      label.push(labelOf(kind.label));
      all.push(kind.all ? 1 : 0);
      decided.push(decidedBy);
      denied.push(isDenied);
      continue;
    }
    count[at]!++;
    if (decided[at] !== decidedBy) decided[at] = DECIDERS.indexOf('mixed');
    if (!kind.all) all[at] = 0;
    if (label[at]! >= 0 && labels[label[at]!] !== kind.label) label[at] = -1;
  }
  return {
    groups: groupList
      .map(({ index: _index, ...group }) => group)
      .sort((a, b) => a.namespace.localeCompare(b.namespace)),
    nodes: out,
    edges: {
      ends,
      source: Int32Array.from(src),
      target: Int32Array.from(dst),
      count: Int32Array.from(count),
      label: Int32Array.from(label),
      labels,
      all: Uint8Array.from(all),
      decidedBy: Int8Array.from(decided),
      denied: Uint8Array.from(denied),
    },
  };
}
