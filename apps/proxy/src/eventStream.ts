// The event stream (`/api/events`, server-sent events) of one browser tab: a snapshot whenever
// the objects change, coalesced over `debounceMs`, else a status when the state changes or a
// heartbeat is due; a stream that cannot keep up skips snapshots until it drains.
import type http from 'node:http';
import type { SnapshotMessage, StatusMessage } from '@netpol-atlas/live-protocol';
import { sendError } from './jsonResponses.ts';
import { SECURITY_HEADERS } from './security.ts';
import type { SyncedContexts } from './syncedContexts.ts';

/** What `createEventStreams` needs from the proxy. */
export interface EventStreamOptions {
  limits: { maxStreams: number; maxBufferedBytes: number };
  /** Status messages at least this often, so the browser can tell a live stream from a dead one. */
  heartbeatMs: number;
  /** Coalesces bursts of watch events into one snapshot message. */
  debounceMs: number;
  contexts: SyncedContexts;
  /** The context a request names (or the default), or the error to answer with. */
  pickContext(url: URL): { context: string } | { status: number; error: string };
}

/** The handler of `/api/events`; it counts the open streams against `limits.maxStreams`. */
export function createEventStreams(
  options: EventStreamOptions,
): (req: http.IncomingMessage, res: http.ServerResponse, url: URL, head: boolean) => void {
  const { limits, heartbeatMs, debounceMs, pickContext } = options;
  const { acquire, release, bundle, statusOf } = options.contexts;
  let streams = 0;

  function events(req: http.IncomingMessage, res: http.ServerResponse, url: URL, head: boolean): void {
    const picked = pickContext(url);
    if ('error' in picked) {
      sendError(res, picked.status, picked.error, head);
      return;
    }
    if (streams >= limits.maxStreams) {
      sendError(res, 503, 'too many open event streams', head);
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
    res.socket?.setNoDelay(true);
    let sentRevision = -1;
    let sentStatus = '';
    let lastSent = 0;
    let flushTimer: NodeJS.Timeout | undefined;
    let closed = false;

    const write = (event: string, data: unknown) => {
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      lastSent = Date.now();
    };
    /** Sends what changed: a snapshot for new objects, else a status for a new state or a heartbeat. */
    const flush = (heartbeat: boolean) => {
      flushTimer = undefined;
      if (closed) return;
      if (res.writableLength > limits.maxBufferedBytes) return; // 'drain' flushes again
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
      if (Date.now() - lastSent >= heartbeatMs / 2) flush(true);
    }, heartbeatMs / 2);
    res.on('drain', () => flush(false));
    flush(true);

    const cleanup = () => {
      if (closed) return;
      closed = true;
      clearTimeout(flushTimer);
      clearInterval(heartbeat);
      offData();
      offStatus();
      entry.streams -= 1;
      streams -= 1;
      release(context, entry);
    };
    req.on('close', cleanup);
    res.on('close', cleanup);
  }

  return events;
}
