import type { Box } from './layout.ts';

/** React Flow's default bezier curvature: the control points below match its drawing. */
const CURVATURE = 0.25;

function controlOffset(distance: number): number {
  return distance >= 0 ? 0.5 * distance : CURVATURE * 25 * Math.sqrt(-distance);
}

/**
 * The point at `t` (0 at the source, 1 at the target) of an edge drawn the way React Flow draws
 * a bezier from a handle at the bottom of the source to one at the top of the target.
 */
export function pointOnEdge(
  source: { x: number; y: number },
  target: { x: number; y: number },
  t: number,
): { x: number; y: number } {
  const c1 = { x: source.x, y: source.y + controlOffset(target.y - source.y) };
  const c2 = { x: target.x, y: target.y - controlOffset(target.y - source.y) };
  const u = 1 - t;
  const a = u * u * u;
  const b = 3 * u * u * t;
  const c = 3 * u * t * t;
  const d = t * t * t;
  return {
    x: a * source.x + b * c1.x + c * c2.x + d * target.x,
    y: a * source.y + b * c1.y + c * c2.y + d * target.y,
  };
}

/** Where along its edge a label may go, best first: the middle, then step by step outwards. */
export const LABEL_STOPS = [0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.2, 0.8];

/** The label's size on the canvas, estimated from its text (the font is small and fixed). */
export function labelSize(text: string): { width: number; height: number } {
  return text === '' ? { width: 10, height: 10 } : { width: text.length * 6 + 14, height: 18 };
}

/**
 * Rectangles bucketed by a grid about the size of a label, so each test looks only at its
 * neighbours. Cells are numbered, not named, and a query marks the boxes it has seen with a
 * stamp instead of building a set: a big cluster's overview places thousands of labels, most of
 * them in a crowded middle, and this loop is where that time went.
 */
class BoxGrid {
  private readonly cells = new Map<number, number[]>();
  private readonly boxes: Box[] = [];
  private readonly seenAt: number[] = [];
  private query = 0;
  constructor(private readonly size = 64) {}

  private forEachCell(box: Box, visit: (cell: number) => void): void {
    // Offsets keep cell numbers non-negative and unique for canvases up to ~2 million px.
    const x0 = Math.floor(box.x / this.size) + CELL_OFFSET;
    const x1 = Math.floor((box.x + box.width) / this.size) + CELL_OFFSET;
    const y0 = Math.floor(box.y / this.size) + CELL_OFFSET;
    const y1 = Math.floor((box.y + box.height) / this.size) + CELL_OFFSET;
    for (let i = x0; i <= x1; i++) for (let j = y0; j <= y1; j++) visit(i * CELL_SPAN + j);
  }

  add(box: Box): void {
    const index = this.boxes.push(box) - 1;
    this.seenAt.push(0);
    this.forEachCell(box, (cell) => {
      const list = this.cells.get(cell);
      if (list) list.push(index);
      else this.cells.set(cell, [index]);
    });
  }

  /** Area of `box` covered by the stored boxes (overlaps between them counted twice: a penalty). */
  overlap(box: Box): number {
    let area = 0;
    const query = ++this.query;
    this.forEachCell(box, (cell) => {
      const list = this.cells.get(cell);
      if (!list) return;
      for (const index of list) {
        if (this.seenAt[index] === query) continue;
        this.seenAt[index] = query;
        const other = this.boxes[index] as Box;
        const w = Math.min(box.x + box.width, other.x + other.width) - Math.max(box.x, other.x);
        const h = Math.min(box.y + box.height, other.y + other.height) - Math.max(box.y, other.y);
        if (w > 0 && h > 0) area += w * h;
      }
    });
    return area;
  }
}

const CELL_OFFSET = 32_768;
const CELL_SPAN = 65_536;

/** An edge as the label placer sees it. */
export interface LabelledEdge {
  id: string;
  source: string;
  target: string;
  label: string;
}

/**
 * Chooses where along each edge its label goes, as `t` in 0..1, so labels sit clear of the
 * nodes (`obstacles`: node boxes and namespace headers, in canvas coordinates) and of each
 * other. Greedy, in the order given: each label takes the first stop that touches nothing, or
 * the least covered one. A label under a node or another label cannot be clicked.
 */
export function placeEdgeLabels(
  edges: readonly LabelledEdge[],
  boxes: ReadonlyMap<string, Box>,
  obstacles: readonly Box[],
): Map<string, number> {
  const grid = new BoxGrid();
  for (const box of obstacles) grid.add(box);
  const placed = new Map<string, number>();
  for (const edge of edges) {
    const from = boxes.get(edge.source);
    const to = boxes.get(edge.target);
    if (!from || !to) continue;
    const source = { x: from.x + from.width / 2, y: from.y + from.height };
    const target = { x: to.x + to.width / 2, y: to.y };
    const size = labelSize(edge.label);
    let best: { t: number; box: Box; overlap: number } | undefined;
    for (const t of LABEL_STOPS) {
      const at = pointOnEdge(source, target, t);
      // A little margin, so a label does not touch a node's border either.
      const box = {
        x: at.x - size.width / 2 - 3,
        y: at.y - size.height / 2 - 3,
        width: size.width + 6,
        height: size.height + 6,
      };
      const overlap = grid.overlap(box);
      if (!best || overlap < best.overlap) best = { t, box, overlap };
      if (overlap === 0) break;
    }
    if (!best) continue;
    placed.set(edge.id, best.t);
    grid.add(best.box);
  }
  return placed;
}
