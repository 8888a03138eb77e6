import type { GraphEdge, GraphNode, Protocol } from './types.ts';

/** What the user narrowed the graph to. */
export interface GraphFilters {
  /** Namespaces the user hid. */
  hiddenNamespaces: readonly string[];
  /** `key`, `key=value` or `key!=value`; empty for none. Matches workloads by their labels. */
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

/** Parses a label query into a predicate; undefined when the query is empty. */
export function labelPredicate(query: string): ((labels: Record<string, string>) => boolean) | undefined {
  const q = query.trim();
  if (q === '') return undefined;
  const notEq = q.split('!=');
  if (notEq.length === 2) return (labels) => labels[notEq[0]!.trim()] !== notEq[1]!.trim();
  const eq = q.split('=');
  if (eq.length === 2) return (labels) => labels[eq[0]!.trim()] === eq[1]!.trim();
  return (labels) => Object.hasOwn(labels, q);
}

function edgeAllows(edge: GraphEdge, protocol: Protocol | 'any', port: number | undefined): boolean {
  const protocols: Protocol[] = protocol === 'any' ? ['TCP', 'UDP', 'SCTP'] : [protocol];
  return protocols.some((p) => {
    const ranges = edge.ports[p];
    if (port === undefined) return ranges.length > 0;
    for (let i = 0; i < ranges.length; i += 2) if (port >= ranges[i]! && port <= ranges[i + 1]!) return true;
    return false;
  });
}

/**
 * Narrows the graph: hidden namespaces, a label query on workloads, edges allowing a protocol
 * and port, external ranges on or off, and focus on one node's neighbourhood. External nodes
 * stay only while some kept edge touches them.
 */
export function filterGraph(
  model: { nodes: GraphNode[]; edges: GraphEdge[] },
  filters: GraphFilters,
): FilteredGraph {
  const hidden = new Set(filters.hiddenNamespaces);
  const matchesLabel = labelPredicate(filters.label);
  let nodes = model.nodes.filter((n) => {
    if (n.type === 'external') return filters.showExternal;
    if (n.namespace !== undefined && hidden.has(n.namespace)) return false;
    return !matchesLabel || matchesLabel(n.labels);
  });
  let ids = new Set(nodes.map((n) => n.id));
  let edges = model.edges.filter(
    (e) => ids.has(e.source) && ids.has(e.target) && edgeAllows(e, filters.protocol, filters.port),
  );
  if (filters.focus !== undefined && ids.has(filters.focus)) {
    const focus = filters.focus;
    edges = edges.filter((e) => e.source === focus || e.target === focus);
    const keep = new Set([focus, ...edges.flatMap((e) => [e.source, e.target])]);
    nodes = nodes.filter((n) => keep.has(n.id));
    ids = keep;
  }
  const touched = new Set(edges.flatMap((e) => [e.source, e.target]));
  nodes = nodes.filter((n) => n.type !== 'external' || touched.has(n.id));
  return { nodes, edges };
}
