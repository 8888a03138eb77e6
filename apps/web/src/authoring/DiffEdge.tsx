import { BaseEdge, EdgeLabelRenderer, type EdgeProps, getBezierPath } from '@xyflow/react';
import { memo } from 'react';
import { useStore } from '../store/store.ts';
import type { DiffFlowEdge } from './flowOverlay.ts';

const WORDS = { added: 'Added', removed: 'Removed', changed: 'Changed' } as const;

/** A connection that differs from the baseline: green when added, red when removed, amber when changed. */
export const DiffEdge = memo(function DiffEdge(props: EdgeProps<DiffFlowEdge>) {
  const select = useStore((s) => s.select);
  const {
    id,
    source,
    target,
    sourceX,
    sourceY,
    targetX,
    targetY,
    sourcePosition,
    targetPosition,
    markerEnd,
    selected,
  } = props;
  const data = props.data!;
  const [path, labelX, labelY] = getBezierPath({
    sourceX,
    sourceY,
    targetX,
    targetY,
    sourcePosition,
    targetPosition,
  });
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        markerEnd={markerEnd}
        className={`diff-edge ${data.mark} ${selected ? 'selected' : ''}`}
        interactionWidth={16}
      />
      <EdgeLabelRenderer>
        <button
          type="button"
          className={`edge-label diff-label ${data.mark} nodrag nopan ${selected ? 'selected' : ''}`}
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          title={data.full ? `${data.label}\nnow: ${data.full}` : data.label}
          aria-label={`${WORDS[data.mark]} connection ${source} to ${target}: ${data.label}`}
          data-testid={`graph.edge.${id}`}
          data-diff={data.mark}
          onClick={() => select({ kind: 'edge', id, source, target })}
        >
          {data.label}
        </button>
      </EdgeLabelRenderer>
    </>
  );
});
