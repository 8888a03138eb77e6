import { edgeById } from '../model/index.ts';
import { type Derived, NONE } from './derived.ts';
import type { PanelName } from './panels.ts';
import type { Store } from './types.ts';

// Selectors at module level: one function per piece of state, shared by every component that
// reads it, instead of a new lambda on each render (per node and per edge on the graph). A
// selector that builds an object is used through `useShallow`, so a component re-renders only
// when one of the object's fields changes, not on every store change.

// Documents and their history.
export const selectFiles = (s: Store) => s.documents.files;
export const selectActiveFileId = (s: Store) => s.documents.activeFileId;
export const selectSampleId = (s: Store) => s.documents.sampleId;
export const selectCanUndo = (s: Store) => s.history.past.length > 0;
export const selectCanRedo = (s: Store) => s.history.future.length > 0;
/** Undo and redo together (through `useShallow`): the keyboard shortcuts and the toolbar use both. */
export const selectHistoryActions = (s: Store) => ({ undo: s.undo, redo: s.redo });
export const loadSampleAction = (s: Store) => s.loadSample;
export const loadFilesAction = (s: Store) => s.loadFiles;
export const removeFileAction = (s: Store) => s.removeFile;
export const openFileAction = (s: Store) => s.openFile;
export const applyEditsAction = (s: Store) => s.applyEdits;
export const resetWorkspaceAction = (s: Store) => s.resetWorkspace;

// The view.
export const selectSelection = (s: Store) => s.view.selection;
export const selectFilters = (s: Store) => s.view.filters;
export const selectFocus = (s: Store) => s.view.filters.focus;
export const selectSearch = (s: Store) => s.view.search;
export const selectCollapsed = (s: Store) => s.view.collapsed;
export const selectSidePanel = (s: Store) => s.view.panel;
export const selectMainView = (s: Store) => s.view.main;
export const selectReveal = (s: Store) => s.view.reveal;
export const selectQuery = (s: Store) => s.view.query;
export const selectCni = (s: Store) => s.view.cni;
export const selectNetworks = (s: Store) => s.view.networks;
export const selectLayoutEpoch = (s: Store) => s.view.layoutEpoch;
/** The selector of one side panel's layout (open, width). */
export const selectPanelLayout = (panel: PanelName) => (s: Store) => s.view.panels[panel];
export const selectAction = (s: Store) => s.select;
export const setFiltersAction = (s: Store) => s.setFilters;
export const setSearchAction = (s: Store) => s.setSearch;
export const toggleCollapsedAction = (s: Store) => s.toggleCollapsed;
export const setCollapsedAction = (s: Store) => s.setCollapsed;
export const showPanelAction = (s: Store) => s.showPanel;
export const showViewAction = (s: Store) => s.showView;
export const revealAction = (s: Store) => s.reveal;
export const revealedAction = (s: Store) => s.revealed;
export const setQueryAction = (s: Store) => s.setQuery;
export const setCniAction = (s: Store) => s.setCni;
export const setNetworksAction = (s: Store) => s.setNetworks;
export const relayoutAction = (s: Store) => s.relayout;
export const setPanelOpenAction = (s: Store) => s.setPanelOpen;
export const setPanelWidthAction = (s: Store) => s.setPanelWidth;

// Authoring.
export const selectBaseline = (s: Store) => s.authoring.baseline;
export const selectRanges = (s: Store) => s.authoring.ranges;
/** The selector of one drafted address range by id. */
export const selectRange = (id: string) => (s: Store) => s.authoring.ranges.find((r) => r.id === id);
export const selectDrawing = (s: Store) => s.authoring.drawing;
export const selectCompare = (s: Store) => s.authoring.compare;
export const selectDialog = (s: Store) => s.authoring.dialog;
export const selectNotice = (s: Store) => s.authoring.notice;
export const selectSaveStatus = (s: Store) => s.authoring.saveStatus;
export const markBaselineAction = (s: Store) => s.markBaseline;
export const setDrawingAction = (s: Store) => s.setDrawing;
export const setCompareAction = (s: Store) => s.setCompare;
export const openDialogAction = (s: Store) => s.openDialog;
export const closeDialogAction = (s: Store) => s.closeDialog;
export const addRangeAction = (s: Store) => s.addRange;
export const removeRangeAction = (s: Store) => s.removeRange;
export const setNoticeAction = (s: Store) => s.setNotice;

// What the worker derived (`useDerived`). Lists fall back to the frozen `NONE`: a fresh `[]` per
// call would never compare equal and would re-render forever.
export const selectAnalysisFiles = (d: Derived) => d.analysis.files;
export const selectAnalysisModel = (d: Derived) => d.analysis.model;
export const selectAnalysisStatus = (d: Derived) => d.analysis.status;
export const selectProblems = (d: Derived) => d.analysis.problems;
/** Status, error, model and timing (through `useShallow`): what the status bar shows, not the problems. */
export const selectAnalysisSummary = (d: Derived) => ({
  status: d.analysis.status,
  error: d.analysis.error,
  model: d.analysis.model,
  ms: d.analysis.ms,
});
/** The problems and the documents they were computed from (through `useShallow`). */
export const selectMarkers = (d: Derived) => ({ files: d.analysis.files, problems: d.analysis.problems });
export const selectNodes = (d: Derived) => d.analysis.model?.nodes ?? NONE;
export const selectPolicies = (d: Derived) => d.analysis.model?.policies ?? NONE;
export const selectNamespaces = (d: Derived) => d.analysis.model?.namespaces ?? NONE;
/** Whether any cluster-wide (Admin or Baseline tier) policy is in the workspace. */
export const selectHasClusterPolicies = (d: Derived) =>
  d.analysis.model?.policies.some((p) => p.tier !== 'NetworkPolicy') ?? false;
/** The selector of one node by id. */
export const selectNode = (id: string) => (d: Derived) => d.analysis.model?.nodes.find((n) => n.id === id);
/**
 * The selector of one allowed connection by id. It builds that edge alone: a 10,000-workload
 * model has a million, which `model.edges` would build all at once.
 */
export const selectEdge = (id: string) => (d: Derived) => {
  const model = d.analysis.model;
  return model ? edgeById(model, id) : undefined;
};
/** The selector of one namespace by name. */
export const selectNamespace = (name: string) => (d: Derived) =>
  d.analysis.model?.namespaces.find((n) => n.name === name);
/** The selector of the file a policy is written in. */
export const selectPolicySourceFile = (id: string) => (d: Derived) =>
  d.analysis.model?.policies.find((p) => p.id === id)?.source?.file;
export const selectLayout = (d: Derived) => d.layout;
