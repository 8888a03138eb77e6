// A fast reader for documents that are JSON (`kubectl get -o json`, live snapshots, files written
// by tools): `JSON.parse` builds the value, and a scan of the text checks beforehand that YAML 1.1
// reads it the same way. Numbers other than plain integers (YAML 1.1 reads `1e5` as a string and
// `1.0` as a float), keys given twice (they are warned about), keys the `yaml` library refuses
// (longer than 1,024 characters, broken over lines) and documents nested near the depth limit go
// to the full parser. Positions come from the same scan, run again with recording on when a
// diagnostic or `locate()` first needs one.
import type { FastDocument } from './fastYaml.ts';
import { hasUnsupportedCharacter } from './plainScalars.ts';
import type { Position } from './positions.ts';

/** Integers `Number` keeps exactly and YAML 1.1 reads as the same decimal integer. */
const PLAIN_INTEGER = /^(?:0|-?[1-9][0-9]{0,14})$/;

const LONGEST_KEY = 1000;

/** Signals that the document is not for the fast reader. */
class GiveUp {}
const GIVE_UP = new GiveUp();

/** Where the JSON value starts: after an optional bare `---` line and blank space; -1 if it is not `{` or `[`. */
function jsonStart(text: string): number {
  let i = 0;
  if (text.startsWith('---')) {
    i = 3;
    while (text.charCodeAt(i) === 0x20) i++;
    if (i < text.length && text.charCodeAt(i) !== 0x0a) return -1;
  }
  while (i < text.length && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x0a)) i++;
  const code = text.charCodeAt(i);
  return code === 0x7b || code === 0x5b ? i : -1;
}

/**
 * Reads one document's text (from its `---` line, if any, to the next one) when it is JSON that
 * YAML 1.1 reads the same way; undefined when the full parser must read it.
 */
export function readJson(text: string, maxDepth: number): FastDocument | undefined {
  const start = jsonStart(text);
  if (start < 0 || hasUnsupportedCharacter(text)) return undefined;
  let scan: Scan;
  let value: unknown;
  try {
    scan = new JsonScan(text, start, maxDepth, false).run();
    value = JSON.parse(start === 0 ? text : text.slice(start));
  } catch (error) {
    if (error === GIVE_UP || error instanceof SyntaxError) return undefined;
    throw error;
  }
  // A key given twice leaves fewer own keys than the text has: the full parser warns about it.
  if (countKeys(value) !== scan.keys) return undefined;
  return { value: value as FastDocument['value'], range: [start, scan.end], readings: [] };
}

/** The positions of a document {@link readJson} read, rebuilt from its text. */
export function jsonPositions(text: string, maxDepth: number): Position | undefined {
  const start = jsonStart(text);
  if (start < 0) return undefined;
  try {
    return new JsonScan(text, start, maxDepth, true).run().root;
  } catch (error) {
    if (error === GIVE_UP) return undefined;
    throw error;
  }
}

function countKeys(root: unknown): number {
  let count = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value) if (typeof item === 'object' && item !== null) stack.push(item);
    } else {
      for (const key in value) {
        count++;
        const item = (value as Record<string, unknown>)[key];
        if (typeof item === 'object' && item !== null) stack.push(item);
      }
    }
  }
  return count;
}

interface Scan {
  keys: number;
  /** Offset after the root's closing bracket. */
  end: number;
  root: Position | undefined;
}

interface Open {
  /** Offset of the opening bracket. */
  start: number;
  position: Position | undefined;
  object: boolean;
  /** In an object: whether the next string is a key. */
  expectKey: boolean;
  key: string | undefined;
}

class JsonScan {
  private readonly stack: Open[] = [];
  private keys = 0;
  private root: Position | undefined;

  constructor(
    private readonly text: string,
    private readonly start: number,
    private readonly maxDepth: number,
    private readonly record: boolean,
  ) {}

  run(): Scan {
    const text = this.text;
    let i = this.start;
    while (i < text.length) {
      const code = text.charCodeAt(i);
      if (code === 0x7b || code === 0x5b) {
        const object = code === 0x7b;
        if (this.stack.length + 5 > this.maxDepth) throw GIVE_UP;
        const position: Position | undefined = this.record
          ? object
            ? { range: undefined, keys: [], children: [] }
            : { range: undefined, children: [] }
          : undefined;
        this.attach(position);
        this.stack.push({ start: i, position, object, expectKey: object, key: undefined });
        i++;
      } else if (code === 0x7d || code === 0x5d) {
        const open = this.stack.pop();
        if (!open) throw GIVE_UP;
        if (open.position) open.position.range = [open.start, i + 1];
        i++;
        if (this.stack.length === 0) return { keys: this.keys, end: i, root: this.root };
      } else if (code === 0x22) {
        i = this.string(i);
      } else if (code === 0x2c) {
        const top = this.stack[this.stack.length - 1];
        if (top?.object) top.expectKey = true;
        i++;
      } else if (code === 0x20 || code === 0x0a || code === 0x3a) {
        i++;
      } else {
        let end = i + 1;
        while (end < text.length && !DELIMITER.has(text.charCodeAt(end))) end++;
        const token = text.slice(i, end);
        if (token !== 'true' && token !== 'false' && token !== 'null' && !PLAIN_INTEGER.test(token))
          throw GIVE_UP;
        this.attach(this.record ? { range: [i, end] } : undefined);
        i = end;
      }
    }
    throw GIVE_UP;
  }

  private string(open: number): number {
    const text = this.text;
    let close = text.indexOf('"', open + 1);
    for (;;) {
      if (close < 0) throw GIVE_UP;
      let backslashes = 0;
      while (text.charCodeAt(close - 1 - backslashes) === 0x5c) backslashes++;
      if (backslashes % 2 === 0) break;
      close = text.indexOf('"', close + 1);
    }
    const top = this.stack[this.stack.length - 1];
    if (top?.object && top.expectKey) {
      top.expectKey = false;
      this.keys++;
      if (close - open > LONGEST_KEY) throw GIVE_UP;
      // The `:` must follow on the same line: YAML keys are one line long.
      let after = close + 1;
      while (text.charCodeAt(after) === 0x20) after++;
      if (text.charCodeAt(after) !== 0x3a) throw GIVE_UP;
      if (this.record) top.key = JSON.parse(text.slice(open, close + 1)) as string;
    } else {
      this.attach(this.record ? { range: [open, close + 1] } : undefined);
    }
    return close + 1;
  }

  /** Adds a value to the collection it is in (or makes it the root). */
  private attach(position: Position | undefined): void {
    const top = this.stack[this.stack.length - 1];
    if (!top) {
      this.root = position;
      return;
    }
    if (!top.position) return;
    if (top.object) top.position.keys!.push(top.key!);
    top.position.children!.push(position);
  }
}

const DELIMITER = new Set([0x20, 0x0a, 0x2c, 0x3a, 0x5d, 0x7d, 0x7b, 0x5b, 0x22]);
