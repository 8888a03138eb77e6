import { useEffect } from 'react';
import { create } from 'zustand';
import { type State, selectBaseline, selectCni, selectFiles, useStore } from '../store/index.ts';
import type { ConnectivityDiffView } from '../workspace/index.ts';
import { authoringClient } from './client.ts';

/** The connectivity diff against the baseline: a cache computed by the worker, never edited. */
export interface DiffCache {
  status: 'idle' | 'computing' | 'ready' | 'failed';
  diff: ConnectivityDiffView | undefined;
  error: string | undefined;
}

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
 * the changes dialog): two analyses per change is work not worth doing otherwise.
 */
export function useDiffDriver(): void {
  const active = useStore(selectDiffWanted);
  const files = useStore(selectFiles);
  const baseline = useStore(selectBaseline);
  const cni = useStore(selectCni);
  useEffect(() => {
    if (!active) return;
    let live = true;
    useConnectivityDiff.setState({ status: 'computing' });
    const timer = setTimeout(() => {
      authoringClient()
        .request('diff', {
          before: baseline.map((f) => ({ path: f.path, text: f.text })),
          after: files.map((f) => ({ path: f.path, text: f.text })),
          cluster: { cni },
        })
        .then(
          (reply) => {
            if (live && reply)
              useConnectivityDiff.setState({ status: 'ready', diff: reply.diff, error: undefined });
          },
          (error: unknown) => {
            if (live) {
              useConnectivityDiff.setState({
                status: 'failed',
                error: error instanceof Error ? error.message : String(error),
              });
            }
          },
        );
    }, DIFF_DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [active, files, baseline, cni]);
}
