import type {
  DecidingRule,
  EvaluatedFlow,
  FlowImpact,
  FlowReport,
  UnmatchedFlow,
  UnobservedConnection,
} from '@netpol-atlas/flows';
import type { FlowInput } from './flowsInput.ts';

/** Lines listed per section in text and Markdown (JSON and SARIF list everything). */
const LIST_LIMIT = 50;

/** The formats every flows output supports. */
export const FLOW_FORMATS = ['text', 'json', 'md', 'sarif'] as const;
export type FlowFormatName = (typeof FLOW_FORMATS)[number];

/** `ns/name[Kind]`, or the address (with its range) for an end outside the cluster. */
function endText(flow: EvaluatedFlow, side: 'src' | 'dst'): string {
  const end = flow[side];
  if (end.kind === 'workload') return end.workload.id;
  const a = end.address;
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

function time(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

/** One deciding rule in words: `ingress: NetworkPolicy shop/api rule 0 allows`. */
export function ruleText(rule: DecidingRule): string {
  if (rule.layer === 'default') return `${rule.side}: allowed by default (no policy isolates it)`;
  const policies = rule.policies.join(', ');
  if (rule.rule === undefined)
    return `${rule.side}: ${rule.layer} ${policies} selects the pod and no rule admits it`;
  return `${rule.side}: ${rule.layer} ${policies} rule ${rule.rule} ${rule.action === 'deny' ? 'denies' : 'allows'}`;
}

/** The rules that decided a flow: the denying ones for a denied flow, else all. */
function decidingText(flow: EvaluatedFlow): string {
  const rules =
    flow.state === 'observed-denied'
      ? flow.decision.rules.filter((r) => r.action === 'deny')
      : flow.decision.rules;
  return rules.map(ruleText).join('; ');
}

function flowLine(flow: EvaluatedFlow): string {
  const seen = flow.dropped > 0 ? `, ${flow.dropped} dropped` : '';
  return `${endText(flow, 'src')} => ${endText(flow, 'dst')} ${flow.protocol} ${flow.port} x${flow.count}${seen} (line ${flow.line}): ${decidingText(flow)}`;
}

function unmatchedLine(u: UnmatchedFlow): string {
  return `${u.src} => ${u.dst} ${u.protocol} ${u.port} x${u.count} (line ${u.line}): ${u.side} ${u.reason}`;
}

function unobservedLine(u: UnobservedConnection): string {
  return `${u.src.id} => ${u.dst.id} : ${u.conn}`;
}

function limited<T>(items: readonly T[], line: (item: T) => string, indent = '  '): string[] {
  const lines = items.slice(0, LIST_LIMIT).map((i) => `${indent}${line(i)}`);
  if (items.length > LIST_LIMIT)
    lines.push(`${indent}... and ${items.length - LIST_LIMIT} more (-o json lists all)`);
  return lines;
}

function inputSummary(input: FlowInput): string {
  const window = input.window ? `, ${time(input.window.first)} to ${time(input.window.last)}` : '';
  const skipped = Object.entries(input.skipped).filter(([, n]) => n > 0);
  const skippedText =
    skipped.length > 0 ? `; skipped: ${skipped.map(([k, n]) => `${n} ${k}`).join(', ')}` : '';
  const problems = input.diagnosticCount > 0 ? `; ${input.diagnosticCount} line(s) with problems` : '';
  return `${input.records} flow records in ${input.path} (${input.format ?? 'no records'})${window}${skippedText}${problems}`;
}

/** The observed flows judged by one workspace: summary, denied, unobserved, unmatched. */
export function flowReportText(report: FlowReport, input: FlowInput, options: { allowed: boolean }): string {
  const { totals, unmatched } = report;
  const denied = report.flows.filter((f) => f.state === 'observed-denied');
  const allowed = report.flows.filter((f) => f.state === 'observed-allowed');
  const lines = [
    `Observed traffic: ${inputSummary(input)}`,
    `  observed and allowed:       ${totals.observedAllowed} flow(s)`,
    `  observed but denied:        ${totals.observedDenied} flow(s), ${totals.deniedConnections} connection(s)`,
    `  allowed but never observed: ${totals.allowedUnobserved} connection(s)`,
    `  unmatched:                  ${unmatched.records} record(s), ${unmatched.connections} connection(s)`,
  ];
  if (denied.length > 0) lines.push('', 'Observed but denied by the policies:', ...limited(denied, flowLine));
  if (options.allowed && allowed.length > 0)
    lines.push('', 'Observed and allowed:', ...limited(allowed, flowLine));
  if (report.unobserved.length > 0) {
    lines.push(
      '',
      'Allowed but never observed (candidates to remove):',
      ...limited(report.unobserved, unobservedLine),
    );
  }
  if (unmatched.groups.length > 0) {
    lines.push(
      '',
      'Unmatched (no workload of the manifests to judge them by):',
      ...limited(unmatched.groups, unmatchedLine),
    );
  }
  return `${lines.join('\n')}\n`;
}

function flowJson(flow: EvaluatedFlow) {
  return {
    src: flow.srcPeer.id,
    dst: flow.dstPeer.id,
    ...(flow.src.kind === 'external' ? { srcAddress: endText(flow, 'src') } : {}),
    ...(flow.dst.kind === 'external' ? { dstAddress: endText(flow, 'dst') } : {}),
    protocol: flow.protocol,
    port: flow.port,
    state: flow.state,
    count: flow.count,
    forwarded: flow.forwarded,
    dropped: flow.dropped,
    firstSeen: time(flow.firstSeen),
    lastSeen: time(flow.lastSeen),
    line: flow.line,
    deniedBy: flow.decision.deniedBy,
    rules: flow.decision.rules.map((r) => ({
      side: r.side,
      layer: r.layer,
      policies: r.policies,
      ...(r.rule !== undefined ? { rule: r.rule } : {}),
      action: r.action,
      ...(r.file ? { file: r.file, line: r.range?.start.line } : {}),
    })),
    explanation: flow.decision.summary,
  };
}

function inputJson(input: FlowInput) {
  return {
    file: input.path,
    format: input.format ?? null,
    lines: input.lines,
    records: input.records,
    window: input.window ? { first: time(input.window.first), last: time(input.window.last) } : null,
    skipped: input.skipped,
    problems: input.diagnosticCount,
    diagnostics: input.diagnostics,
  };
}

/** The report as a plain object (the JSON output, and `lint -o json`'s `flows` member). */
export function flowReportObject(report: FlowReport, input: FlowInput) {
  return {
    input: inputJson(input),
    summary: {
      ...report.totals,
      unmatchedRecords: report.unmatched.records,
      unmatchedConnections: report.unmatched.connections,
    },
    flows: report.flows.map(flowJson),
    unobserved: report.unobserved.map((u) => ({ src: u.src.id, dst: u.dst.id, conn: u.conn })),
    unmatched: { groups: report.unmatched.groupCount, listed: report.unmatched.groups },
  };
}

/** Escapes a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function flowRows(flows: readonly EvaluatedFlow[]): string[] {
  return [
    '| Source | Destination | Port | Count | Deciding rule |',
    '| --- | --- | --- | --- | --- |',
    ...flows
      .slice(0, LIST_LIMIT)
      .map(
        (f) =>
          `| \`${cell(endText(f, 'src'))}\` | \`${cell(endText(f, 'dst'))}\` | ${f.protocol} ${f.port} | ${f.count} | ${cell(decidingText(f))} |`,
      ),
    ...(flows.length > LIST_LIMIT ? [`\n_... and ${flows.length - LIST_LIMIT} more._`] : []),
  ];
}

/** The report as Markdown, for a pull request comment. */
export function flowReportMarkdown(report: FlowReport, input: FlowInput): string {
  const { totals } = report;
  const denied = report.flows.filter((f) => f.state === 'observed-denied');
  const lines = [
    '## Observed traffic',
    '',
    cell(inputSummary(input)),
    '',
    '| State | Count |',
    '| --- | --- |',
    `| Observed and allowed | ${totals.observedAllowed} |`,
    `| Observed but denied | ${totals.observedDenied} (${totals.deniedConnections} connections) |`,
    `| Allowed but never observed | ${totals.allowedUnobserved} |`,
    `| Unmatched records | ${report.unmatched.records} |`,
  ];
  if (denied.length > 0) lines.push('', '### Observed but denied', '', ...flowRows(denied));
  if (report.unobserved.length > 0) {
    lines.push(
      '',
      '### Allowed but never observed',
      '',
      ...report.unobserved
        .slice(0, LIST_LIMIT)
        .map((u) => `- \`${cell(u.src.id)}\` → \`${cell(u.dst.id)}\`: ${cell(u.conn)}`),
    );
    if (report.unobserved.length > LIST_LIMIT)
      lines.push(`- _... and ${report.unobserved.length - LIST_LIMIT} more._`);
  }
  if (report.unmatched.groups.length > 0) {
    lines.push(
      '',
      '### Unmatched',
      '',
      ...report.unmatched.groups.slice(0, LIST_LIMIT).map((u) => `- ${cell(unmatchedLine(u))}`),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** How a change treats the observed flows, in words. */
export function flowImpactText(impact: FlowImpact, input: FlowInput): string {
  const n = impact.newlyDenied.length;
  const lines = [
    `Observed traffic: ${inputSummary(input)}`,
    n === 0
      ? 'This change denies no observed flow.'
      : `This change would deny ${n} observed flow(s) (${impact.newlyDeniedConnections} connection(s)):`,
    ...limited(impact.newlyDenied, flowLine),
  ];
  if (impact.newlyAllowed.length > 0) {
    lines.push(
      '',
      `It allows ${impact.newlyAllowed.length} observed flow(s) the old policies denied:`,
      ...limited(impact.newlyAllowed, flowLine),
    );
  }
  if (impact.stillDenied.length > 0) {
    lines.push(
      '',
      `Denied before and after: ${impact.stillDenied.length} observed flow(s):`,
      ...limited(impact.stillDenied, flowLine),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The impact as a plain object (`diff --flows -o json`). */
export function flowImpactObject(impact: FlowImpact, input: FlowInput) {
  return {
    input: inputJson(input),
    summary: {
      newlyDenied: impact.newlyDenied.length,
      newlyDeniedConnections: impact.newlyDeniedConnections,
      newlyAllowed: impact.newlyAllowed.length,
      stillDenied: impact.stillDenied.length,
    },
    newlyDenied: impact.newlyDenied.map(flowJson),
    newlyAllowed: impact.newlyAllowed.map(flowJson),
    stillDenied: impact.stillDenied.map(flowJson),
  };
}

/** The impact as Markdown, for a pull request comment. */
export function flowImpactMarkdown(impact: FlowImpact, input: FlowInput): string {
  const n = impact.newlyDenied.length;
  const lines = [
    '## Observed traffic',
    '',
    cell(inputSummary(input)),
    '',
    n === 0
      ? '**This change denies no observed flow.**'
      : `**This change would deny ${n} observed flow(s)** (${impact.newlyDeniedConnections} connections):`,
  ];
  if (n > 0) lines.push('', ...flowRows(impact.newlyDenied));
  if (impact.newlyAllowed.length > 0) {
    lines.push('', `### Newly allowed (${impact.newlyAllowed.length})`, '', ...flowRows(impact.newlyAllowed));
  }
  if (impact.stillDenied.length > 0) {
    lines.push(
      '',
      `### Denied before and after (${impact.stillDenied.length})`,
      '',
      ...flowRows(impact.stillDenied),
    );
  }
  return `${lines.join('\n')}\n`;
}
