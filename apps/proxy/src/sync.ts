import type { MissingPermission, ResourceStatus, SyncState, SyncStatus } from '@netpol-atlas/live-protocol';
import { type ClusterClient, ClusterError, formatMb, type WatchEvent } from './clusterClient.ts';
import { cleanObject, type KubeJson, objectKey, resourceVersionOf } from './objects.ts';
import {
  ALL_RESOURCES,
  collectionPath,
  groupVersionPath,
  pickServed,
  type ResourceSpec,
  SELF_SUBJECT_ACCESS_REVIEW_PATH,
} from './resources.ts';

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

/** A list/watch of one resource, cluster-wide or in one namespace. */
interface Unit {
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

type Listener = () => void;

/**
 * Keeps a live copy of the allow-listed objects of one context: discovery, then for every
 * resource a paginated list followed by a watch from the list's resourceVersion (with
 * bookmarks), relisting on 410 Gone and reconnecting with backoff on any failure. The last good
 * objects are kept through every failure; `status()` says whether they are current.
 */
export class ClusterSync {
  private units: Unit[] = [];
  private discovered = false;
  private discoveryError: ClusterError | undefined;
  private extraKinds: string[] = [];
  private stopped = true;
  private readonly stopController = new AbortController();
  private readonly missing = new Map<string, MissingPermission>();
  private lastLiveAt: number | undefined;
  private lastState: SyncState = 'connecting';
  private revisionCounter = 0;
  private readonly dataListeners = new Set<Listener>();
  private readonly statusListeners = new Set<Listener>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly client: ClusterClient,
    readonly context: string,
    private readonly options: {
      namespaces: readonly string[];
      timings: SyncTimings;
      limits: SyncLimits;
      log?: (message: string) => void;
    },
  ) {}

  /** Grows on every change of the objects. */
  get revision(): number {
    return this.revisionCounter;
  }

  /** Starts discovery and the list/watch loops (once). */
  start(): void {
    if (!this.stopped || this.stopController.signal.aborted) return;
    this.stopped = false;
    void this.discoveryLoop();
  }

