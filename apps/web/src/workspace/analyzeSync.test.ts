import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AnalysisClient } from './client.ts';
import type { SyncedFile } from './documentSync.ts';
import { createHandler } from './handler.ts';
import type { WorkerRequest, WorkerResponse } from './protocol.ts';

const DEMO_DIR = fileURLToPath(new URL('../../../../public/demo/', import.meta.url));
const demo: SyncedFile[] = readdirSync(DEMO_DIR)
  .sort()
  .map((name) => ({ path: `demo/${name}`, text: readFileSync(`${DEMO_DIR}${name}`, 'utf8') }));
const SAMPLE = fileURLToPath(
  new URL('../../../../public/samples/cross-namespace/manifests.yaml', import.meta.url),
);
const other: SyncedFile[] = [{ path: 'cross-namespace.yaml', text: readFileSync(SAMPLE, 'utf8') }];

const OPTIONS = { cni: 'upstream' } as const;

/**
 * A worker as the page sees one, in Node: messages are cloned both ways and handled one at a
 * time in the order posted, by a handler that `restart` replaces with a fresh one (its state
 * lost). While `held`, messages wait in `inbox` until `handleNext` takes them one by one.
 */
class FakeWorker {
  handle = createHandler();
  held = false;
  readonly inbox: WorkerRequest[] = [];
  readonly received: WorkerRequest[] = [];
  private readonly listeners: ((event: MessageEvent) => void)[] = [];

  addEventListener(_: 'message', listener: (event: MessageEvent) => void): void {
    this.listeners.push(listener);
  }

  postMessage(message: WorkerRequest): void {
    this.inbox.push(structuredClone(message));
    if (!this.held) setTimeout(() => void this.handleNext(), 0);
  }

  async handleNext(): Promise<void> {
    const request = this.inbox.shift();
    if (!request) return;
    this.received.push(request);
    const reply = structuredClone(await this.handle(request));
    for (const listener of this.listeners) listener({ data: reply } as MessageEvent);
  }

  release(): void {
    this.held = false;
    for (const _ of this.inbox) setTimeout(() => void this.handleNext(), 0);
  }

  restart(): void {
    this.handle = createHandler();
  }

  terminate(): void {}
}

/** Waits, a task at a time, until `ready` holds. */
async function until(ready: () => boolean): Promise<void> {
  while (!ready()) await new Promise((resolve) => setTimeout(resolve, 0));
}

function setUp() {
  const worker = new FakeWorker();
  const client = new AnalysisClient(
    () => worker as unknown as Worker,
    () => Promise.reject(new Error('the worker is there')),
  );
  return { worker, client };
}

type Analyzed = Extract<WorkerResponse, { type: 'analyze' }>;

/** What the page shows of an analysis, revision aside (it counts the worker's edits). */
function shown(reply: Analyzed | undefined) {
  if (!reply) throw new Error('no analysis');
  const { revision: _, ...model } = reply.model;
  return { model, problems: reply.problems };
}

/** The same documents sent whole to a worker of their own. */
async function fullSend(files: readonly SyncedFile[]) {
  const reply = await createHandler()({ type: 'analyze', generation: 1, files, options: OPTIONS });
  if (reply.type !== 'analyze') throw new Error(`analysis failed: ${JSON.stringify(reply)}`);
  return shown(reply);
}

const kinds = (worker: FakeWorker) =>
  worker.received.map((r) => (r.type !== 'analyze' ? r.type : 'documents' in r ? r.documents.kind : 'files'));

const edited = (files: readonly SyncedFile[], i: number, edit: (text: string) => string) =>
  files.map((f, j) => (j === i ? { ...f, text: edit(f.text) } : f));

/** A sequence of edits, renames, removals and a new workspace, each a whole list as the store holds it. */
const STEPS: SyncedFile[][] = (() => {
  const portChanged = edited(demo, 2, (t) => t.replaceAll('8080', '9090'));
  const commented = edited(portChanged, 0, (t) => `${t}\n# a comment typed\n`);
  const renamed = commented.map((f, i) => (i === 1 ? { ...f, path: 'demo/renamed.yaml' } : f));
  const removed = renamed.filter((_, i) => i !== 2);
  const broken = edited(removed, 1, (t) => `${t}\n  : : not yaml [\n`);
  return [demo, portChanged, commented, renamed, removed, broken, [...broken, ...other], other, demo];
})();

