import {
  type ObservedConnection,
  type ObservedEnd,
  planTighten,
  type TightenPlan,
} from '@netpol-atlas/authoring';
import { formatIPv4, plural } from '@netpol-atlas/evaluator';
import type { FlowEnd } from '@netpol-atlas/flows';
import type { Workspace } from '@netpol-atlas/workspace';
import { optionFlag, optionValue, type ParsedArgs, UsageError } from '../args.ts';
import type { CliIO } from '../io.ts';
import { loadWorkspace } from '../load.ts';
import { observeFlows } from './flows.ts';
import { flowsOption } from './flowsInput.ts';
import { clusterOptions, writeOutput } from './shared.ts';

/** The usage lines of `netpol tighten`, for the CLI's help text. */
export const TIGHTEN_USAGE = `  netpol tighten DIR --flows FILE (--namespace NS | --workload NS/KIND/NAME) [--keep-dns]
              [-o text|yaml|json|md] [--write] [--accept-denied]
              the policies that allow exactly the observed traffic of a namespace or workload
              (ingress and egress), verified: observed connections kept, connections removed,
              observed ones that would be denied; --write applies the edit to the files (refused
              while it would deny observed traffic, unless --accept-denied); exit 1 when it would`;

const FORMATS = ['text', 'yaml', 'json', 'md'] as const;
type TightenFormat = (typeof FORMATS)[number];

type Ok = Extract<TightenPlan, { ok: true }>;

/** `--namespace NS` or `--workload NS/KIND/NAME` (also `ns/name[Kind]`), resolved on the workspace. */
function scopeOf(args: ParsedArgs, workspace: Workspace) {
  const namespace = optionValue(args, 'namespace');
  const workload = optionValue(args, 'workload');
  if ((namespace === undefined) === (workload === undefined)) {
    throw new UsageError('tighten needs one of --namespace NS or --workload NS/KIND/NAME');
  }
  if (namespace !== undefined) return { kind: 'namespace' as const, name: namespace };
  const text = workload!;
  const workloads = workspace.cluster().cluster.workloads;
  const parts = text.split('/');
  const match =
    workloads.find((w) => w.id === text) ??
    (parts.length === 3
      ? workloads.find(
          (w) =>
            w.namespace === parts[0] &&
            w.kind.toLowerCase() === parts[1]!.toLowerCase() &&
            w.name === parts[2],
        )
      : undefined);
  if (!match && parts.length !== 3 && !text.endsWith(']')) {
    throw new UsageError(`--workload takes NS/KIND/NAME (e.g. default/Deployment/frontend), not "${text}"`);
  }
  // An unknown workload is the planner's to report, with the id as written.
  return { kind: 'workload' as const, id: match?.id ?? text };
}

function observedEnd(end: FlowEnd): ObservedEnd {
  return end.kind === 'workload'
    ? { kind: 'workload', id: end.workload.id }
    : { kind: 'external', address: formatIPv4(end.address) };
}

function connectionLine(c: {
  src: string;
  dst: string;
  protocol: string;
  port: number;
  count?: number | undefined;
}): string {
  return `${c.src} => ${c.dst} ${c.protocol} ${c.port}${c.count !== undefined ? ` x${c.count}` : ''}`;
}

/** The YAML documents of a file's text (split on `---` lines). */
function documents(text: string): string[] {
  return text
    .split(/^---[ \t]*$/m)
    .map((d) => d.trim())
    .filter((d) => d !== '');
}

/** The documents the edit changes or adds, each after a `# file:` comment: what a reviewer reads. */
function changedDocuments(plan: Ok): string {
  const out: string[] = [];
  for (const edit of plan.edits) {
    const before = new Set(documents(edit.before ?? ''));
    for (const doc of documents(edit.after)) {
      if (!before.has(doc))
        out.push(`# file: ${edit.path}${edit.before === undefined ? ' (new)' : ''}\n${doc}\n`);
    }
  }
  return out.join('---\n');
}

/** The files as they would be written, each after a `# file:` comment. */
function yamlText(plan: Ok): string {
  return plan.edits
    .map(
      (e) =>
        `# file: ${e.path}${e.before === undefined ? ' (new)' : ''}\n${e.after.endsWith('\n') ? e.after : `${e.after}\n`}`,
    )
    .join('---\n');
}

