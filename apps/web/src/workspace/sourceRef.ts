import type { SourceRange } from '@netpol-atlas/manifests';
import type { SourceRef } from '../model/index.ts';

/** A source range as the editor links to it; undefined when the evaluator could not place it. */
export function toSourceRef(file: string, range: SourceRange | undefined): SourceRef | undefined {
  if (!range) return undefined;
  return {
    file,
    line: range.start.line,
    column: range.start.column,
    endLine: range.end.line,
    endColumn: range.end.column,
  };
}
