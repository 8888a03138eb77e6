// The fast readers (fastYaml.ts, fastJson.ts) must be invisible: for every text, decoding with them
// gives the same values, document ranges, diagnostics and locate() results as the full parser.
// Checked on the bench workspace, the conformance corpus, the public samples, and seeded random
// documents full of the constructs that make the fast readers give up or read a scalar specially.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateCluster } from '../../../bench/synthetic.ts';
import { CORPUS_DIR } from '../../../conformance/corpus.ts';
import type { PathSegment } from './diagnostics.ts';
import { readJson } from './fastJson.ts';
import { readBlockYaml } from './fastYaml.ts';
import { readPlain, UNREADABLE } from './plainScalars.ts';
import { SeededRandom } from './seededRandom.ts';
import { decodeDocuments } from './yamlDocuments.ts';

/** Every path into `value`, and beside each a path that goes one step past what exists. */
function pathsOf(value: unknown, prefix: PathSegment[] = [], out: PathSegment[][] = []): PathSegment[][] {
  out.push(prefix);
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      pathsOf(item, [...prefix, i], out);
    });
    out.push([...prefix, value.length], [...prefix, 'key']);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) pathsOf(item, [...prefix, key], out);
    out.push([...prefix, 'no-such-key'], [...prefix, 0]);
  } else {
    out.push([...prefix, 'x'], [...prefix, 0]);
  }
  return out;
}

/** Decodes `text` with and without the fast readers and expects the same of everything. */
function expectSameAsFullParser(path: string, text: string): void {
  const options = { maxAliasCount: 100 };
  const full = decodeDocuments(path, text, { ...options, fastReaders: false });
  const fast = decodeDocuments(path, text, options);
  expect(fast.diagnostics, path).toEqual(full.diagnostics);
  expect(fast.complete, path).toBe(full.complete);
  expect(fast.documents.length, path).toBe(full.documents.length);
  full.documents.forEach((doc, i) => {
    const other = fast.documents[i]!;
    const where = `${path} document ${i}`;
    expect(other.index, where).toBe(doc.index);
    // Key order matters too (it is what tools show and save): compare the serialised form as well.
    expect(other.value, where).toEqual(doc.value);
    expect(JSON.stringify(other.value), where).toBe(JSON.stringify(doc.value));
    expect(other.range, where).toEqual(doc.range);
    const paths = pathsOf(doc.value);
    expect(
      paths.map((p) => other.locate(p)),
      where,
    ).toEqual(paths.map((p) => doc.locate(p)));
  });
}

function filesUnder(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) filesUnder(path, out);
    else if (/\.(ya?ml|json)$/.test(name)) out.push(path);
  }
  return out;
}

describe('fast readers: the same result as the full parser', () => {
  it('on the whole 10k bench workspace', { timeout: 300_000 }, () => {
    // The parse-10k figure's cluster (bench/run.ts).
    const files = generateCluster({
      namespaces: 200,
      workloads: 2000,
      podsPerWorkload: 5,
      policies: 2000,
      clusterPolicies: 50,
      seed: 20240601,
    });
    let fast = 0;
    for (const file of files) {
      expectSameAsFullParser(file.path, file.text);
      for (const doc of file.text.split(/^(?=---$)/m))
        if (readBlockYaml(doc, 100) || readJson(doc, 100)) fast++;
    }
    // The workspace is what the fast readers are for: none of it may quietly go the slow way.
    expect(fast).toBe(files.reduce((n, f) => n + f.text.split(/^(?=---$)/m).length, 0));
  });

  it('on the conformance corpus and the public samples', { timeout: 300_000 }, () => {
    const publicDir = new URL('../../../public', import.meta.url).pathname;
    const files = [...filesUnder(CORPUS_DIR), ...filesUnder(publicDir)];
    expect(files.length).toBeGreaterThan(100);
    for (const path of files) expectSameAsFullParser(path, readFileSync(path, 'utf8'));
  });

  it('on seeded random documents', { timeout: 120_000 }, () => {
    let fastRead = 0;
    for (let seed = 1; seed <= 600; seed++) {
      const generator = new SeededRandom(seed);
      const random = () => generator.next();
      const text = randomStream(random);
      expectSameAsFullParser(`random-${seed}.yaml`, text);
      for (const doc of text.split(/^(?=---$)/m))
        if (readBlockYaml(doc, 100) || readJson(doc, 100)) fastRead++;
    }
    // The generator must exercise the fast readers, not only their giving up.
    expect(fastRead).toBeGreaterThan(300);
  });
});

