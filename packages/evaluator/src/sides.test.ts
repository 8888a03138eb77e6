// SidePrograms against decideSide, the traced layered decision explain uses: for every side of
// every workload of random clusters, towards every workload and some addresses, the compiled
// program's interned result is the set decideSide computes rule by rule.

import { parseManifests } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import { type ConnectionSet, connectionKey, NO_CONNECTIONS, unionConnections } from './connectionSet.ts';
import { analyze, buildCluster, formatConnectionSet } from './index.ts';
import { InternedSets } from './internedSets.ts';
import { intervalsContain } from './intervals.ts';
import type {
  Cluster,
  CompiledPeer,
  CompiledRule,
  CompiledTierPeer,
  CompiledTierRule,
  WorkloadPeer,
} from './model.ts';
import { rulePorts } from './rulePorts.ts';
import { SidePrograms } from './sides.ts';
import { toYaml } from './testing/clusterYaml.ts';
import { GENERATED_PARSE_OPTIONS, randomCluster } from './testing/randomCluster.ts';
import { decideSide } from './tiers.ts';

type AnyPeer = CompiledPeer | CompiledTierPeer;

function clusterOf(seed: number, clusterPolicies: boolean): Cluster {
  const model = randomCluster(seed, { clusterPolicies });
  const { objects } = parseManifests([{ path: 's.yaml', text: toYaml(model) }], GENERATED_PARSE_OPTIONS);
  return buildCluster(objects, model.options);
}

/** decideSide over a workload's side, with the NetworkPolicy layer as the plain union of admitting rules. */
function reference(
  cluster: Cluster,
  direction: 'ingress' | 'egress',
  w: number,
  admits: (peer: AnyPeer) => boolean,
  dst: WorkloadPeer | undefined,
): ConnectionSet {
  const policies = direction === 'ingress' ? cluster.ingressPolicies[w]! : cluster.egressPolicies[w]!;
  const tiers = direction === 'ingress' ? cluster.ingressTiers[w]! : cluster.egressTiers[w]!;
  const matches = (rule: CompiledRule | CompiledTierRule) => !rule.peers || rule.peers.some(admits);
  const networkPolicy =
    policies.length === 0
      ? undefined
      : () => {
          let out = NO_CONNECTIONS;
          for (const p of policies)
            for (const rule of p[direction])
              if (matches(rule)) out = unionConnections(out, rulePorts(rule, dst));
          return out;
        };
  return decideSide(tiers, networkPolicy, { matches, ports: (rule) => rulePorts(rule, dst) });
}

/** Addresses where some ipBlock or network of the cluster starts or ends, and one outside all. */
function addressesOf(cluster: Cluster): number[] {
  const out = new Set<number>([0x08080808]);
  for (const set of [...cluster.ingressIpSets, ...cluster.egressIpSets])
    for (let i = 0; i < set.length; i += 2) out.add(set[i]!).add(set[i + 1]!);
  return [...out];
}

