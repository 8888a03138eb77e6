import { selectCni, selectFiles, useStore } from '../store/index.ts';
import { analysisClient, type MigrationPreview, useWorkerQuery } from '../workspace/index.ts';

/** Where the preview is: asked of the worker, answered, or failed. */
export type PreviewState =
  | { status: 'converting' }
  | { status: 'ready'; preview: MigrationPreview }
  | { status: 'failed'; message: string };

/**
 * Asks the worker holding the compiled workspace to convert the documents' v1alpha1 cluster
 * policies and prove the result; asked again when the documents or the CNI profile change while
 * the preview is open (a superseded reply is dropped).
 */
export function useMigrationPreview(): PreviewState {
  const files = useStore(selectFiles);
  const cni = useStore(selectCni);
  const query = useWorkerQuery(
    () =>
      analysisClient()
        .request('migrate', { files: files.map((f) => ({ path: f.path, text: f.text })), cluster: { cni } })
        .then((reply) => reply?.preview),
    [files, cni],
  );
  if (query.error !== undefined) return { status: 'failed', message: query.error };
  // A preview of earlier documents is never offered: applying it would undo the newer edits.
  if (query.loading || !query.data) return { status: 'converting' };
  return { status: 'ready', preview: query.data };
}