describe('fast readers: positions', () => {
  it('are rebuilt when a document asks again after many others were located', () => {
    // More documents than the positions kept at once.
    const text = Array.from({ length: 400 }, (_, i) => `---\nkind: Pod\nmetadata:\n  name: p${i}\n`).join('');
    const { documents } = decodeDocuments('many.yaml', text, { maxAliasCount: 100 });
    const first = documents[0]!.locate(['metadata', 'name']);
    expect(first).toEqual({ start: { line: 4, column: 9 }, end: { line: 4, column: 11 } });
    for (const doc of documents) doc.locate(['kind']);
    expect(documents[0]!.locate(['metadata', 'name'])).toEqual(first);
    expect(documents[399]!.locate(['metadata', 'name'])?.start.line).toBe(399 * 4 + 4);
  });
});

describe('readPlain', () => {
  it.each([
    ['name', 'name'],
    ['yes', true],
    ['Off', false],
    ['NULL', null],
    // The library reads a mantissa-less exponent as a float (NaN): not a string, whatever it is.
    ['e5', Number.NaN],
    ['E5', Number.NaN],
    ['example', 'example'],
    ['8080', 8080],
    ['-12', -12],
    ['010', 8],
    ['0x1F', 31],
    ['1_000', 1000],
    ['1.5', 1.5],
    ['10.0.0.1', '10.0.0.1'],
    ['12:30', 750],
  ])('reads %s as the yaml library does', (source, value) => {
    expect(readPlain(source)).toEqual(value);
  });

  it('leaves timestamps to the full parser (they read as dates)', () => {
    expect(readPlain('2024-01-01')).toBe(UNREADABLE);
  });
});

describe('fast readers give up on what they do not read exactly', () => {
  it.each([
    ['a comment inside the document', 'a: 1\n# note\nb: 2\n'],
    ['an anchor and an alias', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a flow collection', 'a: [1, 2]\n'],
    ['a folded block scalar', 'a: >\n  text\n'],
    ['a block scalar with an indentation indicator', 'a: |2\n   text\n'],
    ['a comment after a block scalar header', 'a: | # note\n  text\n'],
    ['an empty block scalar', 'a: |\nb: 1\n'],
    ['a blank line indented past a block scalar', 'a: |\n  x\n     \n  y\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a tab', 'a:\t1\n'],
    ['a YAML-only escape', 'a: "\\x41"\n'],
    ['a key that is not a string', 'yes: 1\n'],
    ['a merge key', '<<: {}\n'],
    ['bad indentation', 'a:\n  b: 1\n c: 2\n'],
  ])('%s', (_name, text) => {
    expect(readBlockYaml(text, 100)).toBeUndefined();
  });

  it.each([
    ['a float', '{"a": 1.5}'],
    ['an exponent', '{"a": 1e5}'],
    ['a duplicate key', '{"a": 1, "a": 2}'],
    ['a key broken over lines', '{"a"\n: 1}'],
    ['a comment', '{"a": 1} # note'],
  ])('JSON with %s', (_name, text) => {
    expect(readJson(text, 100)).toBeUndefined();
  });

  it('reads literal block scalars as the library does', () => {
    const applied =
      'metadata:\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: |\n      {"apiVersion":"v1","kind":"Pod"}\n  name: web\n';
    expect(readBlockYaml(applied, 100)?.value).toEqual({
      metadata: {
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': '{"apiVersion":"v1","kind":"Pod"}\n',
        },
        name: 'web',
      },
    });
    expect(readBlockYaml('a: |-\n  one\n\n    two\n\n\nb: 1\n', 100)?.value).toEqual({
      a: 'one\n\n  two',
      b: 1,
    });
    expect(readBlockYaml('a: |+\n  one\n\nb: 1\n', 100)?.value).toEqual({ a: 'one\n\n', b: 1 });
    expect(readBlockYaml('- |\n  x\n- z\n', 100)?.value).toEqual(['x\n', 'z']);
    expectSameAsFullParser('applied.yaml', applied);
  });

  it('reads plain block YAML and JSON', () => {
    expect(readBlockYaml('a:\n  b: [ ]\n', 100)).toBeUndefined();
    expect(readBlockYaml('a:\n- b: "x"\n  c: {}\n', 100)?.value).toEqual({ a: [{ b: 'x', c: {} }] });
    expect(readJson('---\n{"a": [1, true, null, "x"]}\n', 100)?.value).toEqual({ a: [1, true, null, 'x'] });
  });
});

