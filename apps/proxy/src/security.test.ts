import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterClient, ClusterError } from './clusterClient.ts';
import { clusterTarget, loadKubeconfig } from './kubeconfig.ts';
import { createToken, LaunchToken } from './launchToken.ts';
import { isAllowedClusterRequest } from './resources.ts';
import { checkRequest, TOKEN_HEADER } from './security.ts';
import { startProxy } from './server.ts';
import { EventStream, FAST, type Rig, request, startRig, tempDir } from './testing/harness.ts';

let rig: Rig;
const web = tempDir();

beforeAll(async () => {
  // A tiny "built app" with a file outside it that traversal must never reach.
  mkdirSync(join(web.path, 'dist', 'assets'), { recursive: true });
  writeFileSync(
    join(web.path, 'dist', 'index.html'),
    '<!doctype html><html><head><title>t</title></head><body></body></html>',
  );
  writeFileSync(join(web.path, 'dist', 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(web.path, 'outside-secret.txt'), 'TRAVERSAL-LEAK');
  writeFileSync(join(web.path, 'dist', '.env'), 'DOTFILE-LEAK');
  // A link inside the app that points outside it (a build tool or a user could leave one).
  symlinkSync(join(web.path, 'outside-secret.txt'), join(web.path, 'dist', 'assets', 'link.txt'));
  rig = await startRig({ webRoot: join(web.path, 'dist') });
  // The cluster-wide tiers are installed, so their reads go through the same checks.
  for (const crd of ['clusternetworkpolicies', 'adminnetworkpolicies', 'baselineadminnetworkpolicies'])
    rig.stub.installCrd(`${crd}.policy.networking.k8s.io`);
  // Let the first sync complete, so the stub's request log is representative.
  const stream = await EventStream.open(rig.proxy);
  await stream.waitForState('live');
  stream.close();
});

afterAll(async () => {
  await rig.close();
  web.dispose();
});

describe('network exposure', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(rig.proxy.address).toBe('127.0.0.1');
    expect(rig.proxy.origin).toBe(`http://127.0.0.1:${rig.proxy.port}`);
  });

  it('makes a new 256-bit random token per launch, carried in the URL fragment', async () => {
    const other = await startProxy({ ...FAST, kubeconfig: { found: false, reason: 'no kubeconfig' } });
    try {
      expect(other.token).not.toBe(rig.proxy.token);
      for (const token of [other.token, rig.proxy.token]) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(new Set(Array.from({ length: 20 }, createToken)).size).toBe(20);
      // A fragment never reaches a server (nor a Referer); the query would.
      expect(other.url).toBe(`${other.origin}/#token=${other.token}`);
    } finally {
      await other.close();
    }
  });
});

describe('Host check (DNS rebinding)', () => {
  it('answers 127.0.0.1:<port> and localhost:<port>', async () => {
    expect((await request(rig.proxy, '/api/info')).status).toBe(200);
    expect(
      (await request(rig.proxy, '/api/info', { headers: { host: `localhost:${rig.proxy.port}` } })).status,
    ).toBe(200);
  });

  it.each([
    ['a rebinding name', (p: number) => `attacker.example:${p}`],
    ['another port', (p: number) => `127.0.0.1:${p + 1}`],
    ['no port', () => '127.0.0.1'],
    ['a suffix trick', (p: number) => `127.0.0.1:${p}.attacker.example`],
    ['another loopback address', (p: number) => `127.0.0.2:${p}`],
  ])('refuses %s, for the API and for the app itself', async (_name, host) => {
    const api = await request(rig.proxy, '/api/info', { headers: { host: host(rig.proxy.port) } });
    expect(api.status).toBe(403);
    expect(api.body).not.toContain('contexts');
    const page = await request(rig.proxy, '/', { headers: { host: host(rig.proxy.port) } });
    expect(page.status).toBe(403);
  });

  it('refuses a request without Host', async () => {
    const res = await request(rig.proxy, '/api/info', { headers: { host: undefined } });
    expect([400, 403]).toContain(res.status);
  });
});

