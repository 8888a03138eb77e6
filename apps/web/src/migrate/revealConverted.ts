import type { FileEdit } from '@netpol-atlas/authoring';
import { useStore } from '../store/index.ts';

/** Shows the first converted ClusterNetworkPolicy in the editor, its `kind` line selected. */
export function revealConverted(edits: readonly FileEdit[]): void {
  for (const edit of edits) {
    const lines = edit.after.split('\n');
    const at = lines.findIndex((line) => /^kind:\s*["']?ClusterNetworkPolicy["']?\s*(#.*)?$/.test(line));
    if (at < 0) continue;
    useStore.getState().reveal({ file: edit.path, line: at + 1, column: 1, endLine: at + 2, endColumn: 1 });
    return;
  }
}
