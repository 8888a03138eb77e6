import { parseArgs as parseArgv } from 'node:util';
import { parseDuration } from './launchToken.ts';
import { isDnsLabel } from './resources.ts';

/** The proxy's command line. */
export interface ProxyArgs {
  port: number;
  context: string | undefined;
  namespaces: string[];
  kubeconfig: string | undefined;
  /** The whole list of one resource, in MB. */
  maxListMb: number;
  /** `--token-ttl`: the token's life from the start; undefined: until the proxy stops. */
  tokenTtlMs: number | undefined;
  /** `--idle-timeout`: the token expires after this long unused; undefined: never (`off`). */
  idleTimeoutMs: number | undefined;
  help: boolean;
}

export const USAGE = `netpol-atlas proxy: the app, plus a read-only view of a live cluster (127.0.0.1 only)

Usage: pnpm start [-- options]      (or: tsx apps/proxy/src/main.ts [options])

  --port <n>          port on 127.0.0.1 (default: $PORT, else 4180; 0 picks a free one)
  --context <name>    kubeconfig context to show, connected at once (default: pick in the app)
  --namespace <ns>    read only this namespace (repeatable; default: all namespaces)
  --kubeconfig <file> kubeconfig to read (default: $KUBECONFIG, else ~/.kube/config)
  --max-list-mb <n>   refuse a resource list larger than this (default: 64)
  --token-ttl <d>     the token in the URL expires this long after the start (e.g. 8h, 30m;
                      default: valid until the proxy stops)
  --idle-timeout <d>  the token expires after this long with no tab using it (e.g. 2h;
                      default: off)
  -h, --help          this help

Without a kubeconfig the app runs on its demo. Nothing is ever written to the cluster.`;

/** The flags, for node:util's tokenizer; the checks and messages below are the proxy's own. */
const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  port: { type: 'string' },
  context: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
  kubeconfig: { type: 'string' },
  'max-list-mb': { type: 'string' },
  'token-ttl': { type: 'string' },
  'idle-timeout': { type: 'string' },
} as const;

type OptionName = keyof typeof OPTIONS;

/** A duration flag's value: at least a second, at most a year. */
function duration(flag: string, text: string, offAllowed: boolean): number | undefined {
  if (offAllowed && (text === 'off' || text === '0')) return undefined;
  const ms = parseDuration(text);
  if (ms === undefined || ms < 1000 || ms > 366 * 86_400_000) {
    const off = offAllowed ? ', or off' : '';
    throw new Error(`${flag} must be a duration between 1s and 366d such as 90s, 30m, 8h or 1h30m${off}`);
  }
  return ms;
}

/** Parses argv (without node and the script); throws with a message for the user on errors. */
export function parseArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ProxyArgs {
  const args: ProxyArgs = {
    port: 4180,
    context: undefined,
    namespaces: [],
    kubeconfig: undefined,
    maxListMb: 64,
    tokenTtlMs: undefined,
    idleTimeoutMs: undefined,
    help: false,
  };
  let portText = env.PORT;
  // pnpm passes `--` through; it ends nothing here. Non-strict, so unknown flags and missing
  // values come back as tokens and get this proxy's own messages.
  const given = argv.filter((a) => a !== '--');
  const { tokens } = parseArgv({
    args: given,
    options: OPTIONS,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind === 'positional') throw new Error(`unknown option ${token.value}`);
    if (token.kind !== 'option') continue;
    if (!Object.hasOwn(OPTIONS, token.name)) throw new Error(`unknown option ${given[token.index]}`);
    const name = token.name as OptionName;
    if (name === 'help') {
      args.help = true;
      continue;
    }
    // The tokenizer takes the next argument as the value even when it is another flag.
    const value = token.value;
    if (typeof value !== 'string' || (!token.inlineValue && value.startsWith('--')))
      throw new Error(`${token.rawName} needs a value`);
    switch (name) {
      case 'port':
        portText = value;
        break;
      case 'context':
        args.context = value;
        break;
      case 'namespace':
        if (!isDnsLabel(value))
          throw new Error(`--namespace ${JSON.stringify(value)} is not a valid namespace name`);
        if (!args.namespaces.includes(value)) args.namespaces.push(value);
        break;
      case 'kubeconfig':
        args.kubeconfig = value;
        break;
      case 'max-list-mb': {
        const n = Number(value);
        if (!Number.isFinite(n) || n <= 0 || n > 4096)
          throw new Error('--max-list-mb must be between 0 and 4096');
        args.maxListMb = n;
        break;
      }
      case 'token-ttl':
        args.tokenTtlMs = duration('--token-ttl', value, false);
        break;
      case 'idle-timeout':
        args.idleTimeoutMs = duration('--idle-timeout', value, true);
        break;
    }
  }
  if (portText !== undefined && portText !== '') {
    const port = Number(portText);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new Error(`invalid port ${JSON.stringify(portText)}`);
    args.port = port;
  }
  return args;
}
