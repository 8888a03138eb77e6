import { isDnsLabel } from './resources.ts';

/** The proxy's command line. */
export interface ProxyArgs {
  port: number;
  context: string | undefined;
  namespaces: string[];
  kubeconfig: string | undefined;
  /** The whole list of one resource, in MB. */
  maxListMb: number;
  help: boolean;
}

export const USAGE = `netpol-atlas proxy: the app, plus a read-only view of a live cluster (127.0.0.1 only)

Usage: pnpm start [-- options]      (or: tsx apps/proxy/src/main.ts [options])

  --port <n>          port on 127.0.0.1 (default: $PORT, else 4180; 0 picks a free one)
  --context <name>    kubeconfig context to show, connected at once (default: pick in the app)
  --namespace <ns>    read only this namespace (repeatable; default: all namespaces)
  --kubeconfig <file> kubeconfig to read (default: $KUBECONFIG, else ~/.kube/config)
  --max-list-mb <n>   refuse a resource list larger than this (default: 64)
  -h, --help          this help

Without a kubeconfig the app runs on its demo. Nothing is ever written to the cluster.`;

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
    help: false,
  };
  let portText = env.PORT;
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    if (raw === '--') continue; // pnpm passes it through
    const eq = raw.indexOf('=');
    const flag = raw.startsWith('--') && eq > 0 ? raw.slice(0, eq) : raw;
    const inline = raw.startsWith('--') && eq > 0 ? raw.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new Error(`${flag} needs a value`);
      i += 1;
      return next;
    };
    switch (flag) {
      case '-h':
      case '--help':
        args.help = true;
        break;
      case '--port':
        portText = value();
        break;
      case '--context':
        args.context = value();
        break;
      case '-n':
      case '--namespace': {
        const ns = value();
        if (!isDnsLabel(ns))
          throw new Error(`--namespace ${JSON.stringify(ns)} is not a valid namespace name`);
        if (!args.namespaces.includes(ns)) args.namespaces.push(ns);
        break;
      }
      case '--kubeconfig':
        args.kubeconfig = value();
        break;
      case '--max-list-mb': {
        const n = Number(value());
        if (!Number.isFinite(n) || n <= 0 || n > 4096)
          throw new Error('--max-list-mb must be between 0 and 4096');
        args.maxListMb = n;
        break;
      }
      default:
        throw new Error(`unknown option ${raw}`);
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