describe('Origin check (cross-site)', () => {
  it('accepts the same origin and no origin (browsers omit it on same-origin GETs)', async () => {
    const origin = `http://127.0.0.1:${rig.proxy.port}`;
    expect((await request(rig.proxy, '/api/info', { headers: { origin } })).status).toBe(200);
    expect(
      (await request(rig.proxy, '/api/info', { headers: { 'sec-fetch-site': 'same-origin' } })).status,
    ).toBe(200);
  });

  it.each([
    'http://attacker.example',
    'null',
    'https://127.0.0.1:PORT',
    'http://127.0.0.1:PORT.attacker.example',
    'http://localhost:PORT', // a different origin from the Host it came to
  ])('refuses Origin %s even with the right token', async (origin) => {
    const res = await request(rig.proxy, '/api/snapshot', {
      headers: { origin: origin.replace('PORT', String(rig.proxy.port)) },
    });
    expect(res.status).toBe(403);
    expect(res.body).not.toContain('apiVersion');
  });

  it('refuses cross-site fetches marked by Sec-Fetch-Site', async () => {
    for (const site of ['cross-site', 'same-site']) {
      const res = await request(rig.proxy, '/api/snapshot', { headers: { 'sec-fetch-site': site } });
      expect(res.status).toBe(403);
    }
  });
});

describe('token', () => {
  it('is required on every API path, in the header only', async () => {
    for (const path of ['/api/info', '/api/snapshot', '/api/events', '/api/nothing']) {
      const missing = await request(rig.proxy, path, { headers: { [TOKEN_HEADER]: undefined } });
      expect(missing.status, path).toBe(401);
      const wrong = await request(rig.proxy, path, { headers: { [TOKEN_HEADER]: createToken() } });
      expect(wrong.status, path).toBe(401);
      const prefix = await request(rig.proxy, path, {
        headers: { [TOKEN_HEADER]: rig.proxy.token.slice(0, 20) },
      });
      expect(prefix.status, path).toBe(401);
      const inQuery = await request(rig.proxy, `${path}?token=${rig.proxy.token}`, {
        headers: { [TOKEN_HEADER]: undefined },
      });
      expect(inQuery.status, path).toBe(401);
    }
  });

  it('is not needed for the app itself (which holds no data)', async () => {
    const res = await request(rig.proxy, '/', { headers: { [TOKEN_HEADER]: undefined } });
    expect(res.status).toBe(200);
    expect(res.body).toContain('<meta name="netpol-atlas-proxy" content="1">');
  });
});

