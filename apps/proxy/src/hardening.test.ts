import { SESSION_HEADER } from '@netpol-atlas/live-protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { TOKEN_HEADER } from './security.ts';
import type { ProxyOptions } from './server.ts';
import { EventStream, type Rig, request, startRig, until } from './testing/harness.ts';

// Bounds for waits on state: only reached when the awaited state never comes.
const WAIT_MS = 10_000;

let rig: Rig | undefined;
const streams: EventStream[] = [];
let logged: string[] = [];

afterEach(async () => {
  for (const s of streams.splice(0)) s.close();
  await rig?.close();
  rig = undefined;
  logged = [];
});

async function start(overrides: Partial<ProxyOptions> = {}): Promise<Rig> {
  rig = await startRig({ log: (line) => logged.push(line), ...overrides });
  return rig;
}

async function openStream(r: Rig, headers: Record<string, string> = {}): Promise<EventStream> {
  const stream = await EventStream.open(r.proxy, undefined, headers);
  streams.push(stream);
  return stream;
}

const refusals = () => logged.filter((l) => l.startsWith('refused '));

describe('refused requests are logged', () => {
  it('one greppable line each: method, path, status, reason, Host and Origin', async () => {
    const r = await start();
    const port = r.proxy.port;
    await request(r.proxy, '/api/info', { headers: { [TOKEN_HEADER]: undefined } });
    await request(r.proxy, '/api/info', { headers: { host: `attacker.example:${port}` } });
    await request(r.proxy, '/api/snapshot', { headers: { origin: 'http://attacker.example' } });
    await request(r.proxy, '/api/snapshot', { method: 'DELETE' });
    await request(r.proxy, '/api/v1/secrets');
    expect(refusals()).toEqual([
      `refused GET "/api/info" status=401 reason="missing or wrong ${TOKEN_HEADER} header" host="127.0.0.1:${port}" origin=-`,
      `refused GET "/api/info" status=403 reason="unexpected Host header" host="attacker.example:${port}" origin=-`,
      `refused GET "/api/snapshot" status=403 reason="cross-origin requests are refused" host="127.0.0.1:${port}" origin="http://attacker.example"`,
      `refused DELETE "/api/snapshot" status=405 reason="this proxy is read-only: GET only" host="127.0.0.1:${port}" origin=-`,
      `refused GET "/api/v1/secrets" status=404 reason="not found" host="127.0.0.1:${port}" origin=-`,
    ]);
    // Served requests are not logged as refusals.
    expect((await request(r.proxy, '/api/info')).status).toBe(200);
    expect(refusals()).toHaveLength(5);
  });

  it('never logs the token, wherever a request carries it', async () => {
    const r = await start();
    const token = r.proxy.token;
    const port = r.proxy.port;
    const attempts: [string, Parameters<typeof request>[2]][] = [
      // In the query, with no header: refused, and the query is not logged.
      [`/api/info?token=${token}`, { headers: { [TOKEN_HEADER]: undefined } }],
      // In the right header, refused for another reason.
      ['/api/info', { headers: { host: `evil.example:${port}` } }],
      ['/api/info', { method: 'POST' }],
      // In the headers that are logged, and in the path.
      ['/api/info', { headers: { host: `${token}.example:${port}` } }],
      ['/api/info', { headers: { origin: `http://evil.example/${token}` } }],
      // A long Origin that would cut the token in half when shortened.
      ['/api/info', { headers: { origin: `http://${'a'.repeat(180)}${token}` } }],
      [`/api/${token}`, {}],
      [`/api/x/${token}?token=${token}`, { headers: { [TOKEN_HEADER]: 'wrong' } }],
      // In a header Node's parser refuses before any handler runs.
      ['/api/info', { headers: { 'x-padding': `${token}${'a'.repeat(10_000)}` } }],
    ];
    for (const [path, options] of attempts) {
      const res = await request(r.proxy, path, options);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
    }
    expect(refusals().length).toBe(attempts.length);
    const all = logged.join('\n');
    expect(all).not.toContain(token);
    // Not even the first half of it.
    expect(all).not.toContain(token.slice(0, 20));
    expect(all).toContain('[token]');
    expect(logged.some((l) => l.includes('status=431'))).toBe(true);
  });

  it('keeps quotes and control characters of a header inside its one quoted field', async () => {
    const r = await start();
    await request(r.proxy, '/api/info', {
      headers: { origin: 'http://x.example"\tstatus=200', [TOKEN_HEADER]: undefined },
    });
    const [line] = refusals();
    expect(line).toContain('origin="http://x.example\\"\\tstatus=200"');
    expect(line!.match(/status=/g)).toHaveLength(2); // the real one, and the quoted forgery
    expect(line).not.toContain('\t');
  });
});

describe('Permissions-Policy', () => {
  it('denies camera, microphone, geolocation and device access on every response', async () => {
    const r = await start();
    const stream = await openStream(r);
    await stream.waitForState('live', WAIT_MS);
    const responses = [
      await request(r.proxy, '/'),
      await request(r.proxy, '/api/info'),
      await request(r.proxy, '/api/snapshot?format=yaml'),
      await request(r.proxy, '/api/info', { headers: { [TOKEN_HEADER]: undefined } }),
      await request(r.proxy, '/api/info', { method: 'PUT' }),
      await request(r.proxy, '/api/nothing'),
      await request(r.proxy, '/missing.js'),
      await request(r.proxy, '/api/info', { headers: { 'x-padding': 'a'.repeat(10_000) } }),
    ];
    expect(responses.map((res) => res.status)).toEqual([503, 200, 200, 401, 405, 404, 404, 431]);
    for (const res of responses) {
      const policy = res.headers['permissions-policy'] ?? '';
      for (const feature of ['camera', 'microphone', 'geolocation', 'usb', 'payment'])
        expect(policy, `${res.status}`).toContain(`${feature}=()`);
    }
  });
});

