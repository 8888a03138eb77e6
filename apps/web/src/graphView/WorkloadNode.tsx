import { Handle, type NodeProps, Position } from '@xyflow/react';
import { memo } from 'react';
import type { FlowNode, WorkloadNodeData } from '../graph/index.ts';
import type { GraphNode } from '../model/index.ts';
import { useGraphItem } from './graphFocus.ts';
import { IsolationBadges } from './IsolationBadges.tsx';

/** What a screen reader hears first on a workload: its id and how isolated it is. */
function workloadName(node: GraphNode): string {
  const tiersOnly = node.clusterTiers && (node.clusterTiers.ingress || node.clusterTiers.egress);
  const isolation =
    !node.ingressIsolated && !node.egressIsolated
      ? tiersOnly
        ? 'no NetworkPolicy, cluster-wide tiers apply'
        : 'unprotected'
      : `ingress ${node.ingressIsolated ? 'isolated' : 'open'}, egress ${node.egressIsolated ? 'isolated' : 'open'}`;
  return `Workload ${node.id}: ${isolation}`;
}

type Props = NodeProps<Extract<FlowNode, { type: 'workload' }>>;

/** A workload (or bare pod) with its kind and isolation badges. */
export const WorkloadNode = memo(function WorkloadNode({ data }: Props) {
  const { node, emphasis, dimmed } = data as WorkloadNodeData;
  const { props } = useGraphItem('node', node.id);
  return (
    // biome-ignore lint/a11y/useSemanticElements: a <button> cannot hold React Flow's connection handles
    <div
      {...props}
      tabIndex={props.tabIndex}
      role="button"
      aria-pressed={emphasis === 'selected'}
      className={`flow-node workload ${emphasis ?? ''} ${dimmed ? 'dimmed' : ''}`}
      data-testid={`graph.node.${node.id}`}
      title={`${node.id}\n${Object.entries(node.labels)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n')}`}
    >
      <Handle type="target" position={Position.Top} />
      {/* Named by its content (what is seen is what is heard), with the id and isolation first. */}
      <span className="sr-only">{workloadName(node)}. </span>
      <div className="node-title">
        <span className="node-name">{node.label}</span>
      </div>
      <div className="node-meta">
        <span className="node-kind">
          {node.kind}
          {node.pods > 1 ? ` ×${node.pods}` : ''}
        </span>
        <IsolationBadges node={node} />
      </div>
      <Handle type="source" position={Position.Bottom} />
    </div>
  );
});
