import { describe, expect, it } from 'vitest';
import {
  type KubeObject,
  ManifestCache,
  type ObjectSource,
  type ParseOptions,
  type ParseResult,
  type PathSegment,
  parseFile,
  SeededRandom,
  type SourceFile,
} from './index.ts';

/** Paths resolved on every source when comparing results: present, nested, list items, missing. */
const LOCATED: readonly (readonly PathSegment[])[] = [
  [],
  ['kind'],
  ['metadata', 'name'],
  ['metadata', 'labels'],
  ['spec', 'ingress', 0, 'ports', 0, 'port'],
  ['spec', 'template', 'spec', 'containers', 0],
  ['items', 1],
  ['no', 'such', 'field'],
];

function plainSource(source: ObjectSource) {
  return {
    file: source.file,
    document: source.document,
    item: source.item,
    range: source.range,
    located: LOCATED.map((path) => source.locate(path)),
  };
}

/** A result as plain data: sources read through their getters and locators, functions left out. */
function plain(result: ParseResult) {
  return {
    objects: result.objects.map(({ source, ...rest }) => ({ ...rest, source: plainSource(source) })),
    unanalysed: result.unanalysed.map(({ source, ...rest }) => ({ ...rest, source: plainSource(source) })),
    diagnostics: result.diagnostics,
  };
}

/** Parses with the cache and checks the result against a fresh whole-file parse. */
function parseChecked(cache: ManifestCache, file: SourceFile, options: ParseOptions = {}): ParseResult {
  const result = cache.parseFile(file);
  expect(plain(result)).toStrictEqual(plain(parseFile(file, options)));
  return result;
}

const namespace = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;
const policy = (name: string, port: number, extraLabels = '') =>
  `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
  namespace: shop
  labels:
    app: shop
${extraLabels}spec:
  podSelector: {}
  ingress:
    - ports:
        - port: ${port}
`;
const stream = (...documents: string[]): SourceFile => ({ path: 'shop.yaml', text: documents.join('---\n') });

function expectSameObjects(actual: readonly KubeObject[], expected: readonly KubeObject[]): void {
  expect(actual).toHaveLength(expected.length);
  for (const [i, object] of actual.entries()) expect(object).toBe(expected[i]);
}

function byName(result: ParseResult, name: string): KubeObject {
  const object = result.objects.find((o) => o.metadata.name === name);
  if (!object) throw new Error(`no object ${name}`);
  return object;
}

