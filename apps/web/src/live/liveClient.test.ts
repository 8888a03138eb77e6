import type { InfoResponse, ManifestFile, SnapshotMessage, SyncStatus } from '@netpol-atlas/live-protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveClient, type LiveEnv, type LiveSnapshot } from './liveClient.ts';

const TOKEN = 'T'.repeat(43);

function sync(state: SyncStatus['state'], extra: Partial<SyncStatus> = {}): SyncStatus {
  return {
    state,
    lastSync: '2026-05-01T10:00:00.000Z',
    error: null,
    missingPermissions: [],
    resources: [],
    extraKinds: [],
    notInstalled: [],
    ...extra,
  };
}

const info: InfoResponse = {
  kubeconfig: { found: true, source: 'KUBECONFIG', error: null },
  contexts: [
    { name: 'kind', usable: true },
    { name: 'broken', usable: false, problem: 'no server' },
  ],
  defaultContext: 'kind',
  autoConnect: true,
  namespaces: [],
  heartbeatMs: 40,
};

/** A scripted proxy: each /api/events request gets the next stream, pushed by the test. */
class FakeProxy {
  requests: { url: string; headers: Record<string, string> }[] = [];
  streams: ReadableStreamDefaultController<Uint8Array>[] = [];
  eventsStatus = 200;
  private encoder = new TextEncoder();

  fetch: typeof fetch = async (input, init) => {
    const url = String(input);
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => {
      headers[name] = value;
    });
    this.requests.push({ url, headers });
    if (url === '/api/info') return Response.json(info);
    if (this.eventsStatus !== 200) return Response.json({ error: 'nope' }, { status: this.eventsStatus });
    const body = new ReadableStream<Uint8Array>({ start: (c) => void this.streams.push(c) });
    init?.signal?.addEventListener('abort', () => {
      try {
        this.streams.at(-1)?.error(new DOMException('aborted', 'AbortError'));
      } catch {}
    });
    return new Response(body, { headers: { 'Content-Type': 'text/event-stream' } });
  };

  send(event: string, data: unknown, stream = this.streams.length - 1): void {
    this.streams[stream]!.enqueue(this.encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
  }

  end(stream = this.streams.length - 1): void {
    this.streams[stream]!.close();
  }
}

// The client's clocks (heartbeat watchdog, reconnect delays) run on fake timers: a busy machine
// cannot make a stream look silent, and "nothing happened" is checked after moving the clock
// on, not after a real sleep.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});

const clients: LiveClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.disconnect();
  vi.useRealTimers();
});

function setup(overrides: Partial<LiveEnv> = {}) {
  const proxy = new FakeProxy();
  const applied: { files: ManifestFile[]; previous: ManifestFile[] | undefined }[] = [];
  const client = new LiveClient({
    fetch: proxy.fetch,
    token: TOKEN,
    available: true,
    apply: (files, previous) => void applied.push({ files, previous }),
    backoff: () => 5,
    ...overrides,
  });
  clients.push(client);
  return { proxy, client, applied };
}

/** Moves the fake clock on, 1 ms at a time (letting streams and promises run), until `test` holds. */
async function until(
  client: LiveClient,
  test: (s: LiveSnapshot) => boolean,
  fakeMs = 10_000,
): Promise<LiveSnapshot> {
  for (let elapsed = 0; !test(client.getSnapshot()); elapsed++) {
    if (elapsed > fakeMs)
      throw new Error(`never happened; state ${JSON.stringify(client.getSnapshot().state)}`);
    await vi.advanceTimersByTimeAsync(1);
  }
  return client.getSnapshot();
}

/** Far longer than any reconnect delay or heartbeat of these tests, on the fake clock. */
const LONG_AFTER_MS = 60_000;

const files = [{ path: 'kind/shop/deployments.yaml', text: 'kind: Deployment\n' }];
const snapshot = (revision: number, state: SyncStatus['state'] = 'live', f = files): SnapshotMessage => ({
  context: 'kind',
  revision,
  sync: sync(state),
  files: f,
});

