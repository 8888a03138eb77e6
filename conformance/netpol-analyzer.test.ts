import { readFileSync } from 'node:fs';
import { analyze, buildCluster, type Protocol } from '@netpol-atlas/evaluator';
import { parseManifests } from '@netpol-atlas/manifests';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../apps/cli/src/cli.ts';
import { readInputs } from '../apps/cli/src/inputs.ts';
import { captureIO } from '../apps/cli/src/nodeIO.ts';
import { formatConnectionsMap } from './connectionsMap.ts';
import { CORPUS_DIR, type CorpusCase, loadCases, normalise } from './corpus.ts';

const cases = loadCases();
// A missing corpus must fail the run loudly: skipping would report a green run of zero tests.
if (cases === undefined) {
  throw new Error(
    `netpol-analyzer corpus not found at ${CORPUS_DIR}cases.json: put it in ../shared/conformance beside the repository or set NETPOL_CONFORMANCE_DIR`,
  );
}

/** Per input dir (without `tests/`): the object kinds it holds. corpus.ts does not load this part of cases.json. */
const inputDirSummary: Record<string, { kinds: Record<string, number> }> | undefined =
  cases === undefined
    ? undefined
    : (
        JSON.parse(readFileSync(`${CORPUS_DIR}cases.json`, 'utf8')) as {
          inputDirSummary: Record<string, { kinds: Record<string, number> }>;
        }
      ).inputDirSummary;
const tally = new Map<string, { passed: number; failed: number; skipped: number }>();

function count(c: CorpusCase, outcome: 'passed' | 'failed' | 'skipped'): void {
  const categories = c.categories.length > 0 ? c.categories : ['(plain)'];
  for (const category of categories) {
    const row = tally.get(category) ?? { passed: 0, failed: 0, skipped: 0 };
    row[outcome]++;
    tally.set(category, row);
  }
}

/** Categories that only change how plain NetworkPolicy results are reported. */
const REPORTING_CATEGORIES = new Set(['ExposureAnalysis', 'FocusWorkload', 'FocusConn', 'Explain']);

/** Object categories the evaluator handles beside plain NetworkPolicy (cluster-wide tiers). */
const EVALUATED_CATEGORIES = new Set(['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy']);

/** Object kinds beyond plain NetworkPolicy (cases whose inputs hold them need more than the evaluator has). */
const NON_PLAIN_KINDS = new Set([
  'UserDefinedNetwork',
  'ClusterUserDefinedNetwork',
  'NetworkAttachmentDefinition',
  'MultiNetworkPolicy',
  'VirtualMachine',
  'VirtualMachineInstance',
  'Route',
  'Ingress',
]);

/**
 * Inputs the evaluator handles (NetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy),
 * reported in any way (exposure, focus, explain): cases.json flags only NetworkPolicy-only cases plain.
 */
function plainInputsOnly(c: CorpusCase): boolean {
  // No category at all means a plain case that cases.json did not flag plain (only dir_does_not_exist_err).
  if (
    c.categories.length === 0 ||
    !c.categories.every((k) => REPORTING_CATEGORIES.has(k) || EVALUATED_CATEGORIES.has(k))
  )
    return false;
  // Absent for fatal-error cases, which print no connections at all.
  if ((c as CorpusCase & { ingressControllerInOutput?: boolean }).ingressControllerInOutput === true)
    return false;
  const dirs = [c.inputDir, c.inputDir2].filter((d): d is string => typeof d === 'string');
  return dirs.every((d) => {
    const summary = inputDirSummary?.[d.replace(/^tests\//, '')];
    // A dir without a summary holds no objects (e.g. the "path does not exist" case).
    return Object.keys(summary?.kinds ?? {}).every((k) => !NON_PLAIN_KINDS.has(k));
  });
}

/** Why a case is not run yet, in words; undefined when it runs. */
function skipReason(c: CorpusCase): string | undefined {
  if (c.command === 'list-from-parsed-resources') return 'inputs exist only as Go structs upstream';
  // A fatal error about the input path itself involves no objects at all.
  const pathError = c.command === 'list-fatal-error' && c.categories.length === 0 && c.inputPresent === false;
  if (!c.plainNetworkPolicyOnly && !plainInputsOnly(c) && !pathError) {
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
  if (c.flags.explainOnly) args.push('--explain-only', c.flags.explainOnly);
  if (c.flags.exposure) args.push('--exposure');
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
