import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliIO } from './io.ts';

/** The real file system, with stdout/stderr routed to the given sinks. */
export function nodeIO(out: { stdout(text: string): void; stderr(text: string): void }): CliIO {
  return {
    stdout: (text) => out.stdout(text),
    stderr: (text) => out.stderr(text),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    stat: (path) => {
      try {
        const s = statSync(path);
        return s.isDirectory() ? 'directory' : s.isFile() ? 'file' : undefined;
      } catch {
        return undefined;
      }
    },
    readFile: (path) => readFileSync(path, 'utf8'),
    readDir: (path) => readdirSync(path),
    writeFile: (path, text) => writeFileSync(path, text),
    makeDir: (path) => {
      mkdirSync(path, { recursive: true });
    },
    join,
  };
}

/** In-process IO over the real file system that captures stdout, stderr and written files. */
export interface CapturedIO extends CliIO {
  out: string;
  err: string;
  files: Map<string, string>;
  /** Directories the command created (captured, not created). */
  dirs: Set<string>;
}

/**
 * Runs the CLI in-process, capturing what it prints and writes.
 *
 * @internal For tests (the CLI's own and the conformance suite), which is why it sits beside
 * {@link nodeIO} rather than in a test file.
 */
export function captureIO(stdin = ''): CapturedIO {
  const io: CapturedIO = {
    ...nodeIO({
      stdout: (t) => {
        io.out += t;
      },
      stderr: (t) => {
        io.err += t;
      },
    }),
    out: '',
    err: '',
    files: new Map(),
    dirs: new Set(),
    readStdin: async () => stdin,
    writeFile: (path, text) => {
      io.files.set(path, text);
    },
    makeDir: (path) => {
      io.dirs.add(path);
    },
  };
  return io;
}
