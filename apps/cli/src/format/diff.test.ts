import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR } from '../../../../conformance/corpus.ts';
import { type DiffFormat, renderDiff } from './diff.ts';
import type { ConnLine, DiffLine, DiffReport, DiffType } from './types.ts';

// Upstream's goldens, read in place: /work/shared/conformance/netpol-analyzer/ from apps/cli/src/format/.
const CORPUS = pathToFileURL(CORPUS_DIR);

/** The diff as one text: its pieces joined. */
function formatDiff(report: DiffReport, format: DiffFormat): string {
  return [...renderDiff(report, format)].join('');
}

function read(rel: string): string {
  return readFileSync(new URL(rel, CORPUS), 'utf8');
}

/** Upstream's comparison: every \n and \r removed from both sides, everything else must match. */
function normalize(text: string): string {
  return text.replace(/[\r\n]/g, '');
}

/** Deterministic reversal plus interleave, so the tests also prove that the formatter orders lines. */
function scrambled<T>(items: readonly T[]): T[] {
  const rev = [...items].reverse();
  return [...rev.filter((_, i) => i % 2 === 1), ...rev.filter((_, i) => i % 2 === 0)];
}

const DIFF_ROW =
  /^diff-type: (changed|added|removed), source: (.+?), destination: (.+?), (\S+): (.+?), (\S+): (.+?)(?:, workloads-diff-info: (.+))?$/;

/** Diff lines and ref names of a golden diff in txt format. */
function parseTxt(text: string): { lines: DiffLine[]; refNames?: [string, string] } {
  const rows = text.split('\n').filter((r) => r !== '' && r !== 'Connectivity diff:');
  let refNames: [string, string] | undefined;
  const lines = rows.map((row): DiffLine => {
    const m = DIFF_ROW.exec(row);
    if (!m) throw new Error(`unparsable golden line: ${row}`);
    refNames = [m[4]!, m[6]!];
    return {
      diffType: m[1] as DiffType,
      src: m[2]!,
      dst: m[3]!,
      before: m[5]!,
      after: m[7]!,
      info: m[8] ?? '',
      ingressController: m[2] === '{ingress-controller}',
    };
  });
  return refNames ? { lines, refNames } : { lines };
}

/** Diff lines and ref names of a golden diff in csv format (for the one golden that has no txt sibling). */
function parseCsv(text: string): { lines: DiffLine[]; refNames: [string, string] } {
  const records = text
    .split('\n')
    .filter((r) => r !== '')
    .map((r) =>
      [...r.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)].map((m) =>
        m[1]!.replace(/^"|"$/g, '').replaceAll('""', '"'),
      ),
    );
  const [header, ...rows] = records;
  const lines = rows.map(
    (f): DiffLine => ({
      diffType: f[0] as DiffType,
      src: f[1]!,
      dst: f[2]!,
      before: f[3]!,
      after: f[4]!,
      info: f[5]!,
      ingressController: f[1] === '{ingress-controller}',
    }),
  );
  return { lines, refNames: [header![3]!, header![4]!] };
}

const PEER_STATUS = { blue: 'persistent', '#008000': 'new', red: 'lost' } as const;

/** Node list (with status from colour) and the grey unchanged edges of a golden diff dot. */
function parseDot(text: string): Pick<DiffReport, 'peers'> & { unchanged: ConnLine[] } {
  const peers: DiffReport['peers'] = [];
  const unchanged: ConnLine[] = [];
  let pending: DiffReport['peers'] = [];
  for (const row of text.split('\n')) {
    if (row === '\tsubgraph cluster_legend {') break;
    if (/^\tsubgraph /.test(row)) {
      pending = [];
      continue;
    }
    const label = /^\t\tlabel="(.*)\[namespace\]"$/.exec(row);
    if (label) {
      for (const p of pending) peers.push({ ...p, namespace: label[1]! });
      continue;
    }
    const edge = /^\t"([^"]+)" -> "([^"]+)" \[label="([^"]+)" color="grey"/.exec(row);
    if (edge) {
      unchanged.push({ src: edge[1]!, dst: edge[2]!, conn: edge[3]! });
      continue;
    }
    const node = /^(\t\t?)"([^"]+)" \[label="([^"]+)" color="([^"]+)"/.exec(row);
    if (!node) continue;
    const [, indent, id, name, color] = node as unknown as [string, string, string, string, string];
    const status = PEER_STATUS[color as keyof typeof PEER_STATUS];
    if (!status) throw new Error(`unknown node colour in ${row}`);
    if (indent === '\t\t') pending.push({ id, status, kind: 'workload', name });
    else peers.push({ id, status, kind: id === '{ingress-controller}' ? 'ingress-controller' : 'external' });
  }
  return { peers, unchanged };
}

