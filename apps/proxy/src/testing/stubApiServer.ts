import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { noFaults } from './stubFaults.ts';
import { status } from './stubResources.ts';
import { StubStore } from './stubStore.ts';

/**
 * A stand-in Kubernetes API server for tests: 127.0.0.1, a random port, bearer-token auth, and
 * the real JSON of discovery, lists (kind `XList`, `metadata.resourceVersion`, `limit` and
 * `continue`), watches (ADDED/MODIFIED/DELETED/BOOKMARK, and ERROR with a 410 Status once a
 * resourceVersion is compacted away) and SelfSubjectAccessReview. Faults are switched on per
 * test: down, 401, 403, 410, watch disconnects, slow answers.
 *
 * This file is its HTTP side: starting and stopping, authentication, discovery and the routing
 * of paths; the objects, lists and watches are in stubStore.ts, the resource table in
 * stubResources.ts, the fault switches in stubFaults.ts.
 */

/** A request the stub received (for assertions such as "never asked for secrets"). */
export interface StubRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
}

/** Options of `StubApiServer.start`. */
export interface StubOptions {
  token?: string;
  /** Reuse a port (to come back up where a proxy expects the server). */
  port?: number;
  /** Events kept for watches; older resourceVersions get 410. */
  historyLimit?: number;
}

/** The stub API server. */
export class StubApiServer extends StubStore {
  readonly token: string;
  readonly requests: StubRequest[] = [];
  /** Connections ever accepted (a proxy that never connects leaves it at 0). */
  connections = 0;
  private server: http.Server | undefined;
  private readonly sockets = new Set<Socket>();
  private portNumber = 0;

  private constructor(options: StubOptions) {
    super(options.historyLimit ?? 10_000, noFaults());
    this.token = options.token ?? 'stub-secret-token-do-not-leak';
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
