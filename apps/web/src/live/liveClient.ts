import type {
  ContextChoice,
  ErrorResponse,
  InfoResponse,
  ManifestFile,
  MissingPermission,
  SnapshotMessage,
  StatusMessage,
} from '@netpol-atlas/live-protocol';
import { SESSION_HEADER } from '@netpol-atlas/live-protocol';
import { SseParser } from './sse.ts';
import { TOKEN_HEADER } from './token.ts';

/** What the live panel shows. `live` is the only state in which the graph is current. */
export type LiveState = 'disconnected' | 'connecting' | 'live' | 'stale' | 'error';

/** The live connection as the UI sees it. */
export interface LiveSnapshot {
  /** This page was served by the proxy: the live panel has something to offer. */
  available: boolean;
  /** The proxy's launch token is known (from the printed URL). */
  hasToken: boolean;
  state: LiveState;
  /** The context being shown (or last shown). */
  context: string | null;
  contexts: ContextChoice[];
  /** What the proxy found: null until /api/info answered. */
  kubeconfig: InfoResponse['kubeconfig'] | null;
  namespaces: string[];
  /** The last snapshot received, as a manifest bundle. */
  files: ManifestFile[];
  /** When the files were last known current (ISO 8601), as the proxy reported it. */
  lastSync: string | null;
  error: string | null;
  missingPermissions: MissingPermission[];
  /** Policy kinds read from CRDs (Cilium, Calico, AdminNetworkPolicy, ...). */
  extraKinds: string[];
  /** Optional kinds whose CRD the cluster does not serve (a 404 is "not installed", not an error). */
  notInstalled: string[];
  /** The user chose to keep working on the last snapshot, disconnected. */
  offline: boolean;
  /** A stream to the proxy is open or being retried (whatever the cluster's state). */
  streaming: boolean;
}

/** What the client needs from its surroundings; tests pass fakes. */
export interface LiveEnv {
  fetch: typeof fetch;
  token: string | undefined;
  available: boolean;
  /** Puts a new snapshot into the workspace; `previous` is the last one applied (undefined the first time). */
  apply(files: ManifestFile[], previous: ManifestFile[] | undefined, context: string): void;
  /** Remembers the chosen context for reloads of this tab. */
  remember?(context: string | undefined): void;
  remembered?: string | undefined;
  /** Reconnect delays (ms); defaults grow from 500 ms to 10 s. */
  backoff?(failures: number): number;
}

const INITIAL: LiveSnapshot = {
  available: false,
  hasToken: false,
  state: 'disconnected',
  context: null,
  contexts: [],
  kubeconfig: null,
  namespaces: [],
  files: [],
  lastSync: null,
  error: null,
  missingPermissions: [],
  extraKinds: [],
  notInstalled: [],
  offline: false,
  streaming: false,
};

/** A message a stream can end with that retrying will not fix. */
class Fatal extends Error {}

function defaultBackoff(failures: number): number {
  return Math.min(10_000, 500 * 2 ** Math.min(failures - 1, 5)) * (0.75 + Math.random() * 0.5);
}

/**
 * The browser side of the live cluster: reads /api/info, then streams /api/events for one
 * context with fetch (token in a header), reconnecting with backoff, and hands each new snapshot
 * to the workspace. Every message carries the proxy's sync state, and a silent stream turns the
 * state to stale, so old data is never shown as current.
 */
export class LiveClient {
  private snapshot: LiveSnapshot;
  private readonly listeners = new Set<() => void>();
  private connection: AbortController | undefined;
  private heartbeatMs = 15_000;
  private appliedRevision = -1;
  private applied: ManifestFile[] | undefined;
  /** This tab's id: the proxy caps event streams per tab by it. */
  private readonly session = globalThis.crypto.randomUUID();

  constructor(private readonly env: LiveEnv) {
    this.snapshot = {
      ...INITIAL,
      available: env.available || env.token !== undefined,
      hasToken: env.token !== undefined,
    };
  }