interface CaseEntry {
  name: string;
  command: string;
  expectedOutput: string | null;
  flags: { outputFormat?: string; refNames?: [string, string] };
}

const cases = (JSON.parse(read('cases.json')) as { cases: CaseEntry[] }).cases;
const diffCases = cases.filter((c) => c.command === 'diff' && c.expectedOutput !== null);

function refNamesOf(golden: string): [string, string] {
  const entry = diffCases.find((c) => c.expectedOutput === golden);
  if (entry?.flags.refNames) return entry.flags.refNames;
  // Default names per suite, as the README states; a non-empty txt golden spells them out anyway.
  if (golden.startsWith('test_outputs/cli/')) return ['dir1', 'dir2'];
  return ['ref1', 'ref2'];
}

function reportFor(golden: string, format: DiffFormat): DiffReport {
  const txtGolden = golden.replace(/\.\w+$/, '.txt');
  const txt = existsSync(new URL(txtGolden, CORPUS)) ? parseTxt(read(txtGolden)) : parseCsv(read(golden));
  const dot = format === 'dot' ? parseDot(read(golden)) : { peers: [], unchanged: [] };
  return {
    lines: scrambled(txt.lines),
    peers: dot.peers,
    unchanged: scrambled(dot.unchanged),
    refNames: txt.refNames ?? refNamesOf(golden),
  };
}

function expectGolden(golden: string): void {
  const format = golden.slice(golden.lastIndexOf('.') + 1) as DiffFormat;
  const actual = formatDiff(reportFor(golden, format), format);
  expect(normalize(actual)).toBe(normalize(read(golden)));
}

describe('formatDiff against named goldens', () => {
  const all = (base: string) => ['txt', 'csv', 'md', 'dot'].map((f) => `${base}.${f}`);
  const named = [
    ...all(
      'test_outputs/diff/diff_between_onlineboutique_workloads_changed_netpols_and_onlineboutique_workloads',
    ),
    ...all(
      'test_outputs/diff/diff_between_onlineboutique_workloads_changed_workloads_and_onlineboutique_workloads',
    ),
    ...all('test_outputs/diff/diff_between_netpol-diff-example-minimal_and_netpol-analysis-example-minimal'),
    ...all('test_outputs/diff/diff_between_with_end_port_example_new_and_with_end_port_example'),
    ...all(
      'test_outputs/diff/TsetOutputWithArgNamesOption_diff_between_onlineboutique_workloads_changed_netpols_and_onlineboutique_workloads',
    ),
    ...all('test_outputs/diff/diff_between_acs-security-demos-new_and_acs-security-demos'),
    ...['txt', 'csv', 'md'].map(
      (f) =>
        `test_outputs/cli/diff_between_onlineboutique_workloads_changed_workloads_and_onlineboutique_workloads.${f}`,
    ),
  ];
  it.each(named)('%s', (golden) => expectGolden(golden));

  it('matches the golden bytes exactly, not just modulo line breaks', () => {
    const golden =
      'test_outputs/diff/TsetOutputWithArgNamesOption_diff_between_onlineboutique_workloads_changed_netpols_and_onlineboutique_workloads';
    for (const format of ['txt', 'csv', 'md', 'dot'] as const) {
      expect(formatDiff(reportFor(`${golden}.${format}`, format), format)).toBe(read(`${golden}.${format}`));
    }
  });
});

