import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

/** 300 pods and no policy: 90,000 lines, megabytes of output, far more than a pipe holds. */
function openNamespace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-main-'));
  const pods = Array.from(
    { length: 300 },
    (_, i) =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: app-${i}\n  namespace: open\n  labels:\n    app: app-${i}\n` +
      'spec:\n  containers:\n  - name: c\n    image: nginx\n',
  );
  writeFileSync(join(dir, 'pods.yaml'), pods.join('---\n'));
  return dir;
}

describe('netpol as a program', () => {
  it('ends quietly with exit code 0 when the reader closes the pipe (netpol list | head)', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'list', '--dirpath', openNamespace()], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    let first = '';
    // Read the first piece, then go away as `head` does.
    child.stdout.once('data', (chunk: Buffer) => {
      first = chunk.toString();
      child.stdout.destroy();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(first).toMatch(
      /^0\.0\.0\.0-255\.255\.255\.255\[External\] => open\/app-0\[Pod\] : All Connections\n/,
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 120_000);

  it('writes the whole output when stdout is a file (netpol list > out.txt), as it prints to a pipe', async () => {
    const dir = openNamespace();
    const run = async (stdout: 'pipe' | number) => {
      const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'list', '--dirpath', dir], {
        cwd: ROOT,
        stdio: ['ignore', stdout, 'ignore'],
      });
      let piped = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        piped += chunk.toString();
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      return { code, piped };
    };
    const path = join(dir, 'out.txt');
    const fd = openSync(path, 'w');
    const toFile = await run(fd);
    closeSync(fd);
    const toPipe = await run('pipe');
    expect(toFile.code).toBe(0);
    const written = readFileSync(path, 'utf8');
    // Every pair of the 300 pods, and the address ranges to and from each.
    expect(written.split('\n')).toHaveLength(300 * 299 + 2 * 300 + 1);
    expect(written).toBe(toPipe.piped);
  }, 120_000);
});
