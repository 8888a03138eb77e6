import { BaseEdge, type Edge, EdgeLabelRenderer, type EdgeProps, getBezierPath } from '@xyflow/react';
import type { ReactNode } from 'react';
import { useStore } from '../store/store.ts';

/**
 * What every graph edge draws: a bezier path, and (unless hidden) a label button at its middle
 * that selects the edge, so edges are reachable by keyboard and by tests (`graph.edge.<id>`).
 */
export function EdgeShell({
  edge,
  pathClassName,
  labelClassName,
  label,
  title,
  ariaLabel,
  showLabel = true,
  dataDiff,
}: {
  edge: EdgeProps<Edge>;
  pathClassName: string;
  labelClassName: string;
  label: ReactNode;
  title: string;
  ariaLabel: string;
  showLabel?: boolean;
  dataDiff?: string;
}) {
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
  } = edge;
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
        className={`${pathClassName} ${selected ? 'selected' : ''}`}
        interactionWidth={16}
      />
      {showLabel && (
        <EdgeLabelRenderer>
          <button
            type="button"
            className={`edge-label nodrag nopan ${labelClassName} ${selected ? 'selected' : ''}`}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            title={title}
            aria-label={ariaLabel}
            data-testid={`graph.edge.${id}`}
            data-diff={dataDiff}
            onClick={() => select({ kind: 'edge', id, source, target })}
          >
            {label}
          </button>
        </EdgeLabelRenderer>
      )}
    </>
  );
}
