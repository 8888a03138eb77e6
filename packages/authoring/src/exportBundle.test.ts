import { parseManifests, type SourceFile } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import { applyFileEdits } from './compiled.ts';
import { exportBundle, policyYaml } from './exportBundle.ts';
import { demo } from './fixtures.test-helper.ts';
import { plan } from './plan.ts';
import { readDocument } from './yamlEdit.ts';

describe('exportBundle', () => {
  it('lays the demo policies out as <namespace>/<name>.yaml plus a sorted kustomization', () => {
    const bundle = exportBundle(demo);
    expect(bundle.map((f) => f.path)).toEqual([
      'default/demo-db.yaml',
      'downstream-1/store-to-downstream-1.yaml',
      'store/store-api.yaml',
      'kustomization.yaml',
    ]);
    expect(bundle.at(-1)!.text).toBe(
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n' +
        '  - default/demo-db.yaml\n  - downstream-1/store-to-downstream-1.yaml\n  - store/store-api.yaml\n',
    );
    // Each file is the user's own document: its comment above it, no `---`, nothing else.
    const demoDb = bundle[0]!.text;
    expect(
      demoDb.startsWith('# demo-db accepts connections only from demo pods, and makes none.\napiVersion:'),
    ).toBe(true);
    expect(demo.find((f) => f.path === 'policies.yaml')!.text).toContain(demoDb);
    const storeApi = bundle[2]!.text;
    expect(storeApi.startsWith('# Every pod in `store` accepts TCP 8080')).toBe(true);
    expect(storeApi).not.toContain('---');
    for (const file of bundle.slice(0, -1)) {
      const parsed = parseManifests([file]);
      expect(parsed.diagnostics).toEqual([]);
      expect(parsed.objects.map((o) => o.kind)).toEqual(['NetworkPolicy']);
    }
  });

  it('writes out a namespace left implicit and prints List items and JSON fresh', () => {
    const files: SourceFile[] = [
      {
        path: 'implicit.yaml',
        text: '# no namespace here\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: a\nspec:\n  podSelector: {}\n',
      },
      {
        path: 'list.yaml',
        text: 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: networking.k8s.io/v1\n    kind: NetworkPolicy\n    metadata: {name: b, namespace: x}\n    spec: {podSelector: {}}\n',
      },
      {
        path: 'c.json',
        text: '{"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "c", "namespace": "y"}, "spec": {"podSelector": {}}}\n',
      },
    ];
    const bundle = exportBundle(files);
    expect(bundle.map((f) => f.path)).toEqual([
      'default/a.yaml',
      'x/b.yaml',
      'y/c.yaml',
      'kustomization.yaml',
    ]);
    expect(bundle[0]!.text).toBe(
      '# no namespace here\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: a\n  namespace: default\nspec:\n  podSelector: {}\n',
    );
    expect(readDocument(bundle[1]!.text)).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'b', namespace: 'x' },
      spec: { podSelector: {} },
    });
    // `y` is a boolean to YAML 1.1 readers (Kubernetes): printed quoted.
    expect(bundle[2]!.text).toBe(
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: c\n  namespace: "y"\nspec:\n  podSelector: {}\n',
    );
  });

  it('exports only what a plan changed, with a kustomization listing exactly those files', () => {
    const result = plan({
      files: demo,
      intent: {
        src: { kind: 'workload', id: 'default/demo-db[StatefulSet]' },
        dst: { kind: 'workload', id: 'store/store-api[Deployment]' },
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
    });
    if (!result.ok) throw new Error(result.message);
    const after = applyFileEdits(demo, result.edits);
    const changed = exportBundle(after, { changedOnly: true, baseline: demo });
    expect(changed.map((f) => f.path)).toEqual([
      'default/demo-db.yaml',
      'store/allow-demo-db-to-store-api.yaml',
      'kustomization.yaml',
    ]);
    expect(readDocument(changed.at(-1)!.text)).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['default/demo-db.yaml', 'store/allow-demo-db-to-store-api.yaml'],
    });
    expect(exportBundle(demo, { changedOnly: true, baseline: demo })).toEqual([]);
  });

  it('names the policies removed since the baseline in a comment, since applying cannot delete', () => {
    const policies = demo.find((f) => f.path === 'policies.yaml')!;
    const segments = policies.text.split(/^---$/m);
    const withoutDb = segments.filter((s) => !/name: demo-db\n/.test(s)).join('---');
    expect(withoutDb).not.toBe(policies.text);
    const edited = demo.map((f) =>
      f === policies ? { ...f, text: `${withoutDb.replace('port: 8080', 'port: 9090')}` } : f,
    );
    const changed = exportBundle(edited, { changedOnly: true, baseline: demo });
    const kustomization = changed.at(-1)!.text;
    expect(kustomization).toContain('#   kubectl delete networkpolicy -n default demo-db\n');
    expect(readDocument(kustomization)).toMatchObject({
      resources: changed.slice(0, -1).map((f) => f.path),
    });
    expect(changed.map((f) => f.path)).not.toContain('default/demo-db.yaml');
  });
});

