// The edit-10k figures: one policy (a NetworkPolicy, or a ClusterNetworkPolicy) edited in a
// loaded cluster, as the app's worker handles it.
import { type Connection, type ConnectionSet, connectionKey } from '@netpol-atlas/evaluator';
import { Workspace } from '@netpol-atlas/workspace';
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

/** The text of `file` with the first port of the document at [start, end) set to `port`. */
function withPort(
  file: { path: string; text: string },
  [start, end]: [number, number],
  port: number,
  target: EditTarget,
): { kind: 'set'; path: string; text: string } {
  const doc = file.text.slice(start, end).replace(target.port, target.write(port));
  return { kind: 'set', path: file.path, text: file.text.slice(0, start) + doc + file.text.slice(end) };
}

/**
 * One policy edited in a loaded 10k cluster, as the app's worker handles it: the edit goes into
 * the Workspace as text (only the edited document is parsed again), the cluster build starts
 * from the previous one, and the connections that changed since the previous revision are
 * patched into the edge list. The policy edited is the first whose port matters (the edit changes
 * some connection); runs alternate between a new port and the written one, so every run changes
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
  const key = (c: Connection) => `${c.src.id}>${c.dst.id}`;
  const edit = TARGETS[spec.kind === 'edit-cluster' ? 'edit-cluster' : 'edit'];

  // The app's worker keeps the revision it last showed, to patch its edges from it.
  const workspace = new Workspace(files, { history: 1 });
  // The app's edge list.
  const edges = new Map<string, ConnectionSet>();
  for (const c of workspace.connections().analysis.connections()) edges.set(key(c), c.conn);

  // Find a policy whose port matters, trying edits the way the runs make them, then undoing them.
  let target: { file: number; doc: [number, number]; port: number } | undefined;
  for (let file = 0; file < files.length && !target; file++) {
    for (const doc of policiesWithPorts(files[file]!.text, edit)) {
      const before = workspace.revision;
      workspace.edit(withPort(files[file]!, doc, 19999, edit));
      const delta = workspace.connectionsSince(before)!;
      workspace.edit({ kind: 'set', path: files[file]!.path, text: files[file]!.text });
      if (delta.incremental && delta.upserted.length + delta.removed.length > 0) {
        const port = Number(edit.port.exec(files[file]!.text.slice(doc[0], doc[1]))![1]);
        target = { file, doc, port };
        break;
      }
    }
  }
  if (!target) throw new Error('no policy whose port changes a connection');
  // The app has shown the undone text: its connections are known before the first edit.
  workspace.connections();
  const original = files[target.file]!;

  await collectGarbage();
  const baseMB = process.memoryUsage.rss() / MB;
  const runsMeasured: { total: number; parse: number; build: number; analyze: number; delta: number }[] = [];
  let changed = 0;
  let compared = 0;
  sampler.start();
  for (let run = 0; run <= runs; run++) {
    await collectGarbage();
    const shown = workspace.revision;
    // Runs alternate between a new port and the written one, so each edit changes connections
    // (only the written port matters), and no run's text is the one before it.
    const change = withPort(original, target.doc, run % 2 === 0 ? 20000 + run : target.port, edit);
    const t0 = performance.now();
    workspace.edit(change);
    workspace.parsed();
    const t1 = performance.now();
    workspace.cluster();
    const t2 = performance.now();
    workspace.connections();
    const t3 = performance.now();
    const delta = workspace.connectionsSince(shown)!;
    if (!delta.incremental) throw new Error('the edit was not analysed incrementally');
    for (const c of delta.removed) edges.delete(key(c));
    for (const c of delta.upserted) edges.set(key(c), c.conn);
    const t4 = performance.now();
    sampler.sample();
    if (run > 0)
      runsMeasured.push({ total: t4 - t0, parse: t1 - t0, build: t2 - t1, analyze: t3 - t2, delta: t4 - t3 });
    changed = delta.removed.length + delta.upserted.length;
    compared = delta.sources + delta.destinations;
  }
  const peakMB = sampler.stop();
  if (changed === 0) throw new Error(`${spec.name}: the measured edit changed no connection`);
  // After every run's patch, the edge list must be what a full rebuild of the last text finds.
  const fullMs = verifyAgainstFullRebuild(workspace.files, edges);
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
  const full = new Workspace(files, { history: 0 }).connections().analysis;
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
