import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseArgs } from './args.ts';
import { request, tempDir, until } from './testing/harness.ts';
import { StubApiServer } from './testing/stubApiServer.ts';
import { seedDemo, stubKubeconfig } from './testing/stubFixtures.ts';

const tsx = createRequire(import.meta.url).resolve('tsx/cli');
const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const dir = tempDir();
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGTERM');
});
afterAll(() => dir.dispose());

/** Runs main.ts with a clean environment (no developer kubeconfig), until `until` matches or it exits. */
function run(
  args: string[],
  env: Record<string, string> = {},
  until = /Open (\S+)/,
): Promise<{
  out: string;
  err: string;
  code: number | null;
  match?: RegExpMatchArray;
  /** Everything printed so far, including after `until` matched. */
  stdout(): string;
  stderr(): string;
}> {
  const child = spawn(process.execPath, [tsx, main, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: join(dir.path, 'home'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`main.ts did not print in time:\n${out}\n${err}`)),
      20_000,
    );
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const match = until.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ out, err, code: null, match, stdout: () => out, stderr: () => err });
      }
    });
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ out, err, code, stdout: () => out, stderr: () => err });
    });
  });
}

function portAndToken(url: string): { port: number; token: string } {
  const u = new URL(url);
  return { port: Number(u.port), token: new URLSearchParams(u.hash.slice(1)).get('token')! };
}

describe('main.ts', () => {
  it('without a kubeconfig, serves the app on 127.0.0.1 and prints the URL with a token', async () => {
    const { out, match, stdout, stderr } = await run(['--port', '0']);
    expect(out).toContain('no kubeconfig');
    expect(match![1]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
    const proxy = portAndToken(match![1]!);
    const info = JSON.parse((await request(proxy, '/api/info')).body);
    expect(info.kubeconfig.found).toBe(false);
    expect((await request(proxy, '/api/info', { headers: { 'x-netpol-atlas-token': 'wrong' } })).status).toBe(
      401,
    );
    expect(
      (await request(proxy, `/api/info?token=${proxy.token}`, { headers: { origin: 'http://evil.example' } }))
        .status,
    ).toBe(403);
    await until(() => stderr().includes('status=403'), 10_000, 'the refusal on stderr');
    const err = stderr();
    expect(err).toContain(
      `netpol-atlas proxy: refused GET "/api/info" status=401 reason="missing or wrong x-netpol-atlas-token header" host="127.0.0.1:${proxy.port}" origin=-\n`,
    );
    expect(err).toContain(
      `netpol-atlas proxy: refused GET "/api/info" status=403 reason="cross-origin requests are refused" host="127.0.0.1:${proxy.port}" origin="http://evil.example"\n`,
    );
    expect(err).not.toContain(proxy.token);
    await until(() => stdout().includes('The token in this URL'), 10_000, 'the token line');
    expect(stdout()).toContain('The token in this URL is valid until the proxy stops; do not share it.');
  });

  it('with --kubeconfig and --context, offers the context and connects at once', async () => {
    const stub = await StubApiServer.start();
    seedDemo(stub);
    const path = join(dir.path, 'kc');
    writeFileSync(path, stubKubeconfig(stub, 'lab'));
    try {
      const { out, match } = await run(['--kubeconfig', path, '--context', 'lab', '--namespace', 'shop'], {
        PORT: '0',
      });
      expect(out).toContain('showing "lab"');
      expect(out).toContain('namespaces shop');
      expect(out).not.toContain(stub.token);
      const proxy = portAndToken(match![1]!);
      const info = JSON.parse((await request(proxy, '/api/info')).body);
      expect(info).toMatchObject({ defaultContext: 'lab', autoConnect: true, namespaces: ['shop'] });
      const snapshot = JSON.parse((await request(proxy, '/api/snapshot')).body);
      expect(snapshot.sync.state).toBe('live');
    } finally {
      await stub.close();
    }
  });

  it('exits 2 with the usage on a bad option, and 1 on an unknown --context', async () => {
    const bad = await run(['--bogus'], {}, /$^/);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('unknown option --bogus');
    const stub = await StubApiServer.start();
    const path = join(dir.path, 'kc2');
    writeFileSync(path, stubKubeconfig(stub));
    try {
      const unknown = await run(['--port', '0', '--kubeconfig', path, '--context', 'nope'], {}, /$^/);
      expect(unknown.code).toBe(1);
      expect(unknown.err).toContain('unknown context "nope"');
    } finally {
      await stub.close();
    }
  });
});

describe('parseArgs', () => {
  it('reads every option, PORT as the default port', () => {
    expect(
      parseArgs(
        ['--context=prod', '-n', 'a', '--namespace', 'b', '--kubeconfig', '/k', '--max-list-mb', '8'],
        { PORT: '9000' },
      ),
    ).toEqual({
      port: 9000,
      context: 'prod',
      namespaces: ['a', 'b'],
      kubeconfig: '/k',
      maxListMb: 8,
      tokenTtlMs: undefined,
      idleTimeoutMs: undefined,
      help: false,
    });
    expect(parseArgs(['--', '--port', '0'], { PORT: '9000' }).port).toBe(0);
    expect(parseArgs([], {}).port).toBe(4180);
  });

  it('reads the token lifetime flags', () => {
    expect(parseArgs(['--token-ttl', '8h', '--idle-timeout=30m'], {})).toMatchObject({
      tokenTtlMs: 8 * 3_600_000,
      idleTimeoutMs: 30 * 60_000,
    });
    expect(parseArgs(['--idle-timeout', 'off'], {}).idleTimeoutMs).toBeUndefined();
    expect(() => parseArgs(['--token-ttl', '8'], {})).toThrow(
      '--token-ttl must be a duration between 1s and 366d such as 90s, 30m, 8h or 1h30m',
    );
    expect(() => parseArgs(['--token-ttl', 'off'], {})).toThrow(/--token-ttl must be a duration/);
    expect(() => parseArgs(['--idle-timeout', '500ms'], {})).toThrow(/, or off$/);
    expect(() => parseArgs(['--token-ttl'], {})).toThrow('--token-ttl needs a value');
  });

  it('keeps the messages of the hand-written parser it replaced', () => {
    expect(() => parseArgs(['--bogus'], {})).toThrow('unknown option --bogus');
    expect(() => parseArgs(['--bogus=1'], {})).toThrow('unknown option --bogus=1');
    expect(() => parseArgs(['-x'], {})).toThrow('unknown option -x');
    expect(() => parseArgs(['stray'], {})).toThrow('unknown option stray');
    expect(() => parseArgs(['--context', '--port', '1'], {})).toThrow('--context needs a value');
    expect(() => parseArgs(['-n'], {})).toThrow('-n needs a value');
    expect(parseArgs(['--context=--odd'], {}).context).toBe('--odd');
    expect(parseArgs(['-h'], {}).help).toBe(true);
    expect(parseArgs(['--help'], {}).help).toBe(true);
    expect(parseArgs(['-n', 'a', '-n', 'a'], {}).namespaces).toEqual(['a']);
  });

  it('refuses bad values', () => {
    expect(() => parseArgs(['--port', '70000'], {})).toThrow(/invalid port/);
    expect(() => parseArgs(['--namespace', '../x'], {})).toThrow(/not a valid namespace/);
    expect(() => parseArgs(['--context'], {})).toThrow(/needs a value/);
    expect(() => parseArgs(['--max-list-mb', '-1'], {})).toThrow(/between/);
  });
});
