import { type Finding, kindOfId } from '@netpol-atlas/evaluator';
import { formatFindingsHtml, formatFindingsMarkdown } from '@netpol-atlas/reports';
import { useMemo, useState } from 'react';
import { useGraphSvg, withGraphFigure } from '../exportImage/index.ts';
import type { FindingView } from '../model/index.ts';
import {
  nodeSelection,
  openDialogAction,
  policySelection,
  selectAction,
  selectFiles,
  selectNetworks,
  showPanelAction,
  useStore,
} from '../store/index.ts';
import { downloadFile, SourceLink } from '../ui/index.ts';
import { useAnalysisQuery } from '../workspace/index.ts';
import { ClusterRanges } from './ClusterRanges.tsx';
import './findings.css';
import { useRevealedCount } from './revealInSteps.ts';
import { WhatIfView } from './WhatIfView.tsx';

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
type Severity = (typeof SEVERITIES)[number];

const NO_FINDINGS: readonly FindingView[] = Object.freeze([]);

/** The report renderers take the evaluator's shape; the panel has the UI's: map back. */
function asFindings(list: readonly FindingView[]): Finding[] {
  return list.map((f) => ({
    id: f.id,
    rule: f.rule as never,
    severity: f.severity,
    title: f.title,
    message: f.message,
    subjects: f.subjects,
    namespaces: f.namespaces,
    locations: f.sources.map((s) => ({
      file: s.file,
      range: { start: { line: s.line, column: s.column }, end: { line: s.endLine, column: s.endColumn } },
    })),
    ...(f.fix ? { fix: { description: f.fix, suggestion: { kind: 'none' } as never } } : {}),
    ...(f.instances ? { instances: asFindings(f.instances) } : {}),
  }));
}

function FindingItem({ finding }: { finding: FindingView }) {
  const select = useStore(selectAction);
  const showPanel = useStore(showPanelAction);
  const openDialog = useStore(openDialogAction);
  const preset = finding.preset;
  return (
    <li className={`finding ${finding.severity}`} data-testid={`finding.${finding.id}`}>
      <div>
        <span className={`severity sev-${finding.severity}`}>{finding.severity}</span>{' '}
        <strong>{finding.title}</strong>
        {finding.instances && (
          <span className="finding-count" title={`${finding.instances.length} instances`}>
            {' '}
            ×{finding.instances.length}
          </span>
        )}
      </div>
      <details>
        <summary>Why it matters</summary>
        <p>{finding.message}</p>
        {finding.fix && (
          <p>
            <em>Fix:</em> {finding.fix}{' '}
            {preset && (
              <button
                type="button"
                onClick={() =>
                  openDialog({
                    kind: 'preset',
                    preset: preset.kind,
                    target: { kind: 'namespace', name: preset.namespace },
                  })
                }
              >
                Apply fix…
              </button>
            )}
          </p>
        )}
      </details>
      <div className="finding-links">
        {finding.subjects.slice(0, 6).map((subject) => (
          <button
            key={subject}
            type="button"
            className="link"
            onClick={() => {
              // A subject is a policy or a peer (workload, address range, domain name).
              select(kindOfId(subject) === 'policy' ? policySelection(subject) : nodeSelection(subject));
              showPanel('details');
            }}
          >
            {subject}
          </button>
        ))}
        {finding.sources.slice(0, 4).map((source) => (
          <SourceLink key={`${source.file}:${source.line}:${source.column}`} source={source} />
        ))}
      </div>
      {finding.instances && <FindingInstances instances={finding.instances} />}
    </li>
  );
}

/** A group's instances, built only once it is opened: most groups are never opened. */
function FindingInstances({ instances }: { instances: readonly FindingView[] }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="finding-instances" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{instances.length} instances</summary>
      {open && (
        <ul>
          {instances.map((instance) => (
            <FindingItem key={instance.id} finding={instance} />
          ))}
        </ul>
      )}
    </details>
  );
}

/** The security review: findings filtered by severity and namespace, each linking to graph and YAML. */
export function FindingsPanel() {
  const files = useStore(selectFiles);
  const networks = useStore(selectNetworks);
  const {
    data: reply,
    loading,
    error,
  } = useAnalysisQuery('findings', { networks }, JSON.stringify(networks));
  const [minimum, setMinimum] = useState<Severity>('low');
  const [namespace, setNamespace] = useState('');
  const all = reply?.findings ?? NO_FINDINGS;
  const namespaces = useMemo(() => [...new Set(all.flatMap((f) => f.namespaces))].sort(), [all]);
  const shown = useMemo(
    () =>
      all.filter(
        (f) =>
          SEVERITIES.indexOf(f.severity) <= SEVERITIES.indexOf(minimum) &&
          (namespace === '' || f.namespaces.includes(namespace)),
      ),
    [all, minimum, namespace],
  );
  const rendered = useRevealedCount(shown);
  // Groups count once, most severe first (the evaluator's order); the instances are counted apart.
  const counts = SEVERITIES.map((s) => [s, all.filter((f) => f.severity === s).length] as const);
  const instances = all.reduce((n, f) => n + (f.instances?.length ?? 1), 0);
  const meta = { inputs: files.map((f) => f.path) };
  const graphSvg = useGraphSvg();
  return (
    <section aria-label="Security findings" className="findings">
      <p className="finding-counts">
        {counts.map(([s, n]) => (
          <span key={s} className={`severity sev-${s}`}>
            {n} {s}
          </span>
        ))}
        {instances !== all.length && <span className="finding-total"> {instances} instances in all</span>}
      </p>
      <div className="row">
        <label className="stacked">
          <span>At least</span>
          <select value={minimum} onChange={(e) => setMinimum(e.target.value as Severity)}>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label className="stacked">
          <span>Namespace</span>
          <select value={namespace} onChange={(e) => setNamespace(e.target.value)}>
            <option value="">all</option>
            {namespaces.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ClusterRanges />
      <div className="button-group small">
        <button
          type="button"
          disabled={all.length === 0}
          onClick={() =>
            downloadFile('netpol-review.md', formatFindingsMarkdown(asFindings(shown), meta), 'text/markdown')
          }
        >
          Export Markdown
        </button>
        <button
          type="button"
          disabled={all.length === 0}
          onClick={() => {
            const html = formatFindingsHtml(asFindings(shown), meta);
            // The report carries the picture of the whole graph when its layout is ready.
            const image = graphSvg('whole');
            downloadFile('netpol-review.html', image ? withGraphFigure(html, image.svg) : html, 'text/html');
          }}
        >
          Export HTML
        </button>
      </div>
      {error && <p className="error">Could not review: {error}</p>}
      {loading && all.length === 0 && <p role="status">Reviewing…</p>}
      <ul className="finding-list" data-testid="findings">
        {shown.slice(0, rendered).map((f) => (
          <FindingItem key={f.id} finding={f} />
        ))}
      </ul>
      {!loading && reply && shown.length === 0 && <p className="empty">No findings at this level.</p>}
      <WhatIfView />
    </section>
  );
}
