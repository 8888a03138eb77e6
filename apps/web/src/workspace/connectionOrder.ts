// The connections table's rows, as the worker orders them: a big cluster has about a million
// connections, and as row objects, sorted by string keys and searched through per-row texts,
// they took seconds of main-thread work to open the table. Here a row is an index into the edge
// table, and each column is the row's node or connection kind with a text per node or kind (10,000
// workload names, a few hundred connection strings): sorting is counting sorts over their ranks,
// a search tests each text once, and only the rows' order reaches the page, which builds row
// objects for the rows on screen.

import type { GraphFilters } from '../graph/index.ts';
import { keptByFilters } from './edgeFilter.ts';
import type { TableSource } from './tableSource.ts';

export type ConnectionColumn = 'source' | 'target' | 'connection' | 'egressPolicies' | 'ingressPolicies';
export type SortDirection = 'ascending' | 'descending';

/** The order the table shows: by one column, one way. */
export interface ConnectionSort {
  column: ConnectionColumn;
  direction: SortDirection;
}

/** The table's rows as asked for: the edge indices, in order, and what they answer. */
export interface ConnectionOrder {
  /** The edge table's indices of the rows shown, in the order shown. */
  rows: Int32Array;
  /** The connections the graph's filters keep, before the search. */
  total: number;
  sort: ConnectionSort;
  query: string;
}

/**
 * A key that sorts as people read names: case-insensitive, and numbers as numbers (api-2 before
 * api-10) by padding every run of digits. Comparing keys is plain string comparison, many times
 * faster than a locale collator.
 */
export function naturalKey(text: string): string {
  return text.toLowerCase().replace(/\d+/g, (digits) => digits.padStart(12, '0'));
}

/**
 * Per node, the policies selecting it for egress and for ingress, in the model's policy order:
 * together they decide what that side allows (none: that side is not isolated and allows
 * everything). Lists of indices into `ids`, so the page gets them as a few transferred arrays.
 */
export interface SidePolicies {
  ids: string[];
  /** Node `i`'s egress policies are `egress[egressStart[i]]` to `egress[egressStart[i + 1] - 1]`. */
  egressStart: Int32Array;
  egress: Int32Array;
  ingressStart: Int32Array;
  ingress: Int32Array;
}

/** The policies deciding each side of each node of `source` (fresh arrays on each call). */
export function sidePolicies(source: TableSource): SidePolicies {
  const { nodes, policies } = source;
  const index = new Map(nodes.map((n, i) => [n.id as string, i]));
  const side = (direction: 'Egress' | 'Ingress') => {
    const start = new Int32Array(nodes.length + 1);
    const applies = policies.map((p) => p.types.includes(direction));
    policies.forEach((p, k) => {
      if (!applies[k]) return;
      for (const id of p.selects) {
        const node = index.get(id);
        if (node !== undefined) start[node + 1]!++;
      }
    });
    for (let i = 0; i < nodes.length; i++) start[i + 1]! += start[i]!;
    const next = start.slice(0, nodes.length);
    const list = new Int32Array(start[nodes.length]!);
    policies.forEach((p, k) => {
      if (!applies[k]) return;
      for (const id of p.selects) {
        const node = index.get(id);
        if (node !== undefined) list[next[node]!++] = k;
      }
    });
    return { start, list };
  };
  const egress = side('Egress');
  const ingress = side('Ingress');
  return {
    ids: policies.map((p) => p.id),
    egressStart: egress.start,
    egress: egress.list,
    ingressStart: ingress.start,
    ingress: ingress.list,
  };
}

/** The policies deciding one side of node `node`, by id. */
export function policiesOf(sides: SidePolicies, side: 'egress' | 'ingress', node: number): string[] {
  const start = side === 'egress' ? sides.egressStart : sides.ingressStart;
  const list = side === 'egress' ? sides.egress : sides.ingress;
  return Array.from(list.subarray(start[node], start[node + 1]), (k) => sides.ids[k]!);
}

/** One column: per edge an index into `texts` (a node or a connection kind), and its texts ranked. */
interface TextColumn {
  of: Int32Array;
  texts: readonly string[];
  /** Per text, its place in reading order (see naturalKey); equal keys share a place. */
  ranks: Int32Array;
  /** The number of distinct places. */
  places: number;
}

