import { isAscii } from 'node:buffer';
import { createReadStream, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import {
  type FlowDiagnostic,
  type FlowFormat,
  FlowReader,
  type FlowRecord,
  type SkippedRecords,
} from '@netpol-atlas/flows';
import { optionValue, type ParsedArgs } from '../args.ts';
import { InputError } from '../inputs.ts';
import type { CliIO } from '../io.ts';

/** What reading a flow file found, besides the records themselves. */
export interface FlowInput {
  path: string;
  format: FlowFormat | undefined;
  lines: number;
  records: number;
  window: { first: number; last: number } | undefined;
  skipped: SkippedRecords;
  diagnostics: readonly FlowDiagnostic[];
  diagnosticCount: number;
}

/** Files at least this large show progress on stderr while they are read. */
const PROGRESS_MIN_BYTES = 32 * 1024 * 1024;
const PROGRESS_EVERY_MS = 500;
/** Large reads: fewer, bigger chunks cost less per byte. */
const CHUNK_BYTES = 1024 * 1024;

/** The `--flows FILE` option, or undefined. */
export function flowsOption(args: ParsedArgs): string | undefined {
  return optionValue(args, 'flows');
}

/**
 * Streams a flow file (or stdin for `-`) through a {@link FlowReader}, handing each record to
 * `sink`, so a file of any size is read in bounded memory. Large files show their progress on
 * stderr. The reader's diagnostics are printed as `FILE:LINE: severity: message`; they never stop
 * the read.
 */
export async function readFlowFile(
  io: CliIO,
  path: string,
  sink: (record: FlowRecord) => void,
  options: { quiet: boolean },
): Promise<FlowInput> {
  const reader = new FlowReader(sink);
  if (path === '-') {
    reader.push(await io.readStdin());
  } else {
    if (io.stat(path) !== 'file') throw new InputError(`the flow file ${path} does not exist`);
    const size = statSync(path).size;
    const progress = size >= PROGRESS_MIN_BYTES ? new Progress(io, size) : undefined;
    let bytes = 0;
    const decoder = new AsciiFirstDecoder();
    for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES })) {
      reader.push(decoder.write(chunk as Buffer));
      bytes += (chunk as Buffer).length;
      progress?.update(bytes, reader.records);
    }
    reader.push(decoder.end());
    progress?.done(reader.records);
  }
  reader.end();
  for (const d of reader.diagnostics) {
    if (d.severity === 'warning' && options.quiet) continue;
    io.stderr(`${path}:${d.line}: ${d.severity}: ${d.message} [${d.code}]\n`);
  }
  if (reader.diagnosticCount > reader.diagnostics.length) {
    io.stderr(`${path}: ${reader.diagnosticCount - reader.diagnostics.length} more problem(s) not shown\n`);
  }
  return {
    path,
    format: reader.format,
    lines: reader.lines,
    records: reader.records,
    window: reader.window,
    skipped: reader.skipped,
    diagnostics: reader.diagnostics,
    diagnosticCount: reader.diagnosticCount,
  };
}

/**
 * UTF-8 decoding that copies ASCII chunks as they are (flow files are nearly always ASCII, and
 * decoding UTF-8 cost more than copying bytes). A chunk with other bytes, and the chunk after it
 * (which may complete a character split between the two), go through a UTF-8 decoder.
 */
class AsciiFirstDecoder {
  private readonly utf8 = new StringDecoder('utf8');
  /** The decoder may hold the first bytes of a character. */
  private pending = false;

  write(chunk: Buffer): string {
    const ascii = isAscii(chunk);
    if (ascii && !this.pending) return chunk.toString('latin1');
    this.pending = !ascii;
    return this.utf8.write(chunk);
  }

  end(): string {
    return this.utf8.end();
  }
}

/** A progress line on stderr, rewritten in place at most twice a second. */
class Progress {
  private last = 0;
  constructor(
    private readonly io: CliIO,
    private readonly size: number,
  ) {}

  update(bytes: number, records: number): void {
    const now = Date.now();
    if (now - this.last < PROGRESS_EVERY_MS) return;
    this.last = now;
    const percent = Math.min(100, Math.floor((bytes / this.size) * 100));
    this.io.stderr(`\rreading flows: ${percent}% (${mb(bytes)} of ${mb(this.size)} MB, ${records} records)`);
  }

  done(records: number): void {
    this.io.stderr(`\rreading flows: 100% (${mb(this.size)} MB, ${records} records)\n`);
  }
}

function mb(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(0);
}
