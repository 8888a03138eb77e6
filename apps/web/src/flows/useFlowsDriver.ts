import { useEffect } from 'react';
import { selectAnalysisModel, useDerived } from '../store/index.ts';
import { selectFlowsLoaded } from './flowsSelectors.ts';
import { flowsFailed, refreshFlowReport, useFlows } from './flowsStore.ts';

/**
 * Judges the imported flows again for each new analysis (a policy edited, a plan accepted, a file
 * pasted): the verdicts and the deciding rules are the workspace's, so they follow it.
 */
export function useFlowsDriver(): void {
  const model = useDerived(selectAnalysisModel);
  const loaded = useFlows(selectFlowsLoaded);
  useEffect(() => {
    if (!loaded || !model) return;
    refreshFlowReport().catch(flowsFailed);
  }, [loaded, model]);
}
