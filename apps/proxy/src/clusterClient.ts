import http from 'node:http';
import https from 'node:https';
import type { ClusterTarget } from './kubeconfig.ts';
import { isAllowedClusterRequest } from './resources.ts';

/** Why a cluster request failed; decides retry, relist and what the user is told. */
export type ClusterErrorKind =
  | 'unreachable'
  | 'timeout'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'gone'
  | 'too-large'
  | 'http'
  | 'protocol'
  | 'config'
  | 'aborted';

/** A failed cluster request. Messages never hold credentials or kubeconfig contents. */
export class ClusterError extends Error {
  constructor(
    readonly kind: ClusterErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ClusterError';
  }
}

/** Limits on every cluster request. */
export interface ClientLimits {
  /** Until the response headers (and for plain requests, the whole body) arrive. */
  requestTimeoutMs: number;
  /** A watch that sends nothing (not even a bookmark) for this long is considered dead. */
  watchIdleMs: number;
  /** Largest single watch event. */
  maxEventBytes: number;
}

/** One watch event as the API server streams it. */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: Record<string, unknown>;
}

/** Logs details the browser must not see (they may name files or servers) to the terminal. */
export type Logger = (message: string) => void;

const MB = 1024 * 1024;

/** Formats a byte limit for messages. */
export function formatMb(bytes: number): string {
  return `${Math.round((bytes / MB) * 10) / 10} MB`;
}

/**
 * Talks to one API server with the kubeconfig's TLS and auth (applied by the client library on
 * every request, so exec plugins and token refreshes keep working). Every request is checked
 * against the allow-list before it leaves, and every response is size- and time-limited.
 */
export class ClusterClient {
  constructor(
    private readonly target: ClusterTarget,
    private readonly limits: ClientLimits,
    private readonly log: Logger = () => {},
  ) {}

  /** GETs a JSON document, refusing bodies over `maxBytes`. */
  async getJson(
    pathAndQuery: string,
    maxBytes: number,
    signal?: AbortSignal,
  ): Promise<{ body: unknown; bytes: number }> {
    const deadline = AbortSignal.timeout(this.limits.requestTimeoutMs);
    const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
    const res = await this.open('GET', pathAndQuery, undefined, combined);
    const text = await readBody(res, maxBytes, combined);
    return { body: parseJson(text), bytes: Buffer.byteLength(text) };
  }

  /** POSTs a JSON body; used for SelfSubjectAccessReview only (the allow-list enforces it). */
  async postJson(path: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
    const deadline = AbortSignal.timeout(this.limits.requestTimeoutMs);
    const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
    const res = await this.open('POST', path, JSON.stringify(body), combined);
    return parseJson(await readBody(res, MB, combined));
  }

  /**
   * Streams a watch. `onOpen` runs once the API server accepted it; resolves when the server
   * ends the stream (its timeoutSeconds), rejects on errors, ERROR events and silence.
   */
  async watch(
    pathAndQuery: string,
    handlers: { onOpen(): void; onEvent(event: WatchEvent): void },
    signal: AbortSignal,
  ): Promise<void> {
    const res = await this.open(
      'GET',
      pathAndQuery,
      undefined,
      AbortSignal.any([signal, AbortSignal.timeout(this.limits.requestTimeoutMs)]),
    );
    handlers.onOpen();
    await new Promise<void>((resolve, reject) => {
      let buffered = '';
      let idle: NodeJS.Timeout | undefined;
      let settled = false;
      const finish = (error?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(idle);
        signal.removeEventListener('abort', onAbort);
        if (error) {
          res.destroy();
          reject(error);
        } else resolve();
      };
      const arm = () => {
        clearTimeout(idle);
        idle = setTimeout(
          () =>
            finish(
              new ClusterError('timeout', `the watch sent nothing for ${this.limits.watchIdleMs / 1000} s`),
            ),
          this.limits.watchIdleMs,
        );
      };
      const onAbort = () => finish(new ClusterError('aborted', 'aborted'));
      signal.addEventListener('abort', onAbort);
      arm();
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (settled) return;
        arm();
        buffered += chunk;
        for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
          const line = buffered.slice(0, nl).trim();
          buffered = buffered.slice(nl + 1);
          if (line === '') continue;
          const event = parseWatchEvent(line);
          if (event.type === 'ERROR') {
            finish(statusError(event.object, 'the watch'));
            return;
          }
          try {
            handlers.onEvent(event);
          } catch (error) {
            finish(error as Error);
            return;
          }
          if (settled) return;
        }
        if (Buffer.byteLength(buffered) > this.limits.maxEventBytes) {
          finish(
            new ClusterError(
              'too-large',
              `a watch event is larger than ${formatMb(this.limits.maxEventBytes)}`,
            ),
          );
        }
      });
      res.on('end', () => finish());
      res.on('error', (error) => finish(networkError(error)));
      res.on('close', () =>
        finish(settled ? undefined : new ClusterError('unreachable', 'the watch connection closed')),
      );
    });
  }

  private async open(
    method: 'GET' | 'POST',
    pathAndQuery: string,
    body: string | undefined,
    signal: AbortSignal,
  ): Promise<http.IncomingMessage> {
    if (!isAllowedClusterRequest(method, pathAndQuery)) {
      // A programming error, never a user's: fail loudly rather than send it.
      throw new ClusterError(
        'config',
        `refused to send ${method} ${pathAndQuery.split('?')[0]}: not on the allow-list`,
      );
    }
    const url = new URL(this.target.server + pathAndQuery);
    const options: https.RequestOptions = {
      method,
      headers: {
        Accept: 'application/json',
        'User-Agent': 'netpol-atlas-proxy (read-only)',
        ...(body === undefined
          ? {}
          : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }),
      },
    };
    try {
      await this.target.config.applyToHTTPSOptions(options);
    } catch (error) {
      const message = String((error as Error).message ?? error);
      this.log(`context ${this.target.context}: could not apply credentials: ${message}`);
      if (message.includes('HTTP protocol is not allowed')) {
        throw new ClusterError(
          'config',
          'the cluster server uses plain http: the client library accepts that only with insecure-skip-tls-verify: true',
        );
      }
      throw new ClusterError(
        'config',
        'the credentials of this context could not be loaded (see the proxy terminal)',
      );
    }
    if (signal.aborted) throw abortError(signal);
    const transport = url.protocol === 'https:' ? https : http;
    return await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = transport.request(url, options);
      const onAbort = () => req.destroy(abortError(signal));
      signal.addEventListener('abort', onAbort, { once: true });
      req.on('error', (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof ClusterError ? error : networkError(error));
      });
      req.on('response', (res) => {
        signal.removeEventListener('abort', onAbort);
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) {
          resolve(res);
          return;
        }
        readBody(res, 64 * 1024, signal).then(
          (text) => reject(statusError(safeJson(text), `${method} ${pathAndQuery.split('?')[0]}`, status)),
          () => reject(statusError(undefined, `${method} ${pathAndQuery.split('?')[0]}`, status)),
        );
      });
      req.end(body);
    });
  }
}