describe('read-only', () => {
  it.each(['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE'])('refuses %s with 405', async (method) => {
    for (const path of ['/api/snapshot', '/api/v1/namespaces/shop/pods', '/']) {
      const res = await request(rig.proxy, path, { method });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.allow).toBe('GET, HEAD');
      // No CORS headers: a cross-site preflight (OPTIONS) fails, so the real request is never sent.
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
  });

  it('answers HEAD without a body', async () => {
    const res = await request(rig.proxy, '/api/info', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
  });

  it('never sends the API server anything but GETs and access reviews', () => {
    const writes = rig.stub.requests.filter(
      (r) => r.method !== 'GET' && !(r.method === 'POST' && r.path.endsWith('/selfsubjectaccessreviews')),
    );
    expect(writes).toEqual([]);
  });
});

describe('allow-list', () => {
  const forbidden = [
    '/api/v1/namespaces/shop/secrets',
    '/api/v1/secrets',
    '/api/v1/namespaces/shop/pods/web-1/exec?command=sh',
    '/api/v1/namespaces/shop/pods/web-1/attach',
    '/api/v1/namespaces/shop/pods/web-1/portforward',
    '/api/v1/namespaces/shop/services/api/proxy/',
    '/api/v1/namespaces/shop/pods/web-1/log',
    '/api/v1/namespaces/shop/configmaps',
    '/apis/apps/v1/deployments',
    '/api/proxy?path=/api/v1/secrets',
    '/api/v1/nodes',
    '/api/v1/nodes/node-a/proxy/',
    '/apis/policy.networking.k8s.io/v1alpha2/clusternetworkpolicies',
  ];

  it.each(forbidden)('the browser cannot reach %s through the proxy', async (path) => {
    const res = await request(rig.proxy, path);
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('hunter2');
    expect(res.body).not.toContain('stub ');
  });

  it('the stub never saw a request for secrets or a subresource', () => {
    const bad = rig.stub.requests.filter((r) =>
      /secrets|configmaps|\/exec|\/attach|\/portforward|\/proxy|\/log|\/status|\/nodes\/./.test(r.path),
    );
    expect(bad).toEqual([]);
    // The tiers and nodes were read, as collections.
    for (const plural of [
      'nodes',
      'clusternetworkpolicies',
      'adminnetworkpolicies',
      'baselineadminnetworkpolicies',
    ])
      expect(
        rig.stub.requests.some((r) => r.path.endsWith(`/${plural}`) && r.query.watch === '1'),
        plural,
      ).toBe(true);
    // Every collection the proxy read is one of the allow-listed ones.
    for (const r of rig.stub.requests) expect(isAllowedClusterRequest(r.method, r.path), r.path).toBe(true);
  });

  it.each([
    ['GET', '/api/v1/namespaces/shop/secrets'],
    ['GET', '/api/v1/secrets'],
    ['GET', '/api/v1/namespaces/shop/pods/web-1/exec'],
    ['GET', '/api/v1/namespaces/shop/pods/web-1/attach'],
    ['GET', '/api/v1/namespaces/shop/pods/web-1/portforward'],
    ['GET', '/api/v1/namespaces/shop/services/api:80/proxy/x'],
    ['GET', '/api/v1/proxy/namespaces/shop/pods/x'],
    ['GET', '/api/v1/namespaces/shop/pods/web-1'],
    ['GET', '/api/v1/namespaces/../secrets'],
    ['GET', '/api/v1/namespaces/shop%2Fsecrets/pods'],
    ['GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles'],
    ['DELETE', '/api/v1/namespaces/shop/pods'],
    ['POST', '/api/v1/namespaces/shop/pods'],
    ['PATCH', '/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies'],
    ['POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews'],
    // The cluster-wide tiers and nodes: collections only, read only, at their own version.
    ['GET', '/api/v1/nodes/node-a'],
    ['GET', '/api/v1/nodes/node-a/proxy/metrics'],
    ['GET', '/api/v1/nodes/node-a/status'],
    ['GET', '/api/v1/namespaces/shop/nodes'],
    ['DELETE', '/api/v1/nodes'],
    ['PATCH', '/api/v1/nodes'],
    ['GET', '/apis/policy.networking.k8s.io/v1alpha2/clusternetworkpolicies/platform-deny'],
    ['GET', '/apis/policy.networking.k8s.io/v1alpha2/namespaces/shop/clusternetworkpolicies'],
    ['GET', '/apis/policy.networking.k8s.io/v1alpha1/clusternetworkpolicies'],
    ['GET', '/apis/policy.networking.k8s.io/v1alpha2/adminnetworkpolicies'],
    ['GET', '/apis/policy.networking.k8s.io/v1alpha2/clusternetworkpolicies/../../../../api/v1/secrets'],
    ['GET', '/apis/policy.networking.k8s.io/v1alpha2/clusternetworkpolicies%2f..%2fsecrets'],
    ['GET', '/apis/policy.networking.k8s.io//v1alpha2/clusternetworkpolicies'],
    ['POST', '/apis/policy.networking.k8s.io/v1alpha2/clusternetworkpolicies'],
    ['PUT', '/apis/policy.networking.k8s.io/v1alpha1/adminnetworkpolicies'],
    ['DELETE', '/apis/policy.networking.k8s.io/v1alpha1/baselineadminnetworkpolicies'],
    ['POST', '/apis/policy.networking.k8s.io/v1alpha1/baselineadminnetworkpolicies'],
  ])('the cluster client refuses %s %s before sending it', async (method, path) => {
    expect(isAllowedClusterRequest(method, path)).toBe(false);
    // The client has no way to send other methods at all; GET and POST go through the guard.
    if (method !== 'GET' && method !== 'POST') return;
    const before = rig.stub.requests.length;
    const load = loadKubeconfig({ path: rig.kubeconfigPath, env: {}, home: undefined });
    const client = new ClusterClient(clusterTarget(load, 'stub'), FAST.clientLimits as never);
    const attempt = method === 'POST' ? client.postJson(path, {}) : client.getJson(path, 1024 * 1024);
    await expect(attempt).rejects.toBeInstanceOf(ClusterError);
    expect(rig.stub.requests.length).toBe(before);
  });

  it('allows exactly the list/watch collections, discovery and the access review', () => {
    expect(isAllowedClusterRequest('GET', '/api/v1/pods?limit=500')).toBe(true);
    expect(isAllowedClusterRequest('GET', '/api/v1/namespaces/shop/pods?watch=1')).toBe(true);
    expect(isAllowedClusterRequest('GET', '/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies')).toBe(
      true,
    );
    expect(isAllowedClusterRequest('GET', '/apis/cilium.io/v2/ciliumnetworkpolicies')).toBe(true);
    expect(isAllowedClusterRequest('GET', '/apis/apps/v1')).toBe(true);
    for (const collection of [
      '/api/v1/nodes',
      '/apis/policy.networking.k8s.io/v1alpha2/clusternetworkpolicies',
      '/apis/policy.networking.k8s.io/v1alpha1/adminnetworkpolicies',
      '/apis/policy.networking.k8s.io/v1alpha1/baselineadminnetworkpolicies',
    ]) {
      expect(isAllowedClusterRequest('GET', `${collection}?limit=500`), collection).toBe(true);
      expect(
        isAllowedClusterRequest('GET', `${collection}?watch=1&allowWatchBookmarks=true`),
        collection,
      ).toBe(true);
    }
    expect(isAllowedClusterRequest('GET', '/apis/policy.networking.k8s.io/v1alpha2')).toBe(true);
    expect(isAllowedClusterRequest('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews')).toBe(
      true,
    );
  });
});

describe('credentials never reach the browser', () => {
  it('no response carries the bearer token, the server address or kubeconfig fields', async () => {
    const stream = await EventStream.open(rig.proxy);
    await stream.waitFor((m) => m.event === 'snapshot');
    stream.close();
    const bodies = [
      (await request(rig.proxy, '/api/info')).body,
      (await request(rig.proxy, '/api/snapshot')).body,
      (await request(rig.proxy, '/api/snapshot?format=yaml')).body,
      stream.raw,
    ];
    for (const body of bodies) {
      expect(body).not.toContain(rig.stub.token);
      expect(body).not.toContain(`127.0.0.1:${rig.stub.port}`);
      expect(body).not.toMatch(/insecure-skip-tls-verify|client-key|certificate-authority|Bearer/);
      expect(body).not.toContain('hunter2');
      expect(body).not.toContain('managedFields');
    }
  });
});

describe('request size limits', () => {
  it('refuses long URLs (414), bodies (413) and huge headers (431)', async () => {
    expect((await request(rig.proxy, `/api/info?x=${'a'.repeat(3000)}`)).status).toBe(414);
    expect(
      (await request(rig.proxy, '/api/info', { headers: { 'content-length': '5' }, body: 'hello' })).status,
    ).toBe(413);
    expect(
      (await request(rig.proxy, '/api/info', { headers: { 'transfer-encoding': 'chunked' }, body: 'x' }))
        .status,
    ).toBe(413);
    expect(
      (await request(rig.proxy, '/api/info', { headers: { 'x-padding': 'a'.repeat(10_000) } })).status,
    ).toBe(431);
  });
});

describe('static files', () => {
  it.each([
    '/../outside-secret.txt',
    '/%2e%2e/outside-secret.txt',
    '/assets/..%2f..%2foutside-secret.txt',
    '/assets/%2e%2e/%2e%2e/outside-secret.txt',
    '/.env',
    '/%2eenv',
    '/assets/app.js%00.html',
    '/assets/link.txt',
    '/assets',
  ])('never serves %s', async (path) => {
    const res = await request(rig.proxy, path);
    expect(res.status).toBe(404);
    expect(res.body).not.toMatch(/LEAK/);
  });

  it('serves the app with security headers that forbid framing and foreign code', async () => {
    const res = await request(rig.proxy, '/assets/app.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/javascript');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['content-security-policy']).toContain("connect-src 'self'");
  });
});

describe('checkRequest', () => {
  const port = 4180;
  const token = new LaunchToken();
  const ok = { host: `127.0.0.1:${port}`, [TOKEN_HEADER]: token.value };
  const limits = { maxUrlBytes: 2048 };

  it('passes the web client’s own requests', () => {
    expect(checkRequest({ method: 'GET', url: '/api/info', headers: ok }, port, token, limits)).toEqual({
      ok: true,
    });
    expect(
      checkRequest({ method: 'GET', url: '/', headers: { host: ok.host } }, port, token, limits),
    ).toEqual({ ok: true });
  });

  it('orders the checks so nothing is revealed before Host and method are right', () => {
    const wrongHost = checkRequest(
      { method: 'POST', url: '/api/info', headers: { host: 'x:1' } },
      port,
      token,
      limits,
    );
    expect(wrongHost).toMatchObject({ ok: false, status: 403 });
    const post = checkRequest({ method: 'POST', url: '/api/info', headers: ok }, port, token, limits);
    expect(post).toMatchObject({ ok: false, status: 405 });
  });
});
