import type { Diagnostic, SourceRange } from './diagnostics.ts';
import {
  type ChunkText,
  decodesAsFollowed,
  FOLLOWING_DOCUMENT,
  splitAtDocumentStarts,
} from './documentChunks.ts';
import {
  decodeOptions,
  fileTooLarge,
  type ParseOptions,
  type ParseResult,
  parseFile,
  readDocuments,
  type SourceFactory,
  type UnanalysedObject,
} from './parse.ts';
import type { KubeObject, ObjectSource, SourceFile } from './types.ts';
import { type DecodedSegment, decodeDocuments, decodeSegments } from './yamlDocuments.ts';

/** A chunk's lists that are most often empty share this one, which nothing adds to. */
const NONE: readonly never[] = [];

/**
 * Where a chunk sits in its file now. Every source made for the chunk's objects reads it, so
 * moving the chunk moves all of them at once.
 */
interface ChunkAnchor {
  /** 1-based line of the chunk's first line. */
  line: number;
  /** Index in the file of the chunk's first document. */
  document: number;
}

/** A run of whole documents, cut before a document start and decoded on its own. */
interface Chunk {
  text: string;
  /** Whether it was decoded as followed by a document start (see {@link decodesAsFollowed}). */
  followed: boolean;
  anchor: ChunkAnchor;
  /** False when the chunk alone may not read as it does inside the file (syntax error, refused document). */
  reproducible: boolean;
  documentCount: number;
  objects: readonly KubeObject[];
  unanalysed: readonly UnanalysedObject[];
  /** Diagnostics of decoding, then of reading, positioned as if the chunk began the file. */
  decodeDiagnostics: readonly Diagnostic[];
  readDiagnostics: readonly Diagnostic[];
  /** The diagnostics moved to `line`, kept so that a chunk that did not move returns the same ones. */
  placed: { line: number; decode: readonly Diagnostic[]; read: readonly Diagnostic[] } | undefined;
}

/**
 * Parses files like {@link parseFile}, re-parsing only the YAML documents whose text changed since
 * the last call for the same path. Documents whose text is unchanged keep their objects: the same
 * `KubeObject`s (`===`), so that work keyed by object identity downstream is kept too.
 *
 * Objects from a `ManifestCache` have live positions: their `source.document`, `source.range` and
 * `source.locate()` follow their document's current place in the file, so after an edit that
 * moved a document (lines added above it, a document inserted before it) its kept objects report
 * the new place, exactly as a fresh {@link parseFile} of the new text would. Diagnostics are plain
 * data and are never changed once returned: a moved document gets moved copies.
 *
 * A document is reused when its text, from its `---` line to the next one, is unchanged; the
 * last document of a file must also still be last, unless its last line has content (the `yaml`
 * parser reads trailing blank and comment lines differently at the end of the stream). Files the
 * chunked reading cannot reproduce exactly (YAML syntax errors, refused documents, `%`
 * directives, files over the size limit) are parsed whole, with the same result; their unchanged
 * documents are reused again once the file reads cleanly.
 */
export class ManifestCache {
  private readonly options: ParseOptions;
  private readonly files = new Map<string, readonly Chunk[]>();
  /** Per path, the text of the last call and its result: an unchanged file is not even split. */
  private readonly last = new Map<string, { text: string; result: ParseResult }>();

  constructor(options: ParseOptions = {}) {
    this.options = options;
  }

  /**
   * Same result as `parseFile(file, options)`: equal objects in the same order, the same
   * diagnostics. Objects of documents whose text did not change since the previous call for
   * `file.path` are the ones returned then.
   */
  parseFile(file: SourceFile): ParseResult {
    const last = this.last.get(file.path);
    if (last?.text === file.text) return copyResult(last.result);
    const result = this.parseChanged(file);
    this.last.set(file.path, { text: file.text, result: copyResult(result) });
    return result;
  }

  private parseChanged(file: SourceFile): ParseResult {
    const pieces = fileTooLarge(file, this.options) ? undefined : splitAtDocumentStarts(file.text);
    // The cached chunks stay as they are, to be reused once the file can be chunked again.
    if (!pieces) return parseFile(file, this.options);
    const cached = this.files.get(file.path);
    if (!cached) {
      const whole = this.parseWhole(file, pieces);
      if (whole) return whole;
    }
    const reusable = new Map<string, Chunk[]>();
    for (const chunk of cached ?? []) {
      const same = reusable.get(chunk.text);
      if (same) same.push(chunk);
      else reusable.set(chunk.text, [chunk]);
    }
    const chunks = pieces.map((piece, i) => {
      const followed = decodesAsFollowed(piece.text, i === pieces.length - 1);
      // Nothing to reuse (a file that was all refused before): spare hashing every piece.
      return (
        (reusable.size > 0 ? takeChunk(reusable, piece.text, followed) : undefined) ??
        decodeChunk(file.path, piece.text, followed, this.options)
      );
    });
    this.files.set(file.path, chunks);
    if (!chunks.every((chunk) => chunk.reproducible)) return parseFile(file, this.options);
    return assemble(chunks, pieces);
  }

