import { describe, expect, it } from 'vitest';
import { canonicalIPv4, TupleTable } from './tupleTable.ts';

/** A small seeded generator (a linear congruential one). */
function seeded(seed: number) {
  let state = seed >>> 0;
  return (n: number): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return Math.floor((state / 2 ** 32) * n);
  };
}

describe('TupleTable', () => {
  it('answers as a Map of the four words would, through growth and clearing', () => {
    const random = seeded(7);
    const table = new TupleTable();
    let reference = new Map<string, number>();
    for (let step = 0; step < 20_000; step++) {
      // Few distinct words, so that lookups hit as often as they miss; negative words too.
      const words = [random(300) - 150, random(40) * 0x1000000, random(5) << 16, random(3)] as const;
      const key = words.join(',');
      const located = table.locate(...words);
      expect(located >= 0).toBe(reference.has(key));
      expect(table.get(...words)).toBe(reference.get(key));
      const value = step * 2 + 0.5;
      if (located >= 0) {
        expect(table.valueAt(located)).toBe(reference.get(key));
        table.setAt(located, value);
      } else table.insertAt(located, ...words, value);
      reference.set(key, value);
      expect(table.size).toBe(reference.size);
      if (step % 7000 === 6999) {
        table.clear();
        reference = new Map();
        expect(table.get(...words)).toBeUndefined();
      }
    }
  });
});

describe('canonicalIPv4', () => {
  it('reads canonical dotted quads only, one integer per text', () => {
    expect(canonicalIPv4('10.0.0.7')).toBe(0x0a000007);
    expect(canonicalIPv4('255.255.255.255')).toBe(-1);
    for (const text of ['010.0.0.7', '10.0.0', '10.0.0.256', '10.0.0.7.1', '::1', '10.0.0.a', ''])
      expect(canonicalIPv4(text)).toBeUndefined();
  });
});
