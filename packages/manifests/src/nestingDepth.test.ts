import { describe, expect, it } from 'vitest';
import { scanNesting } from './nestingDepth.ts';

/** The smallest limit the text stays within: its nesting as the scan counts it. */
function depthOf(text: string): number {
  let limit = 0;
  while (scanNesting(text, limit).tooDeep !== undefined) limit++;
  return limit;
}

describe('scanNesting', () => {
  it.each([
    ['a scalar', 'x\n', 0],
    ['a map', 'a: 1\nb: 2\n', 1],
    ['a map in a map', 'a:\n  b: 1\n', 2],
    ['a sequence of maps', 'items:\n  - name: x\n    port: 1\n', 3],
    ["a sequence at its key's column", 'items:\n- name: x\n  port: 1\nnext: 1\n', 3],
    ["sequences at their keys' columns, nested", 'a:\n- b:\n  - c: 1\n', 5],
    ['compact sequences', '- - - x\n', 3],
    ['a flow map in a map', 'a: {b: [1, 2]}\n', 3],
    ['JSON', '{"a": {"b": [1, {"c": 2}]}}', 4],
    ['a flow collection over several lines', 'a: [\n  {b: 1},\n  {c: [2]}\n]\n', 4],
    ['a document start line with content', '--- {a: [1]}\n', 2],
    ['brackets in quotes, comments and plain scalars', 'a: "[[[" # {{{\nb: x[[[\nc: \'{{\'\n', 1],
    ['a block scalar', 'a: |\n  [[[[\n  - - - -\nb: 1\n', 1],
    ['an anchored, tagged flow collection', 'a: &x !!seq [[1]]\n', 3],
  ])('counts %s', (_name, text, depth) => {
    expect(depthOf(text)).toBe(depth);
  });

  it('points at the indicator that went past the limit', () => {
    expect(scanNesting('a:\n  b:\n    c: 1\n', 2).tooDeep).toBe('a:\n  b:\n    c'.length);
    expect(scanNesting('[[[]]]', 2).tooDeep).toBe(2);
  });

  it('lists the flow collections and quotes left open, outermost first', () => {
    expect(scanNesting('a: {b: [1,\nc: "x\n', 10).unclosed).toEqual([
      { offset: 3, opener: '{' },
      { offset: 7, opener: '[' },
      { offset: 14, opener: '"' },
    ]);
    expect(scanNesting("a: {b: [1]}\nc: \"x\\\"y\"\nd: 'it''s'\n", 10).unclosed).toEqual([]);
  });
});
