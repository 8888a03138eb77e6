import { BoxIndex } from './boxIndex.ts';
import type { GroupedGraph } from './groupGraph.ts';
import type { Box, Positions } from './layout.ts';

/** Spacing used when placing newcomers, the same as the layout's. */
const GAP = 24;
const TOP_GAP = 56;
const PADDING = { top: 44, side: 18, bottom: 18 };

/**
 * The free place nearest `near` for `box` (its centre there, or on rings around it), clear of
 * the indexed boxes by a gap; undefined when the rings searched are full.
 */
function freeSpot(
  box: Box,
  near: { x: number; y: number },
  taken: BoxIndex,
): { x: number; y: number } | undefined {
  const step = 40;
  for (let ring = 0; ring <= 30; ring++) {
    const candidates: { x: number; y: number }[] = [];
    for (let i = -ring; i <= ring; i++)
      for (let j = -ring; j <= ring; j++)
        if (Math.max(Math.abs(i), Math.abs(j)) === ring)
          candidates.push({ x: near.x - box.width / 2 + i * step, y: near.y - box.height / 2 + j * step });
    candidates.sort(
      (a, b) => Math.hypot(a.x - near.x, a.y - near.y) - Math.hypot(b.x - near.x, b.y - near.y),
    );
    for (const at of candidates) if (!taken.crowds({ ...box, ...at }, GAP)) return at;
  }
  return undefined;
}

/**
 * Keeps the reviewer's picture steady across edits: every node that was drawn before keeps its
 * place (`remembered`, positions relative to the parent as React Flow takes them), and only
 * what is new takes its place from the fresh layout (`fresh`):
 * - a new workload in a known namespace goes into that namespace's box, under its workloads,
 *   and the box grows to hold it;
 * - a namespace whose workloads are all new (a namespace just expanded) keeps its box's place
 *   and takes the inside and the size from the fresh layout;
 * - a new namespace or address range goes to the free spot nearest `near` (the middle of what
 *   the reviewer is looking at), else to the right of the drawing.
 * A box that grew pushes the boxes it would now cover out of the way (the least distance,
 * right or down), so nothing ends up hidden under a namespace.
 */
export function keepPlaces(
  remembered: Positions,
  fresh: Positions,
  graph: GroupedGraph,
  near?: { x: number; y: number },
): Positions {
  // A first layout has nothing to keep: all of it is the fresh one.
  if (Object.keys(remembered).length === 0) return fresh;
  const out: Positions = {};
  const topLevel = [
    ...graph.groups.map((g) => g.id),
    ...graph.nodes.filter((n) => !n.parent).map((n) => n.id),
  ];
  const children = new Map<string, string[]>();
  for (const node of graph.nodes) {
    if (!node.parent) continue;
    const list = children.get(node.parent) ?? [];
    list.push(node.id);
    children.set(node.parent, list);
  }

  // Inside each namespace: old workloads stay, new ones go in rows under them.
  const grown = new Set<string>();
  for (const group of graph.groups) {
    const members = children.get(group.id) ?? [];
    const known = members.filter((id) => remembered[id]);
    const box = fresh[group.id];
    if (!box) continue;
    const before = remembered[group.id];
    if (known.length === 0 || group.collapsed) {
      // Nothing inside to keep: the fresh inside, at the box's old place if it had one.
      for (const id of members) if (fresh[id]) out[id] = fresh[id];
      out[group.id] = { ...box, x: before?.x ?? box.x, y: before?.y ?? box.y };
      if (before && (box.width > before.width || box.height > before.height)) grown.add(group.id);
      continue;
    }
    let width = before?.width ?? box.width;
    let bottom = 0;
    for (const id of known) {
      const kept = remembered[id]!;
      out[id] = kept;
      bottom = Math.max(bottom, kept.y + kept.height);
      width = Math.max(width, kept.x + kept.width + PADDING.side);
    }
    let x = PADDING.side;
    let rowHeight = 0;
    let y = bottom + GAP;
    for (const id of members) {
      if (out[id]) continue;
      const size = fresh[id] ?? { x: 0, y: 0, width: 210, height: 62 };
      if (x > PADDING.side && x + size.width + PADDING.side > width) {
        x = PADDING.side;
        y += rowHeight + GAP;
        rowHeight = 0;
      }
      out[id] = { x, y, width: size.width, height: size.height };
      x += size.width + GAP;
      rowHeight = Math.max(rowHeight, size.height);
      bottom = Math.max(bottom, y + size.height);
    }
    const height = Math.max(before?.height ?? 0, bottom + PADDING.bottom, PADDING.top + PADDING.bottom);
    out[group.id] = { x: before?.x ?? box.x, y: before?.y ?? box.y, width, height };
    if (before && (width > before.width || height > before.height)) grown.add(group.id);
  }

  // Top level: known boxes stay; new ones go to the free spot nearest `near`, else in a column
  // right of the drawing. The index holds every top-level box placed so far.
  const placed = new BoxIndex();
  let right = 0;
  for (const id of topLevel) {
    const before = remembered[id];
    if (!out[id] && before && fresh[id]) out[id] = { ...fresh[id]!, x: before.x, y: before.y };
    if (!before || !out[id]) continue;
    placed.set(id, out[id]!);
    right = Math.max(right, out[id]!.x + out[id]!.width);
  }
  let columnY = 20;
  for (const id of topLevel) {
    if (remembered[id] || !fresh[id]) continue;
    const box = out[id] ?? fresh[id]!;
    const spot = near ? freeSpot(box, near, placed) : undefined;
    if (spot) {
      out[id] = { ...box, ...spot };
    } else {
      out[id] = { ...box, x: right + TOP_GAP, y: columnY };
      columnY += box.height + TOP_GAP;
    }
    placed.set(id, out[id]!);
  }

  pushAside(out, placed, grown, topLevel);
  return out;
}

