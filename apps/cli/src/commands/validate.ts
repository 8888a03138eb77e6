import { isFatal } from '@netpol-atlas/evaluator';
import { FIELD_VALIDATIONS, type FieldValidation, type ValidationOptions } from '@netpol-atlas/manifests';
import { Workspace } from '@netpol-atlas/workspace';
import { optionFlag, optionValue, type ParsedArgs, UsageError } from '../args.ts';
import { formatDiagnostic } from '../diagnostics.ts';
import { readInputs } from '../inputs.ts';
import type { CliIO } from '../io.ts';
import { inputPaths, kubeVersionOption } from './shared.ts';

/** The usage lines of `netpol validate`, for the CLI's help text. */
export const VALIDATE_USAGE = `  netpol validate PATH... [--kube-version X.Y] [--field-validation Strict|Warn|Ignore]
              what the API server would refuse, as kubectl reports it; exit 1 on any error
              --field-validation  unknown fields: Strict (default, errors), Warn, Ignore`;

/** `--kube-version` and `--field-validation`, checked; kubectl's lower-case spellings are accepted. */
export function validationOptions(args: ParsedArgs): ValidationOptions {
  const options: ValidationOptions = { fieldValidation: 'Strict' };
  const kubeVersion = kubeVersionOption(args);
  if (kubeVersion !== undefined) options.kubeVersion = kubeVersion;
  const fieldValidation = optionValue(args, 'field-validation');
  if (fieldValidation !== undefined) {
    const mode = FIELD_VALIDATIONS.find((m) => m.toLowerCase() === fieldValidation.toLowerCase());
    if (mode === undefined) {
      throw new UsageError(
        `--field-validation must be one of ${FIELD_VALIDATIONS.join(', ')}, not "${fieldValidation}"`,
      );
    }
    options.fieldValidation = mode satisfies FieldValidation;
  }
  return options;
}

/**
 * `netpol validate PATH...`: every diagnostic as `file:line:col: severity: ...`; exit 1 when
 * any error was found (what the API server would refuse, or what could not be read). Unknown
 * fields are errors by default, as kubectl's strict field validation makes them.
 */
export async function validateCommand(io: CliIO, args: ParsedArgs): Promise<number> {
  const validation = validationOptions(args);
  const files = await readInputs(io, inputPaths(args));
  // Every object, refused or not, is checked against the others (duplicates, for one).
  const workspace = new Workspace(files, { validation, admission: 'all', history: 0 });
  const { result: parsed } = workspace.parsed();
  const verbose = optionFlag(args, 'verbose');
  const diagnostics = [...parsed.diagnostics, ...workspace.diagnostics().cluster.filter(isFatal)];
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
