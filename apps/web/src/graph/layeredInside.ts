// A namespace's workloads in layers (callers above the workloads they call), in plain code.
// ELK's layered algorithm took 75-110 ms for 17 workloads even warm, and its first run in the
// layout worker pays for loading ELK (over a second); a namespace is small enough that a simple
// Sugiyama layout (break cycles, longest-path layers, barycentre ordering, centred rows) draws it
// in well under a millisecond.

/** A namespace box's padding (its header on top), the gap between workloads, and between layers. */
export const INSIDE = { top: 44, side: 18, bottom: 18, gap: 24, layerGap: 60 };

interface Cell {
  width: number;
  height: number;
}

/** Where each workload goes, relative to its namespace box (layout.ts' Positions). */
type Places = Record<string, Cell & { x: number; y: number }>;

/** Barycentre sweeps (down then up) tried when ordering each layer's workloads. */
const SWEEPS = 6;

/**
 * Lays out `ids` (all of size `cell`) in layers, every edge pointing down except those that close
 * a cycle; workloads without any edge go in rows under the layers. Long layers wrap onto several
 * rows and a deep chain of layers wraps into bands side by side, so that the box is about
 * `aspect` (width / height). Writes the workloads' places (relative to the box) into `into` and
 * returns the box's size. The same input always gives the same places.
 */
export function layeredInside(
  ids: readonly string[],
  edges: readonly { source: string; target: string }[],
  cell: Cell,
  aspect: number,
  into: Places,
): { width: number; height: number } {
  const n = ids.length;
  const index = new Map(ids.map((id, i) => [id, i]));
  const out: number[][] = ids.map(() => []);
  const seen = new Set<number>();
  for (const edge of edges) {
    const s = index.get(edge.source);
    const t = index.get(edge.target);
    if (s === undefined || t === undefined || s === t || seen.has(s * n + t)) continue;
    seen.add(s * n + t);
    out[s]!.push(t);
  }
  const down = acyclic(out);
  const layer = layersOf(down);
  const linked = ids.map((_, v) => down[v]!.length > 0);
  for (const targets of down) for (const t of targets) linked[t] = true;

  const depth = Math.max(0, ...layer.map((l, v) => (linked[v] ? l + 1 : 0)));
  const layers: number[][] = Array.from({ length: depth }, () => []);
  const loose: number[] = [];
  for (let v = 0; v < n; v++) (linked[v] ? layers[layer[v]!]! : loose).push(v);
  orderLayers(layers, down);

  const rows = chooseRows(layers, loose, cell, aspect);
  let bandX = INSIDE.side;
  let width = 0;
  let height = 0;
  for (const band of rows.bands) {
    const bandWidth = Math.max(...band.map((row) => rowWidth(row.nodes.length, cell)));
    let y = INSIDE.top;
    for (const [r, row] of band.entries()) {
      if (r > 0) y += row.newLayer ? INSIDE.layerGap : INSIDE.gap;
      // Centred in its band, so that a layer's few workloads sit under the many above them.
      let x = bandX + (bandWidth - rowWidth(row.nodes.length, cell)) / 2;
      for (const v of row.nodes) {
        into[ids[v]!] = { x, y, width: cell.width, height: cell.height };
        x += cell.width + INSIDE.gap;
      }
      y += cell.height;
    }
    width = bandX + bandWidth + INSIDE.side;
    height = Math.max(height, y + INSIDE.bottom);
    bandX += bandWidth + INSIDE.layerGap;
  }
  return { width: Math.max(width, INSIDE.side * 2), height: Math.max(height, INSIDE.top + INSIDE.bottom) };
}

function rowWidth(count: number, cell: Cell): number {
  return count * (cell.width + INSIDE.gap) - (count > 0 ? INSIDE.gap : 0);
}

/**
 * The edges with those that close a cycle turned around (a depth-first search in input order
 * reverses the edges back to a workload still on its path), so that layers exist.
 */
function acyclic(out: readonly number[][]): number[][] {
  const n = out.length;
  const state = new Uint8Array(n); // 0 unvisited, 1 on the path, 2 done
  const down: number[][] = out.map(() => []);
  for (let root = 0; root < n; root++) {
    if (state[root] !== 0) continue;
    const stack: { v: number; next: number }[] = [{ v: root, next: 0 }];
    state[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const targets = out[top.v]!;
      if (top.next === targets.length) {
        state[top.v] = 2;
        stack.pop();
        continue;
      }
      const t = targets[top.next++]!;
      if (state[t] === 1) {
        if (!down[t]!.includes(top.v)) down[t]!.push(top.v);
        continue;
      }
      if (!down[top.v]!.includes(t)) down[top.v]!.push(t);
      if (state[t] === 0) {
        state[t] = 1;
        stack.push({ v: t, next: 0 });
      }
    }
  }
  return down;
}

/**
 * Longest-path layers from the sources down; then every caller that nothing calls moves down to
 * just above its highest callee, so that its edges are short.
 */
