import { describe, expect, it } from 'vitest';
import { cidrToInterval, formatIPv4, ipv4FromBytes, parseIPv4 } from './ipv4.ts';

/** `a.b.c.d` as an integer (test inputs are always valid). */
function ip(text: string): number {
  const value = parseIPv4(text);
  if (value === undefined) throw new Error(`bad test address ${text}`);
  return value;
}

/** `first-last` as readable text. */
function range(pair: readonly [number, number]): string {
  return `${formatIPv4(pair[0])}-${formatIPv4(pair[1])}`;
}

describe('parseIPv4 / formatIPv4', () => {
  it.each<[string, number]>([
    ['0.0.0.0', 0],
    ['0.0.0.1', 1],
    ['10.0.0.1', 0x0a000001],
    ['192.168.1.255', 0xc0a801ff],
    ['128.0.0.0', 0x80000000],
    ['255.255.255.255', 0xffffffff],
  ])('%s <-> %i', (text, value) => {
    expect(parseIPv4(text)).toBe(value);
    expect(formatIPv4(value)).toBe(text);
  });

  it.each([
    '',
    '1.2.3',
    '1.2.3.4.5',
    '256.0.0.1',
    '1.2.3.-1',
    '1.2.3.x',
    '1..2.3',
    '::1',
    '10.0.0.1/8',
    ' 1.2.3.4',
  ])('rejects %j', (text) => {
    expect(parseIPv4(text)).toBeUndefined();
  });

  it('returns unsigned values for addresses above 127.255.255.255', () => {
    expect(parseIPv4('200.1.1.1')).toBeGreaterThan(0);
    expect(formatIPv4(ip('200.1.1.1'))).toBe('200.1.1.1');
  });
});

describe('cidrToInterval', () => {
  it.each<[string, string]>([
    ['10.0.0.0/8', '10.0.0.0-10.255.255.255'],
    ['10.1.2.3/8', '10.0.0.0-10.255.255.255'],
    ['192.168.7.77/24', '192.168.7.0-192.168.7.255'],
    ['172.16.5.4/12', '172.16.0.0-172.31.255.255'],
    ['10.0.0.7/31', '10.0.0.6-10.0.0.7'],
    ['10.0.0.7/32', '10.0.0.7-10.0.0.7'],
    ['0.0.0.0/0', '0.0.0.0-255.255.255.255'],
    ['1.2.3.4/0', '0.0.0.0-255.255.255.255'],
    ['255.255.255.255/32', '255.255.255.255-255.255.255.255'],
    ['200.100.0.0/9', '200.0.0.0-200.127.255.255'],
  ])('%s covers %s (host bits masked)', (cidr, expected) => {
    expect(range(cidrToInterval(cidr)!)).toBe(expected);
  });

  it.each(['10.0.0.0', '10.0.0.0/33', 'x/8', '2001:db8::/64', '::ffff:10.0.0.0/104', ''])(
    '%j is not an IPv4 CIDR',
    (cidr) => {
      expect(cidrToInterval(cidr)).toBeUndefined();
    },
  );
});

describe('leading zeros and bytes', () => {
  it.each<[string, string]>([
    ['010.0.0.1', '10.0.0.1'],
    ['192.168.001.010', '192.168.1.10'],
    ['000.0.0.0', '0.0.0.0'],
  ])('reads the octets of %s as decimal, as Kubernetes does for stored IPs', (text, read) => {
    expect(formatIPv4(ip(text))).toBe(read);
  });

  it('rejects what the Go parser rejects after the zeros', () => {
    expect(parseIPv4('0256.0.0.1')).toBeUndefined();
    expect(parseIPv4('1.2.3.4%eth0')).toBeUndefined();
    expect(parseIPv4('::ffff:1.2.3.4')).toBeUndefined();
  });

  it('converts bytes in network order, unsigned', () => {
    expect(ipv4FromBytes(Uint8Array.of(10, 0, 0, 1))).toBe(0x0a000001);
    expect(ipv4FromBytes(Uint8Array.of(255, 255, 255, 255))).toBe(0xffffffff);
  });

  it('keeps the Go-compatible CIDR rules: no leading zeros in a block', () => {
    expect(cidrToInterval('010.0.0.0/8')).toBeUndefined();
  });
});
