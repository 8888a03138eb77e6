import type { CniProfile } from '@netpol-atlas/evaluator';
import type { GraphFilters } from '../model/filterGraph.ts';
import type { DocumentFile, Protocol, SourceRef } from '../model/types.ts';

/** What the user picked on the graph or in a list. */
export type Selection =
  | { kind: 'node'; id: string }
  | { kind: 'edge'; id: string; source: string; target: string }
  | { kind: 'policy'; id: string }
  | undefined;

export type SidePanel = 'details' | 'editor' | 'problems' | 'findings';

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
    /** A place in a document to show in the editor, set by problems and explanations. */
    reveal: (SourceRef & { nonce: number }) | undefined;
    query: { src: string; dst: string; protocol: Protocol; port: string };
    cni: CniProfile;
  };
  history: { past: DocumentFile[][]; future: DocumentFile[][] };
}

export interface Actions {
  loadSample(id: string): void;
  /** Adds files (same path replaces); `replace` starts a new workspace. */
  loadFiles(files: { path: string; text: string }[], options?: { replace?: boolean }): void;
  removeFile(id: string): void;
  editFile(id: string, text: string): void;
  openFile(id: string): void;
  undo(): void;
  redo(): void;
  select(selection: Selection): void;
  setFilters(filters: Partial<GraphFilters>): void;
  setSearch(search: string): void;
  toggleCollapsed(namespace: string): void;
  setCollapsed(namespaces: string[]): void;
  showPanel(panel: SidePanel): void;
  reveal(source: SourceRef): void;
  setQuery(query: Partial<State['view']['query']>): void;
  setCni(cni: CniProfile): void;
}

export type Store = State & Actions;
