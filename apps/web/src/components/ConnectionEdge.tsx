import {
  BaseEdge,
  EdgeLabelRenderer,
  type EdgeProps,
  getBezierPath,
  useStore as useFlowStore,
} from '@xyflow/react';
import { memo } from 'react';
import type { ConnectionEdgeData, FlowEdge } from '../model/toFlowElements.ts';
import { useStore } from '../store/store.ts';

const LABEL_ZOOM = 0.55;

/** An allowed connection, labelled with its protocols and ports (shortened; full text on hover). */
export const ConnectionEdge = memo(function ConnectionEdge(props: EdgeProps<FlowEdge>) {
  const select = useStore((s) => s.select);
  // Level of detail: zoomed out, text labels pile up; the selector only changes at the threshold,
  // so zooming does not re-render every edge.
  const detailed = useFlowStore((s) => s.transform[2] >= LABEL_ZOOM);
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
  const data = props.data as ConnectionEdgeData;
  const [path, labelX, labelY] = getBezierPath({
    sourceX,
    sourceY,
    targetX,
    targetY,
    sourcePosition,
    targetPosition,
  });
  const asDot = data.short === 'all' || (!detailed && !selected);
  // Zoomed out, thousands of labels would only cost DOM: the path stays clickable on its own.
  const hidden = !detailed && !selected;
  const className = `connection ${data.all ? 'all' : 'partial'} ${data.dimmed ? 'dimmed' : ''} ${selected ? 'selected' : ''}`;
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} className={className} interactionWidth={16} />
      {!hidden && (
        <EdgeLabelRenderer>
          <button
            type="button"
            className={`edge-label nodrag nopan ${asDot ? `dot ${data.all ? '' : 'partial'}` : ''} ${data.dimmed ? 'dimmed' : ''} ${selected ? 'selected' : ''}`}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            title={data.full}
            aria-label={`Connection ${source} to ${target}: ${data.full}`}
            data-testid={`graph.edge.${id}`}
            onClick={() => select({ kind: 'edge', id, source, target })}
          >
            {/* Dashed edges already say "all traffic", and zoomed out text would pile up: a dot keeps them clickable. */}
            {asDot ? '' : data.short}
          </button>
        </EdgeLabelRenderer>
      )}
    </>
  );
});
