// The proxy's HTTP server: options and limits, the routes (`/api/info`, `/api/snapshot`, the
// event stream of eventStream.ts, and the static web app) behind the checks of security.ts, and
// starting and closing it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InfoResponse, SnapshotMessage } from '@netpol-atlas/live-protocol';
import type { ClientLimits, Logger } from './clusterClient.ts';
import { createEventStreams } from './eventStream.ts';
import { sendError, sendJson } from './jsonResponses.ts';
import { clusterTarget, type KubeconfigLoad } from './kubeconfig.ts';
import { type Clock, LaunchToken, type TokenLifetime } from './launchToken.ts';
import { bundleAsYaml } from './objects.ts';
import { checkRequest, isApiPath, LISTEN_HOST, refusalLine, SECURITY_HEADERS } from './security.ts';
import { serveStatic } from './staticFiles.ts';
import { createSyncedContexts, type Entry } from './syncedContexts.ts';
import { DEFAULT_SYNC_LIMITS, DEFAULT_TIMINGS, type SyncLimits, type SyncTimings } from './syncUnit.ts';

/** Limits of the browser side of the proxy. */
export interface ServerLimits {
  maxUrlBytes: number;
  /** Passed to Node's HTTP parser: larger request headers get 431. */
  maxHeaderBytes: number;
  /** The whole manifest bundle of one context; larger snapshots are refused with an error. */
  maxSnapshotBytes: number;
  /** Concurrent event streams (each tab holds one). */
  maxStreams: number;
  /** Concurrent event streams of one client: a tab's session id, else a remote address. */
  maxStreamsPerClient: number;
  /** A stream whose unsent output exceeds this skips snapshots until it drains. */
  maxBufferedBytes: number;
}

/**
 * How long a connection may sit half-open. Each default keeps the worst case under 10 s,
 * counting Node's check interval for the first two.
 */
export interface ConnectionTimeouts {
  /** Until the request headers are complete (slow or silent clients). */
  headersMs: number;
  /** Until the whole request is in. */
  requestMs: number;
  /** An idle keep-alive connection between two requests. */
  keepAliveMs: number;
  /** A response (other than an event stream) whose socket sees no activity. */
  idleSocketMs: number;
  /** How often Node checks the header and request deadlines. */
  checkIntervalMs: number;
  /** An event stream whose queued output has not moved for this long is closed. */
  stalledStreamMs: number;
}

/** Everything `startProxy` accepts; only `kubeconfig` is required. */
export interface ProxyOptions {
  /** 0 picks a free port (tests). */
  port?: number;
  /** The built web app (apps/web/dist); undefined serves a hint page. */
  webRoot?: string | undefined;
  kubeconfig: KubeconfigLoad;
  /** `--context`: preselected and connected at once. */
  context?: string | undefined;
  /** `--namespace`: read only these namespaces. */
  namespaces?: readonly string[];
  timings?: Partial<SyncTimings>;
  syncLimits?: Partial<SyncLimits>;
  clientLimits?: Partial<ClientLimits>;
  serverLimits?: Partial<ServerLimits>;
  connectionTimeouts?: Partial<ConnectionTimeouts>;
  /** `--token-ttl` and `--idle-timeout`; both off by default. */
  tokenLifetime?: Partial<TokenLifetime>;
  /** The token's clock; tests move it by hand. */
  clock?: Clock;
  /** Status messages at least this often, so the browser can tell a live stream from a dead one. */
  heartbeatMs?: number;
  /** Coalesces bursts of watch events into one snapshot message. */
  debounceMs?: number;
  /** A context nobody streams is stopped after this long. */
  idleStopMs?: number;
  /** /api/snapshot waits this long for a first complete list. */
  snapshotWaitMs?: number;
  log?: Logger;
}

/** A running proxy. */
export interface RunningProxy {
  /** The URL to open: the token travels in the fragment, which browsers never send to servers. */
  url: string;
  origin: string;
  port: number;
  /** The address the server is bound to (always 127.0.0.1). */
  address: string;
  token: string;
  /** When `--token-ttl` ends the token (ms since the epoch), or undefined. */
  tokenExpiresAt: number | undefined;
  /** Event streams open now. */
  openStreams(): number;
  /** Connections open now (of any kind). */
  openConnections(): Promise<number>;
  close(): Promise<void>;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  maxUrlBytes: 2048,
  maxHeaderBytes: 8192,
  maxSnapshotBytes: 256 * 1024 * 1024,
  maxStreams: 16,
  maxStreamsPerClient: 4,
  maxBufferedBytes: 16 * 1024 * 1024,
};

