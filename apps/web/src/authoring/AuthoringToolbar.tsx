import { useMemo } from 'react';
import { useStore } from '../store/store.ts';
import { changedFiles } from './baselineChanges.ts';

const SAVE_TEXT = {
  idle: '',
  saving: 'Saving…',
  saved: 'Saved in this browser',
  failed: 'Not saved: this browser refused storage',
} as const;

/** Drawing, comparing, exporting and sharing: the authoring half of the top bar. */
export function AuthoringToolbar() {
  const drawing = useStore((s) => s.authoring.drawing);
  const compare = useStore((s) => s.authoring.compare);
  const saveStatus = useStore((s) => s.authoring.saveStatus);
  const notice = useStore((s) => s.authoring.notice);
  const files = useStore((s) => s.documents.files);
  const baseline = useStore((s) => s.authoring.baseline);
  const setDrawing = useStore((s) => s.setDrawing);
  const setCompare = useStore((s) => s.setCompare);
  const openDialog = useStore((s) => s.openDialog);
  const setNotice = useStore((s) => s.setNotice);
  const changed = useMemo(() => changedFiles(files, baseline).length, [files, baseline]);
  return (
    <div role="toolbar" aria-label="Authoring" className="button-group authoring-toolbar">
      <button
        type="button"
        aria-pressed={drawing}
        className={drawing ? 'toggled' : ''}
        onClick={() => setDrawing(!drawing)}
        title="Drag from one node's handle to another's to allow a connection"
      >
        ✎ Draw connection
      </button>
      <button type="button" onClick={() => openDialog({ kind: 'connect', src: undefined, dst: undefined })}>
        Connect…
      </button>
      <button type="button" onClick={() => openDialog({ kind: 'range' })}>
        Add address range…
      </button>
      <button
        type="button"
        aria-pressed={compare}
        className={compare ? 'toggled' : ''}
        onClick={() => setCompare(!compare)}
        title="Mark added and removed connections against the baseline"
      >
        Compare
      </button>
      <button type="button" onClick={() => openDialog({ kind: 'changes' })}>
        Changes{changed > 0 ? ` (${changed})` : ''}…
      </button>
      <button type="button" onClick={() => openDialog({ kind: 'export' })}>
        Export…
      </button>
      <button type="button" onClick={() => openDialog({ kind: 'share' })}>
        Share link…
      </button>
      <button type="button" onClick={() => openDialog({ kind: 'reset' })}>
        Reset to demo…
      </button>
      <output className={`notice save-${saveStatus}`} data-testid="workspace.save" aria-live="polite">
        {SAVE_TEXT[saveStatus]}
      </output>
      {notice && (
        <span className="workspace-notice" role="status">
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
