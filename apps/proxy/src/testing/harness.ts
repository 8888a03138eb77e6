import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SnapshotMessage, StatusMessage } from '@netpol-atlas/live-protocol';
import { loadKubeconfig } from '../kubeconfig.ts';
import { TOKEN_HEADER } from '../security.ts';
import { type ProxyOptions, type RunningProxy, startProxy } from '../server.ts';
import { StubApiServer } from './stubApiServer.ts';
import { seedDemo, stubKubeconfig } from './stubFixtures.ts';

/** Fast timings, so every fault and recovery plays out in well under a second. */
export const FAST: Pick<
  ProxyOptions,
  'timings' | 'clientLimits' | 'heartbeatMs' | 'debounceMs' | 'idleStopMs' | 'snapshotWaitMs'
> = {
  timings: {
    backoffMinMs: 40,
    backoffMaxMs: 200,
    staleGraceMs: 300,
    watchTimeoutSeconds: 30,
    rediscoverMs: 60_000,
  },
  clientLimits: { requestTimeoutMs: 1_500, watchIdleMs: 20_000, maxEventBytes: 1024 * 1024 },
  heartbeatMs: 400,
  debounceMs: 20,
  idleStopMs: 5_000,
  snapshotWaitMs: 3_000,
};

/** A temporary folder removed by `dispose`. */
export function tempDir(): { path: string; dispose(): void } {
  const path = mkdtempSync(join(tmpdir(), 'netpol-proxy-'));
  return { path, dispose: () => rmSync(path, { recursive: true, force: true }) };
}

/** A seeded stub, a kubeconfig for it, and a proxy in front of it. */
export interface Rig {
  stub: StubApiServer;
  proxy: RunningProxy;
  kubeconfigPath: string;
  close(): Promise<void>;
}

/** Starts the stub (seeded with `seedDemo`) and a proxy with fast timings. */
export async function startRig(overrides: Partial<ProxyOptions> = {}, seed = true): Promise<Rig> {
  const stub = await StubApiServer.start();
  if (seed) seedDemo(stub);
  const dir = tempDir();
  const kubeconfigPath = join(dir.path, 'config');
  writeFileSync(kubeconfigPath, stubKubeconfig(stub));
  const proxy = await startProxy({
    ...FAST,
    kubeconfig: loadKubeconfig({ path: kubeconfigPath, env: {}, home: undefined }),
    ...overrides,
  });
  return {
    stub,
    proxy,
    kubeconfigPath,
    async close() {
      await proxy.close();
      await stub.close();
      dir.dispose();
    },
  };
}

/** A response as the test sees it. */
export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A request with full control over every header (fetch would not let a test forge Host), sent
 * to 127.0.0.1. By default it looks like the web app's own fetch: right Host, right token.
 */
