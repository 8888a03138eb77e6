import { type Finding, type FindingSeverity, severityAtLeast } from '@netpol-atlas/evaluator';
import type { Workspace } from '@netpol-atlas/workspace';
import type { SarifLog } from '../format/sarif.ts';
import type { CliIO } from '../io.ts';
import { observeFlows } from './flows.ts';
import { flowReportMarkdown, flowReportObject, flowReportText } from './flowsFormat.ts';
import { deniedSeverity, flowReportSarifRun } from './flowsSarif.ts';

/** The lint formats that can carry the observed-traffic findings. */
type LintFlowFormat = 'text' | 'json' | 'sarif' | 'md';

/**
 * `netpol lint --flows FILE`: the observed flows judged by the policies, added to the lint report
 * in its format (text and Markdown: a section after the findings; JSON: a `flows` member; SARIF:
 * a second run). `failing` is true when an observed flow is denied at or above `failOn` (a flow
 * the recorder saw forwarded is high, one it saw only dropped is medium).
 */
export async function lintFlows(
  io: CliIO,
  file: string,
  workspace: Workspace,
  format: LintFlowFormat,
  findingsOutput: string,
  failOn: FindingSeverity | 'none',
  options: { quiet: boolean },
): Promise<{ output: string; failing: boolean }> {
  const { input, reports } = await observeFlows(io, file, [workspace], options);
  const report = reports[0]!;
  const failing =
    failOn !== 'none' &&
    report.flows.some((f) => f.state === 'observed-denied' && severityAtLeast(deniedSeverity(f), failOn));
  const combine: Record<LintFlowFormat, () => string> = {
    text: () => `${findingsOutput.trimEnd()}\n\n${flowReportText(report, input, { allowed: false })}`,
    md: () => `${findingsOutput.trimEnd()}\n\n${flowReportMarkdown(report, input)}`,
    json: () => {
      const findings = JSON.parse(findingsOutput) as { findings: Finding[] };
      return `${JSON.stringify({ ...findings, flows: flowReportObject(report, input) }, null, 2)}\n`;
    },
    sarif: () => {
      const log = JSON.parse(findingsOutput) as SarifLog;
      log.runs.push(flowReportSarifRun(report, input));
      return `${JSON.stringify(log, null, 2)}\n`;
    },
  };
  return { output: combine[format](), failing };
}