  /** Stops every request and timer; the objects stay readable. */
  stop(): void {
    this.stopped = true;
    this.stopController.abort();
    for (const unit of this.units) unit.abort.abort();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** Called after the objects changed. */
  onData(listener: Listener): () => void {
    this.dataListeners.add(listener);
    return () => this.dataListeners.delete(listener);
  }

  /** Called after the state may have changed. */
  onStatus(listener: Listener): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Current objects, per resource. */
  objects(): Map<ResourceSpec, KubeJson[]> {
    const out = new Map<ResourceSpec, KubeJson[]>();
    for (const unit of this.units) {
      const list = out.get(unit.resource) ?? [];
      list.push(...unit.items.values());
      out.set(unit.resource, list);
    }
    return out;
  }

  /** The state, honestly: only `live` means the objects are complete and current. */
  status(): SyncStatus {
    const now = Date.now();
    const { state, error } = this.computeState(now);
    if (state === 'live') this.lastLiveAt = now;
    else if (this.lastState === 'live') {
      // Sync was lost when the first watch went down, not when the grace period ran out.
      const downs = this.units.flatMap((u) => (u.downSince === undefined ? [] : [u.downSince]));
      if (downs.length > 0) this.lastLiveAt = Math.min(...downs);
    }
    this.lastState = state;
    return {
      state,
      lastSync: this.lastLiveAt === undefined ? null : new Date(this.lastLiveAt).toISOString(),
      error,
      missingPermissions: [...this.missing.values()],
      resources: this.units.map((u) => ({
        resource: u.resource.id,
        namespace: u.namespace ?? (u.fieldSelector ? u.fieldSelector.split('=')[1]! : null),
        phase: u.phase,
        objects: u.items.size,
        error: u.error?.message ?? null,
      })),
      extraKinds: this.extraKinds,
    };
  }

  private computeState(now: number): { state: SyncState; error: string | null } {
    if (!this.discovered) {
      if (!this.discoveryError) return { state: 'connecting', error: null };
      return { state: this.lastLiveAt === undefined ? 'error' : 'stale', error: this.discoveryError.message };
    }
    const fatal = this.units.find(
      (u) => u.error && (u.essential || u.error.kind !== 'forbidden') && isFatal(u.error),
    );
    if (fatal) return { state: 'error', error: describeUnitError(fatal) };
    const failing = this.units.find((u) => u.error);
    if (!this.units.every((u) => u.synced || !u.essential)) {
      return failing
        ? { state: 'error', error: describeUnitError(failing) }
        : { state: 'connecting', error: null };
    }
    const down = this.units.find(
      (u) =>
        u.essential &&
        u.downSince !== undefined &&
        (u.error !== undefined || now - u.downSince >= this.options.timings.staleGraceMs),
    );
    if (down) {
      return {
        state: 'stale',
        error: down.error ? describeUnitError(down) : `the watch of ${unitLabel(down)} is reconnecting`,
      };
    }
    const partial = this.units.find((u) => u.error);
    return { state: 'live', error: partial ? describeUnitError(partial) : null };
  }

  private emitData(): void {
    this.revisionCounter += 1;
    for (const l of this.dataListeners) l();
  }

  private emitStatus(): void {
    for (const l of this.statusListeners) l();
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
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

  private backoff(failures: number): number {
    const { backoffMinMs, backoffMaxMs } = this.options.timings;
    const base = Math.min(backoffMaxMs, backoffMinMs * 2 ** Math.min(failures - 1, 20));
    // Jitter spreads the retries of many watches (and many users) after an outage.
    return Math.round(base * (0.75 + Math.random() * 0.5));
  }

  /** Discovery, retried until it works; then the units; then a periodic rediscovery. */
  private async discoveryLoop(): Promise<void> {
    const signal = this.stopController.signal;
    for (let failures = 0; !this.stopped; ) {
      try {
        const served = await this.discover(signal);
        this.discoveryError = undefined;
        this.applyDiscovery(served);
        this.discovered = true;
        this.emitStatus();
        failures = 0;
        await this.sleep(this.options.timings.rediscoverMs, signal);
      } catch (error) {
        if (this.stopped) return;
        failures += 1;
        this.discoveryError = asClusterError(error);
        this.emitStatus();
        await this.sleep(this.backoff(failures), signal);
      }
    }
  }

  /** The allow-listed resources this API server serves. */
  private async discover(signal: AbortSignal): Promise<ResourceSpec[]> {
    const groupVersions = [...new Set(ALL_RESOURCES.map((r) => groupVersionPath(r.group, r.version)))];
    const servedNames = new Map<string, Set<string>>();
    for (const gv of groupVersions) {
      try {
        const { body } = await this.client.getJson(gv, 4 * 1024 * 1024, signal);
        const resources = (body as { resources?: { name?: unknown }[] }).resources ?? [];
        servedNames.set(gv, new Set(resources.flatMap((r) => (typeof r.name === 'string' ? [r.name] : []))));
      } catch (error) {
        // A group that is not installed (404), or one discovery hides from this user (403),
        // simply is not read; everything else (down, 401, slow) fails the whole discovery.
        if (error instanceof ClusterError && (error.kind === 'not-found' || error.kind === 'forbidden'))
          continue;
        throw error;
      }
    }
    const served = ALL_RESOURCES.filter((r) =>
      servedNames.get(groupVersionPath(r.group, r.version))?.has(r.plural),
    );
    return pickServed(served);
  }

  private applyDiscovery(served: ResourceSpec[]): void {
    const wanted = new Set(served.map((r) => r.id));
    let changed = false;
    for (const unit of this.units.filter((u) => !wanted.has(u.resource.id))) {
      unit.abort.abort();
      changed ||= unit.items.size > 0;
    }
    this.units = this.units.filter((u) => wanted.has(u.resource.id));
    const have = new Set(this.units.map((u) => u.resource.id));
    const namespaces = this.options.namespaces;
    for (const resource of served) {
      if (have.has(resource.id)) continue;
      if (namespaces.length === 0 || (!resource.namespaced && resource.plural !== 'namespaces')) {
        this.addUnit(resource, undefined, undefined, true);
      } else if (resource.plural === 'namespaces' && resource.group === '') {
        for (const ns of namespaces) this.addUnit(resource, undefined, `metadata.name=${ns}`, false);
      } else {
        for (const ns of namespaces) this.addUnit(resource, ns, undefined, true);
      }
    }
    // Kind and group: Calico's NetworkPolicy must not read as Kubernetes' own.
    this.extraKinds = [
      ...new Set(
        this.units.filter((u) => u.resource.optional).map((u) => `${u.resource.kind}.${u.resource.group}`),
      ),
    ].sort();
    if (changed) this.emitData();
  }

  private addUnit(
    resource: ResourceSpec,
    namespace: string | undefined,
    fieldSelector: string | undefined,
    essential: boolean,
  ): void {
    const unit: Unit = {
      resource,
      namespace,
      fieldSelector,
      essential,
      items: new Map(),
      resourceVersion: undefined,
      phase: 'pending',
      synced: false,
      downSince: undefined,
      error: undefined,
      failures: 0,
      abort: new AbortController(),
    };
    this.units.push(unit);
    void this.unitLoop(unit);
  }

  private path(unit: Unit, query: Record<string, string>): string {
    const params = new URLSearchParams(query);
    if (unit.fieldSelector) params.set('fieldSelector', unit.fieldSelector);
    return `${collectionPath(unit.resource, unit.namespace)}?${params}`;
  }

  /** List then watch, forever: the heart of the reliability story. */
  private async unitLoop(unit: Unit): Promise<void> {
    const signal = unit.abort.signal;
    let consecutiveGone = 0;
    while (!this.stopped && !signal.aborted) {
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
              if (unit.error) this.clearPermissions(unit);
              unit.error = undefined;
              this.emitStatus();
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
          await this.sleep(this.backoff(unit.failures), signal);
        } else unit.failures = 0;
      } catch (caught) {
        if (this.stopped || signal.aborted) return;
        const error = asClusterError(caught);
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
        if (error.kind === 'forbidden') await this.checkPermissions(unit, signal);
        if (error.kind === 'unauthorized') {
          // The answer will not change by itself soon: retry slowly.
          unit.failures = Math.max(unit.failures, 6);
        }
        this.emitStatus();
        await this.sleep(this.backoff(unit.failures), signal);
      }
    }
  }

