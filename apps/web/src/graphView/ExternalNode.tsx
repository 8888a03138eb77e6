import { Handle, type NodeProps, Position } from '@xyflow/react';
import { memo } from 'react';
import type { FlowNode, WorkloadNodeData } from '../graph/index.ts';
import { useGraphItem } from './graphFocus.ts';

type Props = NodeProps<Extract<FlowNode, { type: 'external' }>>;

/** An address range outside the cluster. */
export const ExternalNode = memo(function ExternalNode({ data }: Props) {
  const { node, emphasis, dimmed } = data as WorkloadNodeData;
  const any = node.label === '0.0.0.0/0';
  const { props } = useGraphItem('node', node.id);
  return (
    // biome-ignore lint/a11y/useSemanticElements: a <button> cannot hold React Flow's connection handles
    <div
      {...props}
      tabIndex={props.tabIndex}
      role="button"
      aria-pressed={emphasis === 'selected'}
      className={`flow-node external ${emphasis ?? ''} ${dimmed ? 'dimmed' : ''}`}
      data-testid={`graph.node.${node.id}`}
      title={node.id}
    >
      <Handle type="target" position={Position.Top} />
      <span className="sr-only">Address range {node.label}. </span>
      <div className="node-title">
        <span className="node-name">{any ? 'any address' : node.label}</span>
      </div>
      <div className="node-meta">
        <span className="node-kind">{any ? '0.0.0.0/0 · external' : 'external range'}</span>
      </div>
      <Handle type="source" position={Position.Bottom} />
    </div>
  );
});
