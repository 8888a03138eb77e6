import { useEffect, useRef, useState } from 'react';
import { loadFilesAction, useStore } from '../store/index.ts';
import { OVERFLOW_UNIT } from '../ui/index.ts';
import { readFileList } from './importFiles.ts';
import { PasteDialog } from './PasteDialog.tsx';

/** How long "Loaded N files" stays up. */
const NOTICE_MS = 6000;

/**
 * Open files, open a folder, or paste YAML. Imported files are added to the workspace. Buttons
 * in `overflowed` are in the toolbar's menu: mounted (the menu clicks them) but taking no room.
 */
export function ImportButtons({
  overflowed = new Set(),
  onFlowFiles,
}: {
  overflowed?: ReadonlySet<string>;
  /** Where picked flow files (told by content) go: the observed-traffic import. */
  onFlowFiles?: (files: File[]) => void;
}) {
  const unit = (id: string) => ({
    [OVERFLOW_UNIT]: id,
    className: overflowed.has(id) ? 'overflowed' : undefined,
  });
  const loadFiles = useStore(loadFilesAction);
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const [pasting, setPasting] = useState(false);
  const [notice, setNotice] = useState('');
  // The notice floats over the side panel's tabs: it goes away by itself (it says nothing the
  // status bar and the graph don't show) and never takes a click (see `.toolbar .notice`).
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(''), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [notice]);

  const onPicked = async (list: FileList | null, replace: boolean) => {
    if (!list || list.length === 0) return;
    const { files, skipped, flowFiles } = await readFileList(list);
    if (files.length > 0) loadFiles(files, { replace });
    if (flowFiles.length > 0) onFlowFiles?.(flowFiles);
    if (files.length === 0 && flowFiles.length > 0) return;
    setNotice(
      files.length === 0
        ? 'No .yaml, .yml or .json files found'
        : `Loaded ${files.length} file${files.length === 1 ? '' : 's'}${skipped.length > 0 ? `, skipped ${skipped.length} other` : ''}`,
    );
  };

  return (
    <div className="button-group">
      <button type="button" {...unit('open-files')} onClick={() => filesInput.current?.click()}>
        Open files…
      </button>
      <button type="button" {...unit('open-folder')} onClick={() => folderInput.current?.click()}>
        Open folder…
      </button>
      <button type="button" {...unit('paste')} onClick={() => setPasting(true)}>
        Paste YAML…
      </button>
      <input
        ref={filesInput}
        type="file"
        multiple
        accept=".yaml,.yml,.json"
        hidden
        data-testid="import.files"
        onChange={(e) => {
          void onPicked(e.target.files, true);
          e.target.value = '';
        }}
      />
      <input
        ref={folderInput}
        type="file"
        hidden
        data-testid="import.folder"
        {...{ webkitdirectory: '', directory: '' }}
        onChange={(e) => {
          void onPicked(e.target.files, true);
          e.target.value = '';
        }}
      />
      {notice && (
        <output className="notice" aria-live="polite">
          {notice}
        </output>
      )}
      {pasting && <PasteDialog onClose={() => setPasting(false)} />}
    </div>
  );
}
