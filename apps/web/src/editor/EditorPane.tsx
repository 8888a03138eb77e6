import './editor.css';
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import {
  openFileAction,
  removeFileAction,
  revealedAction,
  selectActiveFileId,
  selectFiles,
  selectMarkers,
  selectReveal,
  useDerived,
  useStore,
} from '../store/index.ts';
import { usePrefersDark } from '../ui/index.ts';
import { applyMarkers, saveViewState, showFile, syncModels } from './models.ts';
import { monaco } from './monacoSetup.ts';

type Editor = monaco.editor.IStandaloneCodeEditor;

const PANEL_ID = 'editor-tabpanel';

function tabId(index: number): string {
  return `editor-tab-${index}`;
}

/** The YAML editor: one tab and one Monaco model per document, analysis problems as markers. */
export function EditorPane() {
  const files = useStore(selectFiles);
  const activeFileId = useStore(selectActiveFileId);
  const reveal = useStore(selectReveal);
  const revealed = useStore(revealedAction);
  const openFile = useStore(openFileAction);
  const removeFile = useStore(removeFileAction);
  const markers = useDerived(useShallow(selectMarkers));
  const host = useRef<HTMLDivElement>(null);
  const tabs = useRef(new Map<string, HTMLButtonElement>());
  const [editor, setEditor] = useState<Editor>();

  // The store may briefly point at no file (or a removed one); show the first then.
  const activeIndex = Math.max(
    0,
    files.findIndex((f) => f.id === activeFileId),
  );
  const active = files[activeIndex];

  // Declared first so models exist before the effects below show or reveal them.
  useEffect(() => syncModels(files), [files]);

  // Problems computed from older text would land on the wrong lines; markers already shown move
  // with the edits, so keep them until the analysis has caught up with the documents.
  useEffect(() => {
    if (markers.files === files || markers.files === undefined) applyMarkers(markers.problems);
  }, [markers, files]);

  useEffect(() => {
    if (!host.current) return;
    const instance = monaco.editor.create(host.current, {
      model: null,
      automaticLayout: true,
      minimap: { enabled: false },
      tabSize: 2,
      insertSpaces: true,
      scrollBeyondLastLine: false,
      fontSize: 13,
      wordWrap: 'off',
      theme: 'vs',
      ariaLabel: 'Editor',
      // Hovers and suggestions would be clipped by the narrow side panel otherwise.
      fixedOverflowWidgets: true,
    });
    setEditor(instance);
    return () => {
      saveViewState(instance);
      instance.dispose();
    };
  }, []);

  // Monaco's theme is global to the page: follow the OS colour scheme, as the rest of the app does.
  const dark = usePrefersDark();
  useEffect(() => monaco.editor.setTheme(dark ? 'vs-dark' : 'vs'), [dark]);

  useEffect(() => {
    if (editor) showFile(editor, active?.id);
  }, [editor, active]);

  useEffect(() => {
    // A reveal is done once shown (`revealed`): a remount of the pane must not jump back to it.
    if (!editor || !reveal) return;
    const file = files.find((f) => f.path === reveal.file);
    if (!file) return;
    revealed(reveal.nonce);
    if (file.id !== active?.id) openFile(file.id);
    showFile(editor, file.id);
    editor.setSelection(new monaco.Range(reveal.line, reveal.column, reveal.endLine, reveal.endColumn));
    editor.revealLineInCenter(reveal.line);
    editor.focus();
  }, [editor, reveal, files, active, openFile, revealed]);

  /** Closes a document; closing the shown one shows its neighbour rather than jumping to the first. */
  function close(index: number, moveFocus: boolean): void {
    const file = files[index];
    if (!file) return;
    const neighbour = files[index + 1] ?? files[index - 1];
    removeFile(file.id);
    if (neighbour && file.id === active?.id) openFile(neighbour.id);
    if (moveFocus && neighbour) tabs.current.get(neighbour.id)?.focus();
  }

  // The tab pattern: arrows move between tabs (and show them), Delete closes the focused one.
  function onTabKeyDown(event: KeyboardEvent<HTMLButtonElement>, index: number): void {
    const last = files.length - 1;
    const next: Partial<Record<string, number>> = {
      ArrowRight: index === last ? 0 : index + 1,
      ArrowLeft: index === 0 ? last : index - 1,
      Home: 0,
      End: last,
    };
    if (event.key === 'Delete') {
      event.preventDefault();
      close(index, true);
      return;
    }
    const target = files[next[event.key] ?? -1];
    if (!target) return;
    event.preventDefault();
    openFile(target.id);
    tabs.current.get(target.id)?.focus();
  }

  return (
    <section aria-label="YAML editor" data-testid="editor" className="editor-pane">
      <div role="tablist" aria-label="Open documents" className="editor-tabs">
        {files.map((file, index) => {
          const selected = index === activeIndex;
          return (
            <div key={file.id} role="presentation" className={selected ? 'editor-tab active' : 'editor-tab'}>
              <button
                ref={(el) => {
                  if (el) tabs.current.set(file.id, el);
                  else tabs.current.delete(file.id);
                }}
                type="button"
                role="tab"
                id={tabId(index)}
                aria-selected={selected}
                aria-controls={PANEL_ID}
                aria-keyshortcuts="Delete"
                tabIndex={selected ? 0 : -1}
                title={file.path}
                data-testid={`editor.tab.${file.path}`}
                onClick={() => openFile(file.id)}
                onKeyDown={(event) => onTabKeyDown(event, index)}
              >
                {file.path}
              </button>
              {/* Out of the tab order (Delete on the tab does the same), so Tab goes tabs → editor. */}
              <button
                type="button"
                className="editor-tab-close"
                aria-label={`Close ${file.path}`}
                title={`Close ${file.path}`}
                tabIndex={-1}
                onClick={() => close(index, false)}
              >
                ×
              </button>
            </div>
          );
        })}
      </div>
      <div
        role="tabpanel"
        id={PANEL_ID}
        aria-labelledby={active ? tabId(activeIndex) : undefined}
        aria-label={active ? undefined : 'No documents'}
        className="editor-surface"
      >
        <div ref={host} className="editor-host" />
        {files.length === 0 && (
          <p className="editor-empty">No documents yet: load a sample, import files or paste YAML.</p>
        )}
      </div>
    </section>
  );
}
