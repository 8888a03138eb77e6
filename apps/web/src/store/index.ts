// The public face of store/: other folders import from here, never from its files.
export { NONE, useDerived } from './derived.ts';
export type { PanelName } from './panels.ts';
export { PANEL_LIMITS, savePanels } from './panels.ts';
export { SAMPLES } from './samples.ts';
export {
  openDialogAction,
  relayoutAction,
  selectAction,
  selectAnalysisFiles,
  selectAnalysisModel,
  selectAnalysisStatus,
  selectCni,
  selectCollapsed,
  selectCompare,
  selectDrawing,
  selectFiles,
  selectFilters,
  selectLayout,
  selectLayoutEpoch,
  selectNetworks,
  selectRanges,
  selectSearch,
  selectSelection,
  setCollapsedAction,
  setCompareAction,
  setFiltersAction,
  showPanelAction,
  toggleCollapsedAction,
} from './selectors.ts';
export { useStore } from './store.ts';
export type { Actions, MainView, SaveStatus, Selection, SidePanel, State } from './types.ts';
