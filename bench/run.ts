// `pnpm bench [--json] [--runs N] [--only NAME[,NAME]] [--no-ui] [--scaling]`: performance figures of the parser,
// the evaluator and the browser app on seeded synthetic clusters. Each figure runs in its own child process so that its
// peak memory is not inflated by what earlier figures left on the heap, and so the heap starts
// equally cold for every figure.
import { fork, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Cluster } from '@netpol-atlas/evaluator';
import { parseManifests } from '@netpol-atlas/manifests';
import { Workspace } from '@netpol-atlas/workspace';
import { measureBundle } from './bundle.ts';
import { measureCli } from './cli.ts';
import { measureEdit } from './edit.ts';
import { measureFlows } from './flows.ts';
import {
  collectGarbage,
  type Figure,
  type FigureSpec,
  MB,
  median,
  RssSampler,
  round,
  threadCpuMs,
} from './measure.ts';
import { generateCluster, type SyntheticClusterOptions } from './synthetic.ts';
import { measureUi } from './ui.ts';

const SEED = 20240601;
const SIZE_1K: SyntheticClusterOptions = {
  namespaces: 20,
  workloads: 200,
  podsPerWorkload: 5,
  policies: 200,
  seed: SEED,
};
const SIZE_10K: SyntheticClusterOptions = {
  namespaces: 200,
  workloads: 2000,
  podsPerWorkload: 5,
  policies: 2000,
  clusterPolicies: 50,
  seed: SEED,
};

/** The 10k workspace without its cluster policies: what they cost. */
const SIZE_10K_NO_CLUSTER: SyntheticClusterOptions = { ...SIZE_10K, clusterPolicies: 0 };

/** Issue #16's target size: 50,000 pods in 10,000 workloads over 1,000 namespaces. */
const SIZE_50K: SyntheticClusterOptions = {
  namespaces: 1000,
  workloads: 10000,
  podsPerWorkload: 5,
  policies: 10000,
  clusterPolicies: 50,
  seed: SEED,
};

/**
 * The scaling series of the README: the 10k workspace's proportions (5 pods per workload, one
 * namespace per 10 workloads, one policy per workload, 50 cluster policies) from 1k to 50k pods.
 */
function scaled(pods: number): SyntheticClusterOptions {
  const workloads = pods / 5;
  return {
    namespaces: workloads / 10,
    workloads,
    podsPerWorkload: 5,
    policies: workloads,
    clusterPolicies: 50,
    seed: SEED,
  };
}

const FIGURES: readonly FigureSpec[] = [
  { name: 'parse-1k', kind: 'parse', cluster: SIZE_1K },
  { name: 'analyze-1k', kind: 'analyze', cluster: SIZE_1K },
  { name: 'parse-10k', kind: 'parse', cluster: SIZE_10K },
  { name: 'analyze-10k', kind: 'analyze', cluster: SIZE_10K },
  { name: 'edit-10k', kind: 'edit', cluster: SIZE_10K },
  { name: 'edit-10k-cluster', kind: 'edit-cluster', cluster: SIZE_10K },
  { name: 'analyze-50k', kind: 'analyze', cluster: SIZE_50K },
  { name: 'cli-50k', kind: 'cli', cluster: SIZE_50K },
  // Only with --scaling (or by name): the series behind the README's scaling table.
  { name: 'scale-1k', kind: 'analyze', cluster: scaled(1000), series: 'scaling' },
  { name: 'scale-2k', kind: 'analyze', cluster: scaled(2000), series: 'scaling' },
  { name: 'scale-5k', kind: 'analyze', cluster: scaled(5000), series: 'scaling' },
  { name: 'scale-10k-no-cluster', kind: 'analyze', cluster: SIZE_10K_NO_CLUSTER, series: 'scaling' },
  {
    name: 'scale-10k-2x-policies',
    kind: 'analyze',
    cluster: { ...SIZE_10K, policies: 4000 },
    series: 'scaling',
  },
  { name: 'scale-20k', kind: 'analyze', cluster: scaled(20000), series: 'scaling' },
  { name: 'flows-1m', kind: 'flows', cluster: SIZE_1K },
];

