import type { Edge, EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import type { DiffFlowEdge } from '../authoring/index.ts';
import { EdgeShell } from './EdgeShell.tsx';

const WORDS = { added: 'Added', removed: 'Removed', changed: 'Changed' } as const;

/** A connection that differs from the baseline: green when added, red when removed, amber when changed. */
export const DiffEdge = memo(function DiffEdge(props: EdgeProps<DiffFlowEdge>) {
  const data = props.data!;
  return (
    <EdgeShell
      edge={props as EdgeProps<Edge>}
      pathClassName={`diff-edge ${data.mark}`}
      labelClassName={`diff-label ${data.mark}`}
      label={data.label}
      title={data.full ? `${data.label}\nnow: ${data.full}` : data.label}
      ariaLabel={`${WORDS[data.mark]} connection ${props.source} to ${props.target}: ${data.label}`}
      dataDiff={data.mark}
    />
  );
});