describe('formatDiff against every diff golden in cases.json', () => {
  const goldens = [...new Set(diffCases.map((c) => c.expectedOutput!))].sort();
  it('finds the diff goldens', () => {
    expect(goldens.length).toBeGreaterThan(120);
  });
  it.each(goldens)('%s', (golden) => expectGolden(golden));
});

describe('formatDiff details', () => {
  const line = (over: Partial<DiffLine>): DiffLine => ({
    diffType: 'added',
    src: 'a/x[Pod]',
    dst: 'a/y[Pod]',
    before: 'No Connections',
    after: 'TCP 80',
    info: '',
    ingressController: false,
    ...over,
  });

  it('prints nothing when only unchanged pairs exist', () => {
    const report: DiffReport = {
      lines: [],
      peers: [],
      refNames: ['ref1', 'ref2'],
      unchanged: [{ src: 'a/x[Pod]', dst: 'a/y[Pod]', conn: 'TCP 80' }],
    };
    for (const format of ['txt', 'csv', 'md', 'dot'] as const) expect(formatDiff(report, format)).toBe('');
  });

  it('orders changed, added, removed, then the ingress-controller pairs in the same groups', () => {
    const lines = [
      line({
        diffType: 'removed',
        src: '{ingress-controller}',
        ingressController: true,
        before: 'TCP 80',
        after: 'No Connections',
      }),
      line({ diffType: 'removed', before: 'TCP 80', after: 'No Connections' }),
      line({ diffType: 'added', src: '{ingress-controller}', ingressController: true }),
      line({ diffType: 'changed', src: '{ingress-controller}', ingressController: true, before: 'TCP 81' }),
      line({ diffType: 'added', src: 'a/w[Pod]' }),
      line({ diffType: 'changed', before: 'TCP 81' }),
    ];
    const csv = formatDiff({ lines, peers: [], refNames: ['ref1', 'ref2'] }, 'csv').split('\n');
    expect(csv.map((r) => r.split(',').slice(0, 2).join(','))).toEqual([
      'diff-type,source',
      'changed,a/x[Pod]',
      'added,a/w[Pod]',
      'removed,a/x[Pod]',
      'changed,{ingress-controller}',
      'added,{ingress-controller}',
      'removed,{ingress-controller}',
      '',
    ]);
  });

  it('sorts csv rows as upstream does, by their ;-joined fields', () => {
    // As written rows, "a/x,..." < "a/x-y,..." (',' < '-'); upstream compares "a/x;" and "a/x-y;" (';' > '-').
    const lines = [line({ src: 'a/x' }), line({ src: 'a/x-y' })];
    const rows = formatDiff({ lines, peers: [], refNames: ['ref1', 'ref2'] }, 'csv').split('\n');
    expect(rows.slice(1, 3).map((r) => r.split(',')[1])).toEqual(['a/x-y', 'a/x']);
    const txt = formatDiff({ lines, peers: [], refNames: ['ref1', 'ref2'] }, 'txt').split('\n');
    expect(txt.slice(1, 3).map((r) => r.split(', ')[1])).toEqual(['source: a/x', 'source: a/x-y']);
  });

  it('colours nodes by status and leaves out peers without any pair', () => {
    const report: DiffReport = {
      lines: [
        line({
          src: 'a/x[Pod]',
          dst: 'b/gone[Pod]',
          diffType: 'removed',
          before: 'TCP 80',
          after: 'No Connections',
        }),
      ],
      peers: [
        { id: 'a/x[Pod]', status: 'persistent', kind: 'workload' },
        { id: 'b/gone[Pod]', status: 'lost', kind: 'workload' },
        { id: 'c/idle[Pod]', status: 'persistent', kind: 'workload' },
      ],
      refNames: ['ref1', 'ref2'],
    };
    const dot = formatDiff(report, 'dot');
    expect(dot).toContain('\t\t"b/gone[Pod]" [label="gone[Pod]" color="red" fontcolor="red"]');
    expect(dot).toContain(
      '\t"a/x[Pod]" -> "b/gone[Pod]" [label="TCP 80" color="red2" fontcolor="red2" weight=0.5]',
    );
    expect(dot).not.toContain('idle');
  });
});