describe('AnalysisClient.analyze: only what changed crosses to the worker', () => {
  it('every step of a sequence of edits analyses what a full send analyses', async () => {
    const { worker, client } = setUp();
    for (const files of STEPS)
      expect(shown(await client.analyze(files, OPTIONS))).toEqual(await fullSend(files));
    expect(kinds(worker)).toEqual(['full', ...STEPS.slice(1).map(() => 'delta')]);
  });

  it('sends a keystroke as the one file it changed', async () => {
    const { worker, client } = setUp();
    await client.analyze(demo, OPTIONS);
    await client.analyze(
      edited(demo, 1, (t) => `${t}#`),
      OPTIONS,
    );
    const last = worker.received.at(-1);
    expect(last?.type === 'analyze' && 'documents' in last && last.documents).toMatchObject({
      kind: 'delta',
      paths: undefined,
      changed: [{ path: demo[1]!.path }],
    });
  });

  it('a restarted worker says it lacks the documents, and is sent all of them', async () => {
    const { worker, client } = setUp();
    await client.analyze(demo, OPTIONS);
    worker.restart();
    const files = STEPS[1]!;
    expect(shown(await client.analyze(files, OPTIONS))).toEqual(await fullSend(files));
    expect(kinds(worker)).toEqual(['full', 'delta', 'full']);
    // And the edits after it are deltas again.
    expect(shown(await client.analyze(STEPS[2]!, OPTIONS))).toEqual(await fullSend(STEPS[2]!));
    expect(kinds(worker).at(-1)).toBe('delta');
  });

  it('documents sent whole by someone else make the next delta start over', async () => {
    const { worker, client } = setUp();
    await client.analyze(demo, OPTIONS);
    await client.request('analyze', { files: other, options: OPTIONS });
    expect(shown(await client.analyze(STEPS[1]!, OPTIONS))).toEqual(await fullSend(STEPS[1]!));
    expect(kinds(worker)).toEqual(['full', 'files', 'delta', 'full']);
  });

  it('of two analyses in flight only the newer answers, and a refused older one is not resent', async () => {
    const { worker, client } = setUp();
    await client.analyze(demo, OPTIONS);
    worker.restart();
    const older = client.analyze(STEPS[1]!, OPTIONS);
    const newer = client.analyze(STEPS[2]!, OPTIONS);
    expect(await older).toBeUndefined();
    expect(shown(await newer)).toEqual(await fullSend(STEPS[2]!));
    // Both deltas were refused (the restarted worker holds nothing); only the newer was resent.
    expect(kinds(worker)).toEqual(['full', 'delta', 'delta', 'full']);
  });

  it('a newer analysis sent while a refusal is on its way builds on the full resend, never on a mix', async () => {
    const { worker, client } = setUp();
    await client.analyze(demo, OPTIONS);
    worker.restart();
    worker.held = true;
    const refused = client.analyze(STEPS[1]!, OPTIONS);
    await worker.handleNext();
    // The refusal is in: the page sends everything, and edits again before the worker reads it.
    await until(() => worker.inbox.length === 1);
    const next = client.analyze(STEPS[3]!, OPTIONS);
    worker.release();
    expect(await refused).toBeUndefined();
    expect(shown(await next)).toEqual(await fullSend(STEPS[3]!));
    expect(kinds(worker)).toEqual(['full', 'delta', 'full', 'delta']);
  });

  it('a change of options alone re-analyses the documents the worker holds', async () => {
    const { worker, client } = setUp();
    await client.analyze(demo, OPTIONS);
    const flannel = await client.analyze(demo, { cni: 'flannel' });
    const whole = await createHandler()({
      type: 'analyze',
      generation: 1,
      files: demo,
      options: { cni: 'flannel' },
    });
    expect(shown(flannel)).toEqual(shown(whole.type === 'analyze' ? whole : undefined));
    expect(kinds(worker)).toEqual(['full', 'delta']);
  });
});
