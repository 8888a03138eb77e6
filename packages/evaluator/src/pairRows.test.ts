import { describe, expect, it } from 'vitest';
import { compactCopy } from './pairRows.ts';

describe('compactCopy', () => {
  it('keeps 16 bits while the largest value fits, and the values are copied exactly', () => {
    const values = Int32Array.from([3, 0, 0xffff, 7]);
    const copy = compactCopy(values, 3, 0xffff);
    expect(copy).toBeInstanceOf(Uint16Array);
    expect([...copy]).toEqual([3, 0, 0xffff]);
  });

  it('takes 32 bits past 16, without losing a value', () => {
    const values = Int32Array.from([0x10000, 5, 0x7fffffff]);
    const copy = compactCopy(values, 3, 0x7fffffff);
    expect(copy).toBeInstanceOf(Uint32Array);
    expect([...copy]).toEqual([0x10000, 5, 0x7fffffff]);
  });

  it('is a copy: the scratch array it came from can be reused', () => {
    const scratch = Int32Array.from([1, 2]);
    const copy = compactCopy(scratch, 2, 2);
    scratch[0] = 9;
    expect([...copy]).toEqual([1, 2]);
    expect(compactCopy(scratch, 0, 2)).toHaveLength(0);
  });
});
