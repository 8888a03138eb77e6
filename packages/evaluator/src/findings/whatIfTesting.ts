// Fixtures and readable renderings shared by the what-if tests; not exported from the package.

import { type KubeObject, parseManifests } from '@netpol-atlas/manifests';
import { analyze } from '../analyze.ts';
import { buildCluster } from '../cluster.ts';
import {
  type ConnectionSet,
  formatConnectionSet,
  isEmptyConnections,
  subtractConnections,
} from '../connectionSet.ts';
import type { Cluster } from '../model.ts';
import type { LabelEdit } from './labelCandidates.ts';
import { relabelNamespace, relabelWorkload } from './relabel.ts';
import { type LabelOpening, type WhatIf, type WhatIfOptions, whatIf } from './whatIf.ts';

/** A cluster and the objects it was built from (the what-if relabels copies of them). */
export interface Input {
  cluster: Cluster;
  objects: KubeObject[];
}

export function clusterOf(...texts: string[]): Input {
  const parsed = parseManifests(texts.map((text, i) => ({ path: `${i}.yaml`, text })));
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`broken fixture: ${errors.map((d) => d.message).join('; ')}`);
  return { cluster: buildCluster(parsed.objects), objects: parsed.objects };
}

export function run(input: Input, workload: string, options?: WhatIfOptions): WhatIf | undefined {
  return whatIf(input.cluster, input.objects, workload, options);
}

/** `app=x,team-` for a change (labels set, labels removed). */
export function changeText(o: Pick<LabelOpening, 'labels' | 'remove'>): string {
  return [...Object.entries(o.labels).map(([k, v]) => `${k}=${v}`), ...o.remove.map((k) => `${k}-`)]
    .sort()
    .join(',');
}

/** `labels -> dst: conn` lines, readable in failures. */
export function openings(list: readonly LabelOpening[]): string[] {
  return list.flatMap((o) =>
    o.opens.map((t) => `${changeText(o)} -> ${t.peer}: ${formatConnectionSet(t.conn)}`),
  );
}

/** `labels <- src: conn` lines: who would reach the workload. */
export function exposures(list: readonly LabelOpening[]): string[] {
  return list.flatMap((o) =>
    o.exposes.map((t) => `${changeText(o)} <- ${t.peer}: ${formatConnectionSet(t.conn)}`),
  );
}

export const NS = (name: string, labels = '{}') => `apiVersion: v1
kind: Namespace
metadata: { name: ${name}, labels: ${labels} }
`;

export const DEPLOY = (ns: string, name: string, labels: string) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${ns} }
spec:
  selector: { matchLabels: ${labels} }
  template:
    metadata: { labels: ${labels} }
    spec: { containers: [{ name: c, image: busybox, ports: [{ containerPort: 5432 }] }] }
`;

export const POLICY = (ns: string, name: string, spec: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: ${name}, namespace: ${ns} }
spec:
${spec
  .trim()
  .split('\n')
  .map((l) => `  ${l}`)
  .join('\n')}
`;

/** `-> dst: conn` and `<- src: conn` for every connection of a workload, by a full analysis. */
function connectionsOf(objects: readonly KubeObject[], options: Cluster['options'], workload: string) {
  const lines = new Map<string, ConnectionSet>();
  for (const c of analyze(buildCluster(objects, options)).connections()) {
    if (c.src.id === workload) lines.set(`-> ${c.dst.id}`, c.conn);
    if (c.dst.id === workload) lines.set(`<- ${c.src.id}`, c.conn);
  }
  return lines;
}

/**
 * What an edit gains the workload, by the evaluator alone on a relabelled copy (independent of
 * the search): `-> dst: conn` / `<- src: conn` lines of the connections gained.
 */
export function gainsOf(
  input: Input,
  workload: string,
  mode: 'pod' | 'namespace',
  edit: LabelEdit,
): Set<string> {
  const gains = gainMap(input, workload, mode, edit);
  return new Set([...gains].map(([key, conn]) => `${key}: ${formatConnectionSet(conn)}`));
}

/** {@link gainsOf} as connection sets by `-> dst` / `<- src`. */
export function gainMap(
  input: Input,
  workload: string,
  mode: 'pod' | 'namespace',
  edit: LabelEdit,
): Map<string, ConnectionSet> {
  const peer = input.cluster.workloads.find((w) => w.id === workload)!;
  const copy =
    mode === 'pod'
      ? relabelWorkload(input.objects, peer, edit)!
      : relabelNamespace(input.objects, peer.namespace, edit);
  const options = input.cluster.options;
  const before = connectionsOf(input.objects, options, workload);
  const out = new Map<string, ConnectionSet>();
  for (const [key, conn] of connectionsOf(copy, options, workload)) {
    const more = before.has(key) ? subtractConnections(conn, before.get(key)!) : conn;
    if (!isEmptyConnections(more)) out.set(key, more);
  }
  return out;
}

export function editOf(o: Pick<LabelOpening, 'labels' | 'remove'>): LabelEdit {
  return { ...o.labels, ...Object.fromEntries(o.remove.map((k) => [k, null])) };
}

export function gainLines(o: LabelOpening): string[] {
  return [
    ...o.opens.map((t) => `-> ${t.peer}: ${formatConnectionSet(t.conn)}`),
    ...o.exposes.map((t) => `<- ${t.peer}: ${formatConnectionSet(t.conn)}`),
  ];
}

/**
 * Every way a what-if result is not exact or not minimal (empty: none): each reported change
 * gains exactly what the evaluator says on a relabelled copy; without any one of its labels it
 * gains less; and it opens something none of the reported changes within it opens.
 */
export function minimalityProblems(input: Input, result: WhatIf): string[] {
  const problems: string[] = [];
  for (const [mode, list] of [
    ['pod', result.withPodLabels],
    ['namespace', result.withNamespaceLabels],
  ] as const) {
    for (const o of list) {
      const edit = editOf(o);
      const name = `${mode} ${changeText(o)}`;
      const reported = gainLines(o).sort();
      const actual = [...gainsOf(input, result.workload, mode, edit)].sort();
      if (reported.join('\n') !== actual.join('\n')) {
        problems.push(`${name}: reports ${reported.join('; ')} but gains ${actual.join('; ')}`);
      }
      for (const key of Object.keys(edit)) {
        const { [key]: _, ...rest } = edit;
        const without = gainsOf(input, result.workload, mode, rest);
        if (reported.every((line) => without.has(line))) problems.push(`${name}: ${key} is not needed`);
      }
      const mine = Object.keys(edit);
      const within = list.filter(
        (other) => other !== o && Object.keys(editOf(other)).every((k) => mine.includes(k)),
      );
      const theirs = new Set(within.flatMap(gainLines));
      if (within.length > 0 && reported.every((line) => theirs.has(line))) {
        problems.push(`${name}: opens nothing its smaller changes do not`);
      }
    }
  }
  return problems;
}
