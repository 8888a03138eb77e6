import type { FindingSeverity } from '@netpol-atlas/evaluator';
import { severityAtLeast } from '@netpol-atlas/evaluator';
import {
  formatFindingsHtml,
  formatFindingsJson,
  formatFindingsMarkdown,
  formatFindingsText,
  type ReportMeta,
} from '@netpol-atlas/reports';
import { optionValue, type ParsedArgs, UsageError } from '../args.ts';
import { formatSarif } from '../format/sarif.ts';
import type { CliIO } from '../io.ts';
import { loadWorkspace } from '../load.ts';
import { flowsOption } from './flowsInput.ts';
import { lintFlows } from './flowsLint.ts';
import { clusterOptions, inputPaths, networkOptions, writeOutput } from './shared.ts';

const LINT_FORMATS = ['text', 'json', 'sarif', 'md', 'html'] as const;
type LintFormat = (typeof LINT_FORMATS)[number];

const FAIL_ON = ['critical', 'high', 'medium', 'low', 'info', 'none'] as const;

/** Without `--fail-on`, CI fails on high and critical findings: what a reviewer would block a merge for. */
export const DEFAULT_FAIL_ON: FindingSeverity = 'high';

/** The usage lines of `netpol lint`, for the CLI's help text. */
export const LINT_USAGE = `  netpol lint [--dirpath DIR | PATH...] [-o text|json|sarif|md|html] [--fail-on SEVERITY|none]
              [--cni NAME] [--pod-cidr CIDR] [--service-cidr CIDR] [--node-cidr CIDR] [--flows FILE]
              [-f FILE]
              security and correctness findings; exit 1 when one is at or above --fail-on
              (default ${DEFAULT_FAIL_ON}) or the input is invalid, 0 otherwise. The CIDR options
              (repeatable or comma-separated) give the cluster's ranges, checked against ipBlocks;
              --flows adds the observed flows the policies deny (high when seen forwarded) and the
              connections allowed but never observed (text, json, sarif, md)`;

function parseFormat(text: string | undefined): LintFormat {
  const format = text === undefined || text === 'txt' ? 'text' : text;
  if (!(LINT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(
      `unsupported output format "${format}" for lint; use one of ${LINT_FORMATS.join(', ')}`,
    );
  }
  return format as LintFormat;
}

function parseFailOn(text: string | undefined): FindingSeverity | 'none' {
  const value = text ?? DEFAULT_FAIL_ON;
  if (!(FAIL_ON as readonly string[]).includes(value)) {
    throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(', ')}, not "${value}"`);
  }
  return value as FindingSeverity | 'none';
}

/**
 * Build diagnostics a finding already reports, with more to say: cluster policies the CNI profile
 * does not enforce are NPA-TIER-NOT-ENFORCED, with every object and what that leaves open.
 */
const REPORTED_AS_FINDINGS: ReadonlySet<string> = new Set(['cluster-policy-not-enforced']);

/**
 * `netpol lint`: reviews the manifests and prints findings (text, JSON, SARIF 2.1.0, Markdown or
 * HTML). Exit code 1 when a finding is at or above `--fail-on` (default `high`; `none` never
 * fails on findings) or when the input has errors (objects the API server would refuse, files
 * that cannot be read), 0 otherwise; usage errors exit 2 (raised as UsageError for runCli).
 */
export async function lintCommand(io: CliIO, args: ParsedArgs): Promise<number> {
  const format = parseFormat(optionValue(args, 'output'));
  const failOn = parseFailOn(optionValue(args, 'fail-on'));
  const flows = flowsOption(args);
  if (flows && format === 'html')
    throw new UsageError('lint --flows writes text, json, sarif or md, not html');
  const paths = inputPaths(args);
  const networks = networkOptions(args);
  const options = { ...clusterOptions(args), ...(networks ? { networks } : {}) };
  // The shared loader prints the diagnostics as every command does. A lint goes on past fatal
  // errors (netpol-analyzer's compat mode stops there): they become findings, so the report
  // (and a SARIF upload) shows them in place.
  const loaded = await loadWorkspace(io, paths, { ...options, reportedElsewhere: REPORTED_AS_FINDINGS });
  const { workspace } = loaded;
  const { findings: list } = workspace.findings();
  const meta: ReportMeta = { inputs: paths, cni: workspace.cluster().cluster.options.cni };
  const render: Record<LintFormat, () => string> = {
    text: () => formatFindingsText(list),
    json: () => formatFindingsJson(list, meta),
    sarif: () => formatSarif(list),
    md: () => formatFindingsMarkdown(list, meta),
    html: () => formatFindingsHtml(list, meta),
  };
  const observed =
    flows && format !== 'html'
      ? await lintFlows(io, flows, workspace, format, render[format](), failOn, options)
      : undefined;
  await writeOutput(io, args, observed ? observed.output : render[format]());
  const inputErrors = !loaded.ok || workspace.parsed().result.diagnostics.some((d) => d.severity === 'error');
  const failing = failOn !== 'none' && list.some((f) => severityAtLeast(f.severity, failOn));
  return inputErrors || failing || observed?.failing ? 1 : 0;
}
