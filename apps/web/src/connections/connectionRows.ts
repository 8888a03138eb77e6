import type { GraphEdge, GraphModel } from '../model/index.ts';

/** One allowed connection as the table lists it. */
export interface ConnectionRow {
  /** The graph edge's id (`src->dst`), so a row selects the same edge the graph does. */
  id: string;
  source: string;
  target: string;
  /** netpol-analyzer's connection string: `All Connections`, `TCP 80,UDP 53`. */
  connection: string;
  /** Policies selecting the source for egress: together they decide what it may send. */
  egressPolicies: string[];
  /** Policies selecting the destination for ingress. */
  ingressPolicies: string[];
}

export type ConnectionColumn = 'source' | 'target' | 'connection' | 'egressPolicies' | 'ingressPolicies';
export type SortDirection = 'ascending' | 'descending';

export const CONNECTION_COLUMNS: { id: ConnectionColumn; label: string }[] = [
  { id: 'source', label: 'Source' },
  { id: 'target', label: 'Destination' },
  { id: 'connection', label: 'Protocols and ports' },
  { id: 'egressPolicies', label: 'Egress decided by' },
  { id: 'ingressPolicies', label: 'Ingress decided by' },
];

/** Per workload, the policies selecting it for egress and for ingress. */
export function policiesBySide(model: Pick<GraphModel, 'policies'>): {
  egress: Map<string, string[]>;
  ingress: Map<string, string[]>;
} {
  const egress = new Map<string, string[]>();
  const ingress = new Map<string, string[]>();
  for (const policy of model.policies) {
    for (const [direction, index] of [
      ['Egress', egress],
      ['Ingress', ingress],
    ] as const) {
      if (!policy.types.includes(direction)) continue;
      for (const workload of policy.selects) {
        const list = index.get(workload) ?? [];
        list.push(policy.id);
        index.set(workload, list);
      }
    }
  }
  return { egress, ingress };
}

/**
 * The table's rows: one per allowed connection, with the policies selecting each side for the
 * direction that matters there (none means that side is not isolated and allows everything).
 * The view keeps them as columns (see connectionTable); rows are what it renders and exports.
 */
export function connectionRows(
  model: Pick<GraphModel, 'policies'>,
  edges: readonly GraphEdge[],
): ConnectionRow[] {
  const { egress, ingress } = policiesBySide(model);
  return edges.map((edge) => ({
    id: edge.id,
    source: edge.source,
    target: edge.target,
    connection: edge.label,
    egressPolicies: egress.get(edge.source) ?? [],
    ingressPolicies: ingress.get(edge.target) ?? [],
  }));
}

function cellText(row: ConnectionRow, column: ConnectionColumn): string {
  const value = row[column];
  return Array.isArray(value) ? value.join(' ') : value;
}

/** Each row's cells as one lower-case text, computed once per row (typing re-filters many times). */
const haystacks = new WeakMap<ConnectionRow, string>();

function haystack(row: ConnectionRow): string {
  let text = haystacks.get(row);
  if (text === undefined) {
    text = CONNECTION_COLUMNS.map((c) => cellText(row, c.id))
      .join('\n')
      .toLowerCase();
    haystacks.set(row, text);
  }
  return text;
}

/**
 * Rows containing every word of the query (case-insensitive) somewhere in their cells:
 * `store 8080` finds store's connections on 8080.
 */
export function filterConnectionRows(
  rows: readonly ConnectionRow[],
  query: string,
): readonly ConnectionRow[] {
  const words = query
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  if (words.length === 0) return rows;
  return rows.filter((row) => {
    const text = haystack(row);
    return words.every((w) => text.includes(w));
  });
}

/**
 * A key that sorts as people read names: case-insensitive, and numbers as numbers (api-2 before
 * api-10) by padding every run of digits. Comparing keys is plain string comparison, many times
 * faster than a locale collator over the 100,000 rows of a big cluster.
 */
export function naturalKey(text: string): string {
  return text.toLowerCase().replace(/\d+/g, (digits) => digits.padStart(12, '0'));
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Sorted by one column (numbers inside names compare as numbers: api-2 before api-10); ties keep
 * source, then destination order, so the result never depends on the input order.
 */
export function sortConnectionRows(
  rows: readonly ConnectionRow[],
  column: ConnectionColumn,
  direction: SortDirection,
): ConnectionRow[] {
  const sign = direction === 'ascending' ? 1 : -1;
  const keyed = rows.map((row) => ({
    row,
    key: naturalKey(cellText(row, column)),
    source: naturalKey(row.source),
    target: naturalKey(row.target),
  }));
  keyed.sort(
    (a, b) =>
      sign * compareKeys(a.key, b.key) || compareKeys(a.source, b.source) || compareKeys(a.target, b.target),
  );
  return keyed.map((k) => k.row);
}

/** One CSV field (RFC 4180): quoted when it holds a quote, comma, CR or LF; quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The rows as RFC 4180 CSV: a header line, CRLF line breaks, policy lists joined by spaces. */
export function connectionsCsv(rows: readonly ConnectionRow[]): string {
  const lines = [CONNECTION_COLUMNS.map((c) => csvField(c.label)).join(',')];
  for (const row of rows) lines.push(CONNECTION_COLUMNS.map((c) => csvField(cellText(row, c.id))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
