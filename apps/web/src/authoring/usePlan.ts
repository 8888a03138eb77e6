import type { Plan } from '@netpol-atlas/authoring';
import { useEffect, useState } from 'react';
import { useStore } from '../store/index.ts';
import { authoringClient } from './client.ts';
import type { PlanJob } from './protocol.ts';

/** How long typing (ports, CIDRs) settles before the planner runs again. */
const PLAN_DEBOUNCE_MS = 200;

export type PlanState =
  | { status: 'idle' }
  | { status: 'planning' }
  | { status: 'ready'; plan: Plan }
  | { status: 'failed'; message: string };

/**
 * Plans `job` in the authoring worker against the current documents, again whenever they or the
 * job change (an undo while the dialog is open re-plans instead of accepting a stale edit).
 * `jobKey` stands for the job's content, so a re-render with an equal job does not re-plan.
 */
export function usePlan(job: PlanJob | undefined, jobKey: string): PlanState {
  const files = useStore((s) => s.documents.files);
  const cni = useStore((s) => s.view.cni);
  const [state, setState] = useState<PlanState>({ status: 'idle' });
  // biome-ignore lint/correctness/useExhaustiveDependencies: jobKey stands for job
  useEffect(() => {
    if (!job) {
      setState({ status: 'idle' });
      return;
    }
    let live = true;
    setState({ status: 'planning' });
    const timer = setTimeout(() => {
      authoringClient()
        .request('plan', { files: files.map((f) => ({ path: f.path, text: f.text })), job, cluster: { cni } })
        .then(
          (reply) => {
            if (live && reply) setState({ status: 'ready', plan: reply.plan });
          },
          (error: unknown) => {
            if (live)
              setState({ status: 'failed', message: error instanceof Error ? error.message : String(error) });
          },
        );
    }, PLAN_DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [jobKey, files, cni]);
  return state;
}
