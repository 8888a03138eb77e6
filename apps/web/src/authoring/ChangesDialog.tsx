import { useMemo } from 'react';
import { FlowImpactNotice } from '../flows/index.ts';
import {
  closeDialogAction,
  markBaselineAction,
  selectBaseline,
  selectCompare,
  selectFiles,
  setCompareAction,
  useStore,
} from '../store/index.ts';
import { DialogShell } from '../ui/index.ts';
import { changedFiles } from './baselineChanges.ts';
import { ChangeList } from './ChangeList.tsx';
import { useConnectivityDiff } from './diffStore.ts';
import { FileDiffList } from './FileDiffList.tsx';

/**
 * The change set since the baseline: connections added, removed and changed (what `netpol diff`
 * reports for the same files) and the YAML diff of every changed file.
 */
export function ChangesDialog() {
  const files = useStore(selectFiles);
  const baseline = useStore(selectBaseline);
  const compare = useStore(selectCompare);
  const setCompare = useStore(setCompareAction);
  const markBaseline = useStore(markBaselineAction);
  const closeDialog = useStore(closeDialogAction);
  const { status, diff, error } = useConnectivityDiff();
  const changed = useMemo(() => changedFiles(files, baseline), [files, baseline]);
  const as = (type: 'added' | 'removed' | 'changed') =>
    (diff?.changes ?? [])
      .filter((c) => c.type === type)
      .map((c) => ({
        src: c.src,
        dst: c.dst,
        ports: type === 'added' ? c.after : type === 'removed' ? c.before : `${c.before} → ${c.after}`,
      }));
  return (
    <DialogShell title="Changes since the baseline" wide testId="authoring.changes">
      <p className="hint">
        The baseline is the documents as first loaded or as last exported. Connectivity is compared the way{' '}
        <code>netpol diff</code> compares two folders.
      </p>
      {status === 'computing' && <p role="status">Comparing connectivity…</p>}
      {status === 'failed' && <p className="error">Could not compare: {error}</p>}
      {status === 'ready' && diff && (
        <>
          <ChangeList title="Connections added" changes={as('added')} testId="changes.added" empty="None." />
          <ChangeList
            title="Connections removed"
            changes={as('removed')}
            testId="changes.removed"
            empty="None."
          />
          <ChangeList
            title="Connections changed"
            changes={as('changed')}
            testId="changes.changed"
            empty="None."
          />
        </>
      )}
      <FlowImpactNotice before={baseline} after={files} />
      {changed.length === 0 ? (
        <p className="muted">No file differs from the baseline.</p>
      ) : (
        <FileDiffList files={changed} />
      )}
      <div className="dialog-actions">
        <button type="button" onClick={() => setCompare(!compare)} aria-pressed={compare}>
          Mark changes on the graph
        </button>
        <button type="button" disabled={changed.length === 0} onClick={markBaseline}>
          Make this the baseline
        </button>
        <button type="button" className="primary" onClick={closeDialog}>
          Close
        </button>
      </div>
    </DialogShell>
  );
}
