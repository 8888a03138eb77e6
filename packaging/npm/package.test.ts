// The npm package as a user gets it: packed by scripts/pack.mjs, installed from the tarball into an
// empty folder without a registry, and run through its bins (plain node, no tsx, no clone). Run by
// scripts/test.mjs as its own step (packing builds the web app), never by the root Vitest run.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../apps/cli/src/cli.ts';
import { captureIO } from '../../apps/cli/src/nodeIO.ts';
import { StubApiServer } from '../../apps/proxy/src/testing/stubApiServer.ts';
import { seedDemo, stubKubeconfig } from '../../apps/proxy/src/testing/stubFixtures.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const VERSION: string = JSON.parse(readFileSync(join(ROOT, 'apps/cli/package.json'), 'utf8')).version;
const TOKEN_HEADER = 'x-netpol-atlas-token';
const KUBECTL = '/usr/bin/kubectl';

interface Run {
  code: number | null;
  out: string;
  err: string;
  ms: number;
}

interface Installed {
  /** The installed package folder (node_modules/netpol-atlas). */
  dir: string;
  /** node_modules/.bin, where npm links the bins. */
  bin: string;
}

const work = mkdtempSync(join(tmpdir(), 'netpol-pack-'));
let installing: { ok: Installed } | { error: Error } | undefined;

/** Runs a command to its end (from the repository root, so relative paths match the source CLI's). */
function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Run {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd: ROOT, env, encoding: 'utf8', timeout: 600_000 });
  if (result.error) throw result.error;
  return { code: result.status, out: result.stdout, err: result.stderr, ms: performance.now() - started };
}

/** `pnpm pack:npm`, then `npm install` of the tarball into an empty project. */
function packAndInstall(): Installed {
  const packed = run(process.execPath, ['scripts/pack.mjs']);
  if (packed.code !== 0) throw new Error(`scripts/pack.mjs failed:\n${packed.out}${packed.err}`);
  console.log(packed.out.trim());
  const tarball = join(ROOT, '.pack', `netpol-atlas-${VERSION}.tgz`);
  const prefix = join(work, 'project');
  mkdirSync(prefix);
  writeFileSync(join(prefix, 'package.json'), '{ "private": true }\n');
  // --offline: the package has no dependencies, so the install must not need a registry.
  const install = run('npm', [
    'install',
    '--offline',
    '--no-audit',
    '--no-fund',
    '--no-package-lock',
    '--loglevel=error',
    '--prefix',
    prefix,
    tarball,
  ]);
  if (install.code !== 0) throw new Error(`npm install of the tarball failed:\n${install.out}${install.err}`);
  return { dir: join(prefix, 'node_modules', 'netpol-atlas'), bin: join(prefix, 'node_modules', '.bin') };
}

/**
 * The installed package, packed once. Every test asks for it, so a failed pack fails every test
 * (counted as failures, not skipped as a failing beforeAll would leave them).
 */
function installed(): Installed {
  if (installing === undefined) {
    try {
      installing = { ok: packAndInstall() };
    } catch (error) {
      installing = { error: error as Error };
    }
  }
  if ('error' in installing) throw installing.error;
  return installing.ok;
}