describe('exportBundle with cluster policies', () => {
  const denyAll = `# platform guardrail
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: deny-db}
spec:
  tier: Admin
  priority: 10
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: default}}}
  ingress:
    - action: Deny
      from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: store}}}]
`;

  it('lays cluster-scoped policies out under _cluster/, kept as written, listed in the kustomization', () => {
    const files = [...demo, { path: 'cluster.yaml', text: denyAll }];
    const bundle = exportBundle(files);
    const path = '_cluster/clusternetworkpolicy-deny-db.yaml';
    expect(bundle.map((f) => f.path)).toEqual([
      path,
      'default/demo-db.yaml',
      'downstream-1/store-to-downstream-1.yaml',
      'store/store-api.yaml',
      'kustomization.yaml',
    ]);
    expect(bundle[0]!.text).toBe(denyAll);
    expect(readDocument(bundle.at(-1)!.text)).toMatchObject({
      resources: bundle.slice(0, -1).map((f) => f.path),
    });
    expect(parseManifests([bundle[0]!]).diagnostics).toEqual([]);
    expect(policyYaml(files, 'ClusterNetworkPolicy/deny-db')).toBe(denyAll);
  });

  it('exports a tier plan alone, and names a deleted cluster policy with its kubectl command', () => {
    const withDeny = [...demo, { path: 'cluster.yaml', text: denyAll }];
    const result = plan({
      files: withDeny,
      intent: {
        src: { kind: 'workload', id: 'store/store-api[Deployment]' },
        dst: { kind: 'workload', id: 'default/demo-db[StatefulSet]' },
        ports: 'all',
        placement: 'admin',
      },
    });
    if (!result.ok) throw new Error(result.message);
    expect(result.edits.map((e) => e.path)).toEqual(['cluster.yaml']);
    // The new policy, with the guardrail deleted from the same file afterwards.
    const after = applyFileEdits(withDeny, result.edits).map((f) =>
      f.path === 'cluster.yaml' ? { ...f, text: f.text.replace(`${denyAll}---\n`, '') } : f,
    );
    expect(after.find((f) => f.path === 'cluster.yaml')!.text).not.toContain('deny-db');
    const changed = exportBundle(after, { changedOnly: true, baseline: withDeny });
    // store-api's egress is isolated too: an Accept on each side.
    expect(changed.map((f) => f.path)).toEqual([
      '_cluster/clusternetworkpolicy-admin-accept-store-store-api-to-default-demo-db-egress.yaml',
      '_cluster/clusternetworkpolicy-admin-accept-store-store-api-to-default-demo-db.yaml',
      'kustomization.yaml',
    ]);
    expect(changed.at(-1)!.text).toContain('#   kubectl delete clusternetworkpolicy deny-db\n');
  });
});

describe('policyYaml', () => {
  it('gives one policy as the bundle writes it', () => {
    const text = policyYaml(demo, 'store/store-api');
    expect(text).toBe(exportBundle(demo).find((f) => f.path === 'store/store-api.yaml')!.text);
    expect(policyYaml(demo, 'store/nope')).toBeUndefined();
  });
});
