// The event stream (`/api/events`, server-sent events) of one browser tab: a snapshot whenever
// the objects change, coalesced over `debounceMs`, else a status when the state changes or a
// heartbeat is due; a stream that cannot keep up skips snapshots until it drains, and one whose
// output stops moving altogether (a frozen or vanished reader) is closed. Streams are counted
// per client and in total, so one tab cannot take every slot.
import type http from 'node:http';
import type { SnapshotMessage, StatusMessage } from '@netpol-atlas/live-protocol';
import { sendError } from './jsonResponses.ts';
import type { LaunchToken } from './launchToken.ts';
import { clientKey, SECURITY_HEADERS } from './security.ts';
import { SliceWriter } from './sliceWriter.ts';
import type { SyncedContexts } from './syncedContexts.ts';

/** The stream limits. */
export interface StreamLimits {
  /** Open event streams in total. */
  maxStreams: number;
  /** Open event streams of one client (see `clientKey`). */
  maxStreamsPerClient: number;
  maxBufferedBytes: number;
  /** A stream whose pending output has not moved for this long is closed (checked 3 times as often). */
  stalledStreamMs: number;
}

/** What `createEventStreams` needs from the proxy. */
export interface EventStreamOptions {
  limits: StreamLimits;
  /** Status messages at least this often, so the browser can tell a live stream from a dead one. */
  heartbeatMs: number;
  /** Coalesces bursts of watch events into one snapshot message. */
  debounceMs: number;
  contexts: SyncedContexts;
  /** The context a request names (or the default), or the error to answer with. */
  pickContext(url: URL): { context: string } | { status: number; error: string };
  /** Open streams keep the token from idling out; an expired token ends them. */
  token: LaunchToken;
  /** Answers a request the limits refuse (and logs it). */
  refuse(req: http.IncomingMessage, res: http.ServerResponse, status: number, reason: string): void;
  log(message: string): void;
}

/** The handler of `/api/events`, and the count of open streams (for tests and the log). */
export interface EventStreams {
  handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL, head: boolean): void;
  open(): number;
}

/** The handler of `/api/events`; it counts the open streams against the limits. */
export function createEventStreams(options: EventStreamOptions): EventStreams {
  const { limits, heartbeatMs, debounceMs, pickContext, token, log } = options;
  const { acquire, release, bundle, statusOf } = options.contexts;
  let streams = 0;
  const perClient = new Map<string, number>();

  function events(req: http.IncomingMessage, res: http.ServerResponse, url: URL, head: boolean): void {
    const picked = pickContext(url);
    if ('error' in picked) {
      sendError(res, picked.status, picked.error, head);
      return;
    }
    const client = clientKey(req.headers, req.socket.remoteAddress);
    if ((perClient.get(client) ?? 0) >= limits.maxStreamsPerClient) {
      options.refuse(
        req,
        res,
        503,
        `too many open event streams for this client (${limits.maxStreamsPerClient})`,
      );
      return;
    }
    if (streams >= limits.maxStreams) {
      options.refuse(req, res, 503, 'too many open event streams');
      return;
    }
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no',
    });
    if (head) {
      res.end();
      return;
    }
    const context = picked.context;
    const entry = acquire(context);
    entry.streams += 1;
    streams += 1;
    perClient.set(client, (perClient.get(client) ?? 0) + 1);
    token.streamOpened();
    const socket = res.socket;
    socket?.setNoDelay(true);
    // The server's idle-socket timeout is for requests; this stream's liveness is judged by
    // whether its output moves (below).
    socket?.setTimeout(0);
    let sentRevision = -1;
    let sentStatus = '';
    let lastSent = 0;
    let flushTimer: NodeJS.Timeout | undefined;
    let closed = false;

    // Every message goes through the slice writer: when its queue empties, what was held back
    // is sent; what it has taken so far tells a slow reader from one that stopped.
    const out = new SliceWriter(res, () => flush(false));
    const write = (event: string, data: unknown) => {
      out.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      lastSent = Date.now();
    };
    /** Sends what changed: a snapshot for new objects, else a status for a new state or a heartbeat. */
    const flush = (heartbeat: boolean) => {
      flushTimer = undefined;
      if (closed) return;
      if (out.queuedBytes > limits.maxBufferedBytes) return; // sent once the queue empties
      const sync = statusOf(entry);
      const { revision, files } = bundle(entry);
      const { lastSync: _ignored, ...comparable } = sync;
      const statusKey = JSON.stringify(comparable);
      if (revision !== sentRevision && (sync.state !== 'connecting' || revision > 0)) {
        const message: SnapshotMessage = { context, revision, sync, files };
        write('snapshot', message);
        sentRevision = revision;
        sentStatus = statusKey;
      } else if (statusKey !== sentStatus || heartbeat) {
        const message: StatusMessage = { context, revision, sync };
        write('status', message);
        sentStatus = statusKey;
      }
    };
    const schedule = () => {
      if (flushTimer === undefined && !closed) flushTimer = setTimeout(() => flush(false), debounceMs);
    };
    const offData = entry.sync.onData(schedule);
    const offStatus = entry.sync.onStatus(schedule);
    const heartbeat = setInterval(() => {
      if (token.expired() !== undefined) {
        // The token ran out (--token-ttl): its streams end too; reconnecting gets the reason.
        log(`closed an event stream: ${token.expired()}`);
        res.destroy();
        return;
      }
      if (Date.now() - lastSent >= heartbeatMs / 2) flush(true);
    }, heartbeatMs / 2);
    // A peer that reads nothing leaves `takenBytes` still while output waits; on loopback, a
    // vanished peer resets the connection at once instead.
    let lastTaken = out.takenBytes;
    let stalledSince: number | undefined;
    const checkMs = limits.stalledStreamMs / 3;
    let lastCheck = Date.now();
    const watchdog = setInterval(() => {
      const now = Date.now();
      const taken = out.takenBytes;
      // A late check means this process was busy (building a large snapshot, say): the reader
      // is only judged over time the proxy itself was responsive.
      const late = now - lastCheck > 2 * checkMs;
      lastCheck = now;
      if (late || out.queuedBytes === 0 || taken !== lastTaken) stalledSince = undefined;
      else if (stalledSince === undefined) stalledSince = now;
      else if (now - stalledSince >= limits.stalledStreamMs) {
        log(`closed a stalled event stream: ${out.queuedBytes} bytes unread for ${now - stalledSince} ms`);
        res.destroy();
        return;
      }
      lastTaken = taken;
    }, checkMs);
    flush(true);

    const cleanup = () => {
      if (closed) return;
      closed = true;
      clearTimeout(flushTimer);
      clearInterval(heartbeat);
      clearInterval(watchdog);
      offData();
      offStatus();
      entry.streams -= 1;
      streams -= 1;
      const left = (perClient.get(client) ?? 1) - 1;
      if (left > 0) perClient.set(client, left);
      else perClient.delete(client);
      token.streamClosed();
      release(context, entry);
    };
    req.on('close', cleanup);
    res.on('close', cleanup);
  }

  return { handle: events, open: () => streams };
}
