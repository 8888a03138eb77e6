import ELK from 'elkjs/lib/elk.bundled.js';
import type { GroupedGraph } from './groupGraph.ts';

/** Position and size of a laid-out box; children are relative to their group. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type Positions = Record<string, Box>;

export const NODE_SIZE = {
  workload: { width: 210, height: 62 },
  external: { width: 190, height: 48 },
  group: { width: 230, height: 66 },
};

const elk = new ELK();

/**
 * Layered layout (top to bottom) with namespaces as compound nodes, so edges flow from callers
 * to callees and each namespace stays one box. Runs in the analysis worker.
 */
export async function layoutGraph(graph: GroupedGraph): Promise<Positions> {
  const children = new Map<string, { id: string; width: number; height: number }[]>();
  for (const node of graph.nodes) {
    if (!node.parent) continue;
    const list = children.get(node.parent) ?? [];
    list.push({ id: node.id, ...NODE_SIZE.workload });
    children.set(node.parent, list);
  }
  const root = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      // Top-down with wrapping keeps the drawing near the canvas' shape; a plain left-to-right
      // layering of densely connected workloads becomes one long thin row.
      'elk.direction': 'DOWN',
      'elk.layered.wrapping.strategy': 'MULTI_EDGE',
      'elk.aspectRatio': '1.3',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.spacing.nodeNode': '28',
      'elk.layered.spacing.nodeNodeBetweenLayers': '90',
      'elk.spacing.edgeNode': '20',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.padding': '[top=20,left=20,bottom=20,right=20]',
    },
    children: [
      ...graph.groups.map((g) =>
        g.collapsed
          ? { id: g.id, ...NODE_SIZE.group }
          : {
              id: g.id,
              layoutOptions: { 'elk.padding': '[top=44,left=18,bottom=18,right=18]' },
              children: children.get(g.id) ?? [],
            },
      ),
      ...graph.nodes.filter((n) => !n.parent).map((n) => ({ id: n.id, ...NODE_SIZE.external })),
    ],
    edges: graph.edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  };
  const laid = await elk.layout(root);
  const positions: Positions = {};
  const visit = (node: {
    id: string;
    x?: number;
    y?: number;
    width?: number;
    height?: number;
    children?: unknown[];
  }) => {
    positions[node.id] = { x: node.x ?? 0, y: node.y ?? 0, width: node.width ?? 0, height: node.height ?? 0 };
    for (const child of (node.children ?? []) as (typeof node)[]) visit(child);
  };
  for (const child of laid.children ?? []) visit(child);
  return positions;
}
