#!/usr/bin/env node
import { runCli } from './cli.ts';
import { nodeIO } from './nodeIO.ts';

const io = nodeIO({
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});

runCli(process.argv.slice(2), io).then(
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