export function request(
  proxy: Pick<RunningProxy, 'port' | 'token'>,
  path: string,
  options: { method?: string; headers?: Record<string, string | undefined>; body?: string } = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = {};
  const wanted: Record<string, string | undefined> = {
    host: `127.0.0.1:${proxy.port}`,
    [TOKEN_HEADER]: proxy.token,
    ...options.headers,
  };
  for (const [k, v] of Object.entries(wanted)) if (v !== undefined) headers[k] = v;
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: proxy.port,
        method: options.method ?? 'GET',
        path,
        headers,
        setHost: false,
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.setTimeout(5_000, () => req.destroy(new Error('test request timed out')));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** One message of the event stream. */
export type StreamMessage =
  | { event: 'snapshot'; data: SnapshotMessage }
  | { event: 'status'; data: StatusMessage };

/** Reads /api/events the way the web client does, for assertions on what the browser gets. */
export class EventStream {
  readonly messages: StreamMessage[] = [];
  raw = '';
  private waiters: (() => void)[] = [];
  private req: http.ClientRequest | undefined;
  ended = false;

  /** Opens the stream (resolves once the headers arrived). */
  static async open(
    proxy: Pick<RunningProxy, 'port' | 'token'>,
    context?: string,
    headers: Record<string, string> = {},
  ): Promise<EventStream> {
    const stream = new EventStream();
    await stream.connect(proxy, context, headers);
    return stream;
  }

  private connect(
    proxy: Pick<RunningProxy, 'port' | 'token'>,
    context: string | undefined,
    headers: Record<string, string>,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      const path = `/api/events${context ? `?context=${encodeURIComponent(context)}` : ''}`;
      this.req = http.request(
        {
          host: '127.0.0.1',
          port: proxy.port,
          path,
          headers: { host: `127.0.0.1:${proxy.port}`, [TOKEN_HEADER]: proxy.token, ...headers },
          setHost: false,
          agent: false,
        },
        (res) => {
          if (res.statusCode !== 200) {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => {
              body += c;
            });
            res.on('end', () => reject(new Error(`event stream status ${res.statusCode}: ${body}`)));
            return;
          }
          res.setEncoding('utf8');
          // Chunks of an unfinished frame wait in a list, and only new text is searched for the
          // frame end: a many-MB snapshot is read in linear time, as fast as a browser reads it.
          let pending: string[] = [];
          let lastChar = '';
          res.on('data', (chunk: string) => {
            this.raw += chunk;
            const boundary = (lastChar + chunk).indexOf('\n\n');
            lastChar = chunk.at(-1) ?? lastChar;
            if (boundary < 0) {
              pending.push(chunk);
              return;
            }
            let buffer = pending.join('') + chunk;
            pending = [];
            for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
              const frame = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const event = /^event: (.*)$/m.exec(frame)?.[1];
              const data = /^data: (.*)$/m.exec(frame)?.[1];
              if (event && data) this.messages.push({ event, data: JSON.parse(data) } as StreamMessage);
            }
            if (buffer !== '') pending.push(buffer);
            this.wake();
          });
          res.on('end', () => {
            this.ended = true;
            this.wake();
          });
          res.on('error', () => {
            this.ended = true;
            this.wake();
          });
          resolve();
        },
      );
      this.req.on('error', (e) => {
        this.ended = true;
        this.wake();
        reject(e);
      });
      this.req.end();
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** The latest message. */
  get last(): StreamMessage | undefined {
    return this.messages.at(-1);
  }

  /** Waits (bounded) until a message after index `from` satisfies `test`; returns it. */
  async waitFor(test: (m: StreamMessage) => boolean, timeoutMs = 5_000, from = 0): Promise<StreamMessage> {
    const deadline = Date.now() + timeoutMs;
    for (let scanned = from; ; ) {
      for (; scanned < this.messages.length; scanned++) {
        const m = this.messages[scanned]!;
        if (test(m)) return m;
      }
      const left = deadline - Date.now();
      if (left <= 0 || this.ended) {
        const seen = this.messages
          .slice(-3)
          .map((m) => `${m.event}:${m.data.sync.state}:${m.data.sync.error}`);
        throw new Error(
          `no matching event within ${timeoutMs} ms (ended=${this.ended}; last: ${seen.join(' | ')})`,
        );
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Waits for a message in `state` (after index `from`). */
  waitForState(state: string, timeoutMs = 5_000, from = 0): Promise<StreamMessage> {
    return this.waitFor((m) => m.data.sync.state === state, timeoutMs, from);
  }

  /** Waits for a snapshot whose files satisfy `test`. */
  async waitForSnapshot(
    test: (m: SnapshotMessage) => boolean,
    timeoutMs = 5_000,
    from = 0,
  ): Promise<SnapshotMessage> {
    const m = await this.waitFor((x) => x.event === 'snapshot' && test(x.data), timeoutMs, from);
    return m.data as SnapshotMessage;
  }

  close(): void {
    this.req?.destroy();
  }
}

/** All the text of a snapshot's files, for `toContain` checks. */
export function allText(snapshot: SnapshotMessage): string {
  return snapshot.files.map((f) => `${f.path}\n${f.text}`).join('\n');
}

/** Polls `check` until it returns true, at most `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
