// The contexts being synced: one ClusterSync per context, shared by every stream and snapshot
// that shows it, stopped once nobody has used it for a while, and the manifest bundle of its
// current objects, rebuilt only when they changed.
import type { ManifestFile, SyncStatus } from '@netpol-atlas/live-protocol';
import { type ClientLimits, ClusterClient, formatMb, type Logger } from './clusterClient.ts';
import { clusterTarget, type KubeconfigLoad } from './kubeconfig.ts';
import { resourceFiles } from './objects.ts';
import { ClusterSync } from './sync.ts';
import type { SyncLimits, SyncTimings } from './syncUnit.ts';

/** One context being synced, shared by every stream that shows it. */
export interface Entry {
  sync: ClusterSync;
  streams: number;
  idleTimer: NodeJS.Timeout | undefined;
  bundle: { revision: number; files: ManifestFile[]; error: string | null } | undefined;
}

/** What `createSyncedContexts` needs from the proxy's options. */
export interface SyncedContextsOptions {
  load: KubeconfigLoad;
  clientLimits: ClientLimits;
  log: Logger;
  namespaces: readonly string[];
  timings: SyncTimings;
  syncLimits: SyncLimits;
  /** A context nobody streams is stopped after this long. */
  idleStopMs: number;
  limits: { maxSnapshotBytes: number };
}

/** The synced contexts of one proxy. */
export interface SyncedContexts {
  /** The entry of a context, started on first use; cancels a pending idle stop. */
  acquire(context: string): Entry;
  /** Schedules the idle stop of a context no stream shows any more. */
  release(context: string, entry: Entry): void;
  bundle(entry: Entry): NonNullable<Entry['bundle']>;
  statusOf(entry: Entry): SyncStatus;
  /** Stops every sync (the proxy is closing). */
  stopAll(): void;
}

export function createSyncedContexts(options: SyncedContextsOptions): SyncedContexts {
  const { load, clientLimits, log, namespaces, timings, syncLimits, idleStopMs, limits } = options;
  const entries = new Map<string, Entry>();

  function acquire(context: string): Entry {
    let entry = entries.get(context);
    if (!entry) {
      const client = new ClusterClient(clusterTarget(load, context), clientLimits, log);
      const sync = new ClusterSync(client, context, { namespaces, timings, limits: syncLimits, log });
      entry = { sync, streams: 0, idleTimer: undefined, bundle: undefined };
      entries.set(context, entry);
      sync.start();
    }
    clearTimeout(entry.idleTimer);
    entry.idleTimer = undefined;
    return entry;
  }

  function release(context: string, entry: Entry): void {
    if (entry.streams > 0) return;
    clearTimeout(entry.idleTimer);
    entry.idleTimer = setTimeout(() => {
      if (entry.streams > 0) return;
      entry.sync.stop();
      entries.delete(context);
    }, idleStopMs);
    entry.idleTimer.unref();
  }

  /** The bundle for the current revision, rebuilt only when the objects changed. */
  function bundle(entry: Entry): NonNullable<Entry['bundle']> {
    const revision = entry.sync.revision;
    if (entry.bundle?.revision === revision) return entry.bundle;
    const files: ManifestFile[] = [];
    let bytes = 0;
    let error: string | null = null;
    for (const [resource, objects] of entry.sync.objects()) {
      for (const file of resourceFiles(entry.sync.context, resource, objects)) {
        bytes += Buffer.byteLength(file.text);
        files.push(file);
      }
      if (bytes > limits.maxSnapshotBytes) {
        error = `the snapshot is larger than ${formatMb(limits.maxSnapshotBytes)}: narrow it with --namespace`;
        break;
      }
    }
    entry.bundle = { revision, files: error ? [] : files.sort((a, b) => (a.path < b.path ? -1 : 1)), error };
    return entry.bundle;
  }

  /** The sync state, turned to error when the bundle could not be sent. */
  function statusOf(entry: Entry): SyncStatus {
    const status = entry.sync.status();
    const { error } = bundle(entry);
    return error ? { ...status, state: 'error', error } : status;
  }

  function stopAll(): void {
    for (const entry of entries.values()) {
      clearTimeout(entry.idleTimer);
      entry.sync.stop();
    }
    entries.clear();
  }

  return { acquire, release, bundle, statusOf, stopAll };
}
