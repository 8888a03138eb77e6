import type { FileEdit } from '@netpol-atlas/authoring';
import type { ClusterNetworks, CniProfile } from '@netpol-atlas/evaluator';
import type { GraphFilters } from '../graph/index.ts';
import type {
  AnyPolicyId,
  DocumentFile,
  DraftRange,
  EdgeId,
  NodeId,
  PolicyId,
  PresetKind,
  PresetTargetRef,
  Protocol,
  SourceRef,
} from '../model/index.ts';
import type { PanelLayout, PanelName } from './panels.ts';

/** The undo/redo steps, and the last typed edit (so the next one in the same file can join it). */
export interface History {
  past: DocumentFile[][];
  future: DocumentFile[][];
  /** Which file was typed in last, and when (by the store's clock); cleared by undo, redo and restore. */
  lastEdit: { fileId: string; at: number } | undefined;
}

/** What the user picked on the graph or in a list, by typed id (model/ids.ts). */
export type Selection =
  | { kind: 'node'; id: NodeId }
  | { kind: 'edge'; id: EdgeId; source: NodeId; target: NodeId }
  | { kind: 'policy'; id: AnyPolicyId }
  | undefined;

export type SidePanel = 'details' | 'editor' | 'problems' | 'findings';

/** What the main area shows: the graph, or its textual twins (connections table, namespace matrix). */
export type MainView = 'graph' | 'connections' | 'matrix';

/** The state: the documents are the source of truth, everything else is the view on them. */
export interface State {
  documents: { files: DocumentFile[]; activeFileId: string | undefined; sampleId: string | undefined };
  view: {
    selection: Selection;
    filters: GraphFilters;
    search: string;
    collapsed: string[];
    /** Set when new documents are loaded: the next analysis decides the initial collapsing. */
    autoCollapse: boolean;
    panel: SidePanel;
    main: MainView;
    /** A place in a document to show in the editor, set by problems and explanations. */
    reveal: (SourceRef & { nonce: number }) | undefined;
    query: { src: string; dst: string; protocol: Protocol; port: string };
    cni: CniProfile;
    /** The cluster's pod, Service and node CIDRs the review checks ipBlocks against (`--pod-cidr`...). */
    networks: ClusterNetworks;
    /**
     * Bumped when a new workspace opens (or the user asks for a fresh layout): within one epoch
     * the graph keeps every node where it was and the viewport where the user left it.
     */
    layoutEpoch: number;
    /** Which side panels are shown and how wide: remembered by the browser (store/panels.ts). */
    panels: PanelLayout;
  };
  history: History;
  authoring: AuthoringState;
}

/** A workspace restored from the browser's storage or a share link. */
export interface RestoredWorkspace {
  files: { id?: string; path: string; text: string }[];
  activeFileId?: string | undefined;
  sampleId?: string | undefined;
  baseline: { path: string; text: string }[];
  ranges?: DraftRange[];
  /** Undo/redo steps saved with the workspace; none when absent. */
  history?: { past: DocumentFile[][]; future: DocumentFile[][] } | undefined;
}

/** The documents slice's actions (store/documentsSlice.ts). */
export interface DocumentActions {
  loadSample(id: string): void;
  /** Adds files (same path replaces); `replace` starts a new workspace. */
  /** `history: false` for changes the user did not make (a live cluster's watch events): not undo steps. */
  loadFiles(
    files: { path: string; text: string }[],
    options?: { replace?: boolean; history?: boolean },
  ): void;
  removeFile(id: string, options?: { history?: boolean }): void;
  editFile(id: string, text: string): void;
  openFile(id: string): void;
  undo(): void;
  redo(): void;
  /** Applies a planned or form edit to the documents as one undoable step. */
  applyEdits(edits: readonly FileEdit[]): void;
  /** Replaces the workspace (no undo back to what the page opened with). */
  restoreWorkspace(workspace: RestoredWorkspace): void;
  /** Back to the demo, as on a first visit (undoable; the saved workspace is dropped by the caller). */
  resetWorkspace(): void;
}

/** The view slice's actions (store/viewSlice.ts). */
export interface ViewActions {
  /**
   * Selecting a connection also shows the Details tab, where it is explained. Typed ids only: a
   * view holding ids as plain text reads them with `nodeSelection`, `edgeSelection` or
   * `policySelection` (store/readIds.ts).
   */
  select(selection: Selection): void;
  setFilters(filters: Partial<GraphFilters>): void;
  setSearch(search: string): void;
  toggleCollapsed(namespace: string): void;
  setCollapsed(namespaces: string[]): void;
  showPanel(panel: SidePanel): void;
  showView(main: MainView): void;
  reveal(source: SourceRef): void;
  /** The editor has shown the reveal numbered `nonce`: it is done, and a remount must not repeat it. */
  revealed(nonce: number): void;
  setQuery(query: Partial<State['view']['query']>): void;
  setCni(cni: CniProfile): void;
  setNetworks(networks: ClusterNetworks): void;
  /** Forgets where nodes were drawn: the next layout starts afresh and fits the view. */
  relayout(): void;
  /** Shows or hides a side panel. */
  setPanelOpen(panel: PanelName, open: boolean): void;
  /** Resizes a side panel (clamped to its limits). */
  setPanelWidth(panel: PanelName, width: number): void;
}

/** The authoring slice's actions (store/authoringSlice.ts). */
export interface AuthoringStateActions {
  /** Makes the current documents the baseline (after an export: what is now in git). */
  markBaseline(): void;
  setDrawing(drawing: boolean): void;
  setCompare(compare: boolean): void;
  /** Opens a dialog, by typed ids (a connection drawn as plain text: `connectDialog`, store/readIds.ts). */
  openDialog(dialog: AuthoringDialog): void;
  closeDialog(): void;
  addRange(range: DraftRange): void;
  removeRange(id: string): void;
  setNotice(notice: string | undefined): void;
  setSaveStatus(status: SaveStatus): void;
}

export type Actions = DocumentActions & ViewActions & AuthoringStateActions;

export type Store = State & Actions;

/** The authoring dialog that is open, with what it was opened on. Typed node ids throughout. */
export type AuthoringDialog =
  | { kind: 'connect'; src: NodeId | undefined; dst: NodeId | undefined }
  | { kind: 'remove'; src: NodeId; dst: NodeId }
  | { kind: 'cluster-deny'; src: NodeId; dst: NodeId }
  | { kind: 'preset'; preset: PresetKind; target: PresetTargetRef }
  | { kind: 'tighten'; target: PresetTargetRef }
  | { kind: 'policy'; id: PolicyId }
  | { kind: 'range' }
  | { kind: 'export' }
  | { kind: 'share' }
  | { kind: 'changes' }
  | { kind: 'reset' };

/** Whether the workspace is safely stored in the browser. */
export type SaveStatus = 'idle' | 'saving' | 'saved' | 'failed';

/** Authoring state: what the documents are compared with, drafts, modes and the open dialog. */
export interface AuthoringState {
  /** The documents as first loaded or last exported: what the diff view and "changed" compare with. */
  baseline: DocumentFile[];
  ranges: DraftRange[];
  /** Draw-connection mode: dragging from a node's handle to another node plans a new connection. */
  drawing: boolean;
  /** Mark added and removed connections on the graph, against the baseline. */
  compare: boolean;
  dialog: AuthoringDialog | undefined;
  /** A message for the user about the workspace as a whole (a share link that could not be read). */
  notice: string | undefined;
  saveStatus: SaveStatus;
}
