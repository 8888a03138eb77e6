import { draftRangeId } from '../model/index.ts';
import { EMPTY_HISTORY, restoredHistory, withHistory } from './history.ts';
import { SAMPLES } from './samples.ts';
import type { SliceContext } from './slice.ts';
import type { DocumentActions } from './types.ts';

/** The documents slice: the files (the source of truth) and their undo history. */
export function documentsSlice({ set, get, now, newId }: SliceContext): DocumentActions {
  return {
    loadSample(id) {
      const sample = SAMPLES.find((s) => s.id === id);
      if (!sample) return;
      set((state) => ({
        ...withHistory(state, sample.files, now()),
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
          ...(options?.history === false ? {} : withHistory(state, files, now())),
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
        const activeFileId =
          state.documents.activeFileId === id ? files[0]?.id : state.documents.activeFileId;
        return {
          ...(options?.history === false ? {} : withHistory(state, files, now())),
          documents: { ...state.documents, files, activeFileId },
        };
      });
    },

    editFile(id, text) {
      set((state) => {
        const files = state.documents.files.map((f) => (f.id === id ? { ...f, text } : f));
        return { ...withHistory(state, files, now(), id), documents: { ...state.documents, files } };
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
      set({
        documents: { ...documents, files: previous },
        history: {
          past: history.past.slice(0, -1),
          future: [documents.files, ...history.future],
          lastEdit: undefined,
        },
      });
    },

    redo() {
      const { history, documents } = get();
      const next = history.future[0];
      if (!next) return;
      set({
        documents: { ...documents, files: next },
        history: {
          past: [...history.past, documents.files],
          future: history.future.slice(1),
          lastEdit: undefined,
        },
      });
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
          ...withHistory(state, files, now()),
          documents: { ...state.documents, files, activeFileId: active },
          // An accepted change ends the drawing: left on, the next click on a handle starts another.
          authoring: { ...state.authoring, drawing: false },
        };
      });
    },

    restoreWorkspace(workspace) {
      const files = workspace.files.map((f) => ({ id: f.id ?? newId(f.path), path: f.path, text: f.text }));
      const active = files.some((f) => f.id === workspace.activeFileId)
        ? workspace.activeFileId
        : files[0]?.id;
      set((state) => ({
        documents: { files, activeFileId: active, sampleId: workspace.sampleId },
        // A restored step is never coalesced with the next edit: it was a separate step when saved.
        history: workspace.history ? restoredHistory(workspace.history) : EMPTY_HISTORY,
        authoring: {
          ...state.authoring,
          baseline: workspace.baseline.map((f, i) => ({ id: `baseline#${i}`, path: f.path, text: f.text })),
          // The id is rebuilt from the range: a stored or shared one is only text.
          ranges: (workspace.ranges ?? []).map((r) => ({ ...r, id: draftRangeId(r.cidr, r.except) })),
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
  };
}
