// A fast reader for the plain block YAML that tools write (`kubectl get -o yaml`, Helm output,
// generated manifests): block maps and sequences of one-line scalars. It builds the plain values
// directly, without the `yaml` library's token stream and node tree, and reads a document in one
// pass over its lines. Anything it does not read exactly as the library does (comments inside
// the document, anchors, aliases, tags, flow collections other than `{}` and `[]`, folded and
// multi-line plain scalars, duplicate keys, unusual indentation, YAML escapes JSON lacks) makes
// it give up on the document, which then goes to the full parser: it never guesses. Literal
// block scalars (`|`, `|-`, `|+`) it reads: kubectl writes one into every object it applied
// (the last-applied-configuration annotation), and ConfigMaps hold files in them.
//
// This file follows the document's structure (lines, indentation, the stack of open collections);
// blockLine.ts reads the pieces of a line.
//
// Positions are not kept while reading: the same reader, asked to record, rebuilds them from the
// document's text when a diagnostic or `locate()` first needs one. Its offsets are the library's
// `range[0]` and `range[1]` for every node, which the tests check against the library itself.

import {
  closingQuote,
  GIVE_UP,
  isBlockIndicator,
  isIndicator,
  keyColon,
  lineRest,
  literalBlock,
  plainEnd,
  quoted,
} from './blockLine.ts';
import type { PathSegment } from './diagnostics.ts';
import { hasUnsupportedCharacter, readPlain, UNREADABLE } from './plainScalars.ts';
import type { Position } from './positions.ts';
import { yaml11Reading } from './yamlLint.ts';

/** A plain scalar YAML 1.1 reads unlike most tools: the field path, the message and where it is. */
export interface FastReading {
  path: PathSegment[];
  message: string;
  range: readonly [number, number];
}

/** A document the fast reader read. Offsets are relative to the document's text. */
export interface FastDocument {
  value: Record<string, unknown> | unknown[];
  /** The root collection's `range[0]` and `range[1]`. */
  range: readonly [number, number];
  readings: FastReading[];
}

interface Frame {
  seq: boolean;
  /** Column of the keys (maps) or of the `-` (sequences). */
  indent: number;
  value: Record<string, unknown> | unknown[];
  start: number;
  /** The frame's key or index in its parent. */
  segment: PathSegment | undefined;
  position: Position | undefined;
}

/** A `key:` or `-` whose value is on the lines below, or is empty. */
interface Pending {
  frame: Frame;
  segment: PathSegment;
  /** Where an empty value is: the end of the line, after trailing spaces. */
  emptyAt: number;
}

