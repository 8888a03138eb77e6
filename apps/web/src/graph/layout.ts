import type { ELK } from 'elkjs/lib/elk.bundled.js';
import { groupedEdgeEnds } from './groupedEdges.ts';
import type { GroupedGraph } from './groupGraph.ts';
import { INSIDE, layeredInside } from './layeredInside.ts';
import { NODE_SIZE } from './nodeSize.ts';

/** Position and size of a laid-out box; children are relative to their group. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type Positions = Record<string, Box>;

/** Width / height the drawing aims for: the graph canvas is a little wider than tall. */
const ASPECT_RATIO = '1.4';

let elk: Promise<ELK> | undefined;

/**
 * ELK, loaded on the first layout: its bundle takes over a second to evaluate, which every
 * importer of graph/ (the store, its unit tests, the page) would otherwise pay up front.
 */
function elkInstance(): Promise<ELK> {
  elk ??= import('elkjs/lib/elk.bundled.js').then(({ default: Elk }) => new Elk());
  return elk;
}

type ElkNode = {
  id: string;
  width?: number;
  height?: number;
  layoutOptions?: Record<string, string>;
  children?: ElkNode[];
  edges?: { id: string; sources: string[]; targets: string[] }[];
};

/**
 * What the layout reads of a grouped graph: the boxes, the edges inside each namespace, and each
 * top-level box's score (see topLevelOrder). Much smaller than the graph when collapsed
 * namespaces aggregate tens of thousands of edges between them, so posting it to the layout
 * worker is cheap.
 */
export interface LayoutInput {
  groups: { id: string; collapsed: boolean }[];
  nodes: { id: string; parent: string | undefined }[];
  /** The edges whose ends are in the same expanded namespace. */
  edges: { id: string; source: string; target: string }[];
  /** Top-level box id -> outgoing minus incoming edges between top-level boxes. */
  score: Record<string, number>;
}

const inputs = new WeakMap<GroupedGraph, LayoutInput>();

/**
 * The layout input of a grouped graph (kept per graph object: it is asked for on every render).
 * Read over the edges' end indices: a collapsed overview has about 100,000 edges, of which only
 * those inside an expanded namespace are made objects.
 */
export function layoutInput(graph: GroupedGraph): LayoutInput {
  let input = inputs.get(graph);
  if (input) return input;
  const parentOf = new Map<string, string | undefined>(graph.nodes.map((n) => [n.id, n.parent]));
  const { ends, source, target, edge } = groupedEdgeEnds(graph);
  // Per end: its namespace box when it sits in one, and the top-level box it is drawn in.
  const parent = ends.map((id) => parentOf.get(id));
  const topIndex = new Map<string, number>();
  const top = ends.map((id, k) => {
    const box = parent[k] ?? id;
    let at = topIndex.get(box);
    if (at === undefined) {
      at = topIndex.size;
      topIndex.set(box, at);
    }
    return at;
  });
  const balance = new Int32Array(topIndex.size);
  const edges: LayoutInput['edges'] = [];
  for (let i = 0; i < source.length; i++) {
    const s = source[i]!;
    const t = target[i]!;
    const inside = parent[s];
    if (inside !== undefined && inside === parent[t]) {
      const { id } = edge(i);
      edges.push({ id, source: ends[s]!, target: ends[t]! });
    }
    // Orders top-level boxes so that callers come before the namespaces they call: a box's score
    // is outgoing minus incoming edges, so hubs everyone calls (kube-system, monitoring) end last.
    if (top[s] === top[t]) continue;
    balance[top[s]!]!++;
    balance[top[t]!]!--;
  }
  const score: Record<string, number> = {};
  for (const [box, at] of topIndex) if (balance[at] !== 0) score[box] = balance[at]!;
  input = {
    groups: graph.groups.map((g) => ({ id: g.id, collapsed: g.collapsed })),
    nodes: graph.nodes.map((n) => ({ id: n.id, parent: n.parent })),
    edges,
    score,
  };
  inputs.set(graph, input);
  return input;
}

/**
 * Two-level layout. Each namespace is laid out on its own (layered top-down when some of its
 * workloads call others, packed in a grid when none or nearly all do, see layeredInside); then namespaces, collapsed
 * namespaces and address ranges are packed into a rectangle of the canvas' shape, callers first.
 * A single layered layout over everything puts every namespace that calls a shared service
 * (DNS, monitoring) into one very wide row. Runs in the analysis worker.
 */
