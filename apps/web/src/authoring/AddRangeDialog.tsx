import { useState } from 'react';
import { addRangeAction, closeDialogAction, selectAction, useStore } from '../store/index.ts';
import { DialogShell } from '../ui/index.ts';
import { checkRange } from './endpoints.ts';

/** Adds an address range (CIDR, optional excepts) to the graph, ready to be connected. */
export function AddRangeDialog() {
  const addRange = useStore(addRangeAction);
  const select = useStore(selectAction);
  const closeDialog = useStore(closeDialogAction);
  const [cidr, setCidr] = useState('');
  const [except, setExcept] = useState('');
  const [tried, setTried] = useState(false);
  const result = checkRange(cidr, except.split(','));
  const error = 'error' in result ? result.error : undefined;
  return (
    <DialogShell title="Add an address range" testId="authoring.range">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setTried(true);
          if ('error' in result) return;
          addRange(result.range);
          closeDialog();
          select({ kind: 'node', id: result.range.id });
        }}
      >
        <p className="hint">An IP range outside the cluster (an ipBlock), to draw connections to or from.</p>
        <label className="stacked">
          <span>CIDR</span>
          <input
            value={cidr}
            onChange={(e) => setCidr(e.target.value)}
            placeholder="10.0.0.0/8"
            aria-invalid={tried && error !== undefined}
            spellCheck={false}
          />
        </label>
        <label className="stacked">
          <span>Except (optional, comma-separated CIDRs inside it)</span>
          <input
            value={except}
            onChange={(e) => setExcept(e.target.value)}
            placeholder="10.1.0.0/16"
            spellCheck={false}
          />
        </label>
        {tried && error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={closeDialog}>
            Cancel
          </button>
          <button type="submit" className="primary">
            Add range
          </button>
        </div>
      </form>
    </DialogShell>
  );
}
