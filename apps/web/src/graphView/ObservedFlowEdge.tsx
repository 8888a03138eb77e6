import type { Edge, EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import type { ObservedFlowEdge as ObservedFlowEdgeType } from '../flows/index.ts';
import { EdgeShell } from './EdgeShell.tsx';

const WORDS = {
  allowed: 'Observed and allowed',
  denied: 'Observed but denied by the policies',
  unobserved: 'Allowed but never observed',
} as const;

/** An edge of the observed-traffic overlay: solid when observed and allowed, red when denied, grey dashed when unused. */
export const ObservedFlowEdge = memo(function ObservedFlowEdge(props: EdgeProps<ObservedFlowEdgeType>) {
  const data = props.data!;
  const { mark } = data;
  const counts = [
    mark.allowed > 0 ? `${mark.allowed} allowed` : '',
    mark.denied > 0 ? `${mark.denied} denied` : '',
    mark.unobserved > 0 ? `${mark.unobserved} unobserved` : '',
  ]
    .filter((t) => t !== '')
    .join(', ');
  const title = `${WORDS[data.state]}: ${counts}${data.full ? `\nallowed now: ${data.full}` : ''}`;
  return (
    <EdgeShell
      edge={props as EdgeProps<Edge>}
      pathClassName={`flow-edge ${data.state}`}
      labelClassName={`flow-label ${data.state}`}
      label={data.label}
      title={title}
      ariaLabel={`${WORDS[data.state]}: ${props.source} to ${props.target}: ${counts}`}
      dataDiff={`flow-${data.state}`}
    />
  );
});
