// The realism check: every AdminNetworkPolicy / BaselineAdminNetworkPolicy of netpol-analyzer's
// corpus (read in place), validated as the API server would. Cases that netpol-analyzer rejects
// must be rejected here for the same reason; the other cases must pass, except where the
// manifests are invalid for the CRD although netpol-analyzer reads them (each such category is
// named below, with why).

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isNode, LineCounter, parseAllDocuments } from 'yaml';
import { CORPUS_DIR } from '../../../../conformance/corpus.ts';
import type { Diagnostic, Locator } from '../diagnostics.ts';
import { validateClusterPolicy } from './clusterPolicy.ts';

const TESTS = `${CORPUS_DIR}tests`;
const CLUSTER_KINDS = new Set(['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy']);

interface Checked {
  dir: string;
  file: string;
  name: string;
  diagnostics: Diagnostic[];
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = `${dir}/${entry}`;
    if (statSync(path).isDirectory()) out.push(...yamlFiles(path));
    else if (/\.ya?ml$/.test(entry)) out.push(path);
  }
  return out;
}

function locatorFor(
  doc: ReturnType<typeof parseAllDocuments>[number],
  lines: LineCounter,
  prefix: (string | number)[],
): Locator {
  return (path) => {
    const full = [...prefix, ...path];
    const node = full.length === 0 ? doc.contents : doc.getIn(full, true);
    if (!isNode(node) || node.range == null) return undefined;
    const start = lines.linePos(node.range[0]);
    const end = lines.linePos(node.range[1]);
    return { start: { line: start.line, column: start.col }, end: { line: end.line, column: end.col } };
  };
}

function checkCorpus(): Checked[] {
  const out: Checked[] = [];
  for (const dir of readdirSync(TESTS).sort()) {
    if (!statSync(`${TESTS}/${dir}`).isDirectory()) continue;
    for (const path of yamlFiles(`${TESTS}/${dir}`)) {
      const text = readFileSync(path, 'utf8');
      // Parsing only the files that can hold these kinds keeps the scan of the corpus quick.
      if (!/AdminNetworkPolicy|ClusterNetworkPolicy/.test(text)) continue;
      const lines = new LineCounter();
      for (const doc of parseAllDocuments(text, { lineCounter: lines })) {
        const value = doc.toJS() as { kind?: unknown; items?: unknown } | null;
        const isList =
          typeof value?.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items);
        const items = isList ? (value.items as unknown[]) : [value];
        items.forEach((item, i) => {
          const kind = (item as { kind?: unknown } | null)?.kind;
          if (typeof kind !== 'string' || !CLUSTER_KINDS.has(kind)) return;
          const locate = locatorFor(doc, lines, isList ? ['items', i] : []);
          const file = path.slice(TESTS.length + 1);
          const diagnostics = validateClusterPolicy(item, locate, file);
          const name = String((item as { metadata?: { name?: unknown } }).metadata?.name ?? '');
          out.push({ dir, file, name, diagnostics });
        });
      }
    }
  }
  return out;
}

const checked = checkCorpus();
const errorsIn = (c: Checked) => c.diagnostics.filter((d) => d.severity === 'error');
const isBadPath = (dir: string) => /^b?anp_bad_path_test_\d+$/.test(dir);

