import type { Derived } from './derived.ts';
import type { Store } from './types.ts';

// Selectors at module level: one function per piece of state, shared by every component that
// reads it, instead of a new lambda on each render (per node and per edge on the graph).

export const openDialogAction = (s: Store) => s.openDialog;
export const relayoutAction = (s: Store) => s.relayout;
export const selectAction = (s: Store) => s.select;
export const selectAnalysisFiles = (d: Derived) => d.analysis.files;
export const selectAnalysisModel = (d: Derived) => d.analysis.model;
export const selectAnalysisStatus = (d: Derived) => d.analysis.status;
export const selectCni = (s: Store) => s.view.cni;
export const selectNetworks = (s: Store) => s.view.networks;
export const selectCollapsed = (s: Store) => s.view.collapsed;
export const selectCompare = (s: Store) => s.authoring.compare;
export const selectDrawing = (s: Store) => s.authoring.drawing;
export const selectFiles = (s: Store) => s.documents.files;
export const selectFilters = (s: Store) => s.view.filters;
export const selectLayout = (d: Derived) => d.layout;
export const selectLayoutEpoch = (s: Store) => s.view.layoutEpoch;
export const selectRanges = (s: Store) => s.authoring.ranges;
export const selectSearch = (s: Store) => s.view.search;
export const selectSelection = (s: Store) => s.view.selection;
export const setCollapsedAction = (s: Store) => s.setCollapsed;
export const setCompareAction = (s: Store) => s.setCompare;
export const setFiltersAction = (s: Store) => s.setFilters;
export const showPanelAction = (s: Store) => s.showPanel;
export const toggleCollapsedAction = (s: Store) => s.toggleCollapsed;
