import { describe, expect, it } from 'vitest';
import {
  ALL_CONNECTIONS,
  type ConnectionSet,
  connectionKey,
  containsPort,
  equalConnections,
  formatConnectionSet,
  intersectConnections,
  isAllConnections,
  isEmptyConnections,
  NO_CONNECTIONS,
  PROTOCOLS,
  parseProtocol,
  portRangeConnections,
  protocolConnections,
  subtractConnections,
  unionConnections,
} from './index.ts';

/** A set from per-protocol ranges (`TCP: [80, 80]`). */
function set(parts: Partial<Record<'TCP' | 'UDP' | 'SCTP', number[]>>): ConnectionSet {
  return { TCP: parts.TCP ?? [], UDP: parts.UDP ?? [], SCTP: parts.SCTP ?? [] };
}

const tcp = (from: number, to = from) => portRangeConnections('TCP', from, to);
const udp = (from: number, to = from) => portRangeConnections('UDP', from, to);

describe('constructors', () => {
  it('portRangeConnections holds one protocol range', () => {
    expect(tcp(80)).toEqual(set({ TCP: [80, 80] }));
    expect(portRangeConnections('SCTP', 1000, 2000)).toEqual(set({ SCTP: [1000, 2000] }));
  });

  it('portRangeConnections clamps to 1-65535 and is empty for inverted ranges', () => {
    expect(portRangeConnections('UDP', 0, 70000)).toEqual(set({ UDP: [1, 65535] }));
    expect(isEmptyConnections(portRangeConnections('TCP', 90, 80))).toBe(true);
    expect(isEmptyConnections(portRangeConnections('TCP', 70000, 80000))).toBe(true);
  });

  it('protocolConnections holds every port of one protocol', () => {
    expect(protocolConnections('UDP')).toEqual(set({ UDP: [1, 65535] }));
    expect(isAllConnections(protocolConnections('UDP'))).toBe(false);
  });

  it('ALL_CONNECTIONS and NO_CONNECTIONS', () => {
    expect(isAllConnections(ALL_CONNECTIONS)).toBe(true);
    expect(isEmptyConnections(ALL_CONNECTIONS)).toBe(false);
    expect(isEmptyConnections(NO_CONNECTIONS)).toBe(true);
    expect(isAllConnections(NO_CONNECTIONS)).toBe(false);
    expect(PROTOCOLS).toEqual(['TCP', 'UDP', 'SCTP']);
  });
});

describe('unionConnections', () => {
  it.each<[string, ConnectionSet, ConnectionSet, ConnectionSet]>([
    ['with nothing', tcp(80), NO_CONNECTIONS, tcp(80)],
    ['nothing with', NO_CONNECTIONS, udp(53), udp(53)],
    ['two protocols', tcp(80), udp(53), set({ TCP: [80, 80], UDP: [53, 53] })],
    ['adjacent ports merge', tcp(80), tcp(81), tcp(80, 81)],
    ['adjacent ranges merge', tcp(1, 1000), tcp(1001, 65535), protocolConnections('TCP')],
    ['overlapping ranges', tcp(10, 20), tcp(15, 30), tcp(10, 30)],
    ['a gap stays', tcp(80), tcp(82), set({ TCP: [80, 80, 82, 82] })],
    [
      'every protocol full makes All',
      protocolConnections('TCP'),
      set({ UDP: [1, 65535], SCTP: [1, 65535] }),
      ALL_CONNECTIONS,
    ],
  ])('%s', (_, a, b, expected) => {
    expect(unionConnections(a, b)).toEqual(expected);
    expect(equalConnections(unionConnections(b, a), expected)).toBe(true);
  });

  it('keeps unresolved named ports apart, sorted and de-duplicated', () => {
    const a: ConnectionSet = { ...tcp(80), namedPorts: { TCP: ['metrics', 'http'] } };
    const b: ConnectionSet = { ...udp(53), namedPorts: { TCP: ['http'], UDP: ['dns'] } };
    expect(unionConnections(a, b)).toEqual({
      ...set({ TCP: [80, 80], UDP: [53, 53] }),
      namedPorts: { TCP: ['http', 'metrics'], UDP: ['dns'] },
    });
  });
});

describe('intersectConnections', () => {
  it.each<[string, ConnectionSet, ConnectionSet, ConnectionSet]>([
    ['All is the identity', ALL_CONNECTIONS, tcp(80), tcp(80)],
    ['with nothing', tcp(80), NO_CONNECTIONS, NO_CONNECTIONS],
    ['different protocols', tcp(80), udp(80), NO_CONNECTIONS],
    ['overlapping ranges', tcp(10, 20), tcp(15, 30), tcp(15, 20)],
    ['range and point', tcp(1, 1024), set({ TCP: [80, 80, 8080, 8080], UDP: [53, 53] }), tcp(80)],
    [
      'protocol-wide and range',
      protocolConnections('UDP'),
      set({ UDP: [53, 54], TCP: [1, 10] }),
      udp(53, 54),
    ],
  ])('%s', (_, a, b, expected) => {
    expect(equalConnections(intersectConnections(a, b), expected)).toBe(true);
    expect(equalConnections(intersectConnections(b, a), expected)).toBe(true);
  });

  it('keeps only the named ports both sides hold', () => {
    const a: ConnectionSet = { ...NO_CONNECTIONS, namedPorts: { TCP: ['http', 'metrics'] } };
    const b: ConnectionSet = { ...NO_CONNECTIONS, namedPorts: { TCP: ['http'], UDP: ['dns'] } };
    expect(intersectConnections(a, b)).toEqual({ ...NO_CONNECTIONS, namedPorts: { TCP: ['http'] } });
  });
});

