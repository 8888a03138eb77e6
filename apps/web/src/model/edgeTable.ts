// The allowed connections in a compact form. A 10,000-workload cluster has about a million of
// them: as objects they took seconds to build in the worker, seconds more to clone into the page,
// and hundreds of MB on both sides. As columns of node indices they are a few typed arrays the
// worker transfers for free, and the page builds edge objects only when something asks for them.

import type { EdgeTiers, GraphEdge, GraphModel, GraphNode, Protocol } from './types.ts';

/** What many edges share: their connections (the analysis interns them, so there are few). */
export interface ConnectionKind {
  label: string;
  all: boolean;
  ports: Record<Protocol, number[]>;
}

/** The allowed connections as columns: edge `i` goes from `nodes[source[i]]` to `nodes[target[i]]`. */
export interface EdgeTable {
  source: Int32Array;
  target: Int32Array;
  /** Index into `kinds`. */
  kind: Int32Array;
  kinds: ConnectionKind[];
  /** Per edge, the tier that decided it: only when the worker attributed every edge up front. */
  tiers: (EdgeTiers | undefined)[] | undefined;
}

/** The graph model as the worker sends it: the edges as a table, transferred rather than cloned. */
export interface WireModel extends Omit<GraphModel, 'edges'> {
  table: EdgeTable;
  /** The workspace revision it is of; the worker's overview answers name theirs. */
  revision: number;
}

/** The number of edges in a table. */
function edgeTotal(table: EdgeTable): number {
  return table.source.length;
}

/** Edge `i` of the table as an object. */
function edgeAt(nodes: readonly GraphNode[], table: EdgeTable, i: number): GraphEdge {
  const source = nodes[table.source[i]!]!.id;
  const target = nodes[table.target[i]!]!.id;
  const kind = table.kinds[table.kind[i]!]!;
  const tiers = table.tiers?.[i];
  return {
    id: `${source}->${target}`,
    source,
    target,
    label: kind.label,
    all: kind.all,
    ports: kind.ports,
    ...(tiers ? { tiers } : {}),
  };
}

/** What a hydrated model keeps beside its table: the edge objects built so far, one by one or all. */
interface Hydrated {
  table: EdgeTable;
  revision: number;
  /** Every edge, once something read `model.edges`. */
  all: GraphEdge[] | undefined;
  /** Edges built one at a time (a selection, the connections behind an edge), by index. */
  some: Map<number, GraphEdge>;
  /** Node index by id, built the first time one edge is looked up by its ends. */
  index: Map<string, number> | undefined;
  /** Edge index by id (-1: none) of the edges looked up so far: a selector asks on every change. */
  found: Map<string, number>;
  /** The edges by source node, built the first time a question is about one node's edges. */
  bySource: BySource | undefined;
}

/**
 * The table's edges grouped by source node (a counting sort of the source column): those leaving
 * node `n` are `edges[start[n]]` up to `edges[start[n + 1]]`, in table order. One pass over a
 * million edges, once per model, so that each later question reads a few hundred.
 */
interface BySource {
  start: Int32Array;
  edges: Int32Array;
  /** Per node, how many edges end there. */
  incoming: Int32Array;
}

function bySourceOf(entry: Hydrated, nodeCount: number): BySource {
  if (entry.bySource) return entry.bySource;
  const { source, target } = entry.table;
  const start = new Int32Array(nodeCount + 1);
  const incoming = new Int32Array(nodeCount);
  for (let i = 0; i < source.length; i++) {
    const s = source[i]!;
    const t = target[i]!;
    if (s >= 0) start[s + 1] = start[s + 1]! + 1;
    if (t >= 0) incoming[t] = incoming[t]! + 1;
  }
  for (let n = 0; n < nodeCount; n++) start[n + 1] = start[n + 1]! + start[n]!;
  const next = start.slice(0, nodeCount);
  const edges = new Int32Array(start[nodeCount]!);
  for (let i = 0; i < source.length; i++) {
    const s = source[i]!;
    if (s < 0) continue;
    edges[next[s]!] = i;
    next[s] = next[s]! + 1;
  }
  entry.bySource = { start, edges, incoming };
  return entry.bySource;
}

const tables = new WeakMap<object, Hydrated>();

/** Edge `i` of a hydrated model: the same object each time, and the one `model.edges` holds. */
function edgeOf(model: GraphModel, entry: Hydrated, i: number): GraphEdge {
  const built = entry.all?.[i] ?? entry.some.get(i);
  if (built) return built;
  const edge = edgeAt(model.nodes, entry.table, i);
  entry.some.set(i, edge);
  return edge;
}

/**
 * The model of a wire model: the same nodes, namespaces and policies, and `edges` built from the
 * table the first time something reads them (then kept). Counting edges, asking whether they
 * carry tiers, looking one up or building a few does not build them all (see edgeCount,
 * hasEdgeTiers, edgeById, edgesAt, edgeDegree).
 */
