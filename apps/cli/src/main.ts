#!/usr/bin/env node
import { runCli } from './cli.ts';
import { processIO } from './nodeIO.ts';

runCli(process.argv.slice(2), processIO()).then(
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
