// The what-if's re-evaluation must agree with analyze() when nothing is relabelled, on every
// fixture, the demo and the samples: otherwise its verdicts about relabelled pods mean nothing.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseManifests } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze.ts';
import { buildCluster } from '../cluster.ts';
import { formatConnectionSet } from '../connectionSet.ts';
import type { CniProfile } from '../model.ts';
import { connectionFromView, sourceView } from './reach.ts';

const ROOTS = ['./fixtures', '../../../../public/demo', '../../../../public/samples'].map((p) =>
  fileURLToPath(new URL(p, import.meta.url)),
);

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return name.endsWith('.yaml') ? [path] : [];
  });
}

/** Each fixture file alone, the demo and each sample as a whole. */
const INPUTS: { name: string; files: string[] }[] = [
  ...yamlFiles(ROOTS[0]!).map((f) => ({ name: f.slice(ROOTS[0]!.length + 1), files: [f] })),
  { name: 'demo', files: yamlFiles(ROOTS[1]!) },
  ...readdirSync(ROOTS[2]!).map((s) => ({ name: `samples/${s}`, files: yamlFiles(join(ROOTS[2]!, s)) })),
];

describe('connectionFromView without relabelling equals analyze().between', () => {
  it.each(
    INPUTS.flatMap((input) => (['upstream', 'flannel'] as CniProfile[]).map((cni) => ({ ...input, cni }))),
  )('$name ($cni)', ({ files, cni }) => {
    const parsed = parseManifests(files.map((path) => ({ path, text: readFileSync(path, 'utf8') })));
    const cluster = buildCluster(parsed.objects, { cni });
    const analysis = analyze(cluster);
    const mismatches: string[] = [];
    for (const src of cluster.workloads) {
      const view = sourceView(cluster, src);
      for (const dst of cluster.workloads) {
        const expected = formatConnectionSet(analysis.between(src.index, dst.index));
        const actual = formatConnectionSet(connectionFromView(cluster, view, dst));
        if (expected !== actual) mismatches.push(`${src.id} => ${dst.id}: ${actual}, expected ${expected}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('sees a namespace relabel on destinations in the same namespace', () => {
    const text = `apiVersion: v1
kind: Namespace
metadata: { name: shop }
---
apiVersion: v1
kind: Pod
metadata: { name: a, namespace: shop, labels: { app: a } }
spec: { containers: [{ name: c }] }
---
apiVersion: v1
kind: Pod
metadata: { name: b, namespace: shop, labels: { app: b } }
spec: { containers: [{ name: c }] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: a-egress, namespace: shop }
spec:
  podSelector: { matchLabels: { app: a } }
  policyTypes: [Egress]
  egress:
    - to: [{ namespaceSelector: { matchLabels: { trusted: 'yes' } } }]
`;
    const cluster = buildCluster(parseManifests([{ path: 'x.yaml', text }]).objects);
    const [a, b] = cluster.workloads;
    const before = connectionFromView(cluster, sourceView(cluster, a!), b!);
    const nsLabels = { ...cluster.namespaces.get('shop')!.labels, trusted: 'yes' };
    const after = connectionFromView(cluster, sourceView(cluster, a!, a!.labels, nsLabels), b!);
    expect([formatConnectionSet(before), formatConnectionSet(after)]).toEqual([
      'No Connections',
      'All Connections',
    ]);
  });
});
