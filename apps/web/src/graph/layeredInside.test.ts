import { describe, expect, it } from 'vitest';
import { INSIDE, layeredInside } from './layeredInside.ts';
import type { Box, Positions } from './layout.ts';
import { randomSource } from './random.test-helper.ts';

const CELL = { width: 210, height: 62 };
const ASPECT = 1.4;

/** Whether two boxes come closer than the gap between workloads. */
const crowd = (a: Box, b: Box) =>
  a.x < b.x + b.width + INSIDE.gap &&
  b.x < a.x + a.width + INSIDE.gap &&
  a.y < b.y + b.height + INSIDE.gap &&
  b.y < a.y + a.height + INSIDE.gap;

function laidOut(ids: string[], edges: { source: string; target: string }[]) {
  const into: Positions = {};
  const size = layeredInside(ids, edges, CELL, ASPECT, into);
  return { size, into };
}

/** Whether edge `a -> b` points down, or into a band right of `a`'s. */
const flowsOn = (a: Box, b: Box) => b.y > a.y + a.height || b.x > a.x + a.width;

describe('layeredInside', () => {
  it('places every workload inside the box, none crowding another, callers before callees (random DAGs)', () => {
    const random = randomSource(16);
    for (let round = 0; round < 300; round++) {
      const n = 1 + random.int(40);
      const ids = Array.from({ length: n }, (_, i) => `ns/w${i}`);
      // Edges from a lower index to a higher one: no cycles, so every one must flow on.
      const edges = Array.from({ length: random.int(2 * n + 1) }, () => {
        const a = random.int(n);
        const b = random.int(n);
        return { source: ids[Math.min(a, b)]!, target: ids[Math.max(a, b)]! };
      }).filter((e) => e.source !== e.target);
      const { size, into } = laidOut(random.shuffle(ids), edges);
      expect(Object.keys(into).sort()).toEqual([...ids].sort());
      const boxes = ids.map((id) => into[id]!);
      for (const [i, a] of boxes.entries()) {
        expect(a.x).toBeGreaterThanOrEqual(INSIDE.side);
        expect(a.y).toBeGreaterThanOrEqual(INSIDE.top);
        expect(a.x + a.width).toBeLessThanOrEqual(size.width - INSIDE.side + 1e-6);
        expect(a.y + a.height).toBeLessThanOrEqual(size.height - INSIDE.bottom + 1e-6);
        for (const b of boxes.slice(i + 1)) expect(crowd(a, b), `round ${round}`).toBe(false);
      }
      for (const e of edges) expect(flowsOn(into[e.source]!, into[e.target]!), `round ${round}`).toBe(true);
    }
  });

  it('lays out a graph with cycles, the same way every time', () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    const edges = [
      { source: 'a', target: 'b' },
      { source: 'b', target: 'c' },
      { source: 'c', target: 'a' },
      { source: 'c', target: 'd' },
      { source: 'd', target: 'd' },
    ];
    const first = laidOut(ids, edges);
    expect(laidOut(ids, edges)).toEqual(first);
    expect(Object.keys(first.into).sort()).toEqual(ids);
    // The cycle is cut once: a, b, c still flow down one after the other.
    expect(flowsOn(first.into.a!, first.into.b!)).toBe(true);
    expect(flowsOn(first.into.b!, first.into.c!)).toBe(true);
  });

  it('orders a layer to uncross the edges from the layer above', () => {
    // In the given order a -> d and b -> c cross; the callees are swapped to uncross them.
    const { into } = laidOut(
      ['a', 'b', 'c', 'd'],
      [
        { source: 'a', target: 'd' },
        { source: 'b', target: 'c' },
      ],
    );
    expect(into.a!.y).toBe(into.b!.y);
    expect(Math.sign(into.a!.x - into.b!.x)).toBe(Math.sign(into.d!.x - into.c!.x));
  });

  it('puts workloads without edges in rows under the layers', () => {
    const ids = ['a', 'b', 'c', 'x', 'y', 'z'];
    const { into } = laidOut(ids, [
      { source: 'a', target: 'b' },
      { source: 'b', target: 'c' },
    ]);
    const lowestLinked = Math.max(...['a', 'b', 'c'].map((id) => into[id]!.y));
    for (const id of ['x', 'y', 'z']) expect(into[id]!.y).toBeGreaterThan(lowestLinked);
  });

  it('wraps a long chain into bands, so the box keeps about the canvas shape', () => {
    const ids = Array.from({ length: 30 }, (_, i) => `w${i}`);
    const edges = ids.slice(1).map((id, i) => ({ source: ids[i]!, target: id }));
    const { size, into } = laidOut(ids, edges);
    expect(size.width / size.height).toBeGreaterThan(0.7);
    expect(size.width / size.height).toBeLessThan(2.8);
    for (const e of edges) expect(flowsOn(into[e.source]!, into[e.target]!)).toBe(true);
  });

  it('wraps a wide layer onto several rows rather than one long row', () => {
    const ids = ['hub', ...Array.from({ length: 24 }, (_, i) => `leaf${i}`)];
    const edges = ids.slice(1).map((id) => ({ source: 'hub', target: id }));
    const { size } = laidOut(ids, edges);
    expect(size.width / size.height).toBeGreaterThan(0.7);
    expect(size.width / size.height).toBeLessThan(2.8);
  });
});
