// filter → group over the edge table, as the worker runs it: the same answer as
// groupGraph(filterGraph(model), collapsed), but with node indices and flags in typed arrays
// instead of sets of id strings, so a million connections group in tens of milliseconds and
// only the grouped graph (the overview, or an expanded namespace's workloads) reaches the page.

import type { EdgeTable, GraphEdge, GraphNode } from '../model/index.ts';
import { type EdgeColumns as Columns, filterColumns } from './filterColumns.ts';
import { collapsedGroups, type FilteredEdges, filteredEdges, toggledEdges } from './filteredEdges.ts';
import { edgeAllows, type GraphFilters } from './filterGraph.ts';
import type { WireGroupedGraph } from './groupedEdges.ts';
import { type Grouping, groupAll, regroup, wireGrouping } from './overviewGrouping.ts';

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

/** The filter stage: what `filters` keep of the source, indexed for grouping. */
function filtered(source: OverviewSource, filters: GraphFilters): FilteredEdges {
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
  const kept = filterColumns(nodes, edges, allows, filters);
  return filteredEdges(
    nodes,
    kept.nodes,
    { source: edges.source, target: edges.target, edgeKept: kept.edges },
    table,
    edges.extra,
  );
}

/** The filtered, grouped graph of a source, as the worker posts it. */
type Overview = (
  source: OverviewSource,
  filters: GraphFilters,
  collapsed: ReadonlySet<string>,
) => WireGroupedGraph;

/**
 * The filtered, grouped graph of a model given as an edge table (see filterGraph and groupGraph
 * for what each filter and a collapsed namespace mean), with its edges as columns, as the worker
 * posts it; fromWire makes it the grouped graph.
 *
 * The function returned remembers its last answer: asked again for the same source, filters and
 * overlay with other namespaces collapsed, it regroups only the edges of the namespaces that
 * changed (expanding one of 600 namespaces touches a few thousand of a million connections).
 * One per worker; it holds one revision's filtered edges and one grouping.
 */
export function overviewCache(): Overview {
  let last: { source: OverviewSource; key: string; filtered: FilteredEdges; grouping: Grouping } | undefined;
  return (source, filters, collapsed) => {
    // The overlay is compared by value: it is a copy posted with each request.
    const key = JSON.stringify([filters, source.extra ?? null]);
    const reuse =
      last?.source.nodes === source.nodes && last.source.table === source.table && last.key === key
        ? last
        : undefined;
    const f = reuse?.filtered ?? filtered(source, filters);
    const flags = collapsedGroups(f, collapsed);
    // Past half the edges, grouping from scratch is as cheap as regrouping.
    const grouping =
      reuse && toggledEdges(f, reuse.grouping.collapsed, flags) * 2 <= f.keptEdges
        ? regroup(f, reuse.grouping, flags)
        : groupAll(f, flags);
    last = { source, key, filtered: f, grouping };
    return wireGrouping(f, grouping);
  };
}
