import { plural } from '@netpol-atlas/evaluator';
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { edgeCount, type GraphModel } from '../model/index.ts';
import {
  selectAnalysisSummary,
  selectFiles,
  selectSaveStatus,
  useDerived,
  useStore,
} from '../store/index.ts';

const SAVE_TEXT = {
  idle: '',
  saving: 'Saving…',
  saved: 'Saved in this browser',
  failed: 'Not saved: this browser refused storage',
} as const;

/**
 * The workloads, and those no policy protects: a workload that cluster-wide tiers govern is not
 * unprotected, even with no NetworkPolicy (the same rule as its badge).
 */
function workloadCounts(model: GraphModel | undefined): { workloads: number; unprotected: number } {
  let workloads = 0;
  let unprotected = 0;
  for (const n of model?.nodes ?? []) {
    if (n.type !== 'workload') continue;
    workloads++;
    if (!n.ingressIsolated && !n.egressIsolated && !(n.clusterTiers?.ingress || n.clusterTiers?.egress))
      unprotected++;
  }
  return { workloads, unprotected };
}

/** Counts and timings, whether the picture is up to date, and whether the workspace is saved. */
export function StatusBar() {
  const analysis = useDerived(useShallow(selectAnalysisSummary));
  const files = useStore(selectFiles);
  const saveStatus = useStore(selectSaveStatus);
  const model = analysis.model;
  // Counted once per model, not on every save-status or file change: a walk over 10,000 nodes.
  const { workloads, unprotected } = useMemo(() => workloadCounts(model), [model]);
  return (
    <footer className="status-bar" aria-live="polite">
      <span>{plural(files.length, 'file')}</span>
      <span>{plural(workloads, 'workload')}</span>
      <span>{plural(model?.policies.length ?? 0, 'policy')}</span>
      <span>{plural(model ? edgeCount(model) : 0, 'allowed connection')}</span>
      {unprotected > 0 && <span className="warn">{unprotected} unprotected</span>}
      <span className="spacer" />
      <output className={`notice save-${saveStatus}`} data-testid="workspace.save" aria-live="polite">
        {SAVE_TEXT[saveStatus]}
      </output>
      {analysis.status === 'analyzing' && <span>analysing…</span>}
      {analysis.status === 'failed' && <span className="error">analysis failed: {analysis.error}</span>}
      {analysis.status === 'ready' && <span>analysed in {analysis.ms.toFixed(0)} ms</span>}
    </footer>
  );
}