function previewLines(plan: Ok): string[] {
  const t = plan.tighten;
  const lines = [plan.summary, ''];
  lines.push(`workloads tightened: ${t.subjects.join(', ')}`);
  lines.push(`observed and kept:             ${plural(t.kept.length, 'connection')}`);
  lines.push(`removed (allowed, unobserved): ${plural(t.removed.length, 'connection')}`);
  lines.push(`observed but would be denied:  ${plural(t.denied.length, 'connection')}`);
  if (t.kept.length > 0) {
    lines.push('', 'Kept (observed):');
    for (const k of t.kept) lines.push(`  ${connectionLine(k)}${k.allowedBefore ? '' : ' (newly allowed)'}`);
  }
  if (t.removed.length > 0) {
    lines.push('', 'Removed (allowed before, never observed):');
    for (const c of t.removed) lines.push(`  ${c.src} => ${c.dst} : ${c.ports}`);
  }
  if (t.denied.length > 0) {
    lines.push(
      '',
      `Observed but denied after the change${t.acceptanceRequired ? ' (pass --accept-denied to accept)' : ' (accepted)'}:`,
    );
    for (const d of t.denied) {
      lines.push(
        `  ${connectionLine(d)}${d.allowedBefore ? ' (allowed now)' : ' (denied now too)'}: ${d.reason}`,
      );
    }
  }
  if (t.beyond.length > 0) {
    lines.push('', 'Still allowed without being observed:');
    for (const b of t.beyond) lines.push(`  ${b.src} => ${b.dst} : ${b.ports} (${b.reason})`);
  }
  if (t.ignored.length > 0) {
    lines.push('', 'Observations left out:');
    for (const i of t.ignored) lines.push(`  ${i.observation}: ${i.reason}`);
  }
  if (plan.warnings.length > 0) {
    lines.push('', 'Warnings:');
    for (const w of plan.warnings) lines.push(`  ${w}`);
  }
  return lines;
}

function markdown(plan: Ok): string {
  const t = plan.tighten;
  const lines = ['# Tighten to observed traffic', '', plan.summary, '', '| | Connections |', '| --- | --- |'];
  lines.push(
    `| Observed and kept | ${t.kept.length} |`,
    `| Removed (allowed, never observed) | ${t.removed.length} |`,
  );
  lines.push(`| Observed but would be denied | ${t.denied.length} |`, '');
  const table = (title: string, head: string, rows: string[]) => {
    if (rows.length === 0) return;
    lines.push(`## ${title}`, '', head, `|${' --- |'.repeat(head.split('|').length - 2)}`, ...rows, '');
  };
  const cell = (s: string) => s.replaceAll('|', '\\|');
  table(
    'Kept',
    '| Source | Destination | Port | Count |',
    t.kept.map((k) => `| ${k.src} | ${k.dst} | ${k.protocol} ${k.port} | ${k.count ?? ''} |`),
  );
  table(
    'Removed',
    '| Source | Destination | Ports |',
    t.removed.map((c) => `| ${c.src} | ${c.dst} | ${c.ports} |`),
  );
  table(
    'Denied observed',
    '| Source | Destination | Port | Why |',
    t.denied.map((d) => `| ${d.src} | ${d.dst} | ${d.protocol} ${d.port} | ${cell(d.reason)} |`),
  );
  table(
    'Still allowed, not observed',
    '| Source | Destination | Ports | Why |',
    t.beyond.map((b) => `| ${b.src} | ${b.dst} | ${b.ports} | ${cell(b.reason)} |`),
  );
  if (plan.warnings.length > 0) lines.push('## Warnings', '', ...plan.warnings.map((w) => `- ${w}`), '');
  if (plan.edits.length > 0) lines.push('## Changes', '', '```yaml', yamlText(plan).trimEnd(), '```', '');
  return `${lines.join('\n')}\n`;
}

function json(plan: Ok, unmatched: number): string {
  const { tighten: t } = plan;
  return `${JSON.stringify(
    {
      tool: 'netpol-atlas',
      summary: plan.summary,
      counts: {
        kept: t.kept.length,
        removed: t.removed.length,
        denied: t.denied.length,
        beyond: t.beyond.length,
        unmatchedRecords: unmatched,
      },
      acceptanceRequired: t.acceptanceRequired,
      subjects: t.subjects,
      kept: t.kept,
      removed: t.removed.map((c) => ({
        src: c.src,
        dst: c.dst,
        before: c.before,
        after: c.after,
        ports: c.ports,
      })),
      denied: t.denied,
      beyond: t.beyond,
      tierDecided: t.tierDecided,
      ignored: t.ignored,
      warnings: plan.warnings,
      edits: plan.edits.map((e) => ({
        path: e.path,
        created: e.before === undefined,
        changes: e.changes,
        after: e.after,
      })),
    },
    null,
    2,
  )}\n`;
}

