import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCluster, type CniProfile, type Finding, findings } from '@netpol-atlas/evaluator';
import { parseManifests, type SourceFile } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import {
  escapeHtml,
  formatFindingsHtml,
  formatFindingsJson,
  formatFindingsMarkdown,
  formatFindingsText,
  summaryLine,
} from './findingsReport.ts';

/** Parses, builds and reviews files as `netpol lint` does. */
function reviewFiles(files: SourceFile[], cni?: CniProfile): { findings: Finding[] } {
  const parsed = parseManifests(files);
  const cluster = buildCluster(parsed.objects, cni ? { cni } : {});
  const diagnostics = [...parsed.diagnostics, ...cluster.diagnostics];
  return {
    findings: findings(cluster, { unanalysed: parsed.unanalysed, objects: parsed.objects, diagnostics }),
  };
}

const DEMO_DIR = fileURLToPath(new URL('../../../public/demo', import.meta.url));

function demoFindings(): Finding[] {
  const files = readdirSync(DEMO_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ path: `public/demo/${f}`, text: readFileSync(join(DEMO_DIR, f), 'utf8') }));
  return reviewFiles(files).findings;
}

/** A finding whose every text field tries to break out of its container. */
const HOSTILE: Finding = {
  id: 'NPA-OPEN-INGRESS:x/<img src=x onerror=alert(1)>',
  rule: 'open-ingress',
  severity: 'high',
  title: 'a | b <script>alert("t")</script> *bold* [link](http://x)',
  message: 'line one\nline two & `code | pipe` </section><h1>',
  subjects: ['ns/"quoted"[Pod]'],
  namespaces: ['ns'],
  locations: [
    { file: 'dir/a|b`c.yaml', range: { start: { line: 3, column: 5 }, end: { line: 3, column: 9 } } },
  ],
  fix: { description: '<b>do</b> it', suggestion: { kind: 'preset-default-deny-ingress', namespace: 'ns' } },
};

const META = { inputs: ['public/demo'], cni: 'upstream', generatedAt: '2025-01-01' };

/**
 * The demo's counts come from the evaluator (its notes.test.ts pins the list itself): here only
 * that every format reports the same numbers.
 */
const DEMO = demoFindings();
const DEMO_INSTANCES = DEMO.reduce((n, f) => n + (f.instances?.length ?? 1), 0);
const DEMO_COUNT = (severity: string) => DEMO.filter((f) => f.severity === severity).length;
const FIRST_GROUP = DEMO.findIndex((f) => f.instances !== undefined);

describe('formatFindingsText', () => {
  it('prints file:line:col, severity, title and code, the explanation and fix, then a summary', () => {
    const text = formatFindingsText(demoFindings());
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'public/demo/workloads.yaml:4:9: high: Namespace default: 1 of 2 workloads open (1 to ingress, 1 to egress), no default-deny ingress or egress [NPA-OPEN-INGRESS] (4 instances)',
    );
    expect(lines[1]).toMatch(/^ {4}No policy selects default\/demo\[Deployment\] for ingress/);
    // Every instance keeps its own located line.
    expect(lines[2]).toBe(
      '    - public/demo/workloads.yaml:4:9: high: default/demo[Deployment] is open to ingress from everywhere: no policy selects it for Ingress [NPA-OPEN-INGRESS]',
    );
    expect(lines).toContain(
      "cluster: info: Traffic from each pod's own node is always allowed [NPA-NODE-TRAFFIC]",
    );
    const counts = ['high', 'medium', 'low', 'info'].map((s) => `${DEMO_COUNT(s)} ${s}`).join(', ');
    expect(lines.at(-1)).toBe(`${DEMO.length} findings (${DEMO_INSTANCES} instances): ${counts}`);
    expect(DEMO_INSTANCES).toBeGreaterThan(DEMO.length);
  });

  it('says so when there is nothing to report', () => {
    expect(formatFindingsText([])).toBe('No findings.\n');
    expect(summaryLine([])).toBe('0 findings');
  });
});

