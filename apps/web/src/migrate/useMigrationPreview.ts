import { useEffect, useState } from 'react';
import { selectCni, selectFiles, useStore } from '../store/index.ts';
import { analysisClient, type MigrationPreview } from '../workspace/index.ts';

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
  const [state, setState] = useState<PreviewState>({ status: 'converting' });
  useEffect(() => {
    let live = true;
    setState({ status: 'converting' });
    analysisClient()
      .request('migrate', { files: files.map((f) => ({ path: f.path, text: f.text })), cluster: { cni } })
      .then(
        (reply) => {
          if (live && reply) setState({ status: 'ready', preview: reply.preview });
        },
        (error: unknown) => {
          if (live)
            setState({ status: 'failed', message: error instanceof Error ? error.message : String(error) });
        },
      );
    return () => {
      live = false;
    };
  }, [files, cni]);
  return state;
}
