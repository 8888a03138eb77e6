import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { admittedIds, type GraphNode } from '../model/index.ts';
import { compileWorkspace } from './compileWorkspace.ts';
import { adminDenialsInWorkspace, edgeTiersInWorkspace, explainInWorkspace } from './workspaceQueries.ts';

const SAMPLE = readFileSync(
  new URL('../../../../public/samples/cluster-tiers/manifests.yaml', import.meta.url),
  'utf8',
);
const files = [{ id: 'm', path: 'cluster-tiers/manifests.yaml', text: SAMPLE }];

describe('the graph model of a workspace with cluster-wide tiers', () => {
  const compiled = compileWorkspace(files);
  const { model } = compiled;
  const edge = (src: string, dst: string) => model.edges.find((e) => e.source === src && e.target === dst);

  it('says on each edge which tier decided it, with the deciding rule', () => {
    expect(edge('monitoring/grafana[Deployment]', 'vault/vault[StatefulSet]')?.tiers).toMatchObject({
      decidedBy: 'Admin',
      ingress: [
        {
          layer: 'Admin',
          conn: 'All Connections',
          rule: { policy: 'ClusterNetworkPolicy/protect-vault', priority: 10, ruleName: 'allow-monitoring' },
        },
      ],
    });
    expect(edge('shop/frontend[Deployment]', 'shop/cart[Deployment]')?.tiers).toMatchObject({
      decidedBy: 'NetworkPolicy',
      ingress: [{ layer: 'NetworkPolicy', conn: 'TCP 8080', policies: ['shop/cart-from-frontend'] }],
    });
    expect(edge('monitoring/prometheus[StatefulSet]', 'blog/wordpress[Deployment]')?.tiers?.decidedBy).toBe(
      'Baseline',
    );
    const rule = edge('monitoring/grafana[Deployment]', 'vault/vault[StatefulSet]')!.tiers!.ingress[0]!.rule!;
    expect(SAMPLE.split('\n')[rule.source!.line - 1]).toContain('allow-monitoring');
  });

  it('shows Node addresses and domain names as external nodes labelled by what they are', () => {
    const byId = new Map<string, GraphNode>(model.nodes.map((n) => [n.id, n]));
    expect(byId.get('dns:api.stripe.com')).toMatchObject({
      type: 'external',
      label: 'api.stripe.com',
      kind: 'Domain',
    });
    expect(byId.get('10.0.0.10-10.0.0.10[External]')).toMatchObject({
      type: 'external',
      label: 'control-plane-1',
      kind: 'Node',
      nodeNames: ['control-plane-1'],
    });
    expect(edge('shop/cart[Deployment]', 'dns:api.stripe.com')).toMatchObject({ label: 'TCP 443' });
  });

  it('marks workloads that cluster-wide tiers govern, with or without a NetworkPolicy', () => {
    const wordpress = model.nodes.find((n) => n.id === 'blog/wordpress[Deployment]')!;
    expect(wordpress).toMatchObject({
      ingressIsolated: false,
      egressIsolated: false,
      clusterTiers: { ingress: true, egress: true },
    });
  });

  it('lists cluster policies with their tier, kind and priority: Admin first by priority, then NetworkPolicies, then Baseline', () => {
    expect(model.policies.map((p) => [p.tier, p.id, p.priority])).toEqual([
      ['Admin', 'ClusterNetworkPolicy/protect-vault', 10],
      ['Admin', 'ClusterNetworkPolicy/delegate-apps', 20],
      ['Admin', 'ClusterNetworkPolicy/cart-egress', 30],
      ['NetworkPolicy', 'shop/cart-from-frontend', undefined],
      ['NetworkPolicy', 'blog/mysql-from-wordpress', undefined],
      ['NetworkPolicy', 'monitoring/prometheus-from-grafana', undefined],
      ['NetworkPolicy', 'vault/vault-pods-only', undefined],
      ['Baseline', 'ClusterNetworkPolicy/default-deny', 0],
    ]);
    const cart = model.policies.find((p) => p.id === 'ClusterNetworkPolicy/cart-egress')!;
    expect(cart).toMatchObject({
      kind: 'ClusterNetworkPolicy',
      namespace: '',
      selects: ['shop/cart[Deployment]'],
    });
    expect(admittedIds(model, cart).sort()).toEqual(['10.0.0.10-10.0.0.10[External]', 'dns:api.stripe.com']);
  });

  it('computes the Admin tier denials on demand, one edge per pair', () => {
    const denied = adminDenialsInWorkspace(compiled);
    expect(denied.truncated).toBe(false);
    expect(denied.edges.map((e) => e.source).sort()).toEqual([
      'blog/mysql[StatefulSet]',
      'blog/wordpress[Deployment]',
      'shop/cart[Deployment]',
      'shop/frontend[Deployment]',
    ]);
    expect(denied.edges[0]).toMatchObject({
      id: 'denied:blog/mysql[StatefulSet]->vault/vault[StatefulSet]',
      target: 'vault/vault[StatefulSet]',
      label: 'All Connections',
      all: true,
      adminDenied: [
        { policy: 'ClusterNetworkPolicy/protect-vault', action: 'Deny', ruleName: 'deny-everyone-else' },
      ],
    });
    expect(denied.nodes).toEqual([]);
  });

  it('drops the attribution when the cluster policies go, and patches it back when they return', () => {
    const npOnly = SAMPLE.split('\n---\n')
      .filter((doc) => !doc.includes('kind: ClusterNetworkPolicy'))
      .join('\n---\n');
    const without = compileWorkspace([{ ...files[0]!, text: npOnly }], {}, compileWorkspace(files));
    expect(without.model.edges.every((e) => e.tiers === undefined)).toBe(true);
    const back = compileWorkspace(files, {}, without);
    expect(back.model.edges.every((e) => e.tiers !== undefined)).toBe(true);
  });

  it('carries the tier chain of each side into explanations', () => {
    const result = explainInWorkspace(compiled, 'shop/frontend', 'vault/vault', undefined)!;
    expect(result.verdict).toBe('denied');
    expect(result.ingress.tiers?.decisions).toMatchObject([
      {
        tier: 'Admin',
        policy: 'ClusterNetworkPolicy/protect-vault',
        action: 'Deny',
        conn: 'All Connections',
      },
    ]);
    expect(result.ingress.tiers?.decisions[0]?.source?.line).toBeGreaterThan(0);
  });
});

