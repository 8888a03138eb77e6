import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SESSION_HEADER, TOKEN_HEADER } from './security.ts';
import { DEFAULT_CONNECTION_TIMEOUTS, type ProxyOptions } from './server.ts';
import { EventStream, type Rig, startRig, until } from './testing/harness.ts';

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

  it('closes an event stream whose reader stopped reading, and only that one', async () => {
    // Enough output that the kernel's socket buffers cannot take it all: the rest waits in the
    // proxy, and with a reader that reads nothing it never moves.
    const r = await start({ connectionTimeouts: { stalledStreamMs: 600 } });
    const annotation = 'x'.repeat(2 * 1024 * 1024);
    for (let i = 0; i < 8; i++) {
      r.stub.upsert({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `big-${i}`, namespace: 'shop', annotations: { filler: annotation } },
        spec: { containers: [{ name: 'c', image: 'x' }] },
      });
    }
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
