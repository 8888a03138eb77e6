import type { SourceFile } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import { applyFileEdits } from './compiled.ts';
import { allowed, demo, expectOk } from './fixtures.test-helper.ts';
import {
  presetAllowWithinNamespace,
  presetDefaultDenyEgressKeepDns,
  presetDefaultDenyIngress,
} from './presets.ts';
import type { PlanOk } from './types.ts';

const pairs = (changes: PlanOk['removed']) => changes.map((c) => `${c.src} -> ${c.dst}: ${c.ports}`).sort();

/** kube-dns in kube-system, and an `app` namespace with two workloads. */
const cluster: SourceFile[] = [
  {
    path: 'cluster.yaml',
    text: `apiVersion: apps/v1
kind: Deployment
metadata: {name: coredns, namespace: kube-system}
spec:
  template:
    metadata: {labels: {k8s-app: kube-dns}}
    spec:
      containers:
        - name: coredns
          ports:
            - {name: dns, containerPort: 53, protocol: UDP}
            - {name: dns-tcp, containerPort: 53, protocol: TCP}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: app}
spec: {template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c}]}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: app}
spec: {template: {metadata: {labels: {app: api}}, spec: {containers: [{name: c}]}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: other, namespace: elsewhere}
spec: {template: {metadata: {labels: {app: other}}, spec: {containers: [{name: c}]}}}
`,
  },
];

describe('presetDefaultDenyIngress', () => {
  it('cuts every connection into the namespace and nothing else', () => {
    const result = expectOk(presetDefaultDenyIngress(demo, 'downstream-2'));
    expect(result.removed.length).toBeGreaterThan(0);
    expect(result.removed.every((c) => c.dst === 'downstream-2/downstream-2[Deployment]')).toBe(true);
    expect(pairs(result.removed)).toContain(
      'store/store-api[Deployment] -> downstream-2/downstream-2[Deployment]: TCP 8080',
    );
    expect(result.added).toEqual([]);
    expect(result.sideEffects).toEqual([]);
    expect(result.edits.map((e) => [e.path, e.before])).toEqual([
      ['downstream-2/default-deny-ingress.yaml', undefined],
    ]);
    expect(result.edits[0]!.after).toContain('spec:\n  podSelector: {}\n  policyTypes:\n    - Ingress\n');
    const after = applyFileEdits(demo, result.edits);
    expect(allowed(after, 'frontend/frontend[Deployment]', 'downstream-2/downstream-2[Deployment]')).toBe(
      'No Connections',
    );
  });

  it('says so when the preset is already there', () => {
    const first = expectOk(presetDefaultDenyIngress(demo, 'downstream-2'));
    const again = presetDefaultDenyIngress(applyFileEdits(demo, first.edits), 'downstream-2');
    expect(again).toMatchObject({ ok: false, reason: 'already-applied' });
  });

  it('scopes to one workload by its stable labels', () => {
    const result = expectOk(
      presetDefaultDenyIngress(cluster, { kind: 'workload', id: 'app/api[Deployment]' }),
    );
    expect(result.edits[0]!.path).toBe('app/api-default-deny-ingress.yaml');
    expect(result.edits[0]!.after).toContain('podSelector:\n    matchLabels:\n      app: api\n');
    expect(result.removed.every((c) => c.dst === 'app/api[Deployment]')).toBe(true);
    expect(pairs(result.removed)).toContain('app/web[Deployment] -> app/api[Deployment]: All Connections');
  });

  it('refuses an unknown namespace', () => {
    expect(presetDefaultDenyIngress(demo, 'nope')).toMatchObject({ ok: false, reason: 'unknown-peer' });
  });
});

describe('presetDefaultDenyEgressKeepDns', () => {
  it('cuts egress but keeps kube-dns on UDP and TCP 53', () => {
    const result = expectOk(presetDefaultDenyEgressKeepDns(cluster, 'app'));
    const yaml = result.edits[0]!.after;
    expect(yaml).toContain(
      '    - to:\n        - namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: kube-system\n          podSelector:\n            matchLabels:\n              k8s-app: kube-dns\n      ports:\n        - protocol: UDP\n          port: 53\n        - protocol: TCP\n          port: 53\n',
    );
    expect(result.sideEffects).toEqual([]);
    expect(result.added).toEqual([]);
    expect(pairs(result.removed)).toContain('app/web[Deployment] -> app/api[Deployment]: All Connections');
    expect(pairs(result.removed)).toContain(
      'app/web[Deployment] -> kube-system/coredns[Deployment]: SCTP 1-65535,TCP 1-52,54-65535,UDP 1-52,54-65535',
    );
    expect(result.warnings).toEqual([]);
    const after = applyFileEdits(cluster, result.edits);
    expect(allowed(after, 'app/web[Deployment]', 'kube-system/coredns[Deployment]')).toBe('TCP 53,UDP 53');
    expect(allowed(after, 'app/web[Deployment]', 'elsewhere/other[Deployment]')).toBe('No Connections');
    expect(allowed(after, 'elsewhere/other[Deployment]', 'app/web[Deployment]')).toBe('All Connections');
  });

  it('warns when there is no kube-dns to check against', () => {
    const result = expectOk(presetDefaultDenyEgressKeepDns(demo, 'frontend'));
    expect(result.warnings.join(' ')).toContain('no kube-dns workload');
  });
});

describe('presetAllowWithinNamespace', () => {
  it('after a default deny, lets the namespace talk to itself and nothing else', () => {
    const deny = expectOk(presetDefaultDenyIngress(cluster, 'app'));
    const denied = applyFileEdits(cluster, deny.edits);
    const result = expectOk(presetAllowWithinNamespace(denied, 'app'));
    expect(pairs(result.added)).toEqual([
      'app/api[Deployment] -> app/web[Deployment]: All Connections',
      'app/web[Deployment] -> app/api[Deployment]: All Connections',
    ]);
    expect(result.removed).toEqual([]);
    expect(result.sideEffects).toEqual([]);
    // Appended to the file that already holds the namespace's policy.
    expect(result.edits.map((e) => e.path)).toEqual(['app/default-deny-ingress.yaml']);
    expect(result.edits[0]!.after).toContain('  ingress:\n    - from:\n        - podSelector: {}\n');
  });

  it('on an open namespace, lists what other namespaces lose as side effects', () => {
    const result = expectOk(presetAllowWithinNamespace(cluster, 'app'));
    expect(result.sideEffects.length).toBeGreaterThan(0);
    expect(result.sideEffects.every((c) => c.dst.startsWith('app/') && !c.src.startsWith('app/'))).toBe(true);
    expect(result.warnings.join(' ')).toContain('were not isolated for ingress');
  });
});
