import { useEffect } from 'react';
import { create } from 'zustand';
import { type State, selectBaseline, selectCni, selectFiles, useStore } from '../store/index.ts';
import { useWorkerQuery } from '../workspace/index.ts';
import { useAuthoringClient } from './client.ts';
import { type DiffCache, diffCacheOf } from './diffCache.ts';

export const useConnectivityDiff = create<DiffCache>()(() => ({
  status: 'idle',
  diff: undefined,
  error: undefined,
}));

const DIFF_DEBOUNCE_MS = 250;

/** Someone looks at the diff: the graph in compare mode, or the changes dialog. */
const selectDiffWanted = (s: State) => s.authoring.compare || s.authoring.dialog?.kind === 'changes';

/**
 * Keeps the connectivity diff current while someone looks at it (the graph in compare mode, or
 * the changes dialog): two analyses per change is work not worth doing otherwise. The graph's
 * diff bar and the changes dialog read the one answer from `useConnectivityDiff`.
 */
export function useDiffDriver(): void {
  const active = useStore(selectDiffWanted);
  const files = useStore(selectFiles);
  const baseline = useStore(selectBaseline);
  const cni = useStore(selectCni);
  const client = useAuthoringClient();
  const ask = active
    ? () =>
        client
          .request('diff', {
            before: baseline.map((f) => ({ path: f.path, text: f.text })),
            after: files.map((f) => ({ path: f.path, text: f.text })),
            cluster: { cni },
          })
          .then((reply) => reply?.diff)
    : undefined;
  const query = useWorkerQuery(ask, [files, baseline, cni], { debounceMs: DIFF_DEBOUNCE_MS });
  // Unwatched, the last answer stays where it is: nobody reads it until the next question.
  useEffect(() => {
    if (active) useConnectivityDiff.setState(diffCacheOf(query));
  }, [active, query]);
}
