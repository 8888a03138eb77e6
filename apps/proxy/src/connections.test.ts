import net from 'node:net';
import { SESSION_HEADER } from '@netpol-atlas/live-protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { TOKEN_HEADER } from './security.ts';
import { DEFAULT_CONNECTION_TIMEOUTS, type ProxyOptions } from './server.ts';
import { EventStream, FAST, type Rig, request, startRig, until } from './testing/harness.ts';

// Waits on state are bounded generously: the short timeouts below are the proxy's settings under
// test, and a slow machine only makes the close come later, never makes a test pass wrongly.
const WAIT_MS = 15_000;

let rig: Rig | undefined;
const sockets: net.Socket[] = [];
const logged: string[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await rig?.close();
  rig = undefined;
  logged.length = 0;
});

async function start(overrides: Partial<ProxyOptions> = {}): Promise<Rig> {
  rig = await startRig({ log: (line) => logged.push(line), ...overrides });
  return rig;
}

/** A raw connection to the proxy; `closed` resolves with what it received once the proxy closes it. */
async function connect(r: Rig): Promise<{ socket: net.Socket; closed: Promise<string> }> {
  const socket = net.connect({ host: '127.0.0.1', port: r.proxy.port });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let received = '';
  const closed = new Promise<string>((resolve) => {
    socket.on('data', (d: Buffer) => {
      received += d.toString();
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve(received));
  });
  return { socket, closed };
}

function bounded<T>(promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} stayed open`)), WAIT_MS)),
  ]);
}

/** Polls an asynchronous check until it holds, at most `ms`. */
async function untilAsync(check: () => Promise<boolean>, what: string, ms = WAIT_MS): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * 12 MB of pods: about three times what the kernel's socket buffers take on loopback (a 4 MB
 * send buffer at most here, and a receive window that only grows as its reader reads), so the
 * rest of a response waits in the proxy, and with a reader that reads nothing it never moves.
 */
function seedBigPods(r: Rig): void {
  const annotation = 'x'.repeat(2 * 1024 * 1024);
  for (let i = 0; i < 6; i++) {
    r.stub.upsert({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `big-${i}`, namespace: 'shop', annotations: { filler: annotation } },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    });
  }
}

/** Reading 12 MB lists may take a while on a busy machine: no cluster timeout gets in the way. */
const BIG_LISTS = { ...FAST.clientLimits!, requestTimeoutMs: 60_000 } as NonNullable<
  ProxyOptions['clientLimits']
>;

/**
 * Waits until the proxy holds a complete, live copy, asking with HEAD (the sync state is a
 * header), so no test reader has to take in every intermediate snapshot of a big cluster.
 */
async function waitLive(r: Rig): Promise<void> {
  await untilAsync(
    async () =>
      (await request(r.proxy, '/api/snapshot?format=yaml', { method: 'HEAD' })).headers[
        'x-netpol-atlas-sync-state'
      ] === 'live',
    'a live copy',
    60_000,
  );
}

const requestHead = (r: Rig, path: string, extra = '') =>
  `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${r.proxy.port}\r\n${TOKEN_HEADER}: ${r.proxy.token}\r\n${extra}`;

describe('half-open connections', () => {
  it('the defaults close every kind within 10 s', () => {
    const t = DEFAULT_CONNECTION_TIMEOUTS;
    // Node checks the header and request deadlines once per interval.
    expect(t.headersMs + t.checkIntervalMs).toBeLessThanOrEqual(10_000);
    expect(t.requestMs + t.checkIntervalMs).toBeLessThanOrEqual(10_000);
    expect(t.headersMs).toBeLessThan(t.requestMs);
    // Node gives keep-alive connections a second more than keepAliveTimeout.
    expect(t.keepAliveMs + 1000).toBeLessThanOrEqual(10_000);
    expect(t.idleSocketMs).toBeLessThanOrEqual(10_000);
    // A stall is noticed at the first check after it lasted stalledStreamMs (3 checks per period).
    expect((t.stalledStreamMs * 4) / 3).toBeLessThanOrEqual(10_000);
  });

  it('closes a connection that never sends a request', async () => {
    const r = await start({ connectionTimeouts: { headersMs: 200, requestMs: 400, checkIntervalMs: 50 } });
    const { closed } = await connect(r);
    await bounded(closed, 'a silent connection');
  });

  it('closes a connection whose headers never end (slowloris), answering 408', async () => {
    const r = await start({ connectionTimeouts: { headersMs: 200, requestMs: 400, checkIntervalMs: 50 } });
    const { socket, closed } = await connect(r);
    socket.write(requestHead(r, '/api/info', 'X-Slow: 1\r\n'));
    const received = await bounded(closed, 'a slow request');
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(received).toContain('Permissions-Policy:');
    expect(logged.some((l) => /^refused - - status=408 reason="ERR_HTTP_REQUEST_TIMEOUT"/.test(l))).toBe(
      true,
    );
  });

  it('closes an idle keep-alive connection after its answer', async () => {
    const r = await start({ connectionTimeouts: { keepAliveMs: 200 } });
    const { socket, closed } = await connect(r);
    socket.write(`${requestHead(r, '/api/info', 'Connection: keep-alive\r\n')}\r\n`);
    const received = await bounded(closed, 'an idle keep-alive connection');
    expect(received).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('keeps a response open while the proxy itself waits for the cluster', async () => {
    const r = await start({ connectionTimeouts: { idleSocketMs: 300 } });
    // The first snapshot waits for a slow cluster: that silence is the proxy's, not the client's.
    r.stub.faults.slowMs = 1000;
    const first = await request(r.proxy, '/api/snapshot');
    expect(first.status).toBe(200);
  });

  // Heavy (12 MB through the stub, the proxy and the reader): a budget of its own.
  it('closes a response whose reader stopped reading', { timeout: 90_000 }, async () => {
    const r = await start({ connectionTimeouts: { idleSocketMs: 300 }, clientLimits: BIG_LISTS });
    seedBigPods(r);
    await waitLive(r);
    await untilAsync(async () => (await r.proxy.openConnections()) === 0, 'no connections');
    const { socket } = await connect(r);
    socket.pause();
    socket.write(`${requestHead(r, '/api/snapshot?format=yaml')}\r\n`);
    await untilAsync(async () => (await r.proxy.openConnections()) === 1, 'the request');
    await untilAsync(async () => (await r.proxy.openConnections()) === 0, 'the unread response to close');
  });

  it('closes an event stream whose reader stopped reading, and only that one', {
    timeout: 90_000,
  }, async () => {
    // Long enough that the kernel's send buffer, which wakes the writer only once about half of it
    // was read, never makes a reading peer look stalled; short enough for a quick test.
    const r = await start({ connectionTimeouts: { stalledStreamMs: 2000 }, clientLimits: BIG_LISTS });
    seedBigPods(r);
    await waitLive(r);
    const healthy = await EventStream.open(r.proxy, undefined, { [SESSION_HEADER]: 'healthy-reader' });
    try {
      await healthy.waitForSnapshot((m) => m.sync.state === 'live', WAIT_MS);
      const { socket, closed } = await connect(r);
      socket.pause();
      socket.write(`${requestHead(r, '/api/events')}\r\n`);
      await until(() => r.proxy.openStreams() === 2, WAIT_MS, 'the frozen reader’s stream to open');
      await until(
        () => logged.some((l) => l.startsWith('closed a stalled event stream')),
        WAIT_MS,
        'the stalled stream to be closed',
      );
      await until(() => r.proxy.openStreams() === 1, WAIT_MS, 'one stream left');
      // The reader that keeps reading keeps its stream, and heartbeats keep coming.
      const seen = healthy.messages.length;
      await healthy.waitFor(() => true, WAIT_MS, seen);
      expect(healthy.ended).toBe(false);
      socket.resume();
      await bounded(closed, 'the stalled stream');
    } finally {
      healthy.close();
    }
  });
});