describe('formatFindingsJson', () => {
  it('round-trips the findings with counts', () => {
    const findings = demoFindings();
    const parsed = JSON.parse(formatFindingsJson(findings, META)) as {
      summary: Record<string, number>;
      findings: Finding[];
    };
    expect(parsed.summary).toEqual({
      total: DEMO.length,
      instances: DEMO_INSTANCES,
      critical: DEMO_COUNT('critical'),
      high: DEMO_COUNT('high'),
      medium: DEMO_COUNT('medium'),
      low: DEMO_COUNT('low'),
      info: DEMO_COUNT('info'),
    });
    expect(parsed.findings).toEqual(findings);
    // A group keeps every instance, each a complete finding.
    const group = parsed.findings[FIRST_GROUP]!;
    expect(group.instances!.map((i) => i.rule)).toEqual([
      'open-ingress',
      'open-egress',
      'missing-default-deny-ingress',
      'missing-default-deny-egress',
    ]);
    for (const i of group.instances!) expect(i.locations.length + i.message.length).toBeGreaterThan(1);
  });
});

describe('formatFindingsMarkdown', () => {
  it('writes a review document: counts, a summary table linking to each finding, details and fixes', () => {
    const md = formatFindingsMarkdown(demoFindings(), META);
    expect(md.startsWith('# NetworkPolicy security review\n')).toBe(true);
    expect(md).toContain('Inputs: `public/demo` · CNI: upstream · Generated: 2025-01-01');
    expect(md).toContain(`| high | ${DEMO_COUNT('high')} |`);
    expect(md).toContain(
      '| [1](#finding-1) | high | Namespace default: 1 of 2 workloads open (1 to ingress, 1 to egress), no default-deny ingress or egress | 4 | `public/demo/workloads.yaml:4:9` |',
    );
    expect(md).toContain(`<a id="finding-${DEMO.length}"></a>`);
    expect(md).toContain('**4 instances:**');
    expect(md).toContain(
      '- medium: Namespace downstream-1 has no default-deny ingress policy (`public/demo/namespaces.yaml',
    );
    expect(md).toContain(
      '**Suggested fix:** Select the namespaces by name: `kubernetes.io/metadata.name In (store)`.',
    );
  });

  it('escapes input text: table cells keep their columns, HTML stays text', () => {
    const md = formatFindingsMarkdown([HOSTILE]);
    const row = md.split('\n').find((l) => l.startsWith('| [1]'))!;
    // Five cells: pipes inside text are escaped, so splitting on unescaped pipes gives 5 + 2 edges.
    expect(row.split(/(?<!\\)\|/)).toHaveLength(7);
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('<h1>');
    expect(md).toContain('\\<script\\>');
    expect(md).toContain('line one line two');
    expect(md).toContain('`code \\| pipe`');
    expect(md).toContain('``dir/a\\|b`c.yaml:3:5``');
  });
});

describe('formatFindingsHtml', () => {
  it('is one self-contained document: no script, no external resource', () => {
    const html = formatFindingsHtml(demoFindings(), META);
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\//i);
    expect(html).toContain(`<section class="finding" id="finding-${DEMO.length}">`);
    expect(html).toContain('<details><summary>4 instances</summary>');
    expect(html).toContain('<code>kubernetes.io/metadata.name In (store)</code>');
  });

  it('escapes every piece of input text', () => {
    const html = formatFindingsHtml([HOSTILE], { title: 'T <i>', inputs: ['"><svg onload=x>'] });
    expect(html).not.toMatch(/<script|<img|<svg|<\/section><h1>|<b>do/);
    expect(html).toContain('a | b &lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;');
    expect(html).toContain('<title>T &lt;i&gt;</title>');
    expect(html).toContain('<code>ns/&quot;quoted&quot;[Pod]</code>');
    expect(html).toContain('&lt;/section&gt;&lt;h1&gt;');
  });

  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
