import { DEFAULT_WHAT_IF_EVALUATIONS } from '@netpol-atlas/evaluator';
import { optionValue, type ParsedArgs, UsageError } from '../args.ts';
import {
  formatWhatIfJson,
  formatWhatIfMarkdown,
  formatWhatIfText,
  type WhatIfLabels,
} from '../format/whatif.ts';
import type { CliIO } from '../io.ts';
import { loadWorkspace } from '../load.ts';
import { clusterOptions, inputPaths, writeOutput } from './shared.ts';

const WHATIF_FORMATS = ['txt', 'json', 'md'] as const;

/** Candidates listed when a workload name is ambiguous or unknown; the rest are counted. */
const MAX_CANDIDATES = 20;

/** The usage lines of `netpol whatif`, for the CLI's help text. */
export const WHATIF_USAGE = `  netpol whatif --dirpath DIR --workload W [-o txt|json|md] [--max-evaluations N] [-f FILE]
              W: ns/name[Kind], ns/name or a unique name; what the workload reaches and what
              label changes (its pods', its namespace's) would open, both ways; exit 0 none, 3 some`;

function parseMaxEvaluations(text: string | undefined): number {
  if (text === undefined) return DEFAULT_WHAT_IF_EVALUATIONS;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    throw new UsageError(`--max-evaluations must be a whole number of at least 1, not "${text}"`);
  }
  return n;
}

/**
 * `netpol whatif`: the label-tampering what-if for one workload. Exit 0 when no label change
 * opens anything, 3 when some does (a CI gate can fail on it), 1 for invalid input or a workload
 * that does not exist or is ambiguous (the candidates are listed), 2 for usage errors.
 */
export async function whatifCommand(io: CliIO, args: ParsedArgs): Promise<number> {
  const format = optionValue(args, 'output') ?? 'txt';
  if (!(WHATIF_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(
      `unsupported output format "${format}" for whatif; use one of ${WHATIF_FORMATS.join(', ')}`,
    );
  }
  const workloadText = optionValue(args, 'workload');
  if (!workloadText)
    throw new UsageError('whatif needs --workload (ns/name[Kind], ns/name or a unique name)');
  const maxEvaluations = parseMaxEvaluations(optionValue(args, 'max-evaluations'));
  const loaded = await loadWorkspace(io, inputPaths(args), clusterOptions(args));
  if (!loaded.ok) return 1;
  const { workspace } = loaded;
  const { cluster } = workspace.cluster();
  const found = workspace.resolveWorkload(workloadText);
  if (!found.workload) {
    const { candidates } = found;
    const listed = candidates.slice(0, MAX_CANDIDATES).map((id) => `  ${id}\n`);
    const more =
      candidates.length > MAX_CANDIDATES ? `  … and ${candidates.length - MAX_CANDIDATES} more\n` : '';
    io.stderr(
      candidates.length === 0
        ? `Error: no workload matches "${workloadText}"\n`
        : `Error: no single workload matches "${workloadText}"; candidates:\n${listed.join('')}${more}`,
    );
    return 1;
  }
  const workload = found.workload;
  const result = workspace.whatIf(workload.id, { maxEvaluations }).result!;
  const labels: WhatIfLabels = {
    pod: workload.labels,
    namespace: cluster.namespaces.get(workload.namespace)?.labels ?? {},
  };
  const text =
    format === 'json'
      ? formatWhatIfJson(result, labels)
      : format === 'md'
        ? formatWhatIfMarkdown(result, labels)
        : formatWhatIfText(result, labels);
  await writeOutput(io, args, text);
  return result.withPodLabels.length > 0 || result.withNamespaceLabels.length > 0 ? 3 : 0;
}
