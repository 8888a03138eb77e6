import { type Intervals, intersectIntervals, subtractIntervals, unionIntervals } from './intervals.ts';

/** The protocols NetworkPolicy can name. */
export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

/**
 * Sorted, disjoint, non-adjacent inclusive port ranges, flattened: `[lo0, hi0, lo1, hi1, ...]`.
 * Kept canonical so equal sets have equal arrays.
 */
export type PortRanges = Intervals;

/**
 * The protocol an unresolved named port is kept under: its own, or `any` for a cluster policy's
 * named port, which names no protocol (it takes the protocol of the container port it names).
 */
export type NamedPortProtocol = Protocol | 'any';
const NAMED_PORT_KEYS: readonly NamedPortProtocol[] = [...PROTOCOLS, 'any'];

/**
 * What traffic is allowed between two peers: per protocol, a set of port ranges. Named ports
 * that could not be resolved (only meaningful for exposure to pods that do not exist yet) are
 * kept apart, per protocol.
 */
export interface ConnectionSet {
  readonly TCP: PortRanges;
  readonly UDP: PortRanges;
  readonly SCTP: PortRanges;
  readonly namedPorts?: Readonly<Partial<Record<NamedPortProtocol, readonly string[]>>>;
}

const FULL: PortRanges = [MIN_PORT, MAX_PORT];
const NONE: PortRanges = [];

/** Every protocol, every port. */
export const ALL_CONNECTIONS: ConnectionSet = Object.freeze({ TCP: FULL, UDP: FULL, SCTP: FULL });
/** Nothing. */
export const NO_CONNECTIONS: ConnectionSet = Object.freeze({ TCP: NONE, UDP: NONE, SCTP: NONE });

/** A set holding one protocol's ports `from..to` (inclusive). */
export function portRangeConnections(protocol: Protocol, from: number, to: number): ConnectionSet {
  const lo = Math.max(MIN_PORT, from);
  const hi = Math.min(MAX_PORT, to);
  if (lo > hi) return NO_CONNECTIONS;
  return { ...NO_CONNECTIONS, [protocol]: [lo, hi] };
}

/** A set holding every port of one protocol. */
export function protocolConnections(protocol: Protocol): ConnectionSet {
  return { ...NO_CONNECTIONS, [protocol]: FULL };
}

function mergeNames(
  a: ConnectionSet['namedPorts'],
  b: ConnectionSet['namedPorts'],
  combine: (x: readonly string[], y: readonly string[]) => readonly string[],
): ConnectionSet['namedPorts'] {
  if (!a && !b) return undefined;
  const out: Partial<Record<NamedPortProtocol, readonly string[]>> = {};
  let any = false;
  for (const p of NAMED_PORT_KEYS) {
    const names = combine(a?.[p] ?? [], b?.[p] ?? []);
    if (names.length > 0) {
      out[p] = names;
      any = true;
    }
  }
  return any ? out : undefined;
}

function withNames(set: ConnectionSet, names: ConnectionSet['namedPorts']): ConnectionSet {
  return names ? { ...set, namedPorts: names } : set;
}

/** Traffic allowed by either set. */
export function unionConnections(a: ConnectionSet, b: ConnectionSet): ConnectionSet {
  if (a === b || isEmptyConnections(b)) return a;
  if (isEmptyConnections(a)) return b;
  const base = {
    TCP: unionIntervals(a.TCP, b.TCP),
    UDP: unionIntervals(a.UDP, b.UDP),
    SCTP: unionIntervals(a.SCTP, b.SCTP),
  };
  return withNames(
    base,
    mergeNames(a.namedPorts, b.namedPorts, (x, y) => [...new Set([...x, ...y])].sort()),
  );
}

/** Traffic allowed by both sets. */
export function intersectConnections(a: ConnectionSet, b: ConnectionSet): ConnectionSet {
  if (a === b) return a;
  if (isAllConnections(a) && !a.namedPorts) return b;
  if (isAllConnections(b) && !b.namedPorts) return a;
  const base = {
    TCP: intersectIntervals(a.TCP, b.TCP),
    UDP: intersectIntervals(a.UDP, b.UDP),
    SCTP: intersectIntervals(a.SCTP, b.SCTP),
  };
  return withNames(
    base,
    mergeNames(a.namedPorts, b.namedPorts, (x, y) => x.filter((n) => y.includes(n))),
  );
}

