import type { EvaluatedFlow, FlowReport } from './verdicts.ts';

/** How a policy change treats the observed flows: what it newly denies, and what it newly allows. */
export interface FlowImpact {
  /** Observed flows the old policies allowed (or that did not match them) and the new ones deny. */
  newlyDenied: EvaluatedFlow[];
  /** Observed flows the old policies denied and the new ones allow. */
  newlyAllowed: EvaluatedFlow[];
  /** Observed flows both deny. */
  stillDenied: EvaluatedFlow[];
  /** Connections (records' counts) of the newly denied flows. */
  newlyDeniedConnections: number;
}

/**
 * Compares two judgements of the same observed flows (flows are matched by their key: workload
 * ids and addresses, which do not depend on the policies). A flow the old workspace could not
 * place (a workload it lacks) counts as allowed before: the change is what denies it.
 */
export function flowImpact(before: FlowReport, after: FlowReport): FlowImpact {
  const old = new Map(before.flows.map((f) => [f.key, f]));
  const impact: FlowImpact = {
    newlyDenied: [],
    newlyAllowed: [],
    stillDenied: [],
    newlyDeniedConnections: 0,
  };
  for (const flow of after.flows) {
    const wasDenied = old.get(flow.key)?.state === 'observed-denied';
    if (flow.state === 'observed-denied') {
      if (wasDenied) impact.stillDenied.push(flow);
      else {
        impact.newlyDenied.push(flow);
        impact.newlyDeniedConnections += flow.count;
      }
    } else if (wasDenied) impact.newlyAllowed.push(flow);
  }
  return impact;
}
