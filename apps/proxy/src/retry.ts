// How the cluster sync waits between attempts: exponential backoff with jitter, and a sleep that
// stopping the sync cuts short. Used by discovery and by every list/watch loop.
import type { SyncTimings } from './syncUnit.ts';

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const t = setTimeout(done, ms);
    t.unref();
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export function backoff(failures: number, timings: SyncTimings): number {
  const { backoffMinMs, backoffMaxMs } = timings;
  const base = Math.min(backoffMaxMs, backoffMinMs * 2 ** Math.min(failures - 1, 20));
  // Jitter spreads the retries of many watches (and many users) after an outage.
  return Math.round(base * (0.75 + Math.random() * 0.5));
}
