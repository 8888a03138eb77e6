import { type GraphEdge, isNamespaceId } from '../model/index.ts';
import type { FilteredGraph } from './filterGraph.ts';
import { groupId } from './groupGraph.ts';

/** True when an edge of the grouped graph stands for connections of a collapsed namespace. */
export function isAggregatedEdge(edge: { source: string; target: string }): boolean {
  return isNamespaceId(edge.source) || isNamespaceId(edge.target);
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The workload-level connections behind an edge of the grouped graph (see groupGraph): those of
 * the filtered graph whose endpoints, once collapsed namespaces stand for their workloads, are
 * `source` and `target`. Sorted by source, then destination, so a long list reads in order.
 */
export function pairsBehind(
  graph: FilteredGraph,
  collapsed: ReadonlySet<string>,
  source: string,
  target: string,
): GraphEdge[] {
  const endpoint = new Map<string, string>();
  for (const node of graph.nodes) {
    const grouped = node.type === 'workload' && node.namespace !== undefined && collapsed.has(node.namespace);
    endpoint.set(node.id, grouped ? groupId(node.namespace!) : node.id);
  }
  return graph.edges
    .filter((e) => endpoint.get(e.source) === source && endpoint.get(e.target) === target)
    .sort((a, b) => compareIds(a.source, b.source) || compareIds(a.target, b.target));
}
