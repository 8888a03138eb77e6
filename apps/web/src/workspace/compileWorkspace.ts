import type { Analysis, Cluster, ClusterOptions } from '@netpol-atlas/evaluator';
import type { Diagnostic, ParseResult } from '@netpol-atlas/manifests';
import { type Validation, Workspace, type WorkspaceOptions } from '@netpol-atlas/workspace';
import {
  type EdgeTable,
  type GraphModel,
  hydrateModel,
  type Problem,
  type WireModel,
} from '../model/index.ts';
import type { SyncedFile } from './documentSync.ts';
import { graphModelOf, type MemberLists } from './graphModel.ts';
import { toSourceRef } from './sourceRef.ts';

/**
 * The view of one revision of a compiled {@link Workspace}: the graph model and the problems list,
 * mapped from the workspace's answers. Kept by the worker so that queries go to the same
 * workspace, and so the overview is grouped from its edge table.
 */
export interface CompiledWorkspace {
  /** The workspace the view maps; it may have moved on to a later revision since. */
  workspace: Workspace;
  /** The revision this view is of. */
  revision: number;
  parsed: ParseResult;
  cluster: Cluster;
  analysis: Analysis;
  /** The model, its edges built only when read (see hydrateModel). */
  model: GraphModel;
  /** The model's connections as columns of node indices. */
  table: EdgeTable;
  problems: Problem[];
  /** The workloads each peer member set admits: an edit keeps the sets it did not change. */
  admitted: MemberLists;
}

/**
 * The options the app compiles with: every object is shown (invalid policies are still left out
 * by the evaluator), and one earlier revision is kept.
 */
export const APP_WORKSPACE_OPTIONS = { admission: 'all', history: 1 } as const satisfies WorkspaceOptions;

function sameClusterOptions(a: ClusterOptions, b: ClusterOptions): boolean {
  return (
    a.compat === b.compat &&
    (a.cni ?? 'upstream') === (b.cni ?? 'upstream') &&
    a.granularity === b.granularity
  );
}

/**
 * Puts the documents into a workspace, under `options`, and maps the result: only the edited
 * files are parsed again. `previous` is the last view (its workspace is used), or the workspace
 * to compile into the first time (the worker's one); without it a new workspace is made. A
 * document is anything with a path and a text (the store's also carry an id).
 */
export function compileWorkspace<Doc extends SyncedFile>(
  files: readonly Doc[],
  options: ClusterOptions = {},
  into?: CompiledWorkspace | Workspace,
): CompiledWorkspace {
  const previous = into instanceof Workspace ? undefined : into;
  const workspace =
    into instanceof Workspace
      ? into
      : (previous?.workspace ?? new Workspace([], { ...APP_WORKSPACE_OPTIONS, cluster: options }));
  if (!sameClusterOptions(workspace.options.cluster ?? {}, options)) {
    workspace.configure({ ...workspace.options, cluster: options });
  }
  workspace.setFiles(files.map((f) => ({ path: f.path, text: f.text })));
  return viewOf(workspace, previous);
}

function toProblem(d: Diagnostic, fatal: boolean): Problem {
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    file: d.file,
    field: d.field,
    source: toSourceRef(d.file, d.range),
    fatal,
  };
}

/**
 * Maps the workspace's current revision to the graph model and the problems list. Bad documents
 * become problems; the rest is still analysed, so one broken file never takes the picture down.
 * Invalid policies are left out of the analysis (the API server would refuse them) and reported
 * as fatal problems. With `previous` (a view of the same workspace) the policies it did not
 * change keep what they admit.
 */
function viewOf(workspace: Workspace, previous?: CompiledWorkspace): CompiledWorkspace {
  const { result: parsed } = workspace.parsed();
  const { cluster } = workspace.cluster();
  const { analysis, revision } = workspace.connections();
  if (previous && previous.workspace === workspace && previous.revision === revision) return previous;
  const admitted: MemberLists = previous?.workspace === workspace ? previous.admitted : new WeakMap();
  const parts = graphModelOf({ objects: parsed.objects, cluster, analysis }, admitted);
  return {
    workspace,
    revision,
    parsed,
    cluster,
    analysis,
    model: hydrateModel({ ...parts, revision }),
    table: parts.table,
    problems: problemsOf(workspace.diagnostics()),
    admitted,
  };
}

/**
 * The model of a reply: the table's columns are copies, so the worker keeps its own when they
 * are transferred (see postedModel.ts, which also packs the policies' `admits` into one buffer).
 */
export function wireModel(compiled: CompiledWorkspace): WireModel {
  const { nodes, namespaces, policies } = compiled.model;
  const { table } = compiled;
  return {
    nodes,
    namespaces,
    policies,
    table: { ...table, source: table.source.slice(), target: table.target.slice(), kind: table.kind.slice() },
    revision: compiled.revision,
  };
}

/** The problems list: parse then build diagnostics, fatal ones marked. */
function problemsOf(validation: Validation): Problem[] {
  return validation.all.map((d) => toProblem(d, validation.isFatal(d)));
}
