// `netpol ui`: the browser app, served with a read-only view of live clusters by the proxy of
// apps/proxy, the same way `pnpm start` serves it in a clone. The proxy and its Kubernetes
// client are imported only when this command runs, so every other command starts without
// evaluating them.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { CliIO } from '../io.ts';

export const UI_USAGE = `  netpol ui [--context NAME] [--port N] [--namespace NS]... [--kubeconfig FILE] [--max-list-mb N]
              serve the app on 127.0.0.1 (default port 4180, 0: any free one) with a read-only
              view of the kubeconfig's clusters, and print its URL; Ctrl+C stops it`;

/**
 * Where the built app may be, in order: beside the bundle in the npm package (`dist/web/`), then
 * `apps/web/dist` when the CLI runs from its sources in a clone.
 */
const WEB_ROOTS = [new URL('./web/', import.meta.url), new URL('../../../web/dist/', import.meta.url)];

/** What the proxy needs to know about a running one, for callers of {@link uiCommand}. */
export interface RunningUi {
  url: string;
  origin: string;
  token: string;
}

/** The environment of `netpol ui`: parameters so tests never read the developer's kubeconfig. */
export interface UiEnvironment {
  env: Readonly<Record<string, string | undefined>>;
  home: string | undefined;
  /** Directories that may hold the built app (the first with an index.html wins). */
  webRoots: readonly string[];
  /** Resolves when the proxy should stop; the default is the first SIGINT or SIGTERM. */
  until(proxy: RunningUi): Promise<void>;
}

/** Resolves on the first SIGINT or SIGTERM, and leaves the handlers as they were. */
function untilSignal(): Promise<void> {
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

function defaultEnvironment(): UiEnvironment {
  return {
    env: process.env,
    home: process.env.HOME ?? homedir(),
    webRoots: WEB_ROOTS.map((url) => fileURLToPath(url)),
    until: untilSignal,
  };
}

/**
 * Starts the proxy with the built app and waits until it should stop. Exit codes: 0 after a
 * stop, 2 for usage errors, 1 when the proxy cannot start (port in use, unknown context).
 */
export async function uiCommand(
  io: CliIO,
  argv: readonly string[],
  environment: Partial<UiEnvironment> = {},
): Promise<number> {
  const { env, home, webRoots, until } = { ...defaultEnvironment(), ...environment };
  const [{ parseArgs }, { loadKubeconfig }, { startProxy }] = await Promise.all([
    import('../../../proxy/src/args.ts'),
    import('../../../proxy/src/kubeconfig.ts'),
    import('../../../proxy/src/server.ts'),
  ]);
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv, env);
  } catch (error) {
    io.stderr(`netpol ui: ${(error as Error).message}\n\nUsage:\n${UI_USAGE}\n`);
    return 2;
  }
  const webRoot = webRoots.find((root) => existsSync(`${root.replace(/\/?$/, '/')}index.html`));
  if (webRoot === undefined)
    io.stderr('netpol ui: the built app is missing (in a clone: `pnpm --filter @netpol-atlas/web build`)\n');
  const kubeconfig = loadKubeconfig({ path: args.kubeconfig, env, home });
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  try {
    proxy = await startProxy({
      port: args.port,
      webRoot,
      kubeconfig,
      context: args.context,
      namespaces: args.namespaces,
      syncLimits: { maxListBytes: args.maxListMb * 1024 * 1024 },
      log: (message) => io.stderr(`netpol ui: ${message}\n`),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'EADDRINUSE'
        ? `port ${args.port} is in use: pass --port <n> (or --port 0 for any free port)`
        : (error as Error).message;
    io.stderr(`netpol ui: ${message}\n`);
    return 1;
  }
  const where = kubeconfig.found
    ? `kubeconfig from ${kubeconfig.source}; ${kubeconfig.contexts.filter((c) => c.usable).length} usable context(s)${args.context ? `, showing "${args.context}"` : ''}`
    : `${kubeconfig.reason}; the app runs on its demo`;
  const scope = args.namespaces.length > 0 ? `namespaces ${args.namespaces.join(', ')}` : 'all namespaces';
  // The same lines as the proxy's own launcher: scripts and tests read the `Open URL` line.
  io.stdout(`netpol-atlas: read-only, 127.0.0.1 only (${where}; ${scope})\n`);
  io.stdout(`Open ${proxy.url}\n`);
  io.stdout('The token in this URL is valid until the proxy stops; do not share it. Ctrl+C to stop.\n');
  try {
    await until({ url: proxy.url, origin: proxy.origin, token: proxy.token });
  } finally {
    await proxy.close();
  }
  return 0;
}