// --- random documents ---------------------------------------------------------------------------

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** Mostly ordinary scalars, with every special reading and every construct the readers give up on. */
const SCALARS = [
  ...['web', 'app', 'x', 'registry.example.com/a:v1', 'TCP', 'a b', 'a:b', 'a#b', 'é', 'ünïcode'],
  ...['80', '8080', '0', '-1', '+1', '00', '010', '0o10', '0x1F', '0b101', '1_000', '123456789012345678'],
  ...['1.5', '1.', '.5', '1e5', 'e5', 'E3', '.inf', '-.Inf', '.nan', '12:30', '1:20:30.5', '10.0.0.1'],
  ...['yes', 'no', 'on', 'Off', 'y', 'N', 'true', 'FALSE', 'null', '~', 'Null', 'NULL'],
  ...['2024-01-01', '2024-01-01T10:00:00Z', '<<', '=', '-x', '?x', ':x', '---x', '...'],
  ...['"quoted"', '""', '"a: b"', '"esc \\" \\\\ \\n \\t \\u00e9 \\/"', '"\\x41"', '"\\e"', "'it''s'", "''"],
  ...["'a # b'", '{}', '[]', '{ }', '[a, b]', '{a: 1}', '@x', '`x', '%x', '!tag x', '!!str 1', '&a x'],
  ...['*a', '|', '>', '|-', 'a: b', 'a #b', '-', '- x', '?', 'x   ', '"x" # c', 'x # c', '"x"#c'],
];
const KEYS = [
  ...['name', 'app', 'labels', 'spec', 'a', 'b', 'c', 'app.kubernetes.io/name', 'x-y_z'],
  ...['yes', 'on', 'e5', '1', '~', 'null', '__proto__', 'constructor', 'toString', 'a b', '-x', '<<'],
  ...['"quoted key"', "'single'", '"esc\\tkey"', 'a#b', 'k ', '?', '[a]'],
];

function randomStream(random: () => number): string {
  const docs: string[] = [];
  const count = 1 + Math.floor(random() * 3);
  for (let i = 0; i < count; i++) {
    const json = random() < 0.15;
    const body = json ? randomJson(random) : randomBlock(random, 0, 0, random() < 0.1 ? 'seq' : 'map');
    const start = i > 0 || random() < 0.3 ? `---${random() < 0.1 ? ' # doc' : ''}\n` : '';
    const lead = random() < 0.1 ? '# leading comment\n\n' : '';
    docs.push(`${start}${lead}${body}`);
  }
  let text = docs.join('');
  if (random() < 0.2) text = text.replace(/\n$/, '');
  if (random() < 0.1) text += '\n\n';
  return text;
}

