import { closeDialogAction, resetWorkspaceAction, useStore } from '../store/index.ts';
import { DialogShell } from '../ui/index.ts';
import { useWorkspaceStorageService } from './workspaceStorage.ts';

/** Confirms going back to the demo, which also forgets the workspace saved in this browser. */
export function ResetDialog() {
  const resetWorkspace = useStore(resetWorkspaceAction);
  const closeDialog = useStore(closeDialogAction);
  const storage = useWorkspaceStorageService();
  return (
    <DialogShell title="Reset to the demo?" testId="authoring.reset">
      <p>
        The demo replaces the documents, and the workspace saved in this browser is forgotten. Undo still
        brings your documents back while this page is open; export or share them first to keep them for good.
      </p>
      <div className="dialog-actions">
        <button type="button" onClick={closeDialog}>
          Cancel
        </button>
        <button
          type="button"
          className="primary"
          onClick={() => {
            closeDialog();
            resetWorkspace();
            void storage.persister.clear();
          }}
        >
          Reset to demo
        </button>
      </div>
    </DialogShell>
  );
}
