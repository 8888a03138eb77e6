import { type Document, isMap, isPair, isScalar, isSeq, type Node, parseAllDocuments } from 'yaml';
import { type Diagnostic, formatFieldPath, type Locator, type SourceRange } from './diagnostics.ts';
import { jsonPositions, readJson } from './fastJson.ts';
import { blockYamlPositions, type FastDocument, readBlockYaml } from './fastYaml.ts';
import { type NestingScan, scanNesting } from './nestingDepth.ts';
import { locateIn, type Position } from './positions.ts';
import { findRefusal, lintNode, type RangeMapper } from './yamlLint.ts';
import { fileOffset, LineIndex, type StreamSegment, splitStream } from './yamlStream.ts';

/** One decoded YAML document with what is needed to point back into its text. */
export interface DecodedDocument {
  index: number;
  value: unknown;
  range: SourceRange | undefined;
  /** Resolves a path relative to the document root. */
  locate: Locator;
}

export interface DecodeOptions {
  /** Aliases beyond this count are refused (billion-laughs style alias bombs). */
  maxAliasCount: number;
  /** Documents nested deeper than this are refused before they are parsed. Default {@link DEFAULT_MAX_NESTING_DEPTH}. */
  maxNestingDepth?: number;
  /** Whether a syntax error ends the file (netpol-analyzer) rather than only its document. Default false. */
  stopAtSyntaxError?: boolean;
  /**
   * Whether plain block YAML and JSON documents go through the fast readers. Default true; false
   * reads every document with the full parser (the tests compare the two).
   */
  fastReaders?: boolean;
}

/**
 * Nesting allowed per document by default. The deepest real manifests (CRD schemas) stay under
 * about 40 levels, while a document thousands of levels deep exhausts the stack of a recursive
 * parser.
 */
export const DEFAULT_MAX_NESTING_DEPTH = 100;

/** The result of {@link decodeDocuments}. */
export interface DecodedStream {
  documents: DecodedDocument[];
  diagnostics: Diagnostic[];
  /** False when a document was refused or a syntax error was found. */
  complete: boolean;
}

/** What a segment is parsed with when a start line follows it in the file. */
const FOLLOWING_DOCUMENT = '---\n';

/**
 * Splits a YAML (or JSON) stream into documents and decodes them the way Kubernetes does
 * (YAML 1.1 scalars). The stream is cut at every `---` line first, as kubectl cuts it, so a
 * broken document (a syntax error, nesting past `maxNestingDepth`, an alias bomb, an undefined
 * alias) is refused on its own and the documents before and after it still load. Every
 * document, refused or not, keeps its place in the file's numbering.
 */
export function decodeDocuments(file: string, text: string, options: DecodeOptions): DecodedStream {
  const decoder = new StreamDecoder(file, new LineIndex(text), {
    maxAliasCount: options.maxAliasCount,
    maxNestingDepth: options.maxNestingDepth ?? DEFAULT_MAX_NESTING_DEPTH,
    stopAtSyntaxError: options.stopAtSyntaxError ?? false,
    fastReaders: options.fastReaders ?? true,
  });
  const segments = splitStream(text);
  for (const [i, segment] of segments.entries()) {
    decoder.segment(segment);
    if (decoder.stopped) {
      const later = segments.length - i - 1;
      if (later > 0) {
        const last = decoder.diagnostics.at(-1)!;
        last.message += `; the rest of this file (${later} more document(s)) was not loaded`;
      }
      break;
    }
  }
  return { documents: decoder.documents, diagnostics: decoder.diagnostics, complete: decoder.complete };
}

/** One stream segment's share of a decoded stream (see {@link decodeSegments}). */
export interface DecodedSegment {
  /** Offset in the file of the segment's first character (its start line, if any). */
  start: number;
  /** Its documents, numbered and positioned in the whole file. */
  documents: DecodedDocument[];
  diagnostics: Diagnostic[];
}

/**
 * Decodes a stream as {@link decodeDocuments} does, with each segment's documents and
 * diagnostics apart. Undefined when that stream does not decode completely (see
 * {@link DecodedStream.complete}) or had byte-order marks removed: the caller then reads it as
 * the pieces it needs.
 */
export function decodeSegments(
  file: string,
  text: string,
  options: DecodeOptions,
): DecodedSegment[] | undefined {
  const decoder = new StreamDecoder(file, new LineIndex(text), {
    maxAliasCount: options.maxAliasCount,
    maxNestingDepth: options.maxNestingDepth ?? DEFAULT_MAX_NESTING_DEPTH,
    stopAtSyntaxError: options.stopAtSyntaxError ?? false,
    fastReaders: options.fastReaders ?? true,
  });
  const out: DecodedSegment[] = [];
  for (const segment of splitStream(text)) {
    if (segment.removedMarks.length > 0) return undefined;
    const documents = decoder.documents.length;
    const diagnostics = decoder.diagnostics.length;
    decoder.segment(segment);
    if (!decoder.complete) return undefined;
    out.push({
      start: segment.start,
      documents: decoder.documents.slice(documents),
      diagnostics: decoder.diagnostics.slice(diagnostics),
    });
  }
  return out;
}

