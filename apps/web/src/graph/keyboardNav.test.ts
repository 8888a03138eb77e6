import { describe, expect, it } from 'vitest';
import { absoluteBoxes, incidentEdges, nearestInDirection, readingOrder } from './keyboardNav.ts';

// A 3×2 grid of 100×50 boxes, 200 apart: a b c on top, d e f below; x is far down-right.
const box = (x: number, y: number) => ({ x, y, width: 100, height: 50 });
const boxes = new Map([
  ['a', box(0, 0)],
  ['b', box(200, 0)],
  ['c', box(400, 0)],
  ['d', box(0, 200)],
  ['e', box(200, 200)],
  ['f', box(400, 200)],
  ['x', box(900, 900)],
]);
const ids = [...boxes.keys()];

describe('nearestInDirection', () => {
  it.each([
    ['a', 'right', 'b'],
    ['b', 'right', 'c'],
    ['c', 'right', undefined],
    ['b', 'down', 'e'],
    ['e', 'up', 'b'],
    ['e', 'left', 'd'],
    ['a', 'up', undefined],
    ['f', 'down', 'x'],
  ] as const)('from %s going %s reaches %s', (from, direction, expected) => {
    expect(nearestInDirection(boxes, ids, from, direction)).toBe(expected);
  });

  it('prefers the node on the same row over a nearer one off to the side', () => {
    const row = new Map([
      ['from', box(0, 0)],
      ['diagonal', box(150, 120)],
      ['same-row', box(320, 0)],
    ]);
    expect(nearestInDirection(row, [...row.keys()], 'from', 'right')).toBe('same-row');
  });

  it('only moves among the candidates', () => {
    expect(nearestInDirection(boxes, ['a', 'c'], 'a', 'right')).toBe('c');
  });
});

describe('absoluteBoxes', () => {
  it('adds a child position to its parent box', () => {
    const abs = absoluteBoxes([
      { id: 'ns', position: { x: 100, y: 50 }, width: 300, height: 200 },
      { id: 'w', position: { x: 18, y: 44 }, width: 210, height: 62, parentId: 'ns' },
    ]);
    expect(abs.get('w')).toEqual({ x: 118, y: 94, width: 210, height: 62 });
  });
});

describe('readingOrder and incidentEdges', () => {
  it('orders top to bottom, then left to right', () => {
    expect(readingOrder(boxes, ['x', 'e', 'c', 'a'])).toEqual(['a', 'c', 'e', 'x']);
  });

  it('lists outgoing then incoming connections, each by where the other end is', () => {
    const edges = [
      { id: 'e->b', source: 'e', target: 'b' },
      { id: 'a->e', source: 'a', target: 'e' },
      { id: 'e->d', source: 'e', target: 'd' },
      { id: 'c->f', source: 'c', target: 'f' },
      { id: 'x->e', source: 'x', target: 'e' },
    ];
    expect(incidentEdges(edges, 'e', boxes)).toEqual(['e->b', 'e->d', 'a->e', 'x->e']);
  });
});
