import { type DraftRangeId, nodeLabel } from '../model/index.ts';
import { openDialogAction, removeRangeAction, selectRange, useStore } from '../store/index.ts';

/** A drafted address range: connect it, or take it off the graph. */
export function DraftRangeDetails({ id }: { id: DraftRangeId }) {
  const range = useStore(selectRange(id));
  const openDialog = useStore(openDialogAction);
  const removeRange = useStore(removeRangeAction);
  if (!range) return <p>This address range was removed.</p>;
  return (
    <section aria-label="Address range details" className="details">
      <h3>{nodeLabel(id)}</h3>
      <p className="muted">
        An address range you added. No policy names it yet: draw a connection to or from it, and the planner
        writes the ipBlock.
      </p>
      <div className="button-group wrap">
        <button type="button" onClick={() => openDialog({ kind: 'connect', src: id, dst: undefined })}>
          Allow a connection from here…
        </button>
        <button type="button" onClick={() => openDialog({ kind: 'connect', src: undefined, dst: id })}>
          Allow a connection to here…
        </button>
        <button type="button" onClick={() => removeRange(id)}>
          Remove this range
        </button>
      </div>
    </section>
  );
}
