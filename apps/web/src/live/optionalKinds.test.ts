import { describe, expect, it } from 'vitest';
import { optionalKinds, optionalKindsLines } from './optionalKinds.ts';

describe('optional kinds in the live panel', () => {
  it('counts cluster-wide policy kinds as analysed, other CRDs as read only, and names what is not installed', () => {
    const summary = optionalKinds(
      ['ClusterNetworkPolicy.policy.networking.k8s.io', 'CiliumNetworkPolicy.cilium.io'],
      ['AdminNetworkPolicy.policy.networking.k8s.io', 'GlobalNetworkPolicy.projectcalico.org'],
    );
    expect(summary).toEqual({
      analysed: ['ClusterNetworkPolicy'],
      notAnalysed: ['CiliumNetworkPolicy.cilium.io'],
      notInstalled: ['AdminNetworkPolicy', 'GlobalNetworkPolicy.projectcalico.org'],
    });
    expect(optionalKindsLines(summary)).toEqual([
      'Cluster-wide policies read: ClusterNetworkPolicy',
      'Also read (not analysed yet): CiliumNetworkPolicy.cilium.io',
      'Not installed: AdminNetworkPolicy, GlobalNetworkPolicy.projectcalico.org',
    ]);
  });

  it('never labels a tier kind "not analysed"', () => {
    const lines = optionalKindsLines(
      optionalKinds(
        [
          'ClusterNetworkPolicy.policy.networking.k8s.io',
          'AdminNetworkPolicy.policy.networking.k8s.io',
          'BaselineAdminNetworkPolicy.policy.networking.k8s.io',
        ],
        [],
      ),
    );
    expect(lines.join('\n')).not.toContain('not analysed');
  });
});
