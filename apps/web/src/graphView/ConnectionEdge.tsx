import { type Edge, type EdgeProps, useStore as useFlowStore } from '@xyflow/react';
import { memo } from 'react';
import type { ConnectionEdgeData, FlowEdge } from '../graph/index.ts';
import { EdgeShell } from './EdgeShell.tsx';

const LABEL_ZOOM = 0.55;

/** An allowed connection, labelled with its protocols and ports (shortened; full text on hover). */
export const ConnectionEdge = memo(function ConnectionEdge(props: EdgeProps<FlowEdge>) {
  // Level of detail: zoomed out, thousands of labels would pile up and only cost DOM (the path
  // stays clickable on its own). The selector changes only at the threshold, so zooming does not
  // re-render every edge.
  const detailed = useFlowStore((s) => s.transform[2] >= LABEL_ZOOM);
  const data = props.data as ConnectionEdgeData;
  // Dashed edges already say "all traffic": a dot keeps them clickable without clutter.
  const dot = data.short === 'all';
  const dimmed = data.dimmed ? 'dimmed' : '';
  return (
    <EdgeShell
      edge={props as EdgeProps<Edge>}
      pathClassName={`connection ${data.all ? 'all' : 'partial'} ${dimmed}`}
      labelClassName={`${dot ? `dot ${data.all ? '' : 'partial'}` : ''} ${dimmed}`}
      label={dot ? '' : data.short}
      title={data.full}
      ariaLabel={`Connection ${props.source} to ${props.target}: ${data.full}`}
      showLabel={detailed || props.selected === true}
      labelT={data.labelT}
    />
  );
});
