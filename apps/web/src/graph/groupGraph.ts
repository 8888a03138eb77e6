import { type DecidingLayer, type GraphEdge, type GraphNode, namespaceId } from '../model/index.ts';
import type { FilteredGraph } from './filterGraph.ts';

/** A namespace box, or a collapsed namespace standing in for its workloads. */
export interface GroupInfo {
  id: string;
  namespace: string;
  collapsed: boolean;
  /** Workloads inside (shown or represented). */
  size: number;
  /** How many of them no policy selects for ingress. */
  unprotected: number;
}

/** An edge after grouping: collapsed namespaces aggregate the edges of their workloads. */
export interface GroupedEdge {
  id: string;
  source: string;
  target: string;
  label: string;
  all: boolean;
  /** How many workload-level edges this one stands for. */
  count: number;
  /** The layer that decided it (see EdgeTiers); `mixed` when merged edges differ; undefined without cluster policies. */
  decidedBy: DecidingLayer | 'mixed' | undefined;
  /** A connection the Admin tier denies (the on-demand overlay), not an allowed one. */
  denied: boolean;
}

/** The id prefix of Admin-denied edges (as the worker writes them), kept apart from allowed ones. */
export const DENIED_PREFIX = 'denied:';

function mergedDecider(a: GroupedEdge['decidedBy'], edge: GraphEdge): GroupedEdge['decidedBy'] {
  return a === edge.tiers?.decidedBy ? a : 'mixed';
}

export interface GroupedGraph {
  groups: GroupInfo[];
  /** Visible workload and external nodes, with their namespace group. */
  nodes: (GraphNode & { parent: string | undefined })[];
  edges: GroupedEdge[];
}

/** The group id of a namespace. */
export function groupId(namespace: string): string {
  return namespaceId(namespace);
}

/**
 * Puts workloads into namespace groups. A collapsed namespace becomes one node; edges from or to
 * its workloads are merged into one edge per (source, target) with a count, and edges inside a
 * collapsed namespace disappear into it.
 */
export function groupGraph(graph: FilteredGraph, collapsed: ReadonlySet<string>): GroupedGraph {
  const groups = new Map<string, GroupInfo>();
  const endpoint = new Map<string, string>();
  const nodes: GroupedGraph['nodes'] = [];
  for (const node of graph.nodes) {
    if (node.type !== 'workload' || node.namespace === undefined) {
      nodes.push({ ...node, parent: undefined });
      endpoint.set(node.id, node.id);
      continue;
    }
    const id = groupId(node.namespace);
    const isCollapsed = collapsed.has(node.namespace);
    const group = groups.get(id) ?? {
      id,
      namespace: node.namespace,
      collapsed: isCollapsed,
      size: 0,
      unprotected: 0,
    };
    group.size++;
    if (!node.ingressIsolated) group.unprotected++;
    groups.set(id, group);
    if (isCollapsed) {
      endpoint.set(node.id, id);
    } else {
      nodes.push({ ...node, parent: id });
      endpoint.set(node.id, node.id);
    }
  }
  const merged = new Map<string, GroupedEdge>();
  for (const edge of graph.edges) {
    const source = endpoint.get(edge.source);
    const target = endpoint.get(edge.target);
    if (!source || !target || source === target) continue;
    const denied = edge.adminDenied !== undefined;
    const id = `${denied ? DENIED_PREFIX : ''}${source}->${target}`;
    const existing = merged.get(id);
    if (!existing) {
      merged.set(id, {
        id,
        source,
        target,
        label: edge.label,
        all: edge.all,
        count: 1,
        decidedBy: edge.tiers?.decidedBy,
        denied,
      });
      continue;
    }
    existing.count++;
    existing.decidedBy = mergedDecider(existing.decidedBy, edge);
    existing.all = existing.all && edge.all;
    if (existing.label !== edge.label) existing.label = 'mixed';
  }
  for (const e of merged.values()) {
    if (e.count > 1) e.label = `${e.count} connections${e.label === 'mixed' ? '' : `: ${e.label}`}`;
  }
  return {
    groups: [...groups.values()].sort((a, b) => a.namespace.localeCompare(b.namespace)),
    nodes,
    edges: [...merged.values()],
  };
}