describe('ManifestCache: identity of unchanged documents', () => {
  it('keeps the objects of unchanged documents and makes new ones for the changed document', () => {
    const cache = new ManifestCache();
    const before = parseChecked(cache, stream(namespace('a'), policy('p', 80), namespace('b')));
    const after = parseChecked(cache, stream(namespace('a'), policy('p', 81), namespace('b')));
    expect(after.objects[0]).toBe(before.objects[0]);
    expect(after.objects[2]).toBe(before.objects[2]);
    expect(after.objects[1]).not.toBe(before.objects[1]);
    const changed = after.objects[1];
    expect(changed?.kind === 'NetworkPolicy' && changed.spec.ingress?.[0]?.ports?.[0]?.port).toBe(81);
  });

  it('moves kept objects to their new lines when an earlier document grows', () => {
    const cache = new ManifestCache();
    const before = parseChecked(cache, stream(namespace('a'), policy('p', 80), namespace('b')));
    const b = byName(before, 'b');
    expect(b.source.range?.start.line).toBe(19);
    const after = parseChecked(
      cache,
      stream(namespace('a'), policy('p', 80, '    tier: web\n    team: blue\n'), namespace('b')),
    );
    expect(byName(after, 'b')).toBe(b);
    expect(b.source.range?.start.line).toBe(21);
    expect(b.source.locate(['metadata', 'name'])?.start).toEqual({ line: 24, column: 9 });
    expect(byName(after, 'a')).toBe(byName(before, 'a'));
  });

  it('renumbers kept objects when a document is inserted before them', () => {
    const cache = new ManifestCache();
    const before = parseChecked(cache, stream(namespace('a'), policy('p', 80), namespace('b')));
    const after = parseChecked(
      cache,
      stream(namespace('a'), namespace('new'), policy('p', 80), namespace('b')),
    );
    expectSameObjects([after.objects[0]!, ...after.objects.slice(2)], before.objects);
    expect(before.objects.map((o) => o.source.document)).toEqual([0, 2, 3]);
    expect(before.objects.map((o) => o.source.range?.start.line)).toEqual([1, 11, 24]);
  });

  it('keeps sources plain data: a copy taken after a move has the new place', () => {
    const cache = new ManifestCache();
    const before = parseChecked(cache, stream(namespace('a'), namespace('b')));
    const b = byName(before, 'b');
    const rangeBefore = b.source.range;
    parseChecked(cache, stream(namespace('new'), namespace('a'), namespace('b')));
    const { locate: _, ...copy } = b.source;
    expect(copy).toEqual({
      file: 'shop.yaml',
      document: 2,
      range: { start: { line: 11, column: 1 }, end: { line: 15, column: 1 } },
    });
    // The old range object is not changed: diagnostics made before the move may hold it.
    expect(rangeBefore?.start.line).toBe(6);
  });

  it('moves the items of a kept List document with it', () => {
    const list = `apiVersion: v1
kind: PodList
items:
  - metadata: { name: one, namespace: shop }
  - metadata: { name: two, namespace: shop }
`;
    const cache = new ManifestCache();
    const before = parseChecked(cache, stream(policy('p', 80), list));
    const two = byName(before, 'two');
    expect(two.source).toMatchObject({ document: 1, item: 1, range: { start: { line: 18 } } });
    parseChecked(cache, stream(namespace('new'), policy('p', 80, '    tier: web\n'), list));
    expect(two.source).toMatchObject({ document: 2, item: 1, range: { start: { line: 24 } } });
  });

  it('returns moved copies of diagnostics and never changes diagnostics it returned', () => {
    const hazards = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: h\n  labels: { enabled: yes }\n';
    const cache = new ManifestCache();
    const before = parseChecked(cache, stream(namespace('a'), hazards));
    const snapshot = structuredClone(before.diagnostics);
    expect(snapshot.map((d) => `${d.code}@${d.range?.start.line}`)).toEqual([
      'yaml11-reading@10',
      'type-mismatch@10',
    ]);
    const after = parseChecked(cache, stream(`# owner: team-a\n${namespace('a')}`, hazards));
    expect(after.diagnostics.map((d) => d.range?.start.line)).toEqual([11, 11]);
    expect(before.diagnostics).toEqual(snapshot);
  });

  it('gives each copy of a repeated document its own objects', () => {
    const cache = new ManifestCache();
    // Both copies with their start line: the same text twice.
    const file = stream('', namespace('twin'), namespace('twin'));
    const first = parseChecked(cache, file);
    const second = parseChecked(cache, file);
    expect(first.objects[0]).not.toBe(first.objects[1]);
    expect(second.objects[0]).toBe(first.objects[0]);
    expect(second.objects[1]).toBe(first.objects[1]);
  });

  it('keeps the last document when a document is appended after it', () => {
    const cache = new ManifestCache();
    const before = parseChecked(cache, stream(namespace('a'), namespace('b')));
    const after = parseChecked(cache, stream(namespace('a'), namespace('b'), namespace('c')));
    expectSameObjects(after.objects.slice(0, 2), before.objects);
  });

  it('keeps files apart and forgets the ones retain() leaves out', () => {
    const cache = new ManifestCache();
    const a = { path: 'a.yaml', text: namespace('a') };
    const b = { path: 'b.yaml', text: namespace('b') };
    const [a1, b1] = [cache.parseFile(a), cache.parseFile(b)];
    cache.retain(['a.yaml']);
    expect(cache.parseFile(a).objects[0]).toBe(a1.objects[0]);
    expect(cache.parseFile(b).objects[0]).not.toBe(b1.objects[0]);
  });
});

