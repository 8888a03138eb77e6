// One list/watch of the cluster sync (a Unit), the timings and limits the sync runs under, and
// how a unit's problem is worded: shared by ClusterSync, the list/watch loop and the permission
// checks.
import type { ResourceStatus } from '@netpol-atlas/live-protocol';
import { ClusterError } from './clusterClient.ts';
import type { KubeJson } from './objects.ts';
import type { ResourceSpec } from './resources.ts';

/** Timings of the sync loop; tests shrink them. */
export interface SyncTimings {
  /** First retry delay; doubles per failure up to `backoffMaxMs`, with jitter. */
  backoffMinMs: number;
  backoffMaxMs: number;
  /** A watch may be down this long (a normal reconnect) before the data counts as stale. */
  staleGraceMs: number;
  /** Asked of the API server; it ends the watch after it, and the proxy resumes from the last resourceVersion. */
  watchTimeoutSeconds: number;
  /** How often to look again for CRDs installed (or removed) since the start. */
  rediscoverMs: number;
}

/** Size limits of the sync. */
export interface SyncLimits {
  /** Items per list page (`limit`). */
  pageSize: number;
  /** The whole list of one resource (all pages); a larger list is refused with a clear error. */
  maxListBytes: number;
}

export const DEFAULT_TIMINGS: SyncTimings = {
  backoffMinMs: 500,
  backoffMaxMs: 30_000,
  staleGraceMs: 2_000,
  watchTimeoutSeconds: 300,
  rediscoverMs: 300_000,
};

export const DEFAULT_SYNC_LIMITS: SyncLimits = { pageSize: 500, maxListBytes: 64 * 1024 * 1024 };

/** What a ClusterSync is configured with. */
export interface SyncOptions {
  namespaces: readonly string[];
  timings: SyncTimings;
  limits: SyncLimits;
  log?: (message: string) => void;
}

/** A list/watch of one resource, cluster-wide or in one namespace. */
export interface Unit {
  resource: ResourceSpec;
  /** The namespace the collection is read in (namespaced kinds under a namespace filter). */
  namespace: string | undefined;
  /** Namespaces under a filter are read one by one with a field selector. */
  fieldSelector: string | undefined;
  /** False when the view stays meaningful without it (namespace objects under a filter). */
  essential: boolean;
  items: Map<string, KubeJson>;
  resourceVersion: string | undefined;
  phase: ResourceStatus['phase'];
  /** The first list completed: `items` is a real (possibly old) picture. */
  synced: boolean;
  /** When the watch stopped (undefined while watching). */
  downSince: number | undefined;
  error: ClusterError | undefined;
  failures: number;
  abort: AbortController;
}

export function asClusterError(error: unknown): ClusterError {
  if (error instanceof ClusterError) return error;
  return new ClusterError('protocol', `unexpected failure: ${(error as Error)?.message ?? String(error)}`);
}

export function unitLabel(unit: Unit): string {
  const r = unit.resource;
  const name = r.group === '' ? r.plural : `${r.plural}.${r.group}`;
  return unit.namespace ? `${name} in ${unit.namespace}` : name;
}

export function describeUnitError(unit: Unit): string {
  const error = unit.error;
  if (!error) return `${unitLabel(unit)}: unknown problem`;
  if (error.kind === 'forbidden') return `not allowed to read ${unitLabel(unit)}: ${error.message}`;
  return `${unitLabel(unit)}: ${error.message}`;
}
