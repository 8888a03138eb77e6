import { create } from 'zustand';
import type { DocumentFile } from '../model/index.ts';
import { initialState } from './initialState.ts';
import { clampPanelWidth } from './panels.ts';
import { SAMPLES } from './samples.ts';
import type { State, Store } from './types.ts';

const HISTORY_LIMIT = 200;
let nonce = 0;
let idCounter = 0;

function newId(path: string): string {
  idCounter += 1;
  return `${path}#${idCounter}`;
}

/** The file the last edit changed, and when: a burst of typing in one file undoes as one step. */
let lastEdited: string | undefined;
let lastEditAt = 0;
const COALESCE_MS = 1000;

/** Records the current documents for undo, then applies `files`. */
function withHistory(
  state: State,
  files: DocumentFile[],
  editedFile?: string,
): Pick<State, 'documents' | 'history'> {
  const now = Date.now();
  const coalesce =
    editedFile !== undefined &&
    editedFile === lastEdited &&
    now - lastEditAt < COALESCE_MS &&
    state.history.past.length > 0;
  lastEdited = editedFile;
  lastEditAt = now;
  return {
    documents: { ...state.documents, files },
    history: {
      past: coalesce
        ? state.history.past
        : [...state.history.past, state.documents.files].slice(-HISTORY_LIMIT),
      future: [],
    },
  };
}

