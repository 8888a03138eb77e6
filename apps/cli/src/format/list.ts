import {
  compareGo,
  csvRecord,
  DOT_CLOSING,
  DOT_HEADER,
  dotEdgeLine,
  dotNamespaceSubgraphs,
  dotNodeLine,
  goJsonString,
  inferPeerKind,
  sortGo,
  workloadParts,
} from './common.ts';
import type { ConnLine, ListReport, PeerNode } from './types.ts';

export type ListFormat = 'txt' | 'json' | 'csv' | 'md' | 'dot';

/**
 * Renders a connectivity list exactly as netpol-analyzer's `list` prints it in the given format.
 *
 * Lines may come in any order: they are sorted here (src, then dst, Go byte order). With
 * `report.focusConn` set, the focus-connection variants are produced (no conn column; txt gets the
 * `Permitted connections on ...:` header; dot labels every edge with the focus connection).
 */
export function formatList(report: ListReport, format: ListFormat): string {
  const lines = [...report.lines].sort((a, b) => compareGo(a.src, b.src) || compareGo(a.dst, b.dst));
  const focus = report.focusConn;
  switch (format) {
    case 'txt':
      return listTxt(lines, focus);
    case 'json':
      return listJson(lines, focus);
    case 'csv':
      return listCsv(lines, focus);
    case 'md':
      return listMd(lines, focus);
    case 'dot':
      return listDot(lines, report.peers, focus);
  }
}

function listTxt(lines: readonly ConnLine[], focus: string | undefined): string {
  if (focus !== undefined) {
    // Upstream prints the header even when no pair allows the focus connection.
    return `Permitted connections on ${focus}:\n` + lines.map((l) => `${l.src} => ${l.dst}\n`).join('');
  }
  return lines.map((l) => `${l.src} => ${l.dst} : ${l.conn}\n`).join('');
}

/** Go `json.MarshalIndent(items, "", "  ")`, which has no trailing newline and prints an empty slice as `[]`. */
function listJson(lines: readonly ConnLine[], focus: string | undefined): string {
  if (lines.length === 0) return '[]';
  const items = lines.map((l) => {
    const fields = [`    "src": ${goJsonString(l.src)}`, `    "dst": ${goJsonString(l.dst)}`];
    if (focus === undefined) fields.push(`    "conn": ${goJsonString(l.conn)}`);
    return '  {\n' + fields.join(',\n') + '\n  }';
  });
  return '[\n' + items.join(',\n') + '\n]';
}

function listCsv(lines: readonly ConnLine[], focus: string | undefined): string {
  if (focus !== undefined)
    return csvRecord(['src', 'dst']) + lines.map((l) => csvRecord([l.src, l.dst])).join('');
  return csvRecord(['src', 'dst', 'conn']) + lines.map((l) => csvRecord([l.src, l.dst, l.conn])).join('');
}

function listMd(lines: readonly ConnLine[], focus: string | undefined): string {
  if (focus !== undefined) {
    return '| src | dst |\n|-----|-----|\n' + lines.map((l) => `| ${l.src} | ${l.dst} |\n`).join('');
  }
  return (
    '| src | dst | conn |\n|-----|-----|------|\n' +
    lines.map((l) => `| ${l.src} | ${l.dst} | ${l.conn} |\n`).join('')
  );
}

/**
 * Workloads are drawn whether or not they have edges (the caller decides which are relevant, e.g. under a
 * focus workload); IP peers only when some edge touches them, as upstream skips IP peers of its peer list.
 */
function listDot(lines: readonly ConnLine[], peers: readonly PeerNode[], focus: string | undefined): string {
  const nodes = new Map<string, PeerNode>();
  for (const p of peers) if (p.kind !== 'external') nodes.set(p.id, p);
  const byId = new Map(peers.map((p) => [p.id, p]));
  for (const l of lines) {
    for (const id of [l.src, l.dst]) {
      if (!nodes.has(id)) nodes.set(id, byId.get(id) ?? { id, kind: inferPeerKind(id) });
    }
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
  const edges = lines.map((l) => dotEdgeLine(l.src, l.dst, focus ?? l.conn, 'gold2', 'darkgreen'));
  return [
    DOT_HEADER,
    ...dotNamespaceSubgraphs(nsLines),
    ...sortGo(externalLines),
    ...sortGo(edges),
    DOT_CLOSING,
  ].join('\n');
}
