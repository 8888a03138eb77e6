import { useMemo } from 'react';
import {
  openDialogAction,
  selectBaseline,
  selectCompare,
  selectDrawing,
  selectFiles,
  selectNotice,
  setCompareAction,
  setDrawingAction,
  setNoticeAction,
  useStore,
} from '../store/index.ts';
import { OVERFLOW_UNIT } from '../ui/index.ts';
import { changedFiles } from './baselineChanges.ts';

/**
 * Drawing, comparing, exporting and sharing: the authoring half of the top bar. Buttons listed in
 * `overflowed` are in the toolbar's menu: they stay mounted (the menu clicks them) but take no room.
 */
export function AuthoringToolbar({ overflowed }: { overflowed: ReadonlySet<string> }) {
  const drawing = useStore(selectDrawing);
  const compare = useStore(selectCompare);
  const notice = useStore(selectNotice);
  const files = useStore(selectFiles);
  const baseline = useStore(selectBaseline);
  const setDrawing = useStore(setDrawingAction);
  const setCompare = useStore(setCompareAction);
  const openDialog = useStore(openDialogAction);
  const setNotice = useStore(setNoticeAction);
  const changed = useMemo(() => changedFiles(files, baseline).length, [files, baseline]);
  const unit = (id: string) => ({
    [OVERFLOW_UNIT]: id,
    className: overflowed.has(id) ? 'overflowed' : undefined,
  });
  return (
    <div role="toolbar" aria-label="Authoring" className="button-group authoring-toolbar">
      <button
        type="button"
        aria-pressed={drawing}
        {...unit('draw')}
        className={`${drawing ? 'toggled' : ''} ${overflowed.has('draw') ? 'overflowed' : ''}`}
        onClick={() => setDrawing(!drawing)}
        title="Drag from one node's handle to another's to allow a connection"
      >
        ✎ Draw connection
      </button>
      <button
        type="button"
        {...unit('connect')}
        onClick={() => openDialog({ kind: 'connect', src: undefined, dst: undefined })}
      >
        Connect…
      </button>
      <button type="button" {...unit('range')} onClick={() => openDialog({ kind: 'range' })}>
        Add address range…
      </button>
      <button
        type="button"
        aria-pressed={compare}
        {...unit('compare')}
        className={`${compare ? 'toggled' : ''} ${overflowed.has('compare') ? 'overflowed' : ''}`}
        onClick={() => setCompare(!compare)}
        title="Mark added and removed connections against the baseline"
      >
        Compare
      </button>
      <button type="button" {...unit('changes')} onClick={() => openDialog({ kind: 'changes' })}>
        Changes{changed > 0 ? ` (${changed})` : ''}…
      </button>
      <button type="button" {...unit('export')} onClick={() => openDialog({ kind: 'export' })}>
        Export…
      </button>
      <button type="button" {...unit('share')} onClick={() => openDialog({ kind: 'share' })}>
        Share link…
      </button>
      <button type="button" {...unit('reset')} onClick={() => openDialog({ kind: 'reset' })}>
        Reset to demo…
      </button>
      {notice && (
        <span className="workspace-notice toast" role="status">
          {notice}{' '}
          <button
            type="button"
            className="link"
            onClick={() => setNotice(undefined)}
            aria-label="Dismiss the message"
          >
            ✕
          </button>
        </span>
      )}
    </div>
  );
}
