import {
  type Analysis,
  type Cluster,
  type ClusterNetworks,
  type CniProfile,
  type ConnectivityDiff,
  diffAnalyses,
  type Explanation,
  type ExposureOptions,
  type ExposureReport,
  explainConnection,
  exposure,
  type Finding,
  findings,
  findPeer,
  type Peer,
  type Protocol,
  resolveWorkload,
  type WhatIf,
  whatIf,
} from '@netpol-atlas/evaluator';
import type { KubeObject, ParseResult, SourceFile } from '@netpol-atlas/manifests';
import { Compiler } from './compiler.ts';
import { type ConnectionsDelta, deltaBetween } from './delta.ts';
import { resolveOptions, type WorkspaceOptions } from './options.ts';
import { Revision, type Validation } from './revision.ts';

/** A change to the documents, as text. */
export type TextChange =
  /** Sets a file's text; a path not in the workspace adds the file at the end. */
  | { kind: 'set'; path: string; text: string }
  /** Removes a file (nothing when there is none). */
  | { kind: 'remove'; path: string }
  /** Moves a file's text to another path, in place; replaces a file already at `to`. */
  | { kind: 'rename'; from: string; to: string };

/** What the parser read at a revision. */
export interface ParsedAnswer {
  revision: number;
  files: readonly SourceFile[];
  /** Every object read, every diagnostic of reading and validation. */
  result: ParseResult;
  /** The objects the cluster is built from (see {@link WorkspaceOptions.admission}). */
  admitted: readonly KubeObject[];
}

/** The compiled cluster of a revision. */
export interface ClusterAnswer {
  revision: number;
  cluster: Cluster;
}

/** The connectivity of a revision: `analysis.connections()` lists every allowed connection. */
export interface ConnectionsAnswer {
  revision: number;
  analysis: Analysis;
}

/** Why one connection of a revision is allowed or denied. */
export interface ExplainAnswer {
  revision: number;
  explanation: Explanation;
}

/** How connectivity changed from one revision (or workspace) to another. */
export interface DiffAnswer {
  /** The revision of this workspace the diff leads to. */
  revision: number;
  /** The revision it starts from (of this workspace, or of the other one). */
  before: number;
  diff: ConnectivityDiff;
}

/** The security review of a revision. */
export interface FindingsAnswer {
  revision: number;
  findings: readonly Finding[];
}

/** The label-tampering what-if of one workload at a revision; `result` undefined: no such workload. */
export interface WhatIfAnswer {
  revision: number;
  result: WhatIf | undefined;
}

/** The exposure report of a revision. */
export interface ExposureAnswer {
  revision: number;
  report: ExposureReport;
}

/**
 * One compiled workspace: the documents, the incremental parse cache, the incremental cluster,
 * the analysis and everything derived from it, under one set of options. It is the only place
 * that wires parse -> build -> analyze; the CLI, bench, the app's worker and authoring all ask it.
 *
 * Edits go in as text ({@link edit}, {@link setFiles}); each one that changes something starts a
 * new revision. Nothing is computed until asked for, and what is computed is kept for its
 * revision: asking twice returns the same answer object. A new revision parses only the files
 * whose text changed (within them, only the changed YAML documents), and its cluster build starts
 * from the last one built, so an edit that touched only policies recompiles only those.
 * Earlier revisions are kept (up to `history`) for {@link diff} and {@link connectionsSince}.
 */
export class Workspace {
  private settings: WorkspaceOptions;
  private compiler: Compiler;
  private head: Revision;
  /** Earlier revisions, oldest first. */
  private earlier: Revision[] = [];

  /** Starts at revision 0 with `files` (a later file with a path already seen replaces its text). */
  constructor(files: readonly SourceFile[] = [], options: WorkspaceOptions = {}) {
    this.settings = options;
    this.compiler = new Compiler(resolveOptions(options));
    this.head = new Revision(0, uniqueFiles(files), this.compiler);
  }

  /** The current revision. */
  get revision(): number {
    return this.head.number;
  }

  /** The documents of the current revision, in order. */
  get files(): readonly SourceFile[] {
    return this.head.files;
  }

  /** The options the workspace was created or last configured with. */
  get options(): WorkspaceOptions {
    return this.settings;
  }

  /** The text of one document, or undefined when there is none at `path`. */
  text(path: string): string | undefined {
    return this.head.files.find((f) => f.path === path)?.text;
  }

