import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR } from '../../../../conformance/corpus.ts';
import { type ListFormat, renderList } from './list.ts';
import type { ConnLine, ListReport, PeerNode } from './types.ts';

// Upstream's goldens, read in place: /work/shared/conformance/netpol-analyzer/ from apps/cli/src/format/.
const CORPUS = pathToFileURL(CORPUS_DIR);

/** The list as one text: its pieces joined. */
function formatList(report: ListReport, format: ListFormat): string {
  return [...renderList(report, format)].join('');
}

function read(rel: string): string {
  return readFileSync(new URL(rel, CORPUS), 'utf8');
}

/** Upstream's comparison: every \n and \r removed from both sides, everything else must match. */
function normalize(text: string): string {
  return text.replace(/[\r\n]/g, '');
}

/** Deterministic shuffle, so the tests also prove that the formatter sorts. */
function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  let seed = 12345;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Connection lines (and the focus connection, if any) of a golden list in txt format. */
function parseTxt(text: string): { lines: ConnLine[]; focusConn?: string } {
  const rows = text.split('\n').filter((r) => r !== '');
  const header = /^Permitted connections on (.+):$/.exec(rows[0] ?? '');
  if (header) {
    const lines = rows.slice(1).map((row) => {
      const [src, dst] = row.split(' => ');
      return { src: src!, dst: dst!, conn: '' };
    });
    return { lines, focusConn: header[1]! };
  }
  const lines = rows.map((row) => {
    const m = /^(.+?) => (.+?) : (.+)$/.exec(row);
    if (!m) throw new Error(`unparsable golden line: ${row}`);
    return { src: m[1]!, dst: m[2]!, conn: m[3]! };
  });
  return { lines };
}

/** The node list of a golden dot: namespace from the enclosing subgraph label, kind from colour. */
function parseDotPeers(text: string): PeerNode[] {
  const peers: PeerNode[] = [];
  let namespace: string | undefined;
  let pending: PeerNode[] = [];
  for (const row of text.split('\n')) {
    if (/^\tsubgraph /.test(row)) {
      pending = [];
      continue;
    }
    const label = /^\t\tlabel="(.*)\[namespace\]"$/.exec(row);
    if (label) {
      namespace = label[1]!;
      for (const p of pending) peers.push({ ...p, namespace });
      pending = [];
      continue;
    }
    const node = /^(\t\t?)"([^"]+)" \[label="([^"]+)" color="([^"]+)"/.exec(row);
    if (!node) continue;
    const [, indent, id, name, color] = node as unknown as [string, string, string, string, string];
    if (indent === '\t\t') pending.push({ id, kind: 'workload', name });
    else peers.push({ id, kind: color === 'red2' ? 'external' : 'ingress-controller' });
  }
  return peers;
}

interface CaseEntry {
  name: string;
  command: string;
  expectedOutput: string | null;
  flags: { outputFormat?: string; exposure?: boolean; explain?: boolean; multipleNetworks?: boolean };
}

const cases = (JSON.parse(read('cases.json')) as { cases: CaseEntry[] }).cases;

/** Plain list goldens (no exposure, explain or multi-network sections): what formatList covers. */
const plainListOutputs = [
  ...new Set(
    cases
      .filter(
        (c) =>
          c.command === 'list' &&
          c.expectedOutput !== null &&
          !c.flags.exposure &&
          !c.flags.explain &&
          !c.flags.multipleNetworks,
      )
      .map((c) => c.expectedOutput!),
  ),
].sort();

function reportFor(golden: string, format: ListFormat): ListReport {
  const txt = parseTxt(read(golden.replace(/\.\w+$/, '.txt')));
  const peers = format === 'dot' ? parseDotPeers(read(golden)) : [];
  return {
    lines: shuffled(txt.lines),
    peers,
    ...(txt.focusConn !== undefined && { focusConn: txt.focusConn }),
  };
}

function expectGolden(golden: string): void {
  const format = golden.slice(golden.lastIndexOf('.') + 1) as ListFormat;
  const actual = formatList(reportFor(golden, format), format);
  expect(normalize(actual)).toBe(normalize(read(golden)));
}

