import { parseArgs, UsageError } from './args.ts';
import { diffCommand } from './commands/diff.ts';
import { explainCommand } from './commands/explain.ts';
import { LINT_USAGE, lintCommand } from './commands/lint.ts';
import { listCommand } from './commands/list.ts';
import { validateCommand } from './commands/validate.ts';
import { WHATIF_USAGE, whatifCommand } from './commands/whatif.ts';
import { InputError } from './inputs.ts';
import type { CliIO } from './io.ts';

const USAGE = `netpol: see and check what Kubernetes NetworkPolicies allow

Usage:
  netpol list --dirpath DIR [-o txt|json|csv|md|dot] [--focusworkload W] [--focus-direction ingress|egress]
              [--focusworkload-peer W] [--focus-conn tcp-8080] [--exposure] [--explain] [-f FILE]
  netpol diff --dir1 OLD --dir2 NEW [-o txt|csv|md|dot] [--ref-names dir1,dir2] [-f FILE]
  netpol explain --dirpath DIR --src A --dst B [--port 80] [--protocol TCP] [-o json]
              A and B: ns/name, ns/name[Kind] or an IPv4 address; exit 0 allowed, 3 denied
  netpol validate PATH...
${LINT_USAGE}
${WHATIF_USAGE}

Inputs: directories (read recursively: .yaml, .yml, .json), files, or - for stdin.
Common options:
  --compat netpol-analyzer   reproduce np-guard netpol-analyzer's deviations from upstream semantics
  --cni NAME                 upstream (default), calico, cilium, antrea, ovn-kubernetes, flannel, kubenet
  -q, --quiet                print errors only       -v, --verbose   print info diagnostics too
`;

const COMMON = { values: ['compat', 'cni', 'file'], booleans: ['quiet', 'verbose', 'help'] };
const ALIASES = { o: 'output', f: 'file', q: 'quiet', v: 'verbose', h: 'help' };

/** Runs one CLI invocation; returns the exit code. Never throws for user mistakes. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
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
            ],
            booleans: [...COMMON.booleans, 'explain', 'exposure', 'multiple-networks'],
            aliases: ALIASES,
          }),
        );
      case 'diff':
        return await diffCommand(
          io,
          parseArgs(rest, {
            values: [...COMMON.values, 'dir1', 'dir2', 'output', 'ref-names'],
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
            values: [...COMMON.values, 'dirpath', 'output', 'fail-on'],
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
      case 'validate':
        return await validateCommand(
          io,
          parseArgs(rest, { values: COMMON.values, booleans: COMMON.booleans, aliases: ALIASES }),
        );
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout(USAGE);
        return command === undefined ? 2 : 0;
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