function randomBlock(random: () => number, indent: number, depth: number, kind: 'map' | 'seq'): string {
  const step = pick(random, [2, 2, 2, 4, 1]);
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  const entries = 1 + Math.floor(random() * 4);
  const keys = new Set<string>();
  for (let i = 0; i < entries; i++) {
    let key = pick(random, random() < 0.8 ? KEYS.slice(0, 9) : KEYS);
    // Keys repeat only now and then, as they do in hand-edited files.
    if (keys.has(key) && random() < 0.9) key = `${key}${i}`;
    keys.add(key);
    const head = kind === 'map' ? `${pad}${key}:` : `${pad}-`;
    const nested = depth < 4 && random() < 0.35;
    if (nested) {
      const child: 'map' | 'seq' = random() < 0.6 ? 'map' : 'seq';
      if (kind === 'seq' && child === 'map' && random() < 0.6) {
        // `- key: value` with the rest of the map aligned under the first key.
        const inner = randomBlock(random, indent + 2, depth + 1, 'map');
        lines.push(`${pad}- ${inner.slice(indent + 2)}`.replace(/\n$/, ''));
      } else {
        const compact = kind === 'map' && child === 'seq' && random() < 0.5;
        lines.push(head + (random() < 0.05 ? '   ' : ''));
        lines.push(
          randomBlock(random, compact ? indent : indent + step, depth + 1, child).replace(/\n$/, ''),
        );
      }
    } else if (random() < 0.1) {
      lines.push(head + (random() < 0.5 ? '  ' : ''));
    } else if (random() < 0.07) {
      lines.push(`${head} ${randomLiteral(random, indent)}`);
    } else {
      const comment = random() < 0.05 ? ' # note' : '';
      lines.push(`${head} ${pick(random, SCALARS)}${comment}`);
    }
    if (random() < 0.08) lines.push('');
    if (random() < 0.03) lines.push(`${pad}# comment`);
    if (random() < 0.02) lines.push(`${' '.repeat(indent + 1)}continued`);
  }
  return `${lines.join('\n')}\n`;
}

/** A block scalar: mostly literal ones the fast reader takes, with every variant it gives up on. */
function randomLiteral(random: () => number, indent: number): string {
  const header = pick(random, ['|', '|', '|', '|-', '|+', '|  ', '|2', '| # c', '>', '>-']);
  const deeper = indent + pick(random, [1, 2, 2, 4]);
  const lines = [header];
  const count = Math.floor(random() * 5);
  for (let i = 0; i < count; i++) {
    const r = random();
    if (r < 0.15) lines.push('');
    else if (r < 0.22) lines.push(' '.repeat(Math.floor(random() * (deeper + 3))));
    else if (r < 0.32) lines.push(`${' '.repeat(deeper + 2)}more: indented`);
    else if (r < 0.37) lines.push(`${' '.repeat(deeper)}# not a comment`);
    else if (r < 0.4) lines.push(`${' '.repeat(Math.max(0, deeper - 1))}less`);
    else lines.push(`${' '.repeat(deeper)}${pick(random, SCALARS)}`);
  }
  if (random() < 0.2) lines.push('');
  return lines.join('\n');
}

function randomJson(random: () => number): string {
  const value = (depth: number): unknown => {
    const r = random();
    if (depth < 3 && r < 0.25) {
      return Object.fromEntries(
        Array.from({ length: Math.floor(random() * 4) }, (_, i) => [
          pick(random, ['a', 'b', 'name', '', `k${i}`, 'é', 'a"b']),
          value(depth + 1),
        ]),
      );
    }
    if (depth < 3 && r < 0.4) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
    return pick(random, [
      1,
      0,
      -7,
      8080,
      1.5,
      1e21,
      true,
      false,
      null,
      'x',
      'a\nb',
      'yes',
      '',
      '\u00e9',
      'q"uote',
    ]);
  };
  const root = random() < 0.8 ? { apiVersion: 'v1', kind: 'List', items: value(0) } : [value(0)];
  let text = JSON.stringify(root, null, pick(random, [0, 1, 2, 4]));
  // Now and then a key given twice, which JSON.stringify never writes.
  if (random() < 0.1) text = text.replace('"apiVersion"', '"kind": "x", "apiVersion"');
  return `${text}\n`;
}