function column(of: Int32Array, texts: readonly string[]): TextColumn {
  const keys = texts.map(naturalKey);
  const byKey = keys
    .map((_, i) => i)
    .sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : 0));
  const ranks = new Int32Array(texts.length);
  let place = -1;
  for (let k = 0; k < byKey.length; k++) {
    if (k === 0 || keys[byKey[k]!] !== keys[byKey[k - 1]!]) place++;
    ranks[byKey[k]!] = place;
  }
  return { of, texts, ranks, places: place + 1 };
}

/** The connections the filters keep, column by column, with the orders asked for so far. */
interface ConnectionsView {
  filters: string;
  /** The kept edges in table order. */
  edges: Int32Array;
  columns: Record<ConnectionColumn, TextColumn>;
  /** Rows in reading order of source, then destination (ties keep the table's order). */
  base: Int32Array | undefined;
  sorted: Map<string, Int32Array>;
}

function viewOf(source: TableSource, filters: GraphFilters, key: string): ConnectionsView {
  const { nodes, table } = source;
  const sides = sidePolicies(source);
  const ids = nodes.map((n) => n.id as string);
  return {
    filters: key,
    edges: keptByFilters(nodes, table, filters).edges,
    columns: {
      source: column(table.source, ids),
      target: column(table.target, ids),
      connection: column(
        table.kind,
        table.kinds.map((k) => k.label),
      ),
      egressPolicies: column(
        table.source,
        ids.map((_, node) => policiesOf(sides, 'egress', node).join(' ')),
      ),
      ingressPolicies: column(
        table.target,
        ids.map((_, node) => policiesOf(sides, 'ingress', node).join(' ')),
      ),
    },
    base: undefined,
    sorted: new Map(),
  };
}

/** The last view per table: the filters change far less often than the order or the search. */
const views = new WeakMap<object, ConnectionsView>();

function connectionsView(source: TableSource, filters: GraphFilters): ConnectionsView {
  const key = JSON.stringify(filters);
  let view = views.get(source.table);
  if (view?.filters !== key) {
    view = viewOf(source, filters, key);
    views.set(source.table, view);
  }
  return view;
}

/** A stable counting sort of `order` by a small integer key per row. */
function byKey(order: Int32Array, places: number, keyOf: (row: number) => number): Int32Array {
  const starts = new Int32Array(places + 1);
  for (const row of order) starts[keyOf(row) + 1]!++;
  for (let k = 0; k < places; k++) starts[k + 1]! += starts[k]!;
  const out = new Int32Array(order.length);
  for (const row of order) out[starts[keyOf(row)]!++] = row;
  return out;
}

/**
 * The rows sorted by one column (numbers inside names compare as numbers); ties in source, then
 * destination order whichever the direction.
 */
function sortedRows(view: ConnectionsView, sort: ConnectionSort): Int32Array {
  const name = `${sort.column} ${sort.direction}`;
  let order = view.sorted.get(name);
  if (!order) {
    const { source, target } = view.columns;
    view.base ??= byKey(
      byKey(view.edges, target.places, (row) => target.ranks[target.of[row]!]!),
      source.places,
      (row) => source.ranks[source.of[row]!]!,
    );
    const { of, ranks, places } = view.columns[sort.column];
    order =
      sort.direction === 'ascending'
        ? byKey(view.base, places, (row) => ranks[of[row]!]!)
        : byKey(view.base, places, (row) => places - 1 - ranks[of[row]!]!);
    view.sorted.set(name, order);
  }
  return order;
}

/**
 * The rows of `order` containing every word of the query (case-insensitive) in some cell, in the
 * same order. Each text is tested once per word.
 */
function searched(view: ConnectionsView, order: Int32Array, query: string): Int32Array {
  const words = query
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  if (words.length === 0) return order;
  const columns = Object.values(view.columns);
  // Per word and column: which texts contain the word.
  const hits = words.map((word) =>
    columns.map((c) => Uint8Array.from(c.texts, (text) => (text.toLowerCase().includes(word) ? 1 : 0))),
  );
  return order.filter((row) =>
    hits.every((perColumn) => perColumn.some((hit, c) => hit[columns[c]!.of[row]!] === 1)),
  );
}

/**
 * The connections table's rows: every connection the graph's filters keep, sorted, then those
 * the search finds. The order is the caller's to keep: a fresh array, never the cached one (the
 * worker transfers it).
 */
export function connectionOrder(
  source: TableSource,
  filters: GraphFilters,
  sort: ConnectionSort,
  query: string,
): ConnectionOrder {
  const view = connectionsView(source, filters);
  const sorted = sortedRows(view, sort);
  const rows = searched(view, sorted, query);
  return { rows: rows === sorted ? sorted.slice() : rows, total: view.edges.length, sort, query };
}
