import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { FlowNode, GroupNodeData } from '../graph/index.ts';
import { toggleCollapsedAction, useStore } from '../store/index.ts';
import { CollapsedNamespaceNode } from './CollapsedNamespaceNode.tsx';

type Props = NodeProps<Extract<FlowNode, { type: 'namespace' }>>;

/**
 * A namespace: one node while collapsed, else the box around its workloads. One node type for
 * both (see FlowNode): expanding or collapsing it changes what this component draws, not its type.
 */
export const NamespaceNode = memo(function NamespaceNode({ data }: Props) {
  const { group, dimmed } = data as GroupNodeData;
  return group.collapsed ? (
    <CollapsedNamespaceNode group={group} />
  ) : (
    <NamespaceBox group={group} dimmed={dimmed} />
  );
});

/** An expanded namespace: a box around its workloads, with a button to collapse it into one node. */
function NamespaceBox({ group, dimmed }: { group: GroupNodeData['group']; dimmed: boolean }) {
  const toggleCollapsed = useStore(toggleCollapsedAction);
  return (
    <div
      className={`namespace-box ${dimmed ? 'dimmed' : ''}`}
      data-testid={`graph.namespace.${group.namespace}`}
    >
      <div className="namespace-header">
        <span className="namespace-name">{group.namespace}</span>
        <button
          type="button"
          className="icon-button nodrag"
          // Not a Tab stop of its own: the graph is one (see GraphView's keys); '−' on a node does this.
          tabIndex={-1}
          aria-label={`Collapse namespace ${group.namespace}`}
          title="Collapse into one node"
          onClick={() => toggleCollapsed(group.namespace)}
        >
          −
        </button>
      </div>
    </div>
  );
}