export async function layoutGraph(of: GroupedGraph | LayoutInput): Promise<Positions> {
  const graph = 'score' in of ? of : layoutInput(of);
  const parentOf = new Map(graph.nodes.map((n) => [n.id, n.parent]));
  const members = new Map<string, ElkNode[]>();
  for (const node of graph.nodes) {
    if (!node.parent) continue;
    const list = members.get(node.parent) ?? [];
    list.push({ id: node.id, ...NODE_SIZE.workload });
    members.set(node.parent, list);
  }
  const internalEdges = new Map<string, NonNullable<ElkNode['edges']>>();
  for (const edge of graph.edges) {
    const parent = parentOf.get(edge.source)!;
    const list = internalEdges.get(parent) ?? [];
    list.push({ id: edge.id, sources: [edge.source], targets: [edge.target] });
    internalEdges.set(parent, list);
  }
  const packed: Positions = {};
  const namespaceBox = (id: string): ElkNode => {
    const edges = internalEdges.get(id) ?? [];
    const children = members.get(id) ?? [];
    // Laid out here (see gridInside, layeredInside): a box of fixed size whose insides ELK never sees.
    if (!isLayered(children.length, edges.length)) return { id, ...gridInside(children, edges, packed) };
    if (children.length <= PLAIN_LAYERED_LIMIT) {
      const links = edges.map((e) => ({ source: e.sources[0]!, target: e.targets[0]! }));
      const ids = children.map((c) => c.id);
      return { id, ...layeredInside(ids, links, NODE_SIZE.workload, Number(ASPECT_RATIO), packed) };
    }
    return {
      id,
      layoutOptions: {
        'elk.algorithm': 'layered',
        'elk.padding': '[top=44,left=18,bottom=18,right=18]',
        'elk.spacing.nodeNode': '24',
        'elk.aspectRatio': ASPECT_RATIO,
        'elk.direction': 'DOWN',
        'elk.layered.spacing.nodeNodeBetweenLayers': '60',
        'elk.layered.wrapping.strategy': 'MULTI_EDGE',
      },
      children,
      edges,
    };
  };
  const { score } = graph;
  const top: ElkNode[] = [
    ...graph.groups.map((g) => (g.collapsed ? { id: g.id, ...NODE_SIZE.group } : namespaceBox(g.id))),
    ...graph.nodes.filter((n) => !n.parent).map((n) => ({ id: n.id, ...NODE_SIZE.external })),
  ];
  top.sort((a, b) => (score[b.id] ?? 0) - (score[a.id] ?? 0) || a.id.localeCompare(b.id));
  if (top.length > ELK_PACKING_LIMIT) return { ...packedInRows(top, await laidOutInside(top)), ...packed };
  const root: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'rectpacking',
      'elk.aspectRatio': ASPECT_RATIO,
      'elk.spacing.nodeNode': '56',
      'elk.padding': '[top=20,left=20,bottom=20,right=20]',
      'elk.hierarchyHandling': 'SEPARATE_CHILDREN',
    },
    children: top,
  };
  const laid = (await (await elkInstance()).layout(root as Parameters<ELK['layout']>[0])) as ElkNode & {
    x?: number;
    y?: number;
  };
  return { ...positionsOf(laid), ...packed };
}

/**
 * Whether a namespace's workloads are laid out in layers (callers above callees). Without edges
 * there is nothing to layer; with many (a namespace no policy isolates is a complete graph) the
 * layers make one long chain, and ELK took seconds to find it: 17 workloads with 142 edges
 * took 1.5 s, on every expansion. Both are packed in a grid instead.
 */
function isLayered(workloads: number, edges: number): boolean {
  return edges > 0 && edges <= LAYERED_EDGES_PER_WORKLOAD * workloads;
}

const LAYERED_EDGES_PER_WORKLOAD = 2;
/**
 * Up to this many workloads a layered namespace is laid out in plain code (layeredInside.ts),
 * in well under a millisecond where ELK took 75-110 ms warm and over a second cold (the layout
 * worker loads ELK only when it first needs it). Bigger namespaces, rare and slow to draw
 * anyway, get ELK's layered algorithm and its edge-aware placement.
 */
const PLAIN_LAYERED_LIMIT = 150;

/**
 * Packs a namespace's workloads (all of one size) in rows, the block about the canvas' shape:
 * callers first (more outgoing than incoming edges inside), else in the given order. Writes the
 * workloads' places into `into` and returns the box's size.
 */
