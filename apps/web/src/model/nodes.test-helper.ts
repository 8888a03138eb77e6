// Graph nodes for tests that place peers in a grouped graph: a workload in its namespace's box,
// an address range at the top level. Ids go through nodeId, so a typo throws.
import { nodeId } from './ids.test-helper.ts';
import type { GraphNode } from './types.ts';

/** A one-pod Deployment-like workload `namespace/name[Kind]`, drawn inside its namespace. */
export function workloadNode(id: string): GraphNode & { parent: string } {
  const namespace = id.slice(0, id.indexOf('/'));
  return {
    id: nodeId(id),
    type: 'workload',
    label: id,
    kind: 'Deployment',
    namespace,
    labels: {},
    ports: [],
    ingressIsolated: false,
    egressIsolated: false,
    pods: 1,
    source: undefined,
    parent: `ns:${namespace}`,
  };
}

/** An address range node `from-to[External]`, drawn at the top level. */
export function rangeNode(id: string): GraphNode & { parent: undefined } {
  return {
    ...workloadNode('x/x[Deployment]'),
    id: nodeId(id),
    type: 'external',
    namespace: undefined,
    parent: undefined,
  };
}