describe('formatList against named goldens', () => {
  const named = [
    'test_outputs/connlist/onlineboutique_connlist_output.txt',
    'test_outputs/connlist/onlineboutique_connlist_output.json',
    'test_outputs/connlist/onlineboutique_connlist_output.md',
    'test_outputs/connlist/onlineboutique_workloads_connlist_output.txt',
    'test_outputs/connlist/onlineboutique_workloads_connlist_output.csv',
    'test_outputs/connlist/onlineboutique_workloads_connlist_output.dot',
    ...['txt', 'json', 'csv', 'md', 'dot'].map(
      (f) => `test_outputs/connlist/netpol-analysis-example-minimal_connlist_output.${f}`,
    ),
    ...['txt', 'json', 'csv', 'md', 'dot'].map(
      (f) => `test_outputs/cli/onlineboutique_workloads_focus_workload_emailservice_connlist_output.${f}`,
    ),
    ...['txt', 'json', 'csv', 'md', 'dot'].map(
      (f) => `test_outputs/connlist/anp_demo_udp-52_connlist_output.${f}`,
    ),
    ...['txt', 'json', 'csv', 'md', 'dot'].map(
      (f) => `test_outputs/connlist/acs_security_frontend_demos_connlist_output.${f}`,
    ),
  ];
  it.each(named)('%s', (golden) => expectGolden(golden));

  it('matches the golden bytes exactly, not just modulo line breaks', () => {
    const golden = 'test_outputs/connlist/netpol-analysis-example-minimal_connlist_output';
    for (const format of ['txt', 'json', 'csv', 'md', 'dot'] as const) {
      expect(formatList(reportFor(`${golden}.${format}`, format), format)).toBe(read(`${golden}.${format}`));
    }
  });
});

describe('formatList against every plain list golden in cases.json', () => {
  it('finds the plain list goldens', () => {
    expect(plainListOutputs.length).toBeGreaterThan(300);
  });
  it.each(plainListOutputs)('%s', (golden) => expectGolden(golden));
});

describe('formatList details', () => {
  const frontend: PeerNode = {
    id: 'default/frontend[Deployment]',
    kind: 'workload',
    namespace: 'default',
    name: 'frontend[Deployment]',
  };
  const ip: PeerNode = { id: '0.0.0.0-255.255.255.255[External]', kind: 'external' };

  it('prints empty lists like upstream', () => {
    const empty: ListReport = { lines: [], peers: [] };
    expect(formatList(empty, 'txt')).toBe('');
    expect(formatList(empty, 'json')).toBe('[]');
    expect(formatList(empty, 'csv')).toBe('src,dst,conn\n');
    expect(formatList(empty, 'md')).toBe('| src | dst | conn |\n|-----|-----|------|\n');
    expect(formatList({ ...empty, focusConn: 'TCP 80' }, 'txt')).toBe('Permitted connections on TCP 80:\n');
  });

  it('draws isolated workloads but not isolated IP peers in dot', () => {
    const dot = formatList({ lines: [], peers: [frontend, ip] }, 'dot');
    expect(dot).toContain('"default/frontend[Deployment]" [label="frontend[Deployment]"');
    expect(dot).not.toContain('0.0.0.0');
  });

  it('infers node details for edge end points missing from peers', () => {
    const dot = formatList(
      {
        lines: [
          { src: '{ingress-controller}', dst: 'my-ns/web[Deployment]', conn: 'TCP 8080' },
          { src: 'my-ns/web[Deployment]', dst: '10.0.0.0-10.255.255.255[External]', conn: 'UDP 53' },
        ],
        peers: [],
      },
      'dot',
    );
    expect(dot.split('\n')).toEqual([
      'digraph {',
      '\tsubgraph "cluster_my_ns[namespace]" {',
      '\t\tcolor="black"',
      '\t\tfontcolor="black"',
      '\t\t"my-ns/web[Deployment]" [label="web[Deployment]" color="blue" fontcolor="blue"]',
      '\t\tlabel="my-ns[namespace]"',
      '\t}',
      '\t"10.0.0.0-10.255.255.255[External]" [label="10.0.0.0-10.255.255.255[External]" color="red2" fontcolor="red2"]',
      '\t"{ingress-controller}" [label="{ingress-controller}" color="blue" fontcolor="blue"]',
      '\t"my-ns/web[Deployment]" -> "10.0.0.0-10.255.255.255[External]" [label="UDP 53" color="gold2" fontcolor="darkgreen" weight=1]',
      '\t"{ingress-controller}" -> "my-ns/web[Deployment]" [label="TCP 8080" color="gold2" fontcolor="darkgreen" weight=1]',
      '}',
    ]);
  });

  it('quotes csv fields the way Go encoding/csv does', () => {
    const csv = formatList(
      { lines: [{ src: 'a/b[Pod]', dst: 'c/d[Pod]', conn: 'TCP 80,UDP 53' }], peers: [] },
      'csv',
    );
    expect(csv).toBe('src,dst,conn\na/b[Pod],c/d[Pod],"TCP 80,UDP 53"\n');
  });

  it('sorts in byte order: digits, upper case, lower case, then {', () => {
    const lines = ['{ingress-controller}', 'b/x[Pod]', 'B/x[Pod]', '1.2.3.4-1.2.3.4[External]'].map(
      (src) => ({
        src,
        dst: 'z/z[Pod]',
        conn: 'All Connections',
      }),
    );
    expect(
      formatList({ lines, peers: [] }, 'txt')
        .split('\n')
        .map((l) => l.split(' => ')[0]),
    ).toEqual(['1.2.3.4-1.2.3.4[External]', 'B/x[Pod]', 'b/x[Pod]', '{ingress-controller}', '']);
  });
});
