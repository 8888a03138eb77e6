import type { PolicyId } from '../model/index.ts';
import { openDialogAction, useStore } from '../store/index.ts';

/** For a selected policy: edit it as a form, or export it. */
export function PolicyActions({ id }: { id: PolicyId }) {
  const openDialog = useStore(openDialogAction);
  return (
    <div className="button-group wrap">
      <button type="button" className="primary" onClick={() => openDialog({ kind: 'policy', id })}>
        Edit policy…
      </button>
      <button type="button" onClick={() => openDialog({ kind: 'export' })}>
        Export…
      </button>
    </div>
  );
}
