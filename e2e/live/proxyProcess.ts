import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A proxy started the way a user starts it (tsx apps/proxy/src/main.ts), on a free port. */
export interface ProxyProcess {
  /** The URL it printed, token included. */
  url: string;
  origin: string;
  token: string;
  output(): string;
  stop(): Promise<void>;
}

const tsx = createRequire(import.meta.url).resolve('tsx/cli');
const main = fileURLToPath(new URL('../../apps/proxy/src/main.ts', import.meta.url));

/**
 * Starts the proxy serving the built app (apps/web/dist, built by Playwright's webServer) with
 * `kubeconfig` (YAML text; none: the proxy runs on the demo) and extra arguments. HOME points at
 * an empty folder so the developer's own ~/.kube/config is never read.
 */
export async function startProxyProcess(
  kubeconfig: string | undefined,
  args: string[] = [],
): Promise<ProxyProcess> {
  const home = mkdtempSync(join(tmpdir(), 'netpol-e2e-'));
  const argv = ['--port', '0', ...args];
  if (kubeconfig !== undefined) {
    const path = join(home, 'kubeconfig');
    writeFileSync(path, kubeconfig);
    argv.push('--kubeconfig', path);
  }
  const child: ChildProcess = spawn(process.execPath, [tsx, main, ...argv], {
    env: { PATH: process.env.PATH ?? '', HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the proxy printed no URL:\n${out}`)), 30_000);
    const check = () => {
      const match = /^Open (\S+)$/m.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the proxy exited (${code}):\n${out}`));
    });
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: new URLSearchParams(parsed.hash.slice(1)).get('token') ?? '',
    output: () => out,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
}
