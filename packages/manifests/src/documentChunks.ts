// How ManifestCache (incremental.ts) cuts a file's YAML stream into chunks of whole documents,
// each of which reads alone as it does inside the file, and how a chunk is read: whether it is
// decoded as followed by another document.

/** A piece of a file's text, the 1-based line it starts on and its offset in the file. */
export interface ChunkText {
  text: string;
  line: number;
  start: number;
}

/**
 * Cuts a YAML stream before every line that starts a document: `---` at column 0 followed by a
 * space, a tab, a line break or the end, as the `yaml` lexer reads it. YAML forbids such a line
 * inside flow collections and quoted scalars (the lexer ends them there with an error, which the
 * chunk before it reports too) and it ends block and plain scalars, so each chunk, read with a
 * start line after it, reads as it does in the file. Leading comments and blank lines belong to
 * the first document, as in the whole file. Returns undefined for streams with directives (`%YAML`,
 * `%TAG`): they apply to the documents that follow them, which a chunk read alone would not see.
 */
export function splitAtDocumentStarts(text: string): ChunkText[] | undefined {
  const chunks: ChunkText[] = [];
  let start = 0;
  let startLine = 1;
  let line = 1;
  let pos = 0;
  while (pos < text.length) {
    const first = text[pos];
    if (first === '%' || (first === '\uFEFF' && text[pos + 1] === '%')) return undefined;
    if (pos > start && isDocumentStart(text, pos)) {
      chunks.push({ text: text.slice(start, pos), line: startLine, start });
      start = pos;
      startLine = line;
    }
    const end = text.indexOf('\n', pos);
    if (end === -1) break;
    pos = end + 1;
    line++;
  }
  chunks.push({ text: text.slice(start), line: startLine, start });
  const [leading, next] = chunks;
  if (leading && next && !isDocumentStart(leading.text, 0) && isCommentsOnly(leading.text)) {
    chunks.splice(0, 2, { text: leading.text + next.text, line: 1, start: 0 });
  }
  return chunks;
}

function isDocumentStart(text: string, pos: number): boolean {
  if (!text.startsWith('---', pos)) return false;
  const after = text[pos + 3];
  return after === undefined || after === ' ' || after === '\t' || after === '\n' || after === '\r';
}

/** What follows a chunk in its file as far as the parser needs to know. */
export const FOLLOWING_DOCUMENT = '---\n';

const COMMENT_OR_BLANK_LINE = /^[ \t\r]*(?:#[^\n]*)?$/;

function isCommentsOnly(text: string): boolean {
  return text.split('\n').every((line) => COMMENT_OR_BLANK_LINE.test(line));
}

/**
 * Whether a chunk is decoded with a document start after it, as it is in the file when another
 * chunk follows. The end of the stream is not the same to the `yaml` parser: trailing blank or
 * comment lines can then join an empty value at the end of the document (moving the end of its
 * range), and whitespace there that would be an error before a `---` is not. After a last line
 * with content both read the same, so such a chunk is decoded alone, wherever it is: that serves
 * either place and spares a copy of its text.
 */
export function decodesAsFollowed(text: string, last: boolean): boolean {
  if (!text.endsWith('\n')) return false;
  const lastLine = text.slice(text.lastIndexOf('\n', text.length - 2) + 1, -1);
  const content = !COMMENT_OR_BLANK_LINE.test(lastLine) && !MARKER_LINE.test(lastLine);
  return !content && !last;
}

const MARKER_LINE = /^(?:---|\.\.\.)(?:[ \t\r]|$)/;
