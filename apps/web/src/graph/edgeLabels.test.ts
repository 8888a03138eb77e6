import { SeededRandom } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import { LABEL_STOPS, labelSize, placeEdgeLabels, pointOnEdge } from './edgeLabels.ts';
import type { Box } from './layout.ts';

describe('pointOnEdge', () => {
  it('starts at the source and ends at the target', () => {
    const s = { x: 10, y: 20 };
    const t = { x: 300, y: 400 };
    expect(pointOnEdge(s, t, 0)).toEqual(s);
    expect(pointOnEdge(s, t, 1)).toEqual(t);
  });

  it('passes through the middle of a straight vertical edge at t = 0.5', () => {
    expect(pointOnEdge({ x: 0, y: 0 }, { x: 0, y: 200 }, 0.5)).toEqual({ x: 0, y: 100 });
  });
});

const box = (x: number, y: number, width = 100, height = 50) => ({ x, y, width, height });

function overlapsAny(
  at: { x: number; y: number },
  size: { width: number; height: number },
  obstacles: { x: number; y: number; width: number; height: number }[],
) {
  return obstacles.some(
    (o) =>
      at.x - size.width / 2 < o.x + o.width &&
      o.x < at.x + size.width / 2 &&
      at.y - size.height / 2 < o.y + o.height &&
      o.y < at.y + size.height / 2,
  );
}

describe('placeEdgeLabels', () => {
  it('keeps the middle when it is clear', () => {
    const boxes = new Map([
      ['a', box(0, 0)],
      ['b', box(0, 400)],
    ]);
    const placed = placeEdgeLabels([{ id: 'a->b', source: 'a', target: 'b', label: 'TCP 80' }], boxes, [
      ...boxes.values(),
    ]);
    expect(placed.get('a->b')).toBe(0.5);
  });

  it('moves a label off a node that sits on the middle of its edge', () => {
    const boxes = new Map([
      ['a', box(0, 0)],
      ['b', box(0, 400)],
    ]);
    // A node straddling the edge's midpoint (x 50, y 225).
    const blocker = box(0, 200, 100, 60);
    const edge = { id: 'a->b', source: 'a', target: 'b', label: 'TCP 8080' };
    const placed = placeEdgeLabels([edge], boxes, [...boxes.values(), blocker]);
    const t = placed.get('a->b')!;
    expect(t).not.toBe(0.5);
    const at = pointOnEdge({ x: 50, y: 50 }, { x: 50, y: 400 }, t);
    expect(overlapsAny(at, labelSize(edge.label), [...boxes.values(), blocker])).toBe(false);
  });

  it('separates the labels of two edges that share a middle', () => {
    const boxes = new Map([
      ['a', box(0, 0)],
      ['b', box(0, 400)],
    ]);
    const edges = [
      { id: 'a->b', source: 'a', target: 'b', label: 'TCP 8080' },
      { id: 'a->b#2', source: 'a', target: 'b', label: 'UDP 53' },
    ];
    const placed = placeEdgeLabels(edges, boxes, [...boxes.values()]);
    const first = pointOnEdge({ x: 50, y: 50 }, { x: 50, y: 400 }, placed.get('a->b')!);
    const second = pointOnEdge({ x: 50, y: 50 }, { x: 50, y: 400 }, placed.get('a->b#2')!);
    expect(Math.abs(first.y - second.y)).toBeGreaterThanOrEqual(18);
  });
});

describe('placeEdgeLabels on a crowded canvas', () => {
  // The same greedy choice with every box compared to every other: the grid only prunes.
  function placeNaively(
    edges: readonly { id: string; source: string; target: string; label: string }[],
    boxes: ReadonlyMap<string, Box>,
    obstacles: readonly Box[],
  ): Map<string, number> {
    const taken = [...obstacles];
    const covered = (box: Box) =>
      taken.reduce((area, o) => {
        const w = Math.min(box.x + box.width, o.x + o.width) - Math.max(box.x, o.x);
        const h = Math.min(box.y + box.height, o.y + o.height) - Math.max(box.y, o.y);
        return w > 0 && h > 0 ? area + w * h : area;
      }, 0);
    const placed = new Map<string, number>();
    for (const edge of edges) {
      const from = boxes.get(edge.source) as Box;
      const to = boxes.get(edge.target) as Box;
      const source = { x: from.x + from.width / 2, y: from.y + from.height };
      const target = { x: to.x + to.width / 2, y: to.y };
      const size = labelSize(edge.label);
      let best: { t: number; box: Box; overlap: number } | undefined;
      for (const t of LABEL_STOPS) {
        const at = pointOnEdge(source, target, t);
        const box = {
          x: at.x - size.width / 2 - 3,
          y: at.y - size.height / 2 - 3,
          width: size.width + 6,
          height: size.height + 6,
        };
        const overlap = covered(box);
        if (!best || overlap < best.overlap) best = { t, box, overlap };
        if (overlap === 0) break;
      }
      if (!best) continue;
      placed.set(edge.id, best.t);
      taken.push(best.box);
    }
    return placed;
  }

  it('chooses what comparing every pair of boxes chooses, negative coordinates included', () => {
    const random = new SeededRandom(7);
    const boxes = new Map<string, Box>();
    for (let i = 0; i < 60; i++)
      boxes.set(`n${i}`, {
        x: random.int(4000) - 2000,
        y: random.int(3000) - 1500,
        width: 40 + random.int(300),
        height: 30 + random.int(120),
      });
    const edges = Array.from({ length: 400 }, (_, i) => ({
      id: `e${i}`,
      source: `n${random.int(60)}`,
      target: `n${random.int(60)}`,
      label: 'TCP 8080,UDP 53'.slice(0, random.int(16)),
    }));
    const obstacles = [...boxes.values()];
    expect(placeEdgeLabels(edges, boxes, obstacles)).toEqual(placeNaively(edges, boxes, obstacles));
  });
});
