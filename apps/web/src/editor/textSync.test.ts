import { describe, expect, it } from 'vitest';
import { minimalEdit, normalizeText } from './textSync.ts';

function apply(before: string, after: string): string {
  const edit = minimalEdit(before, after);
  if (!edit) return before;
  return before.slice(0, edit.start) + edit.text + before.slice(edit.end);
}

describe('minimalEdit', () => {
  it('returns nothing for equal texts', () => {
    expect(minimalEdit('a: 1\n', 'a: 1\n')).toBeUndefined();
  });

  it('replaces only the changed middle', () => {
    expect(minimalEdit('port: 80\nx: 1\n', 'port: 8080\nx: 1\n')).toEqual({ start: 8, end: 8, text: '80' });
    expect(minimalEdit('abc', 'ac')).toEqual({ start: 1, end: 2, text: '' });
    expect(minimalEdit('', 'new')).toEqual({ start: 0, end: 0, text: 'new' });
    expect(minimalEdit('old', '')).toEqual({ start: 0, end: 3, text: '' });
  });

  it('never lets prefix and suffix overlap on repeated text', () => {
    expect(apply('aaaa', 'aa')).toBe('aa');
    expect(apply('aa', 'aaaa')).toBe('aaaa');
    expect(apply('ab\nab\n', 'ab\n')).toBe('ab\n');
  });

  it('does not split surrogate pairs or CRLF', () => {
    const a = 'x: \u{1F600}\r\ny: 1\r\n';
    const b = 'x: \u{1F601}\r\ny: 1\r\n';
    const edit = minimalEdit(a, b)!;
    expect(edit.text).toBe('\u{1F601}');
    expect(apply(a, b)).toBe(b);
    for (const [x, y] of [
      ['\r\n', '\r\n\r\n'],
      ['a\r\n', 'a\r\nb\r\n'],
      ['\r\nx', 'y\r\nx'],
      ['a\r\nb', 'a\r\n\r\nb'],
      ['a\r\nb', 'a\rb'],
      ['a\nb', 'a\r\nb'],
    ] as const) {
      const e = minimalEdit(x, y)!;
      const splits = (t: string, at: number) => t[at - 1] === '\r' && t[at] === '\n';
      expect(splits(x, e.start) || splits(x, e.end)).toBe(false);
      expect(splits(y, e.start) || splits(y, e.start + e.text.length)).toBe(false);
      expect(apply(x, y)).toBe(y);
    }
  });
});

describe('normalizeText', () => {
  it('uses one line ending and drops the BOM', () => {
    expect(normalizeText('\uFEFFa\r\nb\rc\nd', '\n')).toBe('a\nb\nc\nd');
    expect(normalizeText('a\nb\r\n', '\r\n')).toBe('a\r\nb\r\n');
  });
});
