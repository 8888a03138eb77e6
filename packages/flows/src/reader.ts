import { calicoRecord, isCalico } from './calico.ts';
import { ConnectionTracker } from './connections.ts';
import { type CsvLayout, csvHeader, csvRecord, DEFAULT_LAYOUT, splitCsv } from './csv.ts';
import { asObject, type FieldProblem, type Parsed } from './fields.ts';
import { hubbleRecord, isHubble, type RecordBody } from './hubble.ts';
import { HubbleEndpoints } from './hubbleEndpoints.ts';
import type { FlowDiagnostic, FlowFormat, FlowRecord, SkippedRecords } from './types.ts';

/** A time this far before the latest one read is reported as clock skew (records arrive roughly in order). */
const SKEW_TOLERANCE_MS = 5 * 60 * 1000;

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** Diagnostics kept in full; past this only their count grows (a broken 1 GB file must not fill memory). */
const DEFAULT_MAX_DIAGNOSTICS = 1000;

/** What {@link FlowReader} was given, besides its sink. */
export interface FlowReaderOptions {
  /** Diagnostics kept (default 1000); the rest are counted in {@link FlowReader.diagnosticCount}. */
  maxDiagnostics?: number;
}

/**
 * Reads flow records from text given in chunks of any size (a line may be split across chunks),
 * so a file of any size is read in bounded memory with progress in between. Each line is one
 * record: Hubble JSON, Calico JSON or CSV, told apart line by line. Records go to `sink` as they
 * are read; problems become {@link FlowDiagnostic}s with their line number and the next line is
 * read: nothing in the input throws.
 */
export class FlowReader {
  /** Lines read so far (the line number of the last complete line). */
  lines = 0;
  /** Records handed to the sink. */
  records = 0;
  /** Characters consumed so far, complete lines and the pending part. */
  characters = 0;
  /** The format of the first record, which the others are expected to share. */
  format: FlowFormat | undefined;
  readonly diagnostics: FlowDiagnostic[] = [];
  /** Every diagnostic, kept or not. */
  diagnosticCount = 0;
  readonly skipped: Required<SkippedRecords> = { reply: 0, l7: 0, protocol: 0, event: 0, repeat: 0 };
  /** The earliest and latest times seen in records. */
  window: { first: number; last: number } | undefined;

  private pending = '';
  private csvLayout: CsvLayout | undefined;
  private readonly maxDiagnostics: number;
  private readonly sink: (record: FlowRecord) => void;
  private readonly connections = new ConnectionTracker();
  private readonly hubbleEndpoints = new HubbleEndpoints();

  constructor(sink: (record: FlowRecord) => void, options: FlowReaderOptions = {}) {
    this.sink = sink;
    this.maxDiagnostics = options.maxDiagnostics ?? DEFAULT_MAX_DIAGNOSTICS;
  }

  /** Reads the complete lines of `chunk` (with what was pending); keeps a trailing partial line. */
  push(chunk: string): void {
    this.characters += chunk.length;
    let start = 0;
    if (this.pending !== '') {
      // Only the line split between two chunks is joined: joining whole chunks would copy each one.
      const end = chunk.indexOf('\n');
      if (end < 0) {
        this.pending += chunk;
        return;
      }
      const line = this.pending + chunk.slice(0, end);
      this.pending = '';
      this.readLine(line, 0, line.length);
      start = end + 1;
    }
    for (let end = chunk.indexOf('\n', start); end >= 0; end = chunk.indexOf('\n', start)) {
      this.readLine(chunk, start, end);
      start = end + 1;
    }
    this.pending = chunk.slice(start);
  }

  /** Reads the last line when the input does not end with a newline. */
  end(): void {
    if (this.pending !== '') this.readLine(this.pending, 0, this.pending.length);
    this.pending = '';
  }

  private readLine(text: string, start: number, end: number): void {
    this.lines++;
    // A line that starts with `{` and ends with `}` has nothing to trim (nearly every JSON line).
    let line =
      text.charCodeAt(start) === OPEN_BRACE && text.charCodeAt(end - 1) === CLOSE_BRACE
        ? text.slice(start, end)
        : text.slice(start, end).trim();
    if (line === '' || line === '[' || line === ']' || line.startsWith('#')) return;
    if (line.endsWith(',') && line.startsWith('{')) line = line.slice(0, -1);
    if (line.startsWith('{')) this.readJson(line);
    else this.readCsv(line);
  }