interface Args {
  json: boolean;
  scaling: boolean;
  runs: number;
  only: readonly string[] | undefined;
  child: string | undefined;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { json: false, scaling: false, runs: 5, only: undefined, child: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') args.json = true;
    else if (arg === '--no-ui') continue;
    else if (arg === '--scaling') args.scaling = true;
    else if (arg === '--runs') args.runs = Math.max(1, Number(argv[++i] ?? '5') || 5);
    else if (arg === '--only') args.only = (argv[++i] ?? '').split(',').filter((s) => s !== '');
    else if (arg === '--child') args.child = argv[++i];
    // pnpm forwards a literal `--` when the user writes `pnpm bench -- --json`.
    else if (arg !== '--') throw new Error(`unknown argument ${arg}`);
  }
  return args;
}

// --- measuring (child process) -----------------------------------------------------------------

async function measure(spec: FigureSpec, runs: number): Promise<Figure> {
  const files = generateCluster(spec.cluster);
  const sizes = {
    // Pods the cluster stands for: Pod objects plus the replicas of manifest-only Deployments.
    pods: spec.cluster.workloads * spec.cluster.podsPerWorkload,
    namespaces: spec.cluster.namespaces,
    yamlMB: round(files.reduce((n, f) => n + f.text.length, 0) / MB),
  };
  const sampler = new RssSampler();
  try {
    if (spec.kind === 'parse') {
      await collectGarbage();
      const baseMB = process.memoryUsage.rss() / MB;
      const times: number[] = [];
      const cpu: number[] = [];
      let objects = 0;
      let errors = 0;
      sampler.start();
      for (let run = 0; run <= runs; run++) {
        await collectGarbage();
        const c0 = threadCpuMs();
        const t0 = performance.now();
        const parsed = parseManifests(files);
        const ms = performance.now() - t0;
        const cpuMs = threadCpuMs() - c0;
        sampler.sample();
        // Run 0 is the warm-up: it pays for JIT compilation and is not reported.
        if (run > 0) {
          times.push(ms);
          cpu.push(cpuMs);
        }
        objects = parsed.objects.length;
        errors = parsed.diagnostics.filter((d) => d.severity === 'error').length;
      }
      const peakMB = sampler.stop();
      return {
        name: spec.name,
        ms: round(median(times)),
        peakMB: round(peakMB),
        baseMB: round(baseMB),
        minMs: round(Math.min(...times)),
        threadCpuMs: round(median(cpu)),
        runs,
        ...sizes,
        files: files.length,
        objects,
        errors,
      };
    }

    if (spec.kind === 'edit' || spec.kind === 'edit-cluster')
      return await measureEdit(spec, files, sizes, sampler, runs);
    if (spec.kind === 'cli') return await measureCli(spec, files, sizes, runs);
    if (spec.kind === 'flows') return await measureFlows(spec, files, sizes, sampler, runs);

    // No history: a measured run's cluster and analysis are garbage once the next run starts.
    const workspace = new Workspace(files, { history: 0 });
    const parsed = workspace.parsed().result;
    const errors = parsed.diagnostics.filter((d) => d.severity === 'error').length;
    const podObjects = parsed.objects.filter((o) => o.kind === 'Pod').length;
    // The workspace holds the text and the parsed objects: the input of every measured run.
    files.length = 0;
    await collectGarbage();
    const baseMB = process.memoryUsage.rss() / MB;
    interface Run {
      total: number;
      build: number;
      analyze: number;
      iterate: number;
      cpu: number;
      connections: number;
    }
    const measured: Run[] = [];
    let cluster: Cluster | undefined;
    // The last run's cluster and analysis stay alive while the next one is built, as in the app's
    // worker (its workspace keeps one earlier revision). Dropping them before the collection
    // below would let V8 collect the hidden classes its optimised code was specialised for, and
    // every run would then pay for deoptimising and recompiling the evaluator: a cost that no
    // re-analysis in the app pays.
    const held: { analysis?: unknown } = {};
    // The first, unmeasured run is the one a fresh process pays (code not yet optimised):
    // reported apart as `firstMs`.
    let firstMs = 0;
    sampler.start();
    for (let run = 0; run <= runs; run++) {
      // Each run starts from a collected heap, so the peak is one analysis's (plus the one kept
      // from the run before), not several runs' garbage. The same options again: a new revision
      // built afresh from the kept parse.
      workspace.configure(workspace.options);
      workspace.parsed();
      await collectGarbage();
      const c0 = threadCpuMs();
      const t0 = performance.now();
      cluster = workspace.cluster().cluster;
      const t1 = performance.now();
      const { analysis } = workspace.connections();
      const t2 = performance.now();
      let connections = 0;
      for (const _ of analysis.connections()) connections++;
      const t3 = performance.now();
      const cpu = threadCpuMs() - c0;
      sampler.sample();
      held.analysis = analysis;
      if (run === 0) firstMs = t3 - t0;
      else
        measured.push({
          total: t3 - t0,
          build: t1 - t0,
          analyze: t2 - t1,
          iterate: t3 - t2,
          cpu,
          connections,
        });
    }
    const peakMB = sampler.stop();
    const typical = [...measured].sort((a, b) => a.total - b.total)[Math.floor(measured.length / 2)]!;
    const classes = workspace.connections().analysis.stats;
    return {
      name: spec.name,
      ms: round(median(measured.map((r) => r.total))),
      peakMB: round(peakMB),
      baseMB: round(baseMB),
      minMs: round(Math.min(...measured.map((r) => r.total))),
      firstMs: round(firstMs),
      threadCpuMs: round(median(measured.map((r) => r.cpu))),
      buildMs: round(typical.build),
      analyzeMs: round(typical.analyze),
      iterateMs: round(typical.iterate),
      runs,
      ...sizes,
      podObjects,
      workloads: cluster!.workloads.length,
      policies: cluster!.policies.length,
      connections: typical.connections,
      srcClasses: classes.sourceClasses,
      dstClasses: classes.destinationClasses,
      errors,
    };
  } finally {
    await sampler.close();
  }
}

