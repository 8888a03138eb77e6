import { useState } from 'react';
import './flows.css';
import type { FlowsView } from '../workspace/index.ts';
import type { FlowState } from './flowMarks.ts';
import { selectFlowsName, selectFlowsStatus, selectFlowsView } from './flowsSelectors.ts';
import { cancelFlowImport, closeFlows, setFlowFilter, showFlows, useFlows } from './flowsStore.ts';
import { formatTime } from './flowText.ts';
import { forgetImportedFlows, importedBeforeReload } from './lostFlows.ts';

const STATES: { state: FlowState; text: string; stroke: string; dash?: string }[] = [
  { state: 'allowed', text: 'observed and allowed', stroke: 'var(--flow-allowed, #0f766e)' },
  { state: 'denied', text: 'observed but denied by the policies', stroke: 'var(--flow-denied, #dc2626)' },
  {
    state: 'unobserved',
    text: 'allowed by a rule, never observed',
    stroke: 'var(--flow-unobserved, #9ca3af)',
    dash: '5 4',
  },
];

const REASONS: Record<string, string> = {
  host: 'a node (policies do not govern it)',
  'unknown-workload': 'names no workload of the manifests',
  ambiguous: 'labels fit several workloads',
  'no-address': 'outside the cluster, no address',
  'unsupported-address': 'an address the analysis cannot place (IPv6)',
  'no-workload': 'neither end is a workload',
};

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;
}

function count(view: FlowsView, state: FlowState): string {
  const t = view.totals;
  if (state === 'allowed') return plural(t.observedAllowed, 'flow');
  if (state === 'denied')
    return `${plural(t.observedDenied, 'flow')} (${plural(t.deniedConnections, 'connection')})`;
  return plural(t.allowedUnobserved, 'connection');
}

function Problems({ view }: { view: FlowsView }) {
  const skipped = Object.entries(view.skipped).filter(([, n]) => n > 0);
  return (
    <>
      {view.diagnosticCount > 0 && (
        <details data-testid="flows.diagnostics">
          <summary>
            {view.diagnosticCount.toLocaleString('en')} line{view.diagnosticCount === 1 ? '' : 's'} with
            problems (the rest loaded)
          </summary>
          <ul>
            {view.diagnostics.map((d) => (
              <li key={`${d.line}/${d.code}/${d.message}`}>
                line {d.line}: <code>{d.code}</code> {d.message}
              </li>
            ))}
            {view.diagnosticCount > view.diagnostics.length && (
              <li>and {(view.diagnosticCount - view.diagnostics.length).toLocaleString('en')} more</li>
            )}
          </ul>
        </details>
      )}
      {view.unmatched.records > 0 && (
        <details data-testid="flows.unmatched">
          <summary>
            {view.unmatched.records.toLocaleString('en')} record{view.unmatched.records === 1 ? '' : 's'} not
            matched to a workload
          </summary>
          <ul>
            {view.unmatched.groups.map((g) => (
              <li key={`${g.side}/${g.reason}/${g.src}/${g.dst}/${g.protocol}/${g.port}`}>
                {g.src} → {g.dst} {g.protocol}/{g.port}: {g.count} ({g.side}: {REASONS[g.reason] ?? g.reason},
                line {g.line})
              </li>
            ))}
            {view.unmatched.groupCount > view.unmatched.groups.length && (
              <li>and {view.unmatched.groupCount - view.unmatched.groups.length} more groups</li>
            )}
          </ul>
        </details>
      )}
      {skipped.length > 0 && (
        <p className="muted">
          Skipped:{' '}
          {skipped.map(([reason, n]) => `${n} ${reason === 'l7' ? 'L7 events' : `${reason}`}`).join(', ')}
        </p>
      )}
      {view.overflowRecords > 0 && (
        <p className="error">
          {view.overflowRecords.toLocaleString('en')} records past the 250,000 distinct endpoint pairs kept
          were counted but not matched.
        </p>
      )}
    </>
  );
}

