import {
  buildCluster,
  type Cluster,
  type ClusterOptions,
  isFatal,
  isFatalUnder,
} from '@netpol-atlas/evaluator';
import {
  type Diagnostic,
  type KubeObject,
  parseManifests,
  type ValidationOptions,
} from '@netpol-atlas/manifests';
import { compatMessage, formatDiagnostic } from './diagnostics.ts';
import { readInputs } from './inputs.ts';
import type { CliIO } from './io.ts';

export interface LoadOptions extends ClusterOptions {
  quiet: boolean;
  verbose: boolean;
  /** Which API server the manifests are checked against (`--kube-version`). */
  validation?: ValidationOptions;
}

export type LoadResult =
  | {
      ok: true;
      /** Built from the objects the API server would admit. */
      cluster: Cluster;
      /** Every object read, admitted or not. */
      objects: KubeObject[];
      /**
       * Errors in the input that did not stop the analysis (by default every error: objects
       * left out, documents that could not be read); the command exits 1 when there are any.
       */
      inputErrors: Diagnostic[];
    }
  | { ok: false; objects: KubeObject[]; fatal: Diagnostic[] };

/**
 * Reads, parses and compiles the inputs, reporting every diagnostic on stderr (infos only with
 * --verbose, nothing but errors with --quiet).
 *
 * By default the analysis is of what the API server would admit: an object with an error is left
 * out, its errors are printed, and the command still reports on the rest (then exits 1); nothing
 * in one file stops the analysis of the others. Under `--compat netpol-analyzer` fatal problems
 * are reported as `Error:` lines and stop the command, as netpol-analyzer does.
 */
export async function loadCluster(
  io: CliIO,
  paths: readonly string[],
  options: LoadOptions,
): Promise<LoadResult> {
  const files = await readInputs(io, paths);
  const compat = options.compat === 'netpol-analyzer';
  // netpol-analyzer's decoder cannot go past a syntax error: its corpus expects the file cut there.
  const parsed = parseManifests(files, {
    stopAtSyntaxError: compat,
    validation: options.validation ?? {},
  });
  const refusals = compat ? [] : parsed.diagnostics.filter(isFatal);
  const admitted = refusals.length > 0 ? admittedObjects(parsed.objects, refusals) : parsed.objects;
  const cluster = buildCluster(admitted, options);
  const diagnostics = [...parsed.diagnostics, ...cluster.diagnostics];
  const fatal = isFatalUnder(options);
  for (const d of diagnostics) {
    if (compat && fatal(d)) continue;
    if (d.severity === 'info' && !options.verbose) continue;
    if (d.severity === 'warning' && options.quiet) continue;
    io.stderr(`${formatDiagnostic(d)}\n`);
  }
  if (!compat) {
    const left = parsed.objects.length - admitted.length;
    if (left > 0) {
      io.stderr(
        `note: ${left} object(s) the API server would refuse left out of the analysis, which shows what it would admit\n`,
      );
    }
    const inputErrors = diagnostics.filter((d) => d.severity === 'error');
    return { ok: true, cluster, objects: parsed.objects, inputErrors };
  }
  const fatalOnes = diagnostics.filter(fatal);
  if (fatalOnes.length > 0) {
    for (const d of fatalOnes) io.stderr(`Error: ${formatLocation(d)}${compatMessage(d, parsed.objects)}\n`);
    return { ok: false, objects: parsed.objects, fatal: fatalOnes };
  }
  return { ok: true, cluster, objects: parsed.objects, inputErrors: [] };
}

/** The objects no error points into: an error located inside an object's text refuses it. */
function admittedObjects(objects: readonly KubeObject[], errors: readonly Diagnostic[]): KubeObject[] {
  return objects.filter((object) => {
    const range = object.source.range;
    if (!range) return true;
    return !errors.some(
      (d) =>
        d.file === object.source.file &&
        d.range !== undefined &&
        !before(d.range.start, range.start) &&
        !before(range.end, d.range.start),
    );
  });
}

function before(a: { line: number; column: number }, b: { line: number; column: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.column < b.column);
}

function formatLocation(d: Diagnostic): string {
  return d.range ? `${d.file}:${d.range.start.line}: ` : `${d.file}: `;
}
