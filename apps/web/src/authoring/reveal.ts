import type { FileEdit } from '@netpol-atlas/authoring';
import { useStore } from '../store/index.ts';
import { diffLines } from './textDiff.ts';

/** Shows the first block of lines an edit added (or changed) in the editor, selected. */
export function revealEdit(edit: FileEdit | undefined): void {
  if (!edit) return;
  const lines = diffLines(edit.before, edit.after);
  const first = lines.findIndex((l) => l.kind === 'add');
  if (first < 0) return;
  let last = first;
  while (lines[last + 1]?.kind === 'add') last++;
  useStore.getState().reveal({
    file: edit.path,
    line: lines[first]!.newLine!,
    column: 1,
    endLine: lines[last]!.newLine! + 1,
    endColumn: 1,
  });
}
