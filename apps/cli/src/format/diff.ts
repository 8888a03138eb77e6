import {
  csvRecord,
  DOT_CLOSING,
  DOT_HEADER,
  dotEdgeLine,
  dotNamespaceSubgraphs,
  dotNodeLine,
  INGRESS_CONTROLLER,
  inferPeerKind,
  pieces,
  sortGo,
  workloadParts,
} from './common.ts';
import type { DiffLine, DiffReport, DiffType } from './types.ts';

export type DiffFormat = 'txt' | 'csv' | 'md' | 'dot';

const DIFF_TYPE_ORDER: readonly DiffType[] = ['changed', 'added', 'removed'];

/**
 * Renders a connectivity diff exactly as netpol-analyzer's `diff` prints it in the given format, in
 * pieces to be written one after the other.
 *
 * Lines may come in any order. They are grouped changed, added, removed (pairs from the ingress controller
 * after all others, in the same three groups) and sorted within a group by their rendered text. A diff with
 * no changed, added or removed pair prints nothing at all, in every format.
 */
export function* renderDiff(report: DiffReport, format: DiffFormat): Generator<string> {
  if (report.lines.length === 0) return;
  const [ref1, ref2] = report.refNames;
  switch (format) {
    case 'txt': {
      yield 'Connectivity diff:\n';
      const rows = orderedRows(report.lines, (l) => txtRow(l, ref1, ref2));
      yield* pieces(rows.length, (i) => `${rows[i]}\n`);
      return;
    }
    case 'csv': {
      yield csvRecord(['diff-type', 'source', 'destination', ref1, ref2, 'workloads-diff-info']);
      // Upstream sorts csv rows as `;`-joined strings before splitting them into fields, which orders
      // `x-y` before `x`, unlike the written `,`-joined rows. Like upstream, a field holding `;` would split.
      const rows = orderedRows(report.lines, (l) => csvFields(l).join(';'));
      yield* pieces(rows.length, (i) => csvRecord(rows[i]!.split(';')));
      return;
    }
    case 'md': {
      yield `| diff-type | source | destination | ${ref1} | ${ref2} | workloads-diff-info |\n`;
      // The separator has fixed widths, whatever the ref names are.
      yield '|-----------|--------|-------------|------|------|---------------------|';
      const rows = orderedRows(report.lines, mdRow);
      yield* pieces(rows.length, (i) => `\n${rows[i]}`);
      return;
    }
    case 'dot':
      yield* diffDot(report);
  }
}

function txtRow(l: DiffLine, ref1: string, ref2: string): string {
  const row =
    `diff-type: ${l.diffType}, source: ${l.src}, destination: ${l.dst}, ` +
    `${ref1}: ${l.before}, ${ref2}: ${l.after}`;
  return l.info === '' ? row : `${row}, workloads-diff-info: ${l.info}`;
}

function csvFields(l: DiffLine): string[] {
  return [l.diffType, l.src, l.dst, l.before, l.after, l.info];
}

function mdRow(l: DiffLine): string {
  return `| ${l.diffType} | ${l.src} | ${l.dst} | ${l.before} | ${l.after} | ${l.info} |`;
}

/** Rows in upstream's category order, each category sorted by its rendered row. */
function orderedRows(lines: readonly DiffLine[], render: (l: DiffLine) => string): string[] {
  const out: string[] = [];
  for (const ingress of [false, true]) {
    for (const type of DIFF_TYPE_ORDER) {
      const rows = lines.filter((l) => l.ingressController === ingress && l.diffType === type).map(render);
      out.push(...sortGo(rows));
    }
  }
  return out;
}

const PEER_COLOR = { persistent: 'blue', new: '#008000', lost: 'red' } as const;
const EDGE_COLOR = { unchanged: 'grey', changed: 'magenta', added: '#008000', removed: 'red2' } as const;

/**
 * Upstream draws only peers that are an end point of some pair (unchanged ones included), so peers with no
 * connection in either ref are left out even when listed in `report.peers`.
 */
function* diffDot(report: DiffReport): Generator<string> {
  const [ref1] = report.refNames;
  const peerInfo = new Map(report.peers.map((p) => [p.id, p]));
  const edges: string[] = [];
  const ingressEdges: string[] = [];
  const endPoints = new Set<string>();
  const addEdge = (src: string, dst: string, ingress: boolean, line: string) => {
    endPoints.add(src).add(dst);
    (ingress ? ingressEdges : edges).push(line);
  };
  for (const u of report.unchanged ?? []) {
    const ingress = u.src === INGRESS_CONTROLLER;
    addEdge(
      u.src,
      u.dst,
      ingress,
      dotEdgeLine(u.src, u.dst, u.conn, EDGE_COLOR.unchanged, EDGE_COLOR.unchanged),
    );
  }
  for (const l of report.lines) {
    const label =
      l.diffType === 'changed'
        ? `${l.after} (${ref1}: ${l.before})`
        : l.diffType === 'added'
          ? l.after
          : l.before;
    const color = EDGE_COLOR[l.diffType];
    addEdge(l.src, l.dst, l.ingressController, dotEdgeLine(l.src, l.dst, label, color, color));
  }

  const nsLines = new Map<string, string[]>();
  const externalLines: string[] = [];
  for (const id of endPoints) {
    const info = peerInfo.get(id);
    const color = PEER_COLOR[info?.status ?? 'persistent'];
    if ((info?.kind ?? inferPeerKind(id)) === 'workload') {
      const { namespace, name } = workloadParts(info ?? { id });
      const group = nsLines.get(namespace) ?? [];
      group.push(dotNodeLine(id, name, color));
      nsLines.set(namespace, group);
    } else {
      externalLines.push(dotNodeLine(id, id, color));
    }
  }
  const parts = [
    DOT_HEADER,
    ...dotNamespaceSubgraphs(nsLines),
    ...sortGo(externalLines),
    ...sortGo(edges),
    ...sortGo(ingressEdges),
    ...LEGEND,
  ];
  yield* pieces(parts.length, (i) => `${parts[i]}\n`);
  yield DOT_CLOSING;
}

/** Fixed key of edge and node colours that upstream appends to every dot diff. */
const LEGEND: readonly string[] = [
  '\tnodesep=0.5',
  '\tsubgraph cluster_legend {',
  '\t\tlabel="Legend"',
  '\t\tfontsize = 10',
  '\t\tmargin=0',
  ...['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((n) => `\t\t${n} [style=invis height=0 width=0]`),
  '\t\t{rank=source a b c d}',
  '\t\t{rank=same e f g h}',
  '\t\ta -> b [label="added connection", color="#008000" fontcolor="#008000" fontsize = 10 arrowsize=0.2]',
  '\t\tc -> d [label="removed connection", color="red2" fontcolor="red2" fontsize = 10 arrowsize=0.2]',
  '\t\te -> f [label="changed connection", color="magenta" fontcolor="magenta" fontsize = 10 arrowsize=0.2]',
  '\t\tg -> h [label="unchanged connection", color="grey" fontcolor="grey" fontsize = 10 arrowsize=0.2]',
  '\t\tnp [label="new peer" color="#008000" fontcolor="#008000" fontsize = 10]',
  '\t\tlp [label="lost peer" color="red" fontcolor="red" fontsize = 10]',
  '\t\tpp [label="persistent peer" color="blue" fontcolor="blue" fontsize = 10]',
  '\t\t{rank=sink np lp pp}',
  '\t\tnp->lp [style=invis]',
  '\t\tlp->pp [style=invis]',
  '\t}',
];
