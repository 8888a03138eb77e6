import {
  Document,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  type Node,
  type Pair,
  parseDocument,
  Scalar,
  type ToStringOptions,
  visit,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { deepEqual, isPlainObject } from './json.ts';
import { mergeEditedLines, needsQuotes } from './yamlText.ts';

/** How a file writes its YAML, so that printed lines look like the user's. */
export interface YamlStyle {
  indent: number;
  indentSeq: boolean;
  flowCollectionPadding: boolean;
}

/** The style most Kubernetes YAML (and the demo) uses. */
export const DEFAULT_STYLE: YamlStyle = { indent: 2, indentSeq: true, flowCollectionPadding: true };

// Kubernetes decodes YAML 1.1; documents are read and printed with that schema so that `yes` or
// `010` keep the meaning Kubernetes gives them.
const PARSE_OPTIONS = { version: '1.1', uniqueKeys: false } as const;

function printOptions(style: YamlStyle): ToStringOptions {
  // lineWidth 0: never fold long strings the user wrote on one line.
  return { ...style, lineWidth: 0 };
}

/**
 * Where a key goes when a map gains it: after the keys that precede it in the order people write
 * NetworkPolicies (and kubectl prints them). Keys of unrelated maps never meet, so one list serves.
 */
const KEY_ORDER = [
  'apiVersion',
  'kind',
  'metadata',
  'spec',
  'name',
  'namespace',
  'labels',
  'annotations',
  'from',
  'to',
  'namespaceSelector',
  'podSelector',
  'ipBlock',
  'policyTypes',
  'ingress',
  'egress',
  'ports',
  'cidr',
  'except',
  'protocol',
  'port',
  'endPort',
  'matchLabels',
  'matchExpressions',
  'key',
  'operator',
  'values',
];
const KEY_RANK = new Map(KEY_ORDER.map((key, i) => [key, i]));

function keyOf(pair: Pair): string | undefined {
  return isScalar(pair.key) ? String(pair.key.value) : undefined;
}

function nodeValue(doc: Document, node: unknown): unknown {
  if (isNode(node)) return node.toJS(doc, { maxAliasCount: -1 });
  return node ?? null;
}

/** Builds a node for new content, quoting strings a YAML reader could take for something else. */
function createNode(doc: Document, value: unknown): Node {
  const node = doc.createNode(value);
  const quote = (scalar: Scalar) => {
    if (typeof scalar.value === 'string' && needsQuotes(scalar.value)) scalar.type = Scalar.QUOTE_DOUBLE;
  };
  if (isScalar(node)) quote(node);
  else visit(node, { Scalar: (_key, scalar) => quote(scalar) });
  return node;
}

/**
 * Makes `node` hold `desired` while changing as little of it as possible: equal subtrees are kept
 * as they are (with their comments and style), maps keep their key order (new keys go where people
 * write them), and sequence items are matched by content so that an inserted or removed rule does
 * not disturb its neighbours. Returns the node to put in place of `node`.
 */
export function reconcileNode(doc: Document, node: unknown, desired: unknown): Node {
  if (isNode(node) && deepEqual(nodeValue(doc, node), desired)) return node;
  if (isPlainObject(desired) && isMap(node)) {
    reconcileMap(doc, node, desired);
    return node;
  }
  if (Array.isArray(desired) && isSeq(node)) {
    reconcileSeq(doc, node, desired);
    return node;
  }
  const created = createNode(doc, desired);
  if (isNode(node)) {
    created.commentBefore = node.commentBefore;
    created.comment = node.comment;
    created.spaceBefore = node.spaceBefore;
    // Keep the user's quoting of a string whose value changed, when it stays unambiguous.
    if (
      isScalar(node) &&
      isScalar(created) &&
      typeof node.value === 'string' &&
      typeof created.value === 'string' &&
      (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE)
    ) {
      created.type = node.type;
    }
  }
  return created;
}

function reconcileMap(doc: Document, map: YAMLMap, desired: Record<string, unknown>): void {
  const wasEmptyFlow = map.flow === true && map.items.length === 0;
  map.items = map.items.filter((pair) => {
    const key = isPair(pair) ? keyOf(pair) : undefined;
    return key === undefined || Object.hasOwn(desired, key);
  });
  const present = new Set<string>();
  for (const pair of map.items) {
    const key = keyOf(pair);
    if (key === undefined) continue;
    present.add(key);
    pair.value = reconcileNode(doc, pair.value, desired[key]);
  }
  for (const [key, value] of Object.entries(desired)) {
    if (present.has(key)) continue;
    const pair = doc.createPair(key, null);
    pair.value = createNode(doc, value);
    if (isScalar(pair.key) && needsQuotes(key)) pair.key.type = Scalar.QUOTE_DOUBLE;
    const rank = KEY_RANK.get(key);
    const before =
      rank === undefined
        ? -1
        : map.items.findIndex((p) => {
            const other = KEY_RANK.get(keyOf(p) ?? '');
            return other !== undefined && other > rank;
          });
    if (before < 0) map.items.push(pair);
    else map.items.splice(before, 0, pair);
  }
  // `podSelector: {}` that gains labels reads better as a block, like the rest of the file.
  if (wasEmptyFlow && map.items.length > 0) map.flow = false;
}

function reconcileSeq(doc: Document, seq: YAMLSeq, desired: readonly unknown[]): void {
  const wasEmptyFlow = seq.flow === true && seq.items.length === 0;
  const old = seq.items;
  const oldValues = old.map((item) => nodeValue(doc, item));
  const matches = matchItems(oldValues, desired);
  const items: unknown[] = [];
  let oi = 0;
  let di = 0;
  const fillGap = (oEnd: number, dEnd: number) => {
    // Unmatched items in the same gap are edits of one another: reconcile them pairwise so a
    // changed rule keeps its comments; the rest are insertions or deletions.
    while (oi < oEnd && di < dEnd) items.push(reconcileNode(doc, old[oi++], desired[di++]));
    while (di < dEnd) items.push(createNode(doc, desired[di++]));
    oi = oEnd;
  };
  for (const [o, d] of matches) {
    fillGap(o, d);
    items.push(old[o]);
    oi = o + 1;
    di = d + 1;
  }
  fillGap(old.length, desired.length);
  seq.items = items;
  if (wasEmptyFlow && items.length > 0) seq.flow = false;
}

/** Longest common subsequence of equal items: `[oldIndex, desiredIndex]` pairs in order. */
function matchItems(old: readonly unknown[], desired: readonly unknown[]): [number, number][] {
  const n = old.length;
  const m = desired.length;
  const width = m + 1;
  const table = new Int32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i * width + j] = deepEqual(old[i], desired[j])
        ? table[(i + 1) * width + j + 1]! + 1
        : Math.max(table[(i + 1) * width + j]!, table[i * width + j + 1]!);
    }
  }
  const out: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (deepEqual(old[i], desired[j])) {
      out.push([i, j]);
      i++;
      j++;
    } else if (table[(i + 1) * width + j]! >= table[i * width + j + 1]!) i++;
    else j++;
  }
  return out;
}