// What netpol-analyzer's fatal-error case of each directory is about, as the API server says it.
const BAD_PATHS: Record<string, { code: string; field: string }> = {
  anp_bad_path_test_2: { code: 'crd-maximum', field: 'spec.priority' },
  anp_bad_path_test_4: { code: 'crd-required', field: 'spec.subject' },
  anp_bad_path_test_5: { code: 'crd-max-properties', field: 'spec.subject' },
  anp_bad_path_test_6: { code: 'crd-required', field: 'spec.egress[0].to' },
  anp_bad_path_test_7: { code: 'crd-max-properties', field: 'spec.egress[0].to[0]' },
  anp_bad_path_test_8: { code: 'crd-max-properties', field: 'spec.egress[3].ports[0]' },
  anp_bad_path_test_9: { code: 'crd-enum', field: 'spec.egress[1].action' },
  anp_bad_path_test_10: { code: 'crd-required', field: 'spec.egress[0].to' },
  anp_bad_path_test_12: { code: 'crd-required', field: 'spec.egress[0].action' },
  anp_bad_path_test_14: { code: 'crd-required', field: 'spec.ingress[0].from' },
  anp_bad_path_test_15: { code: 'crd-required', field: 'spec.ingress[0].from' },
  anp_bad_path_test_16: { code: 'crd-max-properties', field: 'spec.ingress[0].from[0]' },
  anp_bad_path_test_17: { code: 'crd-max-properties', field: 'spec.ingress[3].ports[0]' },
  anp_bad_path_test_18: { code: 'crd-enum', field: 'spec.ingress[0].action' },
  anp_bad_path_test_19: { code: 'cel-cidr', field: 'spec.egress[0].to[0].networks[0]' },
  anp_bad_path_test_20: { code: 'crd-maximum', field: 'spec.priority' },
  banp_bad_path_test_2: { code: 'cel-banp-name', field: '' },
  banp_bad_path_test_3: { code: 'crd-required', field: 'spec.subject' },
  banp_bad_path_test_4: { code: 'crd-max-properties', field: 'spec.subject' },
  banp_bad_path_test_5: { code: 'crd-required', field: 'spec.egress[0].to' },
  banp_bad_path_test_6: { code: 'crd-required', field: 'spec.egress[0].to' },
  banp_bad_path_test_7: { code: 'crd-max-properties', field: 'spec.egress[0].to[0]' },
  banp_bad_path_test_8: { code: 'crd-enum', field: 'spec.egress[0].action' },
  banp_bad_path_test_9: { code: 'crd-max-properties', field: 'spec.egress[0].ports[0]' },
  banp_bad_path_test_10: { code: 'crd-required', field: 'spec.ingress[0].from' },
  banp_bad_path_test_11: { code: 'crd-required', field: 'spec.ingress[0].from' },
  banp_bad_path_test_12: { code: 'crd-max-properties', field: 'spec.ingress[0].from[0]' },
  banp_bad_path_test_13: { code: 'crd-max-properties', field: 'spec.ingress[2].ports[0]' },
  banp_bad_path_test_14: { code: 'crd-enum', field: 'spec.ingress[0].action' },
  // The invalid CIDR this case is about is behind a port with two fields, a blocking error:
  // the API server reports the port and never evaluates the CIDR rule.
  banp_bad_path_test_15: { code: 'crd-max-properties', field: 'spec.egress[1].ports[0]' },
};

// These fatal errors are about several objects together (equal priorities, a name used twice,
// two baselines), which no per-object validation sees: each object alone is valid.
const CROSS_OBJECT = ['anp_bad_path_test_1', 'anp_bad_path_test_3', 'banp_bad_path_test_1'];

// v1alpha1's NamespacedPod requires both selectors; netpol-analyzer reads a missing one as `{}`.
const MISSING_POD_SELECTOR = /\.pods\.(podSelector|namespaceSelector)$/;

describe('netpol-analyzer corpus: cluster policies', () => {
  it('finds the corpus policies', () => {
    expect(checked.length).toBeGreaterThan(100);
    expect(new Set(checked.map((c) => c.dir)).size).toBeGreaterThan(90);
  });

  it.each(Object.entries(BAD_PATHS))('%s is rejected for its fault', (dir, expected) => {
    const errors = checked.filter((c) => c.dir === dir).flatMap(errorsIn);
    expect(errors.map((d) => ({ code: d.code, field: d.field }))).toContainEqual(expected);
    expect(errors.every((d) => d.range !== undefined)).toBe(true);
  });

  it('covers every bad-path directory', () => {
    const dirs = new Set(checked.map((c) => c.dir).filter(isBadPath));
    expect([...dirs].sort()).toEqual([...Object.keys(BAD_PATHS), ...CROSS_OBJECT].sort());
  });

  it.each(CROSS_OBJECT)('%s: each object alone is valid', (dir) => {
    expect(checked.filter((c) => c.dir === dir).flatMap(errorsIn)).toEqual([]);
  });

  it('accepts the other cases, except pods peers missing a v1alpha1 selector and one named-port rule', () => {
    const unexpected = checked
      .filter((c) => !isBadPath(c.dir))
      .flatMap((c) => errorsIn(c).map((d) => ({ dir: c.dir, code: d.code, field: d.field })))
      .filter((e) => !(e.code === 'crd-required' && MISSING_POD_SELECTOR.test(e.field)));
    // A networks peer beside a named port: the experimental CRD's rule rejects it, and a
    // standard CRD prunes namedPort, leaving an empty port that it rejects too.
    expect(unexpected).toEqual([
      { dir: 'anp_test_named_ports_multiple_peers', code: 'cel-named-port-peer', field: 'spec.egress[0]' },
    ]);
  });

  it('warns only about experimental-channel fields', () => {
    const codes = new Set(
      checked.flatMap((c) => c.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.code)),
    );
    expect([...codes]).toEqual(['crd-experimental-field']);
  });
});
