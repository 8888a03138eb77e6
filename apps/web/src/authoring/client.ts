import type { AuthoringRequest, AuthoringResponse } from './protocol.ts';

type Kind = AuthoringRequest['type'];
type Reply<K extends Kind> = Extract<AuthoringResponse, { type: K }>;
type RequestBody<K extends Kind> = Omit<Extract<AuthoringRequest, { type: K }>, 'type' | 'generation'>;

/**
 * Talks to the authoring worker, where the planner, the connectivity diff and the export run so
 * that a big workspace never freezes the page. As with the analysis client, each request kind
 * has its own generation counter and a superseded reply resolves to `undefined`. Falls back to
 * the main thread when workers cannot be created.
 */
export class AuthoringClient {
  private readonly generations: Record<Kind, number> = { plan: 0, diff: 0, export: 0 };
  private readonly pending = new Map<string, (reply: AuthoringResponse) => void>();
  private readonly worker: Worker | undefined;
  private fallback: Promise<(request: AuthoringRequest) => AuthoringResponse> | undefined;

  constructor() {
    try {
      this.worker = new Worker(new URL('./authoring.worker.ts', import.meta.url), { type: 'module' });
      this.worker.onmessage = (event: MessageEvent<AuthoringResponse>) => this.settle(event.data);
    } catch {
      this.fallback = import('./handler.ts').then((m) => m.createAuthoringHandler());
    }
  }

  private settle(reply: AuthoringResponse): void {
    const kind = reply.type === 'failed' ? reply.request : reply.type;
    const key = `${kind}:${reply.generation}`;
    this.pending.get(key)?.(reply);
    this.pending.delete(key);
  }

  /** Sends a request; resolves with the reply, or undefined when a newer request of its kind was sent. */
  async request<K extends Kind>(type: K, body: RequestBody<K>): Promise<Reply<K> | undefined> {
    const generation = ++this.generations[type];
    const request = { ...body, type, generation } as unknown as AuthoringRequest;
    const reply = await new Promise<AuthoringResponse>((resolve) => {
      this.pending.set(`${type}:${generation}`, resolve);
      if (this.worker) this.worker.postMessage(request);
      else void this.fallback!.then((handle) => this.settle(handle(request)));
    });
    if (generation !== this.generations[type]) return undefined;
    if (reply.type === 'failed') throw new Error(`${type} failed: ${reply.message}`);
    return reply as Reply<K>;
  }
}

let client: AuthoringClient | undefined;

/** The authoring worker, created on first use (the page loads without the planner). */
export function authoringClient(): AuthoringClient {
  client ??= new AuthoringClient();
  return client;
}
