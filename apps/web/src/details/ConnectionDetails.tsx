import { useMemo } from 'react';
import { ExplainView } from '../explain/index.ts';
import { FlowEdgeDetails, useFlowsOnEdge } from '../flows/index.ts';
import { isAggregatedEdge } from '../graph/index.ts';
import { type EdgeId, type NodeId, parseEdgeId } from '../model/index.ts';
import {
  openDialogAction,
  selectAnalysisModel,
  selectCollapsed,
  selectEdge,
  selectFilters,
  useDerived,
  useStore,
} from '../store/index.ts';
import { AggregatedEdgeDetails } from './AggregatedEdgeDetails.tsx';
import { connectionsBehind } from './connectionsBehind.ts';
import { EdgeTierDetails } from './EdgeTierDetails.tsx';
import { edgeVerdict, VERDICT_TITLE } from './edgeVerdict.ts';

/**
 * A selected edge: why it is allowed, denied (the Admin-denied overlay, or observed flows the
 * policies do not admit at all) or partly denied (observed flows denied beside allowed ones),
 * with the flows, the deciding tiers and the explanation, and what can be changed from here.
 */
export function ConnectionDetails({ id, source, target }: { id: EdgeId; source: NodeId; target: NodeId }) {
  const openDialog = useStore(openDialogAction);
  const model = useDerived(selectAnalysisModel);
  const filters = useStore(selectFilters);
  const collapsed = useStore(selectCollapsed);
  const aggregated = isAggregatedEdge({ source, target });
  const edge = useDerived(selectEdge(id));
  // The workload connections behind an edge of a collapsed namespace (none for a flow-only edge),
  // read from the model's columns: only those become objects.
  const pairs = useMemo(
    () => (model && aggregated ? connectionsBehind(model, filters, new Set(collapsed), source, target) : []),
    [model, aggregated, filters, collapsed, source, target],
  );
  const flows = useFlowsOnEdge(source, target);
  const adminDenied = parseEdgeId(id)?.denied === true;
  const verdict = edgeVerdict({
    adminDenied,
    // Until the analysis is in, nothing says the edge is not allowed.
    allowed: !model || (aggregated ? pairs.length > 0 : edge !== undefined),
    observedDenied: flows.filter((f) => f.denied).length,
  });
  return (
    <section aria-label="Connection details" className="details" data-verdict={verdict}>
      <h3>{VERDICT_TITLE[verdict]}</h3>
      <FlowEdgeDetails source={source} target={target} />
      {!aggregated && <EdgeTierDetails id={id} source={source} target={target} />}
      {aggregated ? (
        // Keyed by the edge: the connection picked under one edge means nothing under the next.
        <AggregatedEdgeDetails key={id} source={source} target={target} pairs={pairs} />
      ) : (
        <ExplainView src={source} dst={target} />
      )}
      {/* Nothing is allowed behind a denied edge: there is no connection to remove or deny. */}
      {verdict !== 'denied' && (
        <>
          <button type="button" onClick={() => openDialog({ kind: 'remove', src: source, dst: target })}>
            Remove this connection…
          </button>
          <button
            type="button"
            onClick={() => openDialog({ kind: 'cluster-deny', src: source, dst: target })}
          >
            Deny cluster-wide…
          </button>
        </>
      )}
    </section>
  );
}