function agrees(cluster: Cluster): number {
  const sets = new InternedSets();
  const portClassOf = Int32Array.from(cluster.workloads, (_, i) => i);
  // One SidePrograms for every side: tier outcomes are shared between sides by their key.
  const programs = new SidePrograms(sets, portClassOf);
  let compared = 0;
  for (const direction of ['ingress', 'egress'] as const) {
    for (const self of cluster.workloads) {
      const program = programs.compile({
        direction,
        policies:
          direction === 'ingress'
            ? cluster.ingressPolicies[self.index]!
            : cluster.egressPolicies[self.index]!,
        tiers: direction === 'ingress' ? cluster.ingressTiers[self.index]! : cluster.egressTiers[self.index]!,
      });
      for (const other of cluster.workloads) {
        const admits = (p: AnyPeer) => p.members[other.index] === 1;
        const dst = direction === 'egress' ? other : self;
        const expected = connectionKey(reference(cluster, direction, self.index, admits, dst));
        const got = sets.list[programs.result(program, admits, dst)]!;
        expect(connectionKey(got), `${direction} of ${self.id} towards ${other.id}`).toBe(expected);
        // The by-index path analyses take towards workloads gives the same interned set.
        const towards = sets.list[programs.resultTowards(program, other.index, dst)]!;
        expect(connectionKey(towards), `${direction} of ${self.id} towards #${other.index}`).toBe(expected);
        compared++;
      }
      for (const address of addressesOf(cluster)) {
        const admits = (p: AnyPeer) => p.ipv4 !== undefined && intervalsContain(p.ipv4, address);
        const dst = direction === 'egress' ? undefined : self;
        const got = sets.list[programs.result(program, admits, dst)]!;
        expect(connectionKey(got), `${direction} of ${self.id} towards address ${address}`).toBe(
          connectionKey(reference(cluster, direction, self.index, admits, dst)),
        );
        compared++;
      }
    }
  }
  return compared;
}

const SEEDS = Array.from({ length: 30 }, (_, i) => i + 1);

describe('SidePrograms.result agrees with decideSide', () => {
  it.each(SEEDS)('NetworkPolicies only, seed %i', (seed) => {
    expect(agrees(clusterOf(seed, false))).toBeGreaterThan(0);
  });

  it.each(SEEDS)('with cluster-wide policies, seed %i', (seed) => {
    expect(agrees(clusterOf(seed, true))).toBeGreaterThan(0);
  });

  it('the random clusters give sides with tiers and isolating policies together', () => {
    let both = 0;
    for (const seed of SEEDS) {
      const cluster = clusterOf(seed, true);
      cluster.workloads.forEach((_, w) => {
        const tiers = cluster.ingressTiers[w]!;
        if (cluster.ingressPolicies[w]!.length > 0 && tiers.admin.length + tiers.baseline.length > 0) both++;
      });
    }
    expect(both).toBeGreaterThan(10);
  });
});

describe('tier outcomes shared between sides', () => {
  // web (a) and api (c) take ingress from cli (b): the same rule shape, one Pass and one Deny.
  const yaml = ['a', 'b', 'c']
    .map(
      (ns) => `apiVersion: v1
kind: Namespace
metadata: {name: ${ns}, labels: {team: ${ns}}}
---
`,
    )
    .concat(
      [
        ['web', 'a'],
        ['cli', 'b'],
        ['api', 'c'],
      ].map(
        ([name, ns]) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${ns}}
spec: {containers: [{name: c}]}
status: {phase: Running, podIP: 10.0.0.${name!.length + ns!.charCodeAt(0)}}
---
`,
      ),
    )
    .concat(
      [
        ['pass-b', 'a', 'Pass'],
        ['deny-b', 'c', 'Deny'],
      ].map(
        ([name, subject, action]) => `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: ${name}}
spec:
  tier: Admin
  priority: 10
  subject: {namespaces: {matchLabels: {team: ${subject}}}}
  ingress: [{action: ${action}, from: [{namespaces: {matchLabels: {team: b}}}], protocols: [{tcp: {destinationPort: {number: 80}}}]}]
---
`,
      ),
    )
    .join('');

  it('keeps a Pass and a Deny of the same peers and ports apart', () => {
    const { objects, diagnostics } = parseManifests([{ path: 'p.yaml', text: yaml }]);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const cluster = buildCluster(objects);
    const analysis = analyze(cluster);
    const index = (id: string) => cluster.workloads.findIndex((w) => w.id === id);
    // Passed to the NetworkPolicy layer, which has no policy: allowed by default.
    expect(formatConnectionSet(analysis.between(index('b/cli[Pod]'), index('a/web[Pod]')))).toBe(
      'All Connections',
    );
    expect(formatConnectionSet(analysis.between(index('b/cli[Pod]'), index('c/api[Pod]')))).toBe(
      'SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535',
    );
  });
});