export const DEFAULT_CONNECTION_TIMEOUTS: ConnectionTimeouts = {
  headersMs: 5_000,
  requestMs: 8_000,
  keepAliveMs: 5_000,
  idleSocketMs: 9_000,
  checkIntervalMs: 1_000,
  stalledStreamMs: 7_500,
};

export const DEFAULT_CLIENT_LIMITS: ClientLimits = {
  requestTimeoutMs: 30_000,
  watchIdleMs: 330_000,
  maxEventBytes: 8 * 1024 * 1024,
};

/**
 * Starts the proxy: the built web app and a read-only API (`/api/info`, `/api/events`,
 * `/api/snapshot`) on 127.0.0.1 only, guarded by the checks in security.ts.
 */
export async function startProxy(options: ProxyOptions): Promise<RunningProxy> {
  const log = options.log ?? (() => {});
  const limits = { ...DEFAULT_SERVER_LIMITS, ...options.serverLimits };
  const timings = { ...DEFAULT_TIMINGS, ...options.timings };
  const syncLimits = { ...DEFAULT_SYNC_LIMITS, ...options.syncLimits };
  const clientLimits = { ...DEFAULT_CLIENT_LIMITS, ...options.clientLimits };
  const timeouts = { ...DEFAULT_CONNECTION_TIMEOUTS, ...options.connectionTimeouts };
  const heartbeatMs = options.heartbeatMs ?? 5_000;
  const debounceMs = options.debounceMs ?? 150;
  const idleStopMs = options.idleStopMs ?? 60_000;
  const snapshotWaitMs = options.snapshotWaitMs ?? 15_000;
  const namespaces = [...(options.namespaces ?? [])];
  const load = options.kubeconfig;
  if (options.context !== undefined) {
    // Fails fast with the same message the API would give.
    if (!load.found) throw new Error(load.reason);
    clusterTarget(load, options.context);
  }
  const token = new LaunchToken(
    { ttlMs: options.tokenLifetime?.ttlMs, idleMs: options.tokenLifetime?.idleMs },
    options.clock,
  );
  const contexts = createSyncedContexts({
    load,
    clientLimits,
    log,
    namespaces,
    timings,
    syncLimits,
    idleStopMs,
    limits,
  });
  const { acquire, release, bundle, statusOf } = contexts;
  let port = 0;

  const defaultContext =
    options.context ??
    (load.found
      ? (
          load.contexts.find((c) => c.name === load.currentContext && c.usable) ??
          load.contexts.find((c) => c.usable)
        )?.name
      : undefined);

  function info(): InfoResponse {
    return {
      kubeconfig: load.found
        ? { found: true, source: load.source, error: null }
        : { found: false, source: null, error: load.reason },
      contexts: load.found
        ? load.contexts.map((c) =>
            c.problem
              ? { name: c.name, usable: c.usable, problem: c.problem }
              : { name: c.name, usable: c.usable },
          )
        : [],
      defaultContext: defaultContext ?? null,
      autoConnect: options.context !== undefined,
      namespaces,
      heartbeatMs,
    };
  }

  /** The context a request names (or the default), or the error to answer with. */
  function pickContext(url: URL): { context: string } | { status: number; error: string } {
    if (!load.found) return { status: 503, error: load.reason };
    const name = url.searchParams.get('context') ?? defaultContext;
    const known = name === undefined ? undefined : load.contexts.find((c) => c.name === name);
    if (!known) return { status: 404, error: 'unknown context' };
    if (!known.usable)
      return { status: 409, error: `context "${known.name}" cannot be used: ${known.problem}` };
    return { context: known.name };
  }

  function waitForFirstState(entry: Entry, ms: number): Promise<void> {
    if (entry.sync.status().state !== 'connecting') return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const off = entry.sync.onStatus(() => {
        if (entry.sync.status().state !== 'connecting') done();
      });
      function done() {
        clearTimeout(timer);
        off();
        resolve();
      }
    });
  }

  async function snapshot(res: http.ServerResponse, url: URL, head: boolean): Promise<void> {
    const picked = pickContext(url);
    if ('error' in picked) return sendError(res, picked.status, picked.error, head);
    const entry = acquire(picked.context);
    try {
      // The wait is the proxy's, not a silent client's: the idle-socket timeout resumes after it.
      res.setTimeout(0);
      await waitForFirstState(entry, snapshotWaitMs);
      res.setTimeout(timeouts.idleSocketMs);
      const sync = statusOf(entry);
      const { files, revision } = bundle(entry);
      if (url.searchParams.get('format') === 'yaml') {
        const text = bundleAsYaml(files);
        res.writeHead(200, {
          ...SECURITY_HEADERS,
          'Content-Type': 'text/yaml; charset=utf-8',
          'Cache-Control': 'no-store',
          'X-Netpol-Atlas-Sync-State': sync.state,
        });
        res.end(head ? undefined : text);
        return;
      }
      const body: SnapshotMessage = { context: picked.context, revision, sync, files };
      sendJson(res, 200, body, head);
    } finally {
      release(picked.context, entry);
    }
  }

  /** Answers a refused request and logs it, one line, without the token. */
  function refuse(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    status: number,
    reason: string,
    headers?: Record<string, string>,
  ): void {
    log(
      refusalLine(
        {
          method: req.method,
          url: req.url,
          host: req.headers.host,
          origin: req.headers.origin,
          status,
          reason,
        },
        token.value,
      ),
    );
    sendError(res, status, reason, req.method === 'HEAD', headers);
  }

  const events = createEventStreams({
    limits: { ...limits, stalledStreamMs: timeouts.stalledStreamMs },
    heartbeatMs,
    debounceMs,
    contexts,
    pickContext,
    token,
    refuse,
    log,
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const verdict = checkRequest(req, port, token, limits);
    const head = req.method === 'HEAD';
    if (!verdict.ok) {
      refuse(req, res, verdict.status, verdict.error, verdict.headers);
      return;
    }
    const url = new URL(req.url!, `http://${req.headers.host}`);
    if (!isApiPath(req.url!)) {
      await serveStatic(options.webRoot, url.pathname, head, res, { ...SECURITY_HEADERS });
      return;
    }
    switch (url.pathname) {
      case '/api/info':
        return sendJson(res, 200, info(), head);
      case '/api/events':
        return events.handle(req, res, url, head);
      case '/api/snapshot':
        return snapshot(res, url, head);
      default:
        // No pass-through of any kind: the browser can name a context, never a cluster path.
        return refuse(req, res, 404, 'not found');
    }
  }

  const server = http.createServer(
    {
      maxHeaderSize: limits.maxHeaderBytes,
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      keepAliveTimeout: timeouts.keepAliveMs,
      connectionsCheckingInterval: timeouts.checkIntervalMs,
    },
    (req, res) => {
      handle(req, res).catch((error: unknown) => {
        log(`request failed: ${(error as Error)?.stack ?? String(error)}`);
        if (!res.headersSent) sendError(res, 500, 'internal error', false);
        else res.destroy();
      });
    },
  );
  server.timeout = timeouts.idleSocketMs;
  // Requests Node's parser refuses (oversized headers, timeouts, garbage) never reach `handle`:
  // logged here too, by error code only (the raw bytes may hold the token).
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    // A client going away is not a refusal.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status =
      error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    log(
      refusalLine(
        {
          method: undefined,
          url: undefined,
          host: undefined,
          origin: undefined,
          status,
          reason: error.code ?? 'bad request',
        },
        token.value,
      ),
    );
    const headers = Object.entries(SECURITY_HEADERS)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.end(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\n${headers}Connection: close\r\nContent-Length: 0\r\n\r\n`,
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: LISTEN_HOST, port: options.port ?? 0, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  port = bound.port;
  const origin = `http://${LISTEN_HOST}:${port}`;
  return {
    url: `${origin}/#token=${token.value}`,
    origin,
    port,
    address: bound.address,
    token: token.value,
    tokenExpiresAt: token.expiresAt,
    openStreams: events.open,
    openConnections: () =>
      new Promise((resolve, reject) =>
        server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
      ),
    async close() {
      contexts.stopAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
