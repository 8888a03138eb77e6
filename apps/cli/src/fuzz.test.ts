import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFile, SeededRandom } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli.ts';
import { mutateObject, mutateText } from './fuzzMutations.test-helper.ts';
import type { CliIO } from './io.ts';

/**
 * Seeded fuzzing of the CLI over the demo and sample manifests: thousands of documents mutated at
 * the YAML level and at the Kubernetes level, read next to a file nobody touched. Whatever the
 * input, nothing throws, exit codes stay documented, stderr has no stack trace, every broken
 * document is named by file and line, and the untouched file is analysed exactly as alone.
 * Reproduce a failure with `FUZZ_SEED=<seed printed in it> npx vitest run apps/cli/src/fuzz.test.ts`.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20261203);
const ROUNDS = 80;
const MIN_MUTATED_DOCUMENTS = 2000;

const PUBLIC = fileURLToPath(new URL('../../../public', import.meta.url));
const DIR = '/fuzz';
const UNTOUCHED_PATH = `${DIR}/untouched.yaml`;

/** Two workloads and a policy in a namespace no mutation names: their connectivity is fixed. */
const UNTOUCHED = `apiVersion: apps/v1
kind: Deployment
metadata: { name: client, namespace: fuzz-untouched }
spec:
  selector: { matchLabels: { app: client } }
  template:
    metadata: { labels: { app: client } }
    spec: { containers: [{ name: c, image: example/client }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: server, namespace: fuzz-untouched }
spec:
  selector: { matchLabels: { app: server } }
  template:
    metadata: { labels: { app: server } }
    spec: { containers: [{ name: s, image: example/server, ports: [{ name: http, containerPort: 8080 }] }] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: server-from-client, namespace: fuzz-untouched }
spec:
  podSelector: { matchLabels: { app: server } }
  ingress:
    - from: [{ podSelector: { matchLabels: { app: client } } }]
      ports: [{ port: http }]
`;

function corpusFiles(dir: string): { name: string; documents: string[] }[] {
  const out: { name: string; documents: string[] }[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...corpusFiles(path));
    else if (/\.(ya?ml|json)$/.test(entry)) {
      const name = path.slice(PUBLIC.length + 1).replaceAll('/', '_');
      out.push({ name, documents: splitDocuments(readFileSync(path, 'utf8')) });
    }
  }
  return out;
}

/** Documents by start lines, each with its `---` line: the test's own reading, not the parser's. */
function splitDocuments(text: string): string[] {
  return text.split(/^(?=---(?:[ \t].*)?\r?$)/m).filter((d) => d !== '');
}

/** An in-memory directory of files for the CLI. */
function memoryIO(files: ReadonlyMap<string, string>): CliIO & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (text: string) => {
      io.out += text;
    },
    stderr: (text: string) => {
      io.err += text;
    },
    readStdin: async () => '',
    stat: (path: string) =>
      path === DIR ? ('directory' as const) : files.has(path) ? ('file' as const) : undefined,
    readFile: (path: string) => files.get(path) ?? '',
    readDir: () => [...files.keys()].map((p) => p.slice(DIR.length + 1)),
    writeFile: () => {},
    createFile: () => ({ write: () => {}, close: () => {} }),
    makeDir: () => {},
    join: (...parts: string[]) => parts.join('/'),
  };
  return io;
}

async function run(args: string[], files: ReadonlyMap<string, string>) {
  const io = memoryIO(files);
  const code = await runCli(args, io);
  return { code, out: io.out, err: io.err };
}

/** `src => dst : conn` lines between workloads of the untouched namespace. */
function untouchedLines(listOutput: string): string[] {
  return listOutput
    .split('\n')
    .filter((line) => /^fuzz-untouched\/\S+ => fuzz-untouched\/\S+ : /.test(line))
    .sort();
}

const CLUSTER_POLICY_KINDS = new Set([
  'ClusterNetworkPolicy',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
]);

/** Whether a file other than the untouched one holds a cluster-wide policy the parser read. */
function holdsClusterPolicy(files: ReadonlyMap<string, string>): boolean {
  return [...files].some(([path, text]) => {
    if (path === UNTOUCHED_PATH) return false;
    const read = parseFile({ path, text });
    return [...read.objects, ...read.unanalysed].some((o) =>
      CLUSTER_POLICY_KINDS.has(String((o.raw as { kind?: unknown }).kind)),
    );
  });
}

