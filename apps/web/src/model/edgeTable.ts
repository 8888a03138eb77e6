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

const tables = new WeakMap<object, { table: EdgeTable; revision: number }>();

/**
 * The model of a wire model: the same nodes, namespaces and policies, and `edges` built from the
 * table the first time something reads them (then kept). Counting edges or asking whether they
 * carry tiers does not build them (see edgeCount, hasEdgeTiers).
 */
export function hydrateModel(wire: WireModel): GraphModel {
  const { table, revision, ...rest } = wire;
  let edges: GraphEdge[] | undefined;
  const model = rest as GraphModel;
  Object.defineProperty(model, 'edges', {
    enumerable: true,
    configurable: true,
    get: () => {
      edges ??= Array.from({ length: edgeTotal(table) }, (_, i) => edgeAt(wire.nodes, table, i));
      return edges;
    },
  });
  tables.set(model, { table, revision });
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
