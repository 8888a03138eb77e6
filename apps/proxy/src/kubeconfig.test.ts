import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClusterClient, ClusterError } from './clusterClient.ts';
import { clusterTarget, loadKubeconfig } from './kubeconfig.ts';
import { startProxy } from './server.ts';
import { EventStream, FAST, request, tempDir } from './testing/harness.ts';
import { StubApiServer } from './testing/stubApiServer.ts';
import { seedDemo } from './testing/stubFixtures.ts';

const dir = tempDir();
afterAll(() => dir.dispose());

function write(name: string, text: string): string {
  const path = join(dir.path, name);
  writeFileSync(path, text);
  return path;
}

const NO_SERVER = `apiVersion: v1
kind: Config
clusters:
  - name: broken
    cluster: { certificate-authority-data: AAAA }
users:
  - name: u
    user: { token: secret-token-of-no-server }
contexts:
  - name: broken
    context: { cluster: broken, user: u }
current-context: broken
`;

/** Counts connections to 127.0.0.1:8080 (the client library's implicit fallback) while a test runs. */
let fallbackListener: { server: net.Server; connections: number } | undefined;
beforeAll(async () => {
  const server = net.createServer((socket) => {
    if (fallbackListener) fallbackListener.connections += 1;
    socket.destroy();
  });
  fallbackListener = await new Promise((resolve) => {
    server.once('error', () => resolve(undefined)); // port taken: that part is skipped
    server.listen({ host: '127.0.0.1', port: 8080 }, () => resolve({ server, connections: 0 }));
  });
});
afterAll(async () => {
  // Whatever a proxy of these tests did later, in the background, it never used the fallback.
  expect(fallbackListener?.connections ?? 0).toBe(0);
  await new Promise<void>((resolve) =>
    fallbackListener ? fallbackListener.server.close(() => resolve()) : resolve(),
  );
});

describe('finding the kubeconfig', () => {
  it('says "no kubeconfig" when KUBECONFIG is unset and ~/.kube/config is missing', () => {
    const home = join(dir.path, 'empty-home');
    mkdirSync(home, { recursive: true });
    const load = loadKubeconfig({ env: {}, home });
    expect(load).toEqual({
      found: false,
      reason: 'no kubeconfig: KUBECONFIG is not set and ~/.kube/config does not exist',
    });
  });

  it('reads ~/.kube/config', () => {
    const home = join(dir.path, 'home');
    mkdirSync(join(home, '.kube'), { recursive: true });
    writeFileSync(
      join(home, '.kube', 'config'),
      NO_SERVER.replace('{ certificate-authority-data: AAAA }', '{ server: "https://10.0.0.1:6443" }'),
    );
    const load = loadKubeconfig({ env: {}, home });
    expect(load.found && load.source).toBe('~/.kube/config');
    expect(load.found && load.contexts).toEqual([{ name: 'broken', usable: true }]);
  });

  it('merges the files of KUBECONFIG, the first definition winning, skipping missing files', () => {
    const a = write(
      'a.yaml',
      'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://a:6443"}}]\ncontexts: [{name: one, context: {cluster: c, user: ""}}]\ncurrent-context: one\n',
    );
    const b = write(
      'b.yaml',
      'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://b:6443"}}]\ncontexts: [{name: two, context: {cluster: c, user: ""}}]\ncurrent-context: two\n',
    );
    const load = loadKubeconfig({
      env: { KUBECONFIG: [join(dir.path, 'missing.yaml'), a, b].join(delimiter) },
      home: undefined,
    });
    expect(load.found).toBe(true);
    if (!load.found) return;
    expect(load.contexts.map((c) => c.name)).toEqual(['one', 'two']);
    expect(load.currentContext).toBe('one');
    expect(clusterTarget(load, 'two').server).toBe('https://a:6443');
  });

  it('never quotes a kubeconfig it cannot parse (the line may hold a token)', () => {
    const path = write('bad.yaml', 'users:\n  - name: u\n    user: { token: "leaky-token-value\n');
    const load = loadKubeconfig({ path, env: {}, home: undefined });
    expect(load.found).toBe(false);
    expect(JSON.stringify(load)).not.toContain('leaky-token-value');
    expect(!load.found && load.reason).toMatch(/could not be parsed/);
  });
});

