import { type Edge, type EdgeProps, type ReactFlowState, useStore as useFlowStore } from '@xyflow/react';
import { memo } from 'react';
import type { ConnectionEdgeData, FlowEdge } from '../graph/index.ts';
import { EdgeShell } from './EdgeShell.tsx';

const LABEL_ZOOM = 0.55;
/** Zoomed in far enough for edge labels: a boolean, so an edge re-renders only at the threshold. */
const selectLabelsShown = (s: ReactFlowState) => s.transform[2] >= LABEL_ZOOM;

/** The short tag an edge's label starts with, naming the layer that decided it. */
const TIER_TAG: Record<NonNullable<ConnectionEdgeData['decidedBy']>, string> = {
  Admin: 'Admin',
  NetworkPolicy: 'NP',
  Baseline: 'Baseline',
  default: 'default',
  mixed: 'mixed',
};

function decidedText(decidedBy: ConnectionEdgeData['decidedBy']): string {
  if (decidedBy === undefined) return '';
  if (decidedBy === 'mixed') return ', decided by several tiers';
  if (decidedBy === 'default') return ', allowed by default (no tier decided it)';
  return decidedBy === 'NetworkPolicy' ? ', decided by NetworkPolicy' : `, decided by the ${decidedBy} tier`;
}

/**
 * An allowed connection, labelled with its protocols and ports (shortened; full text on hover) and,
 * with cluster policies, coloured and tagged by the tier that decided it. An edge of the
 * Admin-denied overlay is red and dashed, and says "denied".
 */
export const ConnectionEdge = memo(function ConnectionEdge(props: EdgeProps<FlowEdge>) {
  // Level of detail: zoomed out, thousands of labels would pile up and only cost DOM (the path
  // stays clickable on its own). The selector changes only at the threshold, so zooming does not
  // re-render every edge.
  const detailed = useFlowStore(selectLabelsShown);
  const data = props.data as ConnectionEdgeData;
  const tiered = data.decidedBy !== undefined && !data.denied;
  // Dashed edges already say "all traffic": a dot keeps them clickable without clutter.
  const dot = data.short === 'all' && !tiered && !data.denied;
  const dimmed = data.dimmed ? 'dimmed' : '';
  const tierClass = data.denied ? 'denied' : tiered ? `tier-${data.decidedBy}` : '';
  const text = data.short === 'all' ? '' : data.short;
  const label = data.denied ? (
    <>
      <span className="tier-tag">✕ denied</span>
      {text}
    </>
  ) : tiered ? (
    <>
      <span className={`tier-tag tier-${data.decidedBy}`}>{TIER_TAG[data.decidedBy!]}</span>
      {text}
    </>
  ) : dot ? (
    ''
  ) : (
    data.short
  );
  return (
    <EdgeShell
      edge={props as EdgeProps<Edge>}
      pathClassName={`connection ${data.all ? 'all' : 'partial'} ${tierClass} ${dimmed}`}
      labelClassName={`${dot ? `dot ${data.all ? '' : 'partial'}` : ''} ${data.denied ? 'denied' : ''} ${dimmed}`}
      label={label}
      title={
        data.denied ? `Denied by the Admin tier: ${data.full}` : `${data.full}${decidedText(data.decidedBy)}`
      }
      ariaLabel={
        data.denied
          ? `Denied by the Admin tier: ${props.source} to ${props.target}: ${data.full}`
          : `Connection ${props.source} to ${props.target}: ${data.full}${decidedText(data.decidedBy)}`
      }
      showLabel={detailed || props.selected === true}
      labelT={data.labelT}
    />
  );
});
