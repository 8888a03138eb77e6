import { describe, expect, it } from 'vitest';
import { keepEqual, keepList, sameValue } from './keepIdentity.ts';

describe('sameValue', () => {
  it.each([
    ['equal primitives', 1, 1, true],
    ['different primitives', 'a', 'b', false],
    ['undefined and null', undefined, null, false],
    ['equal nested objects', { a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 }, true],
    ['a nested difference', { a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 3] } }, false],
    ['a missing key', { a: 1, b: undefined }, { a: 1 }, false],
    ['an extra key', { a: 1 }, { a: 1, b: 2 }, false],
    ['arrays of different lengths', [1, 2], [1, 2, 3], false],
    ['an array and an object', [1], { 0: 1 }, false],
    ['an object and null', { a: 1 }, null, false],
  ])('%s', (_, a, b, expected) => {
    expect(sameValue(a, b)).toBe(expected);
    expect(sameValue(b, a)).toBe(expected);
  });
});

describe('keepEqual and keepList', () => {
  it('hands back the earlier object when the values are equal', () => {
    const before = { id: 'x', labels: { app: 'a' } };
    expect(keepEqual(before, { id: 'x', labels: { app: 'a' } })).toBe(before);
    const changed = { id: 'x', labels: { app: 'b' } };
    expect(keepEqual(before, changed)).toBe(changed);
    expect(keepEqual(undefined, changed)).toBe(changed);
  });

  it('hands back the earlier list only when it holds the same items in the same order', () => {
    const a = {};
    const b = {};
    const before = [a, b];
    expect(keepList(before, [a, b])).toBe(before);
    const swapped = [b, a];
    expect(keepList(before, swapped)).toBe(swapped);
    const longer = [a, b, {}];
    expect(keepList(before, longer)).toBe(longer);
  });
});
