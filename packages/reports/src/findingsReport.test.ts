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

const DEMO = fileURLToPath(new URL('../../../public/demo', import.meta.url));

function demoFindings(): Finding[] {
  const files = readdirSync(DEMO)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ path: `public/demo/${f}`, text: readFileSync(join(DEMO, f), 'utf8') }));
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

describe('formatFindingsText', () => {
  it('prints file:line:col, severity, title and code, the explanation and fix, then a summary', () => {
    const text = formatFindingsText(demoFindings());
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'public/demo/workloads.yaml:4:9: high: default/demo[Deployment] is open to ingress from everywhere: no policy selects it for Ingress [NPA-OPEN-INGRESS]',
    );
    expect(lines[1]).toMatch(/^ {4}No NetworkPolicy selects default\/demo\[Deployment\] for Ingress/);
    expect(lines).toContain(
      "cluster: info: Traffic from each pod's own node is always allowed [NPA-NODE-TRAFFIC]",
    );
    expect(lines.at(-1)).toBe('23 findings: 4 high, 10 medium, 8 low, 1 info');
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
    expect(parsed.summary).toEqual({ total: 23, critical: 0, high: 4, medium: 10, low: 8, info: 1 });
    expect(parsed.findings).toEqual(findings);
  });
});

describe('formatFindingsMarkdown', () => {
  it('writes a review document: counts, a summary table linking to each finding, details and fixes', () => {
    const md = formatFindingsMarkdown(demoFindings(), META);
    expect(md.startsWith('# NetworkPolicy security review\n')).toBe(true);
    expect(md).toContain('Inputs: `public/demo` · CNI: upstream · Generated: 2025-01-01');
    expect(md).toContain('| high | 4 |');
    expect(md).toContain(
      '| [1](#finding-1) | high | default/demo\\[Deployment\\] is open to ingress from everywhere: no policy selects it for Ingress | `public/demo/workloads.yaml:4:9` |',
    );
    expect(md).toContain('<a id="finding-22"></a>');
    expect(md).toContain(
      '**Suggested fix:** Select the namespaces by name: `kubernetes.io/metadata.name In (store)`.',
    );
  });

  it('escapes input text: table cells keep their columns, HTML stays text', () => {
    const md = formatFindingsMarkdown([HOSTILE]);
    const row = md.split('\n').find((l) => l.startsWith('| [1]'))!;
    // Four cells: pipes inside text are escaped, so splitting on unescaped pipes gives 4 + 2 edges.
    expect(row.split(/(?<!\\)\|/)).toHaveLength(6);
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
    expect(html).toContain('<section class="finding" id="finding-22">');
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
