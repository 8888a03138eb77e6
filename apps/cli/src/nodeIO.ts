import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { isatty } from 'node:tty';
import type { CliIO } from './io.ts';

/** The real file system, with stdout/stderr routed to the given sinks. */
export function nodeIO(out: {
  stdout(text: string): void | Promise<void>;
  stderr(text: string): void;
}): CliIO {
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
    createFile: (path) => {
      const fd = openSync(path, 'w');
      return {
        write: (text) => {
          writeSync(fd, text);
        },
        close: () => closeSync(fd),
      };
    },
    makeDir: (path) => {
      mkdirSync(path, { recursive: true });
    },
    join,
  };
}

/**
 * The program's own IO: the real file system, and process.stdout written with backpressure (a
 * write into a full stream returns a promise of its 'drain'). `netpol list | head`: once the
 * reader has gone it wants no more, so a closed pipe (EPIPE) ends the program quietly with exit
 * code 0, as Unix tools do, rather than with a stack trace; any other failure to write ends it
 * with a plain message and code 74 (an I/O error).
 */
export function processIO(): CliIO {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    process.stderr.write(`netpol: cannot write the output: ${error.message}\n`);
    process.exit(74);
  });
  return nodeIO({
    stdout: stdoutIsFile()
      ? (text) => {
          writeSync(1, text);
        }
      : (text) =>
          process.stdout.write(text)
            ? undefined
            : new Promise((resolve) => process.stdout.once('drain', () => resolve())),
    stderr: (text) => process.stderr.write(text),
  });
}

/**
 * Whether standard output is a file or a device other than a terminal (`> out.txt`,
 * `> /dev/null`), which Node writes synchronously. Its stream would turn each piece into a new
 * Buffer first: hundreds of megabytes of them for a large list, each counted as memory in use
 * until V8 collects the whole heap, which it then did again and again. A string written to the
 * descriptor directly makes none.
 */
function stdoutIsFile(): boolean {
  try {
    const stat = fstatSync(1);
    return stat.isFile() || (stat.isCharacterDevice() && !isatty(1));
  } catch {
    return false;
  }
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
    createFile: (path) => {
      io.files.set(path, '');
      return {
        write: (text) => {
          io.files.set(path, (io.files.get(path) ?? '') + text);
        },
        close: () => {},
      };
    },
    makeDir: (path) => {
      io.dirs.add(path);
    },
  };
  return io;
}
