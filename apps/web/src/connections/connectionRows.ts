import type { GraphModel } from '../model/index.ts';

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

function cellText(row: ConnectionRow, column: ConnectionColumn): string {
  const value = row[column];
  return Array.isArray(value) ? value.join(' ') : value;
}

/**
 * A key that sorts as people read names: case-insensitive, and numbers as numbers (api-2 before
 * api-10) by padding every run of digits. Comparing keys is plain string comparison, many times
 * faster than a locale collator over the 100,000 rows of a big cluster.
 */
export function naturalKey(text: string): string {
  return text.toLowerCase().replace(/\d+/g, (digits) => digits.padStart(12, '0'));
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