function abortError(signal: AbortSignal): ClusterError {
  const reason = signal.reason as { name?: string } | undefined;
  return reason?.name === 'TimeoutError'
    ? new ClusterError('timeout', 'the API server did not answer in time')
    : new ClusterError('aborted', 'aborted');
}

function networkError(error: Error): ClusterError {
  const code = (error as NodeJS.ErrnoException).code;
  return new ClusterError('unreachable', `cannot reach the API server${code ? ` (${code})` : ''}`);
}

/** Reads a whole body, failing past `maxBytes` or when `signal` fires. */
function readBody(res: http.IncomingMessage, maxBytes: number, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const fail = (error: ClusterError) => {
      if (done) return;
      done = true;
      signal.removeEventListener('abort', onAbort);
      res.destroy();
      reject(error);
    };
    const onAbort = () => fail(abortError(signal));
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        fail(new ClusterError('too-large', `the response is larger than ${formatMb(maxBytes)}`));
        return;
      }
      chunks.push(chunk);
    });
    res.on('end', () => {
      if (done) return;
      done = true;
      signal.removeEventListener('abort', onAbort);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    res.on('error', (error) => fail(networkError(error)));
    res.on('close', () =>
      fail(new ClusterError('unreachable', 'the connection closed before the response ended')),
    );
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ClusterError('protocol', 'the API server sent invalid JSON');
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parseWatchEvent(line: string): WatchEvent {
  const value = parseJson(line) as { type?: unknown; object?: unknown };
  const types = ['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR'];
  if (
    typeof value?.type !== 'string' ||
    !types.includes(value.type) ||
    typeof value.object !== 'object' ||
    !value.object
  ) {
    throw new ClusterError('protocol', 'the API server sent a malformed watch event');
  }
  return value as WatchEvent;
}

/** Turns a Kubernetes Status (or a bare HTTP status) into a ClusterError. */
function statusError(body: unknown, what: string, httpStatus?: number): ClusterError {
  const status = (body ?? {}) as { code?: unknown; message?: unknown; reason?: unknown };
  const code = typeof status.code === 'number' ? status.code : (httpStatus ?? 0);
  // The API server's own message names the user and the resource, never a credential.
  const detail = typeof status.message === 'string' ? status.message.slice(0, 500) : `HTTP ${code}`;
  switch (code) {
    case 401:
      return new ClusterError(
        'unauthorized',
        `the API server rejected the credentials (401 Unauthorized)`,
        401,
      );
    case 403:
      return new ClusterError('forbidden', detail, 403);
    case 404:
      return new ClusterError('not-found', `${what}: not found (404)`, 404);
    case 410:
      return new ClusterError('gone', `${what}: ${detail} (410 Gone)`, 410);
    default:
      return new ClusterError('http', `${what} failed: ${detail}`, code);
  }
}
