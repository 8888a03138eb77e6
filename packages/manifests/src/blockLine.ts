// The pieces of one line of plain block YAML that the fast reader (fastYaml.ts) reads: where a
// key ends, quoted and plain scalars, the rest of a line, and literal block scalars. Plain
// functions over the document's text and offsets; anything they do not read exactly as the
// `yaml` library does throws GIVE_UP, and the document goes to the full parser.
import { readDoubleQuoted, UNREADABLE } from './plainScalars.ts';

/** Signals that the document is not for the fast reader. */
class GiveUp {}
export const GIVE_UP = new GiveUp();

/** Characters that cannot start a plain scalar here, or start something else, by character code. */
const INDICATOR = new Uint8Array(128);
for (const c of '&*!|>%@`]},#\'"[{') INDICATOR[c.charCodeAt(0)] = 1;

export function isIndicator(code: number): boolean {
  return code < 128 && INDICATOR[code] === 1;
}

/** `-`, `?` and `:`, which start a sequence entry, a key or a value when a space follows. */
export function isBlockIndicator(code: number): boolean {
  return code === 0x2d || code === 0x3f || code === 0x3a;
}

/**
 * The `:` that ends the key starting at `c`, or -1 when the line holds no key: a plain key ends
 * at the first `: ` (or `:` at the end of the line) before a comment, a quoted key right after
 * its closing quote.
 */
export function keyColon(text: string, c: number, eol: number): number {
  const first = text.charCodeAt(c);
  if (first === 0x22 || first === 0x27) {
    const close = closingQuote(text, c, eol);
    if (close < 0) throw GIVE_UP;
    const next = close + 1;
    if (text.charCodeAt(next) !== 0x3a) return -1;
    return next + 1 === eol || text.charCodeAt(next + 1) === 0x20 ? next : -1;
  }
  for (let i = c; i < eol; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x3a) {
      if (i + 1 === eol || text.charCodeAt(i + 1) === 0x20) return i;
    } else if (code === 0x23 && i > c && text.charCodeAt(i - 1) === 0x20) {
      return -1;
    }
  }
  return -1;
}

/** The offset of the quote closing the quoted scalar at `start` on its line, or -1. */
export function closingQuote(text: string, start: number, eol: number): number {
  const quote = text.charCodeAt(start);
  for (let i = start + 1; i < eol; i++) {
    const code = text.charCodeAt(i);
    if (quote === 0x22 && code === 0x5c) i++;
    else if (code === quote) {
      if (quote === 0x27 && text.charCodeAt(i + 1) === 0x27) i++;
      else return i;
    }
  }
  return -1;
}

/** The value of the quoted scalar from `start` to its closing quote at `close`. */
export function quoted(text: string, start: number, close: number): string {
  if (text.charCodeAt(start) === 0x27) return text.slice(start + 1, close).replaceAll("''", "'");
  const value = readDoubleQuoted(text.slice(start, close + 1));
  if (value === UNREADABLE) throw GIVE_UP;
  return value as string;
}

/**
 * The end of the one-line plain scalar starting at `v`: its last character that is not a space
 * before a comment or the line's end.
 */
export function plainEnd(text: string, v: number, eol: number): number {
  const first = text.charCodeAt(v);
  if (isIndicator(first)) throw GIVE_UP;
  if (isBlockIndicator(first) && (v + 1 === eol || text.charCodeAt(v + 1) === 0x20)) throw GIVE_UP;
  let end = v + 1;
  for (let i = v + 1; i < eol; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x20) {
      if (text.charCodeAt(i + 1) === 0x23) break;
    } else {
      // `a: b: c` is a nested map on one line, an error the library reports.
      if (code === 0x3a && (i + 1 === eol || text.charCodeAt(i + 1) === 0x20)) throw GIVE_UP;
      end = i + 1;
    }
  }
  return end;
}

/** After a quoted or flow value, only spaces and a comment may end the line. */
export function lineRest(text: string, from: number, eol: number): void {
  let i = from;
  while (i < eol && text.charCodeAt(i) === 0x20) i++;
  if (i < eol && (text.charCodeAt(i) !== 0x23 || i === from)) throw GIVE_UP;
}

/** A literal block scalar read: its value, where its range ends, where reading goes on. */
export interface LiteralBlock {
  value: string;
  end: number;
  resumeAt: number;
}

/**
 * A literal block scalar whose header `|`, `|-` or `|+` at `v` is alone on its line (ending at
 * `eol`), in a collection at column `parentIndent`. Its lines are those below indented past that
 * column; the first one with text sets the indentation the others lose. An explicit indentation
 * indicator, a comment after the header, a blank line with more spaces than that indentation, or
 * no text at all: the full parser's. The range ends after the last line with text, or after the
 * trailing blank lines when they are kept (`|+`), as the library's does.
 */
export function literalBlock(text: string, v: number, eol: number, parentIndent: number): LiteralBlock {
  let h = v + 1;
  const chomp = text.charCodeAt(h);
  const keep = chomp === 0x2b; /* + */
  const strip = chomp === 0x2d; /* - */
  if (keep || strip) h++;
  for (; h < eol; h++) if (text.charCodeAt(h) !== 0x20) throw GIVE_UP;
  let indent = -1;
  let leadingSpaces = 0;
  let value = '';
  let blanks = 0;
  let contentEnd = -1;
  let pos = eol + 1;
  while (pos < text.length) {
    let lineEnd = text.indexOf('\n', pos);
    if (lineEnd < 0) lineEnd = text.length;
    let c = pos;
    while (c < lineEnd && text.charCodeAt(c) === 0x20) c++;
    const spaces = c - pos;
    if (c === lineEnd) {
      if (indent < 0) leadingSpaces = Math.max(leadingSpaces, spaces);
      else if (spaces > indent) throw GIVE_UP;
      blanks++;
    } else {
      if (indent < 0) {
        if (spaces <= parentIndent || leadingSpaces > spaces) throw GIVE_UP;
        indent = spaces;
      } else if (spaces < indent) {
        break;
      }
      if (contentEnd >= 0) value += '\n';
      value += '\n'.repeat(blanks) + text.slice(pos + indent, lineEnd);
      blanks = 0;
      contentEnd = lineEnd < text.length ? lineEnd + 1 : lineEnd;
    }
    pos = lineEnd + 1;
  }
  if (contentEnd < 0) throw GIVE_UP;
  const blockEnd = Math.min(pos, text.length);
  // `|+` keeps the trailing line breaks, and then its range covers the blank lines too.
  if (keep && blanks > 0 && blockEnd === text.length && text.charCodeAt(text.length - 1) !== 0x0a)
    throw GIVE_UP;
  const end = keep ? (blanks > 0 ? blockEnd : contentEnd) : contentEnd;
  if (!strip) value += '\n';
  if (keep) value += '\n'.repeat(blanks);
  return { value, end, resumeAt: pos };
}