  private markDown(unit: Unit): void {
    if (unit.downSince !== undefined) return;
    unit.downSince = Date.now();
    this.emitStatus();
    // Re-evaluate when the grace period ends, so "live" turns "stale" even if nothing else happens.
    this.later(this.options.timings.staleGraceMs + 5, () => this.emitStatus());
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
    this.emitData();
  }

  private apply(unit: Unit, event: WatchEvent): void {
    const rv = resourceVersionOf(event.object);
    if (event.type === 'BOOKMARK') {
      if (rv) unit.resourceVersion = rv;
      return;
    }
    const object = cleanObject(event.object, unit.resource);
    if (!object) throw new ClusterError('protocol', 'a watch event carried no object');
    if (event.type === 'DELETED') unit.items.delete(objectKey(object));
    else unit.items.set(objectKey(object), object);
    if (rv) unit.resourceVersion = rv;
    this.emitData();
  }

  private permissionKey(p: MissingPermission): string {
    return `${p.verb}|${p.group}|${p.resource}|${p.namespace ?? ''}`;
  }

  private clearPermissions(unit: Unit): void {
    const ns = unit.namespace ?? null;
    for (const [key, p] of this.missing) {
      if (p.group === unit.resource.group && p.resource === unit.resource.plural && p.namespace === ns)
        this.missing.delete(key);
    }
  }

  /**
   * Asks the API server (SelfSubjectAccessReview) which of the verbs the proxy needs are
   * missing, so the user learns exactly what to grant. If the review itself is refused, the
   * verb that just failed is reported.
   */
  private async checkPermissions(unit: Unit, signal: AbortSignal): Promise<void> {
    this.clearPermissions(unit);
    const failedVerb = unit.phase === 'listing' || !unit.synced ? 'list' : 'watch';
    for (const verb of ['list', 'watch']) {
      const permission: MissingPermission = {
        verb,
        group: unit.resource.group,
        resource: unit.resource.plural,
        namespace: unit.namespace ?? null,
      };
      let allowed: boolean;
      try {
        const review = (await this.client.postJson(
          SELF_SUBJECT_ACCESS_REVIEW_PATH,
          {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SelfSubjectAccessReview',
            spec: {
              resourceAttributes: {
                verb,
                group: unit.resource.group,
                resource: unit.resource.plural,
                ...(unit.namespace ? { namespace: unit.namespace } : {}),
              },
            },
          },
          signal,
        )) as { status?: { allowed?: unknown } };
        allowed = review.status?.allowed === true;
      } catch {
        allowed = verb !== failedVerb;
      }
      if (!allowed) this.missing.set(this.permissionKey(permission), permission);
    }
  }
}

function isFatal(error: ClusterError): boolean {
  return ['unauthorized', 'forbidden', 'too-large', 'config', 'protocol'].includes(error.kind);
}

function asClusterError(error: unknown): ClusterError {
  if (error instanceof ClusterError) return error;
  return new ClusterError('protocol', `unexpected failure: ${(error as Error)?.message ?? String(error)}`);
}

function unitLabel(unit: Unit): string {
  const r = unit.resource;
  const name = r.group === '' ? r.plural : `${r.plural}.${r.group}`;
  return unit.namespace ? `${name} in ${unit.namespace}` : name;
}

function describeUnitError(unit: Unit): string {
  const error = unit.error;
  if (!error) return `${unitLabel(unit)}: unknown problem`;
  if (error.kind === 'forbidden') return `not allowed to read ${unitLabel(unit)}: ${error.message}`;
  return `${unitLabel(unit)}: ${error.message}`;
}
