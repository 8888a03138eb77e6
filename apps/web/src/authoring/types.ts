import type { DocumentFile } from '../model/types.ts';

/** An address range the user added to draw connections to or from, before any policy names it. */
export interface DraftRange {
  /** The graph node id: `range:<cidr>` plus ` except <cidr>,…` when it has holes. */
  id: string;
  cidr: string;
  except: string[];
}

/** The three presets a namespace or workload offers. */
export type PresetKind = 'deny-ingress' | 'deny-egress-keep-dns' | 'allow-within-namespace';

/** What a preset applies to. */
export type PresetTargetRef = { kind: 'namespace'; name: string } | { kind: 'workload'; id: string };

/** The authoring dialog that is open, with what it was opened on. Graph ids throughout. */
export type AuthoringDialog =
  | { kind: 'connect'; src: string | undefined; dst: string | undefined }
  | { kind: 'remove'; src: string; dst: string }
  | { kind: 'preset'; preset: PresetKind; target: PresetTargetRef }
  | { kind: 'policy'; id: string }
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
