import { cidrToInterval, formatIPv4, IPV4_ALL } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import { type Intervals, unionIntervals } from './intervals.ts';
import { ipAtoms, ipBlockIntervals, isIPv6Cidr } from './ip.ts';

/** `first-last` pairs as readable text. */
function ranges(set: Intervals): string[] {
  const out: string[] = [];
  for (let i = 0; i < set.length; i += 2) out.push(`${formatIPv4(set[i]!)}-${formatIPv4(set[i + 1]!)}`);
  return out;
}

describe('isIPv6Cidr', () => {
  it('tells IPv6 CIDRs apart', () => {
    expect(isIPv6Cidr('2001:db8::/64')).toBe(true);
    expect(isIPv6Cidr('10.0.0.0/8')).toBe(false);
    expect(isIPv6Cidr('nonsense')).toBe(false);
  });
});

describe('ipBlockIntervals', () => {
  it.each<[string, string, string[], string[]]>([
    ['no except', '10.0.0.0/24', [], ['10.0.0.0-10.0.0.255']],
    [
      'one hole in the middle',
      '10.0.0.0/24',
      ['10.0.0.128/26'],
      ['10.0.0.0-10.0.0.127', '10.0.0.192-10.0.0.255'],
    ],
    ['hole at the start', '10.0.0.0/24', ['10.0.0.0/25'], ['10.0.0.128-10.0.0.255']],
    ['hole at the end', '10.0.0.0/24', ['10.0.0.128/25'], ['10.0.0.0-10.0.0.127']],
    ['single-address hole', '10.0.0.0/24', ['10.0.0.10/32'], ['10.0.0.0-10.0.0.9', '10.0.0.11-10.0.0.255']],
    [
      'several holes, written out of order',
      '10.0.0.0/16',
      ['10.0.200.0/24', '10.0.1.0/24'],
      ['10.0.0.0-10.0.0.255', '10.0.2.0-10.0.199.255', '10.0.201.0-10.0.255.255'],
    ],
    [
      'adjacent holes leave no sliver',
      '10.0.0.0/24',
      ['10.0.0.0/26', '10.0.0.64/26'],
      ['10.0.0.128-10.0.0.255'],
    ],
    [
      'nested holes',
      '10.0.0.0/8',
      ['10.1.0.0/16', '10.1.2.0/24'],
      ['10.0.0.0-10.0.255.255', '10.2.0.0-10.255.255.255'],
    ],
    ['except host bits are masked', '10.0.0.0/24', ['10.0.0.130/25'], ['10.0.0.0-10.0.0.127']],
    [
      'the whole space minus private ranges',
      '0.0.0.0/0',
      ['10.0.0.0/8', '192.168.0.0/16'],
      ['0.0.0.0-9.255.255.255', '11.0.0.0-192.167.255.255', '192.169.0.0-255.255.255.255'],
    ],
  ])('%s', (_, cidr, except, expected) => {
    expect(ranges(ipBlockIntervals({ cidr, except })!)).toEqual(expected);
  });

  it('is undefined for IPv6 blocks', () => {
    expect(ipBlockIntervals({ cidr: '2001:db8::/64', except: [] })).toBeUndefined();
  });
});

describe('ipAtoms', () => {
  /** The atoms as `first-last` strings. */
  const atoms = (sets: Intervals[]) => ipAtoms(sets).map(([a, b]) => `${formatIPv4(a)}-${formatIPv4(b)}`);

  it('no sets: one atom covering everything', () => {
    expect(atoms([])).toEqual(['0.0.0.0-255.255.255.255']);
    expect(atoms([IPV4_ALL])).toEqual(['0.0.0.0-255.255.255.255']);
  });

  it('cuts at both ends of a block', () => {
    expect(atoms([cidrToInterval('10.0.0.0/8')!])).toEqual([
      '0.0.0.0-9.255.255.255',
      '10.0.0.0-10.255.255.255',
      '11.0.0.0-255.255.255.255',
    ]);
  });

  it('a block at the very start or end adds a single cut', () => {
    expect(atoms([cidrToInterval('0.0.0.0/8')!])).toEqual([
      '0.0.0.0-0.255.255.255',
      '1.0.0.0-255.255.255.255',
    ]);
    expect(atoms([cidrToInterval('255.0.0.0/8')!])).toEqual([
      '0.0.0.0-254.255.255.255',
      '255.0.0.0-255.255.255.255',
    ]);
    expect(atoms([cidrToInterval('255.255.255.255/32')!])).toEqual([
      '0.0.0.0-255.255.255.254',
      '255.255.255.255-255.255.255.255',
    ]);
    expect(atoms([cidrToInterval('0.0.0.0/32')!])).toEqual(['0.0.0.0-0.0.0.0', '0.0.0.1-255.255.255.255']);
  });

  it('cuts at except holes and shares boundaries of overlapping blocks', () => {
    const block = ipBlockIntervals({ cidr: '10.0.0.0/16', except: ['10.0.1.0/24'] })!;
    expect(atoms([block, cidrToInterval('10.0.0.0/24')!, cidrToInterval('10.0.0.0/16')!])).toEqual([
      '0.0.0.0-9.255.255.255',
      '10.0.0.0-10.0.0.255',
      '10.0.1.0-10.0.1.255',
      '10.0.2.0-10.0.255.255',
      '10.1.0.0-255.255.255.255',
    ]);
  });

  it('atoms are disjoint, contiguous, cover the space and never straddle a set', () => {
    const sets = [
      ipBlockIntervals({ cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12'] })!,
      cidrToInterval('10.1.2.3/32')!,
      cidrToInterval('172.20.0.0/16')!,
      cidrToInterval('10.0.0.0/9')!,
    ];
    const list = ipAtoms(sets);
    expect(list[0]![0]).toBe(0);
    expect(list[list.length - 1]![1]).toBe(0xffffffff);
    for (let i = 1; i < list.length; i++) expect(list[i]![0]).toBe(list[i - 1]![1] + 1);
    for (const [first, last] of list) {
      expect(first).toBeLessThanOrEqual(last);
      for (const set of sets) {
        const inside = (v: number) => {
          for (let i = 0; i < set.length; i += 2) if (v >= set[i]! && v <= set[i + 1]!) return true;
          return false;
        };
        expect(inside(first)).toBe(inside(last));
      }
    }
    // 0, 10/8 start, 10.0.0.0/9 end+1, 10.1.2.3, 10.1.2.4, 11/8, 172.16, 172.20, 172.21, 172.32.
    expect(list).toHaveLength(10);
  });
});

describe('unionIntervals over many address sets', () => {
  const unionAll = (sets: Intervals[]) => sets.reduce<Intervals>(unionIntervals, []);

  it('merges many sets canonically', () => {
    expect(unionAll([])).toEqual([]);
    expect(
      ranges(
        unionAll([
          cidrToInterval('10.0.0.0/25')!,
          cidrToInterval('10.0.0.128/25')!,
          cidrToInterval('10.0.2.0/24')!,
        ]),
      ),
    ).toEqual(['10.0.0.0-10.0.0.255', '10.0.2.0-10.0.2.255']);
  });
});