describe('ManifestCache: what chunked reading cannot reproduce is parsed whole', () => {
  it('reports a syntax error as parseFile does, then reuses the untouched documents once fixed', () => {
    const cache = new ManifestCache();
    const good = parseChecked(cache, stream(namespace('a'), policy('p', 80), namespace('b')));
    const broken = parseChecked(
      cache,
      stream(namespace('a'), policy('p', 80).replace('name: p', 'name: @p'), namespace('b')),
    );
    expect(broken.objects.map((o) => o.metadata.name)).toEqual(['a', 'b']);
    expect(broken.diagnostics[0]?.code).toBe('yaml-syntax');
    const fixed = parseChecked(cache, stream(namespace('a'), policy('p', 81), namespace('b')));
    expect(fixed.objects[0]).toBe(good.objects[0]);
    expect(fixed.objects[2]).toBe(good.objects[2]);
  });

  it('reads files with directives whole: a directive changes how later documents read', () => {
    const cache = new ManifestCache();
    const labelled = 'apiVersion: v1\nkind: Namespace\nmetadata: { name: d, labels: { on: yes } }\n';
    parseChecked(cache, stream(namespace('a'), labelled));
    const yaml12 = parseChecked(cache, {
      path: 'shop.yaml',
      text: `${namespace('a')}...\n%YAML 1.2\n---\n${labelled}`,
    });
    expect(yaml12.objects[1]?.metadata.labels).toEqual({ on: 'yes' });
    parseChecked(cache, stream(namespace('a'), labelled));
  });

  it('refuses files over the size limit as parseFile does', () => {
    const options = { maxFileBytes: 100 };
    const cache = new ManifestCache(options);
    parseChecked(cache, stream(namespace('a')), options);
    const refused = parseChecked(cache, stream(namespace('a'), policy('p', 80)), options);
    expect(refused.diagnostics.map((d) => d.code)).toEqual(['file-too-large']);
    parseChecked(cache, stream(namespace('a')), options);
  });

  it('refuses alias bombs and unknown aliases as parseFile does', () => {
    const options = { maxAliasCount: 2 };
    const cache = new ManifestCache(options);
    const bomb = 'a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n';
    const refused = parseChecked(cache, stream(namespace('a'), bomb, namespace('b')), options);
    expect(refused.diagnostics.map((d) => d.code)).toEqual(['yaml-alias-limit']);
    parseChecked(cache, stream(namespace('a'), 'x: *nowhere\n', namespace('b')), options);
  });
});

/** Streams whose document boundaries are easy to get wrong, each read after another text. */
const EDGE_CASES: readonly [string, string][] = [
  ['empty file', ''],
  ['no document start (JSON)', '{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "j"}}'],
  [
    'comments before the first document start',
    `# header\n\n# more\n---\n${namespace('a')}---\n${namespace('b')}`,
  ],
  ['a first document without a start line', `${namespace('a')}---\n${namespace('b')}`],
  ['empty documents', `---\n---\n${namespace('a')}---\n---\n`],
  ['document end markers', `${namespace('a')}...\n# between\n---\n${namespace('b')}...\n`],
  [
    'a document on its start line',
    `--- {apiVersion: v1, kind: Namespace, metadata: {name: f}}\n---\n${namespace('b')}`,
  ],
  ['CRLF line ends', `---\r\n${namespace('a')}---\r\n${namespace('b')}`.replaceAll(/(?<!\r)\n/g, '\r\n')],
  ['no final line break', `${namespace('a')}---\n${namespace('b').trimEnd()}`],
  ['a comment on the start line', `--- # first\n${namespace('a')}--- # second\n${namespace('b')}`],
  ['a top-level block scalar ended by a start line', `--- |\n  text\n---\n${namespace('b')}`],
  ['an empty last value before comments, not at the end', `k:\n\n# c\n---\n${namespace('b')}`],
  ['an empty last value before comments, at the end', `${namespace('a')}---\nk:\n\n# c\n`],
  [
    'a tab after an empty value, before a document start (an error only there)',
    `${namespace('a')}---\nk:\n\t\n---\n${namespace('b')}`,
  ],
  ['a tab after an empty value, at the end', `${namespace('a')}---\nk:\n\t\n`],
  ['a start line inside a quoted scalar', `a: "open\n---\nclose"\n---\n${namespace('b')}`],
  ['a start line inside a flow collection', `a: [1,\n---\n2]\n---\n${namespace('b')}`],
  ['a byte order mark', `\uFEFF---\n${namespace('a')}---\n${namespace('b')}`],
  ['a byte order mark starting a later document', `${namespace('a')}---\n\uFEFF${namespace('b')}`],
  ['a byte order mark before a later start line', `${namespace('a')}\uFEFF---\n${namespace('b')}`],
  [
    'an over-deep document between two others',
    `${namespace('a')}---\n${'- '.repeat(300)}x\n---\n${namespace('b')}`,
  ],
  [
    'an unclosed flow collection between documents',
    `${namespace('a')}---\nk: {a: 1,\n---\n${namespace('b')}`,
  ],
  ['an undefined alias', `${namespace('a')}---\nk: *nowhere\n---\n${namespace('b')}`],
  ['a collection as a key', `${namespace('a')}---\n? [a, b]\n: 1\n---\n${namespace('b')}`],
  [
    'lines that do not start a document: indented, four dashes, glued',
    `a: |\n  x\n  ---\nb:\n ---\n----: 1\n---x: 2\n---\n${namespace('b')}`,
  ],
];

