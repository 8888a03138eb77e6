import { evaluateFlows, FlowAggregator, type FlowReport } from '@netpol-atlas/flows';
import type { Workspace } from '@netpol-atlas/workspace';
import { optionFlag, optionValue, type ParsedArgs, UsageError } from '../args.ts';
import type { SarifLog } from '../format/sarif.ts';
import type { CliIO } from '../io.ts';
import { loadWorkspace } from '../load.ts';
import {
  FLOW_FORMATS,
  type FlowFormatName,
  flowReportMarkdown,
  flowReportObject,
  flowReportText,
} from './flowsFormat.ts';
import { type FlowInput, flowsOption, readFlowFile } from './flowsInput.ts';
import { flowReportSarifRun } from './flowsSarif.ts';
import { clusterOptions, inputPaths, writeOutput } from './shared.ts';

/** The usage lines of `netpol flows`, for the CLI's help text. */
export const FLOWS_USAGE = `  netpol flows --dirpath DIR --flows FILE [-o text|json|md|sarif] [--all] [-f FILE]
              observed traffic (Hubble JSON, Calico flow logs, CSV src,dst,protocol,port,count,last_seen)
              judged by the policies: allowed, denied (with the deciding rule), allowed but never
              observed, unmatched; --all lists the allowed flows too`;

/** Parses `-o` for the flows outputs (`txt` is `text`). */
export function flowFormat(text: string | undefined, command: string): FlowFormatName {
  const format = text === undefined || text === 'txt' ? 'text' : text;
  if (!(FLOW_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(
      `unsupported output format "${format}" for ${command} --flows; use one of ${FLOW_FORMATS.join(', ')}`,
    );
  }
  return format as FlowFormatName;
}

/**
 * Streams the flow file once, matching every record against each workspace (each has its own
 * workloads and external ranges), and judges the flows by each: one report per workspace.
 */
export async function observeFlows(
  io: CliIO,
  path: string,
  workspaces: readonly Workspace[],
  options: { quiet: boolean },
): Promise<{ input: FlowInput; reports: FlowReport[] }> {
  const aggregators = workspaces.map((w) => new FlowAggregator(w.cluster().cluster));
  const input = await readFlowFile(
    io,
    path,
    aggregators.length === 1
      ? (record) => aggregators[0]!.add(record)
      : (record) => {
          for (const a of aggregators) a.add(record);
        },
    options,
  );
  return { input, reports: workspaces.map((w, i) => evaluateFlows(w, aggregators[i]!)) };
}

/**
 * `netpol flows --dirpath DIR --flows FILE`: the observed flows judged by the manifests' policies.
 * Exit 1 when the manifests have errors, else 0 (use `lint --flows` or `diff --flows` to gate CI).
 */
export async function flowsCommand(io: CliIO, args: ParsedArgs): Promise<number> {
  const format = flowFormat(optionValue(args, 'output'), 'flows');
  const file = flowsOption(args);
  if (!file) throw new UsageError('flows needs --flows FILE (Hubble JSON, Calico flow logs or CSV)');
  const options = clusterOptions(args);
  const loaded = await loadWorkspace(io, inputPaths(args), options);
  if (!loaded.ok) return 1;
  const { input, reports } = await observeFlows(io, file, [loaded.workspace], options);
  const report = reports[0]!;
  const render: Record<FlowFormatName, () => string> = {
    text: () => flowReportText(report, input, { allowed: optionFlag(args, 'all') }),
    json: () => `${JSON.stringify({ tool: 'netpol-atlas', ...flowReportObject(report, input) }, null, 2)}\n`,
    md: () => flowReportMarkdown(report, input),
    sarif: () => {
      const log: SarifLog = {
        $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
        version: '2.1.0',
        runs: [flowReportSarifRun(report, input)],
      };
      return `${JSON.stringify(log, null, 2)}\n`;
    },
  };
  await writeOutput(io, args, render[format]());
  return loaded.inputErrors.length > 0 ? 1 : 0;
}
