import { describe, expect, it } from 'vitest';
import { parseFile } from './index.ts';

const namespace = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;

function parse(text: string, options = {}) {
  const r = parseFile({ path: 'in.yaml', text }, options);
  return {
    names: r.objects.map((o) => o.metadata.name),
    diagnostics: r.diagnostics.map((d) => ({
      code: d.code,
      severity: d.severity,
      line: d.range?.start.line,
      column: d.range?.start.column,
      message: d.message,
    })),
  };
}

/** A stream of namespaces `a`, `b`, ... with `broken` as one more document at `at`. */
function streamWith(broken: string, at: number, count = 4): string {
  const docs = Array.from({ length: count }, (_, i) => namespace(String.fromCharCode(97 + i)));
  docs.splice(at, 0, broken);
  return docs.map((d) => `---\n${d}`).join('');
}

describe('decodeDocuments: a syntax error costs its own document only', () => {
  it.each([
    ['an unclosed flow map', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: x,\n  labels: 1\n'],
    ['an unclosed flow sequence', 'apiVersion: v1\nkind: List\nitems: [1, 2\n'],
    ['an unclosed double quote', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: "x\n'],
    ['an unclosed single quote', "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: 'x\n"],
    ['a bad indentation', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n labels: {}\n'],
    ['a tab as indentation', 'apiVersion: v1\nkind: Namespace\nmetadata:\n\tname: x\n'],
    ['a reserved character', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: @x\n'],
  ])('keeps the documents before and after %s', (_name, broken) => {
    for (const at of [0, 2, 4]) {
      const r = parse(streamWith(broken, at));
      expect(r.names).toEqual(['a', 'b', 'c', 'd']);
      expect(r.diagnostics).toMatchObject([{ code: 'yaml-syntax', severity: 'error' }]);
      // The error is inside the broken document: after its start line, before the next one.
      const start = 5 * at + 1;
      expect(r.diagnostics[0]?.line).toBeGreaterThan(start);
      expect(r.diagnostics[0]?.line).toBeLessThanOrEqual(start + broken.split('\n').length);
    }
  });

  it('points at the line that opened an unclosed flow collection, not where it was noticed', () => {
    const lines = [
      '---',
      'apiVersion: v1',
      'kind: Namespace',
      'metadata:',
      '  name: x',
      '  labels: {team: a,',
    ];
    const text = `${namespace('a')}${lines.join('\n')}\n---\n${namespace('b')}`;
    const r = parse(text);
    expect(r.names).toEqual(['a', 'b']);
    expect(r.diagnostics).toMatchObject([{ code: 'yaml-syntax', line: 10, column: 11 }]);
    expect(r.diagnostics[0]?.message).toContain('"{" opened here is never closed (noticed on line 11');
  });

  it('points at the opening quote of an unclosed quoted string that swallows later start lines', () => {
    const text = `${namespace('a')}---\nkind: Namespace\nmetadata:\n  name: "x\n---\n${namespace('b')}`;
    const r = parse(text);
    expect(r.names).toEqual(['a', 'b']);
    expect(r.diagnostics).toMatchObject([{ code: 'yaml-syntax', line: 8, column: 9 }]);
    expect(r.diagnostics[0]?.message).toContain('quoted string opened here is never closed');
  });

  it('stops the file at the first syntax error when asked to, as netpol-analyzer does', () => {
    const r = parse(streamWith('a: [1\n', 1), { stopAtSyntaxError: true });
    expect(r.names).toEqual(['a']);
    expect(r.diagnostics[0]?.message).toContain('the rest of this file (3 more document(s)) was not loaded');
  });

  it('keeps the file numbering of documents after a broken one', () => {
    const r = parseFile({ path: 'in.yaml', text: streamWith('a: [1\n', 1) });
    expect(r.objects.map((o) => o.source.document)).toEqual([0, 2, 3, 4]);
  });
});

describe('decodeDocuments: nesting is limited before parsing', () => {
  it.each([
    ['block sequences on one line', `${'- '.repeat(2200)}x\n`],
    [
      'block sequences, each on its own line',
      `${Array.from({ length: 300 }, (_, i) => `${' '.repeat(i)}- `).join('\n')}\n`,
    ],
    [
      'block maps by indentation',
      `${Array.from({ length: 300 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')}\n`,
    ],
    ['flow sequences', `${'['.repeat(5000)}${']'.repeat(5000)}\n`],
    ['flow maps', `${'{a: '.repeat(3000)}1${'}'.repeat(3000)}\n`],
    ['JSON', `{"kind": "List", "items": ${'[{"a": '.repeat(2000)}1${'}]'.repeat(2000)}}\n`],
  ])('refuses %s with the line where the limit was passed, and loads the other documents', (_name, deep) => {
    for (const at of [0, 2]) {
      const r = parse(streamWith(deep, at, 2));
      expect(r.names).toEqual(['a', 'b']);
      expect(r.diagnostics).toMatchObject([{ code: 'yaml-too-deep', severity: 'error' }]);
      expect(r.diagnostics[0]?.message).toContain('nested more than 100 levels deep');
      expect(r.diagnostics[0]?.line).toBeGreaterThan(5 * at + 1);
    }
  });

  it('refuses an over-deep document that ends the file (no start line after it)', () => {
    const r = parse(`${namespace('a')}---\n${'- '.repeat(900)}x\n`);
    expect(r.names).toEqual(['a']);
    expect(r.diagnostics).toMatchObject([{ code: 'yaml-too-deep', line: 6 }]);
  });

  it('reads documents up to the limit, and the limit is an option', () => {
    const nested = (depth: number) =>
      `apiVersion: v1\nkind: ConfigMap\ndata: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
    // The document's own map is one level: 99 brackets inside it make 100.
    expect(parse(nested(99)).diagnostics).toEqual([
      expect.objectContaining({ code: 'unknown-kind', severity: 'info' }),
    ]);
    expect(parse(nested(100)).diagnostics).toMatchObject([{ code: 'yaml-too-deep' }]);
    expect(parse(nested(20), { maxNestingDepth: 10 }).diagnostics).toMatchObject([{ code: 'yaml-too-deep' }]);
  });

  it('does not count brackets, dashes and colons inside scalars, comments and block scalars', () => {
    const deepText = '[{'.repeat(200);
    const text = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      `  name: cm # ${deepText}`,
      'data:',
      `  quoted: "${deepText}"`,
      `  single: '${deepText}'`,
      `  plain: a${deepText}`,
      '  script: |',
      `    ${deepText}`,
      `    ${'- '.repeat(200)}`,
      '  folded: >-',
      `    ${'k: '.repeat(200)}`,
      '',
    ].join('\n');
    expect(parse(text).diagnostics).toMatchObject([{ code: 'unknown-kind' }]);
  });
});

describe('decodeDocuments: byte-order marks', () => {
  it('ignores a byte-order mark at the start of a later document, with a warning', () => {
    const r = parse(`${namespace('a')}---\n\uFEFF${namespace('b')}`);
    expect(r.names).toEqual(['a', 'b']);
    expect(r.diagnostics).toMatchObject([
      { code: 'yaml-byte-order-mark', severity: 'warning', line: 6, column: 1 },
    ]);
  });

  it('ignores one before a later start line (files joined with cat)', () => {
    const r = parseFile({ path: 'in.yaml', text: `${namespace('a')}\uFEFF---\n${namespace('b')}` });
    expect(r.objects.map((o) => o.metadata.name)).toEqual(['a', 'b']);
    expect(r.objects[1]?.source.range?.start.line).toBe(6);
    expect(r.diagnostics).toMatchObject([{ code: 'yaml-byte-order-mark', range: { start: { line: 5 } } }]);
  });

  it('says nothing about a byte-order mark at the start of the file', () => {
    const r = parse(`\uFEFF${namespace('a')}---\n${namespace('b')}`);
    expect(r.names).toEqual(['a', 'b']);
    expect(r.diagnostics).toEqual([]);
  });

  it('keeps positions right on the line of a removed mark', () => {
    const line = '\uFEFF{apiVersion: v1, kind: Namespace, metadata: {name: [x]}}';
    const r = parseFile({ path: 'in.yaml', text: `${namespace('a')}---\n${line}\n` });
    expect(r.diagnostics.find((d) => d.code === 'type-mismatch')?.range?.start).toEqual({
      line: 6,
      column: line.indexOf('[') + 1,
    });
  });
});

describe('decodeDocuments: aliases and keys Kubernetes cannot read', () => {
  it('names an undefined alias and where it is', () => {
    const r = parse(
      `${namespace('a')}---\nkind: Namespace\napiVersion: v1\nmetadata:\n  name: *nowhere\n---\n${namespace('b')}`,
    );
    expect(r.names).toEqual(['a', 'b']);
    expect(r.diagnostics).toMatchObject([
      { code: 'yaml-undefined-alias', severity: 'error', line: 9, column: 9 },
    ]);
    expect(r.diagnostics[0]?.message).toContain('undefined alias "*nowhere"');
    expect(r.diagnostics[0]?.message).not.toContain('alias expansions');
  });

  it('refuses an alias to an anchor defined after it', () => {
    const r = parse('a: *later\nb: &later 1\n');
    expect(r.diagnostics).toMatchObject([{ code: 'yaml-undefined-alias', line: 1 }]);
  });

  it('refuses an alias inside the node its anchor names', () => {
    const r = parse('apiVersion: v1\nkind: ConfigMap\ndata: &loop\n  self: *loop\n');
    expect(r.diagnostics).toMatchObject([{ code: 'yaml-recursive-alias', line: 4 }]);
  });

  it('still reads aliases to earlier anchors', () => {
    const r = parse(
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  labels: &l {a: b}\n  annotations: *l\n  name: ns1\n',
    );
    expect(r.names).toEqual(['ns1']);
    expect(r.diagnostics).toEqual([]);
  });

  it('reports a collection used as a key as a diagnostic, without a process warning', () => {
    const warnings: unknown[] = [];
    const listener = (warning: unknown) => warnings.push(warning);
    process.on('warning', listener);
    try {
      const r = parse(`? [a, b]\n: 1\n---\n${namespace('b')}`);
      expect(r.names).toEqual(['b']);
      expect(r.diagnostics).toMatchObject([
        { code: 'yaml-complex-key', severity: 'error', line: 1, column: 3 },
      ]);
    } finally {
      process.off('warning', listener);
    }
    expect(warnings).toEqual([]);
  });
});