  /**
   * A file seen for the first time: nothing to reuse, so it is decoded whole as parseFile decodes
   * it (one pass, one line index) and cut into chunks afterwards, each document's positions
   * following its chunk from then on. Undefined when the file does not decode cleanly or its
   * segments are not the pieces: the chunks are then decoded one by one.
   */
  private parseWhole(file: SourceFile, pieces: readonly ChunkText[]): ParseResult | undefined {
    const segments = decodeSegments(file.path, file.text, decodeOptions(this.options));
    if (!segments || segments.length !== pieces.length) return undefined;
    if (!segments.every((segment, i) => segment.start === pieces[i]!.start)) return undefined;
    let document = 0;
    const chunks = pieces.map((piece, i) => {
      const chunk = wholeChunk(
        file.path,
        piece,
        segments[i]!,
        document,
        i === pieces.length - 1,
        this.options,
      );
      document += chunk.documentCount;
      return chunk;
    });
    this.files.set(file.path, chunks);
    return assemble(chunks, pieces);
  }

  /** Drops cached files whose path is not in `paths`. */
  retain(paths: Iterable<string>): void {
    const keep = new Set(paths);
    for (const path of this.files.keys()) {
      if (!keep.has(path)) this.files.delete(path);
    }
    for (const path of this.last.keys()) {
      if (!keep.has(path)) this.last.delete(path);
    }
  }
}

/** A result whose lists the caller may change without changing the cache's. */
function copyResult(result: ParseResult): ParseResult {
  return {
    objects: [...result.objects],
    unanalysed: [...result.unanalysed],
    diagnostics: [...result.diagnostics],
  };
}

/** Takes (once: a document repeated in the file never shares objects) a cached chunk for `text`. */
function takeChunk(reusable: Map<string, Chunk[]>, text: string, followed: boolean): Chunk | undefined {
  const candidates = reusable.get(text);
  const index = candidates?.findIndex((chunk) => chunk.followed === followed) ?? -1;
  return index < 0 ? undefined : candidates?.splice(index, 1)[0];
}

function decodeChunk(file: string, text: string, followed: boolean, options: ParseOptions): Chunk {
  // Objects are read while the anchor says "start of the file", so that the diagnostics read
  // with them are chunk-relative, like the decoder's; they are moved into place when returned.
  const anchor: ChunkAnchor = { line: 1, document: 0 };
  const decoded = decodeDocuments(
    file,
    followed ? `${text}${FOLLOWING_DOCUMENT}` : text,
    decodeOptions(options),
  );
  // The following document is empty, so it has no diagnostics of its own.
  const documents = followed ? decoded.documents.slice(0, -1) : decoded.documents;
  const reproducible = decoded.complete && (!followed || decoded.documents.at(-1)?.value === null);
  const read: ParseResult = { objects: [], unanalysed: [], diagnostics: [] };
  if (reproducible) readDocuments(file, documents, chunkSources(anchor), read, options);
  return {
    text,
    followed,
    anchor,
    reproducible,
    documentCount: documents.length,
    objects: read.objects,
    unanalysed: read.unanalysed,
    decodeDiagnostics: decoded.diagnostics,
    readDiagnostics: read.diagnostics,
    placed: undefined,
  };
}

/**
 * The chunk of `piece`, whose documents (from `document` on) were decoded with the whole file,
 * as {@link decodeChunk} would make it: the same objects and diagnostics, read in place.
 */
