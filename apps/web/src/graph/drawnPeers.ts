import { parseExternalRangeId, parseWorkloadId } from '@netpol-atlas/evaluator';
import { parseNodeId } from '../model/index.ts';
import { type GroupedGraph, groupId } from './groupGraph.ts';

/**
 * True when the drawn node `drawn` stands for the analysis peer `peer`: the peer itself, the
 * collapsed namespace of a workload, or a drawn address range overlapping the peer's range.
 */
export function drawnAs(drawn: string, peer: string): boolean {
  if (drawn === peer) return true;
  const node = parseNodeId(drawn);
  if (node?.kind === 'namespace') return parseWorkloadId(peer)?.namespace === node.namespace;
  const a = parseExternalRangeId(drawn);
  const b = a ? parseExternalRangeId(peer) : undefined;
  return a !== undefined && b !== undefined && a.first <= b.last && b.first <= a.last;
}

/**
 * Where the analysis' peers are drawn in `graph`: a peer's own node, its collapsed namespace, or
 * (for an address range, which an analysis other than the graph's may cut differently) every
 * drawn range overlapping it; none when it is filtered out. The overlays (the diff against the
 * baseline, observed traffic) put their connections on the drawn edges through it. A function of
 * the peer, so the graph's sets are built once for every connection an overlay places.
 */
export function drawnPlaces(graph: GroupedGraph): (peer: string) => string[] {
  const nodes = new Set<string>(graph.nodes.map((n) => n.id));
  const collapsed = new Set(graph.groups.filter((g) => g.collapsed).map((g) => g.namespace));
  const ranges = graph.nodes.filter((n) => n.type === 'external');
  return (peer) => {
    if (nodes.has(peer)) return [peer];
    if (parseExternalRangeId(peer)) return ranges.filter((n) => drawnAs(n.id, peer)).map((n) => n.id);
    const namespace = parseWorkloadId(peer)?.namespace;
    return namespace !== undefined && collapsed.has(namespace) ? [groupId(namespace)] : [];
  };
}
