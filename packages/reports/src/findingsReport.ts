import {
  FINDING_SEVERITIES,
  type Finding,
  type FindingInstance,
  type FindingLocation,
  type FindingSeverity,
  findingRuleInfo,
} from '@netpol-atlas/evaluator';

/** What a review document says about itself. Pure data: the caller supplies dates, so output is reproducible. */
export interface ReportMeta {
  /** Default "NetworkPolicy security review". */
  title?: string;
  /** The files or directories reviewed. */
  inputs?: readonly string[];
  /** The CNI the review assumed. */
  cni?: string;
  /** Printed as given (e.g. an ISO date); omitted when absent. */
  generatedAt?: string;
}

const DEFAULT_TITLE = 'NetworkPolicy security review';

/** Count of findings per severity, most severe first. */
export function severityCounts(findings: readonly Finding[]): Record<FindingSeverity, number> {
  const counts = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** How many places a finding stands for: its instances, or 1. */
function instanceCount(finding: Finding): number {
  return finding.instances?.length ?? 1;
}

/**
 * `12 findings (23 instances): 3 high, 3 medium, 3 low, 3 info` (severities without findings left
 * out; the instance count only when groups make it differ).
 */
export function summaryLine(findings: readonly Finding[]): string {
  const counts = severityCounts(findings);
  const parts = FINDING_SEVERITIES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  const instances = findings.reduce((n, f) => n + instanceCount(f), 0);
  const total = `${findings.length} finding${findings.length === 1 ? '' : 's'}${instances !== findings.length ? ` (${instances} instances)` : ''}`;
  return parts.length > 0 ? `${total}: ${parts.join(', ')}` : `${total}`;
}

/** ` (4 instances)` after a group's title; empty for a single finding. */
function countSuffix(finding: Finding): string {
  return finding.instances ? ` (${finding.instances.length} instances)` : '';
}

function whereText(f: FindingInstance): string {
  return f.locations[0] ? locationText(f.locations[0]) : 'cluster';
}

/** `file:line:col`, or the file alone when the range is unknown. */
export function locationText(location: FindingLocation): string {
  const r = location.range;
  return r ? `${location.file}:${r.start.line}:${r.start.column}` : location.file;
}

/**
 * Plain text for terminals and CI logs: one `where: severity: title [CODE]` line per finding (the
 * form editors link from, as `netpol validate` prints diagnostics), the explanation and fix
 * indented below, and a summary line.
 */
export function formatFindingsText(findings: readonly Finding[]): string {
  const lines: string[] = [];
  for (const f of findings) {
    lines.push(
      `${whereText(f)}: ${f.severity}: ${f.title} [${findingRuleInfo(f.rule).code}]${countSuffix(f)}`,
    );
    lines.push(`    ${f.message}`);
    if (f.instances) {
      // Each instance keeps its own line, so editors still link to every place.
      for (const i of f.instances) {
        lines.push(`    - ${whereText(i)}: ${i.severity}: ${i.title} [${findingRuleInfo(i.rule).code}]`);
      }
    } else {
      for (const more of f.locations.slice(1)) lines.push(`    see also ${locationText(more)}`);
    }
    if (f.fix) lines.push(`    fix: ${f.fix.description}`);
  }
  lines.push(findings.length === 0 ? 'No findings.' : summaryLine(findings));
  return `${lines.join('\n')}\n`;
}

/**
 * Machine-readable findings: the list as the evaluator returns it (groups carry every instance in
 * `instances`), with per-severity counts of the findings and the total of instances.
 */
export function formatFindingsJson(findings: readonly Finding[], meta: ReportMeta = {}): string {
  return `${JSON.stringify(
    {
      tool: 'netpol-atlas',
      ...(meta.inputs ? { inputs: meta.inputs } : {}),
      ...(meta.cni ? { cni: meta.cni } : {}),
      summary: {
        total: findings.length,
        instances: findings.reduce((n, f) => n + instanceCount(f), 0),
        ...severityCounts(findings),
      },
      findings,
    },
    null,
    2,
  )}\n`;
}

// --- Markdown -------------------------------------------------------------------------------

function mdPlain(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/[\\`*_[\]#<>|]/g, (c) => `\\${c}`)
    .replace(/\r?\n/g, ' ');
}

/**
 * Escapes text for Markdown prose and table cells: characters that start markup, HTML that many
 * renderers pass through, and `|` that would split a cell. Our titles and messages mark code with
 * backticks: those spans are kept as code (only `|` escaped, which GFM tables need even there).
 */
function md(text: string): string {
  return text
    .split(/(`[^`\n]+`)/)
    .map((part, i) => (i % 2 === 1 ? part.replace(/\|/g, '\\|') : mdPlain(part)))
    .join('');
}

/** A code span that survives backticks inside. */
function mdCode(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|')}${pad}${fence}`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * A Markdown review document: summary counts, a table of every finding, then each finding with its
 * explanation, locations, subjects and suggested fix. Every piece of input text is escaped.
 */
export function formatFindingsMarkdown(findings: readonly Finding[], meta: ReportMeta = {}): string {
  const out: string[] = [`# ${md(meta.title ?? DEFAULT_TITLE)}`, ''];
  const facts: string[] = [];
  if (meta.inputs && meta.inputs.length > 0) facts.push(`Inputs: ${meta.inputs.map(mdCode).join(', ')}`);
  if (meta.cni) facts.push(`CNI: ${md(meta.cni)}`);
  if (meta.generatedAt) facts.push(`Generated: ${md(meta.generatedAt)}`);
  if (facts.length > 0) out.push(facts.join(' · '), '');
  const counts = severityCounts(findings);
  out.push(`**${md(summaryLine(findings))}**`, '');
  out.push('| Severity | Count |', '| --- | ---: |');
  for (const s of FINDING_SEVERITIES) out.push(`| ${s} | ${counts[s]} |`);
  out.push('');
  if (findings.length === 0) {
    out.push('No findings.', '');
    return out.join('\n');
  }
  out.push(
    '## Summary',
    '',
    '| # | Severity | Finding | Count | Where |',
    '| ---: | --- | --- | ---: | --- |',
  );
  findings.forEach((f, i) => {
    const where = f.locations[0] ? mdCode(locationText(f.locations[0])) : 'cluster';
    out.push(
      `| [${i + 1}](#finding-${i + 1}) | ${f.severity} | ${md(f.title)} | ${instanceCount(f)} | ${where} |`,
    );
  });
  out.push('', '## Findings', '');
  findings.forEach((f, i) => {
    const info = findingRuleInfo(f.rule);
    out.push(
      `<a id="finding-${i + 1}"></a>`,
      '',
      `### ${i + 1}. ${capitalise(f.severity)}: ${md(f.title)}${md(countSuffix(f))}`,
      '',
    );
    out.push(`- **Rule:** ${mdCode(info.code)} (${md(info.summary)})`);
    if (f.subjects.length > 0) out.push(`- **Subjects:** ${f.subjects.map(mdCode).join(', ')}`);
    if (f.namespaces.length > 0) out.push(`- **Namespaces:** ${f.namespaces.map(mdCode).join(', ')}`);
    if (f.locations.length > 0)
      out.push(`- **Where:** ${f.locations.map((l) => mdCode(locationText(l))).join(', ')}`);
    out.push(`- **Id:** ${mdCode(f.id)}`, '', md(f.message), '');
    if (f.instances) {
      out.push(`**${f.instances.length} instances:**`, '');
      for (const inst of f.instances) {
        const where = inst.locations[0] ? mdCode(locationText(inst.locations[0])) : 'cluster';
        out.push(
          `- ${inst.severity}: ${md(inst.title)} (${where}, ${mdCode(findingRuleInfo(inst.rule).code)})`,
        );
      }
      out.push('');
    }
    if (f.fix) out.push(`**Suggested fix:** ${md(f.fix.description)}`, '');
  });
  return out.join('\n');
}

// --- HTML -----------------------------------------------------------------------------------

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Our titles and messages mark code with backticks; render those as <code> after escaping. */
function htmlText(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

const STYLE = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1d2330}
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #d7dbe3}
table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #d7dbe3;padding:.3rem .6rem;text-align:left;vertical-align:top}
code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f1f3f7;padding:0 .2rem;border-radius:3px}
.sev{display:inline-block;min-width:4.5rem;text-align:center;border-radius:3px;padding:0 .4rem;font-weight:600;color:#fff}
.critical{background:#8e1020}.high{background:#c4361e}.medium{background:#b36b00}.low{background:#3d6fb6}.info{background:#6b7280}
section.finding{border:1px solid #d7dbe3;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
section.finding h3{margin:.3rem 0;font-size:1.05rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}
.fix{background:#eef7ee;border-left:3px solid #2f8f3a;padding:.4rem .8rem}
`;

/**
 * A self-contained HTML review document (inline CSS, no script, no external resource): counts,
 * a summary table linking to each finding, and the findings with explanations, locations and
 * fixes. Every piece of input text is escaped.
 */
export function formatFindingsHtml(findings: readonly Finding[], meta: ReportMeta = {}): string {
  const title = escapeHtml(meta.title ?? DEFAULT_TITLE);
  const counts = severityCounts(findings);
  const facts: string[] = [];
  if (meta.inputs && meta.inputs.length > 0)
    facts.push(
      `<dt>Inputs</dt><dd>${meta.inputs.map((i) => `<code>${escapeHtml(i)}</code>`).join(', ')}</dd>`,
    );
  if (meta.cni) facts.push(`<dt>CNI</dt><dd>${escapeHtml(meta.cni)}</dd>`);
  if (meta.generatedAt) facts.push(`<dt>Generated</dt><dd>${escapeHtml(meta.generatedAt)}</dd>`);
  const sev = (s: FindingSeverity) => `<span class="sev ${s}">${s}</span>`;
  const body: string[] = [
    `<h1>${title}</h1>`,
    facts.length > 0 ? `<dl>${facts.join('')}</dl>` : '',
    `<p><strong>${escapeHtml(summaryLine(findings))}</strong></p>`,
    '<table><thead><tr><th>Severity</th><th>Count</th></tr></thead><tbody>',
    ...FINDING_SEVERITIES.map((s) => `<tr><td>${sev(s)}</td><td>${counts[s]}</td></tr>`),
    '</tbody></table>',
  ];
  if (findings.length > 0) {
    body.push(
      '<h2>Summary</h2>',
      '<table><thead><tr><th>#</th><th>Severity</th><th>Finding</th><th>Count</th><th>Where</th></tr></thead><tbody>',
      ...findings.map((f, i) => {
        const where = f.locations[0] ? `<code>${escapeHtml(locationText(f.locations[0]))}</code>` : 'cluster';
        return `<tr><td><a href="#finding-${i + 1}">${i + 1}</a></td><td>${sev(f.severity)}</td><td>${htmlText(f.title)}</td><td>${instanceCount(f)}</td><td>${where}</td></tr>`;
      }),
      '</tbody></table>',
      '<h2>Findings</h2>',
      ...findings.map((f, i) => {
        const info = findingRuleInfo(f.rule);
        const rows = [
          `<dt>Rule</dt><dd><code>${escapeHtml(info.code)}</code> ${escapeHtml(info.summary)}</dd>`,
          f.subjects.length > 0
            ? `<dt>Subjects</dt><dd>${f.subjects.map((s) => `<code>${escapeHtml(s)}</code>`).join(', ')}</dd>`
            : '',
          f.locations.length > 0
            ? `<dt>Where</dt><dd>${f.locations.map((l) => `<code>${escapeHtml(locationText(l))}</code>`).join(', ')}</dd>`
            : '',
          `<dt>Id</dt><dd><code>${escapeHtml(f.id)}</code></dd>`,
        ].join('');
        const instances = f.instances
          ? `<details><summary>${f.instances.length} instances</summary><ul>${f.instances
              .map(
                (inst) =>
                  `<li>${sev(inst.severity)} ${htmlText(inst.title)} <code>${escapeHtml(whereText(inst))}</code></li>`,
              )
              .join('')}</ul></details>`
          : '';
        return [
          `<section class="finding" id="finding-${i + 1}">`,
          `<h3>${sev(f.severity)} ${htmlText(f.title)}${escapeHtml(countSuffix(f))}</h3>`,
          `<p>${htmlText(f.message)}</p>`,
          `<dl>${rows}</dl>`,
          instances,
          f.fix ? `<p class="fix"><strong>Suggested fix:</strong> ${htmlText(f.fix.description)}</p>` : '',
          '</section>',
        ].join('\n');
      }),
    );
  }
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${title}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    ...body.filter((l) => l !== ''),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
