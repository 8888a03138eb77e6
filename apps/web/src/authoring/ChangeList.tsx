import type { Change } from '@netpol-atlas/authoring';
import { useId } from 'react';

/** A titled list of connections a change adds or removes: `src → dst: ports`. */
export function ChangeList({
  title,
  changes,
  testId,
  empty,
}: {
  title: string;
  changes: readonly Pick<Change, 'src' | 'dst' | 'ports'>[];
  testId: string;
  empty?: string;
}) {
  const headingId = useId();
  if (changes.length === 0 && empty === undefined) return null;
  return (
    <section className="change-list" aria-labelledby={headingId}>
      <h4 id={headingId}>
        {title} ({changes.length})
      </h4>
      {changes.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul data-testid={testId}>
          {changes.map((c) => (
            <li key={`${c.src}->${c.dst}/${c.ports}`}>
              <code>{c.src}</code> → <code>{c.dst}</code>: {c.ports}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
