import { useEffect, useId, useRef } from 'react';
import { createPortal } from 'react-dom';
import { applyEditsAction, useStore } from '../store/index.ts';
import { MigrationPreviewView } from './MigrationPreviewView.tsx';
import { revealConverted } from './revealConverted.ts';
import { useMigrationPreview } from './useMigrationPreview.ts';
import './migrate.css';

/** The action's name, in the menu and as the dialog's title. */
export const MIGRATE_LABEL = 'Convert AdminNetworkPolicy/BaselineAdminNetworkPolicy to ClusterNetworkPolicy…';

/**
 * Previews the conversion of the workspace's v1alpha1 cluster policies to ClusterNetworkPolicies
 * and, on Accept, replaces the documents: one undoable step, like any accepted edit. Accept is
 * offered even when the evaluator finds differences (they are listed above it), never when
 * there is nothing to convert.
 */
export function MigrateDialog({ onClose }: { onClose: () => void }) {
  const state = useMigrationPreview();
  const applyEdits = useStore(applyEditsAction);
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  const preview = state.status === 'ready' ? state.preview : undefined;
  const acceptable = preview !== undefined && preview.edits.length > 0;
  // In the document body, not where the menu renders it: the toolbar's one-row styles (no
  // wrapping) must not reach the dialog's text.
  return createPortal(
    <dialog
      ref={dialog}
      className="dialog authoring-dialog wide"
      aria-labelledby={titleId}
      data-testid="migrate.dialog"
      onClose={onClose}
    >
      <h2 id={titleId}>Convert to ClusterNetworkPolicy</h2>
      <div className="dialog-body">
        <p className="hint">
          Each AdminNetworkPolicy becomes an Admin-tier ClusterNetworkPolicy at its priority, the
          BaselineAdminNetworkPolicy a Baseline-tier one; Allow becomes Accept and ports become protocols. The
          evaluator then compares every connection before and after.
        </p>
        {state.status === 'converting' && (
          <p role="status" className="hint">
            Converting and checking with the evaluator…
          </p>
        )}
        {state.status === 'failed' && (
          <p role="alert" className="error">
            The conversion failed: {state.message}
          </p>
        )}
        {preview && <MigrationPreviewView preview={preview} />}
        <div className="dialog-actions">
          <button type="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button
            type="button"
            className="primary"
            disabled={!acceptable}
            onClick={() => {
              if (!preview) return;
              applyEdits(preview.edits);
              dialog.current?.close();
              revealConverted(preview.edits);
            }}
          >
            Accept conversion
          </button>
        </div>
      </div>
    </dialog>,
    document.body,
  );
}