/** Picks the printing options under which the document prints most like its own text. */
export function detectStyle(doc: Document, text: string): YamlStyle {
  const lines = new Set(text.split('\n'));
  let best = DEFAULT_STYLE;
  let bestScore = -1;
  for (const indent of [2, 4]) {
    for (const indentSeq of [true, false]) {
      for (const flowCollectionPadding of [true, false]) {
        const style = { indent, indentSeq, flowCollectionPadding };
        let score = 0;
        for (const line of doc.toString(printOptions(style)).split('\n')) if (lines.has(line)) score++;
        if (score > bestScore) {
          best = style;
          bestScore = score;
        }
      }
    }
  }
  return best;
}

/** The style of the first document of a stream that has a collection to learn from. */
export function detectStreamStyle(documentTexts: readonly string[]): YamlStyle {
  for (const text of documentTexts) {
    const doc = parseDocument(text, PARSE_OPTIONS);
    if (doc.errors.length === 0 && (isMap(doc.contents) || isSeq(doc.contents))) {
      return detectStyle(doc, text);
    }
  }
  return DEFAULT_STYLE;
}

/**
 * Rewrites one YAML document so that the value at `path` becomes `desired`, keeping everything
 * else of the document as the user wrote it: comments, key order, and (line by line) formatting of
 * every line the change does not touch. Throws on a document with syntax errors: callers only
 * edit documents the parser has read.
 */
export function rewriteDocument(text: string, path: readonly (string | number)[], desired: unknown): string {
  const doc = parseDocument(text, PARSE_OPTIONS);
  if (doc.errors.length > 0)
    throw new Error(`cannot edit a YAML document with errors: ${doc.errors[0]!.message}`);
  const style = detectStyle(doc, text);
  const printed = doc.toString(printOptions(style));
  const target = path.length === 0 ? doc.contents : doc.getIn(path, true);
  const replacement = reconcileNode(doc, target, desired);
  if (replacement !== target) {
    if (path.length === 0) doc.contents = replacement as typeof doc.contents;
    else doc.setIn(path, replacement);
  }
  const edited = doc.toString(printOptions(style));
  if (edited === printed) return text;
  const merged = mergeEditedLines(text, printed, edited);
  // The merge is a formatting nicety: if it ever changed the meaning, print the document plainly.
  if (merged !== undefined) {
    const check = parseDocument(merged, PARSE_OPTIONS);
    if (check.errors.length === 0 && deepEqual(check.toJS(), parseDocument(edited, PARSE_OPTIONS).toJS())) {
      return merged;
    }
  }
  return edited;
}

/** Prints a new document (a generated policy) in the given style, with an optional leading comment. */
export function renderDocument(value: unknown, style: YamlStyle, comment?: string): string {
  const doc = new Document(null, PARSE_OPTIONS);
  doc.contents = createNode(doc, value) as typeof doc.contents;
  // On the root node, not the document: the document's own comment is printed with a blank line after it.
  if (comment && doc.contents) {
    doc.contents.commentBefore = comment
      .split('\n')
      .map((line) => ` ${line}`)
      .join('\n');
  }
  return doc.toString(printOptions(style));
}

/** Reads one document's value the way `manifests` does (YAML 1.1). */
export function readDocument(text: string): unknown {
  return parseDocument(text, PARSE_OPTIONS).toJS({ maxAliasCount: -1 });
}
