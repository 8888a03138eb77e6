import { useEffect } from 'react';
import { create } from 'zustand';
import type { AdminDenialsView } from '../model/index.ts';
import { selectAnalysisModel, useDerived } from '../store/index.ts';
import { analysisClient } from '../workspace/index.ts';

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

/** Turns the overlay on or off. */
export function showAdminDenied(show: boolean): void {
  useAdminDenied.setState(show ? { show } : { show, status: 'idle', result: undefined, error: undefined });
}

/** Asks the worker for the Admin tier's denials while the overlay is on, again for each new analysis. */
export function useAdminDeniedDriver(): void {
  const show = useAdminDenied((s) => s.show);
  const model = useDerived(selectAnalysisModel);
  useEffect(() => {
    if (!show || !model) return;
    let live = true;
    useAdminDenied.setState({ status: 'computing' });
    analysisClient()
      .request('adminDenials', {})
      .then(
        (reply) => {
          // undefined: a newer request superseded this one; its answer is on its way.
          if (live && reply)
            useAdminDenied.setState({ status: 'ready', result: reply.result, error: undefined });
        },
        (error: unknown) => {
          if (live)
            useAdminDenied.setState({
              status: 'failed',
              error: error instanceof Error ? error.message : String(error),
            });
        },
      );
    return () => {
      live = false;
    };
  }, [show, model]);
}
