import {
  ALL_CONNECTIONS,
  type ConnectionSet,
  PROTOCOLS,
  portRangeConnections,
  protocolConnections,
  subtractConnections,
} from '@netpol-atlas/evaluator';

const MAX_PORT = 65535;

/**
 * The `ports` entries that admit exactly `set`: one entry per range (`port`/`endPort`), a bare
 * `protocol` for a whole protocol. Unresolved named ports are not representable and are ignored.
 */
export function portEntriesFor(set: ConnectionSet): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const protocol of PROTOCOLS) {
    const ranges = set[protocol];
    for (let i = 0; i < ranges.length; i += 2) {
      const lo = ranges[i]!;
      const hi = ranges[i + 1]!;
      if (lo === 1 && hi === MAX_PORT) out.push({ protocol });
      else if (lo === hi) out.push({ protocol, port: lo });
      else out.push({ protocol, port: lo, endPort: hi });
    }
  }
  return out;
}

/** Every port except `set`. */
export function complementPorts(set: ConnectionSet): ConnectionSet {
  return subtractConnections(ALL_CONNECTIONS, set);
}

/** What one written `ports` entry admits, for numeric entries; undefined for a named port. */
export function entryConnections(entry: Record<string, unknown>): ConnectionSet | undefined {
  const protocol = (entry.protocol ?? 'TCP') as (typeof PROTOCOLS)[number];
  if (!PROTOCOLS.includes(protocol)) return undefined;
  if (entry.port === undefined || entry.port === null) return protocolConnections(protocol);
  if (typeof entry.port !== 'number') return undefined;
  const end = typeof entry.endPort === 'number' ? entry.endPort : entry.port;
  return portRangeConnections(protocol, entry.port, end);
}
