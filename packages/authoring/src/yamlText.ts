import { CST, Parser, parse } from 'yaml';

/** A piece of a YAML stream: a document, or what lies between documents (comments, `...`, directives). */
export interface StreamSegment {
  type: 'document' | 'other';
  text: string;
}

/**
 * Splits a YAML stream into segments whose concatenation is the text itself, byte for byte. The
 * n-th `document` segment is the n-th document `parseAllDocuments` (and so `manifests`) reads, so
 * an object's `source.document` addresses it.
 */
export function splitStream(text: string): StreamSegment[] {
  const segments: StreamSegment[] = [];
  for (const token of new Parser().parse(text)) {
    const piece = CST.stringify(token);
    const type = token.type === 'document' ? 'document' : 'other';
    const last = segments.at(-1);
    if (type === 'other' && last?.type === 'other') last.text += piece;
    else segments.push({ type, text: piece });
  }
  return segments;
}

/** Index in `segments` of the n-th document, or -1. */
export function documentSegment(segments: readonly StreamSegment[], document: number): number {
  let seen = -1;
  for (let i = 0; i < segments.length; i++) {
    if (segments[i]!.type === 'document' && ++seen === document) return i;
  }
  return -1;
}

/**
 * Appends a document to a stream. The stream's existing text is kept as it is; a `---` separator
 * is added only when there is a document before it (an empty trailing `---` is reused).
 */
export function appendDocument(text: string, documentText: string): string {
  const segments = splitStream(text);
  const documents = segments.filter((s) => s.type === 'document');
  let out = text;
  if (out !== '' && !out.endsWith('\n')) out += '\n';
  const last = documents.at(-1);
  if (!last) return out + documentText;
  const trailing = segments.at(-1);
  if (trailing === last && last.text.trim() === '---') return out + documentText;
  return `${out}---\n${documentText}`;
}

/** Starts like a number and holds only characters of some number syntax (`0x1F`, `0o17`, `1_000`, `1e3`, `12:30`). */
const GO_NUMBER_LIKE = /^[-+]?\.?[0-9][0-9a-fA-FxXoObB_.:eE+-]*$/;

/**
 * Strings that a YAML reader might not read back as the same string: anything a YAML 1.1 reader
 * (Kubernetes' go-yaml: `yes`, `on`, `010`, `1_000`, `12:30`) or a YAML 1.2 reader (editors) would
 * take for a boolean, number, null or timestamp. Number-like text is quoted even when neither YAML
 * schema reads it as a number, since go-yaml also accepts Go's forms (`0o17`, `0b1`, `1_000`).
 */
export function needsQuotes(value: string): boolean {
  if (value === '' || value.trim() !== value) return true;
  if (GO_NUMBER_LIKE.test(value)) return true;
  // Plain scalars may start with these indicators when a non-space follows, but not every reader agrees.
  if (/^[:?-]/.test(value)) return true;
  for (const version of ['1.1', '1.2'] as const) {
    try {
      if (parse(value, { version }) !== value) return true;
    } catch {
      return true;
    }
  }
  return false;
}

/** Splits text into lines without their `\n`; a final newline does not make an extra empty line. */
function toLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Beyond this many cells the line alignment is skipped: the edited document is taken as printed. */
const MAX_ALIGNMENT_CELLS = 4_000_000;

/**
 * Longest common subsequence of two line lists: for each index of `b` matched, the index of `a`.
 * Plain dynamic programming: documents are small, and this runs only on edited ones.
 */
export function alignLines(
  a: readonly string[],
  b: readonly string[],
  same: (x: string, y: string) => boolean,
): Map<number, number> | undefined {
  const n = a.length;
  const m = b.length;
  if ((n + 1) * (m + 1) > MAX_ALIGNMENT_CELLS) return undefined;
  const width = m + 1;
  const table = new Int32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i * width + j] = same(a[i]!, b[j]!)
        ? table[(i + 1) * width + j + 1]! + 1
        : Math.max(table[(i + 1) * width + j]!, table[i * width + j + 1]!);
    }
  }
  const matches = new Map<number, number>();
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (same(a[i]!, b[j]!)) {
      matches.set(j, i);
      i++;
      j++;
    } else if (table[(i + 1) * width + j]! >= table[i * width + j + 1]!) i++;
    else j++;
  }
  return matches;
}

const squash = (line: string) => line.replace(/\s+/g, '');

/**
 * Re-applies the user's own formatting to a re-printed document. `original` is the document as
 * written, `printed` the same document printed by the `yaml` library, `edited` the edited document
 * printed the same way. Lines of `edited` that the edit did not touch are replaced by the original
 * lines they came from, so only the changed lines differ from what the user wrote (comment spacing,
 * flow-collection spacing and the like survive). Returns undefined when no alignment is possible.
 */
export function mergeEditedLines(original: string, printed: string, edited: string): string | undefined {
  const tailMatch = /\n(?:[ \t]*\n)*[ \t]*$/.exec(original);
  const body = tailMatch ? original.slice(0, tailMatch.index) : original;
  const tail = tailMatch ? original.slice(tailMatch.index) : '';
  const a = toLines(body);
  const b = toLines(printed);
  const c = toLines(edited);
  // The printer changes spacing, never the tokens: lines equal without whitespace are the same line.
  const fromOriginal = alignLines(a, b, (x, y) => squash(x) === squash(y));
  const fromPrinted = alignLines(b, c, (x, y) => x === y);
  if (!fromOriginal || !fromPrinted) return undefined;
  const out = c.map((line, ci) => {
    const bi = fromPrinted.get(ci);
    const ai = bi === undefined ? undefined : fromOriginal.get(bi);
    return ai === undefined ? line : a[ai]!;
  });
  return out.join('\n') + tail;
}
