import type { ConnectivityDiffView, QueryState } from '../workspace/index.ts';

/** The connectivity diff against the baseline: a cache computed by the worker, never edited. */
export interface DiffCache {
  status: 'idle' | 'computing' | 'ready' | 'failed';
  /** The last diff; from earlier documents while `computing`. */
  diff: ConnectivityDiffView | undefined;
  error: string | undefined;
}

/** Where the worker query for the diff stands, as the diff's readers (diff bar, changes dialog) know it. */
export function diffCacheOf(query: QueryState<ConnectivityDiffView>): DiffCache {
  const status = query.loading
    ? 'computing'
    : query.error !== undefined
      ? 'failed'
      : query.data
        ? 'ready'
        : 'idle';
  return { status, diff: query.data, error: query.error };
}