describe('a workspace with more edges than are attributed up front', () => {
  // 40 pods that all reach each other (1560 edges), and one Admin policy about one of them.
  const pods = Array.from(
    { length: 40 },
    (_, i) =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}, namespace: big, labels: {app: p${i}}}\nspec: {containers: [{name: c}]}`,
  );
  const admin = `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: p0-accept}
spec:
  tier: Admin
  priority: 1
  subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: p0}}}}
  ingress:
  - {action: Accept, from: [{namespaces: {}}]}
`;
  const big = compileWorkspace([{ id: 'b', path: 'big.yaml', text: [...pods, admin].join('\n---\n') }]);

  it('leaves the edges unattributed, and attributes the one asked for', () => {
    expect(big.model.edges.length).toBeGreaterThan(1500);
    expect(big.model.edges.every((e) => e.tiers === undefined)).toBe(true);
    expect(edgeTiersInWorkspace(big, 'big/p1[Pod]', 'big/p0[Pod]')).toMatchObject({
      decidedBy: 'Admin',
      ingress: [{ layer: 'Admin', rule: { policy: 'ClusterNetworkPolicy/p0-accept' } }],
      egress: [{ layer: 'default' }],
    });
    expect(edgeTiersInWorkspace(big, 'big/p1[Pod]', 'big/nobody[Pod]')).toBeUndefined();
  });
});