describe('no implicit http://localhost:8080', () => {
  it('the client library would fall back to it; the proxy does not', () => {
    // Why this matters: with no kubeconfig, loadFromDefault points at an unauthenticated local port.
    const previous = { KUBECONFIG: process.env.KUBECONFIG, HOME: process.env.HOME };
    try {
      delete process.env.KUBECONFIG;
      process.env.HOME = join(dir.path, 'nowhere');
      const library = new KubeConfig();
      library.loadFromDefault();
      expect(library.getCurrentCluster()?.server).toBe('http://localhost:8080');
    } finally {
      if (previous.KUBECONFIG === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = previous.KUBECONFIG;
      process.env.HOME = previous.HOME;
    }
    const ours = loadKubeconfig({ env: {}, home: join(dir.path, 'nowhere') });
    expect(ours.found).toBe(false);
  });

  it('refuses a kubeconfig whose cluster has no server, and never connects anywhere', async () => {
    const path = write('no-server.yaml', NO_SERVER);
    const load = loadKubeconfig({ path, env: {}, home: undefined });
    expect(load).toEqual({
      found: false,
      reason: 'no kubeconfig: no context in the --kubeconfig file names a cluster with a server',
    });
    expect(() => clusterTarget(load, 'broken')).toThrow(/no kubeconfig/);
    const proxy = await startProxy({ ...FAST, kubeconfig: load });
    try {
      const info = JSON.parse((await request(proxy, '/api/info')).body);
      expect(info.kubeconfig).toEqual({ found: false, source: null, error: load.found ? null : load.reason });
      expect(info.contexts).toEqual([]);
      expect((await request(proxy, '/api/events?context=broken')).status).toBe(503);
      expect((await request(proxy, '/api/snapshot')).status).toBe(503);
      // Checked again once every test of this file has run (afterAll): no sleep needed here.
      if (fallbackListener) expect(fallbackListener.connections).toBe(0);
    } finally {
      await proxy.close();
    }
  });

  it('keeps the usable contexts of a file where one lacks a server, and refuses that one', async () => {
    const stub = await StubApiServer.start();
    seedDemo(stub);
    const path = write(
      'mixed.yaml',
      `apiVersion: v1
kind: Config
clusters:
  - { name: good, cluster: { server: "${stub.url}", insecure-skip-tls-verify: true } }
  - { name: bad, cluster: { certificate-authority-data: AAAA } }
users:
  - { name: u, user: { token: ${stub.token} } }
contexts:
  - { name: good, context: { cluster: good, user: u } }
  - { name: bad, context: { cluster: bad, user: u } }
  - { name: dangling, context: { cluster: nowhere, user: u } }
current-context: bad
`,
    );
    const load = loadKubeconfig({ path, env: {}, home: undefined });
    expect(load.found && load.contexts.map((c) => [c.name, c.usable])).toEqual([
      ['good', true],
      ['bad', false],
      ['dangling', false],
    ]);
    const proxy = await startProxy({ ...FAST, kubeconfig: load });
    try {
      const info = JSON.parse((await request(proxy, '/api/info')).body);
      // The current context is unusable: the first usable one is preselected instead.
      expect(info.defaultContext).toBe('good');
      expect(info.contexts[1]).toMatchObject({
        name: 'bad',
        usable: false,
        problem: expect.stringContaining('no server'),
      });
      expect((await request(proxy, '/api/events?context=bad')).status).toBe(409);
      expect((await request(proxy, '/api/events?context=dangling')).status).toBe(409);
      const stream = await EventStream.open(proxy, 'good');
      await stream.waitForState('live');
      stream.close();
      if (fallbackListener) expect(fallbackListener.connections).toBe(0);
      await expect(startProxy({ ...FAST, kubeconfig: load, context: 'bad' })).rejects.toThrow(
        /cannot be used/,
      );
    } finally {
      await proxy.close();
      await stub.close();
    }
  });

  it('explains the client library’s rule for plain-http servers', async () => {
    const stub = await StubApiServer.start();
    const path = write(
      'plain-http.yaml',
      `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "${stub.url}" } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: c, context: { cluster: c, user: u } }]
current-context: c
`,
    );
    try {
      const client = new ClusterClient(
        clusterTarget(loadKubeconfig({ path, env: {}, home: undefined }), 'c'),
        FAST.clientLimits as never,
      );
      const error = await client.getJson('/api/v1', 1000).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ClusterError);
      expect((error as ClusterError).message).toContain('insecure-skip-tls-verify');
      expect(stub.connections).toBe(0);
    } finally {
      await stub.close();
    }
  });
});

afterEach(() => {
  if (fallbackListener) fallbackListener.connections = 0;
});
