import { describe, expect, it } from 'vitest';
import { labelSize, placeEdgeLabels, pointOnEdge } from './edgeLabels.ts';

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
