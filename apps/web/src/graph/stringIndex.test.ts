import { describe, expect, it } from 'vitest';
import { stringIndex } from './stringIndex.ts';

describe('stringIndex', () => {
  it('numbers strings in the order first met, the same number each time', () => {
    const index = stringIndex();
    expect(['b', 'a', 'b', 'c', 'a'].map(index.indexOf)).toEqual([0, 1, 0, 2, 1]);
    expect(index.strings).toEqual(['b', 'a', 'c']);
  });
});
