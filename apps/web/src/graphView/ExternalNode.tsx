import { Handle, type NodeProps, Position } from '@xyflow/react';
import { memo } from 'react';
import type { FlowNode, WorkloadNodeData } from '../graph/index.ts';
import { rangeText } from '../model/index.ts';
import { useGraphItem } from './graphFocus.ts';

type Props = NodeProps<Extract<FlowNode, { type: 'external' }>>;

/** What an external node stands for, as the screen reader and the node's second line say it. */
function describe(node: WorkloadNodeData['node']): { spoken: string; meta: string } {
  if (node.kind === 'Domain') return { spoken: `Domain name ${node.label}`, meta: 'domain name (DNS)' };
  if (node.kind === 'Node') {
    const range = rangeText(node.id) ?? node.id;
    return { spoken: `Node ${node.label}, ${range}`, meta: `node · ${range}` };
  }
  if (node.label === '0.0.0.0/0') return { spoken: 'Address range 0.0.0.0/0', meta: '0.0.0.0/0 · external' };
  return { spoken: `Address range ${node.label}`, meta: 'external range' };
}

/** An address range outside the cluster, a Node's address, or a domain name a cluster policy names. */
export const ExternalNode = memo(function ExternalNode({ data }: Props) {
  const { node, emphasis, dimmed } = data as WorkloadNodeData;
  const any = node.label === '0.0.0.0/0';
  const { props } = useGraphItem('node', node.id);
  const described = describe(node);
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
      <span className="sr-only">{described.spoken}. </span>
      <div className="node-title">
        <span className="node-name">{any ? 'any address' : node.label}</span>
      </div>
      <div className="node-meta">
        <span className="node-kind">{described.meta}</span>
      </div>
      <Handle type="source" position={Position.Bottom} />
    </div>
  );
});
