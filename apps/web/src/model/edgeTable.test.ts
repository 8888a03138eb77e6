import { describe, expect, it } from 'vitest';
import { countEdgeReads } from './edgeTable.test-helper.ts';
import {
  edgeById,
  edgeCount,
  edgeDegree,
  edgesAt,
  edgesLeaving,
  hydrateModel,
  type WireModel,
} from './edgeTable.ts';
import { nodeId } from './ids.test-helper.ts';
import { edgeId } from './ids.ts';
import { rangeNode, workloadNode } from './nodes.test-helper.ts';
import type { EdgeTiers, GraphEdge, GraphModel } from './types.ts';

const TCP80 = { label: 'TCP 80', all: false, ports: { TCP: [80, 80], UDP: [], SCTP: [] } };
const ALL = {
  label: 'All Connections',
  all: true,
  ports: { TCP: [0, 65535], UDP: [0, 65535], SCTP: [0, 65535] },
};
const DECIDED: EdgeTiers = { decidedBy: 'Admin', egress: [], ingress: [] };

const NODES = [
  workloadNode('shop/web[Deployment]'),
  workloadNode('shop/api[Deployment]'),
  workloadNode('data/db[StatefulSet]'),
  rangeNode('10.0.0.0-10.255.255.255[External]'),
];
const [WEB, API, DB, RANGE] = NODES.map((n) => n.id) as [
  GraphEdge['source'],
  GraphEdge['source'],
  GraphEdge['source'],
  GraphEdge['source'],
];
// web -> api, api -> db, range -> web, db -> db (a self-loop), web -> db; api -> db carries tiers.
const PAIRS: [number, number, number][] = [
  [0, 1, 0],
  [1, 2, 1],
  [3, 0, 1],
  [2, 2, 0],
  [0, 2, 1],
];

function wire(): WireModel {
  return {
    nodes: NODES,
    namespaces: [],
    policies: [],
    revision: 3,
    table: {
      source: Int32Array.from(PAIRS, (p) => p[0]),
      target: Int32Array.from(PAIRS, (p) => p[1]),
      kind: Int32Array.from(PAIRS, (p) => p[2]),
      kinds: [TCP80, ALL],
      tiers: PAIRS.map((_, i) => (i === 1 ? DECIDED : undefined)),
    },
  };
}

/** The same connections as edge objects, as a model built on the main thread has them. */
function objectModel(): GraphModel {
  const kinds = [TCP80, ALL];
  const edges = PAIRS.map(([s, t, k], i): GraphEdge => {
    const source = NODES[s]!.id;
    const target = NODES[t]!.id;
    return {
      id: edgeId(source, target),
      source,
      target,
      ...kinds[k]!,
      ...(i === 1 ? { tiers: DECIDED } : {}),
    };
  });
  return { nodes: NODES, edges, namespaces: [], policies: [] };
}

describe('a hydrated model builds only the edges asked for', () => {
  it('finds one edge by id without reading model.edges, the same object each time', () => {
    const model = hydrateModel(wire());
    const reads = countEdgeReads(model);
    const edge = edgeById(model, edgeId(API, DB));
    expect(edge).toEqual(objectModel().edges[1]);
    expect(edge?.tiers).toBe(DECIDED);
    expect(edgeById(model, edgeId(API, DB))).toBe(edge);
    expect(edgeById(model, edgeId(DB, DB))).toMatchObject({ source: DB, target: DB, label: 'TCP 80' });
    expect(reads()).toBe(0);
    // Once everything is built, the list holds the very objects handed out before.
    expect(model.edges[1]).toBe(edge);
  });

  it('answers undefined for ids the model has no edge of', () => {
    const model = hydrateModel(wire());
    const reads = countEdgeReads(model);
    const absent = [
      edgeId(API, WEB), // the reverse of an edge
      edgeId(WEB, API, true), // an edge of the Admin-denied overlay
      `ns:shop->ns:data`, // an aggregated edge
      `${WEB}->nowhere/ghost[Pod]`,
      'not an edge id',
      '',
    ];
    for (const id of absent) expect(edgeById(model, id), id).toBeUndefined();
    expect(reads()).toBe(0);
  });

  it('looks up edges after model.edges was built, returning its objects', () => {
    const model = hydrateModel(wire());
    const all = model.edges;
    expect(edgeById(model, edgeId(RANGE, WEB))).toBe(all[2]);
    expect(edgesAt(model, [4, 0])).toEqual([all[4], all[0]]);
    expect(edgesAt(model, [4, 0])[0]).toBe(all[4]);
  });

  it('builds the edges at given indices only', () => {
    const model = hydrateModel(wire());
    const reads = countEdgeReads(model);
    const reference = objectModel().edges;
    expect(edgesAt(model, [3, 0])).toEqual([reference[3], reference[0]]);
    expect(edgesAt(model, [])).toEqual([]);
    expect(reads()).toBe(0);
    expect(edgeCount(model)).toBe(PAIRS.length);
  });

  it('counts a node’s incoming and outgoing connections without building them', () => {
    const model = hydrateModel(wire());
    const reads = countEdgeReads(model);
    const plain = objectModel();
    for (const node of [...NODES.map((n) => n.id), nodeId('nowhere/ghost[Pod]')]) {
      const expected = {
        incoming: plain.edges.filter((e) => e.target === node).length,
        outgoing: plain.edges.filter((e) => e.source === node).length,
      };
      expect(edgeDegree(model, node), node).toEqual(expected);
      expect(edgeDegree(plain, node), node).toEqual(expected);
    }
    // The self-loop counts on both sides, as a filter over the edges does.
    expect(edgeDegree(model, DB)).toEqual({ incoming: 3, outgoing: 1 });
    expect(reads()).toBe(0);
  });

  it('lists the edges leaving each node, in table order, whatever order the sources come in', () => {
    const model = hydrateModel(wire());
    const reads = countEdgeReads(model);
    NODES.forEach((_, node) => {
      const expected = PAIRS.flatMap(([s], i) => (s === node ? [i] : []));
      expect([...edgesLeaving(model, node)!], String(node)).toEqual(expected);
    });
    expect([...edgesLeaving(model, 0)!]).toEqual([0, 4]);
    expect(reads()).toBe(0);
    expect(edgesLeaving(objectModel(), 0)).toBeUndefined();
  });

  it('reads a model built otherwise through its edge objects', () => {
    const plain = objectModel();
    expect(edgeById(plain, edgeId(WEB, DB))).toBe(plain.edges[4]);
    expect(edgeById(plain, edgeId(DB, WEB))).toBeUndefined();
    expect(edgesAt(plain, [1])).toEqual([plain.edges[1]]);
  });
});
