import type { SliceContext } from './slice.ts';
import type { AuthoringStateActions } from './types.ts';

/** The authoring slice: the baseline, drafted ranges, modes and the open dialog. */
export function authoringSlice({ set }: SliceContext): AuthoringStateActions {
  return {
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
  };
}
