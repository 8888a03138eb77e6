import { describe, expect, it } from 'vitest';
import {
  cidrContains,
  isStrictSubset,
  maskCIDR,
  type ParsedCIDR,
  parseCIDR,
  parseCIDRSloppy,
  parseIPSloppy,
  strictCIDRProblem,
} from './cidr.ts';
import { formatCIDR, formatIP } from './cidrTesting.ts';

function cidr(text: string): ParsedCIDR {
  const parsed = parseCIDR(text);
  if (parsed === undefined) throw new Error(`test CIDR ${text} does not parse`);
  return parsed;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

describe('parseCIDR', () => {
  it.each<[string, 4 | 6, string, number]>([
    ['10.0.0.0/8', 4, '0a000000', 8],
    ['0.0.0.0/0', 4, '00000000', 0],
    ['255.255.255.255/32', 4, 'ffffffff', 32],
    // The address is kept as written: host bits are the caller's business.
    ['10.1.2.3/8', 4, '0a010203', 8],
    ['10.0.0.0/08', 4, '0a000000', 8],
    ['2001:db8::/64', 6, '20010db8000000000000000000000000', 64],
    ['::/0', 6, '00000000000000000000000000000000', 0],
    ['::1/128', 6, '00000000000000000000000000000001', 128],
    ['1::/16', 6, '00010000000000000000000000000000', 16],
    ['1:2:3:4:5:6:7::/128', 6, '00010002000300040005000600070000', 128],
    ['FE80:0ABC:0:0:0:0:0:0/64', 6, 'fe800abc000000000000000000000000', 64],
    ['::ffff:10.0.0.0/104', 6, '00000000000000000000ffff0a000000', 104],
    ['1:2:3:4:5:6:1.2.3.4/128', 6, '00010002000300040005000601020304', 128],
    ['64:ff9b::192.0.2.33/96', 6, '0064ff9b0000000000000000c0000221', 96],
  ])('%s', (text, family, bytes, prefix) => {
    const parsed = parseCIDR(text);
    expect(parsed).toBeDefined();
    expect(parsed?.family).toBe(family);
    expect(hex(parsed?.bytes ?? new Uint8Array())).toBe(bytes);
    expect(parsed?.prefix).toBe(prefix);
  });

  it.each([
    'A',
    '',
    '10.0.0.0',
    '10.0.0.0/',
    '10.0.0.0/33',
    '10.0.0.0/-1',
    '10.0.0.0/+8',
    '10.0.0.0/8 ',
    ' 10.0.0.0/8',
    '10.0.0/8',
    '10.0.0.0.0/8',
    '256.0.0.0/8',
    '010.0.0.0/8',
    '10.00.0.0/16',
    '1.2.3.4a/32',
    '2001:db8::/129',
    '2001:db8:::/64',
    '2001::db8::1/64',
    ':1/128',
    '1:/128',
    '1:2:3:4:5:6:7:8:9/128',
    '1:2:3:4:5:6:7:8::/128',
    '12345::/16',
    'fe80::1%eth0/64',
    '::ffff:010.0.0.0/104',
    '1.2.3.4::/128',
    '1:2:3:4:5:1.2.3.4/128',
    '10.0.0.0/99999999999',
  ])('rejects %j', (text) => {
    expect(parseCIDR(text)).toBeUndefined();
  });
});

describe('parseCIDRSloppy', () => {
  it('reads leading-zero octets as decimal, like netutils.ParseCIDRSloppy', () => {
    expect(formatCIDR(parseCIDRSloppy('010.000.0.01/8') ?? cidr('0.0.0.0/0'))).toBe('10.0.0.1/8');
    expect(parseCIDRSloppy('::ffff:010.0.0.0/104')?.family).toBe(6);
  });
  it('still rejects what is not a CIDR', () => {
    expect(parseCIDRSloppy('A')).toBeUndefined();
    expect(parseCIDRSloppy('0256.0.0.0/8')).toBeUndefined();
  });
});

describe('parseIPSloppy', () => {
  it('parses bare addresses', () => {
    expect(hex(parseIPSloppy('192.168.1.1') ?? new Uint8Array())).toBe('c0a80101');
    expect(parseIPSloppy('::')?.length).toBe(16);
    expect(parseIPSloppy('10.0.0.0/8')).toBeUndefined();
    expect(parseIPSloppy('')).toBeUndefined();
    expect(hex(parseIPSloppy('010.0.0.01') ?? new Uint8Array())).toBe('0a000001');
  });
});

describe('maskCIDR', () => {
  it.each([
    ['10.1.2.3/8', '10.0.0.0/8'],
    ['10.1.2.3/32', '10.1.2.3/32'],
    ['10.1.2.3/0', '0.0.0.0/0'],
    ['192.168.255.255/20', '192.168.240.0/20'],
    ['2001:db8:ffff::1/36', '2001:db8:f000::/36'],
  ])('%s -> %s', (text, masked) => {
    const original = cidr(text);
    expect(formatCIDR(maskCIDR(original))).toBe(masked);
    expect(formatCIDR(original)).toBe(formatCIDR(cidr(text)));
  });
});

describe('isStrictSubset', () => {
  it.each<[string, string, boolean]>([
    ['10.0.5.0/24', '10.0.0.0/16', true],
    ['10.0.0.0/16', '0.0.0.0/0', true],
    ['10.0.0.1/32', '10.0.0.0/31', true],
    ['10.0.0.0/16', '10.0.0.0/16', false],
    ['10.0.0.0/8', '10.0.0.0/16', false],
    ['10.1.0.0/24', '10.0.0.0/16', false],
    // Host bits of either side do not matter: both are compared as networks.
    ['10.0.5.7/24', '10.0.9.9/16', true],
    ['2001:db8:1::/48', '2001:db8::/32', true],
    ['2001:db9::/48', '2001:db8::/32', false],
    ['2001:db8::/64', '10.0.0.0/8', false],
    ['10.0.0.0/16', '::/0', false],
    // Go compares IPv4-mapped IPv6 as IPv4, but mask sizes as written: /104 is not shorter than /16.
    ['10.1.0.0/16', '::ffff:10.0.0.0/104', false],
    ['10.1.0.0/16', '::ffff:10.0.0.0/8', false],
    ['::ffff:10.1.0.0/112', '10.0.0.0/8', true],
  ])('%s in %s: %s', (inner, outer, expected) => {
    expect(isStrictSubset(cidr(inner), cidr(outer))).toBe(expected);
  });
});

describe('cidrContains', () => {
  it('tests single addresses', () => {
    const block = cidr('192.168.0.0/16');
    expect(cidrContains(block, parseIPSloppy('192.168.3.4') ?? new Uint8Array())).toBe(true);
    expect(cidrContains(block, parseIPSloppy('192.169.0.0') ?? new Uint8Array())).toBe(false);
    expect(cidrContains(block, parseIPSloppy('::ffff:192.168.3.4') ?? new Uint8Array())).toBe(true);
    expect(cidrContains(cidr('::/0'), parseIPSloppy('192.168.3.4') ?? new Uint8Array())).toBe(false);
  });
});

describe('formatIP', () => {
  it.each([
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['::', '::'],
    ['1::', '1::'],
    ['::ffff:1.2.3.4', '::ffff:1.2.3.4'],
    ['1.2.3.4', '1.2.3.4'],
  ])('%s -> %s', (text, formatted) => {
    expect(formatIP(parseIPSloppy(text) ?? new Uint8Array())).toBe(formatted);
  });
});

describe('strictCIDRProblem', () => {
  it.each<[string, string | undefined]>([
    ['10.0.0.0/8', undefined],
    ['2001:db8::/64', undefined],
    ['FE80:0ABC:0:0:0:0:0:0/64', undefined],
    ['0.0.0.0/0', undefined],
    ['10.0.0.1/24', 'host-bits'],
    ['10.0.0.1/32', undefined],
    ['2001:db8::1/64', 'host-bits'],
    ['::ffff:10.0.0.0/104', 'ipv4-mapped'],
    ['::ffff:a00:0/104', 'ipv4-mapped'],
    ['::ffff:10.0.0.1/104', 'ipv4-mapped'],
    ['010.0.0.0/8', 'leading-zeros'],
    ['10.0.0.0/08', 'leading-zeros'],
    ['10.0.0.0/00', 'leading-zeros'],
    ['::ffff:010.0.0.0/104', 'leading-zeros'],
  ])('%s: %s', (text, problem) => {
    const parsed = parseCIDRSloppy(text);
    if (parsed === undefined) throw new Error(`${text} does not parse`);
    expect(strictCIDRProblem(text, parsed)).toBe(problem);
  });
});
