import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StubApiServer } from '../../../proxy/src/testing/stubApiServer.ts';
import { seedDemo, stubKubeconfig } from '../../../proxy/src/testing/stubFixtures.ts';
import { runCli } from '../cli.ts';
import { captureIO } from '../nodeIO.ts';
import { type RunningUi, uiCommand } from './ui.ts';

const TOKEN_HEADER = 'x-netpol-atlas-token';
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const path = mkdtempSync(join(tmpdir(), 'netpol-ui-'));
  cleanups.push(() => rmSync(path, { recursive: true, force: true }));
  return path;
}

/** A folder that looks like a built app, with a marker to recognise it by. */
function fakeWebRoot(marker: string): string {
  const root = tempDir();
  writeFileSync(join(root, 'index.html'), `<!doctype html><html><head></head><body>${marker}</body></html>`);
  return root;
}

/** No kubeconfig anywhere: HOME is an empty folder and KUBECONFIG is unset. */
function noKubeconfig() {
  return { env: {}, home: tempDir() };
}

const api = (ui: RunningUi, path: string) =>
  fetch(`${ui.origin}${path}`, { headers: { [TOKEN_HEADER]: ui.token } });

describe('netpol ui', () => {
  it('serves the first built app it finds and the read-only API, prints the URL, and stops cleanly', async () => {
    const io = captureIO();
    const seen: { page?: string; status?: number; info?: unknown; printed?: string } = {};
    const code = await uiCommand(io, ['--port', '0'], {
      ...noKubeconfig(),
      webRoots: [join(tempDir(), 'not-built'), fakeWebRoot('the packaged app'), fakeWebRoot('a clone')],
      until: async (ui) => {
        seen.printed = io.out;
        const page = await fetch(`${ui.origin}/`);
        seen.status = page.status;
        seen.page = await page.text();
        seen.info = await (await api(ui, '/api/info')).json();
      },
    });
    expect(code).toBe(0);
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
    const io = captureIO();
    let snapshot = '';
    const code = await uiCommand(io, ['--port', '0', '--context', 'stub', '--kubeconfig', kubeconfig], {
      ...noKubeconfig(),
      webRoots: [fakeWebRoot('app')],
      until: async (ui) => {
        snapshot = await (await api(ui, '/api/snapshot?context=stub&format=yaml')).text();
      },
    });
    expect(code).toBe(0);
    expect(io.out).toContain('kubeconfig from --kubeconfig; 1 usable context(s), showing "stub"');
    expect(snapshot).toContain('name: api-from-web');
    expect(snapshot).not.toContain('hunter2');
  });

  it('still starts without a built app, and says how to build it', async () => {
    const io = captureIO();
    let status = 0;
    const code = await uiCommand(io, ['--port', '0'], {
      ...noKubeconfig(),
      webRoots: [join(tempDir(), 'missing')],
      until: async (ui) => {
        status = (await fetch(`${ui.origin}/`)).status;
      },
    });
    expect(code).toBe(0);
    expect(io.err).toContain('the built app is missing');
    expect(status).toBe(503);
  });

  it('reports usage errors with exit code 2 and never starts', async () => {
    const io = captureIO();
    let started = false;
    const code = await uiCommand(io, ['--port', 'eighty'], {
      ...noKubeconfig(),
      until: async () => {
        started = true;
      },
    });
    expect(code).toBe(2);
    expect(started).toBe(false);
    expect(io.err).toContain('netpol ui: invalid port "eighty"');
  });

  it('exits 1 with a hint when the port is taken, and for a context the kubeconfig lacks', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const port = (blocker.address() as { port: number }).port;
    const taken = captureIO();
    const never = async () => {
      throw new Error('must not start');
    };
    expect(await uiCommand(taken, ['--port', String(port)], { ...noKubeconfig(), until: never })).toBe(1);
    expect(taken.err).toContain(`port ${port} is in use`);

    const unknown = captureIO();
    const code = await uiCommand(unknown, ['--port', '0', '--context', 'prod'], {
      ...noKubeconfig(),
      until: never,
    });
    expect(code).toBe(1);
    expect(unknown.err).toMatch(/^netpol ui: no kubeconfig/m);
  });

  it('is a command of the CLI with its own help', async () => {
    const io = captureIO();
    expect(await runCli(['ui', '--help'], io)).toBe(0);
    expect(io.out).toContain('netpol ui [--context NAME] [--port N]');
    const top = captureIO();
    await runCli(['--help'], top);
    expect(top.out).toContain('netpol ui');
  });
});
