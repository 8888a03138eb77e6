// The object store of the stub API server: objects per resource, resourceVersions and the event
// history, and the list (limit/continue) and watch (replay, fan-out, bookmarks, 410 once
// compacted) answers over them, with the list and watch faults a test switched on.
import type http from 'node:http';
import type { StubFaults } from './stubFaults.ts';
import { CORE, resourceId, STUB_CRDS, type StubResource, status } from './stubResources.ts';

type Obj = Record<string, unknown> & {
  metadata: Record<string, unknown> & { name: string; namespace?: string };
};

interface LoggedEvent {
  rv: number;
  resource: string;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: Obj;
}

interface Watcher {
  resource: string;
  namespace: string | undefined;
  name: string | undefined;
  bookmarks: boolean;
  res: http.ServerResponse;
  timer: NodeJS.Timeout | undefined;
}

function key(o: Obj): string {
  return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name;
}

/** Objects, resourceVersions and watches; StubApiServer serves them over HTTP. */
export class StubStore {
  protected readonly resources: StubResource[] = [...CORE];
  private readonly store = new Map<string, Map<string, Obj>>();
  private readonly log: LoggedEvent[] = [];
  protected readonly watchers = new Set<Watcher>();
  private rv = 100;
  /** Watches from before this resourceVersion get 410. */
  private compactedRv = 0;

  protected constructor(
    private readonly historyLimit: number,
    readonly faults: StubFaults,
  ) {}

  /** The current resourceVersion. */
  get resourceVersion(): string {
    return String(this.rv);
  }

  /** Open watch streams (optionally of one plural). */
  watchCount(plural?: string): number {
    return [...this.watchers].filter((w) => plural === undefined || w.resource.endsWith(`/${plural}`)).length;
  }

  /** Makes a CRD's group/version and resource discoverable and listable. */
  installCrd(name: keyof typeof STUB_CRDS | string): void {
    const r = STUB_CRDS[name];
    if (!r) throw new Error(`unknown stub CRD ${name}`);
    if (!this.resources.includes(r)) this.resources.push(r);
  }

  /**
   * Deletes a CRD, as `kubectl delete crd` does: its watches end and its collection answers 404
   * (discovery too, once its group/version serves nothing else).
   */
  uninstallCrd(name: keyof typeof STUB_CRDS | string): void {
    const r = STUB_CRDS[name];
    if (!r) throw new Error(`unknown stub CRD ${name}`);
    const at = this.resources.indexOf(r);
    if (at >= 0) this.resources.splice(at, 1);
    for (const w of this.watchers) {
      if (w.resource !== resourceId(r)) continue;
      clearTimeout(w.timer);
      w.res.end();
      this.watchers.delete(w);
    }
  }

  /** Creates or replaces an object (an ADDED or MODIFIED event). */
  upsert(object: Record<string, unknown>): Obj {
    const o = structuredClone(object) as Obj;
    const r = this.resourceFor(String(o.apiVersion), String(o.kind));
    const items = this.items(r);
    const k = key(o);
    const type = items.has(k) ? 'MODIFIED' : 'ADDED';
    this.rv += 1;
    o.metadata.resourceVersion = String(this.rv);
    o.metadata.uid ??= `uid-${k}`;
    o.metadata.creationTimestamp ??= '2026-01-01T00:00:00Z';
    // Real objects carry managedFields; the proxy must strip them.
    o.metadata.managedFields = [{ manager: 'kubectl', operation: 'Apply', apiVersion: String(o.apiVersion) }];
    items.set(k, o);
    this.record({ rv: this.rv, resource: resourceId(r), type, object: o });
    return o;
  }

  /** Deletes an object (a DELETED event). */
  remove(apiVersion: string, kind: string, namespace: string | undefined, name: string): void {
    const r = this.resourceFor(apiVersion, kind);
    const items = this.items(r);
    const k = namespace ? `${namespace}/${name}` : name;
    const o = items.get(k);
    if (!o) return;
    items.delete(k);
    this.rv += 1;
    const deleted = structuredClone(o);
    deleted.metadata.resourceVersion = String(this.rv);
    this.record({ rv: this.rv, resource: resourceId(r), type: 'DELETED', object: deleted });
  }

  /** Sends a BOOKMARK with the current resourceVersion to every watch that asked for them. */
  bookmark(): void {
    for (const w of this.watchers) {
      if (!w.bookmarks) continue;
      const r = this.resources.find((x) => resourceId(x) === w.resource)!;
      this.send(w, {
        type: 'BOOKMARK',
        object: {
          kind: r.kind,
          apiVersion: r.group ? `${r.group}/${r.version}` : r.version,
          metadata: { resourceVersion: String(this.rv) },
        },
      });
    }
  }

  /** Forgets the event history: watches from any older resourceVersion now get 410. */
  compact(): void {
    this.compactedRv = this.rv;
    this.log.length = 0;
  }

  /** Cuts every open watch mid-stream (no clean end), as a dropped connection does. */
  disconnectWatches(): void {
    for (const w of this.watchers) {
      clearTimeout(w.timer);
      w.res.socket?.destroy();
    }
    this.watchers.clear();
  }

