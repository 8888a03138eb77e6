#!/usr/bin/env -S npx tsx
// `pnpm start`: the proxy serving the app built in apps/web/dist, until Ctrl+C (see launch.ts).
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { USAGE } from './args.ts';
import { launchProxy, untilSignal } from './launch.ts';

process.exitCode = await launchProxy({
  argv: process.argv.slice(2),
  env: process.env,
  home: process.env.HOME ?? homedir(),
  webRoots: [fileURLToPath(new URL('../../web/dist/', import.meta.url))],
  buildHint: 'run `pnpm --filter @netpol-atlas/web build`',
  name: 'netpol-atlas proxy',
  usage: USAGE,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  until: untilSignal,
});
