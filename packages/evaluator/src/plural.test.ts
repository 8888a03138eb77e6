import { describe, expect, it } from 'vitest';
import { plural } from './plural.ts';

describe('plural', () => {
  it.each([
    [0, 'policy', '0 policies'],
    [1, 'policy', '1 policy'],
    [2, 'policy', '2 policies'],
    [1, 'rule', '1 rule'],
    [5, 'rule', '5 rules'],
    [1, 'connection', '1 connection'],
    [20, 'allowed connection', '20 allowed connections'],
    [2, 'address', '2 addresses'],
    [2, 'patch', '2 patches'],
    [2, 'key', '2 keys'],
    [1500, 'workload', '1,500 workloads'],
  ])('plural(%i, %s) is %s', (count, noun, expected) => {
    expect(plural(count, noun)).toBe(expected);
  });

  it('takes an irregular plural', () => {
    expect(plural(1, 'person', 'people')).toBe('1 person');
    expect(plural(3, 'person', 'people')).toBe('3 people');
  });
});
