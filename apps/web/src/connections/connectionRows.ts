// The table's rows and columns as people read and export them (the worker writes the CSV file:
// workspace/connectionsCsv.ts). Nothing here reaches the worker's modules, so the e2e specs can
// import it.

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
