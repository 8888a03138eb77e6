// The grouped graph's edges as the worker sends them, and how the page reads them. A collapsed
// overview of 10,000 workloads has about 100,000 aggregated edges, of which only a selection's are
// drawn: building an object (with its id and label strings) for each took a few hundred ms of
// the page's main thread on every expansion. The page keeps the transferred columns instead and
// makes objects only of the edges something reads; `edges` still lists them all, built on first read.

import { DENIED_PREFIX, type GroupedEdge, type GroupedGraph } from './groupGraph.ts';
import { stringIndex } from './stringIndex.ts';

/** The deciding layers an aggregated edge can carry, coded by index in a wire overview. */
export const DECIDERS = ['Admin', 'NetworkPolicy', 'Baseline', 'default', 'mixed'] as const;

/**
 * The grouped edges as the worker posts them: columns instead of one object per edge,
 * transferred, then read in place on the page.
 */
export interface GroupedEdgeColumns {
  /** The endpoint ids: group ids and node ids. */
  ends: string[];
  source: Int32Array;
  target: Int32Array;
  count: Int32Array;
  /** Index into `labels`, -1 when the merged edges' labels differ. */
  label: Int32Array;
  labels: string[];
  all: Uint8Array;
  /** Index into the deciding layers (Admin, NetworkPolicy, Baseline, default, mixed), -1 for none. */
  decidedBy: Int8Array;
  denied: Uint8Array;
}

/** A grouped graph as the worker posts it. */
export interface WireGroupedGraph extends Omit<GroupedGraph, 'edges'> {
  edges: GroupedEdgeColumns;
}

/** The buffers of a wire overview, to transfer rather than copy. */
export function overviewTransferables(graph: WireGroupedGraph): ArrayBuffer[] {
  const e = graph.edges;
  return [e.source, e.target, e.count, e.label, e.all, e.decidedBy, e.denied].map(
    (a) => a.buffer as ArrayBuffer,
  );
}

/** Edge `i` of the columns as an object. */
function edgeAt(e: GroupedEdgeColumns, i: number): GroupedEdge {
  const source = e.ends[e.source[i]!]!;
  const target = e.ends[e.target[i]!]!;
  const count = e.count[i]!;
  const label = e.label[i]! < 0 ? 'mixed' : e.labels[e.label[i]!]!;
  const denied = e.denied[i] === 1;
  return {
    id: `${denied ? DENIED_PREFIX : ''}${source}->${target}`,
    source,
    target,
    label: count > 1 ? `${count} connections${label === 'mixed' ? '' : `: ${label}`}` : label,
    all: e.all[i] === 1,
    count,
    decidedBy: e.decidedBy[i]! < 0 ? undefined : DECIDERS[e.decidedBy[i]!],
    denied,
  };
}

/** The edge columns behind the grouped graphs made by fromWire. */
const columns = new WeakMap<GroupedGraph, GroupedEdgeColumns>();

/**
 * The grouped graph of a wire overview. Its `edges` are made objects the first time they are
 * read (then kept); groupedEdgeCount, groupedEdgesWhere and groupedEdgeEnds read the columns.
 */
export function fromWire(wire: WireGroupedGraph): GroupedGraph {
  const e = wire.edges;
  let edges: GroupedEdge[] | undefined;
  const graph = { groups: wire.groups, nodes: wire.nodes } as GroupedGraph;
  Object.defineProperty(graph, 'edges', {
    enumerable: true,
    configurable: true,
    get: () => {
      edges ??= Array.from({ length: e.source.length }, (_, i) => edgeAt(e, i));
      return edges;
    },
  });
  columns.set(graph, e);
  return graph;
}

/** How many edges a grouped graph has, without making them objects. */
export function groupedEdgeCount(graph: GroupedGraph): number {
  return columns.get(graph)?.source.length ?? graph.edges.length;
}

/** The edges whose ends `keep` accepts; of a graph from the worker, only those are made objects. */
export function groupedEdgesWhere(
  graph: GroupedGraph,
  keep: (source: string, target: string) => boolean,
): GroupedEdge[] {
  const e = columns.get(graph);
  if (!e) return graph.edges.filter((edge) => keep(edge.source, edge.target));
  const out: GroupedEdge[] = [];
  for (let i = 0; i < e.source.length; i++)
    if (keep(e.ends[e.source[i]!]!, e.ends[e.target[i]!]!)) out.push(edgeAt(e, i));
  return out;
}

/** The edge with this id, if the graph has it. */
export function groupedEdgeById(graph: GroupedGraph, id: string): GroupedEdge | undefined {
  // Only edges whose ends the id names are made objects, then compared by id.
  return groupedEdgesWhere(graph, (source, target) => id.endsWith(target) && id.includes(source)).find(
    (edge) => edge.id === id,
  );
}

/** The edges' ends as indices into `ends`, and edge `i` as an object on demand. */
export interface EdgeEnds {
  ends: readonly string[];
  source: Int32Array;
  target: Int32Array;
  edge: (i: number) => GroupedEdge;
}

/** The ends of every edge, read from the columns when the graph has them, else indexed here. */
export function groupedEdgeEnds(graph: GroupedGraph): EdgeEnds {
  const e = columns.get(graph);
  if (e) return { ends: e.ends, source: e.source, target: e.target, edge: (i) => edgeAt(e, i) };
  const { edges } = graph;
  const ends = stringIndex();
  return {
    ends: ends.strings,
    source: Int32Array.from(edges, (edge) => ends.indexOf(edge.source)),
    target: Int32Array.from(edges, (edge) => ends.indexOf(edge.target)),
    edge: (i) => edges[i]!,
  };
}