class BlockReader {
  private readonly stack: Frame[] = [];
  private pending: Pending | undefined;
  /** `range[2]` of the last node read: where the collections that end with it end. */
  private lastEnd = 0;
  private root: Frame | undefined;
  private rootEnd: number | undefined;
  /** Where reading goes on after a line whose value took the lines below it (a block scalar). */
  private resumeAt: number | undefined;
  readonly readings: FastReading[] = [];

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
    private readonly record: boolean,
  ) {}

  read(): FastDocument | undefined {
    const text = this.text;
    let started = false;
    let pos = 0;
    while (pos < text.length) {
      let eol = text.indexOf('\n', pos);
      if (eol < 0) eol = text.length;
      let c = pos;
      while (c < eol && text.charCodeAt(c) === 0x20) c++;
      if (c < eol) {
        const code = text.charCodeAt(c);
        if (code === 0x23 /* # */) {
          // Comments before the content are the document's; inside it they can move where the
          // collections around them end, which this reader does not follow.
          if (started) throw GIVE_UP;
        } else if (c === pos && (code === 0x2d || code === 0x2e || code === 0x25) && this.marker(pos, eol)) {
          // A document start line before the content; anything else is the full parser's.
          if (started) throw GIVE_UP;
        } else {
          started = true;
          this.line(pos, c, eol);
        }
      }
      pos = this.resumeAt ?? eol + 1;
      this.resumeAt = undefined;
    }
    if (!this.root) return undefined;
    this.closePending();
    while (this.stack.length > 0) this.pop();
    return { value: this.root.value, range: [this.root.start, this.rootEnd!], readings: this.readings };
  }

  /** The root's positions, when recording. */
  rootPosition(): Position | undefined {
    return this.root?.position;
  }

  /** A `---` line with nothing after it; throws on `...`, directives and `--- value`. */
  private marker(pos: number, eol: number): boolean {
    const text = this.text;
    if (text.charCodeAt(pos) !== 0x2d) throw GIVE_UP;
    if (!text.startsWith('---', pos)) return false;
    const after = pos + 3;
    if (after < eol && text.charCodeAt(after) !== 0x20) return false;
    for (let i = after; i < eol; i++) if (text.charCodeAt(i) !== 0x20) throw GIVE_UP;
    return true;
  }

  private line(lineStart: number, c: number, eol: number): void {
    const text = this.text;
    const indent = c - lineStart;
    const item = text.charCodeAt(c) === 0x2d && (c + 1 === eol || text.charCodeAt(c + 1) === 0x20);
    if (this.rootEnd !== undefined) throw GIVE_UP;
    if (!this.root) {
      this.open(item, indent, c, undefined, undefined);
    } else {
      const pending = this.pending;
      if (pending) {
        const parent = pending.frame;
        if (indent > parent.indent || (indent === parent.indent && !parent.seq && item)) {
          this.pending = undefined;
          this.open(item, indent, c, parent, pending.segment);
        } else {
          this.closePending();
        }
      }
      let top = this.top();
      while (top && top.indent > indent) top = this.pop();
      // A sequence at its parent key's column ends at the parent's next key.
      if (top?.seq && top.indent === indent && !item) top = this.pop();
      if (!top || top.indent !== indent) throw GIVE_UP;
    }
    const frame = this.top()!;
    if (frame.seq) {
      if (!item) throw GIVE_UP;
      this.item(frame, c, eol, lineStart);
    } else {
      if (item) throw GIVE_UP;
      this.pair(frame, c, eol);
    }
  }

  private top(): Frame | undefined {
    return this.stack[this.stack.length - 1];
  }

  /** Opens a collection whose first entry starts at `start`; as `parent[segment]` unless it is the root. */
  private open(
    seq: boolean,
    indent: number,
    start: number,
    parent: Frame | undefined,
    segment?: PathSegment,
  ) {
    if (this.stack.length + 5 > this.maxDepth) throw GIVE_UP;
    const value: Record<string, unknown> | unknown[] = seq ? [] : {};
    const position: Position | undefined = this.record
      ? seq
        ? { range: undefined, children: [] }
        : { range: undefined, keys: [], children: [] }
      : undefined;
    const frame: Frame = { seq, indent, value, start, segment, position };
    if (parent) this.assign(parent, segment!, value, position);
    else this.root = frame;
    this.stack.push(frame);
  }

  private pop(): Frame | undefined {
    const frame = this.stack.pop()!;
    if (frame.position) frame.position.range = [frame.start, this.lastEnd];
    if (this.stack.length === 0) this.rootEnd = this.lastEnd;
    return this.top();
  }

  private assign(frame: Frame, segment: PathSegment, value: unknown, position: Position | undefined): void {
    if (frame.seq) {
      (frame.value as unknown[]).push(value);
    } else {
      const map = frame.value as Record<string, unknown>;
      const key = segment as string;
      // The library defines keys the prototype already has (`constructor`, `__proto__`) as own properties.
      if (key in map)
        Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
      else map[key] = value;
      if (frame.position) frame.position.keys?.push(key);
    }
    if (frame.position) frame.position.children?.push(position);
  }

  /** An empty value: the library's empty scalar, at the end of its line. */
  private closePending(): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    this.assign(
      pending.frame,
      pending.segment,
      null,
      this.record ? { range: [pending.emptyAt, pending.emptyAt] } : undefined,
    );
    this.lastEnd = pending.emptyAt;
  }

  private item(frame: Frame, c: number, eol: number, lineStart: number): void {
    const text = this.text;
    const index = (frame.value as unknown[]).length;
    let v = c + 1;
    while (v < eol && text.charCodeAt(v) === 0x20) v++;
    if (v === eol) {
      this.pending = { frame, segment: index, emptyAt: eol };
      return;
    }
    const colon = keyColon(this.text, v, eol);
    if (colon >= 0) {
      this.open(false, v - lineStart, v, frame, index);
      this.pair(this.top()!, v, eol, colon);
      return;
    }
    this.value(frame, index, v, eol);
  }

  private pair(frame: Frame, c: number, eol: number, colon = keyColon(this.text, c, eol)): void {
    const text = this.text;
    if (colon < 0) throw GIVE_UP;
    let key: unknown;
    const first = text.charCodeAt(c);
    if (first === 0x22 || first === 0x27) {
      key = quoted(text, c, colon - 1);
    } else {
      if (isIndicator(first) || text.charCodeAt(colon - 1) === 0x20) throw GIVE_UP;
      if (isBlockIndicator(first) && text.charCodeAt(c + 1) === 0x20) throw GIVE_UP;
      key = readPlain(text.slice(c, colon));
    }
    // Keys that read as something else than a string (`yes`, `~`, `1.0`) are the full parser's.
    if (typeof key !== 'string' || key === '<<') throw GIVE_UP;
    if (Object.hasOwn(frame.value, key)) throw GIVE_UP;
    let v = colon + 1;
    while (v < eol && text.charCodeAt(v) === 0x20) v++;
    if (v === eol) {
      this.pending = { frame, segment: key, emptyAt: eol };
      return;
    }
    if (text.charCodeAt(v) === 0x23) throw GIVE_UP;
    this.value(frame, key, v, eol);
  }

  /** A one-line value starting at `v`, as `frame[segment]`. */
  private value(frame: Frame, segment: PathSegment, v: number, eol: number): void {
    const text = this.text;
    const first = text.charCodeAt(v);
    let value: unknown;
    let end: number;
    let position: Position | undefined;
    if (first === 0x22 || first === 0x27) {
      const close = closingQuote(text, v, eol);
      if (close < 0) throw GIVE_UP;
      value = quoted(text, v, close);
      end = close + 1;
      lineRest(text, end, eol);
    } else if (first === 0x7b || first === 0x5b) {
      // Only the empty flow collections, which generated manifests use for "match everything".
      const map = first === 0x7b;
      if (text.charCodeAt(v + 1) !== (map ? 0x7d : 0x5d)) throw GIVE_UP;
      value = map ? {} : [];
      end = v + 2;
      lineRest(text, end, eol);
      if (this.record)
        position = map ? { range: [v, end], keys: [], children: [] } : { range: [v, end], children: [] };
    } else if (first === 0x7c /* | */) {
      const block = literalBlock(text, v, eol, frame.indent);
      this.assign(frame, segment, block.value, this.record ? { range: [v, block.end] } : undefined);
      this.lastEnd = block.end;
      this.resumeAt = block.resumeAt;
      return;
    } else {
      end = plainEnd(text, v, eol);
      const source = text.slice(v, end);
      value = readPlain(source);
      if (value === UNREADABLE) throw GIVE_UP;
      if (typeof value === 'boolean' || typeof value === 'number') {
        const message = yaml11Reading(source, value);
        if (message) this.readings.push({ path: [...this.pathOf(frame), segment], message, range: [v, end] });
      }
    }
    if (this.record && !position) position = { range: [v, end] };
    this.assign(frame, segment, value, position);
    this.lastEnd = eol < text.length ? eol + 1 : eol;
  }

  private pathOf(frame: Frame): PathSegment[] {
    const path: PathSegment[] = [];
    for (const f of this.stack) {
      if (f.segment !== undefined) path.push(f.segment);
      if (f === frame) break;
    }
    return path;
  }
}

/**
 * Reads one document's text (from its `---` line, if any, to the next one) when it is plain block
 * YAML with a map or sequence at its root; undefined when the full parser must read it.
 */
export function readBlockYaml(text: string, maxDepth: number): FastDocument | undefined {
  if (hasUnsupportedCharacter(text)) return undefined;
  try {
    return new BlockReader(text, maxDepth, false).read();
  } catch (error) {
    if (error === GIVE_UP) return undefined;
    throw error;
  }
}

/** The positions of a document {@link readBlockYaml} read, rebuilt from its text. */
export function blockYamlPositions(text: string, maxDepth: number): Position | undefined {
  try {
    const reader = new BlockReader(text, maxDepth, true);
    const doc = reader.read();
    return doc && reader.rootPosition();
  } catch (error) {
    if (error === GIVE_UP) return undefined;
    throw error;
  }
}
