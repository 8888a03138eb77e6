import { plural } from '@netpol-atlas/evaluator';
import { Handle, Position } from '@xyflow/react';
import type { GroupNodeData } from '../graph/index.ts';
import { toggleCollapsedAction, useStore } from '../store/index.ts';
import { useGraphItem } from './graphFocus.ts';

/** A namespace shown as one node; its workloads' edges are aggregated onto it (see NamespaceNode). */
export function CollapsedNamespaceNode({ group }: { group: GroupNodeData['group'] }) {
  const toggleCollapsed = useStore(toggleCollapsedAction);
  const { props } = useGraphItem('node', group.id);
  // The expand button sits beside the focusable card, not inside it: a button in a button
  // is unreachable to assistive technology.
  return (
    <div className="flow-node collapsed-namespace" data-testid={`graph.namespace.${group.namespace}`}>
      <Handle type="target" position={Position.Top} />
      {/* biome-ignore lint/a11y/useSemanticElements: a <button> cannot hold the layout of the card */}
      <div {...props} tabIndex={props.tabIndex} role="button" className="node-focus">
        <span className="sr-only">Collapsed namespace {group.namespace}. </span>
        <div className="node-title">
          <span className="node-name">{group.namespace}</span>
        </div>
        <div className="node-meta">
          <span className="node-kind">namespace · {plural(group.size, 'workload')}</span>
          {group.unprotected > 0 && (
            <span className="badge badge-open" title="Workloads no policy selects for ingress">
              {group.unprotected} open
            </span>
          )}
        </div>
      </div>
      <button
        type="button"
        className="icon-button nodrag node-expand"
        // Not a Tab stop of its own: the graph is one (see GraphView's keys); '+' on the node does this.
        tabIndex={-1}
        aria-label={`Expand namespace ${group.namespace}`}
        title="Expand"
        onClick={() => toggleCollapsed(group.namespace)}
      >
        +
      </button>
      <Handle type="source" position={Position.Bottom} />
    </div>
  );
}
