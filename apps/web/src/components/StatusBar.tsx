import { useDerived } from '../store/derived.ts';
import { useStore } from '../store/store.ts';

/** Counts and timings, and whether the picture is up to date with the documents. */
export function StatusBar() {
  const analysis = useDerived((d) => d.analysis);
  const files = useStore((s) => s.documents.files);
  const model = analysis.model;
  const workloads = model?.nodes.filter((n) => n.type === 'workload').length ?? 0;
  const unprotected =
    model?.nodes.filter((n) => n.type === 'workload' && !n.ingressIsolated && !n.egressIsolated).length ?? 0;
  return (
    <footer className="status-bar" aria-live="polite">
      <span>
        {files.length} file{files.length === 1 ? '' : 's'}
      </span>
      <span>{workloads} workloads</span>
      <span>{model?.policies.length ?? 0} policies</span>
      <span>{model?.edges.length ?? 0} allowed connections</span>
      {unprotected > 0 && <span className="warn">{unprotected} unprotected</span>}
      <span className="spacer" />
      {analysis.status === 'analyzing' && <span>analysing…</span>}
      {analysis.status === 'failed' && <span className="error">analysis failed: {analysis.error}</span>}
      {analysis.status === 'ready' && <span>analysed in {analysis.ms.toFixed(0)} ms</span>}
    </footer>
  );
}
