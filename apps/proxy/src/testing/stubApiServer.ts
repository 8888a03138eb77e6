import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A stand-in Kubernetes API server for tests: 127.0.0.1, a random port, bearer-token auth, and
 * the real JSON of discovery, lists (kind `XList`, `metadata.resourceVersion`, `limit` and
 * `continue`), watches (ADDED/MODIFIED/DELETED/BOOKMARK, and ERROR with a 410 Status once a
 * resourceVersion is compacted away) and SelfSubjectAccessReview. Faults are switched on per
 * test: down, 401, 403, 410, watch disconnects, slow answers.
 *
 * Its resource table is written out here on purpose, not imported from the proxy, so a wrong
 * path in the proxy's table fails the tests instead of agreeing with itself.
 */

interface StubResource {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
}

const CORE: StubResource[] = [
  { group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', namespaced: false },
  { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true },
  { group: '', version: 'v1', plural: 'services', kind: 'Service', namespaced: true },
  { group: '', version: 'v1', plural: 'secrets', kind: 'Secret', namespaced: true },
  { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespaced: true },
  { group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment', namespaced: true },
  { group: 'apps', version: 'v1', plural: 'replicasets', kind: 'ReplicaSet', namespaced: true },
  { group: 'apps', version: 'v1', plural: 'statefulsets', kind: 'StatefulSet', namespaced: true },
  { group: 'apps', version: 'v1', plural: 'daemonsets', kind: 'DaemonSet', namespaced: true },
  { group: 'batch', version: 'v1', plural: 'jobs', kind: 'Job', namespaced: true },
  { group: 'batch', version: 'v1', plural: 'cronjobs', kind: 'CronJob', namespaced: true },
  {
    group: 'networking.k8s.io',
    version: 'v1',
    plural: 'networkpolicies',
    kind: 'NetworkPolicy',
    namespaced: true,
  },
];

/** CRDs a test can install: `stub.installCrd('ciliumnetworkpolicies.cilium.io')`. */
export const STUB_CRDS: Record<string, StubResource> = {
  'adminnetworkpolicies.policy.networking.k8s.io': {
    group: 'policy.networking.k8s.io',
    version: 'v1alpha1',
    plural: 'adminnetworkpolicies',
    kind: 'AdminNetworkPolicy',
    namespaced: false,
  },
  'baselineadminnetworkpolicies.policy.networking.k8s.io': {
    group: 'policy.networking.k8s.io',
    version: 'v1alpha1',
    plural: 'baselineadminnetworkpolicies',
    kind: 'BaselineAdminNetworkPolicy',
    namespaced: false,
  },
  'clusternetworkpolicies.policy.networking.k8s.io': {
    group: 'policy.networking.k8s.io',
    version: 'v1alpha2',
    plural: 'clusternetworkpolicies',
    kind: 'ClusterNetworkPolicy',
    namespaced: false,
  },
  'ciliumnetworkpolicies.cilium.io': {
    group: 'cilium.io',
    version: 'v2',
    plural: 'ciliumnetworkpolicies',
    kind: 'CiliumNetworkPolicy',
    namespaced: true,
  },
  'ciliumclusterwidenetworkpolicies.cilium.io': {
    group: 'cilium.io',
    version: 'v2',
    plural: 'ciliumclusterwidenetworkpolicies',
    kind: 'CiliumClusterwideNetworkPolicy',
    namespaced: false,
  },
  'networkpolicies.crd.projectcalico.org': {
    group: 'crd.projectcalico.org',
    version: 'v1',
    plural: 'networkpolicies',
    kind: 'NetworkPolicy',
    namespaced: true,
  },
  'globalnetworkpolicies.crd.projectcalico.org': {
    group: 'crd.projectcalico.org',
    version: 'v1',
    plural: 'globalnetworkpolicies',
    kind: 'GlobalNetworkPolicy',
    namespaced: false,
  },
  'networkpolicies.projectcalico.org': {
    group: 'projectcalico.org',
    version: 'v3',
    plural: 'networkpolicies',
    kind: 'NetworkPolicy',
    namespaced: true,
  },
};

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

/** A request the stub received (for assertions such as "never asked for secrets"). */
export interface StubRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
}

/** Faults a test can switch on; all off by default. */
export interface StubFaults {
  /** Every request gets 401 (e.g. an expired token). */
  unauthorized: boolean;
  /** `verb:plural` (e.g. `list:networkpolicies`, `watch:pods`) answered with 403. */
  forbidden: Set<string>;
  /** Delay before any answer. */
  slowMs: number;
  /** The next N watches get an ERROR event with a 410 Status (as a compacted etcd does). */
  goneWatches: number;
  /** The next N watches get a plain HTTP 410 instead (as some API server versions do). */
  goneWatchesHttp: number;
  /** The next N requests with a `continue` token get 410 Expired, as after a compaction. */
  goneContinue: number;
  /** Every watch response holds its headers back (never opens). */
  hangWatches: boolean;
  /** Lists ignore `limit` when false (to send one big page). */
  paginate: boolean;
}

/** Options of `StubApiServer.start`. */
export interface StubOptions {
  token?: string;
  /** Reuse a port (to come back up where a proxy expects the server). */
  port?: number;
  /** Events kept for watches; older resourceVersions get 410. */
  historyLimit?: number;
}

function key(o: Obj): string {
  return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name;
}

function resourceId(r: StubResource): string {
  return `${r.group}/${r.plural}`;
}

function status(code: number, reason: string, message: string): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

/** The stub API server. */
export class StubApiServer {
  readonly token: string;
  readonly requests: StubRequest[] = [];
  readonly faults: StubFaults = {
    unauthorized: false,
    forbidden: new Set(),
    slowMs: 0,
    goneWatches: 0,
    goneWatchesHttp: 0,
    goneContinue: 0,
    hangWatches: false,
    paginate: true,
  };
  /** Connections ever accepted (a proxy that never connects leaves it at 0). */
  connections = 0;
  private server: http.Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly resources: StubResource[] = [...CORE];
  private readonly store = new Map<string, Map<string, Obj>>();
  private readonly log: LoggedEvent[] = [];
  private readonly watchers = new Set<Watcher>();
  private rv = 100;
  /** Watches from before this resourceVersion get 410. */
  private compactedRv = 0;
  private readonly historyLimit: number;
  private portNumber = 0;

  private constructor(options: StubOptions) {
    this.token = options.token ?? 'stub-secret-token-do-not-leak';
    this.historyLimit = options.historyLimit ?? 10_000;
    this.portNumber = options.port ?? 0;
  }

  /** Starts a stub on 127.0.0.1. */
  static async start(options: StubOptions = {}): Promise<StubApiServer> {
    const stub = new StubApiServer(options);
    await stub.resume();
    return stub;
  }

  get port(): number {
    return this.portNumber;
  }

  get url(): string {
    return `http://127.0.0.1:${this.portNumber}`;
  }

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

  /** Goes down: stops listening and drops every connection. Objects are kept. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const w of this.watchers) clearTimeout(w.timer);
    this.watchers.clear();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Comes back up on the same port. */
  async resume(): Promise<void> {
    if (this.server) return;
    const server = http.createServer((req, res) => {
      void this.handle(req, res);
    });
    server.on('connection', (s) => {
      // A connection the kernel accepted just before `stop()` must not outlive the outage.
      if (this.server !== server) {
        s.destroy();
        return;
      }
      this.connections += 1;
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.server = server;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host: '127.0.0.1', port: this.portNumber }, () => resolve());
      });
    } catch (error) {
      this.server = undefined;
      throw error;
    }
    this.portNumber = (server.address() as AddressInfo).port;
  }

  /** Stops for good. */
  async close(): Promise<void> {
    await this.stop();
  }

  private resourceFor(apiVersion: string, kind: string): StubResource {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const r = this.resources.find((x) => x.group === group && x.version === version && x.kind === kind);
    if (!r) throw new Error(`stub does not serve ${apiVersion} ${kind}`);
    return r;
  }

  private items(r: StubResource): Map<string, Obj> {
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

  private json(res: http.ServerResponse, code: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stub');
    const query = Object.fromEntries(url.searchParams);
    this.requests.push({
      method: req.method ?? '',
      path: url.pathname,
      query,
      authorization: req.headers.authorization,
    });
    const body = await new Promise<string>((resolve) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => {
        text += c;
      });
      req.on('end', () => resolve(text));
    });
    const isWatch = query.watch === '1' || query.watch === 'true';
    if (this.faults.slowMs > 0 && !(isWatch && this.faults.hangWatches)) {
      await new Promise((r) => setTimeout(r, this.faults.slowMs));
      if (!this.server) return;
    }
    if (this.faults.unauthorized || req.headers.authorization !== `Bearer ${this.token}`) {
      this.json(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    const path = url.pathname.replace(/\/+$/, '');
    if (req.method === 'POST' && path === '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews') {
      this.accessReview(res, body);
      return;
    }
    if (req.method !== 'GET') {
      this.json(res, 405, status(405, 'MethodNotAllowed', `the stub is read-only (${req.method})`));
      return;
    }
    if (path === '/api') {
      this.json(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
      return;
    }
    if (path === '/apis') {
      const groups = [
        ...new Set(this.resources.filter((r) => r.group).map((r) => `${r.group}/${r.version}`)),
      ];
      this.json(res, 200, {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: groups.map((gv) => {
          const [name, version] = gv.split('/');
          return {
            name,
            versions: [{ groupVersion: gv, version }],
            preferredVersion: { groupVersion: gv, version },
          };
        }),
      });
      return;
    }
    const m =
      /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?(?:\/([^/]+))?(?:\/([^/]+))?(?:\/([^/]+))?$/.exec(
        path,
      );
    if (!m) {
      this.json(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
      return;
    }
    const group = m[2] ?? '';
    const version = m[1] ?? m[3]!;
    const namespace = m[4];
    const plural = m[5];
    const name = m[6];
    const subresource = m[7];
    const inGroup = this.resources.filter((r) => r.group === group && r.version === version);
    if (inGroup.length === 0) {
      this.json(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
      return;
    }
    if (plural === undefined && namespace === undefined) {
      this.json(res, 200, {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: group ? `${group}/${version}` : version,
        resources: inGroup.map((r) => ({
          name: r.plural,
          singularName: r.kind.toLowerCase(),
          namespaced: r.namespaced,
          kind: r.kind,
          verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
        })),
      });
      return;
    }
    // `/api/v1/namespaces/<name>` is a GET of one namespace, not a namespaced collection.
    const r =
      plural === undefined
        ? inGroup.find((x) => x.plural === 'namespaces')
        : inGroup.find((x) => x.plural === plural);
    if (!r || (namespace !== undefined && plural !== undefined && !r.namespaced)) {
      this.json(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
      return;
    }
    if (plural === undefined || name !== undefined || subresource !== undefined) {
      // Single objects and subresources (exec, attach, portforward, proxy, log): the proxy must
      // never ask. Answer as a permissive server would, so a test sees any leak.
      const target = plural === undefined ? namespace! : name!;
      const o = this.items(r).get(plural === undefined ? target : `${namespace}/${target}`);
      if (subresource) res.end(`stub ${subresource} stream for ${target}`);
      else if (o) this.json(res, 200, o);
      else this.json(res, 404, status(404, 'NotFound', `${r.plural} "${target}" not found`));
      return;
    }
    const verb = isWatch ? 'watch' : 'list';
    if (this.faults.forbidden.has(`${verb}:${r.plural}`)) {
      const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
      this.json(
        res,
        403,
        status(
          403,
          'Forbidden',
          `${r.plural}${r.group ? `.${r.group}` : ''} is forbidden: User "tester" cannot ${verb} resource "${r.plural}" in API group "${r.group}" ${scope}`,
        ),
      );
      return;
    }
    let nameFilter: string | undefined;
    if (query.fieldSelector) {
      const fm = /^metadata\.name=([a-z0-9.-]+)$/.exec(query.fieldSelector);
      if (!fm) {
        this.json(res, 400, status(400, 'BadRequest', `unsupported field selector ${query.fieldSelector}`));
        return;
      }
      nameFilter = fm[1];
    }
    if (isWatch) this.watch(res, r, namespace, nameFilter, query);
    else this.list(res, r, namespace, nameFilter, query);
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

  private list(
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

  private watch(
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

  private accessReview(res: http.ServerResponse, body: string): void {
    let review: {
      spec?: {
        resourceAttributes?: { verb?: string; resource?: string; group?: string; namespace?: string };
      };
    };
    try {
      review = JSON.parse(body);
    } catch {
      this.json(res, 400, status(400, 'BadRequest', 'invalid body'));
      return;
    }
    const a = review.spec?.resourceAttributes ?? {};
    const allowed = !this.faults.forbidden.has(`${a.verb}:${a.resource}`);
    this.json(res, 201, {
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: {},
      spec: review.spec,
      status: allowed ? { allowed: true, reason: 'stub allows it' } : { allowed: false },
    });
  }
}

/** A kubeconfig (YAML text) whose only context talks to `stub` with its bearer token. */
export function stubKubeconfig(stub: StubApiServer, context = 'stub'): string {
  return `apiVersion: v1
kind: Config
clusters:
  - name: stub-cluster
    cluster:
      server: ${stub.url}
      # The client library only allows plain http with this flag.
      insecure-skip-tls-verify: true
users:
  - name: stub-user
    user:
      token: ${stub.token}
contexts:
  - name: ${context}
    context:
      cluster: stub-cluster
      user: stub-user
current-context: ${context}
`;
}

/** A small cluster: two namespaces, three workloads, a Service, a policy, and a Secret that must never leak. */
export function seedDemo(stub: StubApiServer): void {
  stub.upsert({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'shop', labels: { 'kubernetes.io/metadata.name': 'shop' } },
  });
  stub.upsert({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'ops', labels: { 'kubernetes.io/metadata.name': 'ops' } },
  });
  const deployment = (namespace: string, name: string, app: string, port: number) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace,
      labels: { app },
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"big":"blob"}', team: 'web' },
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app } },
      template: {
        metadata: { labels: { app } },
        spec: {
          containers: [{ name: app, image: `${app}:1`, ports: [{ containerPort: port, name: 'http' }] }],
        },
      },
    },
    status: { replicas: 1 },
  });
  stub.upsert(deployment('shop', 'web', 'web', 8080));
  stub.upsert(deployment('shop', 'api', 'api', 9090));
  stub.upsert(deployment('ops', 'monitor', 'monitor', 3000));
  stub.upsert({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'api', namespace: 'shop' },
    spec: { selector: { app: 'api' }, ports: [{ port: 80, targetPort: 9090 }] },
  });
  stub.upsert({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'api-from-web', namespace: 'shop' },
    spec: {
      podSelector: { matchLabels: { app: 'api' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 9090 }] }],
    },
  });
  stub.upsert({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db-password', namespace: 'shop' },
    data: { password: Buffer.from('hunter2-secret-value').toString('base64') },
  });
}
