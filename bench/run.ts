// `pnpm bench [--json] [--runs N] [--only NAME[,NAME]] [--no-ui]`: performance figures of the parser,
// the evaluator and the browser app on seeded synthetic clusters. Each figure runs in its own child process so that its
// peak memory is not inflated by what earlier figures left on the heap, and so the heap starts
// equally cold for every figure.
import { fork, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  analyze,
  buildCluster,
  type Cluster,
  type Connection,
  type ConnectionSet,
  connectionDelta,
  connectionKey,
} from '@netpol-atlas/evaluator';
import { ManifestCache, parseManifests } from '@netpol-atlas/manifests';
import { generateCluster, type SyntheticClusterOptions } from './synthetic.ts';
import { measureUi } from './ui.ts';

/** What one figure measures, and on which cluster. */
interface FigureSpec {
  name: string;
  kind: 'parse' | 'analyze' | 'edit';
  cluster: SyntheticClusterOptions;
}

/** One result line. `ms` is the median of the measured runs, `peakMB` the process's peak RSS. */
interface Figure {
  name: string;
  ms: number;
  peakMB: number;
  [extra: string]: number | string;
}

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
  seed: SEED,
};

const FIGURES: readonly FigureSpec[] = [
  { name: 'parse-1k', kind: 'parse', cluster: SIZE_1K },
  { name: 'analyze-1k', kind: 'analyze', cluster: SIZE_1K },
  { name: 'parse-10k', kind: 'parse', cluster: SIZE_10K },
  { name: 'analyze-10k', kind: 'analyze', cluster: SIZE_10K },
  { name: 'edit-10k', kind: 'edit', cluster: SIZE_10K },
];

const MB = 1024 * 1024;

interface Args {
  json: boolean;
  runs: number;
  only: readonly string[] | undefined;
  child: string | undefined;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { json: false, runs: 5, only: undefined, child: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') args.json = true;
    else if (arg === '--no-ui') continue;
    else if (arg === '--runs') args.runs = Math.max(1, Number(argv[++i] ?? '5') || 5);
    else if (arg === '--only') args.only = (argv[++i] ?? '').split(',').filter((s) => s !== '');
    else if (arg === '--child') args.child = argv[++i];
    // pnpm forwards a literal `--` when the user writes `pnpm bench -- --json`.
    else if (arg !== '--') throw new Error(`unknown argument ${arg}`);
  }
  return args;
}

// --- measuring (child process) -----------------------------------------------------------------

/**
 * Samples the process's RSS from a worker thread: the measured code is synchronous, so a timer
 * on the main thread would never fire while it runs. Slot 0 switches sampling on, slot 1 holds
 * the peak in KiB.
 */
class RssSampler {
  private readonly shared = new Int32Array(new SharedArrayBuffer(8));
  private readonly worker: Worker;

  constructor() {
    // Plain JS evaluated in the worker, so it needs no TypeScript loader.
    this.worker = new Worker(
      `const { workerData } = require('node:worker_threads');
       const shared = workerData;
       setInterval(() => {
         if (Atomics.load(shared, 0) !== 1) return;
         const kib = Math.round(process.memoryUsage.rss() / 1024);
         if (kib > Atomics.load(shared, 1)) Atomics.store(shared, 1, kib);
       }, 2);`,
      { eval: true, workerData: this.shared },
    );
    this.worker.unref();
  }

  start(): void {
    Atomics.store(this.shared, 1, Math.round(process.memoryUsage.rss() / 1024));
    Atomics.store(this.shared, 0, 1);
  }

  /** Records a sample from the main thread too: a run shorter than the interval is still seen. */
  sample(): void {
    const kib = Math.round(process.memoryUsage.rss() / 1024);
    if (kib > Atomics.load(this.shared, 1)) Atomics.store(this.shared, 1, kib);
  }

