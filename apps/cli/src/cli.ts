import cliPackage from '../package.json' with { type: 'json' };
import { parseArgs, UsageError, wantsHelp } from './args.ts';
import { diffCommand } from './commands/diff.ts';
import { explainCommand } from './commands/explain.ts';
import { FLOWS_USAGE, flowsCommand } from './commands/flows.ts';
import { LINT_USAGE, lintCommand } from './commands/lint.ts';
import { listCommand } from './commands/list.ts';
import { MIGRATE_USAGE, migrateCommand } from './commands/migrate.ts';
import { NETWORK_OPTIONS } from './commands/shared.ts';
import { TIGHTEN_USAGE, tightenCommand } from './commands/tighten.ts';
import { UI_HELP, UI_USAGE, uiCommand } from './commands/ui.ts';
import { VALIDATE_USAGE, validateCommand } from './commands/validate.ts';
import { WHATIF_USAGE, whatifCommand } from './commands/whatif.ts';
import { InputError } from './inputs.ts';
import type { CliIO } from './io.ts';

/** The usage lines of each command, for `netpol --help` and `netpol COMMAND --help`. */
const COMMAND_USAGE: Readonly<Record<string, string>> = {
  list: `  netpol list --dirpath DIR [-o txt|json|csv|md|dot] [--focusworkload W] [--focus-direction ingress|egress]
              [--focusworkload-peer W] [--focus-conn tcp-8080] [--exposure] [--explain]
              [--explain-only allow|deny] [-f FILE]
              the connections the policies allow`,
  diff: `  netpol diff --dir1 OLD --dir2 NEW [-o txt|csv|md|dot] [--ref-names dir1,dir2] [-f FILE]
              how the allowed connections change from OLD to NEW
  netpol diff --dir1 OLD --dir2 NEW --flows FILE [-o text|json|md|sarif]
              the observed flows the change would deny; exit 1 when there is one`,
  explain: `  netpol explain --dirpath DIR --src A --dst B [--port 80] [--protocol TCP] [-o json]
              A and B: ns/name, ns/name[Kind] or an IPv4 address; exit 0 allowed, 3 denied`,
  validate: VALIDATE_USAGE,
  lint: LINT_USAGE,
  whatif: WHATIF_USAGE,
  migrate: MIGRATE_USAGE,
  flows: FLOWS_USAGE,
  tighten: TIGHTEN_USAGE,
  ui: UI_USAGE,
};

const COMMON_HELP = `Inputs: directories (read recursively: .yaml, .yml, .json), files, or - for stdin.
Common options:
  --compat netpol-analyzer   reproduce np-guard netpol-analyzer's deviations from upstream semantics
  --cni NAME                 upstream (default), calico, cilium, antrea, ovn-kubernetes, flannel, kubenet
  --kube-version X.Y         check the manifests as that API server would (default: current;
                             before 1.36, CIDRs with host bits or IPv4-mapped addresses pass)
  -q, --quiet                print errors only       -v, --verbose   print info diagnostics too
  -h, --help                 print help              --version       print the version
Exit codes: 0 fine, 1 errors in the input (or findings, for lint; or newly denied observed flows, for
diff --flows), 2 usage errors, 3 denied (explain).
`;

const USAGE = `netpol: see and check what Kubernetes NetworkPolicies allow

Usage:
${Object.values(COMMAND_USAGE).join('\n')}

${COMMON_HELP}`;

/** The help of one command: its usage lines and the options every command shares. */
function commandHelp(command: string): string {
  return `netpol ${command}: see and check what Kubernetes NetworkPolicies allow

Usage:
${COMMAND_USAGE[command]}

${command === 'ui' ? UI_HELP : COMMON_HELP}`;
}

const COMMON = { values: ['compat', 'cni', 'file', 'kube-version'], booleans: ['quiet', 'verbose', 'help'] };
const ALIASES = { o: 'output', f: 'file', q: 'quiet', v: 'verbose', h: 'help' };

/** Runs one CLI invocation; returns the exit code. Never throws for user mistakes. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-V' || command === 'version') {
    io.stdout(`netpol ${cliPackage.version}\n`);
    return 0;
  }
  // Help comes before the command's own checks: `netpol diff --help` needs no --dir1.
  if (command !== undefined && command in COMMAND_USAGE && wantsHelp(rest)) {
    io.stdout(commandHelp(command));
    return 0;
  }
  try {
    switch (command) {
      case 'list':
        return await listCommand(
          io,
          parseArgs(rest, {
            values: [
              ...COMMON.values,
              'dirpath',
              'output',
              'focusworkload',
              'focusworkload-peer',
              'focus-direction',
              'focus-conn',
              'explain-only',
            ],
            booleans: [...COMMON.booleans, 'explain', 'exposure', 'multiple-networks'],
            aliases: ALIASES,
          }),
        );
      case 'diff':
        return await diffCommand(
          io,
          parseArgs(rest, {
            values: [...COMMON.values, 'dir1', 'dir2', 'output', 'ref-names', 'flows'],
            booleans: [...COMMON.booleans, 'multiple-networks'],
            aliases: ALIASES,
          }),
        );
      case 'explain':
        return await explainCommand(
          io,
          parseArgs(rest, {
            values: [...COMMON.values, 'dirpath', 'src', 'dst', 'port', 'protocol', 'output'],
            booleans: COMMON.booleans,
            aliases: ALIASES,
          }),
        );
      case 'lint':
        return await lintCommand(
          io,
          parseArgs(rest, {
            values: [...COMMON.values, 'dirpath', 'output', 'fail-on', ...NETWORK_OPTIONS, 'flows'],
            booleans: COMMON.booleans,
            aliases: ALIASES,
          }),
        );
      case 'whatif':
        return await whatifCommand(
          io,
          parseArgs(rest, {
            values: [...COMMON.values, 'dirpath', 'workload', 'output', 'max-evaluations'],
            booleans: COMMON.booleans,
            aliases: ALIASES,
          }),
        );
      case 'migrate':
        return await migrateCommand(
          io,
          parseArgs(rest, {
            values: [...COMMON.values, 'dirpath', 'output', 'baseline-priority'],
            booleans: [...COMMON.booleans, 'dry-run', 'force'],
            aliases: ALIASES,
          }),
        );
      case 'flows':
        return await flowsCommand(
          io,
          parseArgs(rest, {
            values: [...COMMON.values, 'dirpath', 'output', 'flows'],
            booleans: [...COMMON.booleans, 'all'],
            aliases: ALIASES,
          }),
        );
      case 'tighten':
        return await tightenCommand(
          io,
          parseArgs(rest, {
            values: [...COMMON.values, 'dirpath', 'output', 'flows', 'namespace', 'workload'],
            booleans: [...COMMON.booleans, 'keep-dns', 'write', 'accept-denied'],
            aliases: ALIASES,
          }),
        );
      case 'validate':
        return await validateCommand(
          io,
          parseArgs(rest, {
            values: [...COMMON.values, 'field-validation'],
            booleans: COMMON.booleans,
            aliases: ALIASES,
          }),
        );
      case 'ui':
        // The proxy parses its own options (the same as `pnpm start`'s).
        return await uiCommand(io, rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h': {
        // `netpol help diff` is `netpol diff --help`.
        const topic = rest[0];
        io.stdout(topic !== undefined && topic in COMMAND_USAGE ? commandHelp(topic) : USAGE);
        return command === undefined ? 2 : 0;
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`netpol: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof InputError) {
      io.stderr(`Error: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