describe('ManifestCache: document boundaries', () => {
  it.each(EDGE_CASES)('reads %s as parseFile does', (_name, text) => {
    const cold = new ManifestCache();
    parseChecked(cold, { path: 'edge.yaml', text });
    const warm = new ManifestCache();
    parseChecked(warm, { path: 'edge.yaml', text: `${namespace('a')}---\nk:\n---\n${namespace('b')}` });
    parseChecked(warm, { path: 'edge.yaml', text });
    // Once more from its own cached chunks.
    parseChecked(warm, { path: 'edge.yaml', text: `# edited\n${text}` });
  });
});

/** One random manifest document with the line that starts it, as lines. */
function randomDocument(random: SeededRandom): string[] {
  const ns = random.pick(['shop', 'db', 'kube-system']);
  const name = `${random.pick(['web', 'api', 'cache'])}-${random.int(100)}`;
  const port = random.int(70_000);
  const documents: (() => string)[] = [
    () => namespace(ns),
    () => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  replicas: ${random.int(5)}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: main
          ports:
            - containerPort: ${port}
`,
    () => `apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: ${ns}, labels: { app: ${name} } }
spec:
  containers: [{ name: c, ports: [{ containerPort: ${port} }] }]
status: { podIP: 10.0.${random.int(255)}.${random.int(255)} }
`,
    () => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  podSelector:
    matchLabels: { app: ${name} }
  policyTypes: [Ingress, Egress]
  ingress:
    - from:
        - namespaceSelector: { matchLabels: { team: ${random.pick(['a', 'b'])} } }
        - ipBlock: { cidr: 10.0.0.0/${random.pick([8, 16, 33])} }
      ports:
        - port: ${port}
  egress:
    - to:
        - podSelector: {}
`,
    () => `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Namespace
    metadata: { name: ${ns}-x }
  - apiVersion: v1
    kind: ConfigMap
    metadata: { name: ${name} }
  - just a string
`,
    () =>
      `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n  name: ${name}\n  labels: { on: yes, port: 0${port % 8}1 }\n`,
    () => '- not\n- a manifest\n',
    () => 'apiVersion: v1\nkind: Pod\nmetadata: { name: typed }\nspec: 7\n',
    () => '# an empty document\n',
  ];
  if (random.chance(0.1)) return [`--- {apiVersion: v1, kind: Namespace, metadata: {name: ${name}}}`];
  return [...random.pick(SEPARATORS), ...random.pick(documents)().split('\n').slice(0, -1)];
}

const SEPARATORS: readonly (readonly string[])[] = [
  ['---'],
  ['---'],
  ['--- # next'],
  ['...', '---'],
  ['# gap', '---'],
];
const BROKEN_LINES = ['  name: @broken', 'a: "unclosed', ']', '\tkey: tab'];

/** A file being edited: lines without their line breaks. */
interface EditedFile {
  lines: string[];
  crlf: boolean;
  finalNewline: boolean;
  broken: string[];
}

function randomFile(random: SeededRandom): EditedFile {
  const lines: string[] = random.chance(0.3) ? ['# generated', ''] : [];
  const count = 2 + random.int(8);
  for (let i = 0; i < count; i++) {
    const document = randomDocument(random);
    lines.push(...(i === 0 && document[0] === '---' && random.chance(0.5) ? document.slice(1) : document));
  }
  return { lines, crlf: random.chance(0.25), finalNewline: random.chance(0.85), broken: [] };
}

function textOf(file: EditedFile): string {
  const eol = file.crlf ? '\r\n' : '\n';
  return file.lines.join(eol) + (file.finalNewline ? eol : '');
}

const startLines = (lines: readonly string[]) =>
  lines.flatMap((line, i) => (line === '---' || line.startsWith('--- ') ? [i] : []));

