// ClusterSync: the live copy of one context. It runs discovery (discovery.ts), keeps one unit per
// served resource and namespace, each with its list/watch loop (listWatch.ts), and reports the
// state honestly, with the permissions a refused unit lacks (permissions.ts).
import type { SyncState, SyncStatus } from '@netpol-atlas/live-protocol';
import type { ClusterClient, ClusterError } from './clusterClient.ts';
import { discover } from './discovery.ts';
import { ListWatch } from './listWatch.ts';
import type { KubeJson } from './objects.ts';
import { MissingPermissions } from './permissions.ts';
import { kindAndGroup, OPTIONAL_RESOURCES, type ResourceSpec, servedKey } from './resources.ts';
import { backoff, sleep } from './retry.ts';
import { asClusterError, describeUnitError, type SyncOptions, type Unit, unitLabel } from './syncUnit.ts';

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
  private stopped = true;
  private readonly stopController = new AbortController();
  private readonly permissions: MissingPermissions;
  private readonly listWatch: ListWatch;
  private lastLiveAt: number | undefined;
  private lastState: SyncState = 'connecting';
  private revisionCounter = 0;
  private readonly dataListeners = new Set<Listener>();
  private readonly statusListeners = new Set<Listener>();

  constructor(
    private readonly client: ClusterClient,
    readonly context: string,
    private readonly options: SyncOptions,
  ) {
    this.permissions = new MissingPermissions(client);
    this.listWatch = new ListWatch(client, context, options, this.permissions, {
      isStopped: () => this.stopped,
      emitData: () => this.emitData(),
      emitStatus: () => this.emitStatus(),
    });
  }

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
    this.listWatch.clearTimers();
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
      missingPermissions: [...this.permissions.missing.values()],
      resources: this.units.map((u) => ({
        resource: u.resource.id,
        namespace: u.namespace ?? (u.fieldSelector ? u.fieldSelector.split('=')[1]! : null),
        phase: u.phase,
        objects: u.items.size,
        error: u.error?.message ?? null,
      })),
      ...this.optionalKinds(),
    };
  }

  /**
   * The optional kinds read (Kind and group: Calico's NetworkPolicy must not read as
   * Kubernetes' own), and those this cluster does not serve: absent from discovery, or answered
   * with 404 (a CRD removed since).
   */
  private optionalKinds(): { extraKinds: string[]; notInstalled: string[] } {
    if (!this.discovered) return { extraKinds: [], notInstalled: [] };
    const installed = this.units.filter((u) => u.resource.optional && u.phase !== 'not-installed');
    const installedKeys = new Set(installed.map((u) => servedKey(u.resource)));
    return {
      extraKinds: [...new Set(installed.map((u) => kindAndGroup(u.resource)))].sort(),
      notInstalled: [
        ...new Set(
          OPTIONAL_RESOURCES.filter((r) => !installedKeys.has(servedKey(r))).map((r) => kindAndGroup(r)),
        ),
      ].sort(),
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

  /** Discovery, retried until it works; then the units; then a periodic rediscovery. */
  private async discoveryLoop(): Promise<void> {
    const signal = this.stopController.signal;
    for (let failures = 0; !this.stopped; ) {
      try {
        const served = await discover(this.client, signal);
        this.discoveryError = undefined;
        this.applyDiscovery(served);
        this.discovered = true;
        this.emitStatus();
        failures = 0;
        await sleep(this.options.timings.rediscoverMs, signal);
      } catch (error) {
        if (this.stopped) return;
        failures += 1;
        this.discoveryError = asClusterError(error);
        this.emitStatus();
        await sleep(backoff(failures, this.options.timings), signal);
      }
    }
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
        this.addUnit(resource, undefined, undefined, resource.essential);
      } else if (resource.plural === 'namespaces' && resource.group === '') {
        for (const ns of namespaces) this.addUnit(resource, undefined, `metadata.name=${ns}`, false);
      } else {
        for (const ns of namespaces) this.addUnit(resource, ns, undefined, resource.essential);
      }
    }
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
    void this.listWatch.unitLoop(unit);
  }
}

function isFatal(error: ClusterError): boolean {
  return ['unauthorized', 'forbidden', 'too-large', 'config', 'protocol'].includes(error.kind);
}
