import type { TightenReport } from '@netpol-atlas/authoring';
import { ChangeList } from './ChangeList.tsx';

function port(c: { protocol: string; port: number; count: number | undefined }): string {
  return `${c.protocol} ${c.port}${c.count !== undefined ? ` (${c.count} seen)` : ''}`;
}

/**
 * The observed side of a tightening, as the evaluator judged it on the edited copy: the observed
 * connections kept, those that would be denied (and why), what stays allowed without being
 * observed, and the observations left out. The connections removed are the plan's own list.
 */
export function TightenPreview({ report }: { report: TightenReport }) {
  return (
    <section aria-label="Observed traffic after the change" data-testid="tighten.preview">
      <p data-testid="tighten.counts">
        Observed and kept: {report.kept.length} · removed (allowed, never observed): {report.removed.length} ·
        observed but would be denied: {report.denied.length}
      </p>
      <ChangeList
        title="Observed connections kept"
        changes={report.kept.map((k) => ({
          src: k.src,
          dst: k.dst,
          ports: `${port(k)}${k.allowedBefore ? '' : ', newly allowed'}`,
        }))}
        testId="tighten.kept"
        empty="None."
      />
      <ChangeList
        title="Observed connections that would be denied"
        changes={report.denied.map((d) => ({
          src: d.src,
          dst: d.dst,
          ports: `${port(d)}${d.allowedBefore ? ', allowed now' : ', denied now too'}: ${d.reason}`,
        }))}
        testId="tighten.denied"
        empty="None: every observed connection stays allowed."
      />
      <ChangeList
        title="Still allowed without being observed"
        changes={report.beyond.map((b) => ({ src: b.src, dst: b.dst, ports: `${b.ports} (${b.reason})` }))}
        testId="tighten.beyond"
      />
      {report.ignored.length > 0 && (
        <section aria-label="Observations left out">
          <h4>Observations left out ({report.ignored.length})</h4>
          <ul data-testid="tighten.ignored">
            {report.ignored.map((i) => (
              <li key={i.observation}>
                <code>{i.observation}</code>: {i.reason}
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}
