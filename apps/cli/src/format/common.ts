/**
 * Rendering primitives shared by the list and diff formatters. Each one imitates a specific Go behaviour
 * (sort.Strings, encoding/csv, encoding/json, fmt's %q) because netpol-analyzer's goldens are compared
 * byte for byte.
 */

import type { PeerNode } from './types.ts';

/** Peer string of the fake ingress-controller source. */
export const INGRESS_CONTROLLER = '{ingress-controller}';

/**
 * Go string order: UTF-8 byte order, which equals code point order. Plain `<` compares UTF-16 code units,
 * which only disagrees for astral characters against U+E000..U+FFFF, but costs nothing to get right.
 */
export function compareGo(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (astral code point) must sort after every BMP code unit, including U+E000..U+FFFF.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** Sorted copy, in Go `sort.Strings` order. */
export function sortGo(values: readonly string[]): string[] {
  return [...values].sort(compareGo);
}

/** Go `encoding/csv` quoting rule for one field (Comma = ','). */
function csvField(field: string): string {
  if (field === '') return field;
  const needsQuotes =
    field === '\\.' ||
    /[,"\r\n]/.test(field) ||
    // encoding/csv also quotes a leading unicode.IsSpace rune, so that readers keep it.
    /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/.test(field);
  if (!needsQuotes) return field;
  // Without UseCRLF Go keeps '\r' and '\n' verbatim inside quotes, so doubling quotes is the only rewrite.
  return '"' + field.replaceAll('"', '""') + '"';
}

/** One record as Go's `csv.Writer` writes it (LF line end included). */
export function csvRecord(fields: readonly string[]): string {
  return fields.map(csvField).join(',') + '\n';
}

/**
 * A JSON string literal as Go's `encoding/json` writes it: like JSON.stringify, but with its default HTML
 * escaping of `<`, `>`, `&` and the JS line separators.
 */
export function goJsonString(value: string): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'),
  );
}

/** Go's `%q` (strconv.Quote) for the strings that can occur in peer and connection text. */
export function goQuote(value: string): string {
  let out = '"';
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        break;
      case '\\':
        out += '\\\\';
        break;
      case '\x07':
        out += '\\a';
        break;
      case '\b':
        out += '\\b';
        break;
      case '\f':
        out += '\\f';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      case '\v':
        out += '\\v';
        break;
      default:
        if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
        else out += ch;
    }
  }
  return out + '"';
}

export const DOT_HEADER = 'digraph {';
export const DOT_CLOSING = '}';

/**
 * Edge weight: upstream weights an edge by the string order of its end points, which keeps a pair's two
 * directions from being laid out on top of each other.
 */
export function edgeWeight(src: string, dst: string): string {
  return compareGo(src, dst) <= 0 ? '0.5' : '1';
}

/** `\t"src" -> "dst" [label=... color=... fontcolor=... weight=...]` */
export function dotEdgeLine(
  src: string,
  dst: string,
  label: string,
  color: string,
  fontColor: string,
): string {
  return (
    `\t${goQuote(src)} -> ${goQuote(dst)} [label=${goQuote(label)} color=${goQuote(color)} ` +
    `fontcolor=${goQuote(fontColor)} weight=${edgeWeight(src, dst)}]`
  );
}

/** `\t"id" [label="label" color="c" fontcolor="c"]` */
export function dotNodeLine(id: string, label: string, color: string): string {
  return `\t${goQuote(id)} [label=${goQuote(label)} color=${goQuote(color)} fontcolor=${goQuote(color)}]`;
}

/**
 * One `subgraph "cluster_<ns>[namespace]"` block per namespace, namespaces and their node lines in Go order.
 * `nodeLines` are top-level node lines; they get one more tab inside the subgraph.
 */
export function dotNamespaceSubgraphs(nodeLinesByNamespace: ReadonlyMap<string, string[]>): string[] {
  const out: string[] = [];
  for (const ns of sortGo([...nodeLinesByNamespace.keys()])) {
    const label = ns + '[namespace]';
    // Graphviz treats '-' in a subgraph ID as an operator, so upstream swaps it for '_'; the label keeps it.
    out.push(`\tsubgraph ${goQuote('cluster_' + label.replaceAll('-', '_'))} {`);
    out.push('\t\tcolor="black"', '\t\tfontcolor="black"');
    for (const line of sortGo(nodeLinesByNamespace.get(ns) ?? [])) out.push('\t' + line);
    out.push(`\t\tlabel=${goQuote(label)}`, '\t}');
  }
  return out;
}

/**
 * Kind of a peer known only by its string, for edge end points the caller did not list as peers.
 * IP peers are `<first>-<last>[External]`, domain names `dns:<pattern>`; workloads always contain a `/`.
 */
export function inferPeerKind(id: string): PeerNode['kind'] {
  if (id === INGRESS_CONTROLLER) return 'ingress-controller';
  if (!id.includes('/') && id.endsWith('[External]')) return 'external';
  // Domain names a cluster policy allows egress to (`dns:*.example.com`) are outside the cluster too.
  if (id.startsWith('dns:')) return 'external';
  return 'workload';
}

/** Namespace and "name[Kind]" label of a workload, from the node fields or else from its `ns/name[Kind]` id. */
export function workloadParts(peer: { id: string; namespace?: string; name?: string }): {
  namespace: string;
  name: string;
} {
  const slash = peer.id.indexOf('/');
  return {
    namespace: peer.namespace ?? (slash < 0 ? '' : peer.id.slice(0, slash)),
    name: peer.name ?? peer.id.slice(slash + 1),
  };
}

/**
 * About how many characters a formatter gathers before it hands a piece of output on: large
 * enough that writing costs little per line, small enough that no output is ever held whole.
 */
const PIECE_CHARS = 64 * 1024;

/** `line(0)` .. `line(count - 1)` concatenated, handed on in pieces of about {@link PIECE_CHARS}. */
export function* pieces(count: number, line: (i: number) => string): Generator<string> {
  let piece = '';
  for (let i = 0; i < count; i++) {
    piece += line(i);
    if (piece.length >= PIECE_CHARS) {
      yield piece;
      piece = '';
    }
  }
  if (piece !== '') yield piece;
}
