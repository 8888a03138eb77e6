// The connections table as CSV, written where the edge table lives. At 10,000 workloads the table
// has about a million rows and the file some 400 MB: building a row object per connection and
// one string of them held the page for over 15 s. Here every cell text is quoted and encoded once
// per node or connection kind, a record is a few copies of those bytes, and the file is written
// in slices of rows that the page asks for one after another, so no task is long and the page
// can show progress.

import type { GraphFilters } from '../graph/index.ts';
import type { EdgeTable } from '../model/index.ts';
import {
  type ConnectionColumn,
  type ConnectionSort,
  connectionOrder,
  policiesOf,
  sidePolicies,
} from './connectionOrder.ts';
import type { TableSource } from './tableSource.ts';

/** A column of the file: which cell, under which heading. */
export interface CsvColumn {
  id: ConnectionColumn;
  label: string;
}

/** What to export: the table's rows as it shows them, and its columns. */
export interface ConnectionsCsvQuery {
  filters: GraphFilters;
  sort: ConnectionSort;
  query: string;
  columns: readonly CsvColumn[];
}

/** Records `from` to `end` (exclusive) of `rows`, UTF-8 encoded; the header is in the slice from 0. */
export interface CsvSlice {
  bytes: Uint8Array;
  end: number;
  rows: number;
}

/** One CSV field (RFC 4180): quoted when it holds a quote, comma, CR or LF; quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * A column as written: per edge an index into its cells, each already a CSV field in UTF-8. A
 * record is then a few byte copies: no string per row, no text to encode.
 */
interface WrittenColumn {
  of: Int32Array;
  cells: readonly Uint8Array[];
}

const utf8 = new TextEncoder();
const COMMA = 0x2c;
const CRLF = utf8.encode('\r\n');

/** The cells of one column, quoted and encoded. */
function encoded(texts: readonly string[]): Uint8Array[] {
  return texts.map((text) => utf8.encode(csvField(text)));
}

/** Per table, its columns as written: they change only with the model. */
const written = new WeakMap<EdgeTable, Record<ConnectionColumn, WrittenColumn>>();

function writtenColumns(source: TableSource): Record<ConnectionColumn, WrittenColumn> {
  let columns = written.get(source.table);
  if (!columns) {
    const { nodes, table } = source;
    const sides = sidePolicies(source);
    // Policy lists are joined by spaces, as the table shows them.
    const side = (direction: 'egress' | 'ingress') =>
      encoded(nodes.map((_, node) => policiesOf(sides, direction, node).join(' ')));
    const ids = encoded(nodes.map((n) => n.id));
    columns = {
      source: { of: table.source, cells: ids },
      target: { of: table.target, cells: ids },
      connection: { of: table.kind, cells: encoded(table.kinds.map((k) => k.label)) },
      egressPolicies: { of: table.source, cells: side('egress') },
      ingressPolicies: { of: table.target, cells: side('ingress') },
    };
    written.set(source.table, columns);
  }
  return columns;
}

/** The rows of the export under way per table: its slices are asked for one after another. */
const exporting = new WeakMap<EdgeTable, { key: string; rows: Int32Array }>();

function exportRows(source: TableSource, query: ConnectionsCsvQuery): Int32Array {
  const key = JSON.stringify([query.filters, query.sort, query.query]);
  let current = exporting.get(source.table);
  if (current?.key !== key) {
    current = { key, rows: connectionOrder(source, query.filters, query.sort, query.query).rows };
    exporting.set(source.table, current);
  }
  return current.rows;
}

/**
 * Records `from` to `from + count` of the table's rows as `query` orders them (RFC 4180: CRLF
 * after every record, policy lists joined by spaces), after the header line when `from` is 0.
 * The slices of one export, concatenated, are the whole file.
 */
export function connectionsCsvSlice(
  source: TableSource,
  query: ConnectionsCsvQuery,
  from: number,
  count: number,
): CsvSlice {
  const rows = exportRows(source, query);
  const all = writtenColumns(source);
  const columns = query.columns.map((c) => all[c.id]);
  const end = Math.min(rows.length, from + count);
  const header = from === 0 ? utf8.encode(query.columns.map((c) => csvField(c.label)).join(',')) : undefined;
  // The size first, so the slice is written into one buffer.
  let size = header ? header.length + CRLF.length : 0;
  for (let i = from; i < end; i++) {
    const edge = rows[i]!;
    for (const { of, cells } of columns) size += cells[of[edge]!]!.length;
  }
  size += (end - from) * (Math.max(0, columns.length - 1) + CRLF.length);
  const bytes = new Uint8Array(size);
  let at = 0;
  if (header) {
    bytes.set(header, at);
    at += header.length;
    bytes.set(CRLF, at);
    at += CRLF.length;
  }
  for (let i = from; i < end; i++) {
    const edge = rows[i]!;
    for (let c = 0; c < columns.length; c++) {
      if (c > 0) bytes[at++] = COMMA;
      const column = columns[c]!;
      const cell = column.cells[column.of[edge]!]!;
      bytes.set(cell, at);
      at += cell.length;
    }
    bytes.set(CRLF, at);
    at += CRLF.length;
  }
  // The last slice lets go of the order; an export asked for again recomputes it.
  if (end === rows.length) exporting.delete(source.table);
  return { bytes, end, rows: rows.length };
}

/** A slice as the worker posts it: its text already a Blob, which the page only collects. */
export interface CsvBlobSlice {
  blob: Blob;
  end: number;
  rows: number;
}

/** {@link connectionsCsvSlice} as a Blob: posted, it is a handle to the bytes, not a copy for the page. */
export function connectionsCsvBlob(
  source: TableSource,
  query: ConnectionsCsvQuery,
  from: number,
  count: number,
): CsvBlobSlice {
  const { bytes, end, rows } = connectionsCsvSlice(source, query, from, count);
  return { blob: new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'text/csv' }), end, rows };
}
