import type { Box } from './layout.ts';

export type Direction = 'up' | 'down' | 'left' | 'right';

/** A drawn node as the keyboard sees it: its box on the canvas, relative to its parent if any. */
export interface NavNode {
  id: string;
  position: { x: number; y: number };
  width?: number | undefined;
  height?: number | undefined;
  parentId?: string | undefined;
}

/** Boxes in canvas coordinates: a child's position is relative to its namespace box. */
export function absoluteBoxes(nodes: readonly NavNode[]): Map<string, Box> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const boxes = new Map<string, Box>();
  const place = (node: NavNode): Box => {
    const known = boxes.get(node.id);
    if (known) return known;
    const parent = node.parentId ? byId.get(node.parentId) : undefined;
    const origin = parent ? place(parent) : { x: 0, y: 0 };
    const box = {
      x: origin.x + node.position.x,
      y: origin.y + node.position.y,
      width: node.width ?? 0,
      height: node.height ?? 0,
    };
    boxes.set(node.id, box);
    return box;
  };
  for (const node of nodes) place(node);
  return boxes;
}

function center(box: Box): { x: number; y: number } {
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/**
 * The node an arrow key moves to: spatially, the nearest node whose centre lies in that
 * direction (within 60° either side of it), where sideways distance counts double, so
 * "right" prefers the node on the same row over a closer one further down. Undefined at the edge.
 */
export function nearestInDirection(
  boxes: ReadonlyMap<string, Box>,
  candidates: readonly string[],
  from: string,
  direction: Direction,
): string | undefined {
  const start = boxes.get(from);
  if (!start) return undefined;
  const origin = center(start);
  let best: { id: string; score: number } | undefined;
  for (const id of candidates) {
    const box = id === from ? undefined : boxes.get(id);
    if (!box) continue;
    const c = center(box);
    const dx = c.x - origin.x;
    const dy = c.y - origin.y;
    const ahead = direction === 'right' ? dx : direction === 'left' ? -dx : direction === 'down' ? dy : -dy;
    const aside = Math.abs(direction === 'left' || direction === 'right' ? dy : dx);
    // tan(60°) ≈ 1.73: a node more sideways than that is not "in" this direction.
    if (ahead <= 0 || aside > ahead * 1.73) continue;
    const score = ahead + 2 * aside;
    if (!best || score < best.score || (score === best.score && id < best.id)) best = { id, score };
  }
  return best?.id;
}

/** Reading order (top to bottom, then left to right): where Tab first enters the graph. */
export function readingOrder(boxes: ReadonlyMap<string, Box>, ids: readonly string[]): string[] {
  return [...ids].sort((a, b) => {
    const ba = boxes.get(a);
    const bb = boxes.get(b);
    if (!ba || !bb) return ba ? -1 : bb ? 1 : a.localeCompare(b);
    return ba.y - bb.y || ba.x - bb.x || a.localeCompare(b);
  });
}

/**
 * The connections of a node in the order the keyboard steps through them: outgoing, then
 * incoming, each ordered by where the other end is drawn (reading order).
 */
export function incidentEdges(
  edges: readonly { id: string; source: string; target: string }[],
  node: string,
  boxes: ReadonlyMap<string, Box>,
): string[] {
  const order =
    (other: (e: { source: string; target: string }) => string) =>
    (
      a: { id: string; source: string; target: string },
      b: { id: string; source: string; target: string },
    ) => {
      const ba = boxes.get(other(a));
      const bb = boxes.get(other(b));
      return (ba?.y ?? 0) - (bb?.y ?? 0) || (ba?.x ?? 0) - (bb?.x ?? 0) || a.id.localeCompare(b.id);
    };
  const outgoing = edges.filter((e) => e.source === node && e.target !== node);
  const incoming = edges.filter((e) => e.target === node && e.source !== node);
  outgoing.sort(order((e) => e.target));
  incoming.sort(order((e) => e.source));
  return [...outgoing, ...incoming].map((e) => e.id);
}
