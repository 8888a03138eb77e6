import { describe, expect, it } from 'vitest';
import type { EdgeTable, GraphModel, GraphNode, NodeId } from '../model/index.ts';
import { filterGraph, NO_FILTERS } from './filterGraph.ts';
import {
  fromWire,
  groupedEdgeById,
  groupedEdgeCount,
  groupedEdgeEnds,
  groupedEdgesWhere,
} from './groupedEdges.ts';
import { groupGraph } from './groupGraph.ts';
import { layoutInput } from './layout.ts';
import { overviewCache } from './overview.ts';
import { MAX_DRAWN_EDGES, toFlowElements } from './toFlowElements.ts';

const workload = (namespace: string, name: string, labels: Record<string, string>): GraphNode => ({
  id: `${namespace}/${name}[Deployment]` as NodeId,
  type: 'workload',
  label: name,
  kind: 'Deployment',
  namespace,
  labels,
  ports: [],
  ingressIsolated: name.endsWith('0'),
  egressIsolated: false,
  pods: 1,
  source: undefined,
});

/** 3 namespaces of 20 workloads, each calling every other (more edges than are drawn at once). */
function denseModel(): { model: GraphModel; table: EdgeTable } {
  const nodes = ['a', 'b', 'c'].flatMap((ns) =>
    Array.from({ length: 20 }, (_, i) => workload(ns, `w${i}`, { app: `w${i % 4}` })),
  );
  const source: number[] = [];
  const target: number[] = [];
  const kind: number[] = [];
  nodes.forEach((_, s) => {
    nodes.forEach((_, t) => {
      if (s === t) return;
      source.push(s);
      target.push(t);
      kind.push((s + t) % 2);
    });
  });
  const table: EdgeTable = {
    source: Int32Array.from(source),
    target: Int32Array.from(target),
    kind: Int32Array.from(kind),
    kinds: [
      {
        label: 'All Connections',
        all: true,
        ports: { TCP: [1, 65535], UDP: [1, 65535], SCTP: [1, 65535] },
      },
      { label: 'TCP 80', all: false, ports: { TCP: [80, 80], UDP: [], SCTP: [] } },
    ],
    tiers: undefined,
  };
  const edges = source.map((s, i) => ({
    id: `${nodes[s]!.id}->${nodes[target[i]!]!.id}`,
    source: nodes[s]!.id,
    target: nodes[target[i]!]!.id,
    label: table.kinds[kind[i]!]!.label,
    all: table.kinds[kind[i]!]!.all,
    ports: table.kinds[kind[i]!]!.ports,
  }));
  const model = { nodes, edges, namespaces: [], policies: [] } as unknown as GraphModel;
  return { model, table };
}

describe('grouped edges read from the worker columns', () => {
  const { model, table } = denseModel();
  for (const collapsed of [[], ['b'], ['a', 'b', 'c']]) {
    const expected = groupGraph(filterGraph(model, NO_FILTERS), new Set(collapsed));
    const wire = () =>
      fromWire(overviewCache()({ nodes: model.nodes, table }, NO_FILTERS, new Set(collapsed)));

    it(`counts, finds and selects edges as the objects do (${collapsed.length} collapsed)`, () => {
      const graph = wire();
      expect(groupedEdgeCount(graph)).toBe(expected.edges.length);
      const one = model.nodes[3]!.id;
      const touching = (s: string, t: string) => s === one || t === one;
      expect(groupedEdgesWhere(graph, touching)).toEqual(
        expected.edges.filter((e) => touching(e.source, e.target)),
      );
      for (const edge of [expected.edges[0]!, expected.edges.at(-1)!])
        expect(groupedEdgeById(graph, edge.id)).toEqual(edge);
      expect(groupedEdgeById(graph, 'nowhere->nothing')).toBeUndefined();
      const ends = groupedEdgeEnds(graph);
      expect(Array.from(ends.source, (s, i) => [ends.ends[s], ends.ends[ends.target[i]!]])).toEqual(
        expected.edges.map((e) => [e.source, e.target]),
      );
      expect(graph.edges).toEqual(expected.edges);
    });

    it(`gives the same layout input and drawing as the objects (${collapsed.length} collapsed)`, () => {
      expect(layoutInput(wire())).toEqual(layoutInput(expected));
      const none = { selectedNode: undefined, selectedEdge: undefined, policy: undefined, search: '' };
      const node = model.nodes[5]!.id;
      const edge = expected.edges.at(-1)!.id;
      for (const highlight of [none, { ...none, selectedNode: node }, { ...none, selectedEdge: edge }])
        expect(toFlowElements(wire(), {}, highlight)).toEqual(toFlowElements(expected, {}, highlight));
    });
  }

  it('draws only the selection past the limit, without making the other edges objects', () => {
    const graph = fromWire(overviewCache()({ nodes: model.nodes, table }, NO_FILTERS, new Set()));
    expect(groupedEdgeCount(graph)).toBeGreaterThan(MAX_DRAWN_EDGES);
    let built = false;
    const read = Object.getOwnPropertyDescriptor(graph, 'edges')!.get!;
    Object.defineProperty(graph, 'edges', {
      get: () => {
        built = true;
        return read();
      },
    });
    const node = model.nodes[5]!.id;
    const drawn = toFlowElements(
      graph,
      {},
      { selectedNode: node, selectedEdge: undefined, policy: undefined, search: '' },
    );
    expect(drawn.edges.length).toBe(2 * 59);
    expect(drawn.edges.every((e) => e.source === node || e.target === node)).toBe(true);
    expect(drawn.hiddenEdges).toBe(groupedEdgeCount(graph) - 2 * 59);
    layoutInput(graph);
    expect(built).toBe(false);
  });
});