/**
 * A box that grew pushes what it now covers, by the smaller of the two ways out (right or down),
 * and what is pushed pushes on in turn. A grown box keeps its place: a pushed box that reaches
 * one moves on past it instead. Reads only the boxes near each pusher (the index); whatever a
 * runaway cascade leaves overlapping goes to a column right of the drawing.
 */
function pushAside(
  out: Positions,
  placed: BoxIndex,
  grown: ReadonlySet<string>,
  topLevel: readonly string[],
): void {
  const count = topLevel.length;
  // Boxes are pushed in the drawing's order, whatever order the index finds them in.
  const rank = new Map(topLevel.map((id, i) => [id, i]));
  const queue = [...grown];
  const push = (id: string, by: Box) => {
    const box = out[id]!;
    const dx = by.x + by.width + TOP_GAP - box.x;
    const dy = by.y + by.height + TOP_GAP - box.y;
    out[id] = dx <= dy ? { ...box, x: box.x + dx } : { ...box, y: box.y + dy };
    placed.set(id, out[id]!);
    queue.push(id);
  };
  for (let head = 0; head < queue.length && head < count * 4; head++) {
    const pusherId = queue[head]!;
    const pusher = out[pusherId]!;
    const covered = placed.near(pusher, GAP).sort((a, b) => rank.get(a)! - rank.get(b)!);
    for (const id of covered) {
      if (id === pusherId || out[pusherId] !== pusher) continue;
      if (grown.has(id) && !grown.has(pusherId)) push(pusherId, out[id]!);
      else push(id, pusher);
    }
  }
  // A cascade cut short by the guard: what it moved and still overlaps goes right of everything.
  if (queue.length <= count * 4) return;
  let right = 0;
  for (const box of Object.values(out)) right = Math.max(right, box.x + box.width);
  let columnY = 20;
  for (const id of new Set(queue)) {
    if (grown.has(id) || !placed.crowds(out[id]!, GAP, id)) continue;
    out[id] = { ...out[id]!, x: right + TOP_GAP, y: columnY };
    placed.set(id, out[id]!);
    columnY += out[id]!.height + TOP_GAP;
  }
}

/**
 * Whether two position maps place the same boxes at the same places. A new analysis that moves
 * nothing then keeps the old map, so what is computed from the drawing (edge labels, flow nodes)
 * is not computed again.
 */
export function samePositions(a: Positions, b: Positions): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    const p = a[key] as Box;
    const q = b[key];
    if (!q || p.x !== q.x || p.y !== q.y || p.width !== q.width || p.height !== q.height) return false;
  }
  return true;
}
