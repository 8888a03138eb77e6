import { parseManifests, validateNetworkPolicy } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import { DEFAULT_STYLE, readDocument, renderDocument, rewriteDocument } from './yamlEdit.ts';
import { appendDocument, needsQuotes, splitStream } from './yamlText.ts';

/** True when every line of `before` appears in `after`, in order (lines were only added). */
function keepsAllLines(before: string, after: string): boolean {
  const a = after.split('\n');
  let j = 0;
  for (const line of before.split('\n')) {
    while (j < a.length && a[j] !== line) j++;
    if (j === a.length) return false;
    j++;
  }
  return true;
}

const HAND_WRITTEN = `# why this policy exists
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api   # the API
  namespace: shop
spec:
  # pods of the API
  podSelector:
    matchLabels: {app: api}
  policyTypes: [Ingress]
  ingress:
  - from:
    - podSelector:
        matchLabels:
          app: web     # the storefront
    ports:
    - port: 8080
      protocol: TCP
`;

describe('rewriteDocument', () => {
  it('returns the text unchanged when the value is unchanged', () => {
    const value = readDocument(HAND_WRITTEN) as Record<string, unknown>;
    expect(rewriteDocument(HAND_WRITTEN, [], value)).toBe(HAND_WRITTEN);
  });

  it('adds a rule keeping comments, key order, odd spacing and kubectl-style sequences', () => {
    const value = readDocument(HAND_WRITTEN) as { spec: { ingress: unknown[] } };
    value.spec.ingress.push({ from: [{ podSelector: { matchLabels: { app: 'admin' } } }] });
    const out = rewriteDocument(HAND_WRITTEN, ['spec'], value.spec);
    expect(keepsAllLines(HAND_WRITTEN, out)).toBe(true);
    expect(out).toBe(
      HAND_WRITTEN +
        `  - from:
    - podSelector:
        matchLabels:
          app: admin
`,
    );
  });

  it('edits a value in place and keeps its trailing comment', () => {
    const value = readDocument(HAND_WRITTEN) as { spec: { ingress: { ports: { port: number }[] }[] } };
    value.spec.ingress[0]!.ports[0]!.port = 9090;
    const out = rewriteDocument(HAND_WRITTEN, ['spec'], value.spec);
    expect(out).toBe(HAND_WRITTEN.replace('- port: 8080', '- port: 9090'));
  });

  it('removes a key without touching its neighbours', () => {
    const value = readDocument(HAND_WRITTEN) as { spec: { ingress: Record<string, unknown>[] } };
    delete value.spec.ingress[0]!.ports;
    const out = rewriteDocument(HAND_WRITTEN, ['spec'], value.spec);
    expect(out).toBe(HAND_WRITTEN.replace('    ports:\n    - port: 8080\n      protocol: TCP\n', ''));
  });

  it('inserts a new key where people write it, not at the end', () => {
    const text = 'spec:\n  podSelector: {}\n  ingress: []\n';
    const out = rewriteDocument(text, ['spec'], { podSelector: {}, policyTypes: ['Ingress'], ingress: [] });
    expect(out).toBe('spec:\n  podSelector: {}\n  policyTypes:\n    - Ingress\n  ingress: []\n');
  });

  it('turns an empty flow map into a block when it gains content', () => {
    const text = 'spec:\n  podSelector: {}\n';
    expect(rewriteDocument(text, ['spec'], { podSelector: { matchLabels: { app: 'a' } } })).toBe(
      'spec:\n  podSelector:\n    matchLabels:\n      app: a\n',
    );
  });

  it('quotes new strings that YAML 1.1 would misread', () => {
    const text = 'metadata:\n  labels:\n    a: b\n';
    const out = rewriteDocument(text, ['metadata', 'labels'], {
      a: 'b',
      enabled: 'yes',
      mode: 'on',
      code: '010',
    });
    expect(out).toBe('metadata:\n  labels:\n    a: b\n    enabled: "yes"\n    mode: "on"\n    code: "010"\n');
    expect(readDocument(out)).toEqual({
      metadata: { labels: { a: 'b', enabled: 'yes', mode: 'on', code: '010' } },
    });
  });

  it('edits a list item inside a List document', () => {
    const text = `apiVersion: v1
kind: List
items:
  - apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: a}
    spec:
      podSelector: {}
`;
    const out = rewriteDocument(text, ['items', 0, 'spec'], { podSelector: {}, policyTypes: ['Ingress'] });
    expect(out).toBe(
      text.replace(
        '      podSelector: {}\n',
        '      podSelector: {}\n      policyTypes:\n        - Ingress\n',
      ),
    );
  });
});

describe('needsQuotes', () => {
  it.each([
    ['yes', true],
    ['no', true],
    ['on', true],
    ['off', true],
    ['y', true],
    ['n', true],
    ['True', true],
    ['010', true],
    ['0o17', true],
    ['0x1F', true],
    // Neither YAML schema reads these as numbers, but go-yaml (Kubernetes) does.
    ['0B101', true],
    ['0O17', true],
    ['1_000', true],
    ['12:30', true],
    ['1e3', true],
    ['.5', true],
    ['~', true],
    ['null', true],
    ['2024-01-01', true],
    ['', true],
    [' padded', true],
    ['::/0', true],
    ['-x', true],
    ['app', false],
    ['frontend', false],
    ['v1.2', false],
    ['10.0.0.0/8', false],
    ['kubernetes.io/metadata.name', false],
  ])('%j -> %s', (value, expected) => {
    expect(needsQuotes(value)).toBe(expected);
  });
});

describe('renderDocument', () => {
  it('prints a generated policy that validates and keeps ambiguous strings as strings', () => {
    const policy = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'p', namespace: 'ns' },
      spec: {
        podSelector: { matchLabels: { enabled: 'yes', mode: 'on', code: '010' } },
        policyTypes: ['Ingress'],
      },
    };
    const text = renderDocument(policy, DEFAULT_STYLE, 'why');
    expect(text).toContain('enabled: "yes"');
    expect(text).toContain('mode: "on"');
    expect(text).toContain('code: "010"');
    expect(text.startsWith('# why\napiVersion:')).toBe(true);
    const parsed = parseManifests([{ path: 'p.yaml', text }]);
    expect(parsed.diagnostics).toEqual([]);
    expect(validateNetworkPolicy(readDocument(text), () => undefined, 'p.yaml')).toEqual([]);
    expect(readDocument(text)).toEqual(policy);
  });
});

describe('splitStream and appendDocument', () => {
  it.each([
    '',
    '# only a comment\n',
    'a: 1\n',
    '---\na: 1\n---\nb: 2\n',
    '# head\na: 1\n...\n---\nb: 2',
    '%YAML 1.1\n---\na: 1\n',
  ])('splits %j losslessly', (text) => {
    expect(
      splitStream(text)
        .map((s) => s.text)
        .join(''),
    ).toBe(text);
  });

  it.each([
    ['', 'x: 1\n'],
    ['a: 1\n', 'a: 1\n---\nx: 1\n'],
    ['a: 1', 'a: 1\n---\nx: 1\n'],
    ['# only a comment\n', '# only a comment\nx: 1\n'],
    ['a: 1\n---\n', 'a: 1\n---\nx: 1\n'],
  ])('appends to %j', (text, expected) => {
    expect(appendDocument(text, 'x: 1\n')).toBe(expected);
  });
});