  /** For useSyncExternalStore: the same object until something changes. */
  getSnapshot = (): LiveSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(patch: Partial<LiveSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const l of this.listeners) l();
  }

  private headers(): HeadersInit {
    return {
      [TOKEN_HEADER]: this.env.token ?? '',
      [SESSION_HEADER]: this.session,
      Accept: 'application/json',
    };
  }

  /** Asks the proxy what it offers; connects at once when it was started with --context. */
  async init(): Promise<void> {
    if (this.env.token === undefined) return;
    let info: InfoResponse;
    try {
      const res = await this.env.fetch('/api/info', { headers: this.headers(), cache: 'no-store' });
      if (!res.ok) throw new Fatal(await errorText(res));
      info = (await res.json()) as InfoResponse;
    } catch (error) {
      this.set({ state: 'error', error: `the proxy did not answer: ${(error as Error).message}` });
      return;
    }
    this.heartbeatMs = info.heartbeatMs;
    const usable = info.contexts.filter((c) => c.usable).map((c) => c.name);
    const remembered =
      this.env.remembered && usable.includes(this.env.remembered) ? this.env.remembered : undefined;
    const context = remembered ?? info.defaultContext;
    this.set({
      kubeconfig: info.kubeconfig,
      contexts: info.contexts,
      namespaces: info.namespaces,
      context,
      error: info.kubeconfig.found ? null : info.kubeconfig.error,
    });
    if (context && (info.autoConnect || remembered)) this.connect(context);
  }

  /** Picks the context to show (disconnecting from another one). */
  select(context: string): void {
    if (context === this.snapshot.context) return;
    const wasConnected = this.connection !== undefined;
    this.stop();
    this.set({ context });
    if (wasConnected) this.connect(context);
  }

  /** Streams `context`; the first snapshot replaces the workspace. */
  connect(context: string): void {
    this.stop();
    this.appliedRevision = -1;
    if (this.snapshot.context !== context || this.snapshot.offline) this.applied = undefined;
    this.env.remember?.(context);
    const controller = new AbortController();
    this.connection = controller;
    this.set({
      context,
      state: 'connecting',
      error: null,
      offline: false,
      missingPermissions: [],
      streaming: true,
    });
    void this.run(context, controller.signal);
  }

  /** Stops streaming; the workspace keeps the last snapshot. */
  disconnect(): void {
    this.stop();
    this.env.remember?.(undefined);
    this.set({ state: 'disconnected', error: null, streaming: false });
  }

  /** Stops streaming and says so: the workspace is now ordinary files to explore and edit. */
  workOffline(): void {
    this.stop();
    this.env.remember?.(undefined);
    this.set({ state: 'disconnected', error: null, offline: true, streaming: false });
  }

  private stop(): void {
    this.connection?.abort();
    this.connection = undefined;
  }

  private async run(context: string, signal: AbortSignal): Promise<void> {
    for (let failures = 0; !signal.aborted; ) {
      try {
        const received = await this.stream(context, signal);
        if (received) failures = 0;
        throw new Error('the stream from the proxy ended');
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof Fatal) {
          this.connection = undefined;
          this.set({ state: 'error', error: error.message, streaming: false });
          return;
        }
        failures += 1;
        // Whatever the proxy said last, it is not current any more.
        this.set({
          state: this.snapshot.files.length > 0 ? 'stale' : 'error',
          error: `lost the connection to the proxy (${(error as Error).message}); retrying`,
        });
        await sleep((this.env.backoff ?? defaultBackoff)(failures), signal);
      }
    }
  }

  /** One event stream, until it ends or goes silent. Returns whether any message arrived. */
  private async stream(context: string, outer: AbortSignal): Promise<boolean> {
    const attempt = new AbortController();
    const signal = AbortSignal.any([outer, attempt.signal]);
    const res = await this.env.fetch(`/api/events?context=${encodeURIComponent(context)}`, {
      headers: { ...this.headers(), Accept: 'text/event-stream' },
      cache: 'no-store',
      signal,
    });
    if (res.status === 401) {
      throw new Fatal('the proxy refused this page’s token (was it restarted?): open the URL it printed');
    }
    if (res.status === 404 || res.status === 409 || res.status === 503) throw new Fatal(await errorText(res));
    if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    const parser = new SseParser();
    let received = false;
    // The proxy sends a status at least every heartbeatMs; three missed ones mean it is gone.
    let watchdog = setTimeout(() => attempt.abort(), this.heartbeatMs * 3);
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return received;
        clearTimeout(watchdog);
        watchdog = setTimeout(() => attempt.abort(), this.heartbeatMs * 3);
        for (const message of parser.push(value)) {
          if (outer.aborted) return received;
          received = true;
          this.handle(message.event, message.data, context);
        }
      }
    } catch (error) {
      if (attempt.signal.aborted && !outer.aborted) throw new Error('the proxy went silent');
      throw error;
    } finally {
      clearTimeout(watchdog);
      reader.cancel().catch(() => {});
    }
  }

  private handle(event: string, data: string, context: string): void {
    if (event !== 'snapshot' && event !== 'status') return;
    const message = JSON.parse(data) as SnapshotMessage | StatusMessage;
    const patch: Partial<LiveSnapshot> = {
      state: message.sync.state,
      lastSync: message.sync.lastSync,
      error: message.sync.error,
      missingPermissions: message.sync.missingPermissions,
      extraKinds: message.sync.extraKinds,
      notInstalled: message.sync.notInstalled,
    };
    if ('files' in message && message.revision !== this.appliedRevision) {
      // An error state may come with an empty bundle (e.g. too large): keep what is shown.
      if (message.files.length > 0 || message.sync.state !== 'error') {
        this.env.apply(message.files, this.applied, context);
        this.applied = message.files;
        patch.files = message.files;
      }
      this.appliedRevision = message.revision;
    }
    this.set(patch);
  }
}

async function errorText(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as ErrorResponse;
    return body.error;
  } catch {
    return `HTTP ${res.status}`;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
