import { readFileSync } from 'node:fs';
import { analyze, buildCluster, type Protocol } from '@netpol-atlas/evaluator';
import { parseManifests } from '@netpol-atlas/manifests';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../apps/cli/src/cli.ts';
import { formatConnectionsMap } from '../apps/cli/src/format/connectionsMap.ts';
import { readInputs } from '../apps/cli/src/inputs.ts';
import { captureIO } from '../apps/cli/src/nodeIO.ts';
import { CORPUS_DIR, type CorpusCase, loadCases, normalise } from './corpus.ts';

const cases = loadCases();
const tally = new Map<string, { passed: number; failed: number; skipped: number }>();

function count(c: CorpusCase, outcome: 'passed' | 'failed' | 'skipped'): void {
  const categories = c.categories.length > 0 ? c.categories : ['(plain)'];
  for (const category of categories) {
    const row = tally.get(category) ?? { passed: 0, failed: 0, skipped: 0 };
    row[outcome]++;
    tally.set(category, row);
  }
}

/** Why a case is not run yet, in words; undefined when it runs. */
function skipReason(c: CorpusCase): string | undefined {
  if (c.command === 'list-from-parsed-resources') return 'inputs exist only as Go structs upstream';
  // Explain cases are never flagged plain upstream; those with no other category are.
  const plainExplain = c.categories.length === 1 && c.categories[0] === 'Explain';
  if (!c.plainNetworkPolicyOnly && !plainExplain) {
    return `needs ${c.categories.join(', ') || 'objects beyond plain NetworkPolicy'} (not implemented yet)`;
  }
  return undefined;
}

function listArgs(c: CorpusCase): string[] {
  const dir = `${CORPUS_DIR}${c.inputDir}`;
  if (c.flags.cliArgs) {
    return c.flags.cliArgs.map((a) =>
      a === c.inputDir ? dir : a === c.inputDir2 ? `${CORPUS_DIR}${c.inputDir2}` : a,
    );
  }
  const args = ['list', '--dirpath', dir, '-o', c.flags.outputFormat ?? 'txt'];
  for (const w of c.flags.focusWorkload ?? []) args.push('--focusworkload', w);
  for (const w of c.flags.focusWorkloadPeer ?? []) args.push('--focusworkload-peer', w);
  if (c.flags.focusDirection) args.push('--focus-direction', c.flags.focusDirection);
  if (c.flags.focusConn) args.push('--focus-conn', c.flags.focusConn);
  if (c.flags.explain) args.push('--explain');
  return args;
}

function diffArgs(c: CorpusCase): string[] {
  if (c.flags.cliArgs) return listArgs(c);
  const [ref1, ref2] = c.flags.refNames ?? ['ref1', 'ref2'];
  return [
    'diff',
    '--dir1',
    `${CORPUS_DIR}${c.inputDir}`,
    '--dir2',
    `${CORPUS_DIR}${c.inputDir2}`,
    '-o',
    c.flags.outputFormat ?? 'txt',
    '--ref-names',
    `${ref1},${ref2}`,
  ];
}

async function runCase(c: CorpusCase): Promise<void> {
  if (c.command === 'eval-connections-map') {
    const io = captureIO();
    const files = await readInputs(io, [`${CORPUS_DIR}${c.inputDir}`]);
    const parsed = parseManifests(files);
    const analysis = analyze(buildCluster(parsed.objects, { compat: 'netpol-analyzer', granularity: 'pod' }));
    const query = c.flags.allConnections
      ? undefined
      : c.flags.protocol
        ? { protocol: c.flags.protocol as Protocol, port: Number(c.flags.port) }
        : 'any-port';
    const expected = readFileSync(`${CORPUS_DIR}${c.expectedOutput}`, 'utf8');
    expect(normalise(formatConnectionsMap(analysis, query as never))).toBe(normalise(expected));
    return;
  }
  const io = captureIO();
  const args = [...(c.command === 'diff' ? diffArgs(c) : listArgs(c)), '--compat', 'netpol-analyzer'];
  const code = await runCli(args, io);
  if (c.command === 'list-fatal-error') {
    expect(code, io.out).toBe(1);
    for (const piece of c.expectedError?.containsResolved ?? []) expect(io.err).toContain(piece.trim());
    return;
  }
  expect(code, io.err).toBe(0);
  const outFile = args[args.indexOf('-f') + 1];
  const actual = args.includes('-f') && outFile ? (io.files.get(outFile) ?? '') : io.out;
  const expected = readFileSync(`${CORPUS_DIR}${c.expectedOutput}`, 'utf8');
  expect(normalise(actual)).toBe(normalise(expected));
}

describe.runIf(cases !== undefined)('netpol-analyzer corpus', () => {
  for (const c of cases ?? []) {
    const reason = skipReason(c);
    const title = `${c.command} ${c.name}`;
    if (reason) {
      count(c, 'skipped');
      it.skip(`${title} (skipped: ${reason})`, () => {});
      continue;
    }
    it(title, async () => {
      try {
        await runCase(c);
        count(c, 'passed');
      } catch (error) {
        count(c, 'failed');
        throw error;
      }
    });
  }

  afterAll(() => {
    const rows = [...tally.entries()].sort(([a], [b]) => a.localeCompare(b));
    const lines = rows.map(
      ([category, r]) =>
        `  ${category.padEnd(28)} passed ${String(r.passed).padStart(4)}  failed ${String(r.failed).padStart(4)}  skipped ${String(r.skipped).padStart(4)}`,
    );
    console.log(
      `netpol-analyzer conformance by category (a case counts once per category):\n${lines.join('\n')}`,
    );
  });
});
