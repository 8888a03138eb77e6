import { useEffect } from 'react';
import { create } from 'zustand';
import type { AdminDenialsView } from '../model/index.ts';
import { useAnalysisQuery } from '../workspace/index.ts';

/**
 * The "connections denied by the Admin tier" overlay: whether the reviewer asked for it, and the
 * worker's answer for the analysis shown (a cache, never edited). Off by default: listing what a
 * platform denies visits every pair its Deny rules name, work not worth doing unasked.
 */
export interface AdminDeniedOverlay {
  show: boolean;
  status: 'idle' | 'computing' | 'ready' | 'failed';
  result: AdminDenialsView | undefined;
  error: string | undefined;
}

export const useAdminDenied = create<AdminDeniedOverlay>()(() => ({
  show: false,
  status: 'idle',
  result: undefined,
  error: undefined,
}));

/** Whether the reviewer asked for the overlay. */
export const selectDeniedShown = (s: AdminDeniedOverlay) => s.show;
/** Where the worker's answer stands. */
export const selectDeniedStatus = (s: AdminDeniedOverlay) => s.status;
/** Whether the answer stopped at its limit of listed pairs. */
export const selectDeniedTruncated = (s: AdminDeniedOverlay) => s.result?.truncated === true;
/** The answer to draw: only while the overlay is on. */
export const selectDeniedDrawn = (s: AdminDeniedOverlay) => (s.show ? s.result : undefined);

/** Turns the overlay on or off. */
export function showAdminDenied(show: boolean): void {
  useAdminDenied.setState(show ? { show } : { show, status: 'idle', result: undefined, error: undefined });
}

/**
 * Asks the worker for the Admin tier's denials while the overlay is on, again for each new
 * analysis (through the shared worker-query hook), and shows its state to the legend, the
 * overview and the details panel, which read the overlay's store.
 */
export function useAdminDeniedDriver(): void {
  const show = useAdminDenied(selectDeniedShown);
  const query = useAnalysisQuery('adminDenials', show ? {} : undefined, '');
  useEffect(() => {
    if (!show) return;
    // While a new analysis is asked about, the last answer stays drawn (stale) until it lands.
    useAdminDenied.setState({
      status: query.loading ? 'computing' : query.error ? 'failed' : query.data ? 'ready' : 'idle',
      result: query.data?.result,
      error: query.error,
    });
  }, [show, query]);
}