/** The environment of a user with the package's bins on PATH, no kubeconfig, and an empty HOME. */
function userEnv(): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(work, 'home-'));
  const { KUBECONFIG: _, ...rest } = process.env;
  return {
    ...rest,
    HOME: home,
    PATH: [installed().bin, dirname(process.execPath), rest.PATH ?? ''].join(delimiter),
  };
}

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('the npm package netpol-atlas', () => {
  // Packing builds the web app: a budget only a hang reaches.
  it('packs, and installs from the tarball without a registry', { timeout: 900_000 }, () => {
    const { dir } = installed();
    expect(existsSync(join(dir, 'package.json'))).toBe(true);
  });

  it('installs one bundled file, the built app and the notices, with no dependencies', () => {
    const { dir: installedDir, bin } = installed();
    const manifest = JSON.parse(readFileSync(join(installedDir, 'package.json'), 'utf8'));
    expect(manifest).toMatchObject({
      name: 'netpol-atlas',
      version: VERSION,
      bin: { 'netpol-atlas': 'dist/netpol-atlas.mjs', 'kubectl-netpol': 'dist/netpol-atlas.mjs' },
      engines: { node: '>=20.19' },
    });
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(existsSync(join(installedDir, 'node_modules'))).toBe(false);
    const code = readdirSync(join(installedDir, 'dist')).filter((f) => /\.(m?js|cjs|ts)$/.test(f));
    expect(code).toEqual(['netpol-atlas.mjs']);
    expect(readFileSync(join(installedDir, 'dist/netpol-atlas.mjs'), 'utf8')).toMatch(
      /^#!\/usr\/bin\/env node\n/,
    );
    expect(existsSync(join(installedDir, 'dist/web/index.html'))).toBe(true);
    expect(readdirSync(join(installedDir, 'dist/web/demo')).length).toBeGreaterThan(0);
    expect(readFileSync(join(installedDir, 'dist/THIRD-PARTY-NOTICES.txt'), 'utf8')).toContain(
      '@kubernetes/client-node@1.4.0 (Apache-2.0)',
    );
    for (const name of ['netpol-atlas', 'kubectl-netpol']) {
      expect(statSync(join(bin, name)).mode & 0o111).not.toBe(0);
    }
  });

  it('prints its version from both bins, with nothing on stderr', () => {
    for (const name of ['netpol-atlas', 'kubectl-netpol']) {
      const result = run(join(installed().bin, name), ['--version'], userEnv());
      expect(result).toMatchObject({ code: 0, out: `netpol ${VERSION}\n`, err: '' });
    }
  });

  // The bundle must be the same program as the sources: same output, same exit code.
  it.each([
    [['list', '--dirpath', 'public/demo']],
    [['list', '--dirpath', 'public/demo', '-o', 'json']],
    [['explain', '--dirpath', 'public/demo', '--src', 'frontend/frontend', '--dst', 'store/store-api']],
    [['validate', 'public/demo', 'public/samples']],
    [['lint', '--dirpath', 'public/demo', '-o', 'json', '--fail-on', 'none']],
    [['list', '--dirpath', 'no/such/folder']],
    [['list', '--no-such-option']],
  ])('%j prints what the source CLI prints', async (argv) => {
    const source = captureIO();
    const sourceCode = await runCli(argv, source);
    const packaged = run(join(installed().bin, 'netpol-atlas'), argv, userEnv());
    expect(packaged.err).toBe(source.err);
    expect(packaged.out).toBe(source.out);
    expect(packaged.code).toBe(sourceCode);
    if (argv[0] === 'list' && sourceCode === 0) expect(packaged.out.length).toBeGreaterThan(0);
  });

  it('starts quickly: --version and list on the demo (measured, reported, not asserted)', () => {
    const env = userEnv();
    const median = (argv: string[]) => {
      const times = Array.from(
        { length: 5 },
        () => run(join(installed().bin, 'netpol-atlas'), argv, env).ms,
      ).sort((a, b) => a - b);
      return Math.round(times[2]!);
    };
    const node = Math.round(
      [1, 2, 3].map(() => run(process.execPath, ['-e', '0'], env).ms).sort((a, b) => a - b)[1]!,
    );
    const version = median(['--version']);
    const list = median(['list', '--dirpath', 'public/demo']);
    // Tests never depend on speed (a busy CI machine is slow): the figures are for the report.
    console.log(
      `startup (median of 5): --version ${version} ms, list public/demo ${list} ms; bare node ${node} ms`,
    );
    expect(version).toBeGreaterThan(0);
  });

  it.skipIf(!existsSync(KUBECTL))('is a kubectl plugin: kubectl netpol runs the same CLI', async () => {
    const env = userEnv();
    const plugins = run(KUBECTL, ['plugin', 'list'], env);
    expect(plugins.out).toContain(join(installed().bin, 'kubectl-netpol'));
    expect(run(KUBECTL, ['netpol', '--version'], env)).toMatchObject({ code: 0, out: `netpol ${VERSION}\n` });
    const source = captureIO();
    await runCli(['list', '--dirpath', 'public/demo'], source);
    expect(run(KUBECTL, ['netpol', 'list', '--dirpath', 'public/demo'], env)).toMatchObject({
      code: 0,
      out: source.out,
      err: '',
    });
  });
});

