// The edit-10k figures: one policy (a NetworkPolicy, or a ClusterNetworkPolicy) edited in a
// loaded cluster, as the app's worker handles it.
import {
  analyze,
  buildCluster,
  type Connection,
  type ConnectionSet,
  connectionDelta,
  connectionKey,
} from '@netpol-atlas/evaluator';
import { ManifestCache, parseManifests } from '@netpol-atlas/manifests';
import {
  collectGarbage,
  type Figure,
  type FigureSpec,
  MB,
  median,
  type RssSampler,
  round,
} from './measure.ts';

/** What an edit figure edits: the documents of one kind, and the port number in them. */
interface EditTarget {
  kind: RegExp;
  port: RegExp;
  write: (port: number) => string;
}

const TARGETS: Record<'edit' | 'edit-cluster', EditTarget> = {
  edit: { kind: /^kind: NetworkPolicy$/m, port: /port: (\d+)/, write: (port) => `port: ${port}` },
  // The cluster policies are JSON documents: a destination port is `"number": N`.
  'edit-cluster': {
    kind: /"kind": "ClusterNetworkPolicy"/,
    port: /"number": (\d+)/,
    write: (port) => `"number": ${port}`,
  },
};

/** [start, end) of every document of the target's kind in `text` that has a numeric port. */
function policiesWithPorts(text: string, target: EditTarget): [number, number][] {
  const found: [number, number][] = [];
  let start = 0;
  for (const doc of text.split('\n---\n')) {
    if (target.kind.test(doc) && target.port.test(doc)) found.push([start, start + doc.length]);
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
  target: EditTarget,
): { path: string; text: string }[] {
  return files.map((f, i) => {
    if (i !== file) return f;
    const doc = f.text.slice(start, end).replace(target.port, target.write(port));
    return { path: f.path, text: f.text.slice(0, start) + doc + f.text.slice(end) };
  });
}

/**
 * One policy edited in a loaded 10k cluster, as the app's worker handles it: every file goes
 * through the incremental parser (only the edited document is parsed again), the cluster build
 * starts from the previous one, and the connections that can change are compared and patched
 * into the edge list. The policy edited is the first whose port matters (the edit changes some
 * connection); runs alternate between a new port and the written one, so every run changes
 * connections, and each re-parsed policy compiles anew (new rule ids): no earlier result is reused.
 * Outside the timed part, the patched list is checked against a full rebuild.
 */
export async function measureEdit(
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
  const edit = TARGETS[spec.kind === 'edit-cluster' ? 'edit-cluster' : 'edit'];

  let cluster = buildCluster(parseAll(files));
  let analysis = analyze(cluster);
  // The app's edge list.
  const edges = new Map<string, ConnectionSet>();
  for (const c of analysis.connections()) edges.set(key(c), c.conn);

  // Find a policy whose port matters: moving it away from the written port changes connections.
  let target: { file: number; doc: [number, number]; port: number } | undefined;
  for (let file = 0; file < files.length && !target; file++) {
    for (const doc of policiesWithPorts(files[file]!.text, edit)) {
      const trial = analyze(buildCluster(parseAll(withPort(files, file, doc, 19999, edit)), {}, cluster));
      const delta = connectionDelta(analysis, trial);
      if (delta && delta.upserted.length + delta.removed.length > 0) {
        const port = Number(edit.port.exec(files[file]!.text.slice(doc[0], doc[1]))![1]);
        target = { file, doc, port };
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
    // Runs alternate between a new port and the written one, so each edit changes connections
    // (only the written port matters), and no run's text is the one before it.
    edited = withPort(files, target.file, target.doc, run % 2 === 0 ? 20000 + run : target.port, edit);
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
  if (changed === 0) throw new Error(`${spec.name}: the measured edit changed no connection`);
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
