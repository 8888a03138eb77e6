import { Handle, type NodeProps, Position } from '@xyflow/react';
import { memo } from 'react';
import type { FlowNode, WorkloadNodeData } from '../model/toFlowElements.ts';

type Props = NodeProps<Extract<FlowNode, { type: 'external' }>>;

/** An address range outside the cluster. */
export const ExternalNode = memo(function ExternalNode({ data }: Props) {
  const { node, emphasis, dimmed } = data as WorkloadNodeData;
  const any = node.label === '0.0.0.0/0';
  return (
    <div
      className={`flow-node external ${emphasis ?? ''} ${dimmed ? 'dimmed' : ''}`}
      data-testid={`graph.node.${node.id}`}
      title={node.id}
    >
      <Handle type="target" position={Position.Top} />
      <div className="node-title">{any ? 'any address' : node.label}</div>
      <div className="node-meta">
        <span className="node-kind">{any ? '0.0.0.0/0 · external' : 'external range'}</span>
      </div>
      <Handle type="source" position={Position.Bottom} />
    </div>
  );
});
