/**
 * netpol-analyzer's `list --exposure` outputs: the connectivity list followed by the exposure
 * section, in txt, json, csv, md and dot. Lines to and from IP peers are repeated in the exposure
 * section of every workload that has one, as upstream does.
 */

// Relative until the evaluator's index exports the exposure module.
import type { ExposureReport, RepresentativePeer, WorkloadExposure } from '@netpol-atlas/evaluator';
import { formatConnectionSet } from '@netpol-atlas/evaluator';
import {
  compareGo,
  csvRecord,
  DOT_CLOSING,
  DOT_HEADER,
  dotEdgeLine,
  dotNamespaceSubgraphs,
  dotNodeLine,
  goQuote,
  inferPeerKind,
  pieces,
  sortGo,
  workloadParts,
} from './common.ts';
import { ConnLines, lineList } from './connLines.ts';
import { jsonLineItems, type ListFormat, renderList } from './list.ts';
import type { ConnLine, ListReport, PeerNode } from './types.ts';

const ENTIRE_CLUSTER = 'entire-cluster';

/** One exposure line, always stored as src/dst/conn (ingress lines have the workload as dst). */
export interface ExposureLine extends ConnLine {
  /** The workload the line is about. */
  workload: string;
  /** Set for lines with a representative peer (the dot format draws them apart). */
  representative?: RepresentativePeer;
}

/** The exposure section as the formatters print it. */
export interface ExposureView {
  /** Sorted by src, then dst. */
  egress: ExposureLine[];
  /** Sorted by dst (the workload), then src. */
  ingress: ExposureLine[];
  /** `ns/name[Kind] is not protected on Ingress`, sorted. */
  unprotected: string[];
  /** Length of the longest listed workload string (the txt column width). */
  width: number;
  /** `UDP 52` under `--focus-conn`: the lines then have no connection column. */
  focusConn?: string;
}

function isExternal(id: string): boolean {
  return inferPeerKind(id) === 'external';
}

/**
 * Turns an exposure report into printable lines. `list` is the connectivity list as printed (it
 * may be focused): its lines with an IP peer are repeated under each listed workload. Under a
 * focus connection (the report then holds only lines that include it) a line's connection is the
 * focus one, except on an unprotected side, which stays `All Connections` (upstream's dot labels),
 * and the unprotected workloads are not listed apart.
 */
export function buildExposureView(
  report: ExposureReport,
  list: ListReport,
  /** How a named port of no protocol (a cluster policy's) is labelled; netpol-analyzer prints ''. */
  anyProtocol = 'any',
): ExposureView {
  const fromIps = new Map<string, ConnLine[]>();
  const toIps = new Map<string, ConnLine[]>();
  for (const line of list.lines) {
    if (isExternal(line.src)) fromIps.set(line.dst, [...(fromIps.get(line.dst) ?? []), line]);
    if (isExternal(line.dst)) toIps.set(line.src, [...(toIps.get(line.src) ?? []), line]);
  }
  const egress: ExposureLine[] = [];
  const ingress: ExposureLine[] = [];
  const unprotected: string[] = [];
  let width = 0;
  for (const item of report.workloads) {
    const id = item.workload.id;
    width = Math.max(width, id.length);
    for (const side of ['ingress', 'egress'] as const) {
      const target = side === 'ingress' ? ingress : egress;
      for (const line of sideLines(item, side, list.focusConn, anyProtocol)) target.push(line);
      const ips = (side === 'ingress' ? fromIps : toIps).get(id) ?? [];
      for (const l of ips) target.push({ ...l, workload: id });
      if (!item[side].protected && list.focusConn === undefined) {
        unprotected.push(`${id} is not protected on ${side === 'ingress' ? 'Ingress' : 'Egress'}`);
      }
    }
  }
  egress.sort((a, b) => compareGo(a.src, b.src) || compareGo(a.dst, b.dst));
  ingress.sort((a, b) => compareGo(a.dst, b.dst) || compareGo(a.src, b.src));
  return {
    egress,
    ingress,
    unprotected: sortGo(unprotected),
    width,
    ...(list.focusConn === undefined ? {} : { focusConn: list.focusConn }),
  };
}

