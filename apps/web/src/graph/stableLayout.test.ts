import { describe, expect, it } from 'vitest';
import type { GroupedGraph } from './groupGraph.ts';
import type { Box, Positions } from './layout.ts';
import { keepPlaces, samePositions } from './stableLayout.ts';

function graph(
  groups: { ns: string; collapsed?: boolean; members: string[] }[],
  externals: string[] = [],
): GroupedGraph {
  return {
    groups: groups.map((g) => ({
      id: `ns:${g.ns}`,
      namespace: g.ns,
      collapsed: g.collapsed ?? false,
      size: g.members.length,
      unprotected: 0,
    })),
    nodes: [
      ...groups.flatMap((g) =>
        g.collapsed
          ? []
          : g.members.map((m) => ({ id: m, parent: `ns:${g.ns}` }) as GroupedGraph['nodes'][number]),
      ),
      ...externals.map((id) => ({ id, parent: undefined }) as GroupedGraph['nodes'][number]),
    ],
    edges: [],
  };
}

const b = (x: number, y: number, width: number, height: number): Box => ({ x, y, width, height });

function overlap(a: Box, c: Box): boolean {
  return a.x < c.x + c.width && c.x < a.x + a.width && a.y < c.y + c.height && c.y < a.y + a.height;
}

const before: Positions = {
  'ns:a': b(20, 20, 250, 124),
  a1: b(18, 44, 210, 62),
  'ns:b': b(330, 20, 250, 124),
  b1: b(18, 44, 210, 62),
  ext: b(640, 20, 190, 48),
};

describe('keepPlaces', () => {
  it('is the fresh layout when nothing was drawn before', () => {
    const fresh = { ...before, 'ns:a': b(99, 99, 250, 124) };
    expect(keepPlaces({}, fresh, graph([{ ns: 'a', members: ['a1'] }]))).toBe(fresh);
  });

  it('keeps every known box where it was, whatever the fresh layout says', () => {
    // The fresh layout swapped the two namespaces and moved the range.
    const fresh: Positions = {
      'ns:a': b(330, 20, 250, 124),
      a1: b(18, 44, 210, 62),
      'ns:b': b(20, 20, 250, 124),
      b1: b(18, 44, 210, 62),
      ext: b(20, 300, 190, 48),
    };
    const g = graph(
      [
        { ns: 'a', members: ['a1'] },
        { ns: 'b', members: ['b1'] },
      ],
      ['ext'],
    );
    expect(keepPlaces(before, fresh, g)).toEqual(before);
  });

  it('puts a new workload inside its namespace, under the others, and grows the box', () => {
    const fresh: Positions = {
      'ns:a': b(20, 20, 480, 124),
      a2: b(18, 44, 210, 62),
      a1: b(252, 44, 210, 62),
      'ns:b': b(560, 20, 250, 124),
      b1: b(18, 44, 210, 62),
      ext: b(900, 20, 190, 48),
    };
    const g = graph(
      [
        { ns: 'a', members: ['a1', 'a2'] },
        { ns: 'b', members: ['b1'] },
      ],
      ['ext'],
    );
    const out = keepPlaces(before, fresh, g);
    expect(out.a1).toEqual(before.a1);
    const ns = out['ns:a']!;
    const a2 = out.a2!;
    expect(a2.y).toBeGreaterThanOrEqual(before.a1!.y + before.a1!.height);
    expect(a2.x + a2.width).toBeLessThanOrEqual(ns.width);
    expect(a2.y + a2.height).toBeLessThanOrEqual(ns.height);
    expect(ns.x).toBe(20);
    expect(ns.y).toBe(20);
  });

  it('pushes a neighbour out of the way of a box that grew, so nothing is hidden', () => {
    const stacked: Positions = {
      'ns:a': b(20, 20, 250, 124),
      a1: b(18, 44, 210, 62),
      'ns:b': b(20, 170, 250, 124),
      b1: b(18, 44, 210, 62),
    };
    const g = graph([
      { ns: 'a', members: ['a1', 'a2'] },
      { ns: 'b', members: ['b1'] },
    ]);
    const fresh: Positions = { ...stacked, a2: b(18, 130, 210, 62) };
    const out = keepPlaces(stacked, fresh, g);
    expect(overlap(out['ns:a']!, out['ns:b']!)).toBe(false);
    expect(out['ns:a']).toMatchObject({ x: 20, y: 20 });
  });

  it('expands a collapsed namespace in place, with the fresh inside', () => {
    const collapsed: Positions = { 'ns:a': b(500, 300, 230, 66) };
    const fresh: Positions = { 'ns:a': b(0, 0, 480, 124), a1: b(18, 44, 210, 62), a2: b(252, 44, 210, 62) };
    const out = keepPlaces(collapsed, fresh, graph([{ ns: 'a', members: ['a1', 'a2'] }]));
    expect(out['ns:a']).toEqual(b(500, 300, 480, 124));
    expect(out.a2).toEqual(fresh.a2);
  });

  it('places a new namespace to the right of the drawing, clear of it', () => {
    const fresh: Positions = { ...before, 'ns:c': b(0, 0, 250, 124), c1: b(18, 44, 210, 62) };
    const g = graph(
      [
        { ns: 'a', members: ['a1'] },
        { ns: 'b', members: ['b1'] },
        { ns: 'c', members: ['c1'] },
      ],
      ['ext'],
    );
    const out = keepPlaces(before, fresh, g);
    expect(out['ns:c']!.x).toBeGreaterThanOrEqual(640 + 190);
    for (const id of ['ns:a', 'ns:b', 'ext']) expect(overlap(out['ns:c']!, out[id]!)).toBe(false);
    expect(out.c1).toEqual(fresh.c1);
  });

  it('places a new range where the reviewer is looking, clear of what is there', () => {
    const fresh: Positions = { ...before, 'range:10.0.0.0/8': b(0, 0, 190, 48) };
    const g = graph(
      [
        { ns: 'a', members: ['a1'] },
        { ns: 'b', members: ['b1'] },
      ],
      ['ext', 'range:10.0.0.0/8'],
    );
    // Looking at the middle of namespace a: the range goes next to it, not on it.
    const out = keepPlaces(before, fresh, g, { x: 145, y: 82 });
    const range = out['range:10.0.0.0/8']!;
    for (const id of ['ns:a', 'ns:b', 'ext']) expect(overlap(range, out[id]!), id).toBe(false);
    expect(Math.hypot(range.x + 95 - 145, range.y + 24 - 82)).toBeLessThan(300);
  });
});

describe('samePositions', () => {
  const base: Positions = { a: b(0, 0, 10, 10), 'ns:x': b(20, 0, 100, 60) };
  it('is true for equal boxes in different objects', () => {
    expect(samePositions(base, { 'ns:x': b(20, 0, 100, 60), a: b(0, 0, 10, 10) })).toBe(true);
  });
  it('sees a moved, resized, added or removed box', () => {
    expect(samePositions(base, { ...base, a: b(1, 0, 10, 10) })).toBe(false);
    expect(samePositions(base, { ...base, a: b(0, 0, 10, 11) })).toBe(false);
    expect(samePositions(base, { ...base, c: b(0, 0, 1, 1) })).toBe(false);
    expect(samePositions(base, { a: b(0, 0, 10, 10), c: b(20, 0, 100, 60) })).toBe(false);
    expect(samePositions(base, { a: b(0, 0, 10, 10) })).toBe(false);
  });
});
