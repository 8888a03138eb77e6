import { Handle, type NodeProps, Position } from '@xyflow/react';
import { memo } from 'react';
import type { FlowNode, GroupNodeData } from '../model/toFlowElements.ts';
import { useStore } from '../store/store.ts';

type Props = NodeProps<Extract<FlowNode, { type: 'collapsedNamespace' }>>;

/** A namespace shown as one node; its workloads' edges are aggregated onto it. */
export const CollapsedNamespaceNode = memo(function CollapsedNamespaceNode({ data }: Props) {
  const { group } = data as GroupNodeData;
  const toggleCollapsed = useStore((s) => s.toggleCollapsed);
  return (
    <div className="flow-node collapsed-namespace" data-testid={`graph.namespace.${group.namespace}`}>
      <Handle type="target" position={Position.Top} />
      <div className="node-title">
        {group.namespace}
        <button
          type="button"
          className="icon-button nodrag"
          aria-label={`Expand namespace ${group.namespace}`}
          title="Expand"
          onClick={() => toggleCollapsed(group.namespace)}
        >
          +
        </button>
      </div>
      <div className="node-meta">
        <span className="node-kind">
          namespace · {group.size} workload{group.size === 1 ? '' : 's'}
        </span>
        {group.unprotected > 0 && (
          <span className="badge badge-open" title="Workloads no policy selects for ingress">
            {group.unprotected} open
          </span>
        )}
      </div>
      <Handle type="source" position={Position.Bottom} />
    </div>
  );
});
