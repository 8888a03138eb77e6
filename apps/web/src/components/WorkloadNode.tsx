import { Handle, type NodeProps, Position } from '@xyflow/react';
import { memo } from 'react';
import type { FlowNode, WorkloadNodeData } from '../model/toFlowElements.ts';
import { IsolationBadges } from './IsolationBadges.tsx';

type Props = NodeProps<Extract<FlowNode, { type: 'workload' }>>;

/** A workload (or bare pod) with its kind and isolation badges. */
export const WorkloadNode = memo(function WorkloadNode({ data }: Props) {
  const { node, emphasis, dimmed } = data as WorkloadNodeData;
  return (
    <div
      className={`flow-node workload ${emphasis ?? ''} ${dimmed ? 'dimmed' : ''}`}
      data-testid={`graph.node.${node.id}`}
      title={`${node.id}\n${Object.entries(node.labels)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n')}`}
    >
      <Handle type="target" position={Position.Top} />
      <div className="node-title">{node.label}</div>
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
