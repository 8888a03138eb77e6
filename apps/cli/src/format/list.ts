import {
  csvRecord,
  DOT_CLOSING,
  DOT_HEADER,
  dotEdgeLine,
  dotNamespaceSubgraphs,
  dotNodeLine,
  goJsonString,
  goQuote,
  inferPeerKind,
  pieces,
  sortGo,
  workloadParts,
} from './common.ts';
import { ConnLines, type LineList } from './connLines.ts';
import type { ListReport, PeerNode } from './types.ts';

export type ListFormat = 'txt' | 'json' | 'csv' | 'md' | 'dot';

/**
 * Renders a connectivity list exactly as netpol-analyzer's `list` prints it in the given format,
 * in pieces to be written one after the other (the text of a large cluster is never held whole).
 *
 * Lines may come in any order: they are sorted here (src, then dst, Go byte order). With
 * `report.focusConn` set, the focus-connection variants are produced (no conn column; txt gets the
 * `Permitted connections on ...:` header; dot labels every edge with the focus connection).
 */
export function renderList(report: ListReport, format: ListFormat): Iterable<string> {
  const table = ConnLines.of(report.lines);
  const focus = report.focusConn;
  switch (format) {
    case 'txt':
      return listTxt(table.sorted(), focus);
    case 'json':
      return listJson(table.sorted(), focus);
    case 'csv':
      return listCsv(table.sorted(), focus);
    case 'md':
      return listMd(table.sorted(), focus);
    case 'dot':
      return listDot(table, report.peers, focus);
  }
}

function* listTxt(lines: LineList, focus: string | undefined): Generator<string> {
  if (focus !== undefined) {
    // Upstream prints the header even when no pair allows the focus connection.
    yield `Permitted connections on ${focus}:\n`;
    yield* pieces(lines.size, (i) => `${lines.src(i)} => ${lines.dst(i)}\n`);
    return;
  }
  yield* pieces(lines.size, (i) => `${lines.src(i)} => ${lines.dst(i)} : ${lines.conn(i)}\n`);
}

/**
 * Go `json.MarshalIndent(items, "", "  ")` of the lines at a nesting depth: no trailing newline;
 * an empty slice prints as `[]`.
 */
export function* jsonLineItems(lines: LineList, depth: number, withConn: boolean): Generator<string> {
  if (lines.size === 0) {
    yield '[]';
    return;
  }
  const pad = '  '.repeat(depth);
  yield '[\n';
  yield* pieces(
    lines.size,
    (i) =>
      `${i === 0 ? '' : ',\n'}${pad}  {\n${pad}    "src": ${goJsonString(lines.src(i))},\n${pad}    "dst": ${goJsonString(lines.dst(i))}` +
      (withConn ? `,\n${pad}    "conn": ${goJsonString(lines.conn(i))}` : '') +
      `\n${pad}  }`,
  );
  yield `\n${pad}]`;
}

function listJson(lines: LineList, focus: string | undefined): Iterable<string> {
  return jsonLineItems(lines, 0, focus === undefined);
}

function* listCsv(lines: LineList, focus: string | undefined): Generator<string> {
  if (focus !== undefined) {
    yield csvRecord(['src', 'dst']);
    yield* pieces(lines.size, (i) => csvRecord([lines.src(i), lines.dst(i)]));
    return;
  }
  yield csvRecord(['src', 'dst', 'conn']);
  yield* pieces(lines.size, (i) => csvRecord([lines.src(i), lines.dst(i), lines.conn(i)]));
}

function* listMd(lines: LineList, focus: string | undefined): Generator<string> {
  if (focus !== undefined) {
    yield '| src | dst |\n|-----|-----|\n';
    yield* pieces(lines.size, (i) => `| ${lines.src(i)} | ${lines.dst(i)} |\n`);
    return;
  }
  yield '| src | dst | conn |\n|-----|-----|------|\n';
  yield* pieces(lines.size, (i) => `| ${lines.src(i)} | ${lines.dst(i)} | ${lines.conn(i)} |\n`);
}

/**
 * Workloads are drawn whether or not they have edges (the caller decides which are relevant, e.g. under a
 * focus workload); IP peers only when some edge touches them, as upstream skips IP peers of its peer list.
 */
function* listDot(
  table: ConnLines,
  peers: readonly PeerNode[],
  focus: string | undefined,
): Generator<string> {
  const nodes = new Map<string, PeerNode>();
  for (const p of peers) if (p.kind !== 'external') nodes.set(p.id, p);
  const byId = new Map(peers.map((p) => [p.id, p]));
  for (const id of table.peerIds()) {
    if (!nodes.has(id)) nodes.set(id, byId.get(id) ?? { id, kind: inferPeerKind(id) });
  }
  const nsLines = new Map<string, string[]>();
  const externalLines: string[] = [];
  for (const node of nodes.values()) {
    if (node.kind === 'workload') {
      const { namespace, name } = workloadParts(node);
      const group = nsLines.get(namespace) ?? [];
      group.push(dotNodeLine(node.id, name, 'blue'));
      nsLines.set(namespace, group);
    } else {
      externalLines.push(dotNodeLine(node.id, node.id, node.kind === 'external' ? 'red2' : 'blue'));
    }
  }
  yield [DOT_HEADER, ...dotNamespaceSubgraphs(nsLines), ...sortGo(externalLines), ''].join('\n');
  // Upstream sorts the rendered edge lines: the quoted source, the quoted destination, then the
  // quoted label (which differs only between lines of one pair, never from an analysis).
  const edges = focus === undefined ? table.sorted(goQuote, goQuote) : table.sorted(goQuote);
  yield* pieces(
    edges.size,
    (i) => `${dotEdgeLine(edges.src(i), edges.dst(i), focus ?? edges.conn(i), 'gold2', 'darkgreen')}\n`,
  );
  yield DOT_CLOSING;
}
