import { selectProblems, useDerived } from '../store/index.ts';
import { SourceLink } from '../ui/index.ts';

const ORDER = { error: 0, warning: 1, info: 2 } as const;

/** Every diagnostic, errors first, each linking to its file and line. */
export function ProblemsPanel() {
  const problems = useDerived(selectProblems);
  const sorted = [...problems].sort(
    (a, b) =>
      ORDER[a.severity] - ORDER[b.severity] ||
      a.file.localeCompare(b.file) ||
      (a.source?.line ?? 0) - (b.source?.line ?? 0),
  );
  if (sorted.length === 0)
    return <p className="empty">No problems: every document was read and every policy is valid.</p>;
  return (
    <section aria-label="Problems" className="problems">
      <ul data-testid="problems">
        {sorted.map((p) => (
          <li
            key={`${p.file}:${p.source?.line}:${p.source?.column}:${p.code}:${p.field}`}
            className={`problem ${p.severity}`}
          >
            <span className={`severity ${p.severity}`}>{p.severity}</span>{' '}
            <SourceLink source={p.source} label={p.source ? `${p.file}:${p.source.line}` : p.file} />
            {!p.source && <code>{p.file}</code>}
            <div className="problem-message">
              {p.field && <code>{p.field}</code>} {p.message}
              {p.fatal && p.severity === 'error' && <em> (left out of the analysis)</em>}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
