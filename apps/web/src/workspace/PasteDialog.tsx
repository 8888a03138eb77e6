import { useEffect, useRef, useState } from 'react';
import { loadFilesAction, selectFiles, useStore } from '../store/index.ts';

/** The first `pasted-N.yaml` not in the workspace: a counter would restart after a reload and overwrite. */
function freePasteName(paths: readonly string[]): string {
  const taken = new Set(paths);
  for (let n = 1; ; n++) if (!taken.has(`pasted-${n}.yaml`)) return `pasted-${n}.yaml`;
}

/** A modal to paste one or more YAML/JSON documents as a new file of the workspace. */
export function PasteDialog({ onClose }: { onClose: () => void }) {
  const loadFiles = useStore(loadFilesAction);
  const files = useStore(selectFiles);
  const dialog = useRef<HTMLDialogElement>(null);
  const [text, setText] = useState('');
  const [replace, setReplace] = useState(false);

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="paste-title" onClose={onClose}>
      <form
        method="dialog"
        onSubmit={() => {
          if (text.trim() === '') return;
          loadFiles([{ path: freePasteName(replace ? [] : files.map((f) => f.path)), text }], { replace });
        }}
      >
        <h2 id="paste-title">Paste manifests</h2>
        <label className="stacked">
          <span>YAML or JSON (several documents separated by ---)</span>
          <textarea
            aria-label="Manifests to paste"
            value={text}
            onChange={(e) => setText(e.target.value)}
            rows={18}
            cols={80}
            spellCheck={false}
          />
        </label>
        <label className="inline">
          <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} />
          Replace the current workspace
        </label>
        <div className="dialog-actions">
          <button type="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={text.trim() === ''}>
            Add to workspace
          </button>
        </div>
      </form>
    </dialog>
  );
}