  /** Applies text changes in order; returns the revision they lead to (the same if nothing changed). */
  edit(changes: TextChange | readonly TextChange[]): number {
    const list: readonly TextChange[] = Array.isArray(changes) ? changes : [changes as TextChange];
    let files = this.head.files;
    for (const change of list) files = applyChange(files, change);
    return this.advance(files);
  }

  /** Replaces the documents; files whose text did not change keep their parse. */
  setFiles(files: readonly SourceFile[]): number {
    return this.advance(uniqueFiles(files));
  }

  /**
   * Changes the options. Always starts a new revision, compiled afresh: the parse is kept when
   * the new options read text alike, never the cluster. Earlier revisions were compiled under
   * other options, so they are dropped from the history.
   */
  configure(options: WorkspaceOptions): number {
    this.settings = options;
    this.compiler = this.compiler.reconfigured(resolveOptions(options));
    this.earlier = [];
    this.head = new Revision(this.head.number + 1, this.head.files, this.compiler);
    this.compiler.head = this.head.number;
    return this.head.number;
  }

  /**
   * A cheap copy to try edits on (an authoring plan): it shares everything computed for the
   * current revision, and its own edits parse only the files they change. Edits to either never
   * show in the other. Its revisions count on from the current one.
   */
  fork(): Workspace {
    const base = this.head;
    const fork = new Workspace([], this.settings);
    fork.compiler = new Compiler(this.compiler.options, {
      parses: () => base.parses(),
      cluster: () => base.peekCluster(),
    });
    fork.compiler.head = -1;
    fork.head = base;
    return fork;
  }

  /** What the parser read. */
  parsed(): ParsedAnswer {
    const head = this.head;
    return head.memo('parsed', () => ({
      revision: head.number,
      files: head.files,
      result: head.parsed(),
      admitted: head.admitted(),
    }));
  }

  /** The compiled cluster. */
  cluster(): ClusterAnswer {
    const head = this.head;
    return head.memo('cluster', () => ({ revision: head.number, cluster: head.cluster() }));
  }

  /** The connectivity, in full. */
  connections(): ConnectionsAnswer {
    const head = this.head;
    return head.memo('connections', () => ({ revision: head.number, analysis: head.analysis() }));
  }

  /**
   * How the connections changed since an earlier revision still in the history; undefined when
   * that revision is no longer kept (take {@link connections} in full then).
   */
  connectionsSince(revision: number): ConnectionsDelta | undefined {
    const since = this.revisionAt(revision);
    if (!since) return undefined;
    const head = this.head;
    return head.memo(`since:${revision}`, () =>
      deltaBetween(since.analysis(), head.analysis(), { since: revision, revision: head.number }),
    );
  }

  /**
   * The peer `text` names: an address range of the analysis by its id
   * (`a.b.c.d-e.f.g.h[External]`), else a workload (`ns/name[Kind]`, `ns/name`, a unique name)
   * or an IPv4 address. Undefined when nothing or several workloads match.
   */
  peer(text: string): Peer | undefined {
    const analysis = this.head.analysis();
    return (
      analysis.ingressExternals.find((e) => e.id === text) ??
      analysis.egressExternals.find((e) => e.id === text) ??
      findPeer(this.head.cluster(), text)
    );
  }

  /** The workload `text` names, or the candidates when none or several do. */
  resolveWorkload(text: string): ReturnType<typeof resolveWorkload> {
    return resolveWorkload(this.head.cluster(), text);
  }

  /**
   * Explains one connection (a port query, or everything allowed); undefined when a peer is
   * unknown (see {@link peer}).
   */
  explain(
    src: string | Peer,
    dst: string | Peer,
    query?: { protocol: Protocol; port: number },
  ): ExplainAnswer | undefined {
    const s = typeof src === 'string' ? this.peer(src) : src;
    const d = typeof dst === 'string' ? this.peer(dst) : dst;
    if (!s || !d) return undefined;
    return { revision: this.head.number, explanation: explainConnection(this.head.cluster(), s, d, query) };
  }

  /**
   * The connectivity diff from `before` to the current revision: another workspace (its current
   * revision) or an earlier revision of this one still in the history (else undefined).
   */
  diff(before: Workspace | number): DiffAnswer | undefined {
    const from = typeof before === 'number' ? this.revisionAt(before) : before.head;
    if (!from) return undefined;
    const head = this.head;
    const compute = () => ({
      revision: head.number,
      before: from.number,
      diff: diffAnalyses(from.analysis(), head.analysis()),
    });
    return typeof before === 'number' ? head.memo(`diff:${before}`, compute) : compute();
  }