// --- orchestration (parent process) ------------------------------------------------------------

function runChild(spec: FigureSpec, runs: number): Promise<Figure> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--child', spec.name, '--runs', String(runs)], {
      // Keep tsx's loader flags; --expose-gc lets the child start every figure from a clean heap.
      execArgv: [...process.execArgv, '--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: Figure | undefined;
    child.on('message', (message) => {
      result = message as Figure;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (result && code === 0) resolve(result);
      else reject(new Error(`${spec.name}: child exited with code ${code}`));
    });
  });
}

const COLUMNS: readonly (readonly [string, string])[] = [
  ['name', 'figure'],
  ['ms', 'median ms'],
  ['minMs', 'min ms'],
  ['firstMs', 'first run ms'],
  ['threadCpuMs', 'thread cpu ms'],
  ['peakMB', 'peak MB'],
  ['baseMB', 'base MB'],
  ['buildMs', 'build'],
  ['analyzeMs', 'analyze'],
  ['iterateMs', 'iterate'],
  ['pods', 'pods'],
  ['workloads', 'workloads'],
  ['policies', 'policies'],
  ['connections', 'connections'],
  ['srcClasses', 'src cls'],
  ['dstClasses', 'dst cls'],
  ['errors', 'errors'],
];

function table(figures: readonly Figure[]): string {
  const rows = [
    COLUMNS.map(([, title]) => title),
    ...figures.map((f) => COLUMNS.map(([key]) => (f[key] === undefined ? '' : String(f[key])))),
  ];
  const widths = COLUMNS.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  // Names left-aligned, numbers right-aligned.
  const line = (row: readonly string[]) =>
    row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.child !== undefined) {
    const spec = FIGURES.find((f) => f.name === args.child);
    if (!spec) throw new Error(`unknown figure ${args.child}`);
    const figure = await measure(spec, args.runs);
    process.send?.(figure);
    return;
  }
  // --scaling: the analyze figures of every size, in order of size (no ui, no bundle).
  const selected = args.only
    ? FIGURES.filter((f) => args.only!.includes(f.name))
    : args.scaling
      ? FIGURES.filter((f) => f.kind === 'analyze').sort(
          (a, b) => a.cluster.workloads - b.cluster.workloads || a.name.localeCompare(b.name),
        )
      : FIGURES.filter((f) => f.series === undefined);
  if (selected.length === 0 && !args.only?.some((n) => n.startsWith('ui-') || n.startsWith('bundle-'))) {
    throw new Error(`no figure named ${args.only?.join(', ')}`);
  }
  const figures: Figure[] = [];
  for (const spec of selected) {
    if (!args.json) process.stderr.write(`measuring ${spec.name}...\n`);
    const figure = await runChild(spec, args.runs);
    figures.push(figure);
    // Print as soon as known: the 10k figures take a while.
    if (args.json) process.stdout.write(`${JSON.stringify(figure)}\n`);
  }
  // The browser figures need the built app and Chromium; `--no-ui` (or --only without them) skips them.
  const wantUi =
    !process.argv.includes('--no-ui') &&
    !args.scaling &&
    (!args.only || args.only.some((n) => n.startsWith('ui-')));
  if (wantUi) {
    if (!args.json) process.stderr.write('measuring the ui-* figures in Chromium (building the app)...\n');
    buildWeb();
    const wanted = (name: string) => !args.only || args.only.includes(name);
    for (const figure of await measureUi(wanted)) {
      figures.push(figure);
      if (args.json) process.stdout.write(`${JSON.stringify(figure)}\n`);
    }
  }
  // The bundle figures read the built app: measured whenever the ui figures built it, or on request.
  const wantBundle = args.only ? args.only.some((n) => n.startsWith('bundle-')) : wantUi && !args.scaling;
  if (wantBundle) {
    if (!wantUi) buildWeb();
    const bundle = measureBundle().filter((f) => !args.only || args.only.includes(f.name));
    for (const figure of bundle) {
      if (args.json) process.stdout.write(`${JSON.stringify(figure)}\n`);
      else process.stderr.write(`${figure.name}: ${figure.kb} KiB gzip (${figure.files} file(s))\n`);
    }
  }
  if (!args.json) {
    process.stdout.write(`${table(figures)}\n`);
    process.stdout.write(
      `\nms: the workspace's cluster build + analysis + iterating every connection (analyze-*), parseManifests (parse-*); ` +
        `median of ${args.runs} runs after a warm-up.\nthread cpu ms: the measuring thread's time on a core ` +
        `(no waits for a core, no GC helper threads): compare versions with it on a busy machine.\npeak/base MB: process RSS (sampled) during the ` +
        `runs / before them; base holds Node, the input and the parsed objects.\n`,
    );
  }
}

/**
 * Builds apps/web with Vite itself rather than `pnpm build`: no package-manager round trip, and
 * no need for pnpm on PATH (it is not, outside `pnpm` scripts).
 */
function buildWeb(): void {
  const web = fileURLToPath(new URL('../apps/web/', import.meta.url));
  const vite = fileURLToPath(new URL('../apps/web/node_modules/vite/bin/vite.js', import.meta.url));
  const build = spawnSync(process.execPath, [vite, 'build'], { cwd: web, stdio: 'ignore' });
  if (build.status !== 0)
    throw new Error(`could not build apps/web for the browser figures (${build.signal ?? build.status})`);
}

await main();
