// The cli-* figures: the `netpol` CLI end to end on a synthetic cluster written to disk, as a
// user runs it: start, read every file, parse, build, analyse, format and print every connection.
// Then where the time goes: the same stages once more in this process, timed one by one with the
// CLI's own functions, so that the analysis's share (the evaluator's) is apart from the rest.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Workspace } from '@netpol-atlas/workspace';
import { build } from 'esbuild';
import { renderList } from '../apps/cli/src/format/list.ts';
import { readInputs } from '../apps/cli/src/inputs.ts';
import { nodeIO } from '../apps/cli/src/nodeIO.ts';
import { writeText } from '../apps/cli/src/output.ts';
import { buildListReport } from '../apps/cli/src/report.ts';
import { collectGarbage, type Figure, type FigureSpec, MB, median, round } from './measure.ts';

/**
 * Prints the process's peak RSS (KiB) and CPU time (ms, all threads) on stderr as it exits: loaded with `--require` before the
 * CLI, so the figure needs no platform tool to read a child's peak memory.
 */
const PEAK_PROBE = `process.on('exit', () => {
  const usage = process.resourceUsage();
  const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
  require('node:fs').writeSync(2, '\\nbench-peak-kib ' + usage.maxRSS + ' cpu-ms ' + cpuMs + '\\n');
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
    // CPU time says more than wall time on a shared machine: it does not count waiting for a core.
    const cpus: number[] = [];
    let exitCode = 0;
    for (let run = 0; run <= runs; run++) {
      const t0 = performance.now();
      const child = spawnSync(process.execPath, ['--require', probe, cli, 'list', '--dirpath', input], {
        stdio: ['ignore', 'ignore', 'pipe'],
        maxBuffer: 64 * MB,
      });
      const ms = performance.now() - t0;
      const stderr = child.stderr?.toString() ?? '';
      const peak = /bench-peak-kib (\d+) cpu-ms ([\d.]+)/.exec(stderr);
      exitCode = child.status ?? -1;
      if (child.status !== 0 && child.status !== 1)
        throw new Error(
          `${spec.name}: the CLI exited with ${child.status ?? child.signal}: ${stderr.slice(-2000)}`,
        );
      // Run 0 warms the file cache and is not reported.
      if (run > 0) {
        times.push(ms);
        if (peak) {
          peaks.push(Number(peak[1]) / 1024);
          cpus.push(Number(peak[2]));
        }
      }
    }
    const stages = await measureStages(input);
    return {
      name: spec.name,
      ms: round(median(times)),
      peakMB: round(peaks.length > 0 ? Math.max(...peaks) : 0),
      minMs: round(Math.min(...times)),
      cpuMs: round(cpus.length > 0 ? median(cpus) : 0),
      runs,
      ...stages,
      ...sizes,
      files: files.length,
      exitCode,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `netpol list --dirpath DIR` once more, stage by stage, in this process (a single run, after the
 * CLI's runs warmed the file cache), each stage's CPU time in ms (the process's, all threads:
 * wall time on a shared machine counts the waits for a core): read the files, parse, build the
 * cluster (with the admission the CLI applies), analyse, iterate every connection (the evaluator
 * computes pairs lazily, so this is the rest of the analysis's share), build the list's table (its
 * own cost: a second, warm iteration subtracted) and render and write it (to a sink that drops it).
 * `analysisShareCpuMs` is analyse + iterate: the evaluator's part, apart from the CLI's stages.
 * `parsedMB` and `heldMB`: RSS after a collection once parsed, and once everything is built (what
 * the CLI's peak compares to).
 */
async function measureStages(input: string): Promise<Record<string, number>> {
  let written = 0;
  const io = nodeIO({
    stdout: (text) => {
      written += text.length;
    },
    stderr: () => {},
  });
  await collectGarbage();
  const cpu = () => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  };
  const t0 = cpu();
  const files = await readInputs(io, [input]);
  const t1 = cpu();
  // As loadWorkspace builds it for `netpol list` with no options.
  const workspace = new Workspace(files, { cluster: { cni: 'upstream' }, validation: {}, history: 0 });
  workspace.parsed();
  const t2 = cpu();
  const parsedMB = await residentMB();
  workspace.diagnostics();
  const t3 = cpu();
  const { analysis } = workspace.connections();
  const t4 = cpu();
  let connections = 0;
  for (const _ of analysis.connections()) connections++;
  const t5 = cpu();
  for (const _ of analysis.connections());
  const t6 = cpu();
  const report = buildListReport(analysis, {
    workloads: [],
    peers: [],
    direction: undefined,
    conn: undefined,
  });
  const t7 = cpu();
  await writeText(io, renderList(report, 'txt'), undefined);
  const t8 = cpu();
  // What stays: the workspace's text, parse, cluster and analysis, and the list's table.
  const heldMB = await residentMB();
  return {
    readCpuMs: round(t1 - t0),
    parseCpuMs: round(t2 - t1),
    buildCpuMs: round(t3 - t2),
    analyzeCpuMs: round(t4 - t3),
    iterateCpuMs: round(t5 - t4),
    tableCpuMs: round(Math.max(0, t7 - t6 - (t6 - t5))),
    formatCpuMs: round(t8 - t7),
    analysisShareCpuMs: round(t5 - t3),
    parsedMB,
    heldMB,
    // Read after heldMB, so the report is held while it is measured.
    listedPeers: report.peers.length,
    connections,
    outputMB: round(written / MB),
  };
}

/** The process's RSS after a full collection, in MiB (this process also holds the generated files). */
async function residentMB(): Promise<number> {
  await collectGarbage();
  return round(process.memoryUsage.rss() / MB);
}
