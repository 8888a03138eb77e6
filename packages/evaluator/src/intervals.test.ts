import { SeededRandom } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import {
  type Intervals,
  intersectIntervals,
  intervalsContain,
  subtractIntervals,
  unionIntervals,
} from './intervals.ts';

/** Every member of a small interval set, for brute-force comparison. */
function members(set: Intervals): number[] {
  const out: number[] = [];
  for (let i = 0; i < set.length; i += 2) for (let v = set[i]!; v <= set[i + 1]!; v++) out.push(v);
  return out;
}

/** The canonical interval set of some integers. */
function fromMembers(values: Iterable<number>): number[] {
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  const out: number[] = [];
  for (const v of sorted) {
    if (out.length > 0 && out[out.length - 1] === v - 1) out[out.length - 1] = v;
    else out.push(v, v);
  }
  return out;
}

/** Sorted, disjoint, non-adjacent, lo <= hi. */
function isCanonical(set: Intervals): boolean {
  if (set.length % 2 !== 0) return false;
  for (let i = 0; i < set.length; i += 2) {
    if (set[i]! > set[i + 1]!) return false;
    if (i > 0 && set[i]! <= set[i - 1]! + 1) return false;
  }
  return true;
}

/** A seeded stream of numbers in [0, 1). */
function rng(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.next();
}

function randomSet(next: () => number, universe: number): number[] {
  const values: number[] = [];
  const density = next();
  for (let v = 0; v < universe; v++) if (next() < density) values.push(v);
  return fromMembers(values);
}

describe('unionIntervals', () => {
  it.each<[string, Intervals, Intervals, Intervals]>([
    ['empty and empty', [], [], []],
    ['empty is the identity (left)', [], [1, 5], [1, 5]],
    ['empty is the identity (right)', [1, 5], [], [1, 5]],
    ['disjoint, kept apart', [1, 3], [7, 9], [1, 3, 7, 9]],
    ['disjoint, in the other order', [7, 9], [1, 3], [1, 3, 7, 9]],
    ['adjacent ranges merge', [1, 5], [6, 10], [1, 10]],
    ['adjacent ranges merge (other order)', [6, 10], [1, 5], [1, 10]],
    ['single points adjacent', [80, 80], [81, 81], [80, 81]],
    ['a gap of one stays', [1, 5], [7, 10], [1, 5, 7, 10]],
    ['overlap', [1, 6], [4, 10], [1, 10]],
    ['containment', [1, 100], [20, 30], [1, 100]],
    ['bridging two ranges', [1, 3, 8, 10], [4, 7], [1, 10]],
    ['interleaved', [1, 2, 10, 12, 20, 22], [3, 4, 15, 16, 23, 30], [1, 4, 10, 12, 15, 16, 20, 30]],
    ['equal sets', [5, 9], [5, 9], [5, 9]],
    ['merge into a later range after several', [1, 1, 3, 3, 5, 5], [2, 2, 4, 4], [1, 5]],
    ['the whole port space', [1, 32768], [32769, 65535], [1, 65535]],
    ['the whole IPv4 space', [0, 0x7fffffff], [0x80000000, 0xffffffff], [0, 0xffffffff]],
  ])('%s', (_, a, b, expected) => {
    const result = unionIntervals(a, b);
    expect(result).toEqual(expected);
    expect(isCanonical(result)).toBe(true);
    expect(unionIntervals(b, a)).toEqual(expected);
  });
});

describe('intersectIntervals', () => {
  it.each<[string, Intervals, Intervals, Intervals]>([
    ['with empty', [1, 5], [], []],
    ['disjoint', [1, 5], [6, 10], []],
    ['touching at one point', [1, 5], [5, 10], [5, 5]],
    ['overlap', [1, 6], [4, 10], [4, 6]],
    ['containment', [1, 100], [20, 30], [20, 30]],
    ['one range cut by many', [1, 100], [5, 6, 10, 20, 99, 200], [5, 6, 10, 20, 99, 100]],
    ['many against many', [1, 10, 20, 30], [5, 25], [5, 10, 20, 25]],
    ['identical', [3, 4, 8, 9], [3, 4, 8, 9], [3, 4, 8, 9]],
  ])('%s', (_, a, b, expected) => {
    expect(intersectIntervals(a, b)).toEqual(expected);
    expect(intersectIntervals(b, a)).toEqual(expected);
  });
});

describe('subtractIntervals', () => {
  it.each<[string, Intervals, Intervals, Intervals]>([
    ['nothing to remove', [1, 10], [], [1, 10]],
    ['from empty', [], [1, 10], []],
    ['disjoint', [1, 10], [20, 30], [1, 10]],
    ['hole in the middle', [1, 10], [4, 6], [1, 3, 7, 10]],
    ['cut the start', [1, 10], [1, 3], [4, 10]],
    ['cut the end', [1, 10], [8, 10], [1, 7]],
    ['cut beyond both ends', [5, 10], [1, 20], []],
    ['single point hole', [80, 81], [80, 80], [81, 81]],
    ['several holes', [1, 20], [2, 3, 5, 5, 19, 25], [1, 1, 4, 4, 6, 18]],
    ['one hole spanning two ranges', [1, 10, 20, 30], [5, 25], [1, 4, 26, 30]],
    ['holes before the range are skipped', [50, 60], [1, 2, 10, 12, 55, 55], [50, 54, 56, 60]],
    ['the IPv4 space minus its last address', [0, 0xffffffff], [0xffffffff, 0xffffffff], [0, 0xfffffffe]],
    [
      'the IPv4 space minus 10.0.0.0/8',
      [0, 0xffffffff],
      [0x0a000000, 0x0affffff],
      [0, 0x09ffffff, 0x0b000000, 0xffffffff],
    ],
  ])('%s', (_, a, b, expected) => {
    const result = subtractIntervals(a, b);
    expect(result).toEqual(expected);
    expect(isCanonical(result)).toBe(true);
  });
});

describe('intervalsContain', () => {
  const set: Intervals = [1, 3, 10, 10, 20, 29];
  it.each<[number, boolean]>([
    [0, false],
    [1, true],
    [3, true],
    [4, false],
    [9, false],
    [10, true],
    [11, false],
    [20, true],
    [29, true],
    [30, false],
  ])('%i in [1-3, 10, 20-29] -> %s', (value, expected) => {
    expect(intervalsContain(set, value)).toBe(expected);
  });

  it('is false for the empty set', () => {
    expect(intervalsContain([], 0)).toBe(false);
  });
});

describe('interval algebra against brute force', () => {
  const UNIVERSE = 48;
  it.each(Array.from({ length: 40 }, (_, i) => i + 1))('random sets, seed %i', (seed) => {
    const next = rng(seed);
    const a = randomSet(next, UNIVERSE);
    const b = randomSet(next, UNIVERSE);
    const inA = new Set(members(a));
    const inB = new Set(members(b));
    const union = unionIntervals(a, b);
    const intersection = intersectIntervals(a, b);
    const difference = subtractIntervals(a, b);
    expect(union).toEqual(fromMembers([...inA, ...inB]));
    expect(intersection).toEqual(fromMembers([...inA].filter((v) => inB.has(v))));
    expect(difference).toEqual(fromMembers([...inA].filter((v) => !inB.has(v))));
    for (const set of [union, intersection, difference]) expect(isCanonical(set)).toBe(true);
    for (let v = -1; v <= UNIVERSE; v++) expect(intervalsContain(a, v)).toBe(inA.has(v));
  });
});
