import { applyEditsAction, closeDialogAction, useStore } from '../store/index.ts';
import { revealEdit } from './reveal.ts';
import type { PlanState } from './usePlan.ts';

/**
 * Cancel, or accept a verified plan: its edits become one undoable step, then the YAML is shown.
 * `blocked` keeps accept disabled while the dialog waits for something of the user's (a consent).
 */
export function PlanActions({
  state,
  acceptLabel,
  blocked = false,
}: {
  state: PlanState;
  acceptLabel: string;
  blocked?: boolean;
}) {
  const applyEdits = useStore(applyEditsAction);
  const closeDialog = useStore(closeDialogAction);
  const plan =
    state.status === 'ready' && state.plan.ok && state.plan.edits.length > 0 && !blocked
      ? state.plan
      : undefined;
  return (
    <div className="dialog-actions">
      <button type="button" onClick={closeDialog}>
        Cancel
      </button>
      <button
        type="button"
        className="primary"
        disabled={!plan}
        onClick={() => {
          if (!plan) return;
          applyEdits(plan.edits);
          closeDialog();
          revealEdit(plan.edits[0]);
        }}
      >
        {acceptLabel}
      </button>
    </div>
  );
}
