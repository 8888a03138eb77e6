import { buildCluster, isFatal } from '@netpol-atlas/evaluator';
import { parseManifests } from '@netpol-atlas/manifests';
import { optionFlag, type ParsedArgs } from '../args.ts';
import { formatDiagnostic } from '../diagnostics.ts';
import { readInputs } from '../inputs.ts';
import type { CliIO } from '../io.ts';
import { inputPaths } from './shared.ts';

/**
 * `netpol validate PATH...`: every diagnostic as `file:line:col: severity: ...`; exit 1 when
 * any error was found (what the API server would refuse, or what could not be read).
 */
export async function validateCommand(io: CliIO, args: ParsedArgs): Promise<number> {
  const files = await readInputs(io, inputPaths(args));
  const parsed = parseManifests(files);
  const cluster = buildCluster(parsed.objects);
  const verbose = optionFlag(args, 'verbose');
  const diagnostics = [...parsed.diagnostics, ...cluster.diagnostics.filter(isFatal)];
  let errors = 0;
  let warnings = 0;
  for (const d of diagnostics) {
    if (d.severity === 'error') errors++;
    if (d.severity === 'warning') warnings++;
    if (d.severity === 'info' && !verbose) continue;
    io.stderr(`${formatDiagnostic(d)}\n`);
  }
  const policies = parsed.objects.filter((o) => o.kind === 'NetworkPolicy').length;
  io.stdout(
    `${files.length} file(s), ${parsed.objects.length} object(s), ${policies} NetworkPolicy: ${errors} error(s), ${warnings} warning(s)\n`,
  );
  return errors > 0 ? 1 : 0;
}