function Lost() {
  const [note, setNote] = useState(importedBeforeReload);
  if (!note) return null;
  return (
    <aside className="flows-panel" aria-label="Observed traffic" data-testid="flows.panel">
      <p role="status">
        The flows of <strong>{note.name}</strong> ({note.records.toLocaleString('en')} records) were imported
        before the page was reloaded. They are kept in memory only: import the file again to see them.
      </p>
      <button
        type="button"
        onClick={() => {
          forgetImportedFlows();
          setNote(undefined);
        }}
      >
        Dismiss
      </button>
    </aside>
  );
}

/** The overlay's legend and status: import progress, counts per state (each a filter), the time window, problems. */
export function FlowsPanel() {
  const status = useFlows(selectFlowsStatus);
  const name = useFlows(selectFlowsName);
  const view = useFlows(selectFlowsView);
  const [folded, setFolded] = useState(false);
  if (status === 'idle' && !view) return <Lost />;
  return (
    <aside className="flows-panel" aria-label="Observed traffic" data-testid="flows.panel">
      <h3>
        <span title={name}>Observed traffic{name ? `: ${name}` : ''}</span>
        {folded && view && (
          <span className="flows-summary" data-testid="flows.summary">
            ✓ {view.totals.observedAllowed} ·{' '}
            <span className="flow-verdict denied">✕ {view.totals.observedDenied}</span> · ⋯{' '}
            {view.totals.allowedUnobserved}
          </span>
        )}
        <button
          type="button"
          className="link"
          aria-expanded={!folded}
          aria-label={folded ? 'Show the flow legend' : 'Fold the flow legend'}
          onClick={() => setFolded(!folded)}
        >
          {folded ? '▸' : '▾'}
        </button>
        <button type="button" className="link" aria-label="Close the flow overlay" onClick={closeFlows}>
          ✕
        </button>
      </h3>
      {folded && status !== 'reading' ? null : <FlowsPanelBody />}
    </aside>
  );
}

function FlowsPanelBody() {
  const { status, progress, view, error, show, filter } = useFlows();
  return (
    <>
      {status === 'reading' && progress && (
        <div data-testid="flows.progress">
          <progress
            max={Math.max(progress.size, 1)}
            value={progress.bytes}
            aria-label="Reading the flow file"
          />
          <p role="status">
            {(progress.bytes / 1e6).toFixed(1)} of {(progress.size / 1e6).toFixed(1)} MB ·{' '}
            {progress.records.toLocaleString('en')} records · {progress.diagnosticCount} problems
          </p>
          <button type="button" onClick={cancelFlowImport}>
            Cancel
          </button>
        </div>
      )}
      {status === 'judging' && <p role="status">Judging the flows by the policies…</p>}
      {status === 'failed' && <p className="error">Could not read the flows: {error}</p>}
      {view && (
        <>
          <p className="muted" data-testid="flows.window">
            {view.totals.records.toLocaleString('en')} records ({view.format ?? 'no'} format), seen{' '}
            {formatTime(view.window?.first)} to {formatTime(view.window?.last)}
          </p>
          <label>
            <input type="checkbox" checked={show} onChange={(e) => showFlows(e.target.checked)} />
            Show on the graph
          </label>
          <fieldset className="flows-states">
            <legend className="sr-only">Flow states shown</legend>
            {STATES.map((s) => (
              <label key={s.state} data-testid={`flows.count.${s.state}`}>
                <input
                  type="checkbox"
                  checked={filter[s.state]}
                  disabled={!show}
                  onChange={(e) => setFlowFilter({ [s.state]: e.target.checked })}
                />
                <svg width="24" height="6" aria-hidden="true">
                  <line
                    x1="0"
                    y1="3"
                    x2="24"
                    y2="3"
                    stroke={s.stroke}
                    strokeWidth="2.5"
                    strokeDasharray={s.dash}
                  />
                </svg>
                <span>
                  {s.text}: <strong>{count(view, s.state)}</strong>
                </span>
              </label>
            ))}
          </fieldset>
          {view.unobservedCount > view.unobserved.length && (
            <p className="muted">
              The first {view.unobserved.length.toLocaleString('en')} unobserved connections are marked.
            </p>
          )}
          <Problems view={view} />
          <p className="muted">Kept in this tab only: a reload forgets them.</p>
        </>
      )}
    </>
  );
}
