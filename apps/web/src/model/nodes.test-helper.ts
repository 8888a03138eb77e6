// Graph nodes for tests: a workload or an address range with nothing isolating it, and the same
// placed in a grouped graph (a workload in its namespace's box, an address range at the top
// level). Ids go through nodeId, so a typo throws.
import { nodeId } from './ids.test-helper.ts';
import type { GraphNode } from './types.ts';

/**
 * A one-pod workload `namespace/name[Kind]`, or an address range `from-to[External]`, labelled
 * with its id; `fields` replace any of that.
 */
export function graphNode(id: string, fields: Partial<GraphNode> = {}): GraphNode {
  const external = id.endsWith('[External]');
  return {
    id: nodeId(id),
    type: external ? 'external' : 'workload',
    label: id,
    kind: id.slice(id.lastIndexOf('[') + 1, -1),
    namespace: external ? undefined : id.slice(0, id.indexOf('/')),
    labels: {},
    ports: [],
    ingressIsolated: false,
    egressIsolated: false,
    pods: 1,
    source: undefined,
    ...fields,
  };
}

/** A workload `namespace/name[Kind]`, drawn inside its namespace. */
export function workloadNode(id: string): GraphNode & { parent: string } {
  const node = graphNode(id);
  return { ...node, parent: `ns:${node.namespace}` };
}

/** An address range node `from-to[External]`, drawn at the top level. */
export function rangeNode(id: string): GraphNode & { parent: undefined } {
  return { ...graphNode(id), parent: undefined };
}