function gridInside(
  children: readonly ElkNode[],
  edges: readonly { sources: string[]; targets: string[] }[],
  into: Positions,
): { width: number; height: number } {
  const cell = { width: children[0]?.width ?? 0, height: children[0]?.height ?? 0 };
  const score = new Map<string, number>();
  for (const edge of edges) {
    score.set(edge.sources[0]!, (score.get(edge.sources[0]!) ?? 0) + 1);
    score.set(edge.targets[0]!, (score.get(edge.targets[0]!) ?? 0) - 1);
  }
  const order = children
    .map((child, i) => ({ child, i }))
    .sort((a, b) => (score.get(b.child.id) ?? 0) - (score.get(a.child.id) ?? 0) || a.i - b.i);
  const n = order.length;
  // The column count whose block is nearest the canvas' shape.
  let columns = 1;
  let best = Number.POSITIVE_INFINITY;
  for (let c = 1; c <= Math.max(1, n); c++) {
    const rows = Math.ceil(n / c);
    const ratio = (c * (cell.width + INSIDE.gap)) / Math.max(1, rows * (cell.height + INSIDE.gap));
    const off = Math.abs(Math.log(ratio / Number(ASPECT_RATIO)));
    if (off < best) {
      best = off;
      columns = c;
    }
  }
  order.forEach(({ child }, k) => {
    into[child.id] = {
      x: INSIDE.side + (k % columns) * (cell.width + INSIDE.gap),
      y: INSIDE.top + Math.floor(k / columns) * (cell.height + INSIDE.gap),
      width: cell.width,
      height: cell.height,
    };
  });
  const rows = Math.ceil(n / columns);
  return {
    width: INSIDE.side * 2 + Math.min(n, columns) * (cell.width + INSIDE.gap) - (n > 0 ? INSIDE.gap : 0),
    height: INSIDE.top + INSIDE.bottom + rows * (cell.height + INSIDE.gap) - (n > 0 ? INSIDE.gap : 0),
  };
}

type LaidOut = ElkNode & { x?: number; y?: number };

function positionsOf(laid: LaidOut): Positions {
  const positions: Positions = {};
  const visit = (node: LaidOut) => {
    positions[node.id] = { x: node.x ?? 0, y: node.y ?? 0, width: node.width ?? 0, height: node.height ?? 0 };
    for (const child of node.children ?? []) visit(child);
  };
  for (const child of laid.children ?? []) visit(child);
  return positions;
}

/**
 * Above this many top-level boxes (a big cluster's collapsed overview: one per namespace) they
 * are packed in rows here instead of by ELK's rectpacking, which took seconds for 600 boxes,
 * and again on every namespace expanded.
 */
const ELK_PACKING_LIMIT = 200;
const TOP_SPACING = 56;
const TOP_PADDING = 20;

/** The insides and sizes of the expanded namespaces among `top` (ELK, each on its own); the rest keep their size. */
async function laidOutInside(top: readonly ElkNode[]): Promise<Positions> {
  const expanded = top.filter((n) => n.children !== undefined);
  if (expanded.length === 0) return {};
  const root: ElkNode = {
    id: 'root',
    layoutOptions: { 'elk.algorithm': 'rectpacking', 'elk.hierarchyHandling': 'SEPARATE_CHILDREN' },
    children: expanded,
  };
  return positionsOf((await (await elkInstance()).layout(root as Parameters<ELK['layout']>[0])) as LaidOut);
}

/**
 * Packs the top-level boxes in order (callers first) into rows about as wide as a rectangle of
 * the canvas' shape holding them all; `inside` gives the expanded namespaces' sizes and insides.
 */
function packedInRows(top: readonly ElkNode[], inside: Positions): Positions {
  const sizes = top.map((n) => inside[n.id] ?? { width: n.width ?? 0, height: n.height ?? 0 });
  const area = sizes.reduce((sum, b) => sum + (b.width + TOP_SPACING) * (b.height + TOP_SPACING), 0);
  const widest = Math.max(...sizes.map((b) => b.width));
  const rowWidth = Math.max(widest, Math.sqrt(area * Number(ASPECT_RATIO)));
  const positions: Positions = { ...inside };
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  top.forEach((node, i) => {
    const { width, height } = sizes[i]!;
    if (x > 0 && x + width > rowWidth) {
      x = 0;
      y += rowHeight + TOP_SPACING;
      rowHeight = 0;
    }
    positions[node.id] = { x: TOP_PADDING + x, y: TOP_PADDING + y, width, height };
    x += width + TOP_SPACING;
    rowHeight = Math.max(rowHeight, height);
  });
  return positions;
}
