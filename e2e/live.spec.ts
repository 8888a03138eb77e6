import AxeBuilder from '@axe-core/playwright';
import type { Page, Request } from '@playwright/test';
import { StubApiServer } from '../apps/proxy/src/testing/stubApiServer.ts';
import { seedDemo, stubKubeconfig } from '../apps/proxy/src/testing/stubFixtures.ts';
import { expect, test } from './fixtures.ts';
import { type ProxyProcess, startProxyProcess } from './live/proxyProcess.ts';

// The browser talks to the real proxy (tsx apps/proxy/src/main.ts, serving the built app), and
// the proxy to a stub API server in this process that speaks Kubernetes list/watch JSON.

const WEB = 'shop/web[Deployment]';
const API = 'shop/api[Deployment]';
const MONITOR = 'ops/monitor[Deployment]';
const CART = 'shop/cart[Deployment]';

let stub: StubApiServer | undefined;
let proxy: ProxyProcess | undefined;

test.afterEach(async ({ page }) => {
  // Close the page first: a proxy stopping under an open event stream makes Chromium log a
  // network error, which the fixture would report.
  await page.close();
  await proxy?.stop();
  await stub?.close();
  proxy = undefined;
  stub = undefined;
});

async function startCluster(
  args: string[] = ['--context', 'stub'],
): Promise<{ stub: StubApiServer; proxy: ProxyProcess }> {
  stub = await StubApiServer.start();
  seedDemo(stub);
  proxy = await startProxyProcess(stubKubeconfig(stub), args);
  return { stub, proxy };
}

function deployment(name: string, app: string) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop', labels: { app } },
    spec: {
      selector: { matchLabels: { app } },
      template: { metadata: { labels: { app } }, spec: { containers: [{ name: app, image: 'x' }] } },
    },
  };
}

/** Counts the page's event streams: opened so far, and still open. */
function trackEventStreams(page: Page): { opened(): number; open(): number } {
  let opened = 0;
  let closed = 0;
  const isEvents = (url: string) => new URL(url).pathname === '/api/events';
  page.on('request', (r) => {
    if (isEvents(r.url())) opened++;
  });
  const onClosed = (r: Request) => {
    if (isEvents(r.url())) closed++;
  };
  page.on('requestfinished', onClosed);
  page.on('requestfailed', onClosed);
  return { opened: () => opened, open: () => opened - closed };
}

/**
 * Reads the proxy's own event stream until a snapshot satisfies `test`: from then on, every
 * page still listening has been sent that snapshot too.
 */
async function waitForProxySnapshot(running: ProxyProcess, test: (text: string) => boolean): Promise<void> {
  const abort = new AbortController();
  const res = await fetch(`${running.origin}/api/events?context=stub`, {
    headers: { 'x-netpol-atlas-token': running.token, Accept: 'text/event-stream' },
    signal: abort.signal,
  });
  expect(res.ok).toBe(true);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error('the proxy ended its event stream');
      buffer += value;
      const messages = buffer.split('\n\n');
      buffer = messages.pop() ?? '';
      if (messages.some((m) => m.startsWith('event: snapshot') && test(m))) return;
    }
  } finally {
    abort.abort();
    await reader.cancel().catch(() => {});
  }
}

/** Records every API request the page makes, to check how the token travels. */
function recordApiRequests(page: Page): { url: string; token: string | undefined }[] {
  const seen: { url: string; token: string | undefined }[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/api/'))
      seen.push({ url: r.url(), token: r.headers()['x-netpol-atlas-token'] });
  });
  return seen;
}

test('the graph shows the live cluster and follows its watch events', async ({ atlas, page }) => {
  const { stub, proxy } = await startCluster();
  const api = recordApiRequests(page);
  await page.goto(proxy.url);
  const live = page.getByTestId('live');
  await expect(live).toHaveAttribute('data-state', 'live');
  await atlas.waitForGraph();
  // The token left the address bar at once, and travels only in a header.
  expect(page.url()).toBe(`${proxy.origin}/`);
  expect(api.length).toBeGreaterThan(0);
  for (const r of api) {
    expect(r.token).toBe(proxy.token);
    expect(r.url).not.toContain(proxy.token);
  }

  await expect(atlas.node(WEB)).toBeVisible();
  await expect(atlas.node(API)).toBeVisible();
  await expect(atlas.node(MONITOR)).toBeVisible();
  await expect(atlas.edge(WEB, API)).toHaveText('TCP 9090');
  await expect(atlas.edge(MONITOR, API)).toHaveCount(0);
  expect((await atlas.nodeIds()).some((id) => id.startsWith('default/') || id.startsWith('store/'))).toBe(
    false,
  );

  // A watch event: a new workload with the web label is admitted like web.
  stub.upsert(deployment('cart', 'web'));
  await expect(atlas.node(CART)).toBeVisible();
  await expect(atlas.edge(CART, API)).toHaveText('TCP 9090');

  // A policy change: monitoring is admitted too.
  stub.upsert({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'api-from-web', namespace: 'shop' },
    spec: {
      podSelector: { matchLabels: { app: 'api' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            { podSelector: { matchLabels: { app: 'web' } } },
            { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ops' } } },
          ],
          ports: [{ port: 9090 }],
        },
      ],
    },
  });
  await expect(atlas.edge(MONITOR, API)).toHaveText('TCP 9090');

  stub.remove('apps/v1', 'Deployment', 'shop', 'cart');
  await expect(atlas.node(CART)).toHaveCount(0);
  await expect(live).toHaveAttribute('data-state', 'live');
  // Nothing secret was ever read, so nothing secret can be on the page.
  expect(await page.content()).not.toContain('hunter2');
});

