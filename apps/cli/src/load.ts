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
  | { ok: true; cluster: Cluster; objects: KubeObject[] }
  | { ok: false; objects: KubeObject[]; fatal: Diagnostic[] };

/**
 * Reads, parses and compiles the inputs, reporting every diagnostic on stderr (infos only with
 * --verbose, nothing but errors with --quiet). Fatal problems are reported as `Error:` lines and
 * stop the command: an analysis of a partly understood policy set would be wrong, not partial.
 */
export async function loadCluster(
  io: CliIO,
  paths: readonly string[],
  options: LoadOptions,
): Promise<LoadResult> {
  const files = await readInputs(io, paths);
  const parsed = parseManifests(files);
  const cluster = buildCluster(parsed.objects, options);
  const diagnostics = [...parsed.diagnostics, ...cluster.diagnostics];
  for (const d of diagnostics) {
    if (isFatal(d)) continue;
    if (d.severity === 'info' && !options.verbose) continue;
    if (d.severity === 'warning' && options.quiet) continue;
    io.stderr(`${formatDiagnostic(d)}\n`);
  }
  const fatal = diagnostics.filter(isFatal);
  if (fatal.length > 0) {
    for (const d of fatal) {
      const text =
        options.compat === 'netpol-analyzer' ? compatMessage(d, parsed.objects) : formatDiagnostic(d);
      io.stderr(`Error: ${options.compat === 'netpol-analyzer' ? `${formatLocation(d)}${text}` : text}\n`);
    }
    return { ok: false, objects: parsed.objects, fatal };
  }
  return { ok: true, cluster, objects: parsed.objects };
}

function formatLocation(d: Diagnostic): string {
  return d.range ? `${d.file}:${d.range.start.line}: ` : `${d.file}: `;
}
