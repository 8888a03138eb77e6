import type { GraphEdge, GraphNode, Protocol } from '../model/index.ts';
import { parseLabelSelector, selectorMatches } from './labelSelector.ts';

/** What the user narrowed the graph to. */
export interface GraphFilters {
  /** Namespaces the user hid. */
  hiddenNamespaces: readonly string[];
  /**
   * A Kubernetes label selector (`app in (web,api), !canary`); empty for none. The workloads it
   * matches are shown with their connections and the peers at the other end. A selector that
   * does not parse filters nothing (the panel says why).
   */
  label: string;
  /** Keep only edges allowing this protocol (and port, when given). */
  protocol: Protocol | 'any';
  port: number | undefined;
  showExternal: boolean;
  /** Show only this node and its direct neighbours. */
  focus: string | undefined;
}

export const NO_FILTERS: GraphFilters = {
  hiddenNamespaces: [],
  label: '',
  protocol: 'any',
  port: undefined,
  showExternal: true,
  focus: undefined,
};

export interface FilteredGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** The label filter as a predicate on workloads; undefined when empty or not understood. */
export function labelPredicate(query: string): ((labels: Record<string, string>) => boolean) | undefined {
  const { requirements } = parseLabelSelector(query);
  if (!requirements || requirements.length === 0) return undefined;
  return (labels) => selectorMatches(requirements, labels);
}

export function edgeAllows(
  edge: Pick<GraphEdge, 'ports'>,
  protocol: Protocol | 'any',
  port: number | undefined,
): boolean {
  const protocols: Protocol[] = protocol === 'any' ? ['TCP', 'UDP', 'SCTP'] : [protocol];
  return protocols.some((p) => {
    const ranges = edge.ports[p];
    if (port === undefined) return ranges.length > 0;
    for (let i = 0; i < ranges.length; i += 2) if (port >= ranges[i]! && port <= ranges[i + 1]!) return true;
    return false;
  });
}

/**
 * Narrows the graph: hidden namespaces, edges allowing a protocol and port, external ranges on
 * or off, a label selector (the matching workloads, their connections and the peers at the other
 * end of them), and focus on one node's neighbourhood. External nodes stay only while some kept
 * edge touches them.
 */
export function filterGraph(
  model: { nodes: GraphNode[]; edges: GraphEdge[] },
  filters: GraphFilters,
): FilteredGraph {
  const hidden = new Set(filters.hiddenNamespaces);
  let nodes = model.nodes.filter((n) => {
    if (n.type === 'external') return filters.showExternal;
    return n.namespace === undefined || !hidden.has(n.namespace);
  });
  // Read as plain strings: the focus comes from a link or the store, as any text.
  let ids: ReadonlySet<string> = new Set(nodes.map((n) => n.id));
  let edges = model.edges.filter(
    (e) => ids.has(e.source) && ids.has(e.target) && edgeAllows(e, filters.protocol, filters.port),
  );
  const matchesLabel = labelPredicate(filters.label);
  if (matchesLabel) {
    const matching = new Set(
      nodes.filter((n) => n.type === 'workload' && matchesLabel(n.labels)).map((n) => n.id),
    );
    edges = edges.filter((e) => matching.has(e.source) || matching.has(e.target));
    const keep = new Set([...matching, ...edges.flatMap((e) => [e.source, e.target])]);
    nodes = nodes.filter((n) => keep.has(n.id));
    ids = keep;
  }
  if (filters.focus !== undefined && ids.has(filters.focus)) {
    const focus = filters.focus;
    edges = edges.filter((e) => e.source === focus || e.target === focus);
    const keep = new Set([focus, ...edges.flatMap((e) => [e.source, e.target])]);
    nodes = nodes.filter((n) => keep.has(n.id));
  }
  const touched = new Set(edges.flatMap((e) => [e.source, e.target]));
  nodes = nodes.filter((n) => n.type !== 'external' || touched.has(n.id));
  return { nodes, edges };
}
