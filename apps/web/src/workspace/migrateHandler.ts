import {
  type ConvertedPolicy,
  type FileEdit,
  type MigrationEquivalence,
  type MigrationIssue,
  migrateWorkspace,
} from '@netpol-atlas/authoring';
import type { ClusterOptions } from '@netpol-atlas/evaluator';
import type { SourceFile } from '@netpol-atlas/manifests';
import type { Workspace } from '@netpol-atlas/workspace';

/** Convert the documents' v1alpha1 cluster policies to ClusterNetworkPolicies and prove it. */
export interface MigrateRequest {
  type: 'migrate';
  generation: number;
  files: SourceFile[];
  cluster: ClusterOptions;
}

/** What the conversion preview shows: the edits to accept, the issues and the equivalence verdict. */
export interface MigrationPreview {
  converted: ConvertedPolicy[];
  edits: FileEdit[];
  issues: MigrationIssue[];
  equivalence: MigrationEquivalence;
}

export interface MigrateResponse {
  type: 'migrate';
  generation: number;
  preview: MigrationPreview;
}

/**
 * Runs a conversion on the worker's compiled workspace when it holds the request's files under
 * its options (the usual case: the graph shows them), else on a fork holding them; the converted
 * set is compiled on a fork either way, so the compiled workspace never changes.
 */
export function handleMigrate(compiled: Workspace, request: MigrateRequest): MigrateResponse {
  const cluster = compiled.options.cluster ?? {};
  const sameOptions =
    cluster.compat === request.cluster.compat &&
    (cluster.cni ?? 'upstream') === (request.cluster.cni ?? 'upstream');
  const sameFiles =
    compiled.files.length === request.files.length &&
    compiled.files.every((f, i) => f.path === request.files[i]!.path && f.text === request.files[i]!.text);
  let workspace = compiled;
  if (!sameOptions || !sameFiles) {
    workspace = compiled.fork();
    if (!sameOptions) workspace.configure({ ...compiled.options, cluster: request.cluster });
    workspace.setFiles(request.files);
  }
  const { converted, edits, issues, equivalence } = migrateWorkspace(workspace);
  return {
    type: 'migrate',
    generation: request.generation,
    preview: { converted, edits, issues, equivalence },
  };
}
