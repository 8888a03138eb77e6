import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type LaunchedProxy, launchProxy, type ProxyLaunch } from './launch.ts';
import { TOKEN_HEADER } from './security.ts';
import { StubApiServer } from './testing/stubApiServer.ts';
import { seedDemo, stubKubeconfig } from './testing/stubFixtures.ts';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const path = mkdtempSync(join(tmpdir(), 'netpol-launch-'));
  cleanups.push(() => rmSync(path, { recursive: true, force: true }));
  return path;
}

/** A folder that looks like a built app, with a marker to recognise it by. */
function fakeWebRoot(marker: string): string {
  const root = tempDir();
  writeFileSync(join(root, 'index.html'), `<!doctype html><html><head></head><body>${marker}</body></html>`);
  return root;
}

/** A launch with its output captured, no kubeconfig anywhere (HOME empty, KUBECONFIG unset). */
function launch(argv: string[], overrides: Partial<ProxyLaunch> & Pick<ProxyLaunch, 'until'>) {
  const io = { out: '', err: '' };
  const done = launchProxy({
    argv,
    env: {},
    home: tempDir(),
    webRoots: [],
    buildHint: 'build it first',
    name: 'netpol ui',
    usage: 'Usage: netpol ui [--port N]',
    stdout: (text) => {
      io.out += text;
    },
    stderr: (text) => {
      io.err += text;
    },
    ...overrides,
  });
  return { io, done };
}

const api = (ui: LaunchedProxy, path: string) =>
  fetch(`${ui.origin}${path}`, { headers: { [TOKEN_HEADER]: ui.token } });

describe('launchProxy', () => {
  it('serves the first built app it finds and the read-only API, prints the URL, and stops cleanly', async () => {
    const seen: { page?: string; status?: number; info?: unknown; printed?: string } = {};
    const { io, done } = launch(['--port', '0'], {
      webRoots: [join(tempDir(), 'not-built'), fakeWebRoot('the packaged app'), fakeWebRoot('a clone')],
      until: async (ui) => {
        seen.printed = io.out;
        const page = await fetch(`${ui.origin}/`);
        seen.status = page.status;
        seen.page = await page.text();
        seen.info = await (await api(ui, '/api/info')).json();
      },
    });
    expect(await done).toBe(0);
    expect(seen.printed).toMatch(/^Open http:\/\/127\.0\.0\.1:\d+\/#token=\S+$/m);
    expect(seen.printed).toContain('the app runs on its demo');
    expect(seen.status).toBe(200);
    expect(seen.page).toContain('the packaged app');
    expect(seen.info).toMatchObject({ kubeconfig: { found: false }, contexts: [] });
    expect(io.err).toBe('');
  });

  it('connects to the context named by --context through the kubeconfig', async () => {
    const stub = await StubApiServer.start();
    cleanups.push(() => stub.close());
    seedDemo(stub);
    const kubeconfig = join(tempDir(), 'config');
    writeFileSync(kubeconfig, stubKubeconfig(stub, 'stub'));
    let snapshot = '';
    const { io, done } = launch(['--port', '0', '--context', 'stub', '--kubeconfig', kubeconfig], {
      webRoots: [fakeWebRoot('app')],
      until: async (ui) => {
        snapshot = await (await api(ui, '/api/snapshot?context=stub&format=yaml')).text();
      },
    });
    expect(await done).toBe(0);
    expect(io.out).toContain('kubeconfig from --kubeconfig; 1 usable context(s), showing "stub"');
    expect(snapshot).toContain('name: api-from-web');
    expect(snapshot).not.toContain('hunter2');
  });

  it('gives the token the lifetime of --token-ttl and --idle-timeout, and says so', async () => {
    let info = 0;
    const { io, done } = launch(['--port', '0', '--token-ttl', '8h', '--idle-timeout', '2h'], {
      until: async (ui) => {
        info = (await api(ui, '/api/info')).status;
      },
    });
    expect(await done).toBe(0);
    expect(info).toBe(200);
    expect(io.out).toMatch(/valid until \d{4}-\d\d-\d\dT[\d:.]+Z \(--token-ttl 8h\), or 2h without use;/);
  });

  it('still starts without a built app, and says how to get it', async () => {
    let status = 0;
    const { io, done } = launch(['--port', '0'], {
      webRoots: [join(tempDir(), 'missing')],
      until: async (ui) => {
        status = (await fetch(`${ui.origin}/`)).status;
      },
    });
    expect(await done).toBe(0);
    expect(io.err).toContain('netpol ui: the built app is missing: build it first');
    expect(status).toBe(503);
  });

  it('reports usage errors with exit code 2 and the usage, and never starts', async () => {
    let started = false;
    const { io, done } = launch(['--port', 'eighty'], {
      until: async () => {
        started = true;
      },
    });
    expect(await done).toBe(2);
    expect(started).toBe(false);
    expect(io.err).toContain('netpol ui: invalid port "eighty"');
    expect(io.err).toContain('Usage: netpol ui [--port N]');
  });

  it('exits 1 with a hint when the port is taken, and for a context without a kubeconfig', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const port = (blocker.address() as { port: number }).port;
    const never = async () => {
      throw new Error('must not start');
    };
    const taken = launch(['--port', String(port)], { until: never });
    expect(await taken.done).toBe(1);
    expect(taken.io.err).toContain(`port ${port} is in use`);

    const unknown = launch(['--port', '0', '--context', 'prod'], { until: never });
    expect(await unknown.done).toBe(1);
    expect(unknown.io.err).toMatch(/^netpol ui: no kubeconfig/m);
  });
});