function sideLines(
  item: WorkloadExposure,
  side: 'ingress' | 'egress',
  focusConn: string | undefined,
  anyProtocol: string,
): ExposureLine[] {
  const id = item.workload.id;
  const make = (other: string, conn: string, representative?: RepresentativePeer): ExposureLine => ({
    ...(side === 'ingress' ? { src: other, dst: id } : { src: id, dst: other }),
    conn,
    workload: id,
    ...(representative ? { representative } : {}),
  });
  if (!item[side].protected) return [make(ENTIRE_CLUSTER, 'All Connections')];
  return item[side].entries.map((e) =>
    e.peer === 'entire-cluster'
      ? make(ENTIRE_CLUSTER, focusConn ?? formatConnectionSet(e.conn, anyProtocol))
      : make(e.peer.id, focusConn ?? formatConnectionSet(e.conn, anyProtocol), e.peer),
  );
}

/**
 * Renders `list --exposure` in the given format, in pieces: the list exactly as
 * {@link renderList} prints it, then the exposure section (dot: one graph with the exposure edges
 * dashed).
 */
export function* renderListWithExposure(
  report: ListReport,
  view: ExposureView,
  format: ListFormat,
): Generator<string> {
  const list = { ...report, lines: ConnLines.of(report.lines) };
  switch (format) {
    case 'txt':
      yield* renderList(list, 'txt');
      // A blank line after the list, when it printed anything.
      if (list.lines.size > 0 || list.focusConn !== undefined) yield '\n';
      yield exposureTxt(view);
      return;
    case 'json':
      yield* exposureJson(list.lines, view);
      return;
    case 'csv':
      yield* renderList(list, 'csv');
      yield exposureCsv(view);
      return;
    case 'md':
      yield* renderList(list, 'md');
      yield exposureMd(view);
      return;
    case 'dot':
      yield* exposureDot(list, view);
  }
}

/** The txt exposure section alone (also printed after `--explain` output). */
export function exposureTxt(view: ExposureView): string {
  const conn = (l: ExposureLine) => (view.focusConn === undefined ? ` : ${l.conn}` : '');
  const line = (l: ExposureLine, ingress: boolean) =>
    `${l.workload.padEnd(view.width)} \t${ingress ? '<=' : '=>'} \t${ingress ? l.src : l.dst}${conn(l)}\n`;
  let out = `${exposureTitle(view)}\n`;
  if (view.egress.length > 0) out += `Egress Exposure:\n${view.egress.map((l) => line(l, false)).join('')}`;
  if (view.ingress.length > 0) {
    out += `${view.egress.length > 0 ? '\n' : ''}Ingress Exposure:\n${view.ingress.map((l) => line(l, true)).join('')}`;
  }
  if (view.unprotected.length > 0) {
    out += `\nWorkloads not protected by network policies:\n${view.unprotected.map((u) => `${u}\n`).join('')}`;
  }
  return out;
}

/** The exposure lines in json; an empty side prints `null` (a nil slice), as upstream's does. */
function exposureItems(
  lines: readonly ExposureLine[],
  nilWhenEmpty: boolean,
  withConn: boolean,
): Iterable<string> {
  if (lines.length === 0 && nilWhenEmpty) return ['null'];
  return jsonLineItems(lineList(lines), 2, withConn);
}

function* exposureJson(lines: ConnLines, view: ExposureView): Generator<string> {
  // Upstream's focus-connection variant names its keys apart, drops `conn` and prints empty lists as [].
  const focus = view.focusConn !== undefined;
  const suffix = focus ? '_conn_focus' : '';
  yield `{\n  "connlist${suffix}_results": `;
  yield* jsonLineItems(lines.sorted(), 1, !focus);
  yield `,\n  "exposure${suffix}_results": {\n    "egress_exposure": `;
  yield* exposureItems(view.egress, !focus, !focus);
  yield ',\n    "ingress_exposure": ';
  yield* exposureItems(view.ingress, !focus, !focus);
  yield '\n  }\n}';
}

function exposureCsv(view: ExposureView): string {
  const focus = view.focusConn !== undefined;
  const row = (a: string, b: string, conn: string) => csvRecord(focus ? [a, b] : [a, b, conn]);
  let out = csvRecord([exposureTitle(view), '', '']);
  if (view.egress.length > 0) {
    out += csvRecord(['Egress Exposure:', '', '']) + row('src', 'dst', 'conn');
    for (const l of view.egress) out += row(l.src, l.dst, l.conn);
  }
  if (view.ingress.length > 0) {
    out += csvRecord(['Ingress Exposure:', '', '']) + row('dst', 'src', 'conn');
    for (const l of view.ingress) out += row(l.dst, l.src, l.conn);
  }
  return out;
}

/** `Exposure Analysis Result:`, or `Exposure Analysis Result On UDP 52:` under a focus connection. */
function exposureTitle(view: ExposureView): string {
  return view.focusConn === undefined
    ? 'Exposure Analysis Result:'
    : `Exposure Analysis Result On ${view.focusConn}:`;
}

