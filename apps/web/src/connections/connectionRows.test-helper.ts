// The table's reference model, as plain rows: one object per connection, sorted by comparing
// natural keys, searched through one text per row. It states what the table shows; the worker
// orders the edge table's rows instead (workspace/connectionOrder.ts), and the tests check that
// the two agree.
import type { GraphEdge, GraphModel, PolicySummary } from '../model/index.ts';
import { type ConnectionColumn, naturalKey, type SortDirection } from '../workspace/connectionOrder.ts';
import { CONNECTION_COLUMNS, type ConnectionRow } from './connectionRows.ts';

function cellText(row: ConnectionRow, column: ConnectionColumn): string {
  const value = row[column];
  return Array.isArray(value) ? value.join(' ') : value;
}

/** Per workload, the policies selecting it for egress and for ingress. */
function policiesBySide(policies: readonly PolicySummary[]): {
  egress: Map<string, string[]>;
  ingress: Map<string, string[]>;
} {
  const egress = new Map<string, string[]>();
  const ingress = new Map<string, string[]>();
  for (const policy of policies) {
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
 */
export function connectionRows(
  model: Pick<GraphModel, 'policies'>,
  edges: readonly GraphEdge[],
): ConnectionRow[] {
  const { egress, ingress } = policiesBySide(model.policies);
  return edges.map((edge) => ({
    id: edge.id,
    source: edge.source,
    target: edge.target,
    connection: edge.label,
    egressPolicies: egress.get(edge.source) ?? [],
    ingressPolicies: ingress.get(edge.target) ?? [],
  }));
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
    const text = CONNECTION_COLUMNS.map((c) => cellText(row, c.id))
      .join('\n')
      .toLowerCase();
    return words.every((w) => text.includes(w));
  });
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

/** One CSV field (RFC 4180), written here on its own so the worker's writer is checked against another. */
function referenceField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The rows as RFC 4180 CSV, as the page wrote them before the worker did: a header line, CRLF
 * line breaks, policy lists joined by spaces. The file the worker writes must be this, byte for byte.
 */
export function connectionsCsv(rows: readonly ConnectionRow[]): string {
  const lines = [CONNECTION_COLUMNS.map((c) => referenceField(c.label)).join(',')];
  for (const row of rows)
    lines.push(CONNECTION_COLUMNS.map((c) => referenceField(cellText(row, c.id))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** A NetworkPolicy summary for a test: `ns/name`, its policy types and the workloads it selects. */
export function policy(id: string, types: PolicySummary['types'], selects: string[]): PolicySummary {
  const [namespace = '', name = ''] = id.split('/');
  return {
    id,
    namespace,
    name,
    kind: 'NetworkPolicy',
    tier: 'NetworkPolicy',
    priority: undefined,
    types,
    selects,
    admits: new Int32Array(),
    source: undefined,
  };
}
