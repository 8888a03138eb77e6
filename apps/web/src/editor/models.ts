import type { DocumentFile, Problem } from '../model/index.ts';
import { useStore } from '../store/index.ts';
import { MARKER_OWNER, problemsToMarkers } from './markers.ts';
import { monaco } from './monacoSetup.ts';
import { minimalEdit, normalizeText } from './textSync.ts';

type Model = monaco.editor.ITextModel;
type ViewState = monaco.editor.ICodeEditorViewState;

interface Entry {
  model: Model;
  path: string;
  subscription: monaco.IDisposable;
  /** Scroll position, cursor and folding of this file, restored when its tab is shown again. */
  viewState: ViewState | null;
}

/**
 * One Monaco model per document, keyed by the store's file id. Module state rather than component
 * state on purpose: the side panel unmounts the editor whenever another panel is shown, and the
 * models (with their undo stacks) and view states must outlive that.
 */
const entries = new Map<string, Entry>();

/** The model URI for a document path; `Uri.file` escapes spaces, `#` and `?` that `parse` would misread. */
export function uriFor(path: string): monaco.Uri {
  return monaco.Uri.file(path.startsWith('/') ? path : `/${path}`);
}

function eolOf(model: Model): '\n' | '\r\n' {
  return model.getEOL() === '\r\n' ? '\r\n' : '\n';
}

/** True when the model already shows `text` (Monaco normalises line endings and drops a BOM). */
function shows(model: Model, text: string): boolean {
  const value = model.getValue();
  return value === text || value === normalizeText(text, eolOf(model));
}

function storeText(id: string): string | undefined {
  return useStore.getState().documents.files.find((f) => f.id === id)?.text;
}

function createEntry(file: DocumentFile): Entry {
  let uri = uriFor(file.path);
  // createModel throws on a URI in use. Two documents with one path get distinct URIs; a model
  // nobody owns any more (left by a hot reload) is simply replaced.
  if ([...entries.values()].some((e) => e.model.uri.toString() === uri.toString()))
    uri = uri.with({ fragment: file.id });
  monaco.editor.getModel(uri)?.dispose();
  const model = monaco.editor.createModel(file.text, 'yaml', uri);
  // YAML forbids tabs for indentation: Tab must insert spaces whatever the file looks like.
  model.updateOptions({ tabSize: 2, indentSize: 2, insertSpaces: true });
  const subscription = model.onDidChangeContent(() => {
    // Changes that only mirror the store (undo in the app, re-import) must not echo back into it,
    // or each would become a new history entry.
    const text = storeText(file.id);
    if (text === undefined || shows(model, text)) return;
    useStore.getState().editFile(file.id, model.getValue());
  });
  return { model, path: file.path, subscription, viewState: null };
}

function disposeEntry(id: string): void {
  const entry = entries.get(id);
  if (!entry) return;
  entry.subscription.dispose();
  entry.model.dispose();
  entries.delete(id);
}

/**
 * Makes the models match the documents: creates models for new files, disposes those of removed
 * files, and applies text that changed elsewhere as a minimal, undoable edit so the cursor stays
 * put and Monaco's own undo can still go back past it.
 */
export function syncModels(files: readonly DocumentFile[]): void {
  const ids = new Set(files.map((f) => f.id));
  for (const id of [...entries.keys()]) if (!ids.has(id)) disposeEntry(id);
  for (const file of files) {
    let entry = entries.get(file.id);
    if (entry && entry.path !== file.path) {
      disposeEntry(file.id);
      entry = undefined;
    }
    if (!entry) {
      entries.set(file.id, createEntry(file));
      continue;
    }
    const { model } = entry;
    if (shows(model, file.text)) continue;
    const edit = minimalEdit(model.getValue(), normalizeText(file.text, eolOf(model)));
    if (!edit) continue;
    const start = model.getPositionAt(edit.start);
    const end = model.getPositionAt(edit.end);
    const range = new monaco.Range(start.lineNumber, start.column, end.lineNumber, end.column);
    model.pushStackElement();
    model.pushEditOperations([], [{ range, text: edit.text, forceMoveMarkers: true }], () => null);
    model.pushStackElement();
  }
}

/** Shows the analysis problems of each document as markers on its model (replacing the previous ones). */
export function applyMarkers(problems: readonly Problem[]): void {
  for (const entry of entries.values()) {
    monaco.editor.setModelMarkers(entry.model, MARKER_OWNER, problemsToMarkers(problems, entry.path));
  }
}

/** Switches `editor` to the document `id`, keeping the view state of the one it leaves. */
export function showFile(editor: monaco.editor.IStandaloneCodeEditor, id: string | undefined): void {
  const current = editor.getModel();
  const next = id === undefined ? undefined : entries.get(id);
  if (next?.model === current && current !== null) return;
  saveViewState(editor);
  editor.setModel(next?.model ?? null);
  if (!next) return;
  if (next.viewState) editor.restoreViewState(next.viewState);
  editor.updateOptions({ ariaLabel: `Editor for ${next.path}` });
}

/** Remembers where the editor is in its current document (before switching or unmounting). */
export function saveViewState(editor: monaco.editor.IStandaloneCodeEditor): void {
  const current = editor.getModel();
  if (!current) return;
  for (const entry of entries.values()) {
    if (entry.model === current) entry.viewState = editor.saveViewState();
  }
}

// A hot reload of this module would orphan the old models under the same URIs.
if (import.meta.hot) {
  import.meta.hot.dispose(() => {
    for (const id of [...entries.keys()]) disposeEntry(id);
  });
}