  /** Ends every open watch cleanly, as the API server does after timeoutSeconds. */
  endWatches(): void {
    for (const w of this.watchers) {
      clearTimeout(w.timer);
      w.res.end();
    }
    this.watchers.clear();
  }

  private resourceFor(apiVersion: string, kind: string): StubResource {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const r = this.resources.find((x) => x.group === group && x.version === version && x.kind === kind);
    if (!r) throw new Error(`stub does not serve ${apiVersion} ${kind}`);
    return r;
  }

  protected items(r: StubResource): Map<string, Obj> {
    const id = resourceId(r);
    let m = this.store.get(id);
    if (!m) {
      m = new Map();
      this.store.set(id, m);
    }
    return m;
  }

  private record(event: LoggedEvent): void {
    this.log.push(event);
    if (this.log.length > this.historyLimit) {
      const dropped = this.log.splice(0, this.log.length - this.historyLimit);
      this.compactedRv = dropped.at(-1)!.rv;
    }
    for (const w of this.watchers) {
      if (this.matches(w, event)) this.send(w, { type: event.type, object: event.object });
    }
  }

  private matches(w: Watcher, e: LoggedEvent): boolean {
    return (
      w.resource === e.resource &&
      (w.namespace === undefined || e.object.metadata.namespace === w.namespace) &&
      (w.name === undefined || e.object.metadata.name === w.name)
    );
  }

  private send(w: Watcher, event: unknown): void {
    w.res.write(`${JSON.stringify(event)}\n`);
  }

  protected json(res: http.ServerResponse, code: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  private selected(r: StubResource, namespace: string | undefined, name: string | undefined): Obj[] {
    return [...this.items(r).values()]
      .filter(
        (o) =>
          (namespace === undefined || o.metadata.namespace === namespace) &&
          (name === undefined || o.metadata.name === name),
      )
      .sort((a, b) => (key(a) < key(b) ? -1 : 1));
  }

  protected list(
    res: http.ServerResponse,
    r: StubResource,
    namespace: string | undefined,
    name: string | undefined,
    query: Record<string, string>,
  ): void {
    const all = this.selected(r, namespace, name);
    let start = 0;
    let rv = this.rv;
    if (query.continue) {
      let token: { rv: number; start: number };
      try {
        token = JSON.parse(Buffer.from(query.continue, 'base64').toString('utf8'));
      } catch {
        this.json(res, 400, status(400, 'BadRequest', 'invalid continue token'));
        return;
      }
      if (token.rv < this.compactedRv || this.faults.goneContinue > 0) {
        this.faults.goneContinue = Math.max(0, this.faults.goneContinue - 1);
        this.json(
          res,
          410,
          status(
            410,
            'Expired',
            'The provided continue parameter is too old to display a consistent list result.',
          ),
        );
        return;
      }
      start = token.start;
      rv = token.rv;
    }
    const limit = this.faults.paginate && query.limit ? Number(query.limit) : Number.POSITIVE_INFINITY;
    const page = all.slice(start, start + limit);
    const next =
      start + page.length < all.length
        ? Buffer.from(JSON.stringify({ rv, start: start + page.length })).toString('base64')
        : undefined;
    this.json(res, 200, {
      kind: `${r.kind}List`,
      apiVersion: r.group ? `${r.group}/${r.version}` : r.version,
      metadata: {
        resourceVersion: String(rv),
        ...(next ? { continue: next, remainingItemCount: all.length - start - page.length } : {}),
      },
      // Items of a list carry no kind/apiVersion, exactly like the real API server's.
      items: page.map(({ kind: _k, apiVersion: _a, ...rest }) => rest),
    });
  }

  protected watch(
    res: http.ServerResponse,
    r: StubResource,
    namespace: string | undefined,
    name: string | undefined,
    query: Record<string, string>,
  ): void {
    if (this.faults.hangWatches) return; // headers never come: the proxy must time out
    if (this.faults.goneWatchesHttp > 0) {
      this.faults.goneWatchesHttp -= 1;
      this.json(res, 410, status(410, 'Gone', 'too old resource version'));
      return;
    }
    const from = Number(query.resourceVersion ?? '0');
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    if (this.faults.goneWatches > 0 || (from !== 0 && from < this.compactedRv)) {
      if (this.faults.goneWatches > 0) this.faults.goneWatches -= 1;
      res.end(
        `${JSON.stringify({ type: 'ERROR', object: status(410, 'Expired', `too old resource version: ${from} (${this.compactedRv})`) })}\n`,
      );
      return;
    }
    const w: Watcher = {
      resource: resourceId(r),
      namespace,
      name,
      bookmarks: query.allowWatchBookmarks === 'true',
      res,
      timer: undefined,
    };
    for (const e of this.log) {
      if (e.rv > from && this.matches(w, e)) this.send(w, { type: e.type, object: e.object });
    }
    this.watchers.add(w);
    const timeout = Number(query.timeoutSeconds ?? '0');
    if (timeout > 0) {
      w.timer = setTimeout(() => {
        this.watchers.delete(w);
        res.end();
      }, timeout * 1000);
    }
    res.on('close', () => {
      clearTimeout(w.timer);
      this.watchers.delete(w);
    });
  }
}