function exposureMd(view: ExposureView): string {
  const focus = view.focusConn !== undefined;
  const head = (a: string, b: string) =>
    focus ? `| ${a} | ${b} |\n|-----|-----|\n` : `| ${a} | ${b} | conn |\n|-----|-----|------|\n`;
  const row = (a: string, b: string, conn: string) =>
    focus ? `| ${a} | ${b} |\n` : `| ${a} | ${b} | ${conn} |\n`;
  let out = `## ${exposureTitle(view)}\n`;
  if (view.egress.length > 0) {
    out += `### Egress Exposure:\n${head('src', 'dst')}`;
    for (const l of view.egress) out += row(l.src, l.dst, l.conn);
  }
  if (view.ingress.length > 0) {
    out += `${view.egress.length > 0 ? '\n' : ''}### Ingress Exposure:\n${head('dst', 'src')}`;
    for (const l of view.ingress) out += row(l.dst, l.src, l.conn);
  }
  return out;
}

/** Node id of a representative peer in dot: `<pod part>_in_<namespace part>`. */
function dotRepresentativeId(rep: RepresentativePeer): string {
  return `${rep.podText}_in_${rep.namespaceText}`;
}

/** A dashed exposure edge: ingress darkorange2 (weight 1), egress darkorange4 (weight 0.5). */
function dotExposureEdge(src: string, dst: string, conn: string, ingress: boolean): string {
  return (
    `\t${goQuote(src)} -> ${goQuote(dst)} [label=${goQuote(conn)} ` +
    `color=${goQuote(ingress ? 'darkorange2' : 'darkorange4')} fontcolor="darkgreen" ` +
    `weight=${ingress ? '1' : '0.5'} style=dashed]`
  );
}

function* exposureDot(list: ListReport, view: ExposureView): Generator<string> {
  const lines = [...list.lines];
  const nodes = new Map<string, PeerNode>();
  for (const p of list.peers) if (p.kind !== 'external') nodes.set(p.id, p);
  const byId = new Map(list.peers.map((p) => [p.id, p]));
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
      nsLines.set(namespace, [...(nsLines.get(namespace) ?? []), dotNodeLine(node.id, name, 'blue')]);
    } else {
      externalLines.push(dotNodeLine(node.id, node.id, node.kind === 'external' ? 'red2' : 'blue'));
    }
  }
  const edges = lines.map((l) => dotEdgeLine(l.src, l.dst, list.focusConn ?? l.conn, 'gold2', 'darkgreen'));
  const repLines = new Map<string, Set<string>>();
  let entireCluster = false;
  for (const [ingress, group] of [
    [true, view.ingress],
    [false, view.egress],
  ] as const) {
    for (const l of group) {
      const other = ingress ? l.src : l.dst;
      let otherId: string;
      if (l.representative) {
        otherId = dotRepresentativeId(l.representative);
        const ns = l.representative.namespaceText;
        const set = repLines.get(ns) ?? new Set<string>();
        set.add(
          `\t\t${goQuote(otherId)} [label=${goQuote(l.representative.podText)} color="red2" fontcolor="red2"]`,
        );
        repLines.set(ns, set);
      } else if (other === ENTIRE_CLUSTER) {
        otherId = other;
        entireCluster = true;
      } else {
        continue; // IP lines are already edges of the list
      }
      edges.push(
        ingress
          ? dotExposureEdge(otherId, l.workload, l.conn, true)
          : dotExposureEdge(l.workload, otherId, l.conn, false),
      );
    }
  }
  if (entireCluster) {
    externalLines.push(
      `\t"${ENTIRE_CLUSTER}" [label="${ENTIRE_CLUSTER}" color="red2" fontcolor="red2" shape=diamond]`,
    );
  }
  const repSubgraphs: string[] = [];
  for (const ns of sortGo([...repLines.keys()])) {
    const label = `${ns}[namespace]`;
    repSubgraphs.push(
      `\tsubgraph ${goQuote(`cluster_${label.replaceAll('-', '_')}`)} {`,
      '\t\tcolor="red2"',
      '\t\tfontcolor="red2"',
      ...sortGo([...repLines.get(ns)!]),
      `\t\tlabel=${goQuote(label)}`,
      '\t}',
    );
  }
  const parts = [
    DOT_HEADER,
    ...dotNamespaceSubgraphs(nsLines),
    ...repSubgraphs,
    ...sortGo(externalLines),
    ...sortGo(edges),
  ];
  yield* pieces(parts.length, (i) => `${parts[i]}\n`);
  yield DOT_CLOSING;
}
