// The proxy as a program, callable: parse its command line, find the kubeconfig, start, print the
// URL to open, and stop when told. `pnpm start` (main.ts) and the npm package's `netpol-atlas ui`
// (which bundles it) both run it; everything it touches outside comes in as a parameter, so tests never read
// the developer's kubeconfig or install signal handlers.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from './args.ts';
import { loadKubeconfig } from './kubeconfig.ts';
import { formatDuration } from './launchToken.ts';
import { startProxy } from './server.ts';

/** What a running proxy tells whoever decides when it stops. */
export interface LaunchedProxy {
  url: string;
  origin: string;
  token: string;
}

/** Everything {@link launchProxy} reads or writes. */
export interface ProxyLaunch {
  /** The proxy's options (see args.ts), without the program name. */
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  home: string | undefined;
  /** Folders that may hold the built app; the first with an index.html is served. */
  webRoots: readonly string[];
  /** How to build the app, for the warning when no web root has it. */
  buildHint: string;
  /** Prefix of every message on stderr, e.g. `netpol ui`. */
  name: string;
  /** The usage text printed after a usage error. */
  usage: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Resolves when the proxy should stop (a signal, or a test that is done). */
  until(proxy: LaunchedProxy): Promise<void>;
}

/** Resolves on the first SIGINT or SIGTERM, and leaves the process's handlers as they were. */
export function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/**
 * Starts the proxy with the built app and waits until `until` resolves. Exit codes: 0 after a
 * stop, 2 for usage errors, 1 when the proxy cannot start (port in use, unknown context).
 */
export async function launchProxy(launch: ProxyLaunch): Promise<number> {
  const say = (text: string) => launch.stderr(`${launch.name}: ${text}\n`);
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(launch.argv, launch.env);
  } catch (error) {
    launch.stderr(`${launch.name}: ${(error as Error).message}\n\n${launch.usage}\n`);
    return 2;
  }
  if (args.help) {
    launch.stdout(`${launch.usage}\n`);
    return 0;
  }
  const webRoot = launch.webRoots.find((root) => existsSync(join(root, 'index.html')));
  if (webRoot === undefined) say(`the built app is missing: ${launch.buildHint}`);
  const kubeconfig = loadKubeconfig({ path: args.kubeconfig, env: launch.env, home: launch.home });
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  try {
    proxy = await startProxy({
      port: args.port,
      webRoot,
      kubeconfig,
      context: args.context,
      namespaces: args.namespaces,
      syncLimits: { maxListBytes: args.maxListMb * 1024 * 1024 },
      tokenLifetime: { ttlMs: args.tokenTtlMs, idleMs: args.idleTimeoutMs },
      log: say,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    say(
      code === 'EADDRINUSE'
        ? `port ${args.port} is in use: pass --port <n> (or --port 0 for any free port)`
        : (error as Error).message,
    );
    return 1;
  }
  const where = kubeconfig.found
    ? `kubeconfig from ${kubeconfig.source}; ${kubeconfig.contexts.filter((c) => c.usable).length} usable context(s)${args.context ? `, showing "${args.context}"` : ''}`
    : `${kubeconfig.reason}; the app runs on its demo`;
  const scope = args.namespaces.length > 0 ? `namespaces ${args.namespaces.join(', ')}` : 'all namespaces';
  // The URL line is machine-read (the e2e test, the package's smoke test): keep its shape.
  launch.stdout(`netpol-atlas proxy: read-only, 127.0.0.1 only (${where}; ${scope})\n`);
  launch.stdout(`Open ${proxy.url}\n`);
  const valid =
    proxy.tokenExpiresAt === undefined
      ? 'until the proxy stops'
      : `until ${new Date(proxy.tokenExpiresAt).toISOString()} (--token-ttl ${formatDuration(args.tokenTtlMs!)})`;
  const idle =
    args.idleTimeoutMs === undefined ? '' : `, or ${formatDuration(args.idleTimeoutMs)} without use`;
  launch.stdout(`The token in this URL is valid ${valid}${idle}; do not share it. Ctrl+C to stop.\n`);
  try {
    await launch.until({ url: proxy.url, origin: proxy.origin, token: proxy.token });
  } finally {
    await proxy.close();
  }
  return 0;
}
