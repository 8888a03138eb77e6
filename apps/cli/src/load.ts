import { buildCluster, type Cluster, type ClusterOptions, isFatal } from '@netpol-atlas/evaluator';
import { type Diagnostic, type KubeObject, parseManifests } from '@netpol-atlas/manifests';
import { compatMessage, formatDiagnostic } from './diagnostics.ts';
import { readInputs } from './inputs.ts';
import type { CliIO } from './io.ts';

export interface LoadOptions extends ClusterOptions {
  quiet: boolean;
  verbose: boolean;
}

export type LoadResult =
  | {
      ok: true;
      /** Built from the objects the API server would admit. */
      cluster: Cluster;
      /** Every object read, admitted or not. */
      objects: KubeObject[];
      /**
       * Errors in the input that did not stop the analysis (by default: objects left out,
       * documents that could not be read); the command exits 1 when there are any.
       */
      inputErrors: Diagnostic[];
    }
  | { ok: false; objects: KubeObject[]; fatal: Diagnostic[] };

/**
 * Refusals the evaluator resolves itself as the API server would: the first object of a name is
 * admitted, the later ones are not analysed.
 */
const DUPLICATE_REFUSALS = new Set(['np-duplicate-name', 'ns-duplicate-name']);

/**
 * Reads, parses and compiles the inputs, reporting every diagnostic on stderr (infos only with
 * --verbose, nothing but errors with --quiet).
 *
 * By default the analysis is of what the API server would admit: an object with an error is left
 * out, its errors are printed, and the command still reports on the rest (then exits 1). Under
 * `--compat netpol-analyzer`, and for errors that make the analysis itself untrustworthy (pods
 * one peer cannot represent), fatal problems are reported as `Error:` lines and stop the command.
 */
export async function loadCluster(
  io: CliIO,
  paths: readonly string[],
  options: LoadOptions,
): Promise<LoadResult> {
  const files = await readInputs(io, paths);
  // netpol-analyzer's decoder cannot go past a syntax error: its corpus expects the file cut there.
  const parsed = parseManifests(files, { stopAtSyntaxError: options.compat === 'netpol-analyzer' });
  const admitting = options.compat === undefined;
  const refusedByParse = admitting ? parsed.diagnostics.filter(isFatal) : [];
  const admitted =
    refusedByParse.length > 0 ? admittedObjects(parsed.objects, refusedByParse) : parsed.objects;
  const cluster = buildCluster(admitted, options);
  const diagnostics = [...parsed.diagnostics, ...cluster.diagnostics];
  const refusedByCluster = admitting
    ? cluster.diagnostics.filter((d) => isFatal(d) && DUPLICATE_REFUSALS.has(d.code))
    : [];
  const refused = new Set([...refusedByParse, ...refusedByCluster]);
  for (const d of diagnostics) {
    if (isFatal(d) && !refused.has(d)) continue;
    if (d.severity === 'info' && !options.verbose) continue;
    if (d.severity === 'warning' && options.quiet) continue;
    io.stderr(`${formatDiagnostic(d)}\n`);
  }
  const fatal = diagnostics.filter((d) => isFatal(d) && !refused.has(d));
  if (fatal.length > 0) {
    for (const d of fatal) {
      const text =
        options.compat === 'netpol-analyzer' ? compatMessage(d, parsed.objects) : formatDiagnostic(d);
      io.stderr(`Error: ${options.compat === 'netpol-analyzer' ? `${formatLocation(d)}${text}` : text}\n`);
    }
    return { ok: false, objects: parsed.objects, fatal };
  }
  const left = parsed.objects.length - admitted.length;
  if (left > 0) {
    io.stderr(
      `note: ${left} object(s) the API server would refuse left out of the analysis, which shows what it would admit\n`,
    );
  }
  const inputErrors = admitting ? diagnostics.filter((d) => d.severity === 'error') : [];
  return { ok: true, cluster, objects: parsed.objects, inputErrors };
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
