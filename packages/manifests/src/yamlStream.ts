/**
 * A YAML stream cut into documents the way kubectl cuts it: at every `---` line, before any
 * YAML parsing. Each piece is then parsed on its own, so a syntax error, an over-deep document or
 * a byte-order mark in one document cannot take the documents after it down with it.
 */

/** A piece of a stream that starts at a document start line (or at the start of the stream). */
export interface StreamSegment {
  /** Offset in the file of the segment's first character. */
  start: number;
  /** The segment's text as the parser reads it: the file's, without the byte-order marks removed. */
  text: string;
  /** Offsets in `text` before which one byte-order mark was removed, ascending. */
  removedMarks: number[];
  /** False when a document start line follows the segment in the file. */
  last: boolean;
}

const BOM = '\uFEFF';
const COMMENT_OR_BLANK_LINE = /^[ \t\r]*(?:#[^\n]*)?$/;

/** `---` at column 0 followed by a space, a tab, a line break or the end, as the `yaml` lexer reads it. */
export function isDocumentStart(text: string, pos: number): boolean {
  if (!text.startsWith('---', pos)) return false;
  const after = text[pos + 3];
  return after === undefined || after === ' ' || after === '\t' || after === '\n' || after === '\r';
}

/**
 * Cuts `text` before every document start line. A byte-order mark at the start of a later
 * document (on its start line, or first on the line after it, where files joined with `cat`
 * leave them) is removed, as kubectl's reader does: each document it splits off is decoded on
 * its own, and a decoder skips a mark at the start of its input. A mark at the start of the file
 * is the parser's to skip. Leading comment lines belong to the first document; directive lines
 * (`%YAML`) just before a start line belong to the document they introduce.
 */
export function splitStream(text: string): StreamSegment[] {
  const cuts: number[] = [0];
  /** Where the run of directive, comment and blank lines just seen began, if it has a directive. */
  let directivesFrom: number | undefined;
  let runFrom: number | undefined;
  let pos = 0;
  while (pos < text.length) {
    const lineEnd = text.indexOf('\n', pos);
    const end = lineEnd === -1 ? text.length : lineEnd;
    const start = text[pos] === BOM && pos > 0 ? pos + 1 : pos;
    if (pos > 0 && isDocumentStart(text, start)) {
      cuts.push(directivesFrom ?? pos);
      directivesFrom = undefined;
      runFrom = undefined;
    } else if (text[pos] === '%') {
      runFrom ??= pos;
      directivesFrom ??= runFrom;
    } else if (isCommentOrBlank(text, pos, end)) {
      runFrom ??= pos;
    } else {
      runFrom = undefined;
      directivesFrom = undefined;
    }
    if (lineEnd === -1) break;
    pos = lineEnd + 1;
  }
  // A run of directives at the very start cuts nothing.
  const starts = [...new Set(cuts)].sort((a, b) => a - b);
  if (starts.length > 1 && isCommentsOnly(text.slice(0, starts[1]))) starts.splice(1, 1);
  return starts.map((start, i) => {
    const end = starts[i + 1] ?? text.length;
    return { start, ...withoutMarks(text.slice(start, end), start > 0), last: i === starts.length - 1 };
  });
}

/** {@link COMMENT_OR_BLANK_LINE} for the line from `pos` to `end`, without copying it out. */
function isCommentOrBlank(text: string, pos: number, end: number): boolean {
  let i = pos;
  for (; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code !== 0x20 && code !== 0x09 && code !== 0x0d) break;
  }
  return i === end || text.charCodeAt(i) === 0x23;
}

function isCommentsOnly(text: string): boolean {
  return text.split('\n').every((line) => COMMENT_OR_BLANK_LINE.test(line));
}

/** Removes a byte-order mark before the segment's start line and one first on the next line. */
function withoutMarks(segment: string, later: boolean): { text: string; removedMarks: number[] } {
  const removedMarks: number[] = [];
  let text = segment;
  if (later && text.startsWith(BOM)) {
    text = text.slice(1);
    removedMarks.push(0);
  }
  if (!isDocumentStart(text, 0)) return { text, removedMarks };
  const next = text.indexOf('\n') + 1;
  if (next > 0 && text[next] === BOM) {
    text = text.slice(0, next) + text.slice(next + 1);
    removedMarks.push(next);
  }
  return { text, removedMarks };
}

/** The file offset of offset `local` of a segment's parsed text. */
export function fileOffset(segment: StreamSegment, local: number): number {
  let offset = segment.start + local;
  for (const mark of segment.removedMarks) if (mark <= local) offset++;
  return offset;
}

/** 1-based lines and columns of file offsets. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }
}