const STACK_TRACE = /\n\s+at .+:\d+|internal error|RangeError|TypeError/;
const NO_CONTENT_LINE = /^\s*(?:#.*)?$|^(?:---|\.\.\.)(?:[ \t].*)?$|^%/;
const NULL_DOCUMENT = /^\s*(?:~|null|Null|NULL)?\s*$/;

/**
 * Every document of `text` with content is accounted for by parseFile: it gave an object, or a
 * diagnostic points into it (or at the start line after it, where a parser notices an end).
 */
function unaccountedDocuments(path: string, text: string): string[] {
  const result = parseFile({ path, text });
  const lines = [
    ...result.objects.map((o) => o.source.range?.start.line),
    ...result.unanalysed.map((o) => o.source.range?.start.line),
    ...result.diagnostics.map((d) => d.range?.start.line),
  ].filter((line): line is number => line !== undefined);
  const missing: string[] = [];
  let first = 1;
  for (const document of splitDocuments(text)) {
    const count = document.split('\n').length - (document.endsWith('\n') ? 1 : 0);
    const last = first + count - 1;
    const content = document
      .split('\n')
      .filter((line) => !NO_CONTENT_LINE.test(line.replace(/^\uFEFF/, '')))
      .join('\n');
    const accounted = lines.some((line) => line >= first && line <= last + 1);
    if (!accounted && content !== '' && !NULL_DOCUMENT.test(content.replace(/#.*$/gm, ''))) {
      missing.push(`lines ${first}-${last}: ${JSON.stringify(document.slice(0, 200))}`);
    }
    first = last + 1;
  }
  return missing;
}

describe('fuzz: hostile and malformed manifests', () => {
  it(`never crashes and loses nothing (seed ${SEED})`, async () => {
    const random = new SeededRandom(SEED);
    const corpus = corpusFiles(PUBLIC);
    const alone = new Map([[UNTOUCHED_PATH, UNTOUCHED]]);
    const baseline = untouchedLines((await run(['list', '--dirpath', DIR], alone)).out);
    expect(baseline, 'the untouched file has connections to keep').toEqual([
      'fuzz-untouched/client[Deployment] => fuzz-untouched/server[Deployment] : TCP 8080',
      'fuzz-untouched/server[Deployment] => fuzz-untouched/client[Deployment] : All Connections',
    ]);
    let mutated = 0;
    let compared = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const where = `seed ${SEED}, round ${round}`;
      const files = new Map([[UNTOUCHED_PATH, UNTOUCHED]]);
      for (let f = 0; f < 3; f++) {
        const source = random.pick(corpus);
        const documents = source.documents.map((document) => {
          if (!random.chance(0.75)) return document;
          mutated++;
          if (random.chance(0.5)) return mutateText(random, document);
          const read = parseFile({ path: 'doc.yaml', text: document });
          const raw = read.objects[0]?.raw ?? read.unanalysed[0]?.raw;
          if (!raw) return mutateText(random, document);
          const json = JSON.stringify(mutateObject(random, raw), null, random.chance(0.5) ? 2 : undefined);
          return `---\n${json ?? ''}\n`;
        });
        const path = `${DIR}/${round}-${f}-${source.name}`;
        files.set(path, documents.join(''));
        expect(unaccountedDocuments(path, documents.join('')), `${where}: documents lost in ${path}`).toEqual(
          [],
        );
      }

      const list = await run(['list', '--dirpath', DIR], files);
      expect(list.code, `${where}: list exit code\n${list.err}`).toBeGreaterThanOrEqual(0);
      expect(list.code, `${where}: list exit code\n${list.err}`).toBeLessThanOrEqual(3);
      expect(list.err, `${where}: list stderr`).not.toMatch(STACK_TRACE);
      // Cluster-wide policies (the tiers sample) apply to every namespace by design; namespaced
      // noise must never reach the untouched one.
      if (!holdsClusterPolicy(files)) {
        compared++;
        expect(untouchedLines(list.out), `${where}: the untouched file's connections\n${list.err}`).toEqual(
          baseline,
        );
      }
      for (const line of list.err.split('\n').filter((l) => l.includes(': error: '))) {
        expect(line, `${where}: an error without file:line`).toMatch(/^\/fuzz\/[^:]+:\d+:\d+: error: /);
      }

      const validate = await run(['validate', DIR], files);
      expect([0, 1], `${where}: validate exit code\n${validate.err}`).toContain(validate.code);
      expect(validate.err, `${where}: validate stderr`).not.toMatch(STACK_TRACE);
      expect(validate.err, `${where}: diagnostics on the untouched file`).not.toContain(UNTOUCHED_PATH);

      const lint = await run(['lint', '--dirpath', DIR, '-o', random.pick(['text', 'sarif', 'json'])], files);
      expect([0, 1], `${where}: lint exit code\n${lint.err}`).toContain(lint.code);
      expect(lint.err, `${where}: lint stderr`).not.toMatch(STACK_TRACE);

      const compat = await run(['list', '--dirpath', DIR, '--compat', 'netpol-analyzer'], files);
      expect([0, 1], `${where}: compat list exit code\n${compat.err}`).toContain(compat.code);
      expect(compat.err, `${where}: compat list stderr`).not.toMatch(STACK_TRACE);
    }
    expect(mutated, `seed ${SEED}: documents mutated`).toBeGreaterThanOrEqual(MIN_MUTATED_DOCUMENTS);
    expect(compared, `seed ${SEED}: rounds whose untouched connections were compared`).toBeGreaterThan(
      ROUNDS / 3,
    );
    // Generous: the run takes seconds; the budget only bounds a hang on a busy machine.
  }, 600_000);
});
