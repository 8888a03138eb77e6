import { BaseEdge, type Edge, EdgeLabelRenderer, type EdgeProps, getBezierPath } from '@xyflow/react';
import type { ReactNode } from 'react';
import { pointOnEdge } from '../graph/index.ts';
import { edgeSelection, selectAction, showPanelAction, useStore } from '../store/index.ts';
import { useGraphItem } from './graphFocus.ts';

/** Pointer slack around an edge's line: the whole path is a click target, not only its label. */
const INTERACTION_WIDTH = 24;

/**
 * What every graph edge draws: a bezier path with a wide transparent click target along it, and
 * (unless hidden) a label button that selects the edge, so edges are reachable by keyboard and
 * by tests (`graph.edge.<id>`). The label sits at `labelT` along the path (chosen by
 * placeEdgeLabels to stay clear of nodes), else at its middle. Label buttons are not Tab stops:
 * the keyboard reaches an edge from one of its nodes (see GraphView).
 */
export function EdgeShell({
  edge,
  pathClassName,
  labelClassName,
  label,
  title,
  ariaLabel,
  showLabel = true,
  labelT,
  dataDiff,
}: {
  edge: EdgeProps<Edge>;
  pathClassName: string;
  labelClassName: string;
  label: ReactNode;
  title: string;
  ariaLabel: string;
  showLabel?: boolean;
  labelT?: number | undefined;
  dataDiff?: string;
}) {
  const select = useStore(selectAction);
  const showPanel = useStore(showPanelAction);
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
  const { active, props } = useGraphItem('edge', id);
  const [path, middleX, middleY] = getBezierPath({
    sourceX,
    sourceY,
    targetX,
    targetY,
    sourcePosition,
    targetPosition,
  });
  const at =
    labelT === undefined
      ? { x: middleX, y: middleY }
      : pointOnEdge({ x: sourceX, y: sourceY }, { x: targetX, y: targetY }, labelT);
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        markerEnd={markerEnd}
        className={`${pathClassName} ${selected ? 'selected' : ''} ${active ? 'nav-active' : ''}`}
        interactionWidth={INTERACTION_WIDTH}
      />
      {(showLabel || active) && (
        <EdgeLabelRenderer>
          <button
            type="button"
            {...props}
            className={`edge-label nodrag nopan ${labelClassName} ${selected ? 'selected' : ''}`}
            style={{ transform: `translate(-50%, -50%) translate(${at.x}px, ${at.y}px)` }}
            title={title}
            aria-label={ariaLabel}
            aria-pressed={selected === true}
            data-testid={`graph.edge.${id}`}
            data-diff={dataDiff}
            onClick={() => {
              select(edgeSelection({ id, source, target }));
              showPanel('details');
            }}
          >
            {label}
          </button>
        </EdgeLabelRenderer>
      )}
    </>
  );
}
