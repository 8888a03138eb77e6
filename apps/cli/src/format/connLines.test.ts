import { describe, expect, it } from 'vitest';
import { compareGo, goQuote } from './common.ts';
import { ConnLines } from './connLines.ts';
import type { ConnLine } from './types.ts';

/** A deterministic generator of awkward ids: shared prefixes, quotes, spaces, `!`, astral characters. */
function randomLines(count: number, seed: number): ConnLine[] {
  let state = seed;
  const next = (n: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
  const parts = [
    'a',
    'a-b',
    'a!',
    'a b',
    'a"',
    'A',
    'b/x[Pod]',
    'b/x',
    '{ingress-controller}',
    '\u{1f600}',
    '\ue000',
    'é',
  ];
  const id = () => parts[next(parts.length)]! + (next(3) === 0 ? parts[next(parts.length)]! : '');
  return Array.from({ length: count }, (_, i) => ({ src: id(), dst: id(), conn: `TCP ${i}` }));
}

function read(
  table: ConnLines,
  key?: (id: string) => string,
  connKey?: (conn: string) => string,
): ConnLine[] {
  const sorted = table.sorted(key, connKey);
  return Array.from({ length: sorted.size }, (_, i) => ({
    src: sorted.src(i),
    dst: sorted.dst(i),
    conn: sorted.conn(i),
  }));
}

describe('ConnLines', () => {
  it('sorts by source, then destination, in Go byte order, keeping the order of equal pairs', () => {
    for (const seed of [1, 2, 3]) {
      const lines = randomLines(2000, seed);
      // Array.prototype.sort is stable: equal pairs keep the order they were added in.
      const expected = [...lines].sort((a, b) => compareGo(a.src, b.src) || compareGo(a.dst, b.dst));
      expect(read(ConnLines.of(lines))).toEqual(expected);
    }
  });

  it('orders by a key of the ids: quoted ids, then quoted labels, sort as rendered dot edge lines do', () => {
    const lines = randomLines(2000, 4);
    const rendered = (l: ConnLine) => `\t${goQuote(l.src)} -> ${goQuote(l.dst)} [label=${goQuote(l.conn)}]`;
    const expected = [...lines].sort((a, b) => compareGo(rendered(a), rendered(b)));
    expect(read(ConnLines.of(lines), goQuote, goQuote).map(rendered)).toEqual(expected.map(rendered));
  });

  it('interns peers and connections, and iterates in the order lines were added', () => {
    const table = new ConnLines();
    const a = table.peer('ns/a[Pod]');
    const b = table.peer('ns/b[Pod]');
    expect(table.peer('ns/a[Pod]')).toBe(a);
    const tcp = table.conn('TCP 80');
    expect(table.conn('TCP 80')).toBe(tcp);
    // More lines than the first allocation holds.
    for (let i = 0; i < 5000; i++) table.add(i % 2 === 0 ? b : a, i % 2 === 0 ? a : b, tcp);
    expect(table.size).toBe(5000);
    expect(table.peerIds()).toEqual(['ns/a[Pod]', 'ns/b[Pod]']);
    expect([...table].slice(0, 2)).toEqual([
      { src: 'ns/b[Pod]', dst: 'ns/a[Pod]', conn: 'TCP 80' },
      { src: 'ns/a[Pod]', dst: 'ns/b[Pod]', conn: 'TCP 80' },
    ]);
    const sorted = table.sorted();
    expect([sorted.src(0), sorted.src(2499), sorted.src(2500)]).toEqual([
      'ns/a[Pod]',
      'ns/a[Pod]',
      'ns/b[Pod]',
    ]);
  });

  it('sorts an empty table', () => {
    expect(new ConnLines().sorted().size).toBe(0);
  });
});
