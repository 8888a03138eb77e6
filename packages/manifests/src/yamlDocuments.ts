import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseAllDocuments, type Scalar } from 'yaml';
import {
  type Diagnostic,
  formatFieldPath,
  type Locator,
  type PathSegment,
  type SourceRange,
} from './diagnostics.ts';

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
}

/**
 * YAML 1.1 plain scalars that Kubernetes (go-yaml) reads as booleans. Users usually mean the
 * string, and YAML 1.2 tools (editors, linters) read them as strings, so they deserve a warning.
 */
const YAML11_BOOLEANS = new Set([
  'y',
  'Y',
  'yes',
  'Yes',
  'YES',
  'n',
  'N',
  'no',
  'No',
  'NO',
  'on',
  'On',
  'ON',
  'off',
  'Off',
  'OFF',
]);

/** Leading-zero integers are octal in YAML 1.1 (`010` is 8) but decimal to many readers. */
const YAML11_OCTAL = /^[-+]?0[0-7_]+$/;

/**
 * Splits a YAML (or JSON) stream into documents and decodes them the way Kubernetes does
 * (YAML 1.1 scalars). Syntax errors stop the file at the broken document: after a syntax error
 * the stream's document boundaries can no longer be trusted, so later documents are not guessed at.
 * `complete` is false when a syntax error stopped decoding or was left unreported, or a document
 * was refused.
 */
export function decodeDocuments(
  file: string,
  text: string,
  options: DecodeOptions,
): { documents: DecodedDocument[]; diagnostics: Diagnostic[]; complete: boolean } {
  const lineCounter = new LineCounter();
  const diagnostics: Diagnostic[] = [];
  const documents: DecodedDocument[] = [];
  const toPosition = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const toRange = (range: readonly [number, number, number] | null | undefined): SourceRange | undefined =>
    range ? { start: toPosition(range[0]), end: toPosition(range[1]) } : undefined;

  const parsed = parseAllDocuments(text, {
    lineCounter,
    version: '1.1',
    uniqueKeys: false,
    prettyErrors: false,
  });
  const docs = Array.isArray(parsed) ? parsed : [];
  // Errors outside any document are dropped (there is no document to report them on), but they
  // would land on the next document if more text followed: the stream is not complete.
  let complete = !('empty' in parsed && parsed.errors.length > 0);
  for (const [index, doc] of docs.entries()) {
    const firstError = doc.errors[0];
    if (firstError) {
      complete = false;
      const later = docs.length - index - 1;
      diagnostics.push({
        code: 'yaml-syntax',
        severity: 'error',
        message:
          `YAML syntax error: ${firstLine(firstError.message)}` +
          (later > 0 ? `; the rest of this file (${later} more document(s)) was not loaded` : ''),
        file,
        field: '',
        range: { start: toPosition(firstError.pos[0]), end: toPosition(firstError.pos[1]) },
      });
      break;
    }
    const root = doc.contents;
    // The document's tree is dropped once decoded: it is most of a parsed file's memory, and
    // locating a field needs only where each node is.
    const positions = root ? positionsOf(root) : undefined;
    const locate: Locator = (path) => {
      const range = positions && locateIn(positions, path).range;
      return range ? toRange([range[0], range[1], range[1]]) : undefined;
    };
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: options.maxAliasCount });
    } catch (error) {
      complete = false;
      diagnostics.push({
        code: 'yaml-alias-limit',
        severity: 'error',
        message: `document refused: ${error instanceof Error ? error.message : String(error)} (more than ${options.maxAliasCount} alias expansions)`,
        file,
        field: '',
        range: toRange(root?.range),
      });
      continue;
    }
    if (root) lintNode(root, undefined, file, toRange, diagnostics);
    documents.push({ index, value, range: toRange(root?.range), locate });
  }
  return { documents, diagnostics, complete };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/**
 * Where a node of a document is, and where its children are: the document's tree reduced to
 * what locating a field needs. Maps keep their scalar keys (a key given twice keeps the last
 * value, as Kubernetes does) and the node of each value (the key's, for a pair without value);
 * sequences keep their items (undefined for items that are not nodes).
 */
interface Position {
  /** Start and end offsets; undefined for a node the parser gave no range. */
  range: readonly [number, number] | undefined;
  keys?: string[];
  children?: (Position | undefined)[];
}

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

/** Finds the deepest node along `path`; a missing tail resolves to the deepest existing parent. */
function locateIn(root: Position, path: readonly PathSegment[]): Position {
  let node = root;
  for (const segment of path) {
    let next: Position | undefined;
    if (typeof segment === 'number' && node.children && !node.keys) {
      next = node.children[segment];
    } else if (typeof segment === 'string' && node.keys) {
      // Several pairs with the same key: Kubernetes keeps the last, so point at the last.
      const i = node.keys.lastIndexOf(segment);
      next = i >= 0 ? node.children![i] : undefined;
    }
    if (!next) return node;
    node = next;
  }
  return node;
}

/**
 * A field path as a parent-linked list: walking a big document would otherwise copy a path array
 * at every node, though only the few reported nodes need theirs.
 */
type LazyPath = { parent: LazyPath | undefined; segment: PathSegment } | undefined;

function materialise(path: LazyPath): PathSegment[] {
  const out: PathSegment[] = [];
  for (let p = path; p; p = p.parent) out.push(p.segment);
  return out.reverse();
}

/** Walks the document once for hazards: duplicate keys and YAML 1.1 readings. */
function lintNode(
  node: Node,
  path: LazyPath,
  file: string,
  toRange: (range: readonly [number, number, number] | null | undefined) => SourceRange | undefined,
  out: Diagnostic[],
): void {
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const pair of node.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      if (seen.has(key)) {
        out.push({
          code: 'yaml-duplicate-key',
          severity: 'warning',
          message: `duplicate key "${key}": only the last value is used`,
          file,
          field: formatFieldPath([...materialise(path), key]),
          range: toRange(pair.key.range),
        });
      }
      seen.add(key);
      if (pair.value) lintNode(pair.value as Node, { parent: path, segment: key }, file, toRange, out);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      if (item && typeof item === 'object')
        lintNode(item as Node, { parent: path, segment: i }, file, toRange, out);
    });
  } else if (isScalar(node)) {
    lintScalar(node, path, file, toRange, out);
  }
}

function lintScalar(
  node: Scalar,
  path: LazyPath,
  file: string,
  toRange: (range: readonly [number, number, number] | null | undefined) => SourceRange | undefined,
  out: Diagnostic[],
): void {
  if (node.type !== 'PLAIN' || typeof node.source !== 'string') return;
  const source = node.source;
  let reading: string | undefined;
  if (YAML11_BOOLEANS.has(source) && typeof node.value === 'boolean') reading = `boolean ${node.value}`;
  else if (YAML11_OCTAL.test(source) && typeof node.value === 'number')
    reading = `octal number ${node.value}`;
  if (!reading) return;
  out.push({
    code: 'yaml11-reading',
    severity: 'warning',
    message: `Kubernetes reads ${source} as ${reading} (YAML 1.1); quote it ("${source}") if you meant the string`,
    file,
    field: formatFieldPath(materialise(path)),
    range: toRange(node.range),
  });
}
