import type { SourceRef } from '../model/index.ts';
import { revealAction, useStore } from '../store/index.ts';

/** `file:line` that opens the editor at that place. */
export function SourceLink({ source, label }: { source: SourceRef | undefined; label?: string }) {
  const reveal = useStore(revealAction);
  if (!source) return null;
  const text = label ?? `${source.file}:${source.line}`;
  return (
    <button
      type="button"
      className="link source-link"
      onClick={() => reveal(source)}
      title={`Show ${source.file}:${source.line} in the editor`}
    >
      {text}
    </button>
  );
}