export function hydrateModel(wire: WireModel): GraphModel {
  const { table, revision, ...rest } = wire;
  const model = rest as GraphModel;
  const entry: Hydrated = {
    table,
    revision,
    all: undefined,
    some: new Map(),
    index: undefined,
    found: new Map(),
    bySource: undefined,
  };
  Object.defineProperty(model, 'edges', {
    enumerable: true,
    configurable: true,
    get: () => {
      entry.all ??= Array.from({ length: edgeTotal(table) }, (_, i) => edgeOf(model, entry, i));
      return entry.all;
    },
  });
  tables.set(model, entry);
  return model;
}

/** The table behind a hydrated model; undefined for a model built otherwise. */
function tableOf(model: GraphModel): EdgeTable | undefined {
  return tables.get(model)?.table;
}

/** The revision a hydrated model is of; undefined for a model built otherwise. */
export function revisionOf(model: GraphModel): number | undefined {
  return tables.get(model)?.revision;
}

/** How many allowed connections the model has, without building its edges. */
export function edgeCount(model: GraphModel): number {
  const table = tableOf(model);
  return table ? edgeTotal(table) : model.edges.length;
}

/** Whether the model's edges carry the tier that decided them, without building them. */
export function hasEdgeTiers(model: GraphModel): boolean {
  const table = tableOf(model);
  return table ? (table.tiers?.some((t) => t !== undefined) ?? false) : model.edges.some((e) => e.tiers);
}

/**
 * The edge table behind a hydrated model, for a view that reads the connections as columns
 * (the connections table, the namespace matrix) without building its edges; undefined for a
 * model built otherwise.
 */
export function edgeTableOf(model: GraphModel): EdgeTable | undefined {
  return tableOf(model);
}

/**
 * The indices of the edges leaving node `node` (an index into `model.nodes`), in table order,
 * without building them; undefined for a model that has no table (see edgeTableOf).
 */
export function edgesLeaving(model: GraphModel, node: number): Int32Array | undefined {
  const entry = tables.get(model);
  if (!entry) return undefined;
  const { start, edges } = bySourceOf(entry, model.nodes.length);
  return edges.subarray(start[node] ?? 0, start[node + 1] ?? 0);
}

/**
 * The allowed connection whose id is `id` (`source->target`), building that one edge only;
 * undefined when the model has none (an aggregated edge, one of the Admin-denied overlay, one
 * gone with an edit). The same object each time for the same model, so a selector may return it.
 */
export function edgeById(model: GraphModel, id: string): GraphEdge | undefined {
  const entry = tables.get(model);
  if (!entry) return model.edges.find((e) => e.id === id);
  let i = entry.found.get(id);
  if (i === undefined) {
    i = indexOfId(model, entry, id);
    entry.found.set(id, i);
  }
  return i < 0 ? undefined : edgeOf(model, entry, i);
}

function indexOfId(model: GraphModel, entry: Hydrated, id: string): number {
  // No node id holds `->` (see parseEdgeId), so the first one splits the ends.
  const arrow = id.indexOf('->');
  if (arrow < 0) return -1;
  entry.index ??= new Map(model.nodes.map((n, i) => [n.id as string, i]));
  const source = entry.index.get(id.slice(0, arrow));
  const target = entry.index.get(id.slice(arrow + 2));
  if (source === undefined || target === undefined) return -1;
  const { start, edges } = bySourceOf(entry, model.nodes.length);
  let i = -1;
  for (let k = start[source]!; k < start[source + 1]! && i < 0; k++)
    if (entry.table.target[edges[k]!] === target) i = edges[k]!;
  // The id is built from the ends the same way (see edgeAt): this only guards against a mismatch.
  return i >= 0 && edgeOf(model, entry, i).id === id ? i : -1;
}

/** Edges `indices` of a model as objects, building only those (see edgeTableOf for the indices). */
export function edgesAt(model: GraphModel, indices: Iterable<number>): GraphEdge[] {
  const entry = tables.get(model);
  const edges = entry ? undefined : model.edges;
  return Array.from(indices, (i) => (entry ? edgeOf(model, entry, i) : edges![i]!));
}

/** How many allowed connections end at node `id` and how many start there, without building edges. */
export function edgeDegree(model: GraphModel, id: string): { incoming: number; outgoing: number } {
  const entry = tables.get(model);
  if (!entry) {
    let incoming = 0;
    let outgoing = 0;
    for (const e of model.edges) {
      if (e.target === id) incoming++;
      if (e.source === id) outgoing++;
    }
    return { incoming, outgoing };
  }
  const node = model.nodes.findIndex((n) => n.id === id);
  if (node < 0) return { incoming: 0, outgoing: 0 };
  const { start, incoming } = bySourceOf(entry, model.nodes.length);
  return { incoming: incoming[node]!, outgoing: start[node + 1]! - start[node]! };
}
