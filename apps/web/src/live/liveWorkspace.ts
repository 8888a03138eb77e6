import type { ManifestFile } from '@netpol-atlas/live-protocol';
import type { Actions, State } from '../store/index.ts';

/** The parts of the app store a live snapshot touches. */
export interface WorkspaceStore {
  getState(): Pick<State, 'documents' | 'view'> & Pick<Actions, 'loadFiles' | 'removeFile' | 'select'>;
}

/** Written when a cluster has nothing to show, so the demo is not left on screen as if it were the cluster. */
export function emptyPlaceholder(context: string): ManifestFile {
  return {
    path: `${context.replace(/[^A-Za-z0-9._-]+/g, '_')}/empty.yaml`,
    text: '# netpol-atlas live snapshot: this context has no objects netpol-atlas reads (or you may not list them).\n',
  };
}

/**
 * Puts a live snapshot into the workspace. The first one replaces it (a new workspace, undoable
 * like any import); later ones change only the files whose text changed and remove the files
 * that disappeared, so file ids, the editor's models and the selection survive a watch event.
 * While live the workspace mirrors the cluster: a live file edited by hand is overwritten by the
 * next change ("work offline" keeps the edits).
 */
export function applySnapshot(
  store: WorkspaceStore,
  files: readonly ManifestFile[],
  previous: readonly ManifestFile[] | undefined,
  context: string,
): void {
  const state = store.getState();
  const incoming = files.length > 0 ? files : [emptyPlaceholder(context)];
  const current = new Map(state.documents.files.map((f) => [f.path, f]));
  // The user switched to other files meanwhile: start over rather than mixing the two.
  const stillOurs = previous?.some((p) => current.has(p.path)) ?? false;
  if (previous === undefined || !stillOurs) {
    state.loadFiles([...incoming], { replace: true });
    return;
  }
  const selection = state.view.selection;
  const changed = incoming.filter((f) => current.get(f.path)?.text !== f.text);
  const keep = new Set(incoming.map((f) => f.path));
  const placeholder = emptyPlaceholder(context).path;
  const gone = [...previous.map((p) => p.path), placeholder]
    .filter((path) => !keep.has(path))
    .flatMap((path) => current.get(path) ?? []);
  // Watch events are the cluster changing, not the user: they are not undo steps.
  if (changed.length > 0) state.loadFiles(changed, { history: false });
  for (const file of gone) store.getState().removeFile(file.id, { history: false });
  // loadFiles clears the selection; a watch event should not take the user's focus away.
  if (selection && (changed.length > 0 || gone.length > 0)) store.getState().select(selection);
}
