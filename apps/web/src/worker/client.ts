import type { WorkerRequest, WorkerResponse } from './protocol.ts';

type Kind = WorkerRequest['type'];
type Reply<K extends Kind> = Extract<WorkerResponse, { type: K }>;
type RequestBody<K extends Kind> = Omit<Extract<WorkerRequest, { type: K }>, 'type' | 'generation'>;

/**
 * Talks to the analysis worker. Every request kind has its own generation counter; a reply to a
 * request that a newer one has superseded resolves to `undefined`, so callers never apply stale
 * results. Falls back to the main thread when workers cannot be created.
 */
export class AnalysisClient {
  private readonly generations: Record<Kind, number> = {
    analyze: 0,
    layout: 0,
    explain: 0,
    findings: 0,
    whatIf: 0,
  };
  private readonly pending = new Map<string, (reply: WorkerResponse) => void>();
  private readonly worker: Worker | undefined;
  /** Main-thread fallback, loaded only when needed (it pulls the evaluator and ELK into the page). */
  private fallback: Promise<(request: WorkerRequest) => Promise<WorkerResponse>> | undefined;

  constructor() {
    try {
      this.worker = new Worker(new URL('./analysis.worker.ts', import.meta.url), { type: 'module' });
      this.worker.onmessage = (event: MessageEvent<WorkerResponse>) => this.settle(event.data);
    } catch {
      this.fallback = import('./handler.ts').then((m) => m.createHandler());
    }
  }

  private settle(reply: WorkerResponse): void {
    const kind = reply.type === 'failed' ? reply.request : reply.type;
    const key = `${kind}:${reply.generation}`;
    this.pending.get(key)?.(reply);
    this.pending.delete(key);
  }

  /** Sends a request; resolves with the reply, or undefined when a newer request of its kind was sent. */
  async request<K extends Kind>(type: K, body: RequestBody<K>): Promise<Reply<K> | undefined> {
    const generation = ++this.generations[type];
    const request = { ...body, type, generation } as unknown as WorkerRequest;
    const reply = await new Promise<WorkerResponse>((resolve) => {
      this.pending.set(`${type}:${generation}`, resolve);
      if (this.worker) this.worker.postMessage(request);
      else void this.fallback!.then((handle) => handle(request)).then((r) => this.settle(r));
    });
    if (generation !== this.generations[type]) return undefined;
    if (reply.type === 'failed') throw new Error(`${type} failed: ${reply.message}`);
    return reply as Reply<K>;
  }

  dispose(): void {
    this.worker?.terminate();
  }
}
