#!/usr/bin/env node
// The npm package's program (the one file scripts/pack.mjs bundles): the `netpol` CLI, plus
// `ui`, which runs the proxy of apps/proxy in-process with the web app built into the package
// (dist/web beside the bundle). The proxy and its Kubernetes client load only for `ui`.
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../../apps/cli/src/cli.ts';
import { UI_USAGE } from '../../../apps/cli/src/commands/ui.ts';
import { processIO } from '../../../apps/cli/src/nodeIO.ts';

const stdout = (text: string) => process.stdout.write(text);
const stderr = (text: string) => process.stderr.write(text);

async function serveUi(argv: readonly string[]): Promise<number> {
  const { launchProxy, untilSignal } = await import('../../../apps/proxy/src/launch.ts');
  return launchProxy({
    argv,
    env: process.env,
    home: process.env.HOME ?? homedir(),
    webRoots: [fileURLToPath(new URL('./web/', import.meta.url))],
    buildHint: 'this package is incomplete (dist/web): reinstall netpol-atlas',
    name: 'netpol ui',
    usage: `Usage:\n${UI_USAGE}`,
    stdout,
    stderr,
    until: untilSignal,
  });
}

runCli(process.argv.slice(2), { ...processIO(), serveUi }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A bug, not a user error: say so plainly, with the trace for the report.
    process.stderr.write(
      `netpol: internal error, please report it: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exitCode = 70;
  },
);