  /** Stops sampling and returns the peak in MiB. */
  stop(): number {
    this.sample();
    Atomics.store(this.shared, 0, 0);
    return Atomics.load(this.shared, 1) / 1024;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/**
 * Full collection (the parent always starts children with --expose-gc), then a pause: V8 sweeps
 * concurrently after a collection, and those helper threads would otherwise compete with the
 * next timed run for the two cores.
 */
async function collectGarbage(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  await new Promise((resolve) => setTimeout(resolve, 100));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** [start, end) of every NetworkPolicy document in `text` that has a numeric port. */
function policiesWithPorts(text: string): [number, number][] {
  const found: [number, number][] = [];
  let start = 0;
  for (const doc of text.split('\n---\n')) {
    if (/^kind: NetworkPolicy$/m.test(doc) && /port: \d+/.test(doc)) found.push([start, start + doc.length]);
    start += doc.length + '\n---\n'.length;
  }
  return found;
}

/** `files` with the first port of the document at `at` of file `file` set to `port`. */
function withPort(
  files: readonly { path: string; text: string }[],
  file: number,
  [start, end]: [number, number],
  port: number,
): { path: string; text: string }[] {
  return files.map((f, i) => {
    if (i !== file) return f;
    const doc = f.text.slice(start, end).replace(/port: (\d+)/, `port: ${port}`);
    return { path: f.path, text: f.text.slice(0, start) + doc + f.text.slice(end) };
  });
}

/**
 * One policy edited in a loaded 10k cluster, as the app's worker handles it: every file goes
 * through the incremental parser (only the edited document is parsed again), the cluster build
 * starts from the previous one, and the connections that can change are compared and patched
 * into the edge list. The policy edited is the first whose port matters (the edit changes some
 * connection); each run sets a new port number, so no result of an earlier run can be reused.
 * Outside the timed part, the patched list is checked against a full rebuild.
 */
async function measureEdit(
  spec: FigureSpec,
  files: { path: string; text: string }[],
  sizes: Record<string, number>,
  sampler: RssSampler,
  runs: number,
): Promise<Figure> {
  const manifests = new ManifestCache();
  const parseAll = (list: readonly { path: string; text: string }[]) =>
    list.flatMap((f) => manifests.parseFile(f).objects);
  const key = (c: Connection) => `${c.src.id}>${c.dst.id}`;

  let cluster = buildCluster(parseAll(files));
  let analysis = analyze(cluster);
  // The app's edge list.
  const edges = new Map<string, ConnectionSet>();
  for (const c of analysis.connections()) edges.set(key(c), c.conn);

  // Find a policy whose port matters, trying edits the way the runs make them.
  let target: { file: number; doc: [number, number] } | undefined;
  for (let file = 0; file < files.length && !target; file++) {
    for (const doc of policiesWithPorts(files[file]!.text)) {
      const trial = analyze(buildCluster(parseAll(withPort(files, file, doc, 19999)), {}, cluster));
      const delta = connectionDelta(analysis, trial);
      if (delta && delta.upserted.length + delta.removed.length > 0) {
        target = { file, doc };
        break;
      }
    }
  }
  if (!target) throw new Error('no policy whose port changes a connection');
  const original = files[target.file]!;

  await collectGarbage();
  const baseMB = process.memoryUsage.rss() / MB;
  const runsMeasured: { total: number; parse: number; build: number; analyze: number; delta: number }[] = [];
  let changed = 0;
  let compared = 0;
  let edited = files;
  sampler.start();
  for (let run = 0; run <= runs; run++) {
    await collectGarbage();
    edited = withPort(files, target.file, target.doc, 20000 + run);
    const t0 = performance.now();
    const objects = parseAll(edited);
    const t1 = performance.now();
    const next = buildCluster(objects, {}, cluster);
    const t2 = performance.now();
    const nextAnalysis = analyze(next);
    const t3 = performance.now();
    const delta = connectionDelta(analysis, nextAnalysis);
    if (!delta) throw new Error('the edit was not analysed incrementally');
    for (const c of delta.removed) edges.delete(key(c));
    for (const c of delta.upserted) edges.set(key(c), c.conn);
    const t4 = performance.now();
    sampler.sample();
    if (run > 0)
      runsMeasured.push({ total: t4 - t0, parse: t1 - t0, build: t2 - t1, analyze: t3 - t2, delta: t4 - t3 });
    changed = delta.removed.length + delta.upserted.length;
    compared = delta.sources + delta.destinations;
    cluster = next;
    analysis = nextAnalysis;
  }
  const peakMB = sampler.stop();
  // After every run's patch, the edge list must be what a full rebuild of the last text finds.
  const fullMs = verifyAgainstFullRebuild(edited, edges);
  const typical = [...runsMeasured].sort((a, b) => a.total - b.total)[Math.floor(runsMeasured.length / 2)]!;
  return {
    name: spec.name,
    ms: round(median(runsMeasured.map((r) => r.total))),
    peakMB: round(peakMB),
    baseMB: round(baseMB),
    minMs: round(Math.min(...runsMeasured.map((r) => r.total))),
    parseMs: round(typical.parse),
    buildMs: round(typical.build),
    analyzeMs: round(typical.analyze),
    deltaMs: round(typical.delta),
    runs,
    ...sizes,
    editedFileKB: round(original.text.length / 1024),
    connections: edges.size,
    changed,
    workloadsCompared: compared,
    fullRebuildMs: round(fullMs),
  };
}

/** Throws unless `edges` equals what a full parse, build and analysis finds; returns its time. */
function verifyAgainstFullRebuild(
  files: readonly { path: string; text: string }[],
  edges: ReadonlyMap<string, ConnectionSet>,
): number {
  const t0 = performance.now();
  const full = analyze(buildCluster(parseManifests(files).objects));
  let count = 0;
  for (const c of full.connections()) {
    count++;
    const patched = edges.get(`${c.src.id}>${c.dst.id}`);
    if (!patched || connectionKey(patched) !== connectionKey(c.conn))
      throw new Error(`incremental result differs from a full rebuild at ${c.src.id} -> ${c.dst.id}`);
  }
  if (count !== edges.size)
    throw new Error(`incremental result has ${edges.size} connections, a full rebuild ${count}`);
  return performance.now() - t0;
}

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
      let objects = 0;
      let errors = 0;
      sampler.start();
      for (let run = 0; run <= runs; run++) {
        await collectGarbage();
        const t0 = performance.now();
        const parsed = parseManifests(files);
        const ms = performance.now() - t0;
        sampler.sample();
        // Run 0 is the warm-up: it pays for JIT compilation and is not reported.
        if (run > 0) times.push(ms);
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
        runs,
        ...sizes,
        files: files.length,
        objects,
        errors,
      };
    }

    if (spec.kind === 'edit') return await measureEdit(spec, files, sizes, sampler, runs);

    const parsed = parseManifests(files);
    const errors = parsed.diagnostics.filter((d) => d.severity === 'error').length;
    const objects = parsed.objects;
    const podObjects = objects.filter((o) => o.kind === 'Pod').length;
    // Only the parsed objects stay alive: they are the input of every measured run.
    files.length = 0;
    await collectGarbage();
    const baseMB = process.memoryUsage.rss() / MB;
    interface Run {
      total: number;
      build: number;
      analyze: number;
      iterate: number;
      connections: number;
    }
    const measured: Run[] = [];
    let cluster: Cluster | undefined;
    sampler.start();
    for (let run = 0; run <= runs; run++) {
      // Each run starts from a collected heap, so the peak is one analysis's, not several runs' garbage.
      cluster = undefined;
      await collectGarbage();
      const t0 = performance.now();
      cluster = buildCluster(objects);
      const t1 = performance.now();
      const analysis = analyze(cluster);
      const t2 = performance.now();
      let connections = 0;
      for (const _ of analysis.connections()) connections++;
      const t3 = performance.now();
      sampler.sample();
      if (run > 0)
        measured.push({
          total: t3 - t0,
          build: t1 - t0,
          analyze: t2 - t1,
          iterate: t3 - t2,
          connections,
        });
    }
    const peakMB = sampler.stop();
    const typical = [...measured].sort((a, b) => a.total - b.total)[Math.floor(measured.length / 2)]!;
    const classes = analyze(cluster!).stats;
    return {
      name: spec.name,
      ms: round(median(measured.map((r) => r.total))),
      peakMB: round(peakMB),
      baseMB: round(baseMB),
      minMs: round(Math.min(...measured.map((r) => r.total))),
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
  const selected = args.only ? FIGURES.filter((f) => args.only!.includes(f.name)) : FIGURES;
  if (selected.length === 0 && !args.only?.some((n) => n.startsWith('ui-'))) {
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
    !process.argv.includes('--no-ui') && (!args.only || args.only.some((n) => n.startsWith('ui-')));
  if (wantUi) {
    if (!args.json)
      process.stderr.write('measuring ui-load-2000 and ui-longest-task (building the app)...\n');
    const build = spawnSync('pnpm', ['--filter', '@netpol-atlas/web', 'build'], { stdio: 'ignore' });
    if (build.status !== 0) throw new Error('could not build apps/web for the ui figures');
    for (const figure of await measureUi({ workloads: 2000, namespaces: 120, policies: 1200 })) {
      figures.push(figure);
      if (args.json) process.stdout.write(`${JSON.stringify(figure)}\n`);
    }
  }
  if (!args.json) {
    process.stdout.write(`${table(figures)}\n`);
    process.stdout.write(
      `\nms: buildCluster + analyze + iterating every connection (analyze-*), parseManifests (parse-*); ` +
        `median of ${args.runs} runs after a warm-up.\npeak/base MB: process RSS (sampled) during the ` +
        `runs / before them; base holds Node, the input and the parsed objects.\n`,
    );
  }
}

await main();
