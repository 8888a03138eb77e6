/**
 * `netpol whatif` reports: what a compromised workload reaches and what reaches it, and the
 * minimal label changes (on its pods, on its namespace) that would give it more, per direction.
 */

import {
  formatConnectionSet,
  type LabelChange,
  type LabelOpening,
  type Target,
  type WhatIf,
} from '@netpol-atlas/evaluator';

type Labels = Readonly<Record<string, string>>;

/** The labels the changes apply to, so a change reads as "change app=a → app=b". */
export interface WhatIfLabels {
  pod: Labels;
  namespace: Labels;
}

const MODES = [
  { key: 'withPodLabels', search: 'pod', title: 'If it could change its own pod labels' },
  { key: 'withNamespaceLabels', search: 'namespace', title: "If it could change its namespace's labels" },
] as const;

const NOTHING = 'no label change opens anything more';

/** `change app=demo-db → app=demo, add access=vault, remove team=x`. */
export function changeText(change: LabelChange, current: Labels): string {
  const parts = Object.entries(change.labels).map(([k, v]) =>
    Object.hasOwn(current, k) ? `change ${k}=${current[k]} → ${k}=${v}` : `add ${k}=${v}`,
  );
  for (const k of change.remove)
    parts.push(Object.hasOwn(current, k) ? `remove ${k}=${current[k]}` : `remove ${k}`);
  return parts.join(', ');
}

/** `app=demo` or `no app`: an alternative to a change, by the labels it leaves. */
function alternativeText(change: LabelChange): string {
  return [
    ...Object.entries(change.labels).map(([k, v]) => `${k}=${v}`),
    ...change.remove.map((k) => `no ${k}`),
  ].join(', ');
}

function searchText(w: WhatIf): string {
  const one = (what: string, s: WhatIf['search']['pod']) =>
    `${what} ${s.evaluated} evaluated${s.untried > 0 ? `, ${s.untried} not tried (bound ${s.limit} reached)` : ` (bound ${s.limit})`}`;
  return `label changes tried: ${one('pod', w.search.pod)}; ${one('namespace', w.search.namespace)}`;
}

function targetLines(
  arrow: string,
  list: readonly Target[],
  indent: string,
  width = peerWidth(list),
): string[] {
  if (list.length === 0) return [`${indent}none`];
  return list.map((t) => `${indent}${arrow} ${t.peer.padEnd(width)}  ${formatConnectionSet(t.conn)}`);
}

function peerWidth(list: readonly Target[]): number {
  return Math.max(0, ...list.map((t) => t.peer.length));
}

/** The txt report. */
export function formatWhatIfText(w: WhatIf, labels: WhatIfLabels): string {
  const lines = [`What if ${w.workload} were compromised?`, ''];
  lines.push(`Reaches now (${w.reachesNow.length}):`, ...targetLines('->', w.reachesNow, '  '));
  lines.push(`Reached by now (${w.reachedByNow.length}):`, ...targetLines('<-', w.reachedByNow, '  '));
  for (const mode of MODES) {
    const list: readonly LabelOpening[] = w[mode.key];
    const current = labels[mode.search];
    lines.push('', `${mode.title}:${list.length === 0 ? ` ${NOTHING}` : ''}`);
    for (const o of list) {
      const same =
        o.alternatives.length > 0
          ? `  (same outcome with ${o.alternatives.map(alternativeText).join('; ')})`
          : '';
      lines.push(`  ${changeText(o, current)}${same}`);
      if (o.leaves.length > 0) lines.push(`    leaves ${o.leaves.join(', ')}`);
      if (o.enters.length > 0) lines.push(`    enters ${o.enters.join(', ')}`);
      const width = peerWidth([...o.opens, ...o.exposes]);
      if (o.opens.length > 0) lines.push(...targetLines('->', o.opens, '    ', width));
      if (o.exposes.length > 0) lines.push(...targetLines('<-', o.exposes, '    ', width));
      if (o.loses.length > 0) lines.push(`    loses ${o.loses.join(', ')}`);
    }
  }
  lines.push('', searchText(w), ...w.notes.map((n) => `note: ${n}`));
  return `${lines.join('\n')}\n`;
}

function mdCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** The Markdown report, for written reviews: one table per kind of change. */
export function formatWhatIfMarkdown(w: WhatIf, labels: WhatIfLabels): string {
  const peers = (list: readonly Target[]) =>
    list.length === 0
      ? ['none']
      : [
          '| peer | connections |',
          '|---|---|',
          ...list.map((t) => `| ${mdCell(t.peer)} | ${formatConnectionSet(t.conn)} |`),
        ];
  const lines = [`# What if \`${w.workload}\` were compromised?`, ''];
  lines.push(`## Reaches now (${w.reachesNow.length})`, '', ...peers(w.reachesNow), '');
  lines.push(`## Reached by now (${w.reachedByNow.length})`, '', ...peers(w.reachedByNow), '');
  for (const mode of MODES) {
    const list: readonly LabelOpening[] = w[mode.key];
    lines.push(`## ${mode.title}`, '');
    if (list.length === 0) {
      lines.push(`${NOTHING[0]!.toUpperCase()}${NOTHING.slice(1)}.`, '');
      continue;
    }
    lines.push('| change | policies | direction | peer | connections gained |', '|---|---|---|---|---|');
    for (const o of list) {
      const same =
        o.alternatives.length > 0
          ? ` (same outcome with ${o.alternatives.map(alternativeText).join('; ')})`
          : '';
      const change = mdCell(`${changeText(o, labels[mode.search])}${same}`);
      const policies = mdCell(
        [...o.leaves.map((p) => `leaves ${p}`), ...o.enters.map((p) => `enters ${p}`)].join(', ') || '-',
      );
      const rows = [
        ...o.opens.map((t) => ['egress →', t] as const),
        ...o.exposes.map((t) => ['ingress ←', t] as const),
      ];
      for (const [direction, t] of rows) {
        lines.push(
          `| ${change} | ${policies} | ${direction} | ${mdCell(t.peer)} | ${formatConnectionSet(t.conn)} |`,
        );
      }
      if (o.loses.length > 0)
        lines.push(`| ${change} | ${policies} | loses | ${mdCell(o.loses.join(', '))} | |`);
    }
    lines.push('');
  }
  lines.push(`_${searchText(w)}_`, ...w.notes.map((n) => `\n> ${n}`));
  return `${lines.join('\n')}\n`;
}

/** The JSON report: the evaluator's result with connections as text and the current labels. */
export function formatWhatIfJson(w: WhatIf, labels: WhatIfLabels): string {
  return JSON.stringify(
    { ...w, currentLabels: { pod: labels.pod, namespace: labels.namespace } },
    (key, value) => (key === 'conn' ? formatConnectionSet(value) : value),
    2,
  );
}