describe('LiveClient', () => {
  it('does nothing without a token (a static build never calls an API)', async () => {
    const { proxy, client } = setup({ token: undefined, available: false });
    await client.init();
    expect(proxy.requests).toEqual([]);
    expect(client.getSnapshot()).toMatchObject({ available: false, hasToken: false, state: 'disconnected' });
  });

  it('offers the contexts, connects, and applies each new snapshot once', async () => {
    const { proxy, client, applied } = setup();
    await client.init();
    expect(client.getSnapshot().contexts.map((c) => c.name)).toEqual(['kind', 'broken']);
    await until(client, () => proxy.streams.length === 1);
    expect(client.getSnapshot()).toMatchObject({ state: 'connecting', streaming: true, context: 'kind' });
    proxy.send('snapshot', snapshot(3));
    const s = await until(client, (x) => x.state === 'live');
    expect(s.files).toEqual(files);
    expect(s.lastSync).toBe('2026-05-01T10:00:00.000Z');
    proxy.send('snapshot', snapshot(3)); // same revision: not applied again
    proxy.send('status', { context: 'kind', revision: 3, sync: sync('live') });
    // Messages are handled in order: once this one shows, the two before it were handled.
    proxy.send('status', { context: 'kind', revision: 3, sync: sync('stale') });
    await until(client, (x) => x.state === 'stale');
    expect(applied).toEqual([{ files, previous: undefined }]);
    // Every request carried the token in the header, none in the URL.
    for (const r of proxy.requests) {
      expect(r.headers['x-netpol-atlas-token']).toBe(TOKEN);
      expect(r.url).not.toContain(TOKEN);
    }
    // One session id per tab, on every request, so the proxy's per-client stream cap counts tabs.
    const sessions = new Set(proxy.requests.map((r) => r.headers['x-netpol-atlas-session']));
    expect(sessions.size).toBe(1);
    expect([...sessions][0]).toMatch(/^[A-Za-z0-9_-]{8,128}$/);
    expect(proxy.requests[1]!.url).toBe('/api/events?context=kind');
  });

  it('shows what the proxy says: stale with the time of the last sync, then live again', async () => {
    const { proxy, client } = setup();
    await client.init();
    await until(client, () => proxy.streams.length === 1);
    proxy.send('snapshot', snapshot(1));
    await until(client, (x) => x.state === 'live');
    proxy.send('status', {
      context: 'kind',
      revision: 1,
      sync: sync('stale', { error: 'cannot reach the API server', lastSync: '2026-05-01T09:59:00.000Z' }),
    });
    const stale = await until(client, (x) => x.state === 'stale');
    expect(stale).toMatchObject({
      error: 'cannot reach the API server',
      lastSync: '2026-05-01T09:59:00.000Z',
      files,
    });
  });

  it('carries the optional kinds read and those not installed, as the proxy reports them', async () => {
    const { proxy, client } = setup();
    await client.init();
    await until(client, () => proxy.streams.length === 1);
    proxy.send('snapshot', {
      ...snapshot(1),
      sync: sync('live', {
        extraKinds: ['ClusterNetworkPolicy.policy.networking.k8s.io'],
        notInstalled: ['AdminNetworkPolicy.policy.networking.k8s.io'],
      }),
    });
    const live = await until(client, (x) => x.state === 'live');
    expect(live).toMatchObject({
      extraKinds: ['ClusterNetworkPolicy.policy.networking.k8s.io'],
      notInstalled: ['AdminNetworkPolicy.policy.networking.k8s.io'],
    });
  });

  it('turns stale when the proxy goes away or silent, and reconnects', async () => {
    const { proxy, client } = setup();
    await client.init();
    await until(client, () => proxy.streams.length === 1);
    proxy.send('snapshot', snapshot(1));
    await until(client, (x) => x.state === 'live');
    proxy.end();
    const stale = await until(client, (x) => x.state === 'stale');
    expect(stale.error).toMatch(/lost the connection to the proxy/);
    await until(client, () => proxy.streams.length === 2);
    proxy.send('snapshot', snapshot(2));
    await until(client, (x) => x.state === 'live');
    // Silence: no heartbeat for 3 × 40 ms of the (fake) clock.
    const silentFrom = Date.now();
    const silent = await until(client, (x) => x.state === 'stale');
    expect(Date.now() - silentFrom).toBeGreaterThanOrEqual(3 * info.heartbeatMs - 1);
    expect(silent.error).toMatch(/went silent/);
    await until(client, () => proxy.streams.length === 3);
  });

  it('stops on a refused token (401), with advice', async () => {
    const { proxy, client } = setup();
    proxy.eventsStatus = 401;
    await client.init();
    const s = await until(client, (x) => x.state === 'error');
    expect(s.error).toMatch(/open the URL it printed/);
    expect(s.streaming).toBe(false);
    await vi.advanceTimersByTimeAsync(LONG_AFTER_MS);
    expect(proxy.requests.filter((r) => r.url.startsWith('/api/events')).length).toBe(1);
  });

  it('works offline on the snapshot: stops streaming, keeps the files', async () => {
    const { proxy, client, applied } = setup();
    await client.init();
    await until(client, () => proxy.streams.length === 1);
    proxy.send('snapshot', snapshot(1));
    await until(client, (x) => x.state === 'live');
    client.workOffline();
    expect(client.getSnapshot()).toMatchObject({ state: 'disconnected', offline: true, files });
    await vi.advanceTimersByTimeAsync(LONG_AFTER_MS);
    expect(proxy.requests.filter((r) => r.url.startsWith('/api/events')).length).toBe(1);
    // Reconnecting later starts a new workspace from the next snapshot.
    client.connect('kind');
    await until(client, () => proxy.streams.length === 2);
    proxy.send('snapshot', snapshot(2));
    await until(client, (x) => x.state === 'live');
    expect(applied.at(-1)!.previous).toBeUndefined();
  });

  it('keeps the files shown when an error comes with an empty bundle', async () => {
    const { proxy, client, applied } = setup();
    await client.init();
    await until(client, () => proxy.streams.length === 1);
    proxy.send('snapshot', snapshot(1));
    await until(client, (x) => x.state === 'live');
    proxy.send('snapshot', {
      ...snapshot(2, 'error', []),
      sync: sync('error', { error: 'the snapshot is larger than 256 MB' }),
    });
    const s = await until(client, (x) => x.state === 'error');
    expect(s.files).toEqual(files);
    expect(applied).toHaveLength(1);
  });
});
