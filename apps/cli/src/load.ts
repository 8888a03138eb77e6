import type { ClusterNetworks, ClusterOptions } from '@netpol-atlas/evaluator';
import type { Diagnostic, KubeObject, ValidationOptions } from '@netpol-atlas/manifests';
import { Workspace } from '@netpol-atlas/workspace';
import { compatMessage, formatDiagnostic } from './diagnostics.ts';
import { readInputs } from './inputs.ts';
import type { CliIO } from './io.ts';

export interface LoadOptions extends ClusterOptions {
  quiet: boolean;
  verbose: boolean;
  /** Which API server the manifests are checked against (`--kube-version`). */
  validation?: ValidationOptions;
  /** The cluster's address ranges, for the review (`--pod-cidr`, `--service-cidr`, `--node-cidr`). */
  networks?: ClusterNetworks;
  /** Diagnostic codes the command reports another way (lint's findings), so not printed twice. */
  reportedElsewhere?: ReadonlySet<string>;
}

export type LoadResult =
  | {
      ok: true;
      /** The compiled inputs: its cluster holds the objects the API server would admit. */
      workspace: Workspace;
      /** Every object read, admitted or not. */
      objects: readonly KubeObject[];
      /**
       * Errors in the input that did not stop the analysis (by default every error: objects
       * left out, documents that could not be read); the command exits 1 when there are any.
       */
      inputErrors: Diagnostic[];
    }
  | { ok: false; workspace: Workspace; objects: readonly KubeObject[]; fatal: Diagnostic[] };

/**
 * Reads, parses and compiles the inputs, reporting every diagnostic on stderr (infos only with
 * --verbose, nothing but errors with --quiet).
 *
 * By default the analysis is of what the API server would admit: an object with an error is left
 * out, its errors are printed, and the command still reports on the rest (then exits 1); nothing
 * in one file stops the analysis of the others. Under `--compat netpol-analyzer` fatal problems
 * are reported as `Error:` lines and stop the command, as netpol-analyzer does.
 */
export async function loadWorkspace(
  io: CliIO,
  paths: readonly string[],
  options: LoadOptions,
): Promise<LoadResult> {
  const files = await readInputs(io, paths);
  const { quiet, verbose, validation, networks, reportedElsewhere, ...cluster } = options;
  const compat = cluster.compat === 'netpol-analyzer';
  // The workspace's defaults are this command line's: what the API server would admit, and under
  // compat netpol-analyzer's reading (cut at a syntax error, nothing left out).
  const workspace = new Workspace(files, {
    cluster,
    validation: validation ?? {},
    history: 0,
    ...(networks ? { networks } : {}),
  });
  const { result: parsed } = workspace.parsed();
  const check = workspace.diagnostics();
  for (const d of check.all) {
    if (compat && check.isFatal(d)) continue;
    if (d.severity === 'info' && !verbose) continue;
    if (d.severity === 'warning' && quiet) continue;
    if (reportedElsewhere?.has(d.code)) continue;
    io.stderr(`${formatDiagnostic(d)}\n`);
  }
  if (!compat) {
    if (check.leftOut > 0) {
      io.stderr(
        `note: ${check.leftOut} object(s) the API server would refuse left out of the analysis, which shows what it would admit\n`,
      );
    }
    const inputErrors = check.all.filter((d) => d.severity === 'error');
    return { ok: true, workspace, objects: parsed.objects, inputErrors };
  }
  const fatalOnes = check.all.filter(check.isFatal);
  if (fatalOnes.length > 0) {
    for (const d of fatalOnes) io.stderr(`Error: ${formatLocation(d)}${compatMessage(d, parsed.objects)}\n`);
    return { ok: false, workspace, objects: parsed.objects, fatal: fatalOnes };
  }
  return { ok: true, workspace, objects: parsed.objects, inputErrors: [] };
}

function formatLocation(d: Diagnostic): string {
  return d.range ? `${d.file}:${d.range.start.line}: ` : `${d.file}: `;
}
