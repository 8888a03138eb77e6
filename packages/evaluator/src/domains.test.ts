// Semantics tables for domainNames peers (ClusterNetworkPolicy egress, experimental channel):
// name matching as the DomainName type documents it, and the `dns:<pattern>` external peers the
// analysis reports them as.

import { parseManifests } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import { domainCovers, peerMatchesExternal } from './domains.ts';
import {
  analyze,
  buildCluster,
  type Cluster,
  connectionDelta,
  explainConnection,
  findPeer,
  formatConnectionSet,
} from './index.ts';

describe('domain name patterns', () => {
  // The DomainName type's own examples, then how patterns cover each other.
  it.each([
    ['kubernetes.io', 'kubernetes.io', true],
    ['kubernetes.io', 'www.kubernetes.io', false],
    ['kubernetes.io', 'blog.kubernetes.io', false],
    ['kubernetes.io', 'my-kubernetes.io', false],
    ['kubernetes.io', 'wikipedia.org', false],
    ['blog.kubernetes.io', 'blog.kubernetes.io', true],
    ['blog.kubernetes.io', 'www.kubernetes.io', false],
    ['blog.kubernetes.io', 'kubernetes.io', false],
    ['*.kubernetes.io', 'www.kubernetes.io', true],
    ['*.kubernetes.io', 'blog.kubernetes.io', true],
    ['*.kubernetes.io', 'latest.blog.kubernetes.io', true],
    ['*.kubernetes.io', 'kubernetes.io', false],
    ['*.kubernetes.io', 'wikipedia.org', false],
    // The wildcard matches whole labels only.
    ['*.kubernetes.io', 'my-kubernetes.io', false],
    // A pattern covers a pattern when every name of the second matches the first.
    ['*.kubernetes.io', '*.kubernetes.io', true],
    ['*.kubernetes.io', '*.blog.kubernetes.io', true],
    ['*.blog.kubernetes.io', '*.kubernetes.io', false],
    ['www.kubernetes.io', '*.kubernetes.io', false],
  ])('%s covers %s: %s', (pattern, name, covers) => {
    expect(domainCovers(pattern, name)).toBe(covers);
  });
});

const PODS = `
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: a, labels: {app: web}}
spec: {containers: [{name: c}]}
---
apiVersion: v1
kind: Pod
metadata: {name: cli, namespace: b, labels: {app: cli}}
spec: {containers: [{name: c}]}
`;

/** An Admin-tier ClusterNetworkPolicy on namespace a with the given egress rules. */
function cnp(name: string, priority: number, egress: string, tier = 'Admin'): string {
  return `---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: ${name}}
spec:
  tier: ${tier}
  priority: ${priority}
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: a}}}
  egress:
${egress}
`;
}

// An allowlist: a/web may reach *.kubernetes.io on TCP 443 and www.example.com on anything; the
// rest of its egress is denied at a lower precedence, as the spec recommends.
const ALLOWLIST =
  cnp(
    'allow-names',
    10,
    `  - {name: k8s, action: Accept, to: [{domainNames: ['*.kubernetes.io', 'WWW.Example.com.']}], protocols: [{tcp: {destinationPort: {number: 443}}}]}
  - {name: exact, action: Accept, to: [{domainNames: [blog.kubernetes.io, kubernetes.io]}]}`,
  ) + cnp('deny-rest', 20, `  - {name: rest, action: Deny, to: [{networks: [0.0.0.0/0]}]}`);

function build(text: string, options = {}): Cluster {
  return buildCluster(parseManifests([{ path: 'test.yaml', text }]).objects, options);
}

/** `src => dst : conn` for every connection to a domain-name peer. */
function domainLines(cluster: Cluster): string[] {
  const out: string[] = [];
  for (const { src, dst, conn } of analyze(cluster).connections()) {
    if (dst.type === 'external' && dst.domain !== undefined) {
      out.push(`${src.id} => ${dst.id} : ${formatConnectionSet(conn)}`);
    }
  }
  return out.sort();
}