/** Where a file the edit creates goes: under the input directory (its paths are relative). */
function targetPath(io: CliIO, input: string, path: string): string {
  const base = io.stat(input) === 'directory' ? input : input.split(/[/\\]/).slice(0, -1).join('/') || '.';
  return io.join(base, ...path.split('/'));
}

/**
 * `netpol tighten DIR --flows FILE (--namespace NS | --workload NS/KIND/NAME)`: plans the policies
 * that allow exactly the observed traffic of the scope, prints the evaluator's preview and the
 * YAML, and with `--write` applies the edit to the files. Exit 0 when nothing observed would be
 * denied (or it was accepted), 1 when something would be (nothing is written), or on input
 * errors and plans that cannot be made.
 */
export async function tightenCommand(io: CliIO, args: ParsedArgs): Promise<number> {
  const text = optionValue(args, 'output') ?? 'text';
  if (!(FORMATS as readonly string[]).includes(text)) {
    throw new UsageError(`unsupported output format "${text}" for tighten; use one of ${FORMATS.join(', ')}`);
  }
  const format = text as TightenFormat;
  const inputs = [...(args.options.get('dirpath') ?? []), ...args.positionals];
  if (inputs.length !== 1 || inputs[0] === '-')
    throw new UsageError('tighten reads one directory or file: netpol tighten DIR');
  const file = flowsOption(args);
  if (!file) throw new UsageError('tighten needs --flows FILE (Hubble JSON, Calico flow logs or CSV)');
  const options = clusterOptions(args);
  const loaded = await loadWorkspace(io, inputs, options);
  if (!loaded.ok) return 1;
  const scope = scopeOf(args, loaded.workspace);
  const { reports } = await observeFlows(io, file, [loaded.workspace], options);
  const report = reports[0]!;
  const observed: ObservedConnection[] = report.flows.map((f) => ({
    src: observedEnd(f.src),
    dst: observedEnd(f.dst),
    protocol: f.protocol,
    port: f.port,
    count: f.count,
  }));
  const plan = planTighten(loaded.workspace, scope, observed, {
    keepDns: optionFlag(args, 'keep-dns'),
    acceptDenied: optionFlag(args, 'accept-denied'),
  });
  if (!plan.ok) {
    io.stderr(`netpol tighten: ${plan.message} [${plan.reason}]\n`);
    return 1;
  }
  const unmatched = report.unmatched.records;
  const render: Record<TightenFormat, () => string> = {
    text: () => {
      const lines = previewLines(plan);
      if (unmatched > 0)
        lines.push(
          '',
          `${plural(unmatched, 'flow record')} matched no workload: not considered (see netpol flows)`,
        );
      if (plan.edits.length > 0) {
        lines.push(
          '',
          'YAML (changed and new policies; -o yaml prints the whole files):',
          changedDocuments(plan).trimEnd(),
        );
      }
      return `${lines.join('\n')}\n`;
    },
    yaml: () => (plan.edits.length > 0 ? yamlText(plan) : '# nothing to change\n'),
    json: () => json(plan, unmatched),
    md: () => markdown(plan),
  };
  writeOutput(io, args, render[format]());
  if (plan.tighten.acceptanceRequired) {
    if (optionFlag(args, 'write'))
      io.stderr(
        'netpol tighten: nothing written: the change would deny observed traffic (see above); pass --accept-denied to write it anyway\n',
      );
    return 1;
  }
  if (optionFlag(args, 'write')) {
    for (const edit of plan.edits) {
      const path = edit.before === undefined ? targetPath(io, inputs[0]!, edit.path) : edit.path;
      if (edit.before === undefined) {
        const dir = path.split(/[/\\]/).slice(0, -1).join('/');
        if (dir) io.makeDir(dir);
      }
      io.writeFile(path, edit.after);
    }
    io.stderr(`wrote ${plural(plan.edits.length, 'file')}\n`);
  }
  return loaded.inputErrors.length > 0 ? 1 : 0;
}
