import { describe, expect, it } from 'vitest';
import type { PolicySummary } from '../model/index.ts';
import { policyListRows } from './policyList.ts';

function policy(id: string, tier: PolicySummary['tier'], priority?: number): PolicySummary {
  const [namespace, name] = tier === 'NetworkPolicy' ? id.split('/') : ['', id.split('/')[1]!];
  return {
    id,
    namespace: namespace!,
    name: name!,
    kind: tier === 'NetworkPolicy' ? 'NetworkPolicy' : 'ClusterNetworkPolicy',
    tier,
    priority,
    types: ['Ingress'],
    selects: [],
    admits: new Int32Array(),
    source: undefined,
  };
}

describe('policyListRows', () => {
  it('groups Admin by priority, NetworkPolicies by namespace, then Baseline', () => {
    const rows = policyListRows([
      policy('shop/b', 'NetworkPolicy'),
      policy('ClusterNetworkPolicy/base', 'Baseline', 0),
      policy('ClusterNetworkPolicy/late', 'Admin', 30),
      policy('blog/a', 'NetworkPolicy'),
      policy('ClusterNetworkPolicy/early', 'Admin', 5),
      policy('shop/a', 'NetworkPolicy'),
    ]);
    expect(rows.map((r) => (r.kind === 'group' ? `# ${r.label} (${r.count})` : r.policy.id))).toEqual([
      '# Admin tier (2)',
      'ClusterNetworkPolicy/early',
      'ClusterNetworkPolicy/late',
      '# NetworkPolicy · blog (1)',
      'blog/a',
      '# NetworkPolicy · shop (2)',
      'shop/a',
      'shop/b',
      '# Baseline tier (1)',
      'ClusterNetworkPolicy/base',
    ]);
  });

  it('leaves out the headings of empty tiers', () => {
    const rows = policyListRows([policy('shop/a', 'NetworkPolicy')]);
    expect(rows.map((r) => r.key)).toEqual(['group:ns:shop', 'shop/a']);
  });

  it('builds the rows of one list of policies once', () => {
    const policies = [policy('shop/b', 'NetworkPolicy'), policy('shop/a', 'NetworkPolicy')];
    expect(policyListRows(policies)).toBe(policyListRows(policies));
    // Another list (another analysis) is listed afresh.
    const next = [...policies, policy('blog/a', 'NetworkPolicy')];
    expect(policyListRows(next).map((r) => r.key)).toEqual([
      'group:ns:blog',
      'blog/a',
      'group:ns:shop',
      'shop/a',
      'shop/b',
    ]);
  });
});
