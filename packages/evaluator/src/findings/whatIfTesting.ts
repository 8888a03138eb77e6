// Fixtures and readable renderings shared by the what-if tests; not exported from the package.

import { type KubeObject, parseManifests } from '@netpol-atlas/manifests';
import { buildCluster } from '../cluster.ts';
import { formatConnectionSet } from '../connectionSet.ts';
import type { Cluster } from '../model.ts';
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
