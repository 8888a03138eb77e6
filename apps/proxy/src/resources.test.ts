import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ALL_RESOURCES, collectionPath, isDnsLabel } from './resources.ts';

describe('the read-only ClusterRole', () => {
  const role = parse(
    readFileSync(new URL('../../../deploy/netpol-atlas-readonly-clusterrole.yaml', import.meta.url), 'utf8'),
  ) as { kind: string; rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[] };

  it('grants get/list/watch on exactly the allow-listed resources, and only create on access reviews', () => {
    expect(role.kind).toBe('ClusterRole');
    const reads = new Set<string>();
    for (const rule of role.rules) {
      if (rule.resources.includes('selfsubjectaccessreviews')) {
        expect(rule).toEqual({
          apiGroups: ['authorization.k8s.io'],
          resources: ['selfsubjectaccessreviews'],
          verbs: ['create'],
        });
        continue;
      }
      expect(rule.verbs).toEqual(['get', 'list', 'watch']);
      for (const group of rule.apiGroups)
        for (const resource of rule.resources) reads.add(`${group}/${resource}`);
    }
    expect([...reads].sort()).toEqual(
      [...new Set(ALL_RESOURCES.map((r) => `${r.group}/${r.plural}`))].sort(),
    );
    expect([...reads].some((r) => /secrets|configmaps|\*/.test(r))).toBe(false);
  });

  it('reads the cluster-wide policy tiers and nodes (list and watch, like every resource)', () => {
    const granted = (group: string, resource: string) =>
      role.rules.some(
        (r) =>
          r.apiGroups.includes(group) &&
          r.resources.includes(resource) &&
          r.verbs.includes('list') &&
          r.verbs.includes('watch'),
      );
    for (const [group, plural, version] of [
      ['policy.networking.k8s.io', 'clusternetworkpolicies', 'v1alpha2'],
      ['policy.networking.k8s.io', 'adminnetworkpolicies', 'v1alpha1'],
      ['policy.networking.k8s.io', 'baselineadminnetworkpolicies', 'v1alpha1'],
      ['', 'nodes', 'v1'],
    ] as const) {
      expect(
        ALL_RESOURCES.some((r) => r.group === group && r.plural === plural && r.version === version),
      ).toBe(true);
      expect(granted(group, plural), `${group}/${plural}`).toBe(true);
    }
  });
});

describe('collection paths', () => {
  it('builds the real Kubernetes URLs', () => {
    const byId = (id: string) => ALL_RESOURCES.find((r) => r.id === id)!;
    expect(collectionPath(byId('core/v1/pods'))).toBe('/api/v1/pods');
    expect(collectionPath(byId('core/v1/pods'), 'shop')).toBe('/api/v1/namespaces/shop/pods');
    expect(collectionPath(byId('core/v1/namespaces'), 'shop')).toBe('/api/v1/namespaces');
    expect(collectionPath(byId('networking.k8s.io/v1/networkpolicies'), 'a')).toBe(
      '/apis/networking.k8s.io/v1/namespaces/a/networkpolicies',
    );
  });

  it('refuses namespace names that would change the path', () => {
    const pods = ALL_RESOURCES.find((r) => r.id === 'core/v1/pods')!;
    for (const bad of ['../secrets', 'a/b', '', 'A', 'x?watch=1', `${'a'.repeat(64)}`]) {
      expect(isDnsLabel(bad)).toBe(false);
      expect(() => collectionPath(pods, bad)).toThrow(/invalid namespace/);
    }
  });
});
