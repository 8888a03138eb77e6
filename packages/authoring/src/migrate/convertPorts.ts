// v1alpha1 port entries (`portNumber`, `namedPort`, `portRange`) as v1alpha2 `protocols[]` entries.

import type { PathSegment } from '@netpol-atlas/manifests';
import { cloneValue } from '../json.ts';
import type { Json, Walk } from './convertWalk.ts';

const PROTOCOL_FIELDS: Readonly<Record<string, string>> = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' };

/** A v1alpha1 `ports[]` entry as v1alpha2 `protocols[]` entries (none when it matches no port). */
export function convertPort(walk: Walk, raw: unknown, path: PathSegment[]): Json[] {
  const entry = walk.take(raw, path, ['portNumber', 'namedPort', 'portRange']);
  if (!entry) {
    walk.report('unconvertible-field', 'error', path, 'a port entry that is not a map: left out');
    return [];
  }
  const out: Json[] = [];
  if (entry.portNumber !== undefined) {
    const where = [...path, 'portNumber'];
    const number = walk.take(entry.portNumber, where, ['protocol', 'port']);
    const protocol = protocolField(walk, number?.protocol, [...where, 'protocol']);
    if (number && protocol)
      out.push({ [protocol]: { destinationPort: { number: cloneValue(number.port) } } });
  }
  if (entry.namedPort !== undefined) out.push({ destinationNamedPort: cloneValue(entry.namedPort) });
  if (entry.portRange !== undefined) {
    const where = [...path, 'portRange'];
    const range = walk.take(entry.portRange, where, ['protocol', 'start', 'end']);
    const protocol = protocolField(walk, range?.protocol, [...where, 'protocol']);
    if (range && protocol) {
      const { start, end } = range;
      if (typeof start === 'number' && typeof end === 'number' && start > end) {
        walk.report(
          'empty-port-range',
          'warning',
          where,
          `port range ${start}-${end} starts above its end and matches no port (the v1alpha1 CRD stores it; the v1alpha2 one refuses it): left out`,
        );
      } else if (typeof start === 'number' && start === end) {
        // v1alpha2 ranges need start < end: a one-port range is that port.
        out.push({ [protocol]: { destinationPort: { number: start } } });
      } else {
        out.push({
          [protocol]: { destinationPort: { range: { start: cloneValue(start), end: cloneValue(end) } } },
        });
      }
    }
  }
  return out;
}

/** `tcp`, `udp` or `sctp` for a v1alpha1 protocol (absent: TCP, the CRD's default). */
function protocolField(walk: Walk, protocol: unknown, path: PathSegment[]): string | undefined {
  const name = protocol === undefined || protocol === '' ? 'TCP' : protocol;
  const field = typeof name === 'string' ? PROTOCOL_FIELDS[name] : undefined;
  if (!field) {
    walk.report(
      'unconvertible-field',
      'error',
      path,
      `protocol ${JSON.stringify(protocol)} is none of TCP, UDP, SCTP: the port entry is left out (the API server refuses the v1alpha1 object)`,
    );
  }
  return field;
}
