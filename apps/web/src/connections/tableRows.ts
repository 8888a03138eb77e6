import { policiesOf, type SidePolicies, type TableSource } from '../workspace/index.ts';
import type { ConnectionRow } from './connectionRows.ts';

/** The row of edge `edge` of the source's table, with the policies deciding each side. */
export function rowAt(source: TableSource, sides: SidePolicies, edge: number): ConnectionRow {
  const s = source.table.source[edge]!;
  const t = source.table.target[edge]!;
  const from = source.nodes[s]!.id;
  const to = source.nodes[t]!.id;
  return {
    id: `${from}->${to}`,
    source: from,
    target: to,
    connection: source.table.kinds[source.table.kind[edge]!]!.label,
    egressPolicies: policiesOf(sides, 'egress', s),
    ingressPolicies: policiesOf(sides, 'ingress', t),
  };
}