  /**
   * The security review, fatal diagnostics included, under a CNI and the cluster's address
   * ranges (defaults: the workspace's). Ranges given here override the options' without
   * recompiling: they only change what the ipBlock checks compare against.
   */
  findings(options: { cni?: CniProfile; networks?: ClusterNetworks } = {}): FindingsAnswer {
    const head = this.head;
    const cni = options.cni ?? head.cluster().options.cni;
    const networks = options.networks ?? this.settings.networks;
    // The revision's own options are fixed (configure starts a new one); ranges given per call are keyed.
    const key = options.networks ? `findings:${cni}:${JSON.stringify(options.networks)}` : `findings:${cni}`;
    return head.memo(key, () => {
      const parsed = head.parsed();
      return {
        revision: head.number,
        findings: findings(head.cluster(), {
          cni,
          unanalysed: parsed.unanalysed,
          objects: parsed.objects,
          diagnostics: head.diagnostics().all,
          ...(networks ? { networks } : {}),
        }),
      };
    });
  }

  /** What the workload `text` names could reach, or be reached by, if its labels were tampered with. */
  whatIf(text: string, options: { maxEvaluations?: number } = {}): WhatIfAnswer {
    const head = this.head;
    return head.memo(`whatIf:${options.maxEvaluations ?? ''}:${text}`, () => ({
      revision: head.number,
      result: whatIf(head.cluster(), head.admitted(), text, { ...options, analysis: head.analysis() }),
    }));
  }

  /** The exposure report; kept for the revision when no focus is given. */
  exposure(options?: ExposureOptions): ExposureAnswer {
    const head = this.head;
    if (options) return { revision: head.number, report: exposure(head.analysis(), options) };
    return head.memo('exposure', () => ({ revision: head.number, report: exposure(head.analysis()) }));
  }

  /** Parse and build diagnostics, with the fatality rule of the options. */
  diagnostics(): Validation {
    return this.head.diagnostics();
  }

  private revisionAt(revision: number): Revision | undefined {
    if (revision === this.head.number) return this.head;
    return this.earlier.find((r) => r.number === revision);
  }

  private advance(files: readonly SourceFile[]): number {
    const current = this.head.files;
    if (files.length === current.length && files.every((f, i) => sameFile(f, current[i]!))) {
      return this.head.number;
    }
    const limit = this.compiler.options.history;
    if (limit > 0) this.earlier.push(this.head);
    if (this.earlier.length > limit) this.earlier.splice(0, this.earlier.length - limit);
    this.head = new Revision(this.head.number + 1, files, this.compiler);
    this.compiler.head = this.head.number;
    return this.head.number;
  }
}

function sameFile(a: SourceFile, b: SourceFile): boolean {
  return a === b || (a.path === b.path && a.text === b.text);
}

/** Files with distinct paths: a later file with a path already seen replaces the earlier text, in place. */
function uniqueFiles(files: readonly SourceFile[]): readonly SourceFile[] {
  const at = new Map<string, number>();
  const out: SourceFile[] = [];
  for (const file of files) {
    const i = at.get(file.path);
    const copy = { path: file.path, text: file.text };
    if (i === undefined) {
      at.set(file.path, out.length);
      out.push(copy);
    } else out[i] = copy;
  }
  return out;
}

function applyChange(files: readonly SourceFile[], change: TextChange): readonly SourceFile[] {
  switch (change.kind) {
    case 'set': {
      const i = files.findIndex((f) => f.path === change.path);
      if (i < 0) return [...files, { path: change.path, text: change.text }];
      if (files[i]!.text === change.text) return files;
      return files.map((f, j) => (j === i ? { path: change.path, text: change.text } : f));
    }
    case 'remove':
      return files.some((f) => f.path === change.path) ? files.filter((f) => f.path !== change.path) : files;
    case 'rename': {
      const i = files.findIndex((f) => f.path === change.from);
      if (i < 0 || change.from === change.to) return files;
      const text = files[i]!.text;
      return files.flatMap((f, j) =>
        j === i ? [{ path: change.to, text }] : f.path === change.to ? [] : [f],
      );
    }
  }
}
