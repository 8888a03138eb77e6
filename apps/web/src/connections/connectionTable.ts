import type { GraphEdge, GraphModel } from '../model/index.ts';
import {
  CONNECTION_COLUMNS,
  type ConnectionColumn,
  type ConnectionRow,
  naturalKey,
  policiesBySide,
  type SortDirection,
} from './connectionRows.ts';

// A big cluster has about a million connections. As row objects, sorted by string keys and
// searched through per-row texts, they took seconds of main-thread work to open the table.
// Here each column is one text id per row, over the column's few distinct texts (10,000 workload
// names, a few hundred connection strings): sorting is counting sorts over their ranks, a search
// tests each distinct text once, and row objects are built only for the rows on screen.

/** One column: each row's text as an index into the column's distinct texts. */
interface TextColumn {
  ids: Int32Array;
  texts: string[];
  /** Per distinct text, its place in reading order (see naturalKey); equal keys share a place. */
  ranks: Int32Array;
  /** The number of distinct places. */
  places: number;
}

/** The connections of the table, column by column. */
export interface ConnectionTable {
  readonly edges: readonly GraphEdge[];
  readonly columns: Readonly<Record<ConnectionColumn, TextColumn>>;
  readonly egress: ReadonlyMap<string, string[]>;
  readonly ingress: ReadonlyMap<string, string[]>;
}

function ranked(texts: string[], ids: Int32Array): TextColumn {
  const keys = texts.map(naturalKey);
  const byKey = texts
    .map((_, i) => i)
    .sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : 0));
  const ranks = new Int32Array(texts.length);
  let place = -1;
  for (let k = 0; k < byKey.length; k++) {
    if (k === 0 || keys[byKey[k]!] !== keys[byKey[k - 1]!]) place++;
    ranks[byKey[k]!] = place;
  }
  return { ids, texts, ranks, places: place + 1 };
}

/** Each row's text as an id into the distinct texts, in order of first appearance. */
function intern(count: number, textOf: (row: number) => string): { ids: Int32Array; texts: string[] } {
  const index = new Map<string, number>();
  const texts: string[] = [];
  const ids = new Int32Array(count);
  for (let row = 0; row < count; row++) {
    const text = textOf(row);
    let id = index.get(text);
    if (id === undefined) {
      id = texts.length;
      texts.push(text);
      index.set(text, id);
    }
    ids[row] = id;
  }
  return { ids, texts };
}

/** A column whose text follows from another column's (a side's policies from its workload). */
function derived(from: { ids: Int32Array; texts: string[] }, textOf: (text: string) => string): TextColumn {
  const own = intern(from.texts.length, (id) => textOf(from.texts[id]!));
  const ids = new Int32Array(from.ids.length);
  for (let row = 0; row < ids.length; row++) ids[row] = own.ids[from.ids[row]!]!;
  return ranked(own.texts, ids);
}

/** The table of `edges`, with the policies deciding each side (see connectionRows). */
export function connectionTable(
  model: Pick<GraphModel, 'policies'>,
  edges: readonly GraphEdge[],
): ConnectionTable {
  const { egress, ingress } = policiesBySide(model);
  const source = intern(edges.length, (row) => edges[row]!.source);
  const target = intern(edges.length, (row) => edges[row]!.target);
  const connection = intern(edges.length, (row) => edges[row]!.label);
  return {
    edges,
    egress,
    ingress,
    columns: {
      source: ranked(source.texts, source.ids),
      target: ranked(target.texts, target.ids),
      connection: ranked(connection.texts, connection.ids),
      egressPolicies: derived(source, (w) => (egress.get(w) ?? []).join(' ')),
      ingressPolicies: derived(target, (w) => (ingress.get(w) ?? []).join(' ')),
    },
  };
}

/** Row `row` of the table as the view renders it. */
export function rowAt(table: ConnectionTable, row: number): ConnectionRow {
  const edge = table.edges[row]!;
  return {
    id: edge.id,
    source: edge.source,
    target: edge.target,
    connection: edge.label,
    egressPolicies: table.egress.get(edge.source) ?? [],
    ingressPolicies: table.ingress.get(edge.target) ?? [],
  };
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

/** Rows in reading order of source, then destination (ties keep the edges' order). */
const baseOrders = new WeakMap<ConnectionTable, Int32Array>();

function baseOrder(table: ConnectionTable): Int32Array {
  let order = baseOrders.get(table);
  if (!order) {
    const { source, target } = table.columns;
    const identity = Int32Array.from({ length: table.edges.length }, (_, i) => i);
    const byTarget = byKey(identity, target.places, (row) => target.ranks[target.ids[row]!]!);
    order = byKey(byTarget, source.places, (row) => source.ranks[source.ids[row]!]!);
    baseOrders.set(table, order);
  }
  return order;
}

/**
 * The rows sorted by one column (numbers inside names compare as numbers); ties in source, then
 * destination order whichever the direction: the order sortConnectionRows gives.
 */
export function sortedRows(
  table: ConnectionTable,
  column: ConnectionColumn,
  direction: SortDirection,
): Int32Array {
  const base = baseOrder(table);
  const { ids, ranks, places } = table.columns[column];
  return direction === 'ascending'
    ? byKey(base, places, (row) => ranks[ids[row]!]!)
    : byKey(base, places, (row) => places - 1 - ranks[ids[row]!]!);
}

/**
 * The rows of `order` containing every word of the query (case-insensitive) in some cell, in
 * the same order (see filterConnectionRows). Each distinct text is tested once per word.
 */
export function filteredRows(table: ConnectionTable, order: Int32Array, query: string): Int32Array {
  const words = query
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  if (words.length === 0) return order;
  const columns = CONNECTION_COLUMNS.map((c) => table.columns[c.id]);
  // Per word and column: which distinct texts contain the word.
  const hits = words.map((word) =>
    columns.map((column) =>
      Uint8Array.from(column.texts, (text) => (text.toLowerCase().includes(word) ? 1 : 0)),
    ),
  );
  return order.filter((row) =>
    hits.every((perColumn) => perColumn.some((hit, c) => hit[columns[c]!.ids[row]!] === 1)),
  );
}
