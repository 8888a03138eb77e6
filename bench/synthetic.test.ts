import { analyze, buildCluster } from '@netpol-atlas/evaluator';
import {
  type KubeObject,
  type LabelSelector,
  type NetworkPolicyObject,
  type NetworkPolicyPeer,
  parseManifests,
} from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import { generateCluster, type SyntheticClusterOptions } from './synthetic.ts';

// Sizes that do not divide evenly, so the round-robin and spreading edges are exercised.
const OPTIONS: SyntheticClusterOptions = {
  namespaces: 12,
  workloads: 97,
  podsPerWorkload: 3,
  policies: 131,
  seed: 7,
};

function parse(options: SyntheticClusterOptions) {
  return parseManifests(generateCluster(options));
}

function policiesOf(objects: readonly KubeObject[]): NetworkPolicyObject[] {
  return objects.filter((o): o is NetworkPolicyObject => o.kind === 'NetworkPolicy');
}

function peersOf(policy: NetworkPolicyObject): NetworkPolicyPeer[] {
  return [...(policy.spec.ingress ?? []), ...(policy.spec.egress ?? [])].flatMap((r) => r.peers ?? []);
}

function operators(selector: LabelSelector | undefined): string[] {
  return (selector?.matchExpressions ?? []).map((e) => e.operator);
}

describe('generateCluster', () => {
  it('gives identical text for the same seed and different text for another', () => {
    const a = generateCluster(OPTIONS);
    const b = generateCluster(OPTIONS);
    expect(b).toEqual(a);
    const c = generateCluster({ ...OPTIONS, seed: 8 });
    expect(c.map((f) => f.text).join('')).not.toEqual(a.map((f) => f.text).join(''));
  });

  it('writes one file per namespace', () => {
    const files = generateCluster(OPTIONS);
    expect(files).toHaveLength(OPTIONS.namespaces);
    expect(new Set(files.map((f) => f.path)).size).toBe(OPTIONS.namespaces);
  });

  it.each([
    OPTIONS,
    { namespaces: 3, workloads: 5, podsPerWorkload: 1, policies: 4, seed: 1 },
    { namespaces: 20, workloads: 200, podsPerWorkload: 5, policies: 200, seed: 2 },
  ])('honours the sizes %o', (options) => {
    const { objects } = parse(options);
    expect(objects.filter((o) => o.kind === 'Namespace')).toHaveLength(options.namespaces);
    expect(policiesOf(objects)).toHaveLength(options.policies);
    const podObjects = objects.filter((o) => o.kind === 'Pod').length;
    // Manifest-only Deployments stand for their replicas; every other workload has Pod objects.
    const replicas = objects.reduce(
      (n, o) => n + (o.kind === 'Deployment' && 'replicas' in o ? (o.replicas ?? 0) : 0),
      0,
    );
    expect(podObjects + replicas).toBe(options.workloads * options.podsPerWorkload);
    const cluster = buildCluster(objects);
    expect(cluster.workloads).toHaveLength(options.workloads);
    expect(cluster.policies).toHaveLength(options.policies);
    expect(cluster.namespaces.size).toBe(options.namespaces);
  });

  it('parses and builds without errors', () => {
    const { objects, diagnostics } = parse(OPTIONS);
    expect(diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    expect(policiesOf(objects).every((p) => p.valid)).toBe(true);
    const cluster = buildCluster(objects);
    expect(cluster.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    let connections = 0;
    for (const _ of analyze(cluster).connections()) connections++;
    expect(connections).toBeGreaterThan(0);
  });

  it('uses every workload form, pod owner and port protocol', () => {
    const { objects } = parse(OPTIONS);
    const kinds = new Set(objects.map((o) => o.kind));
    for (const kind of [
      'Namespace',
      'Pod',
      'Service',
      'NetworkPolicy',
      'Deployment',
      'StatefulSet',
      'DaemonSet',
    ])
      expect(kinds).toContain(kind);
    const pods = objects.filter((o) => o.kind === 'Pod');
    const owners = new Set(pods.map((p) => p.metadata.ownerReferences.find((r) => r.controller)?.kind));
    expect([...owners].sort()).toEqual(['DaemonSet', 'ReplicaSet', 'StatefulSet']);
    expect(pods.every((p) => p.kind === 'Pod' && p.podIPs.length === 1)).toBe(true);
    const protocols = new Set(
      pods.flatMap((p) => (p.kind === 'Pod' ? p.template.ports : [])).map((p) => p.protocol),
    );
    expect([...protocols].sort()).toEqual(['TCP', 'UDP']);
    const namespaceLabels = objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.labels);
    expect(namespaceLabels.every((l) => l.team !== undefined && l.env !== undefined)).toBe(true);
  });

  it('uses every peer kind and port form', () => {
    const policies = policiesOf(parse(OPTIONS).objects);
    const peers = policies.flatMap(peersOf);
    const nsOnly = peers.filter((p) => p.namespaceSelector && !p.podSelector);
    expect(nsOnly.some((p) => p.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'])).toBe(true);
    expect(nsOnly.some((p) => p.namespaceSelector?.matchLabels?.team)).toBe(true);
    expect(peers.some((p) => p.podSelector && !p.namespaceSelector)).toBe(true);
    expect(peers.some((p) => p.podSelector && p.namespaceSelector)).toBe(true);
    expect(peers.some((p) => p.ipBlock && p.ipBlock.except.length > 0)).toBe(true);
    expect(
      policies.some((p) => (p.spec.egress ?? []).some((r) => r.peers?.some((peer) => peer.ipBlock))),
    ).toBe(true);

    const used = new Set(
      policies.flatMap((p) => [
        ...operators(p.spec.podSelector),
        ...peersOf(p).flatMap((peer) => [
          ...operators(peer.podSelector),
          ...operators(peer.namespaceSelector),
        ]),
      ]),
    );
    expect([...used].sort()).toEqual(['DoesNotExist', 'Exists', 'In', 'NotIn']);

    const ports = policies.flatMap((p) =>
      [...(p.spec.ingress ?? []), ...(p.spec.egress ?? [])].flatMap((r) => r.ports ?? []),
    );
    expect(ports.some((p) => typeof p.port === 'string')).toBe(true);
    expect(ports.some((p) => p.endPort !== undefined)).toBe(true);
    expect(ports.some((p) => p.protocol === 'UDP')).toBe(true);
  });

  it('gives every namespace default-deny ingress and egress and DNS egress to kube-system', () => {
    const policies = policiesOf(parse(OPTIONS).objects);
    const namespaces = new Set(policies.map((p) => p.metadata.namespace));
    expect(namespaces.size).toBe(OPTIONS.namespaces);
    for (const ns of namespaces) {
      const own = policies.filter((p) => p.metadata.namespace === ns);
      const denies = (type: string) =>
        own.some(
          (p) =>
            p.spec.policyTypes?.length === 1 &&
            p.spec.policyTypes[0] === type &&
            p.spec.podSelector.matchLabels === undefined &&
            p.spec.podSelector.matchExpressions === undefined &&
            (type === 'Ingress' ? p.spec.ingress : p.spec.egress) === undefined,
        );
      expect(denies('Ingress'), ns).toBe(true);
      expect(denies('Egress'), ns).toBe(true);
      const dns = own.some((p) =>
        (p.spec.egress ?? []).some(
          (r) =>
            r.peers?.some(
              (peer) =>
                peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'kube-system',
            ) && r.ports?.some((port) => port.protocol === 'UDP' && port.port === 53),
        ),
      );
      expect(dns, ns).toBe(true);
    }
  });
});
