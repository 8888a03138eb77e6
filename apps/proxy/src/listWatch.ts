// The list/watch loop of one unit: a paginated list, then a watch from the list's
// resourceVersion (with bookmarks), relisting on 410 Gone and reconnecting with backoff on any
// failure, without ever dropping the last good objects.
import { type ClusterClient, ClusterError, formatMb, type WatchEvent } from './clusterClient.ts';
import { changedBeyondVersion, cleanObject, type KubeJson, objectKey, resourceVersionOf } from './objects.ts';
import type { MissingPermissions } from './permissions.ts';
import { collectionPath } from './resources.ts';
import { backoff, sleep } from './retry.ts';
import { asClusterError, describeUnitError, type SyncOptions, type Unit, unitLabel } from './syncUnit.ts';

/** What the loops need from the ClusterSync that owns the units. */
export interface ListWatchHost {
  /** True once the sync was stopped. */
  isStopped(): boolean;
  /** The objects of a unit changed. */
  emitData(): void;
  /** The state of a unit may have changed. */
  emitStatus(): void;
}

/** Runs the list/watch loops of a ClusterSync's units. */
export class ListWatch {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly client: ClusterClient,
    private readonly context: string,
    private readonly options: SyncOptions,
    private readonly permissions: MissingPermissions,
    private readonly host: ListWatchHost,
  ) {}

  /** Clears the pending timers (when the sync stops). */
  clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  private path(unit: Unit, query: Record<string, string>): string {
    const params = new URLSearchParams(query);
    if (unit.fieldSelector) params.set('fieldSelector', unit.fieldSelector);
    return `${collectionPath(unit.resource, unit.namespace)}?${params}`;
  }

  /** List then watch, forever: the heart of the reliability story. */
  async unitLoop(unit: Unit): Promise<void> {
    const signal = unit.abort.signal;
    let consecutiveGone = 0;
    while (!this.host.isStopped() && !signal.aborted) {
      let openedAt: number | undefined;
      try {
        if (unit.resourceVersion === undefined) await this.list(unit, signal);
        await this.client.watch(
          this.path(unit, {
            watch: '1',
            allowWatchBookmarks: 'true',
            resourceVersion: unit.resourceVersion!,
            timeoutSeconds: String(this.options.timings.watchTimeoutSeconds),
          }),
          {
            onOpen: () => {
              openedAt = Date.now();
              unit.phase = 'watching';
              unit.downSince = undefined;
              if (unit.error) this.permissions.clearPermissions(unit);
              unit.error = undefined;
              this.host.emitStatus();
            },
            onEvent: (event) => this.apply(unit, event),
          },
          signal,
        );
        // The server ended the watch (its timeoutSeconds): resume from the last resourceVersion
        // at once, nothing was missed. A server that ends watches at once gets backoff instead.
        this.markDown(unit);
        consecutiveGone = 0;
        if (Date.now() - openedAt! < 1000) {
          unit.failures += 1;
          await sleep(backoff(unit.failures, this.options.timings), signal);
        } else unit.failures = 0;
      } catch (caught) {
        if (this.host.isStopped() || signal.aborted) return;
        const error = asClusterError(caught);
        if (error.kind === 'not-found' && unit.resource.optional) {
          // The CRD is gone (or was never there): nothing to read, and not a problem. Look
          // again at the pace of rediscovery, which also drops the unit once discovery agrees.
          this.markNotInstalled(unit);
          await sleep(this.options.timings.rediscoverMs, signal);
          continue;
        }
        this.markDown(unit);
        if (error.kind === 'gone') {
          // Our resourceVersion (or continue token) was compacted away: list again from now.
          unit.resourceVersion = undefined;
          consecutiveGone += 1;
          if (consecutiveGone <= 3) continue;
        }
        if (
          openedAt !== undefined &&
          Date.now() - openedAt >= 1000 &&
          (error.kind === 'unreachable' || error.kind === 'timeout')
        ) {
          // A watch that ran fine and then broke (idle load balancers do that): reconnect at
          // once; the stale grace period covers it, and only a failing reconnect is an error.
          unit.failures = 0;
          continue;
        }
        unit.failures += 1;
        unit.phase = 'retrying';
        // The terminal gets each new problem once, not every retry.
        if (unit.error?.message !== error.message)
          this.options.log?.(`${this.context}: ${describeUnitError({ ...unit, error })}`);
        unit.error = error;
        if (error.kind === 'forbidden') await this.permissions.checkPermissions(unit, signal);
        if (error.kind === 'unauthorized') {
          // The answer will not change by itself soon: retry slowly.
          unit.failures = Math.max(unit.failures, 6);
        }
        this.host.emitStatus();
        await sleep(backoff(unit.failures, this.options.timings), signal);
      }
    }
  }

  private markNotInstalled(unit: Unit): void {
    if (unit.phase !== 'not-installed')
      this.options.log?.(`${this.context}: ${unitLabel(unit)} is not installed (404); not read`);
    const had = unit.items.size > 0;
    unit.phase = 'not-installed';
    unit.items = new Map();
    unit.resourceVersion = undefined;
    unit.synced = true;
    unit.downSince = undefined;
    unit.error = undefined;
    unit.failures = 0;
    this.permissions.clearPermissions(unit);
    if (had) this.host.emitData();
    this.host.emitStatus();
  }

  private markDown(unit: Unit): void {
    if (unit.downSince !== undefined) return;
    unit.downSince = Date.now();
    this.host.emitStatus();
    // Re-evaluate when the grace period ends, so "live" turns "stale" even if nothing else happens.
    this.later(this.options.timings.staleGraceMs + 5, () => this.host.emitStatus());
  }

  /** A paginated list; the objects are replaced only once every page arrived. */
  private async list(unit: Unit, signal: AbortSignal): Promise<void> {
    unit.phase = 'listing';
    const items = new Map<string, KubeJson>();
    const limit = this.options.limits.maxListBytes;
    let bytes = 0;
    let continueToken: string | undefined;
    let resourceVersion: string | undefined;
    // Bounded: a misbehaving server that keeps handing out continue tokens cannot loop forever.
    for (let page = 0; page < 100_000; page++) {
      const query: Record<string, string> = { limit: String(this.options.limits.pageSize) };
      if (continueToken) query.continue = continueToken;
      let response: { body: unknown; bytes: number };
      try {
        response = await this.client.getJson(this.path(unit, query), limit - bytes, signal);
      } catch (error) {
        if (error instanceof ClusterError && error.kind === 'too-large') {
          throw new ClusterError(
            'too-large',
            `the list of ${unit.resource.plural}${unit.namespace ? ` in ${unit.namespace}` : ''} is larger than ${formatMb(limit)}: narrow it with --namespace or raise --max-list-mb`,
          );
        }
        throw error;
      }
      bytes += response.bytes;
      const body = response.body as {
        kind?: unknown;
        items?: unknown;
        metadata?: { resourceVersion?: unknown; continue?: unknown };
      };
      if (!Array.isArray(body.items) || typeof body.metadata?.resourceVersion !== 'string') {
        throw new ClusterError('protocol', `the list of ${unit.resource.plural} is not a Kubernetes list`);
      }
      for (const raw of body.items) {
        const object = cleanObject(raw, unit.resource);
        if (object) items.set(objectKey(object), object);
      }
      resourceVersion = body.metadata.resourceVersion;
      continueToken =
        typeof body.metadata.continue === 'string' && body.metadata.continue !== ''
          ? body.metadata.continue
          : undefined;
      if (!continueToken) break;
    }
    if (continueToken) throw new ClusterError('protocol', `the list of ${unit.resource.plural} never ended`);
    unit.items = items;
    unit.resourceVersion = resourceVersion;
    unit.synced = true;
    this.host.emitData();
  }

  private apply(unit: Unit, event: WatchEvent): void {
    const rv = resourceVersionOf(event.object);
    if (event.type === 'BOOKMARK') {
      if (rv) unit.resourceVersion = rv;
      return;
    }
    const object = cleanObject(event.object, unit.resource);
    if (!object) throw new ClusterError('protocol', 'a watch event carried no object');
    const key = objectKey(object);
    // A change the snapshot would not show (a node's heartbeat, once its status is trimmed)
    // is kept quietly: the browser is not made to re-read and re-analyse an equal bundle.
    const visible = event.type === 'DELETED' || changedBeyondVersion(unit.items.get(key), object);
    if (event.type === 'DELETED') unit.items.delete(key);
    else unit.items.set(key, object);
    if (rv) unit.resourceVersion = rv;
    if (visible) this.host.emitData();
  }
}
