import { type WorkerError, WorkerRequestError } from './workerError.ts';

/** What every worker request and reply carries. */
interface Envelope {
  type: string;
  generation: number;
}

/** The reply a worker sends when handling a request threw. */
export interface FailedReply {
  type: 'failed';
  request: string;
  generation: number;
  error: WorkerError;
}

/** A request's fields but its envelope; one body per member of a kind with several forms. */
export type RequestBody<Req, K> = Req extends { type: K } ? Omit<Req, 'type' | 'generation'> : never;

/**
 * Request/reply over a Web Worker where only the newest request of each kind matters: every kind
 * has its own generation counter, and a reply to a request that a newer one superseded resolves
 * to `undefined`, so callers never apply stale results. When no worker can be created, the same
 * handler runs on the main thread, loaded only then (it pulls the heavy code into the page).
 */
export class GenerationalClient<Req extends Envelope, Res extends Envelope> {
  private readonly generations = new Map<string, number>();
  private readonly pending = new Map<string, (reply: Res | FailedReply) => void>();
  private readonly worker: Worker | undefined;
  private fallback: Promise<(request: Req) => Res | FailedReply | Promise<Res | FailedReply>> | undefined;

  private readonly receive: ((reply: Res) => Promise<Res>) | undefined;

  constructor(options: {
    createWorker: () => Worker;
    loadFallback: () => Promise<(request: Req) => Res | FailedReply | Promise<Res | FailedReply>>;
    /**
     * Makes a reply whole again when the worker posts it in a form of its own (see
     * postedModel.ts); asked only for replies still current, and may take several tasks.
     */
    receive?: (reply: Res) => Promise<Res>;
  }) {
    this.receive = options.receive;
    try {
      this.worker = options.createWorker();
      // A listener, not onmessage: clients of different request kinds may share one worker, and
      // each settles only the replies it is waiting for.
      this.worker.addEventListener('message', (event: MessageEvent<Res | FailedReply>) =>
        this.settle(event.data),
      );
    } catch {
      this.fallback = options.loadFallback();
    }
  }

  private settle(reply: Res | FailedReply): void {
    const kind = reply.type === 'failed' ? (reply as FailedReply).request : reply.type;
    const key = `${kind}:${reply.generation}`;
    this.pending.get(key)?.(reply);
    this.pending.delete(key);
  }

  /** Sends a request; resolves with the reply, or undefined when a newer request of its kind was sent. */
  async request<K extends Req['type']>(
    type: K,
    body: RequestBody<Req, K>,
  ): Promise<Extract<Res, { type: K }> | undefined> {
    const generation = (this.generations.get(type) ?? 0) + 1;
    this.generations.set(type, generation);
    const request = { ...body, type, generation } as unknown as Req;
    const reply = await new Promise<Res | FailedReply>((resolve) => {
      this.pending.set(`${type}:${generation}`, resolve);
      if (this.worker) this.worker.postMessage(request);
      else void this.fallback!.then(async (handle) => this.settle(await handle(request)));
    });
    if (generation !== this.generations.get(type)) return undefined;
    if (reply.type === 'failed') throw new WorkerRequestError(type, (reply as FailedReply).error);
    if (!this.receive) return reply as Extract<Res, { type: K }>;
    const received = await this.receive(reply as Res);
    // A newer request may have been sent while the reply was being received.
    return generation === this.generations.get(type) ? (received as Extract<Res, { type: K }>) : undefined;
  }

  /** Ends the worker: one shared by several clients ends for all of them. */
  dispose(): void {
    this.worker?.terminate();
  }
}
