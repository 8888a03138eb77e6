import { describe, expect, it } from 'vitest';
import type { DecidingLayer, EdgeTable, GraphEdge, GraphNode, NodeId } from '../model/index.ts';
import { filterGraph, type GraphFilters, NO_FILTERS } from './filterGraph.ts';
import { fromWire } from './groupedEdges.ts';
import { groupGraph } from './groupGraph.ts';
import { type OverviewSource, overviewCache } from './overview.ts';

/** A small seeded generator (mulberry32), so a failing sequence can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KINDS: EdgeTable['kinds'] = [
  { label: 'All Connections', all: true, ports: { TCP: [1, 65535], UDP: [1, 65535], SCTP: [1, 65535] } },
  { label: 'TCP 80', all: false, ports: { TCP: [80, 80], UDP: [], SCTP: [] } },
  { label: 'UDP 53', all: false, ports: { TCP: [], UDP: [53, 53], SCTP: [] } },
  // Another kind with the same label: merged edges compare labels, not kinds.
  { label: 'TCP 80', all: false, ports: { TCP: [80, 80], UDP: [], SCTP: [] } },
  { label: 'TCP 80,8080', all: false, ports: { TCP: [80, 80, 8080, 8080], UDP: [], SCTP: [] } },
];
const LAYERS: (DecidingLayer | undefined)[] = ['Admin', 'NetworkPolicy', 'Baseline', 'default', undefined];

function node(id: string, namespace: string | undefined, labels: Record<string, string>): GraphNode {
  return {
    id: id as NodeId,
    type: namespace === undefined ? 'external' : 'workload',
    label: id,
    kind: namespace === undefined ? 'External' : 'Deployment',
    namespace,
    labels,
    ports: [],
    ingressIsolated: id.length % 3 === 0,
    egressIsolated: false,
    pods: 1,
    source: undefined,
  };
}

function edgeOf(
  nodes: readonly GraphNode[],
  s: number,
  t: number,
  kind: number,
  decidedBy: DecidingLayer | undefined,
) {
  const k = KINDS[kind]!;
  return {
    id: `${nodes[s]!.id}->${nodes[t]!.id}`,
    source: nodes[s]!.id,
    target: nodes[t]!.id,
    label: k.label,
    all: k.all,
    ports: k.ports,
    ...(decidedBy ? { tiers: { decidedBy, egress: [], ingress: [] } } : {}),
  } satisfies GraphEdge;
}

/**
 * A random model: workloads in a few namespaces, address ranges, edges of several kinds (with
 * deciding layers on some models), and an Admin-denied overlay over some of the same pairs.
 */
function randomModel(seed: number) {
  const next = random(seed);
  const pick = (n: number) => Math.floor(next() * n);
  const namespaces = Array.from({ length: 3 + pick(6) }, (_, i) => `ns${i}`);
  const nodes: GraphNode[] = [];
  for (const ns of namespaces)
    for (let w = 0, count = 1 + pick(5); w < count; w++)
      nodes.push(
        node(`${ns}/w${w}[Deployment]`, ns, { app: `a${pick(3)}`, ...(next() < 0.3 ? { canary: 'y' } : {}) }),
      );
  for (let x = 0; x < 1 + pick(3); x++)
    nodes.push(node(`10.0.${x}.0-10.0.${x}.255[External]`, undefined, {}));
  const withTiers = next() < 0.5;
  const source: number[] = [];
  const target: number[] = [];
  const kind: number[] = [];
  const tiers: GraphEdge['tiers'][] = [];
  const edges: GraphEdge[] = [];
  const seen = new Set<string>();
  for (let e = 0, count = 20 + pick(200); e < count; e++) {
    const s = pick(nodes.length);
    const t = pick(nodes.length);
    // One edge per pair, as the analysis gives.
    if (s === t || seen.has(`${s}>${t}`)) continue;
    seen.add(`${s}>${t}`);
    const k = pick(KINDS.length);
    const layer = withTiers ? LAYERS[pick(LAYERS.length)] : undefined;
    source.push(s);
    target.push(t);
    kind.push(k);
    const edge = edgeOf(nodes, s, t, k, layer);
    tiers.push(edge.tiers);
    edges.push(edge);
  }
  const table: EdgeTable = {
    source: Int32Array.from(source),
    target: Int32Array.from(target),
    kind: Int32Array.from(kind),
    kinds: KINDS,
    tiers: withTiers ? tiers : undefined,
  };
  // The overlay: a node of its own and denied edges, some between pairs that are also allowed.
  const deniedNodes = [node('192.168.0.0-192.168.0.255[External]', undefined, {})];
  const all = [...nodes, ...deniedNodes];
  const deniedEdges: GraphEdge[] = Array.from({ length: 1 + pick(15) }, () => {
    const s = pick(all.length);
    const t = pick(all.length);
    const edge = edgeOf(all, s, t, pick(KINDS.length), next() < 0.5 ? 'Admin' : undefined);
    return { ...edge, id: `denied:${edge.id}`, adminDenied: [] };
  }).filter((e) => e.source !== e.target);
  return { namespaces, nodes, edges, table, extra: { nodes: deniedNodes, edges: deniedEdges }, next, pick };
}

const FILTERS: Partial<GraphFilters>[] = [
  {},
  { hiddenNamespaces: ['ns1'] },
  { protocol: 'TCP', port: 80 },
  { protocol: 'UDP' },
  { showExternal: false },
  { label: 'app in (a1, a2), !canary' },
];

describe('regrouping when namespaces are expanded and collapsed', () => {
  for (let seed = 1; seed <= 40; seed++) {
    it(`answers as grouping from scratch, over a random sequence (seed ${seed})`, () => {
      const m = randomModel(seed);
      const cache = overviewCache();
      let collapsed = new Set(m.namespaces.filter(() => m.next() < 0.5));
      let filters = NO_FILTERS;
      let overlay = false;
      for (let step = 0; step < 30; step++) {
        const roll = m.next();
        if (roll < 0.1) filters = { ...NO_FILTERS, ...FILTERS[m.pick(FILTERS.length)] };
        else if (roll < 0.15) overlay = !overlay;
        else if (roll < 0.2) collapsed = new Set(m.next() < 0.5 ? m.namespaces : []);
        else {
          // Expand or collapse one namespace (sometimes two at once).
          collapsed = new Set(collapsed);
          for (let k = 0, count = m.next() < 0.8 ? 1 : 2; k < count; k++) {
            const ns = m.namespaces[m.pick(m.namespaces.length)]!;
            if (collapsed.has(ns)) collapsed.delete(ns);
            else collapsed.add(ns);
          }
        }
        const source: OverviewSource = {
          nodes: m.nodes,
          table: m.table,
          ...(overlay ? { extra: m.extra } : {}),
        };
        const got = cache(source, filters, collapsed);
        // The same columns as a fresh grouping, in the same order...
        expect(got).toEqual(overviewCache()(source, filters, collapsed));
        // ...and the same graph as the page's own pipeline.
        const shown = overlay
          ? { nodes: [...m.nodes, ...m.extra.nodes], edges: [...m.edges, ...m.extra.edges] }
          : { nodes: m.nodes, edges: m.edges };
        expect(fromWire(got)).toEqual(groupGraph(filterGraph(shown, filters), collapsed));
      }
    });
  }
});