/** Applies one random edit of the kinds people make while editing a manifest file. */
function edit(random: SeededRandom, file: EditedFile): void {
  const { lines } = file;
  const at = random.int(lines.length + 1);
  // Broken syntax and directives are fixed again soon, as when typing.
  const directive = lines[0]?.startsWith('%');
  const kind =
    file.broken.length > 0 && random.chance(0.5)
      ? 80
      : directive && random.chance(0.5)
        ? 85
        : random.int(100);
  if (kind < 30) {
    // Change a value: a number (port, replicas, CIDR prefix) or a name.
    const candidates = lines.flatMap((line, i) => (/\d|name: /.test(line) ? [i] : []));
    const i = random.pick(candidates.length > 0 ? candidates : [0]);
    lines[i] = (lines[i] ?? '').replace(/\d+|(?<=name: )[\w-]+/, (found) =>
      /\d/.test(found) ? String(random.int(1000)) : `${found}x`,
    );
  } else if (kind < 45) {
    lines.splice(at, 0, random.pick(['# note', '', '    extra: label', '  labels: { tier: web }']));
  } else if (kind < 55) {
    lines.splice(random.int(lines.length), 1);
  } else if (kind < 67) {
    const starts = startLines(lines);
    const before = starts.length > 0 && random.chance(0.8) ? random.pick(starts) : lines.length;
    lines.splice(before, 0, ...randomDocument(random));
  } else if (kind < 75) {
    const starts = startLines(lines);
    if (starts.length === 0) return;
    const start = random.pick(starts);
    const end = starts.find((s) => s > start) ?? lines.length;
    lines.splice(start, end - start);
  } else if (kind < 85) {
    // Break the syntax, or fix what an earlier edit broke.
    const fix = file.broken.pop();
    if (fix !== undefined) {
      const i = lines.indexOf(fix);
      if (i >= 0) lines.splice(i, 1);
    } else {
      const line = `${random.pick(BROKEN_LINES)}${random.int(1000)}`;
      lines.splice(at, 0, line);
      file.broken.push(line);
    }
  } else if (kind < 90) {
    if (directive) lines.splice(0, 1);
    else lines.unshift('%YAML 1.1', '---');
  } else if (kind < 95) {
    file.crlf = !file.crlf;
  } else {
    file.finalNewline = !file.finalNewline;
  }
}

// Property tests run many parse/analyse rounds: seconds on an idle machine, several times that
// on a busy 2-core CI runner. They check results, not speed, so they get a budget far above
// vitest's 5 s default that only a hang exceeds.
const PROPERTY_TEST_TIMEOUT_MS = 120_000;

/** Whether chunked reading can serve `result`: no syntax error, no refused document, no directive. */
function chunkable(result: ParseResult, file: EditedFile): boolean {
  return (
    !result.diagnostics.some((d) => d.code === 'yaml-syntax' || d.code === 'yaml-alias-limit') &&
    !file.lines.some((line) => line.startsWith('%'))
  );
}

describe('ManifestCache: equivalence with parseFile', () => {
  it(
    'gives the same result as parseFile after every edit of random edit sequences',
    () => {
      const random = new SeededRandom(20240601);
      let edits = 0;
      // Reuse between two successive texts that both read without syntax errors or directives.
      let kept = 0;
      let objects = 0;
      for (let f = 0; f < 30; f++) {
        const cache = new ManifestCache();
        const file = randomFile(random);
        let previous = parseChecked(cache, { path: `f${f}.yaml`, text: textOf(file) });
        for (let e = 0; e < 16; e++) {
          edit(random, file);
          edits++;
          const result = parseChecked(cache, { path: `f${f}.yaml`, text: textOf(file) });
          expect(new Set(result.objects).size).toBe(result.objects.length);
          if (chunkable(previous, file) && chunkable(result, file)) {
            const before = new Set(previous.objects);
            kept += result.objects.filter((o) => before.has(o)).length;
            objects += result.objects.length;
          }
          previous = result;
        }
      }
      expect(edits).toBe(480);
      // Most edits touch one document: most objects must be the ones of the previous result.
      expect(objects).toBeGreaterThan(500);
      expect(kept / objects).toBeGreaterThan(0.6);
      // 480 edits, each parsed twice: a generous budget, so that a busy machine does not fail it.
    },
    PROPERTY_TEST_TIMEOUT_MS,
  );
});