class StreamDecoder {
  readonly documents: DecodedDocument[] = [];
  readonly diagnostics: Diagnostic[] = [];
  complete = true;
  /** Set when a syntax error ends the file (see {@link DecodeOptions.stopAtSyntaxError}). */
  stopped = false;
  private nextIndex = 0;

  constructor(
    private readonly file: string,
    private readonly lines: LineIndex,
    private readonly options: Required<DecodeOptions>,
  ) {}

  segment(segment: StreamSegment): void {
    const toPosition = (local: number) => this.lines.position(fileOffset(segment, local));
    const toRange: RangeMapper = (range) =>
      range ? { start: toPosition(range[0]), end: toPosition(range[1]) } : undefined;
    for (const local of segment.removedMarks) {
      const mark = this.lines.position(fileOffset(segment, local) - 1);
      this.diagnostics.push({
        code: 'yaml-byte-order-mark',
        severity: 'warning',
        message:
          'byte-order mark (U+FEFF) at the start of a document: ignored, as kubectl does; other YAML tools read it as part of the first key',
        file: this.file,
        field: '',
        range: { start: mark, end: mark },
      });
    }
    if (this.options.fastReaders && this.fast(segment.text, toRange)) return;
    const whole = { start: toPosition(0), end: toPosition(segment.text.length) };
    const nesting = scanNesting(segment.text, this.options.maxNestingDepth);
    if (nesting.tooDeep !== undefined) {
      const at = toPosition(nesting.tooDeep);
      this.refuse(
        'yaml-too-deep',
        `document refused: nested more than ${this.options.maxNestingDepth} levels deep (line ${at.line}); it was not parsed`,
        { start: at, end: at },
      );
      this.nextIndex++;
      return;
    }
    let docs: Document.Parsed[];
    try {
      const parsed = parseAllDocuments(segment.last ? segment.text : segment.text + FOLLOWING_DOCUMENT, {
        version: '1.1',
        uniqueKeys: false,
        prettyErrors: false,
        // What the parser would warn about becomes a diagnostic here; it must not print.
        logLevel: 'silent',
      });
      if ('empty' in parsed) {
        // Text that opens no document (a directive alone, a stray marker) can still be an error.
        const error = parsed.errors[0];
        if (error) this.syntaxError(error.message, error.pos, nesting, toRange, parsed.errors.length - 1);
        return;
      }
      // The start line read after the segment opens an empty document that is the next segment's.
      docs = segment.last ? parsed : parsed.filter((doc) => doc.range[0] < segment.text.length);
    } catch (error) {
      // The nesting scan keeps the parser's recursion shallow; this is the last line of defence.
      this.refuse('yaml-syntax', `YAML parser failed on this document: ${messageOf(error)}`, whole);
      this.nextIndex++;
      return;
    }
    for (const doc of docs) {
      this.document(doc, nesting, toRange);
      if (this.stopped) return;
    }
  }

  /**
   * Reads the segment with a fast reader when it is plain block YAML or JSON (see fastYaml.ts and
   * fastJson.ts), which give the same value and warnings as the full parser. Its positions are
   * worked out again from the text only when something first asks where a field is. False when
   * the full parser must read the segment.
   */
  private fast(text: string, toRange: RangeMapper): boolean {
    const depth = this.options.maxNestingDepth;
    let doc: FastDocument | undefined;
    let positionsOf: (text: string, maxDepth: number) => Position | undefined;
    const first = firstContent(text);
    if (first === '{' || first === '[') {
      doc = readJson(text, depth);
      positionsOf = jsonPositions;
    } else {
      doc = readBlockYaml(text, depth);
      positionsOf = blockYamlPositions;
    }
    if (!doc) return false;
    for (const reading of doc.readings) {
      this.diagnostics.push({
        code: 'yaml11-reading',
        severity: 'warning',
        message: reading.message,
        file: this.file,
        field: formatFieldPath(reading.path),
        range: toRange(reading.range),
      });
    }
    const held: HeldPositions = { positions: undefined };
    const locate: Locator = (path) => {
      const positions = recentPositions(held, () => positionsOf(text, depth));
      const range = positions && locateIn(positions, path).range;
      return range ? toRange(range) : undefined;
    };
    this.documents.push({ index: this.nextIndex++, value: doc.value, range: toRange(doc.range), locate });
    return true;
  }