test('when the API server stops, the app shows the last snapshot as stale, then recovers', async ({
  atlas,
  page,
}) => {
  const { stub, proxy } = await startCluster();
  await page.goto(proxy.url);
  const live = page.getByTestId('live');
  await expect(live).toHaveAttribute('data-state', 'live');
  await atlas.waitForGraph();
  await expect(atlas.node(API)).toBeVisible();

  await stub.stop();
  await expect(live).toHaveAttribute('data-state', 'stale');
  await expect(page.getByTestId('live.status')).toContainText('disconnected from the cluster');
  // The last good snapshot stays on screen.
  await expect(atlas.node(API)).toBeVisible();

  stub.upsert(deployment('cart', 'web'));
  await stub.resume();
  await expect(live).toHaveAttribute('data-state', 'live', { timeout: 30_000 });
  await expect(atlas.node(CART)).toBeVisible();
});

test('pick a context, connect, save the snapshot as files, then work offline on it', async ({
  atlas,
  page,
}) => {
  const streams = trackEventStreams(page);
  // A folder picker that writes to memory: the real one needs a user at a dialog.
  await page.addInitScript(() => {
    const saved: Record<string, string> = {};
    (window as unknown as { __saved: Record<string, string> }).__saved = saved;
    const folder = (prefix: string): unknown => ({
      getDirectoryHandle: async (name: string) => folder(`${prefix}${name}/`),
      getFileHandle: async (name: string) => ({
        createWritable: async () => {
          let text = '';
          return {
            write: async (data: string) => {
              text += data;
            },
            close: async () => {
              saved[`${prefix}${name}`] = text;
            },
          };
        },
      }),
    });
    (window as unknown as { showDirectoryPicker: () => Promise<unknown> }).showDirectoryPicker = async () =>
      folder('');
  });
  const { stub, proxy } = await startCluster([]);
  await page.goto(proxy.url);
  await atlas.waitForGraph();
  const live = page.getByTestId('live');
  // Not connected yet: the demo is on screen, the kubeconfig's context is offered.
  await expect(live).toHaveAttribute('data-state', 'disconnected');
  await expect(page.getByLabel('Cluster context')).toHaveValue('stub');
  await expect(atlas.node('default/demo[Deployment]')).toBeVisible();

  await live.getByRole('button', { name: 'Connect' }).click();
  await expect(live).toHaveAttribute('data-state', 'live');
  await expect(atlas.node(WEB)).toBeVisible();
  await expect(atlas.node('default/demo[Deployment]')).toHaveCount(0);

  await live.getByRole('button', { name: 'Save snapshot as files' }).click();
  await expect(live.getByText(/^Saved \d+ files$/)).toBeVisible();
  const saved = await page.evaluate(() => (window as unknown as { __saved: Record<string, string> }).__saved);
  expect(Object.keys(saved).sort()).toEqual([
    'stub/cluster/namespaces.yaml',
    'stub/ops/deployments.yaml',
    'stub/shop/deployments.yaml',
    'stub/shop/networkpolicies.yaml',
    'stub/shop/services.yaml',
  ]);
  expect(saved['stub/shop/deployments.yaml']).toContain('name: web');
  expect(Object.values(saved).join('\n')).not.toMatch(/managedFields|hunter2|Secret/);

  await live.getByRole('button', { name: 'Work offline on this snapshot' }).click();
  await expect(live).toHaveAttribute('data-state', 'disconnected');
  await expect(page.getByTestId('live.status')).toContainText('Offline on the snapshot');
  // Offline means no stream left open and none opened again, even once the proxy has news.
  await expect.poll(() => streams.open()).toBe(0);
  const opened = streams.opened();
  stub.upsert(deployment('cart', 'web'));
  await waitForProxySnapshot(proxy, (text) => text.includes('name: cart'));
  expect(streams.opened()).toBe(opened);
  await expect(atlas.node(CART)).toHaveCount(0);
  await expect(atlas.node(WEB)).toBeVisible();
});

test('without a kubeconfig the app runs on its demo', async ({ atlas, page }) => {
  proxy = await startProxyProcess(undefined);
  expect(proxy.output()).toContain('no kubeconfig');
  await page.goto(proxy.url);
  await atlas.waitForGraph();
  await expect(atlas.node('default/demo[Deployment]')).toBeVisible();
  await expect(page.getByTestId('live')).toContainText('No kubeconfig');
  expect(page.url()).toBe(`${proxy.origin}/`);
});

test('through the proxy the app keeps working under its security headers, accessibly', async ({
  atlas,
  page,
}) => {
  const { proxy } = await startCluster();
  await page.goto(proxy.url);
  await expect(page.getByTestId('live')).toHaveAttribute('data-state', 'live');
  await atlas.waitForGraph();
  // The editor (Monaco, its workers and styles) runs under the Content-Security-Policy.
  await atlas.node(API).click();
  await atlas.tab('YAML').click();
  await expect(page.getByTestId('editor')).toBeVisible();
  await expect(page.locator('.monaco-editor').first()).toBeVisible();
  const results = await new AxeBuilder({ page }).include('[data-testid="live"]').analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  // A reload keeps the connection: the token was kept for this tab, not in the URL.
  await page.reload();
  await expect(page.getByTestId('live')).toHaveAttribute('data-state', 'live');
  expect(page.url()).toBe(`${proxy.origin}/`);
});