/** `netpol-atlas ui` as a child process: its URL once printed, and a clean stop. */
interface UiProcess {
  origin: string;
  token: string;
  output(): { out: string; err: string };
  /** Ctrl+C, then the exit code. */
  interrupt(): Promise<number | null>;
}

async function startUi(args: string[], env: NodeJS.ProcessEnv): Promise<UiProcess> {
  const child: ChildProcess = spawn(join(installed().bin, 'netpol-atlas'), ['ui', '--port', '0', ...args], {
    cwd: work,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    // Generous: only a hang gets here, never a slow machine.
    const timer = setTimeout(() => reject(new Error(`ui printed no URL:\n${out}${err}`)), 120_000);
    const check = () => {
      const match = /^Open (\S+)$/m.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`ui exited (${code}) before printing its URL:\n${out}${err}`));
    });
  });
  const parsed = new URL(url);
  return {
    origin: parsed.origin,
    token: new URLSearchParams(parsed.hash.slice(1)).get('token') ?? '',
    output: () => ({ out, err }),
    interrupt: () => {
      child.kill('SIGINT');
      return exited;
    },
  };
}

describe('npx netpol-atlas ui', () => {
  it('serves the packaged app and the read-only API, and stops on Ctrl+C', async () => {
    const ui = await startUi([], userEnv());
    try {
      const page = await fetch(`${ui.origin}/`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('<meta name="netpol-atlas-proxy" content="1">');
      // The app's own script, served from the package.
      const script = /<script[^>]+src="\.?\/?(assets\/[^"]+\.js)"/.exec(html)?.[1];
      expect(script).toBeDefined();
      const asset = await fetch(`${ui.origin}/${script}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toContain('text/javascript');
      expect((await fetch(`${ui.origin}/demo/policies.yaml`)).status).toBe(200);

      const info = await fetch(`${ui.origin}/api/info`, { headers: { [TOKEN_HEADER]: ui.token } });
      expect(info.status).toBe(200);
      expect(await info.json()).toMatchObject({ kubeconfig: { found: false }, contexts: [] });
      expect((await fetch(`${ui.origin}/api/info`)).status).toBe(401);
    } finally {
      expect(await ui.interrupt()).toBe(0);
    }
    // The one request refused on purpose (no token) is logged, without the token; nothing else.
    const errLines = ui
      .output()
      .err.split('\n')
      .filter((l) => l !== '');
    expect(errLines).toHaveLength(1);
    expect(errLines[0]).toMatch(/^netpol ui: refused GET "\/api\/info" status=401 /);
    expect(ui.output().err).not.toContain(ui.token);
    expect(ui.output().out).toContain('the app runs on its demo');
  });

  it('shows the cluster of --context through the bundled Kubernetes client', async () => {
    const stub = await StubApiServer.start();
    try {
      seedDemo(stub);
      const env = userEnv();
      const kubeconfig = join(env.HOME!, 'kubeconfig');
      writeFileSync(kubeconfig, stubKubeconfig(stub, 'stub'));
      const ui = await startUi(['--context', 'stub'], { ...env, KUBECONFIG: kubeconfig });
      try {
        const snapshot = await fetch(`${ui.origin}/api/snapshot?context=stub&format=yaml`, {
          headers: { [TOKEN_HEADER]: ui.token },
        });
        expect(snapshot.status).toBe(200);
        const text = await snapshot.text();
        expect(text).toContain('name: api-from-web');
        expect(text).not.toContain('hunter2');
      } finally {
        expect(await ui.interrupt()).toBe(0);
      }
      expect(ui.output().out).toContain('kubeconfig from KUBECONFIG; 1 usable context(s), showing "stub"');
      expect(stub.requests.every((r) => r.authorization === `Bearer ${stub.token}`)).toBe(true);
    } finally {
      await stub.close();
    }
  });
});
