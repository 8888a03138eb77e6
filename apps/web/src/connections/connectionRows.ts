// The table's rows as people read and export them. Nothing here reaches the worker's modules,
// so the e2e specs can check the page's CSV against this file's writer.

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

/** A column of the table: a cell of a row (the worker's ConnectionColumn is the same union). */
type ConnectionColumn = Exclude<keyof ConnectionRow, 'id'>;

export const CONNECTION_COLUMNS: { id: ConnectionColumn; label: string }[] = [
  { id: 'source', label: 'Source' },
  { id: 'target', label: 'Destination' },
  { id: 'connection', label: 'Protocols and ports' },
  { id: 'egressPolicies', label: 'Egress decided by' },
  { id: 'ingressPolicies', label: 'Ingress decided by' },
];

function cellText(row: ConnectionRow, column: ConnectionColumn): string {
  const value = row[column];
  return Array.isArray(value) ? value.join(' ') : value;
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
