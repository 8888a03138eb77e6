import { readFileSync } from 'node:fs';
import { parseManifests } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import {
  adminDenials,
  analyze,
  attributeConnection,
  buildCluster,
  findPeer,
  formatConnectionSet,
  type LayerDecision,
} from './index.ts';

const SAMPLE = readFileSync(
  new URL('../../../public/samples/cluster-tiers/manifests.yaml', import.meta.url),
  'utf8',
);

function load(text: string) {
  const cluster = buildCluster(parseManifests([{ path: 'm.yaml', text }]).objects);
  return { cluster, analysis: analyze(cluster) };
}

function summary(decisions: readonly LayerDecision[]): string[] {
  return decisions.map(
    (d) =>
      `${d.layer}${d.rule ? ` ${d.rule.policy}#${d.rule.rule}` : ''}${d.policies ? ` ${d.policies.join(',')}` : ''}: ${formatConnectionSet(d.conn)}`,
  );
}

describe('tier attribution on the cluster-tiers sample', () => {
  const { cluster, analysis } = load(SAMPLE);
  const attribution = (src: string, dst: string) => {
    const s = findPeer(cluster, src)!;
    const d = findPeer(cluster, dst)!;
    const conn =
      s.type === 'workload' && d.type === 'workload'
        ? analysis.between(s.index, d.index)
        : [...analysis.connections()].find((c) => c.src.id === s.id && c.dst.id === d.id)!.conn;
    return attributeConnection(cluster, s, d, conn);
  };

  it.each([
    // [src, dst, decidedBy, egress, ingress]
    [
      'monitoring/grafana',
      'vault/vault',
      'Admin',
      ['Baseline ClusterNetworkPolicy/default-deny#0: All Connections'],
      ['Admin ClusterNetworkPolicy/protect-vault#0: All Connections'],
    ],
    [
      'shop/frontend',
      'shop/cart',
      'NetworkPolicy',
      ['Baseline ClusterNetworkPolicy/default-deny#0: TCP 8080'],
      ['NetworkPolicy shop/cart-from-frontend: TCP 8080'],
    ],
    [
      'monitoring/prometheus',
      'shop/frontend',
      'Baseline',
      ['Baseline ClusterNetworkPolicy/default-deny#0: All Connections'],
      ['Baseline ClusterNetworkPolicy/default-deny#0: All Connections'],
    ],
    ['shop/cart', 'dns:api.stripe.com', 'Admin', ['Admin ClusterNetworkPolicy/cart-egress#0: TCP 443'], []],
    ['shop/cart', '10.0.0.10', 'Admin', ['Admin ClusterNetworkPolicy/cart-egress#1: TCP 6443'], []],
  ])('%s -> %s is decided by %s', (src, dst, decidedBy, egress, ingress) => {
    const a = attribution(src, dst);
    expect(a.decidedBy).toBe(decidedBy);
    expect(summary(a.egress.decisions)).toEqual(egress);
    expect(summary(a.ingress.decisions)).toEqual(ingress);
  });

  it('names the rule with its YAML range', () => {
    const rule = attribution('monitoring/grafana', 'vault/vault').ingress.decisions[0]!.rule!;
    expect(rule).toMatchObject({
      tier: 'Admin',
      priority: 10,
      ruleName: 'allow-monitoring',
      action: 'Accept',
    });
    expect(SAMPLE.split('\n')[rule.range!.start.line - 1]).toContain('name: allow-monitoring');
  });

  it('lists the pairs the Admin tier denies, with the deciding rule, and nothing it accepts', () => {
    const { denials, truncated } = adminDenials(analysis);
    expect(truncated).toBe(false);
    const pairs = denials.map((d) => `${d.src.id} -> ${d.dst.id} ${d.direction} ${d.rule.ruleName}`).sort();
    expect(pairs).toEqual(
      [
        'blog/mysql[StatefulSet]',
        'blog/wordpress[Deployment]',
        'shop/cart[Deployment]',
        'shop/frontend[Deployment]',
      ].map((src) => `${src} -> vault/vault[StatefulSet] Ingress deny-everyone-else`),
    );
    // Each denied pair is indeed not allowed by the analysis.
    for (const d of denials) {
      if (d.src.type === 'workload' && d.dst.type === 'workload')
        expect(formatConnectionSet(analysis.between(d.src.index, d.dst.index))).toBe('No Connections');
    }
  });
});

const SPLIT = `
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: a, labels: {app: web}}
spec: {containers: [{name: c, ports: [{containerPort: 80}, {containerPort: 443}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: cli, namespace: b, labels: {app: cli}}
spec: {containers: [{name: c}]}
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: admin}
spec:
  tier: Admin
  priority: 5
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: a}}}
  ingress:
  - {action: Accept, from: [{namespaces: {}}], protocols: [{tcp: {destinationPort: {number: 443}}}]}
  - {action: Deny, from: [{namespaces: {}}], protocols: [{tcp: {destinationPort: {number: 22}}}]}
  egress:
  - {action: Deny, to: [{networks: [10.0.0.0/8]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-80, namespace: a}
spec:
  podSelector: {}
  ingress:
  - from: [{namespaceSelector: {}}]
    ports: [{port: 80}]
`;

describe('tier attribution, table cases', () => {
  const { cluster, analysis } = load(SPLIT);
  const cli = findPeer(cluster, 'b/cli')!;
  const web = findPeer(cluster, 'a/web')!;

  it('splits one side between an Admin Accept and NetworkPolicy', () => {
    if (cli.type !== 'workload' || web.type !== 'workload') throw new Error('workloads expected');
    const conn = analysis.between(cli.index, web.index);
    expect(formatConnectionSet(conn)).toBe('TCP 80,443');
    const a = attributeConnection(cluster, cli, web, conn);
    expect(summary(a.ingress.decisions)).toEqual([
      'Admin ClusterNetworkPolicy/admin#0: TCP 443',
      'NetworkPolicy a/web-80: TCP 80',
    ]);
    expect(summary(a.egress.decisions)).toEqual(['default: TCP 80,443']);
    expect(a.decidedBy).toBe('Admin');
  });

  it('attributes a side without cluster policies to NetworkPolicy or the default', () => {
    if (cli.type !== 'workload' || web.type !== 'workload') throw new Error('workloads expected');
    const back = attributeConnection(cluster, web, cli, analysis.between(web.index, cli.index));
    expect(back.decidedBy).toBe('default');
    expect(summary(back.ingress.decisions)).toEqual(['default: All Connections']);
  });

  it('lists port-level Admin denials on ingress and address denials on egress', () => {
    const found = adminDenials(analysis).denials.map(
      (d) => `${d.src.id} -> ${d.dst.id} ${d.direction} #${d.rule.rule}: ${formatConnectionSet(d.conn)}`,
    );
    expect(found).toEqual([
      'a/web[Pod] -> 10.0.0.0-10.255.255.255[External] Egress #0: All Connections',
      'b/cli[Pod] -> a/web[Pod] Ingress #1: TCP 22',
    ]);
  });

  it('stops at the limit and says so', () => {
    const capped = adminDenials(analysis, 1);
    expect(capped.denials).toHaveLength(1);
    expect(capped.truncated).toBe(true);
  });
});
