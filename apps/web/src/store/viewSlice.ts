import { clampPanelWidth } from './panels.ts';
import type { SliceContext } from './slice.ts';
import type { ViewActions } from './types.ts';

/** The view slice: what is selected, filtered, collapsed and shown; never the documents. */
export function viewSlice({ set }: SliceContext): ViewActions {
  return {
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
      set((state) => {
        const file = state.documents.files.find((f) => f.path === source.file);
        // The nonce tells the editor a repeated reveal of the same place is a new request.
        const nonce = (state.view.reveal?.nonce ?? 0) + 1;
        return {
          documents: { ...state.documents, activeFileId: file?.id ?? state.documents.activeFileId },
          view: { ...state.view, panel: 'editor', reveal: { ...source, nonce } },
        };
      });
    },

    revealed(nonce) {
      set((state) =>
        state.view.reveal?.nonce === nonce ? { view: { ...state.view, reveal: undefined } } : state,
      );
    },

    setQuery(query) {
      set((state) => ({ view: { ...state.view, query: { ...state.view.query, ...query } } }));
    },

    setCni(cni) {
      set((state) => ({ view: { ...state.view, cni } }));
    },

    setNetworks(networks) {
      set((state) => ({ view: { ...state.view, networks } }));
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
  };
}
