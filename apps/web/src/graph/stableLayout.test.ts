import { describe, expect, it } from 'vitest';
import type { GroupedGraph } from './groupGraph.ts';
import { type Box, type LayoutInput, layoutGraph, type Positions } from './layout.ts';
import { randomSource } from './random.test-helper.ts';
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

  it('keeps a grown namespace in place when a box pushed aside runs into it', () => {
    // a grows over e, which is pushed down onto d, which is pushed right: into a's new extent.
    const drawn: Positions = {
      'ns:a': b(0, 0, 230, 66),
      'ns:e': b(-200, -50, 230, 300),
      'ns:d': b(-300, 300, 230, 66),
    };
    const fresh: Positions = { ...drawn, 'ns:a': b(0, 0, 500, 300), a1: b(18, 44, 210, 62) };
    const g = graph([
      { ns: 'a', members: ['a1'] },
      { ns: 'e', collapsed: true, members: [] },
      { ns: 'd', collapsed: true, members: [] },
    ]);
    const out = keepPlaces({ ...drawn, 'ns:a': b(0, 0, 230, 66) }, fresh, g);
    expect(out['ns:a']).toEqual(b(0, 0, 500, 300));
    expect(overlapping(['ns:a', 'ns:e', 'ns:d'], out)).toEqual([]);
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

/** A big collapsed overview (packed in rows, as at 10,000 workloads) with `open` expanded. */
function overview(random: ReturnType<typeof randomSource>, open: readonly number[]) {
  const count = 210 + random.int(80);
  const groups = Array.from({ length: count }, (_, i) => ({ ns: `n${i}`, members: [] as string[] }));
  const edges: LayoutInput['edges'] = [];
  for (const i of open) {
    const members = Array.from({ length: 1 + random.int(30) }, (_, k) => `n${i}/w${k}`);
    groups[i]!.members = members;
    for (let e = random.int(2 * members.length + 1); e > 0; e--) {
      const source = members[random.int(members.length)]!;
      const target = members[random.int(members.length)]!;
      if (source !== target) edges.push({ id: `${source}->${target}:${e}`, source, target });
    }
  }
  const externals = Array.from({ length: random.int(4) }, (_, i) => `range:${i}`);
  const score = Object.fromEntries(groups.map((g) => [`ns:${g.ns}`, random.int(9) - 4]));
  const collapsed = graph(
    groups.map((g) => ({ ...g, collapsed: true })),
    externals,
  );
  const expanded = graph(
    groups.map((g, i) => ({ ...g, collapsed: !open.includes(i) })),
    externals,
  );
  const input = (g: GroupedGraph): LayoutInput => ({
    groups: g.groups.map(({ id, collapsed }) => ({ id, collapsed })),
    nodes: g.nodes.map(({ id, parent }) => ({ id, parent })),
    edges: edges.filter(() => g === expanded),
    score,
  });
  return { collapsed: input(collapsed), expanded: input(expanded), graph: expanded };
}

/**
 * The push cascade as first written: every pusher scans every top-level box. The oracle the
 * indexed one must agree with.
 */
function pushedByScanning(
  boxes: Positions,
  grown: readonly string[],
  topLevel: readonly string[],
): Positions {
  const out = { ...boxes };
  const crowd = (a: Box, c: Box) =>
    a.x < c.x + c.width + 24 &&
    c.x < a.x + a.width + 24 &&
    a.y < c.y + c.height + 24 &&
    c.y < a.y + a.height + 24;
  const queue = [...grown];
  const push = (id: string, by: Box) => {
    const box = out[id]!;
    const dx = by.x + by.width + 56 - box.x;
    const dy = by.y + by.height + 56 - box.y;
    out[id] = dx <= dy ? { ...box, x: box.x + dx } : { ...box, y: box.y + dy };
    queue.push(id);
  };
  for (let head = 0; head < queue.length && head < topLevel.length * 4; head++) {
    const pusherId = queue[head]!;
    const pusher = out[pusherId]!;
    for (const id of topLevel) {
      if (id === pusherId || out[pusherId] !== pusher || !crowd(pusher, out[id]!)) continue;
      if (grown.includes(id) && !grown.includes(pusherId)) push(pusherId, out[id]!);
      else push(id, pusher);
    }
  }
  return out;
}

/** The pairs of `ids` whose boxes overlap. */
function overlapping(ids: readonly string[], boxes: Positions): string[] {
  const pairs: string[] = [];
  for (const [i, a] of ids.entries())
    for (const c of ids.slice(i + 1)) if (overlap(boxes[a]!, boxes[c]!)) pairs.push(`${a} / ${c}`);
  return pairs;
}

describe('keepPlaces on random overviews', () => {
  it('expands one namespace in place, its inside complete, pushing only what it covers, right or down', async () => {
    const random = randomSource(7);
    for (let round = 0; round < 30; round++) {
      const open = random.int(210);
      const { collapsed, expanded, graph: g } = overview(random, [open]);
      const before = await layoutGraph(collapsed);
      const fresh = await layoutGraph(expanded);
      const out = keepPlaces(before, fresh, g);
      const top = [...g.groups.map((x) => x.id), ...g.nodes.filter((n) => !n.parent).map((n) => n.id)];
      const opened = `ns:n${open}`;
      expect(Object.keys(out).sort()).toEqual(Object.keys(fresh).sort());
      // The expanded namespace stays where it was, at its fresh size, with its fresh inside.
      expect(out[opened]).toEqual({ ...fresh[opened]!, x: before[opened]!.x, y: before[opened]!.y });
      for (const n of g.nodes.filter((x) => x.parent === opened)) expect(out[n.id]).toEqual(fresh[n.id]);
      // Nothing overlaps, and what moved was pushed right or down.
      expect(overlapping(top, out), `round ${round}`).toEqual([]);
      expect(top.filter((id) => out[id]!.x < before[id]!.x || out[id]!.y < before[id]!.y)).toEqual([]);
      // Exactly what a scan of every box would push: the index misses nothing.
      const unpushed = { ...Object.fromEntries(top.map((id) => [id, before[id]!])), [opened]: out[opened]! };
      const scanned = pushedByScanning(unpushed, [opened], top);
      expect(top.filter((id) => !samePositions({ id: out[id]! }, { id: scanned[id]! }))).toEqual([]);
    }
  }, 60_000);

  it('keeps two namespaces expanded at once clear of each other and of the rest', async () => {
    const random = randomSource(11);
    for (let round = 0; round < 20; round++) {
      const first = random.int(210);
      const second = (first + 1 + random.int(3)) % 210;
      const { collapsed, expanded, graph: g } = overview(random, [first, second]);
      const out = keepPlaces(await layoutGraph(collapsed), await layoutGraph(expanded), g);
      const top = [...g.groups.map((x) => x.id), ...g.nodes.filter((n) => !n.parent).map((n) => n.id)];
      expect(overlapping(top, out), `round ${round}`).toEqual([]);
    }
  }, 60_000);
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