describe('subtractConnections', () => {
  it.each<[string, ConnectionSet, ConnectionSet, ConnectionSet]>([
    ['nothing from All', ALL_CONNECTIONS, NO_CONNECTIONS, ALL_CONNECTIONS],
    ['All from anything', tcp(80), ALL_CONNECTIONS, NO_CONNECTIONS],
    ['a port out of a protocol', protocolConnections('TCP'), tcp(80), set({ TCP: [1, 79, 81, 65535] })],
    ['another protocol is untouched', tcp(80), udp(80), tcp(80)],
    ['a range out of a range', tcp(1, 100), tcp(50, 200), tcp(1, 49)],
    [
      'a protocol out of All',
      ALL_CONNECTIONS,
      protocolConnections('SCTP'),
      set({ TCP: [1, 65535], UDP: [1, 65535] }),
    ],
  ])('%s', (_, a, b, expected) => {
    expect(subtractConnections(a, b)).toEqual(expected);
  });

  it('keeps the named ports of the left side (they are unresolved)', () => {
    const a: ConnectionSet = { ...tcp(80), namedPorts: { TCP: ['http'] } };
    expect(subtractConnections(a, ALL_CONNECTIONS)).toEqual({
      ...NO_CONNECTIONS,
      namedPorts: { TCP: ['http'] },
    });
  });
});

describe('canonical form', () => {
  it('equal sets built differently have equal keys and arrays', () => {
    const a = [tcp(80), tcp(81), tcp(82, 90), udp(53)].reduce(unionConnections, NO_CONNECTIONS);
    const b = [udp(53), tcp(85, 90), tcp(80, 84)].reduce(unionConnections, NO_CONNECTIONS);
    expect(a).toEqual(b);
    expect(connectionKey(a)).toBe(connectionKey(b));
    expect(equalConnections(a, b)).toBe(true);
  });

  it('different sets have different keys', () => {
    const variants = [
      NO_CONNECTIONS,
      ALL_CONNECTIONS,
      tcp(80),
      udp(80),
      portRangeConnections('SCTP', 80, 80),
      tcp(80, 81),
      set({ TCP: [80, 80, 82, 82] }),
      { ...NO_CONNECTIONS, namedPorts: { TCP: ['http'] } },
      { ...NO_CONNECTIONS, namedPorts: { UDP: ['http'] } },
    ];
    const keys = variants.map(connectionKey);
    expect(new Set(keys).size).toBe(variants.length);
  });

  it('a union that re-fills a subtracted hole gives back the original', () => {
    const holed = subtractConnections(ALL_CONNECTIONS, tcp(80, 81));
    expect(isAllConnections(holed)).toBe(false);
    expect(unionConnections(holed, tcp(80, 81))).toEqual(ALL_CONNECTIONS);
  });
});

describe('containsPort', () => {
  const s = set({ TCP: [80, 80, 8000, 8999], UDP: [53, 53] });
  it.each<[string, 'TCP' | 'UDP' | 'SCTP', number, boolean]>([
    ['TCP 80', 'TCP', 80, true],
    ['TCP 79', 'TCP', 79, false],
    ['TCP 81', 'TCP', 81, false],
    ['TCP 8000 (range start)', 'TCP', 8000, true],
    ['TCP 8999 (range end)', 'TCP', 8999, true],
    ['TCP 9000', 'TCP', 9000, false],
    ['UDP 53', 'UDP', 53, true],
    ['UDP 80 (other protocol)', 'UDP', 80, false],
    ['SCTP 53', 'SCTP', 53, false],
  ])('%s', (_, protocol, port, expected) => {
    expect(containsPort(s, protocol, port)).toBe(expected);
  });

  it('All contains the extreme ports of every protocol', () => {
    for (const p of PROTOCOLS) {
      expect(containsPort(ALL_CONNECTIONS, p, 1)).toBe(true);
      expect(containsPort(ALL_CONNECTIONS, p, 65535)).toBe(true);
    }
  });
});

describe('formatConnectionSet', () => {
  it.each<[string, ConnectionSet, string]>([
    ['everything', ALL_CONNECTIONS, 'All Connections'],
    ['nothing', NO_CONNECTIONS, 'No Connections'],
    ['one port', tcp(80), 'TCP 80'],
    ['a range', tcp(8000, 8080), 'TCP 8000-8080'],
    ['ports and ranges', set({ TCP: [80, 80, 443, 443, 8000, 8080] }), 'TCP 80,443,8000-8080'],
    [
      'protocols sorted by name',
      set({ TCP: [80, 80], UDP: [53, 53], SCTP: [1, 65535] }),
      'SCTP 1-65535,TCP 80,UDP 53',
    ],
    ['two full protocols', set({ TCP: [1, 65535], UDP: [1, 65535] }), 'TCP 1-65535,UDP 1-65535'],
    [
      'All but one port',
      subtractConnections(ALL_CONNECTIONS, udp(53)),
      'SCTP 1-65535,TCP 1-65535,UDP 1-52,54-65535',
    ],
    [
      'named ports follow the numbers',
      { ...tcp(80), namedPorts: { TCP: ['http'], UDP: ['dns'] } },
      'TCP 80,http,UDP dns',
    ],
  ])('%s -> %s', (_, s, expected) => {
    expect(formatConnectionSet(s)).toBe(expected);
  });
});

describe('parseProtocol', () => {
  it.each<[string | undefined, string | undefined]>([
    [undefined, 'TCP'],
    ['TCP', 'TCP'],
    ['UDP', 'UDP'],
    ['SCTP', 'SCTP'],
    // Kubernetes protocol names are case-sensitive.
    ['tcp', undefined],
    ['ICMP', undefined],
    ['', undefined],
  ])('%s -> %s', (text, expected) => {
    expect(parseProtocol(text)).toBe(expected);
  });
});
