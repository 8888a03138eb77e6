import type { MigrationIssue } from '@netpol-atlas/authoring';
import { FileDiffList } from '../authoring/index.ts';
import type { MigrationPreview } from '../workspace/index.ts';

const SEVERITY_MARK = { error: '✖', warning: '⚠', info: 'ℹ' } as const;
const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

function IssueList({ issues }: { issues: readonly MigrationIssue[] }) {
  if (issues.length === 0)
    return <p className="hint">No issues: every field has its ClusterNetworkPolicy place.</p>;
  const sorted = [...issues].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  return (
    <ul className="migrate-issues" aria-label="Issues">
      {sorted.map((issue) => (
        <li
          key={`${issue.file}|${issue.object}|${issue.field}|${issue.code}|${issue.message}`}
          className={`migrate-issue ${issue.severity}`}
          data-testid={`migrate.issue.${issue.code}`}
        >
          <span aria-hidden="true">{SEVERITY_MARK[issue.severity]}</span>{' '}
          <span className="sr-only">{issue.severity}:</span> <strong>{issue.object}</strong>
          {issue.field ? <code> {issue.field}</code> : null}: {issue.message}{' '}
          <span className="muted">
            ({issue.file}
            {issue.range ? `:${issue.range.start.line}` : ''}, {issue.code})
          </span>
        </li>
      ))}
    </ul>
  );
}

function Equivalence({ preview }: { preview: MigrationPreview }) {
  const { equivalence } = preview;
  if (equivalence.proven) {
    return (
      <p className="migrate-verdict proven" data-testid="migrate.equivalence">
        ✔ Equivalent: the evaluator finds every connection identical ({equivalence.identical} allowed
        connections compared, none differs).
      </p>
    );
  }
  return (
    <section aria-label="Connections that differ">
      <p className="migrate-verdict differs" data-testid="migrate.equivalence">
        ✖ Not equivalent: {equivalence.differences.length} connection
        {equivalence.differences.length === 1 ? '' : 's'} differ.
      </p>
      <table className="migrate-differences">
        <thead>
          <tr>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
          </tr>
        </thead>
        <tbody>
          {equivalence.differences.map((d) => (
            <tr key={`${d.src} ${d.dst}`}>
              <td>{d.src}</td>
              <td>{d.dst}</td>
              <td>{d.before}</td>
              <td>{d.after}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/**
 * The conversion as the worker made and checked it: what becomes what, the evaluator's verdict
 * (every differing connection listed), the issues, and the YAML diff per file.
 */
export function MigrationPreviewView({ preview }: { preview: MigrationPreview }) {
  const { converted, edits, issues } = preview;
  if (converted.length === 0 && issues.length === 0) {
    return (
      <p className="hint" data-testid="migrate.nothing">
        Nothing to convert: the workspace has no AdminNetworkPolicy or BaselineAdminNetworkPolicy.
      </p>
    );
  }
  return (
    <section className="plan-preview" aria-label="Preview" data-testid="migrate.preview">
      <p data-testid="migrate.summary">
        {converted.length} object{converted.length === 1 ? '' : 's'} converted in {edits.length} file
        {edits.length === 1 ? '' : 's'}.
      </p>
      <ul aria-label="Conversions">
        {converted.map((c) => (
          <li key={`${c.from.file}#${c.from.document}#${c.from.item ?? ''}`}>
            {c.from.kind}/{c.from.name} → <strong>ClusterNetworkPolicy/{c.to.name}</strong> ({c.to.tier} tier,
            priority {c.to.priority})
          </li>
        ))}
      </ul>
      <Equivalence preview={preview} />
      <h4>Issues ({issues.length})</h4>
      <IssueList issues={issues} />
      <FileDiffList files={edits} />
    </section>
  );
}