function layersOf(down: readonly number[][]): number[] {
  const n = down.length;
  const indegree = new Int32Array(n);
  for (const targets of down) for (const t of targets) indegree[t]!++;
  const layer = new Array<number>(n).fill(0);
  const queue: number[] = [];
  for (let v = 0; v < n; v++) if (indegree[v] === 0) queue.push(v);
  const order: number[] = [];
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head]!;
    order.push(v);
    for (const t of down[v]!) {
      layer[t] = Math.max(layer[t]!, layer[v]! + 1);
      if (--indegree[t]! === 0) queue.push(t);
    }
  }
  const called = new Uint8Array(n);
  for (const targets of down) for (const t of targets) called[t] = 1;
  for (let v = 0; v < n; v++) {
    if (called[v] || down[v]!.length === 0) continue;
    layer[v] = Math.min(...down[v]!.map((t) => layer[t]!)) - 1;
  }
  return layer;
}

/**
 * Orders each layer to cross few edges: barycentre sweeps down and up, keeping the order with the
 * fewest crossings seen. Sorting is stable, so ties keep the input order.
 */
function orderLayers(layers: number[][], down: readonly number[][]): void {
  const n = down.length;
  const up: number[][] = down.map(() => []);
  down.forEach((targets, v) => {
    for (const t of targets) up[t]!.push(v);
  });
  const position = new Float64Array(n);
  const place = (layer: readonly number[]) => {
    for (const [i, v] of layer.entries()) position[v] = i;
  };
  for (const layer of layers) place(layer);
  let best = layers.map((l) => [...l]);
  let fewest = crossings(layers, down, position);
  for (let sweep = 0; sweep < SWEEPS && fewest > 0; sweep++) {
    const downward = sweep % 2 === 0;
    const range = downward ? layers.keys() : [...layers.keys()].reverse();
    for (const l of range) {
      const neighbours = downward ? up : down;
      const layer = layers[l]!;
      const bary = new Map<number, number>();
      for (const [i, v] of layer.entries()) {
        const adjacent = neighbours[v]!;
        bary.set(v, adjacent.length ? adjacent.reduce((s, u) => s + position[u]!, 0) / adjacent.length : i);
      }
      layer.sort((a, b) => bary.get(a)! - bary.get(b)!);
      place(layer);
    }
    const count = crossings(layers, down, position);
    if (count < fewest) {
      fewest = count;
      best = layers.map((l) => [...l]);
    }
  }
  for (const [l, order] of best.entries()) layers[l] = order;
}

/** Pairs of edges that cross between each layer and any layer below it (by order positions). */
function crossings(layers: readonly number[][], down: readonly number[][], position: Float64Array): number {
  const segments: { from: number; to: number; layer: number }[] = [];
  layers.forEach((layer, l) => {
    for (const v of layer)
      for (const t of down[v]!) segments.push({ from: position[v]!, to: position[t]!, layer: l });
  });
  let count = 0;
  for (let i = 0; i < segments.length; i++)
    for (let j = i + 1; j < segments.length; j++) {
      const a = segments[i]!;
      const b = segments[j]!;
      if (a.layer === b.layer && (a.from - b.from) * (a.to - b.to) < 0) count++;
    }
  return count;
}

interface Row {
  nodes: number[];
  /** Whether the row starts a layer (a bigger gap above it than above a wrapped part of a layer). */
  newLayer: boolean;
}

/**
 * Cuts the layers into rows of at most `columns` workloads, trying every choice for the box whose
 * shape is nearest `aspect`. A box still much taller than that (a long chain of layers) is cut
 * into bands of rows side by side, as few as bring it near the shape.
 */
function chooseRows(
  layers: readonly number[][],
  loose: readonly number[],
  cell: Cell,
  aspect: number,
): { bands: Row[][] } {
  const widest = Math.max(1, loose.length, ...layers.map((l) => l.length));
  let best: { bands: Row[][]; off: number; ratio: number } | undefined;
  const consider = (bands: Row[][]) => {
    const size = boxSize(bands, cell);
    const ratio = size.width / size.height;
    const off = Math.abs(Math.log(ratio / aspect));
    if (!best || off < best.off - 1e-9) best = { bands, off, ratio };
  };
  const rowsOf = (columns: number) => {
    const rows: Row[] = [];
    for (const layer of [...layers, loose])
      for (let i = 0; i < layer.length; i += columns)
        rows.push({ nodes: layer.slice(i, i + columns), newLayer: i === 0 });
    return rows;
  };
  for (let columns = 1; columns <= widest; columns++) consider([rowsOf(columns)]);
  if (best && best.ratio < aspect / 2) {
    // Rows as wide as the widest layer: a band break already cuts the flow from top to bottom.
    const rows = rowsOf(widest);
    for (let bands = 2; bands <= rows.length; bands++) {
      const perBand = Math.ceil(rows.length / bands);
      const cut: Row[][] = [];
      for (let i = 0; i < rows.length; i += perBand) cut.push(rows.slice(i, i + perBand));
      consider(cut);
    }
  }
  return { bands: best?.bands ?? [] };
}

function boxSize(bands: readonly Row[][], cell: Cell): { width: number; height: number } {
  let width = INSIDE.side * 2 - INSIDE.layerGap;
  let height = 0;
  for (const band of bands) {
    width += Math.max(0, ...band.map((row) => rowWidth(row.nodes.length, cell))) + INSIDE.layerGap;
    let bandHeight = 0;
    band.forEach((row, r) => {
      bandHeight += (r > 0 ? (row.newLayer ? INSIDE.layerGap : INSIDE.gap) : 0) + cell.height;
    });
    height = Math.max(height, bandHeight);
  }
  return { width: Math.max(width, 1), height: INSIDE.top + INSIDE.bottom + height };
}
