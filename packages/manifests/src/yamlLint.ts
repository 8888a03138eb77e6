import { isAlias, isMap, isPair, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import { type Diagnostic, formatFieldPath, type PathSegment, type SourceRange } from './diagnostics.ts';

/** Maps a node's `[start, end, ...]` offsets to a source range in the file. */
export type RangeMapper = (
  range: readonly [number, number, number?] | null | undefined,
) => SourceRange | undefined;

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
export function lintNode(
  node: Node,
  path: LazyPath,
  file: string,
  toRange: RangeMapper,
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
  toRange: RangeMapper,
  out: Diagnostic[],
): void {
  if (node.type !== 'PLAIN' || typeof node.source !== 'string') return;
  const message = yaml11Reading(node.source, node.value);
  if (!message) return;
  out.push({
    code: 'yaml11-reading',
    severity: 'warning',
    message,
    file,
    field: formatFieldPath(materialise(path)),
    range: toRange(node.range),
  });
}

/**
 * The warning about a plain scalar that YAML 1.1 reads as a boolean or an octal number (given
 * its `source` text and the `value` read), or undefined when it reads as most people expect.
 */
export function yaml11Reading(source: string, value: unknown): string | undefined {
  let reading: string | undefined;
  if (typeof value === 'boolean' && YAML11_BOOLEANS.has(source)) reading = `boolean ${value}`;
  else if (typeof value === 'number' && YAML11_OCTAL.test(source)) reading = `octal number ${value}`;
  if (!reading) return undefined;
  return `Kubernetes reads ${source} as ${reading} (YAML 1.1); quote it ("${source}") if you meant the string`;
}

/** Why Kubernetes would refuse a document that parsed: a key that is not a scalar, a dangling alias. */
export interface Refusal {
  code: 'yaml-complex-key' | 'yaml-undefined-alias' | 'yaml-recursive-alias';
  message: string;
  range: readonly [number, number, number?] | undefined;
}

/**
 * The first thing in document order that makes the document unreadable to Kubernetes: a
 * collection used as a key (JSON has string keys only), an alias with no anchor before it, or an
 * alias inside the node its anchor names (a value that contains itself).
 */
export function findRefusal(root: Node): Refusal | undefined {
  /** Anchors seen so far; true while the anchored node is still being read. */
  const anchors = new Map<string, boolean>();
  const walk = (node: unknown): Refusal | undefined => {
    if (!node || typeof node !== 'object') return undefined;
    if (isAlias(node)) {
      const open = anchors.get(node.source);
      if (open === undefined) {
        return {
          code: 'yaml-undefined-alias',
          message: `undefined alias "*${node.source}": no anchor "&${node.source}" comes before it`,
          range: node.range ?? undefined,
        };
      }
      return open
        ? {
            code: 'yaml-recursive-alias',
            message: `alias "*${node.source}" is inside the node its anchor names: the value would contain itself`,
            range: node.range ?? undefined,
          }
        : undefined;
    }
    const anchor = (node as Node).anchor;
    if (anchor) anchors.set(anchor, true);
    const found = walkChildren(node as Node);
    if (anchor) anchors.set(anchor, false);
    return found;
  };
  const walkChildren = (node: Node): Refusal | undefined => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        if (isMap(pair.key) || isSeq(pair.key)) {
          return {
            code: 'yaml-complex-key',
            message: 'a collection used as a key: Kubernetes objects are JSON, whose keys are strings',
            range: pair.key.range ?? undefined,
          };
        }
        const found = walk(pair.key) ?? walk(pair.value);
        if (found) return found;
      }
    } else if (isSeq(node)) {
      for (const item of node.items) {
        const found = walk(item);
        if (found) return found;
      }
    }
    return undefined;
  };
  return walk(root);
}
