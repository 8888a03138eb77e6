import type { Plan } from '@netpol-atlas/authoring';
import { selectCni, selectFiles, useStore } from '../store/index.ts';
import type { PlanJob } from '../workspace/index.ts';
import { useWorkerQuery } from '../workspace/index.ts';
import { useAuthoringClient } from './client.ts';

/** How long typing (ports, CIDRs) settles before the planner runs again. */
const PLAN_DEBOUNCE_MS = 200;

export type PlanState =
  | { status: 'idle' }
  | { status: 'planning' }
  | { status: 'ready'; plan: Plan }
  | { status: 'failed'; message: string };

/**
 * Plans `job` in the worker against the current documents, again whenever they or the
 * job change (an undo while the dialog is open re-plans instead of accepting a stale edit).
 * `jobKey` stands for the job's content, so a re-render with an equal job does not re-plan.
 */
export function usePlan(job: PlanJob | undefined, jobKey: string): PlanState {
  const files = useStore(selectFiles);
  const cni = useStore(selectCni);
  const client = useAuthoringClient();
  const ask = job
    ? () =>
        client.request('plan', {
          files: files.map((f) => ({ path: f.path, text: f.text })),
          job,
          cluster: { cni },
        })
    : undefined;
  const state = useWorkerQuery(ask, [jobKey, files, cni], { debounceMs: PLAN_DEBOUNCE_MS });
  if (!job) return { status: 'idle' };
  if (state.error !== undefined) return { status: 'failed', message: state.error };
  // A plan for earlier inputs is never offered: accepting it would apply a stale edit.
  if (state.loading || !state.data) return { status: 'planning' };
  return { status: 'ready', plan: state.data.plan };
}