  private readJson(line: string): void {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.report({
        code: 'invalid-json',
        severity: 'error',
        message: `not valid JSON${line.endsWith('}') ? '' : ' (the line looks cut short)'}: ${preview(line)}`,
      });
      return;
    }
    const object = asObject(value)!;
    if (isHubble(object)) this.accept('hubble', hubbleRecord(object, this.hubbleEndpoints));
    else if (isCalico(object)) this.accept('calico', calicoRecord(object));
    else {
      this.report({
        code: 'unknown-format',
        severity: 'error',
        message: `a JSON object with no Hubble flow fields (l4, IP, source, destination) and no Calico flow fields (source_name, dest_port): ${preview(line)}`,
      });
    }
  }

  private readCsv(line: string): void {
    const cells = splitCsv(line);
    if (cells.length < 2) {
      this.report({
        code: 'unknown-format',
        severity: 'error',
        message: `neither JSON nor CSV (src,dst,protocol,port,count,last_seen): ${preview(line)}`,
      });
      return;
    }
    if (this.csvLayout === undefined) {
      const header = csvHeader(cells);
      this.csvLayout = header?.layout ?? DEFAULT_LAYOUT;
      if (header) {
        for (const name of header.unknown) {
          this.report({
            code: 'unknown-column',
            severity: 'warning',
            field: name,
            message: `unknown column "${name}" is ignored; the columns are src, dst, protocol, port, count, last_seen (and first_seen, verdict)`,
          });
        }
        return;
      }
    }
    const layout = this.csvLayout;
    if (cells.length !== layout.width) {
      this.report({
        code: 'column-count',
        severity: 'error',
        message: `${cells.length} cells where the header has ${layout.width}: ${preview(line)}`,
      });
      return;
    }
    const result = csvRecord(cells, layout);
    if (result === 'skip') this.accept('csv', { kind: 'skip', reason: 'protocol' });
    else if ('code' in result) this.accept('csv', { kind: 'problem', problem: result });
    else this.accept('csv', { kind: 'record', value: result });
  }

  private accept(format: FlowFormat, parsed: Parsed<RecordBody>): void {
    if (parsed.kind === 'skip') {
      this.skipped[parsed.reason]++;
      return;
    }
    if (parsed.kind === 'problem') {
      this.reportProblem(parsed.problem);
      return;
    }
    const value = parsed.value;
    let duplicate = value.duplicate;
    if (parsed.connection !== undefined) {
      const seen = this.connections.observe(parsed.connection, value.firstSeen, value.verdict === 'dropped');
      if (seen === 'repeat') {
        this.skipped.repeat++;
        return;
      }
      if (seen === 'verdict') duplicate = true;
    }
    if (this.format === undefined) this.format = format;
    else if (format !== this.format) {
      this.report({
        code: 'mixed-formats',
        severity: 'warning',
        message: `a ${format} record in a ${this.format} file (read all the same)`,
      });
    }
    // Field by field, not spread: a million records go through here.
    const record: FlowRecord = {
      line: this.lines,
      format,
      src: value.src,
      dst: value.dst,
      protocol: value.protocol,
      port: value.port,
      verdict: value.verdict,
      count: value.count,
    };
    if (value.firstSeen !== undefined) record.firstSeen = value.firstSeen;
    if (value.lastSeen !== undefined) record.lastSeen = value.lastSeen;
    if (duplicate !== undefined) record.duplicate = duplicate;
    this.checkTime(record);
    this.records++;
    this.sink(record);
  }

  private checkTime(record: FlowRecord): void {
    const { firstSeen, lastSeen } = record;
    if (firstSeen === undefined || lastSeen === undefined) return;
    if (lastSeen < firstSeen) {
      this.report({
        code: 'clock-skew',
        severity: 'warning',
        message: `ends (${iso(lastSeen)}) before it starts (${iso(firstSeen)})`,
      });
    }
    if (this.window === undefined) {
      this.window = { first: firstSeen, last: lastSeen };
      return;
    }
    if (firstSeen < this.window.last - SKEW_TOLERANCE_MS) {
      this.report({
        code: 'clock-skew',
        severity: 'warning',
        message: `time ${iso(firstSeen)} is ${Math.round((this.window.last - firstSeen) / 1000)} s before the latest time already read (${iso(this.window.last)}): a clock out of step? (read all the same)`,
      });
    }
    this.window.first = Math.min(this.window.first, firstSeen);
    this.window.last = Math.max(this.window.last, lastSeen);
  }

  private reportProblem(problem: FieldProblem): void {
    this.report({ code: problem.code, severity: 'error', field: problem.field, message: problem.message });
  }

  private report(diagnostic: Omit<FlowDiagnostic, 'line'>): void {
    this.diagnosticCount++;
    if (this.diagnostics.length < this.maxDiagnostics)
      this.diagnostics.push({ line: this.lines, ...diagnostic });
  }
}

function preview(line: string): string {
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
