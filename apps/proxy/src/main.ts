#!/usr/bin/env -S npx tsx
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs, USAGE } from './args.ts';
import { loadKubeconfig } from './kubeconfig.ts';
import { formatDuration } from './launchToken.ts';
import { startProxy } from './server.ts';

/** Runs the proxy until interrupted. Exit codes: 0 after a signal, 2 for usage errors, 1 otherwise. */
async function main(): Promise<void> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`netpol-atlas proxy: ${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const webRoot = fileURLToPath(new URL('../../web/dist/', import.meta.url));
  const built = existsSync(`${webRoot}index.html`);
  if (!built)
    console.error(
      'netpol-atlas proxy: apps/web/dist is missing: run `pnpm --filter @netpol-atlas/web build`',
    );
  const kubeconfig = loadKubeconfig({
    path: args.kubeconfig,
    env: process.env,
    home: process.env.HOME ?? homedir(),
  });
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  try {
    proxy = await startProxy({
      port: args.port,
      webRoot: built ? webRoot : undefined,
      kubeconfig,
      context: args.context,
      namespaces: args.namespaces,
      syncLimits: { maxListBytes: args.maxListMb * 1024 * 1024 },
      tokenLifetime: { ttlMs: args.tokenTtlMs, idleMs: args.idleTimeoutMs },
      log: (message) => console.error(`netpol-atlas proxy: ${message}`),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'EADDRINUSE'
        ? `port ${args.port} is in use: pass --port <n> (or --port 0 for any free port)`
        : (error as Error).message;
    console.error(`netpol-atlas proxy: ${message}`);
    process.exit(1);
  }
  const where = kubeconfig.found
    ? `kubeconfig from ${kubeconfig.source}; ${kubeconfig.contexts.filter((c) => c.usable).length} usable context(s)${args.context ? `, showing "${args.context}"` : ''}`
    : `${kubeconfig.reason}; the app runs on its demo`;
  const scope = args.namespaces.length > 0 ? `namespaces ${args.namespaces.join(', ')}` : 'all namespaces';
  // The URL line is machine-read by the e2e test: keep its shape.
  console.log(`netpol-atlas proxy: read-only, 127.0.0.1 only (${where}; ${scope})`);
  console.log(`Open ${proxy.url}`);
  const until =
    proxy.tokenExpiresAt === undefined
      ? 'until the proxy stops'
      : `until ${new Date(proxy.tokenExpiresAt).toISOString()} (--token-ttl ${formatDuration(args.tokenTtlMs!)})`;
  const idle =
    args.idleTimeoutMs === undefined ? '' : `, or ${formatDuration(args.idleTimeoutMs)} without use`;
  console.log(`The token in this URL is valid ${until}${idle}; do not share it. Ctrl+C to stop.`);
  const stop = () => {
    void proxy.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await main();
