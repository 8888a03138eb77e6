// The cli-* figures: the `netpol` CLI end to end on a synthetic cluster written to disk, as a
// user runs it: start, read every file, parse, build, analyse, format and print every connection.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Figure, type FigureSpec, MB, median, round } from './measure.ts';

/**
 * Prints the process's peak RSS (KiB) on stderr as it exits: loaded with `--require` before the
 * CLI, so the figure needs no platform tool to read a child's peak memory.
 */
const PEAK_PROBE = `process.on('exit', () => {
  require('node:fs').writeSync(2, '\\nbench-peak-kib ' + process.resourceUsage().maxRSS + '\\n');
});
`;

/**
 * `netpol list --dirpath DIR` (txt, to a discarded stdout) on the cluster of `spec`, in a fresh
 * Node process per run. The CLI is bundled with esbuild first, as the npm package ships it, so
 * no run pays for TypeScript transpilation.
 */
export async function measureCli(
  spec: FigureSpec,
  files: readonly { path: string; text: string }[],
  sizes: Record<string, number>,
  runs: number,
): Promise<Figure> {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-cli-bench-'));
  try {
    const input = join(dir, 'input');
    for (const file of files) {
      const path = join(input, file.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.text);
    }
    const cli = join(dir, 'netpol.mjs');
    await build({
      entryPoints: [fileURLToPath(new URL('../apps/cli/src/main.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: cli,
      // Bundled CommonJS dependencies may call require: give the ESM bundle one.
      banner: {
        js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
      logLevel: 'warning',
    });
    const probe = join(dir, 'peak.cjs');
    writeFileSync(probe, PEAK_PROBE);
    const times: number[] = [];
    const peaks: number[] = [];
    let exitCode = 0;
    for (let run = 0; run <= runs; run++) {
      const t0 = performance.now();
      const child = spawnSync(process.execPath, ['--require', probe, cli, 'list', '--dirpath', input], {
        stdio: ['ignore', 'ignore', 'pipe'],
        maxBuffer: 64 * MB,
      });
      const ms = performance.now() - t0;
      const stderr = child.stderr?.toString() ?? '';
      const peak = /bench-peak-kib (\d+)/.exec(stderr);
      exitCode = child.status ?? -1;
      if (child.status !== 0 && child.status !== 1)
        throw new Error(
          `${spec.name}: the CLI exited with ${child.status ?? child.signal}: ${stderr.slice(-2000)}`,
        );
      // Run 0 warms the file cache and is not reported.
      if (run > 0) {
        times.push(ms);
        if (peak) peaks.push(Number(peak[1]) / 1024);
      }
    }
    return {
      name: spec.name,
      ms: round(median(times)),
      peakMB: round(peaks.length > 0 ? Math.max(...peaks) : 0),
      minMs: round(Math.min(...times)),
      runs,
      ...sizes,
      files: files.length,
      exitCode,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
