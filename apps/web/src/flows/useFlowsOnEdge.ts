import { useMemo } from 'react';
import type { FlowItemView } from '../workspace/index.ts';
import { flowsOnEdge } from './flowMarks.ts';
import { selectFlowsView } from './flowsSelectors.ts';
import { useFlows } from './flowsStore.ts';

const NONE: readonly FlowItemView[] = [];

/** The imported flows behind one drawn edge, denied first, then the busiest (none when no flows are imported). */
export function useFlowsOnEdge(source: string, target: string): readonly FlowItemView[] {
  const view = useFlows(selectFlowsView);
  return useMemo(
    () =>
      view
        ? flowsOnEdge(view, source, target).sort(
            (a, b) => Number(b.denied) - Number(a.denied) || b.count - a.count,
          )
        : NONE,
    [view, source, target],
  );
}
