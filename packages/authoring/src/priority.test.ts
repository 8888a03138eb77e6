import { describe, expect, it } from 'vitest';
import { checkPriority, suggestPriority } from './priority.ts';

describe('suggestPriority', () => {
  it.each([
    { name: 'an empty tier: the preferred 100', used: [], before: undefined, want: 100 },
    { name: '100 taken: the later of 90 and 110', used: [100], before: undefined, want: 110 },
    { name: 'must beat 50: the latest free multiple of ten below it', used: [], before: 50, want: 40 },
    { name: 'must beat 50, 40 taken', used: [40, 50], before: 50, want: 30 },
    { name: 'must beat 41: 40 is free and early enough', used: [], before: 41, want: 40 },
    { name: 'must beat 5: no multiple of ten but 0', used: [], before: 5, want: 0 },
    { name: 'must beat 5, 0 taken: the latest free value', used: [0], before: 5, want: 4 },
    { name: 'must beat 3, 0 to 2 taken: nothing', used: [0, 1, 2], before: 3, want: undefined },
    { name: 'must beat 0: nothing is earlier', used: [], before: 0, want: undefined },
    {
      name: 'every multiple of ten taken: the closest free value',
      used: tens(),
      before: undefined,
      want: 101,
    },
    { name: 'a bound past the range is the range', used: [], before: 5000, want: 100 },
  ])('$name', ({ used, before, want }) => {
    const got = suggestPriority(new Set(used), before);
    expect(got).toBe(want);
    if (got !== undefined) {
      expect(used).not.toContain(got);
      if (before !== undefined) expect(got).toBeLessThan(before);
      expect(got).toBeGreaterThanOrEqual(0);
      expect(got).toBeLessThanOrEqual(1000);
    }
  });
});

function tens(): number[] {
  const out: number[] = [];
  for (let p = 0; p <= 1000; p += 10) out.push(p);
  return out;
}

describe('checkPriority', () => {
  const used = new Set([10, 20]);
  const blocker = { priority: 20, policy: 'ClusterNetworkPolicy/deny-all' };
  it.each([
    { priority: 5, want: undefined },
    { priority: 10, want: 'already used' },
    { priority: 25, want: 'decided after ClusterNetworkPolicy/deny-all' },
    { priority: 20, want: 'already used' },
    { priority: -1, want: 'not a whole number' },
    { priority: 1001, want: 'not a whole number' },
    { priority: 2.5, want: 'not a whole number' },
  ])('priority $priority', ({ priority, want }) => {
    const got = checkPriority(priority, used, 'Admin', blocker);
    if (want === undefined) expect(got).toBeUndefined();
    else expect(got).toContain(want);
  });
});
