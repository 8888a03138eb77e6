import { type ConnectionSet, isEmptyConnections, subtractConnections } from '@netpol-atlas/evaluator';
import { checkPortIntent, normalizePortIntent } from './peers.ts';
import type { PortIntent } from './types.ts';

/** A policy direction. */
export type Direction = 'Ingress' | 'Egress';
/** An intent's ports. */
export type Ports = readonly PortIntent[] | 'all';

/** Checks and normalises the intent's ports. */
export function checkPorts(ports: Ports): { ports: Ports } | { problem: string } {
  if (ports === 'all') return { ports };
  if (!Array.isArray(ports) || ports.length === 0)
    return { problem: 'no ports given: pass "all" for every port' };
  const out = ports.map(normalizePortIntent);
  for (const port of out) {
    const problem = checkPortIntent(port);
    if (problem) return { problem };
  }
  return { ports: out };
}

/** The intent's ports as text: `TCP 8080, UDP 53` or `all ports`. */
export function portsText(ports: Ports): string {
  if (ports === 'all') return 'all ports';
  return ports
    .map((p) =>
      p.port === undefined
        ? `${p.protocol} (all ports)`
        : `${p.protocol} ${p.port}${p.endPort !== undefined && p.endPort !== p.port ? `-${p.endPort}` : ''}`,
    )
    .join(', ');
}

/** True when `conn` admits everything in `wanted`. */
export function covers(conn: ConnectionSet, wanted: ConnectionSet): boolean {
  return isEmptyConnections(subtractConnections(wanted, conn));
}