/** The one application store. Components call actions; they never call `set` themselves. */
export const useStore = create<Store>()((set, get) => ({
  ...initialState(),

  loadSample(id) {
    const sample = SAMPLES.find((s) => s.id === id);
    if (!sample) return;
    set((state) => ({
      ...withHistory(state, sample.files),
      documents: { files: sample.files, activeFileId: sample.files[0]?.id, sampleId: id },
      authoring: { ...state.authoring, baseline: sample.files, ranges: [] },
      view: {
        ...state.view,
        selection: undefined,
        collapsed: [],
        autoCollapse: true,
        filters: { ...state.view.filters, focus: undefined },
        layoutEpoch: state.view.layoutEpoch + 1,
      },
    }));
  },

  loadFiles(incoming, options) {
    if (incoming.length === 0) return;
    set((state) => {
      const base = options?.replace ? [] : state.documents.files;
      const files = [...base];
      for (const file of incoming) {
        const at = files.findIndex((f) => f.path === file.path);
        const doc = { id: at >= 0 ? files[at]!.id : newId(file.path), path: file.path, text: file.text };
        if (at >= 0) files[at] = doc;
        else files.push(doc);
      }
      const active = files.find((f) => f.path === incoming[0]!.path)?.id;
      // Loaded files are what the user starts from, not changes they made: they join the baseline.
      const loaded = new Map(incoming.map((f) => [f.path, f.text]));
      const baseline = [
        ...(options?.replace ? [] : state.authoring.baseline.filter((f) => !loaded.has(f.path))),
        ...files.filter((f) => loaded.has(f.path)),
      ];
      return {
        authoring: { ...state.authoring, baseline, ranges: options?.replace ? [] : state.authoring.ranges },
        ...(options?.history === false ? {} : withHistory(state, files)),
        documents: {
          files,
          activeFileId: active,
          sampleId: options?.replace ? undefined : state.documents.sampleId,
        },
        // A new workspace decides its initial collapsing once analysed; added files keep the view.
        view: {
          ...state.view,
          selection: undefined,
          autoCollapse: options?.replace === true,
          layoutEpoch: state.view.layoutEpoch + (options?.replace ? 1 : 0),
        },
      };
    });
  },

  removeFile(id, options) {
    set((state) => {
      const files = state.documents.files.filter((f) => f.id !== id);
      const activeFileId = state.documents.activeFileId === id ? files[0]?.id : state.documents.activeFileId;
      return {
        ...(options?.history === false ? {} : withHistory(state, files)),
        documents: { ...state.documents, files, activeFileId },
      };
    });
  },

  editFile(id, text) {
    set((state) => {
      const files = state.documents.files.map((f) => (f.id === id ? { ...f, text } : f));
      return { ...withHistory(state, files, id), documents: { ...state.documents, files } };
    });
  },

  openFile(id) {
    set((state) => ({
      documents: { ...state.documents, activeFileId: id },
      view: { ...state.view, panel: 'editor' },
    }));
  },

  undo() {
    const { history, documents } = get();
    const previous = history.past.at(-1);
    if (!previous) return;
    lastEdited = undefined;
    set({
      documents: { ...documents, files: previous },
      history: { past: history.past.slice(0, -1), future: [documents.files, ...history.future] },
    });
  },

  redo() {
    const { history, documents } = get();
    const next = history.future[0];
    if (!next) return;
    lastEdited = undefined;
    set({
      documents: { ...documents, files: next },
      history: { past: [...history.past, documents.files], future: history.future.slice(1) },
    });
  },

  select(selection) {
    // A selected connection is explained in Details: another tab (the YAML) would hide the answer.
    set((state) => ({
      view: { ...state.view, selection, panel: selection?.kind === 'edge' ? 'details' : state.view.panel },
    }));
  },

  setFilters(filters) {
    set((state) => ({ view: { ...state.view, filters: { ...state.view.filters, ...filters } } }));
  },

  setSearch(search) {
    set((state) => ({ view: { ...state.view, search } }));
  },

  toggleCollapsed(namespace) {
    set((state) => {
      const collapsed = state.view.collapsed.includes(namespace)
        ? state.view.collapsed.filter((n) => n !== namespace)
        : [...state.view.collapsed, namespace];
      return { view: { ...state.view, collapsed, autoCollapse: false } };
    });
  },

  setCollapsed(collapsed) {
    set((state) => ({ view: { ...state.view, collapsed, autoCollapse: false } }));
  },

  showPanel(panel) {
    set((state) => ({ view: { ...state.view, panel } }));
  },

  showView(main) {
    set((state) => ({ view: { ...state.view, main } }));
  },

  reveal(source) {
    nonce += 1;
    set((state) => {
      const file = state.documents.files.find((f) => f.path === source.file);
      return {
        documents: { ...state.documents, activeFileId: file?.id ?? state.documents.activeFileId },
        view: { ...state.view, panel: 'editor', reveal: { ...source, nonce } },
      };
    });
  },

  setQuery(query) {
    set((state) => ({ view: { ...state.view, query: { ...state.view.query, ...query } } }));
  },

  setCni(cni) {
    set((state) => ({ view: { ...state.view, cni } }));
  },

  relayout() {
    set((state) => ({ view: { ...state.view, layoutEpoch: state.view.layoutEpoch + 1 } }));
  },

  setPanelOpen(panel, open) {
    set((state) => ({
      view: {
        ...state.view,
        panels: { ...state.view.panels, [panel]: { ...state.view.panels[panel], open } },
      },
    }));
  },

  setPanelWidth(panel, width) {
    set((state) => ({
      view: {
        ...state.view,
        panels: {
          ...state.view.panels,
          [panel]: { ...state.view.panels[panel], width: clampPanelWidth(panel, width) },
        },
      },
    }));
  },

  applyEdits(edits) {
    if (edits.length === 0) return;
    set((state) => {
      const files = [...state.documents.files];
      for (const edit of edits) {
        const at = files.findIndex((f) => f.path === edit.path);
        if (at >= 0) files[at] = { ...files[at]!, text: edit.after };
        else files.push({ id: newId(edit.path), path: edit.path, text: edit.after });
      }
      const active = files.find((f) => f.path === edits[0]!.path)?.id ?? state.documents.activeFileId;
      return {
        ...withHistory(state, files),
        documents: { ...state.documents, files, activeFileId: active },
        // An accepted change ends the drawing: left on, the next click on a handle starts another.
        authoring: { ...state.authoring, drawing: false },
      };
    });
  },

  restoreWorkspace(workspace) {
    // A restored step is never coalesced with the next edit: it was a separate step when saved.
    lastEdited = undefined;
    const files = workspace.files.map((f) => ({ id: f.id ?? newId(f.path), path: f.path, text: f.text }));
    const active = files.some((f) => f.id === workspace.activeFileId) ? workspace.activeFileId : files[0]?.id;
    set((state) => ({
      documents: { files, activeFileId: active, sampleId: workspace.sampleId },
      history: {
        past: (workspace.history?.past ?? []).slice(-HISTORY_LIMIT),
        future: (workspace.history?.future ?? []).slice(0, HISTORY_LIMIT),
      },
      authoring: {
        ...state.authoring,
        baseline: workspace.baseline.map((f, i) => ({ id: `baseline#${i}`, path: f.path, text: f.text })),
        ranges: workspace.ranges ?? [],
      },
      view: {
        ...state.view,
        selection: undefined,
        autoCollapse: true,
        layoutEpoch: state.view.layoutEpoch + 1,
      },
    }));
  },

  resetWorkspace() {
    get().loadSample(SAMPLES[0]!.id);
    set((state) => ({
      authoring: { ...state.authoring, compare: false, drawing: false, notice: undefined },
    }));
  },

  markBaseline() {
    set((state) => ({ authoring: { ...state.authoring, baseline: state.documents.files } }));
  },

  setDrawing(drawing) {
    set((state) => ({ authoring: { ...state.authoring, drawing } }));
  },

  setCompare(compare) {
    set((state) => ({ authoring: { ...state.authoring, compare } }));
  },

  openDialog(dialog) {
    set((state) => ({ authoring: { ...state.authoring, dialog } }));
  },

  closeDialog() {
    set((state) => ({ authoring: { ...state.authoring, dialog: undefined } }));
  },

  addRange(range) {
    set((state) => ({
      authoring: {
        ...state.authoring,
        ranges: [...state.authoring.ranges.filter((r) => r.id !== range.id), range],
      },
    }));
  },

  removeRange(id) {
    set((state) => ({
      authoring: { ...state.authoring, ranges: state.authoring.ranges.filter((r) => r.id !== id) },
      view: {
        ...state.view,
        selection:
          state.view.selection?.kind === 'node' && state.view.selection.id === id
            ? undefined
            : state.view.selection,
      },
    }));
  },

  setNotice(notice) {
    set((state) => ({ authoring: { ...state.authoring, notice } }));
  },

  setSaveStatus(saveStatus) {
    set((state) => ({ authoring: { ...state.authoring, saveStatus } }));
  },
}));
