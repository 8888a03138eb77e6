import { describe, expect, it } from 'vitest';
import { nodeId } from '../model/ids.test-helper.ts';
import { externalNode, type GraphEdge, type GraphNode } from '../model/index.ts';
import { cellConnections, EXTERNAL_GROUP, namespaceMatrix } from './namespaceMatrix.test-helper.ts';
import { exposure, exposureLevel, percentText } from './namespaceMatrix.ts';

function workload(namespace: string, name: string): GraphNode {
  return {
    ...externalNode(nodeId(`${namespace}/${name}[Deployment]`), name),
    type: 'workload',
    kind: 'Deployment',
    namespace,
  };
}
function edge(source: GraphNode, target: GraphNode): GraphEdge {
  return {
    id: `${source.id}->${target.id}`,
    source: source.id,
    target: target.id,
    label: 'TCP 80',
    all: false,
    ports: { TCP: [80, 80], UDP: [], SCTP: [] },
  };
}

const a1 = workload('a', 'one');
const a2 = workload('a', 'two');
const a3 = workload('a', 'three');
const b1 = workload('b', 'one');
const net = externalNode(nodeId('0.0.0.0-255.255.255.255[External]'), '0.0.0.0/0');
const nodes = [b1, a1, net, a2, a3];
const edges = [
  edge(a1, a2),
  edge(a2, a1),
  edge(a1, b1),
  edge(a2, b1),
  edge(a3, b1),
  edge(b1, net),
  edge(a1, a3),
];

describe('namespaceMatrix', () => {
  const m = namespaceMatrix(nodes, edges);
  const cell = (from: string, to: string) =>
    m.cells[m.groups.indexOf(from) * m.groups.length + m.groups.indexOf(to)]!;

  it('orders namespaces by name with the external ranges last', () => {
    expect(m.groups).toEqual(['a', 'b', EXTERNAL_GROUP]);
    expect(m.sizes).toEqual([3, 1, 1]);
  });

  it.each([
    ['a', 'a', 3, 6],
    ['a', 'b', 3, 3],
    ['b', 'a', 0, 3],
    ['b', 'b', 0, 0],
    ['b', EXTERNAL_GROUP, 1, 1],
    ['a', EXTERNAL_GROUP, 0, 3],
    [EXTERNAL_GROUP, EXTERNAL_GROUP, 0, 0],
  ])('%s -> %s: %i of %i pairs', (from, to, allowed, pairs) => {
    expect(cell(from, to)).toEqual({ from, to, allowed, pairs });
  });

  it('counts every edge exactly once', () => {
    expect(m.cells.reduce((sum, c) => sum + c.allowed, 0)).toBe(edges.length);
  });

  it('lists the pairs behind a cell, sorted', () => {
    expect(cellConnections(nodes, edges, 'a', 'b').map((e) => e.source)).toEqual([a1.id, a3.id, a2.id]);
    expect(cellConnections(nodes, edges, 'b', 'a')).toEqual([]);
  });
});

describe('exposure', () => {
  it.each([
    [0, 6, 0, 0, '0%'],
    [1, 4, 0.25, 1, '25%'],
    [1, 3, 1 / 3, 2, '33%'],
    [3, 4, 0.75, 3, '75%'],
    [7, 8, 0.875, 4, '88%'],
    [1, 1000, 0.001, 1, '<1%'],
    [999, 1000, 0.999, 4, '>99%'],
    [5, 5, 1, 4, '100%'],
  ])('%i of %i pairs: share %d, level %i, %s', (allowed, pairs, share, level, text) => {
    const s = exposure({ from: 'x', to: 'y', allowed, pairs });
    expect(s).toBeCloseTo(share);
    expect(exposureLevel(s)).toBe(level);
    expect(percentText(s)).toBe(text);
  });

  it('a cell without pairs has no exposure', () => {
    expect(exposure({ from: 'x', to: 'x', allowed: 0, pairs: 0 })).toBeUndefined();
    expect(exposureLevel(undefined)).toBe(0);
    expect(percentText(undefined)).toBe('–');
  });
});