/** Traffic allowed by `a` but not by `b` (named ports are not subtracted: they are unresolved). */
export function subtractConnections(a: ConnectionSet, b: ConnectionSet): ConnectionSet {
  return withNames(
    {
      TCP: subtractIntervals(a.TCP, b.TCP),
      UDP: subtractIntervals(a.UDP, b.UDP),
      SCTP: subtractIntervals(a.SCTP, b.SCTP),
    },
    a.namedPorts,
  );
}

/** True when no protocol has any port (unresolved named ports included). */
export function isEmptyConnections(set: ConnectionSet): boolean {
  return set.TCP.length === 0 && set.UDP.length === 0 && set.SCTP.length === 0 && !set.namedPorts;
}

function isFull(ranges: PortRanges): boolean {
  return ranges.length === 2 && ranges[0] === MIN_PORT && ranges[1] === MAX_PORT;
}

/** True when every protocol is fully open. */
export function isAllConnections(set: ConnectionSet): boolean {
  return isFull(set.TCP) && isFull(set.UDP) && isFull(set.SCTP);
}

/** True when `port` of `protocol` is in the set. */
export function containsPort(set: ConnectionSet, protocol: Protocol, port: number): boolean {
  const ranges = set[protocol];
  for (let i = 0; i < ranges.length; i += 2) {
    if (port >= ranges[i]! && port <= ranges[i + 1]!) return true;
  }
  return false;
}

/** Structural equality (the representation is canonical). */
export function equalConnections(a: ConnectionSet, b: ConnectionSet): boolean {
  return a === b || connectionKey(a) === connectionKey(b);
}

/** A canonical string for the set, usable as a map key. */
export function connectionKey(set: ConnectionSet): string {
  let key = `${set.TCP.join(',')}|${set.UDP.join(',')}|${set.SCTP.join(',')}`;
  if (set.namedPorts) {
    for (const p of NAMED_PORT_KEYS) key += `|${(set.namedPorts[p] ?? []).join(',')}`;
  }
  return key;
}

function formatRanges(ranges: PortRanges): string {
  const parts: string[] = [];
  for (let i = 0; i < ranges.length; i += 2) {
    parts.push(ranges[i] === ranges[i + 1] ? String(ranges[i]) : `${ranges[i]}-${ranges[i + 1]}`);
  }
  return parts.join(',');
}

/**
 * Renders a set the way netpol-analyzer does: `All Connections`, `No Connections`, or
 * `<PROTO> <ports>` pieces sorted by protocol name (`SCTP 1-65535,TCP 80,UDP 53`); unresolved
 * named ports follow the numbers of their protocol. Names of no protocol come first, under
 * `anyProtocol` (netpol-analyzer prints an empty protocol there: `' local-port'`).
 */
export function formatConnectionSet(set: ConnectionSet, anyProtocol = 'any'): string {
  if (isAllConnections(set)) return 'All Connections';
  const pieces: string[] = [];
  const anyNames = set.namedPorts?.any?.join(',');
  if (anyNames) pieces.push(`${anyProtocol} ${anyNames}`);
  for (const p of [...PROTOCOLS].sort()) {
    const numbers = formatRanges(set[p]);
    const names = set.namedPorts?.[p]?.join(',') ?? '';
    const ports = [numbers, names].filter((s) => s !== '').join(',');
    if (ports !== '') pieces.push(`${p} ${ports}`);
  }
  return pieces.length === 0 ? 'No Connections' : pieces.join(',');
}

/** Parses a protocol name as Kubernetes spells it; undefined for anything else. */
export function parseProtocol(text: string | undefined): Protocol | undefined {
  const value = text ?? 'TCP';
  return (PROTOCOLS as readonly string[]).includes(value) ? (value as Protocol) : undefined;
}
