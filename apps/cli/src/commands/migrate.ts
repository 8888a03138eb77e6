import { type CheckedMigration, type MigrationIssue, migrateWorkspace } from '@netpol-atlas/authoring';
import { optionFlag, optionValue, type ParsedArgs, UsageError } from '../args.ts';
import type { CliIO } from '../io.ts';
import { loadWorkspace } from '../load.ts';
import { clusterOptions } from './shared.ts';

/** The usage lines of `netpol migrate`, for the CLI's help text. */
export const MIGRATE_USAGE = `  netpol migrate --dirpath DIR -o OUTDIR [--dry-run] [--force] [--baseline-priority N]
              AdminNetworkPolicy/BaselineAdminNetworkPolicy (v1alpha1) to ClusterNetworkPolicy
              (v1alpha2): writes the converted set to OUTDIR (other files copied as they are) and
              proves it equivalent; exit 1 when a connection differs or something is unconvertible`;

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

/** `--baseline-priority N`: the Baseline-tier priority of the converted BANP (0..1000). */
function baselinePriority(args: ParsedArgs): number | undefined {
  const text = optionValue(args, 'baseline-priority');
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 1000) {
    throw new UsageError(`--baseline-priority must be a whole number from 0 to 1000, not "${text}"`);
  }
  return n;
}

/** The one input directory (or file) and the output directory, checked before anything is read. */
function locations(
  io: CliIO,
  args: ParsedArgs,
  dryRun: boolean,
): { input: string; output: string | undefined } {
  const inputs = [...(args.options.get('dirpath') ?? []), ...args.positionals];
  if (inputs.length !== 1 || inputs[0] === '-') {
    throw new UsageError('migrate reads one directory or file: pass --dirpath DIR');
  }
  const output = optionValue(args, 'output');
  if (output === undefined && !dryRun) throw new UsageError('migrate needs -o OUTDIR (or --dry-run)');
  if (output !== undefined && !dryRun) {
    const kind = io.stat(output);
    if (kind === 'file') throw new UsageError(`-o ${output} is a file; give a directory`);
    if (kind === 'directory' && io.readDir(output).length > 0 && !optionFlag(args, 'force')) {
      throw new UsageError(`${output} is not empty; pass --force to write into it anyway`);
    }
  }
  return { input: inputs[0]!, output };
}

/** The path of an input file relative to the input (a directory, or the file itself). */
function relativePath(io: CliIO, input: string, path: string): string {
  if (io.stat(input) === 'file') return path.split(/[/\\]/).at(-1)!;
  return path.slice(input.length).replace(/^[/\\]+/, '');
}

function issueLine(issue: MigrationIssue): string {
  const where = issue.range ? `${issue.file}:${issue.range.start.line}` : issue.file;
  const field = issue.field ? ` ${issue.field}` : '';
  return `  ${issue.severity.padEnd(7)} ${where} ${issue.object}${field}: ${issue.message} [${issue.code}]`;
}

/** The summary a person reads: what was converted, the issues, and the equivalence verdict. */
function summary(migration: CheckedMigration, verbose: boolean): string {
  const lines: string[] = [];
  const { converted, issues, equivalence } = migration;
  const kinds = (kind: string) => converted.filter((c) => c.from.kind === kind).length;
  lines.push(
    `converted ${converted.length} (${kinds('AdminNetworkPolicy')} AdminNetworkPolicy, ${kinds('BaselineAdminNetworkPolicy')} BaselineAdminNetworkPolicy) in ${migration.edits.length} file(s)`,
  );
  for (const c of converted) {
    lines.push(
      `  ${c.from.kind}/${c.from.name} -> ClusterNetworkPolicy/${c.to.name} (${c.to.tier} tier, priority ${c.to.priority})  ${c.from.file}`,
    );
  }
  const shown = issues
    .filter((i) => verbose || i.severity !== 'info')
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  const count = (severity: string) => issues.filter((i) => i.severity === severity).length;
  lines.push(`issues: ${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} info`);
  for (const issue of shown) lines.push(issueLine(issue));
  if (equivalence.proven) {
    lines.push(`equivalence: proven (${equivalence.identical} connections identical, none differs)`);
  } else {
    lines.push(`equivalence: ${equivalence.differences.length} connection(s) differ`);
    for (const d of equivalence.differences) lines.push(`  ${d.src} => ${d.dst}: ${d.before} -> ${d.after}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `netpol migrate`: converts the v1alpha1 cluster policies of one directory to
 * ClusterNetworkPolicies, writes the converted set to OUTDIR (every manifest file, at its path
 * relative to DIR: the converted ones rewritten, the others copied as they are) and prints what
 * it did, the issues and the evaluator's equivalence verdict. `--dry-run` prints the changed files
 * instead of writing. Exit 0 when the conversion is exact, 1 when a connection differs or an issue
 * is an error (something unconvertible), 2 for usage errors (raised as UsageError for runCli).
 */
export async function migrateCommand(io: CliIO, args: ParsedArgs): Promise<number> {
  const dryRun = optionFlag(args, 'dry-run');
  const { input, output } = locations(io, args, dryRun);
  const priority = baselinePriority(args);
  const options = clusterOptions(args);
  const { workspace } = await loadWorkspace(io, [input], options);
  const migration = migrateWorkspace(workspace, priority === undefined ? {} : { baselinePriority: priority });
  if (dryRun) {
    for (const edit of migration.edits) {
      io.stdout(`--- ${edit.path}\n${edit.after.endsWith('\n') ? edit.after : `${edit.after}\n`}`);
    }
  } else if (output !== undefined) {
    const changed = new Set(migration.edits.map((e) => e.path));
    io.makeDir(output);
    for (const file of migration.files) {
      const relative = relativePath(io, input, file.path);
      const parts = relative.split(/[/\\]/);
      if (parts.length > 1) io.makeDir(io.join(output, ...parts.slice(0, -1)));
      io.writeFile(io.join(output, ...parts), file.text);
    }
    io.stdout(
      `wrote ${migration.files.length} file(s) to ${output}: ${changed.size} converted, ${migration.files.length - changed.size} copied as they are\n`,
    );
  }
  io.stdout(summary(migration, options.verbose));
  const unconvertible = migration.issues.some((i) => i.severity === 'error');
  return migration.equivalence.proven && !unconvertible ? 0 : 1;
}