function wholeChunk(
  file: string,
  piece: ChunkText,
  segment: DecodedSegment,
  document: number,
  last: boolean,
  options: ParseOptions,
): Chunk {
  const anchor: ChunkAnchor = { line: piece.line, document };
  const read: ParseResult = { objects: [], unanalysed: [], diagnostics: [] };
  readDocuments(file, segment.documents, chunkSources(anchor), read, options);
  // Kept chunk-relative, as decodeChunk keeps them, for when the chunk moves.
  const relative = (list: Diagnostic[]): readonly Diagnostic[] =>
    list.length === 0
      ? NONE
      : list.map((d) =>
          piece.line === 1 || !d.range ? d : { ...d, range: shiftRange(d.range, 1 - piece.line) },
        );
  const placed = (list: Diagnostic[]) => (list.length === 0 ? NONE : list);
  const quiet = segment.diagnostics.length === 0 && read.diagnostics.length === 0;
  return {
    text: piece.text,
    followed: decodesAsFollowed(piece.text, last),
    anchor,
    reproducible: true,
    documentCount: segment.documents.length,
    // Copies of the exact size: most chunks hold one object, and a list grown by push keeps room for more.
    objects: read.objects.slice(),
    unanalysed: read.unanalysed.length === 0 ? NONE : read.unanalysed.slice(),
    decodeDiagnostics: relative(segment.diagnostics),
    readDiagnostics: relative(read.diagnostics),
    placed: quiet
      ? undefined
      : { line: piece.line, decode: placed(segment.diagnostics), read: placed(read.diagnostics) },
  };
}

/** Places the chunks at their new lines and documents and joins them in the order parseFile uses. */
function assemble(chunks: readonly Chunk[], pieces: readonly ChunkText[]): ParseResult {
  const result: ParseResult = { objects: [], unanalysed: [], diagnostics: [] };
  // parseFile reports every decoding diagnostic of the file before the reading ones.
  const read: Diagnostic[] = [];
  let document = 0;
  chunks.forEach((chunk, i) => {
    moveChunk(chunk, pieces[i]!.line, document);
    document += chunk.documentCount;
    const placed = placeDiagnostics(chunk);
    result.objects.push(...chunk.objects);
    result.unanalysed.push(...chunk.unanalysed);
    result.diagnostics.push(...placed.decode);
    read.push(...placed.read);
  });
  result.diagnostics.push(...read);
  return result;
}

/** What a chunk without diagnostics places anywhere. */
const NOTHING_PLACED: NonNullable<Chunk['placed']> = { line: 0, decode: NONE, read: NONE };

function placeDiagnostics(chunk: Chunk): NonNullable<Chunk['placed']> {
  if (chunk.decodeDiagnostics.length === 0 && chunk.readDiagnostics.length === 0) return NOTHING_PLACED;
  const line = chunk.anchor.line;
  if (chunk.placed?.line !== line) {
    const move = (d: Diagnostic): Diagnostic =>
      line === 1 || !d.range ? d : { ...d, range: shiftRange(d.range, line - 1) };
    chunk.placed = {
      line,
      decode: chunk.decodeDiagnostics.map(move),
      read: chunk.readDiagnostics.map(move),
    };
  }
  return chunk.placed;
}

/**
 * Sources for the documents of a chunk decoded at `anchor` (alone: at the start of the file; or
 * in place). They are plain data, moved by {@link moveChunk} when the chunk moves; `locate`
 * reads the anchor, so it follows the chunk too.
 */
function chunkSources(anchor: ChunkAnchor): SourceFactory {
  const decodedLine = anchor.line;
  return {
    document: (file, doc) => ({
      file,
      document: doc.index,
      range: doc.range,
      locate: (path) => shiftRange(doc.locate(path), anchor.line - decodedLine),
    }),
    // `list` follows the chunk already: its locate reads the anchor.
    item: (list, index) => ({
      file: list.file,
      document: list.document,
      range: list.locate(['items', index]),
      locate: (path) => list.locate(['items', index, ...path]),
      item: index,
    }),
  };
}

/**
 * Places a chunk at `line` and `document` of its file: the sources of its objects (one each)
 * move by as much as it did. A range is replaced, never changed: diagnostics may share it.
 */
function moveChunk(chunk: Chunk, line: number, document: number): void {
  const lines = line - chunk.anchor.line;
  const documents = document - chunk.anchor.document;
  const move = ({ source }: { source: ObjectSource }) => {
    source.document += documents;
    if (lines !== 0) source.range = shiftRange(source.range, lines);
  };
  if (lines !== 0 || documents !== 0) {
    chunk.objects.forEach(move);
    chunk.unanalysed.forEach(move);
  }
  chunk.anchor.line = line;
  chunk.anchor.document = document;
}

function shiftRange(range: SourceRange | undefined, shift: number): SourceRange | undefined {
  if (!range || shift === 0) return range;
  return {
    start: { line: range.start.line + shift, column: range.start.column },
    end: { line: range.end.line + shift, column: range.end.column },
  };
}