describe('token lifetime', () => {
  it('--token-ttl: refuses the token once expired, with the reason, and ends open streams', async () => {
    let now = Date.parse('2026-06-01T08:00:00Z');
    const r = await start({ clock: () => now, tokenLifetime: { ttlMs: 8 * 3_600_000 } });
    expect(r.proxy.tokenExpiresAt).toBe(now + 8 * 3_600_000);
    const stream = await openStream(r);
    await stream.waitForState('live', WAIT_MS);
    now += 8 * 3_600_000 - 1;
    expect((await request(r.proxy, '/api/info')).status).toBe(200);
    now += 1;
    const expired = await request(r.proxy, '/api/info');
    expect(expired.status).toBe(401);
    expect(JSON.parse(expired.body).error).toBe(
      'the token expired: it was valid for 8h (--token-ttl); restart the proxy for a new one',
    );
    // The open stream ends at its next heartbeat; a new one is refused.
    await until(() => stream.ended, WAIT_MS, 'the stream to end');
    await expect(EventStream.open(r.proxy)).rejects.toThrow(/401.*token expired/);
    expect(refusals().at(-1)).toContain('reason="the token expired');
  });

  it('--idle-timeout: counts from the last use, never while a stream is open, and stays expired', async () => {
    let now = 1_000_000;
    const r = await start({ clock: () => now, tokenLifetime: { idleMs: 60_000 } });
    expect(r.proxy.tokenExpiresAt).toBeUndefined();
    // Each use restarts the count.
    for (let i = 0; i < 3; i++) {
      now += 59_999;
      expect((await request(r.proxy, '/api/info')).status).toBe(200);
    }
    // An open tab is in use, however long it stays open.
    const stream = await openStream(r);
    await stream.waitForState('live', WAIT_MS);
    now += 10 * 60_000;
    expect((await request(r.proxy, '/api/info')).status).toBe(200);
    now += 10 * 60_000;
    stream.close();
    await until(() => r.proxy.openStreams() === 0, WAIT_MS, 'the stream to close');
    now += 59_999;
    expect((await request(r.proxy, '/api/info')).status).toBe(200);
    now += 60_000;
    const expired = await request(r.proxy, '/api/info');
    expect(expired.status).toBe(401);
    expect(JSON.parse(expired.body).error).toBe(
      'the token expired after 1m without use (--idle-timeout); restart the proxy for a new one',
    );
    // Using it again does not revive it.
    now += 1;
    expect((await request(r.proxy, '/api/info')).status).toBe(401);
  });

  it('a wrong token is told it is wrong, not that the token expired', async () => {
    let now = 0;
    const r = await start({ clock: () => now, tokenLifetime: { ttlMs: 1000 } });
    now = 5000;
    const res = await request(r.proxy, '/api/info', { headers: { [TOKEN_HEADER]: 'x'.repeat(43) } });
    expect(JSON.parse(res.body).error).toBe(`missing or wrong ${TOKEN_HEADER} header`);
  });
});

describe('event stream limits', () => {
  it('caps the streams of one client, so another tab still gets one; the global cap holds too', async () => {
    const r = await start({ serverLimits: { maxStreamsPerClient: 2, maxStreams: 3 } });
    const tabA = { [SESSION_HEADER]: 'tab-a-0123456789' };
    const tabB = { [SESSION_HEADER]: 'tab-b-0123456789' };
    const a1 = await openStream(r, tabA);
    await openStream(r, tabA);
    await expect(EventStream.open(r.proxy, undefined, tabA)).rejects.toThrow(
      /503.*too many open event streams for this client \(2\)/,
    );
    // Tab A is at its cap, tab B is not locked out.
    const b1 = await openStream(r, tabB);
    await b1.waitForState('live', WAIT_MS);
    // Three streams in all: the global cap refuses a fourth client.
    await expect(
      EventStream.open(r.proxy, undefined, { [SESSION_HEADER]: 'tab-c-0123456789' }),
    ).rejects.toThrow(/503.*too many open event streams"/);
    // A closed stream frees its slot for its client.
    a1.close();
    await until(() => r.proxy.openStreams() === 2, WAIT_MS, 'a slot to free');
    await openStream(r, tabA);
    expect(refusals().filter((l) => l.includes('status=503'))).toHaveLength(2);
  });

  it('counts clients without a session id by remote address; a malformed id counts as none', async () => {
    const r = await start({ serverLimits: { maxStreamsPerClient: 1 } });
    await openStream(r);
    await expect(EventStream.open(r.proxy)).rejects.toThrow(/for this client/);
    await expect(EventStream.open(r.proxy, undefined, { [SESSION_HEADER]: 'bad id!' })).rejects.toThrow(
      /for this client/,
    );
    await openStream(r, { [SESSION_HEADER]: 'a-well-formed-id' });
  });
});