describe('domainNames peers as dns: external peers', () => {
  it('reports one peer per written pattern, normalised, reached through the rules that name it', () => {
    expect(build(PODS + ALLOWLIST).domains).toEqual([
      '*.kubernetes.io',
      'blog.kubernetes.io',
      'kubernetes.io',
      'www.example.com',
    ]);
    expect(domainLines(build(PODS + ALLOWLIST))).toEqual([
      // Rule k8s covers only TCP 443 of *.kubernetes.io; deny-rest's 0.0.0.0/0 takes the rest.
      'a/web[Pod] => dns:*.kubernetes.io : TCP 443',
      // blog.kubernetes.io is named by rule exact, and lies inside *.kubernetes.io as well.
      'a/web[Pod] => dns:blog.kubernetes.io : All Connections',
      // *.kubernetes.io does not cover kubernetes.io itself: only rule exact does.
      'a/web[Pod] => dns:kubernetes.io : All Connections',
      'a/web[Pod] => dns:www.example.com : TCP 443',
      // b/cli is not a subject: nothing restricts its egress.
      'b/cli[Pod] => dns:*.kubernetes.io : All Connections',
      'b/cli[Pod] => dns:blog.kubernetes.io : All Connections',
      'b/cli[Pod] => dns:kubernetes.io : All Connections',
      'b/cli[Pod] => dns:www.example.com : All Connections',
    ]);
  });

  it('denies everything else to the subject, addresses included', () => {
    const analysis = analyze(build(PODS + ALLOWLIST));
    const toAddresses = [...analysis.connections()].filter(
      (c) => c.src.id === 'a/web[Pod]' && c.dst.type === 'external' && c.dst.domain === undefined,
    );
    expect(toAddresses).toEqual([]);
  });

  // A domain's addresses are unknown: an address rule decides it only if it admits every address.
  it.each([
    { to: '[{networks: [0.0.0.0/0]}]', decides: true },
    { to: '[{networks: [0.0.0.0/1, 128.0.0.0/1]}]', decides: true },
    { to: '[{networks: [10.0.0.0/8]}]', decides: false },
    { to: '[{namespaces: {}}]', decides: false },
  ])('a Deny rule to $to decides the domain: $decides', ({ to, decides }) => {
    const text =
      PODS +
      cnp('deny', 5, `  - {name: d, action: Deny, to: ${to}}`) +
      cnp('names', 10, `  - {name: by-name, action: Accept, to: [{domainNames: [example.com]}]}`);
    expect(domainLines(build(text)).filter((l) => l.startsWith('a/'))).toEqual(
      decides ? [] : ['a/web[Pod] => dns:example.com : All Connections'],
    );
  });

  it('lets NetworkPolicy egress reach a domain only through ipBlocks that admit every address', () => {
    const policy = (cidr: string, except = '[]') => `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress, namespace: a}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress: [{to: [{ipBlock: {cidr: ${cidr}, except: ${except}}}]}]
`;
    // Baseline tier: what NetworkPolicy leaves alone is accepted for the name, nothing else.
    const names = cnp(
      'names',
      10,
      `  - {name: by-name, action: Accept, to: [{domainNames: [example.com]}]}`,
      'Baseline',
    );
    const reach = (np: string) => domainLines(build(PODS + names + np)).filter((l) => l.startsWith('a/'));
    expect(reach(policy('0.0.0.0/0'))).toEqual(['a/web[Pod] => dns:example.com : All Connections']);
    expect(reach(policy('0.0.0.0/0', '[10.0.0.0/8]'))).toEqual([]);
    expect(reach(policy('192.0.2.0/24'))).toEqual([]);
    // Without NetworkPolicy the Baseline Accept decides.
    expect(reach('')).toEqual(['a/web[Pod] => dns:example.com : All Connections']);
  });

  it('never matches a domain peer by pod or node', () => {
    const peer = { ipv4: undefined, domains: [] };
    expect(
      peerMatchesExternal(peer, {
        type: 'external',
        id: 'dns:x.io',
        first: 0,
        last: 0xffffffff,
        domain: 'x.io',
      }),
    ).toBe(false);
  });

  it('explains a connection to any name, matched against the patterns', () => {
    const cluster = build(PODS + ALLOWLIST);
    const dst = findPeer(cluster, 'dns:docs.kubernetes.io');
    expect(dst?.id).toBe('dns:docs.kubernetes.io');
    const web = findPeer(cluster, 'a/web')!;
    const allowed = explainConnection(cluster, web, dst!, { protocol: 'TCP', port: 443 });
    expect(allowed.verdict).toBe('allowed');
    expect(allowed.egress.tiers?.decisions.map((d) => `${d.policy} ${d.action}`)).toEqual([
      'ClusterNetworkPolicy/allow-names Accept',
    ]);
    expect(allowed.notes.join('\n')).toContain('only the dataplane learns');
    expect(explainConnection(cluster, web, dst!, { protocol: 'TCP', port: 80 }).verdict).toBe('denied');
    expect(findPeer(cluster, 'dns:not a name')).toBeUndefined();
  });

  it('reports the new peer to every workload when a rule names a new domain', () => {
    // The same pod objects on both sides, as an editor's incremental parse keeps them.
    const pods = parseManifests([{ path: 'pods.yaml', text: PODS }]).objects;
    const policies = (text: string) => parseManifests([{ path: 'policies.yaml', text }]).objects;
    const before = buildCluster([...pods, ...policies(ALLOWLIST)]);
    const edited = ALLOWLIST.replace('kubernetes.io]', 'kubernetes.io, k8s.dev]');
    const after = buildCluster([...pods, ...policies(edited)], {}, before);
    const delta = connectionDelta(analyze(before), analyze(after));
    expect(delta?.upserted.map((c) => `${c.src.id} => ${c.dst.id}`).sort()).toEqual([
      'a/web[Pod] => dns:k8s.dev',
      'b/cli[Pod] => dns:k8s.dev',
    ]);
  });
});