  private refuse(code: string, message: string, range: SourceRange | undefined): void {
    this.complete = false;
    this.diagnostics.push({ code, severity: 'error', message, file: this.file, field: '', range });
  }

  private document(doc: Document.Parsed, nesting: NestingScan, toRange: RangeMapper): void {
    const index = this.nextIndex++;
    const firstError = doc.errors[0];
    if (firstError) {
      this.syntaxError(firstError.message, firstError.pos, nesting, toRange, doc.errors.length - 1);
      this.stopped = this.options.stopAtSyntaxError;
      return;
    }
    const root = doc.contents;
    const refusal = root ? findRefusal(root) : undefined;
    if (refusal) {
      this.refuse(refusal.code, `document refused: ${refusal.message}`, toRange(refusal.range));
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: this.options.maxAliasCount });
    } catch (error) {
      this.refuse(
        'yaml-alias-limit',
        `document refused: more than ${this.options.maxAliasCount} alias expansions (${messageOf(error)})`,
        toRange(root?.range),
      );
      return;
    }
    // The document's tree is dropped once decoded: it is most of a parsed file's memory, and
    // locating a field needs only where each node is.
    const positions = root ? positionsOf(root) : undefined;
    const locate: Locator = (path) => {
      const range = positions && locateIn(positions, path).range;
      return range ? toRange(range) : undefined;
    };
    if (root) lintNode(root, undefined, this.file, toRange, this.diagnostics);
    this.documents.push({ index, value, range: toRange(root?.range), locate });
  }

  /**
   * Reports a document's first syntax error. A flow collection or quoted scalar left open is
   * noticed by the parser only where something else begins, often lines later: the error then
   * points at where the unclosed construct opened.
   */
  private syntaxError(
    message: string,
    pos: readonly [number, number],
    nesting: NestingScan,
    toRange: RangeMapper,
    more: number,
  ): void {
    const detail = firstLine(message);
    const suffix = more > 0 ? ` (and ${more} more error(s) in this document)` : '';
    const opener = UNCLOSED_ERROR.test(detail)
      ? nesting.unclosed.findLast((open) => open.offset < pos[0])
      : undefined;
    if (opener) {
      const range = toRange([opener.offset, opener.offset + 1]);
      const noticed = toRange([pos[0], pos[0]]);
      this.refuse(
        'yaml-syntax',
        `YAML syntax error: ${opener.opener === '"' || opener.opener === "'" ? 'quoted string' : `"${opener.opener}"`} opened here is never closed (noticed on line ${noticed?.start.line}: ${detail})${suffix}`,
        range,
      );
      return;
    }
    this.refuse('yaml-syntax', `YAML syntax error: ${detail}${suffix}`, toRange([pos[0], pos[1]]));
  }
}

/** Parser errors that mean a flow collection or a quoted scalar was not closed. */
const UNCLOSED_ERROR = /end with a [\]}]|closing .*quote/;

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The positions of a parsed node and of everything under it. */
function positionsOf(node: Node): Position {
  const out: Position = { range: node.range ? [node.range[0], node.range[1]] : undefined };
  if (isMap(node)) {
    out.keys = [];
    out.children = [];
    for (const pair of node.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const target = (pair.value as Node | null) ?? (pair.key as Node);
      out.keys.push(String(pair.key.value));
      out.children.push(positionsOf(target));
    }
  } else if (isSeq(node)) {
    out.children = node.items.map((item) =>
      item && typeof item === 'object' && 'range' in item ? positionsOf(item as Node) : undefined,
    );
  }
  return out;
}

/** The first character of a document's content, after a bare `---` line and blank lines. */
function firstContent(text: string): string | undefined {
  const match = /^(?:---[ ]*\n)?[ \n]*(.)/.exec(text);
  return match?.[1];
}

/** The positions of a fast-read document, while they are among the recently used. */
interface HeldPositions {
  positions: Position | undefined;
}

/**
 * Documents whose positions are kept, least recently used first. Rebuilding them is cheap (one
 * pass over the document's text), keeping them all is not: positions for every object of a big
 * workspace take more memory than the objects. A `List` read item by item stays in.
 */
const recentlyLocated = new Set<HeldPositions>();
const KEEP_POSITIONS_OF = 256;

function recentPositions(held: HeldPositions, build: () => Position | undefined): Position | undefined {
  if (held.positions) {
    recentlyLocated.delete(held);
    recentlyLocated.add(held);
    return held.positions;
  }
  held.positions = build();
  if (!held.positions) return undefined;
  recentlyLocated.add(held);
  if (recentlyLocated.size > KEEP_POSITIONS_OF) {
    const oldest = recentlyLocated.values().next().value!;
    oldest.positions = undefined;
    recentlyLocated.delete(oldest);
  }
  return held.positions;
}
