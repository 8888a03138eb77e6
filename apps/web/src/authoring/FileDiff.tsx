import { useMemo } from 'react';
import { diffHunks, diffLines, diffStats } from './textDiff.ts';

const MARK = { add: '+', del: '-', same: ' ' } as const;

/** One file's YAML diff: hunks of changed lines with three lines of context, added green, removed red. */
export function FileDiff({
  path,
  before,
  after,
}: {
  path: string;
  before: string | undefined;
  after: string;
}) {
  const { hunks, stats } = useMemo(() => {
    const lines = diffLines(before, after);
    return { hunks: diffHunks(lines), stats: diffStats(lines) };
  }, [before, after]);
  return (
    <details className="file-diff" open data-testid={`diff.file.${path}`}>
      <summary>
        <code>{path}</code> {before === undefined && <span className="badge badge-on">new file</span>}{' '}
        <span className="diff-stat-add">+{stats.added}</span>{' '}
        <span className="diff-stat-del">−{stats.removed}</span>
      </summary>
      {hunks.length === 0 ? (
        <p className="muted">No changes.</p>
      ) : (
        hunks.map((h) => (
          <pre key={`${h.oldStart}/${h.newStart}`} className="diff-hunk">
            <span className="diff-header">{`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@\n`}</span>
            {h.lines.map((l) => (
              <span key={`${l.oldLine ?? ''}/${l.newLine ?? ''}`} className={`diff-line ${l.kind}`}>
                {`${MARK[l.kind]} ${l.text}\n`}
              </span>
            ))}
          </pre>
        ))
      )}
    </details>
  );
}
