// Semantics tables for cluster-wide tiers (ClusterNetworkPolicy v1alpha2, AdminNetworkPolicy /
// BaselineAdminNetworkPolicy v1alpha1): per side of a connection, Admin tier by priority and
// rule order, then NetworkPolicy, then Baseline, then allow; both sides must allow.

import { parseManifests } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import {
  analyze,
  buildCluster,
  type Cluster,
  type ClusterOptions,
  formatConnectionSet,
  isFatalUnder,
} from './index.ts';

/**
 * a/web (team=a; ports http 8080/TCP, dns 53/UDP, 10.0.0.1), a/db (10.0.0.2), b/cli (team=b,
 * 10.0.1.1), b/host (host network, node address 192.168.0.10), node n1 (role=infra,
 * 192.168.0.10) and node n2 (role=worker, 192.168.0.20).
 */
const BASE = `
apiVersion: v1
kind: Namespace
metadata: {name: a, labels: {team: a}}
---
apiVersion: v1
kind: Namespace
metadata: {name: b, labels: {team: b}}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: a, labels: {app: web}}
spec: {containers: [{name: c, ports: [{containerPort: 8080, name: http}, {containerPort: 53, name: dns, protocol: UDP}]}]}
status: {phase: Running, podIP: 10.0.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: a, labels: {app: db}}
spec: {containers: [{name: c, ports: [{containerPort: 5432, name: http}]}]}
status: {phase: Running, podIP: 10.0.0.2}
---
apiVersion: v1
kind: Pod
metadata: {name: cli, namespace: b, labels: {app: cli}}
spec: {containers: [{name: c}]}
status: {phase: Running, podIP: 10.0.1.1}
---
apiVersion: v1
kind: Pod
metadata: {name: host, namespace: b, labels: {app: host}}
spec: {hostNetwork: true, containers: [{name: c}]}
status: {phase: Running, podIP: 192.168.0.10}
---
apiVersion: v1
kind: Node
metadata: {name: n1, labels: {role: infra}}
status: {addresses: [{type: InternalIP, address: 192.168.0.10}]}
---
apiVersion: v1
kind: Node
metadata: {name: n2, labels: {role: worker}}
status: {addresses: [{type: InternalIP, address: 192.168.0.20}]}
`;

const WEB = 'a/web[Pod]';
const DB = 'a/db[Pod]';
const CLI = 'b/cli[Pod]';
const HOST = 'b/host[Pod]';

function clusterOf(yaml: string, options?: ClusterOptions): Cluster {
  const parsed = parseManifests([{ path: 'p.yaml', text: `${BASE}---\n${yaml}` }]);
  expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return buildCluster(parsed.objects, options);
}

/** Connections from `src` to `dst` (workload ids, or an IPv4 address as destination). */
function conn(cluster: Cluster, src: string, dst: string): string {
  const analysis = analyze(cluster);
  const index = (id: string) => cluster.workloads.findIndex((w) => w.id === id);
  if (/^\d/.test(dst)) {
    const [a, b, c, d] = dst.split('.').map(Number) as [number, number, number, number];
    const address = ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
    const e = analysis.egressExternals.findIndex((x) => x.first <= address && address <= x.last);
    return formatConnectionSet(analysis.toExternal(index(src), e));
  }
  return formatConnectionSet(analysis.between(index(src), index(dst)));
}

/** A v1alpha2 ClusterNetworkPolicy. */
function cnp(name: string, tier: string, priority: number, subject: string, rules: string): string {
  return `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: ${name}}
spec:
  tier: ${tier}
  priority: ${priority}
  subject: ${subject}
${rules}
---
`;
}

const ALL_NS = '{namespaces: {}}';
const NS_A = '{namespaces: {matchLabels: {team: a}}}';
const NS_B = '{namespaces: {matchLabels: {team: b}}}';

/** A NetworkPolicy in `a` selecting every pod for ingress, admitting only app=db. */
const NP_A_INGRESS_FROM_DB = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: only-db, namespace: a}
spec:
  podSelector: {}
  ingress: [{from: [{podSelector: {matchLabels: {app: db}}}]}]
---
`;
const NP_B_EGRESS_NONE = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-egress, namespace: b}
spec:
  podSelector: {}
  policyTypes: [Egress]
---
`;

describe('every action × tier × side', () => {
  // cli (b) -> web (a). The policy sits on the egress side (subject b, peer a) or on the ingress
  // side (subject a, peer b). NetworkPolicies: ingress of a admits only db; egress of b allows nothing.
  const egressRule = (action: string) => `  egress: [{action: ${action}, to: [${NS_A}]}]`;
  const ingressRule = (action: string) => `  ingress: [{action: ${action}, from: [${NS_B}]}]`;
  const table: [
    tier: string,
    action: string,
    side: 'egress' | 'ingress',
    np: 'none' | 'isolating',
    expected: string,
  ][] = [
    ['Admin', 'Accept', 'egress', 'none', 'All Connections'],
    ['Admin', 'Deny', 'egress', 'none', 'No Connections'],
    ['Admin', 'Pass', 'egress', 'none', 'All Connections'],
    ['Admin', 'Accept', 'egress', 'isolating', 'All Connections'], // Accept beats the egress NP
    ['Admin', 'Deny', 'egress', 'isolating', 'No Connections'],
    ['Admin', 'Pass', 'egress', 'isolating', 'No Connections'], // NP decides: nothing allowed
    ['Admin', 'Accept', 'ingress', 'none', 'All Connections'],
    ['Admin', 'Deny', 'ingress', 'none', 'No Connections'],
    ['Admin', 'Pass', 'ingress', 'none', 'All Connections'],
    ['Admin', 'Accept', 'ingress', 'isolating', 'All Connections'],
    ['Admin', 'Deny', 'ingress', 'isolating', 'No Connections'],
    ['Admin', 'Pass', 'ingress', 'isolating', 'No Connections'],
    ['Baseline', 'Accept', 'egress', 'none', 'All Connections'],
    ['Baseline', 'Deny', 'egress', 'none', 'No Connections'],
    ['Baseline', 'Pass', 'egress', 'none', 'All Connections'], // Pass in Baseline: default allow
    ['Baseline', 'Accept', 'egress', 'isolating', 'No Connections'], // NP overrides Baseline
    ['Baseline', 'Deny', 'egress', 'isolating', 'No Connections'],
    ['Baseline', 'Accept', 'ingress', 'none', 'All Connections'],
    ['Baseline', 'Deny', 'ingress', 'none', 'No Connections'],
    ['Baseline', 'Pass', 'ingress', 'none', 'All Connections'],
    ['Baseline', 'Accept', 'ingress', 'isolating', 'No Connections'],
    ['Baseline', 'Deny', 'ingress', 'isolating', 'No Connections'],
  ];
  it.each(table)('%s %s on the %s side, NetworkPolicy %s: %s', (tier, action, side, np, expected) => {
    const policy =
      side === 'egress'
        ? cnp('p', tier, 10, NS_B, egressRule(action))
        : cnp('p', tier, 10, NS_A, ingressRule(action));
    const nps = np === 'none' ? '' : side === 'egress' ? NP_B_EGRESS_NONE : NP_A_INGRESS_FROM_DB;
    expect(conn(clusterOf(policy + nps), CLI, WEB)).toBe(expected);
  });

  it('needs both sides: an Admin Accept on egress does not open an ingress the other side denies', () => {
    const yaml =
      cnp('out', 'Admin', 1, NS_B, egressRule('Accept')) + cnp('in', 'Admin', 2, NS_A, ingressRule('Deny'));
    expect(conn(clusterOf(yaml), CLI, WEB)).toBe('No Connections');
  });

  it('reads v1alpha1 Allow as Accept and the BANP singleton as the Baseline tier', () => {
    const yaml = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: allow-cli}
spec:
  priority: 5
  subject: ${NS_A}
  ingress: [{action: Allow, from: [${NS_B}], ports: [{portNumber: {port: 8080}}]}]
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject: ${ALL_NS}
  ingress: [{action: Deny, from: [${ALL_NS}]}]
---
`;
    const cluster = clusterOf(yaml);
    expect(conn(cluster, CLI, WEB)).toBe('TCP 8080');
    expect(conn(cluster, DB, WEB)).toBe('No Connections');
  });
});

describe('priorities, rule order and Pass chains', () => {
  it('applies the lower priority number first and rules in written order', () => {
    const yaml =
      cnp('deny', 'Admin', 20, NS_A, `  ingress: [{action: Deny, from: [${NS_B}]}]`) +
      cnp(
        'allow',
        'Admin',
        10,
        NS_A,
        `  ingress:
  - {action: Accept, from: [${NS_B}], protocols: [{tcp: {destinationPort: {number: 8080}}}]}
  - {action: Deny, from: [${NS_B}], protocols: [{tcp: {destinationPort: {range: {start: 1, end: 9000}}}}]}`,
      );
    expect(conn(clusterOf(yaml), CLI, WEB)).toBe('TCP 8080');
  });

  it('Pass skips the rest of the Admin tier, reaches NetworkPolicy, and past it the Baseline tier', () => {
    const pass = cnp(
      'pass',
      'Admin',
      1,
      NS_A,
      `  ingress: [{action: Pass, from: [${NS_B}], protocols: [{tcp: {destinationPort: {number: 8080}}}]}]`,
    );
    const deny = cnp('deny', 'Admin', 2, NS_A, `  ingress: [{action: Deny, from: [${NS_B}]}]`);
    const baseline = cnp(
      'base',
      'Baseline',
      1,
      NS_A,
      `  ingress: [{action: Deny, from: [${NS_B}], protocols: [{tcp: {destinationPort: {number: 8080}}}]}]`,
    );
    // Passed TCP 8080 is not denied by the lower Admin rule; no NP: the Baseline Deny decides it.
    expect(conn(clusterOf(pass + deny), CLI, WEB)).toBe('TCP 8080');
    expect(conn(clusterOf(pass + deny + baseline), CLI, WEB)).toBe('No Connections');
    // With an isolating NP (admits only db), the NP decides the passed traffic: denied.
    expect(conn(clusterOf(pass + deny + NP_A_INGRESS_FROM_DB), CLI, WEB)).toBe('No Connections');
    // db -> web: nothing matches in the Admin tier for team a peers... db is in a, not b: NP admits db.
    expect(conn(clusterOf(pass + deny + NP_A_INGRESS_FROM_DB), DB, WEB)).toBe('All Connections');
  });

  it('decides per port: each part of the connection set by the rule that matched it first', () => {
    const yaml = cnp(
      'mixed',
      'Admin',
      1,
      NS_A,
      `  ingress:
  - {action: Deny, from: [${NS_B}], protocols: [{udp: {destinationPort: {range: {start: 1, end: 65535}}}}]}
  - {action: Pass, from: [${NS_B}], protocols: [{tcp: {destinationPort: {range: {start: 8000, end: 8999}}}}]}
  - {action: Accept, from: [${NS_B}]}`,
    );
    // UDP denied, TCP 8000-8999 passed to the NP (admits db only: denied), the rest accepted.
    expect(conn(clusterOf(yaml + NP_A_INGRESS_FROM_DB), CLI, WEB)).toBe('SCTP 1-65535,TCP 1-7999,9000-65535');
  });

  it('flags equal priorities whose overlapping rules disagree, and orders them by id', () => {
    const yaml =
      cnp('b-deny', 'Admin', 5, NS_A, `  ingress: [{action: Deny, from: [${NS_B}]}]`) +
      cnp('a-accept', 'Admin', 5, NS_A, `  ingress: [{action: Accept, from: [${NS_B}]}]`);
    const cluster = clusterOf(yaml);
    expect(cluster.diagnostics.filter((d) => d.code.startsWith('cluster-policy'))).toMatchObject([
      { code: 'cluster-policy-priority-tie', severity: 'warning', field: 'spec.priority' },
    ]);
    expect(cluster.priorityTies.get('ClusterNetworkPolicy/a-accept')).toEqual([
      'ClusterNetworkPolicy/b-deny',
    ]);
    expect(conn(cluster, CLI, WEB)).toBe('All Connections');
  });

  it('does not flag equal priorities that agree or do not overlap', () => {
    const agree =
      cnp('px', 'Admin', 5, NS_A, `  ingress: [{action: Deny, from: [${NS_B}]}]`) +
      cnp('py', 'Admin', 5, NS_A, `  ingress: [{action: Deny, from: [${ALL_NS}]}]`);
    const disjointPorts =
      cnp(
        'px',
        'Admin',
        5,
        NS_A,
        `  ingress: [{action: Deny, from: [${NS_B}], protocols: [{udp: {destinationPort: {range: {start: 1, end: 65535}}}}]}]`,
      ) +
      cnp(
        'py',
        'Admin',
        5,
        NS_A,
        `  ingress: [{action: Accept, from: [${NS_B}], protocols: [{tcp: {destinationPort: {range: {start: 1, end: 65535}}}}]}]`,
      );
    expect(clusterOf(agree).diagnostics.filter((d) => d.code === 'cluster-policy-priority-tie')).toEqual([]);
    expect(
      clusterOf(disjointPorts).diagnostics.filter((d) => d.code === 'cluster-policy-priority-tie'),
    ).toEqual([]);
  });
});

describe('peers', () => {
  const egressTo = (peer: string, action = 'Deny') =>
    cnp('p', 'Admin', 1, NS_B, `  egress: [{action: ${action}, to: [${peer}]}]`);
  const table: [name: string, peer: string, dst: string, expected: string][] = [
    ['namespaces selects pods of matching namespaces', NS_A, WEB, 'No Connections'],
    [
      'namespaces leaves other namespaces alone',
      '{namespaces: {matchLabels: {team: c}}}',
      WEB,
      'All Connections',
    ],
    [
      'pods: namespace AND pod selector',
      '{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: db}}}}',
      DB,
      'No Connections',
    ],
    [
      'pods: a pod the selector misses',
      '{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: db}}}}',
      WEB,
      'All Connections',
    ],
    ['networks match external addresses', '{networks: [8.8.8.0/24]}', '8.8.8.8', 'No Connections'],
    ['networks also match pod IPs', '{networks: [10.0.0.0/24]}', WEB, 'No Connections'],
    ['networks outside', '{networks: [10.9.0.0/16]}', WEB, 'All Connections'],
    [
      'nodes match the addresses of matching Node objects',
      '{nodes: {matchLabels: {role: worker}}}',
      '192.168.0.20',
      'No Connections',
    ],
    [
      'nodes leave other nodes alone',
      '{nodes: {matchLabels: {role: worker}}}',
      '192.168.0.10',
      'All Connections',
    ],
  ];
  it.each(table)('%s', (_name, peer, dst, expected) => {
    expect(conn(clusterOf(egressTo(peer)), CLI, dst)).toBe(expected);
  });

  it('never selects host-network pods, as subject or as pod peer', () => {
    const subject = cnp('s', 'Admin', 1, ALL_NS, `  egress: [{action: Deny, to: [${ALL_NS}]}]`);
    expect(conn(clusterOf(subject), HOST, WEB)).toBe('All Connections');
    expect(conn(clusterOf(subject), CLI, WEB)).toBe('No Connections');
    const peer = cnp('p', 'Admin', 1, NS_A, `  egress: [{action: Deny, to: [${ALL_NS}]}]`);
    expect(conn(clusterOf(peer), WEB, HOST)).toBe('All Connections');
    expect(conn(clusterOf(peer), WEB, CLI)).toBe('No Connections');
  });

  it('fails closed on a peer with no known field (a newer CRD accepted it): Deny matches everything, Accept nothing', () => {
    // Our CRD refuses an empty peer; a newer one may hold a field this model does not know.
    const newerCrd = (yaml: string) => {
      const parsed = parseManifests([{ path: 'p.yaml', text: `${BASE}---\n${yaml}` }]);
      return buildCluster(
        parsed.objects.map((o) => (o.kind === 'ClusterNetworkPolicy' ? { ...o, valid: true } : o)),
      );
    };
    const deny = newerCrd(cnp('p', 'Admin', 1, NS_B, '  egress: [{action: Deny, to: [{}]}]'));
    expect(conn(deny, CLI, WEB)).toBe('No Connections');
    expect(conn(deny, CLI, '8.8.8.8')).toBe('No Connections');
    const accept = newerCrd(
      cnp('p', 'Admin', 1, NS_B, '  egress: [{action: Accept, to: [{}]}]') + NP_B_EGRESS_NONE,
    );
    expect(conn(accept, CLI, WEB)).toBe('No Connections');
  });
});

describe('ports', () => {
  const ingress = (protocols: string) =>
    cnp('p', 'Admin', 1, NS_A, `  ingress: [{action: Accept, from: [${NS_B}], protocols: ${protocols}}]`) +
    NP_A_INGRESS_FROM_DB;
  const table: [name: string, protocols: string, dst: string, expected: string][] = [
    ['a number', '[{tcp: {destinationPort: {number: 8080}}}]', WEB, 'TCP 8080'],
    ['a range', '[{udp: {destinationPort: {range: {start: 50, end: 60}}}}]', WEB, 'UDP 50-60'],
    ['a whole protocol', '[{sctp: {destinationPort: {range: {start: 1, end: 65535}}}}]', WEB, 'SCTP 1-65535'],
    [
      'a named port resolves on the destination, with its own protocol',
      '[{destinationNamedPort: dns}]',
      WEB,
      'UDP 53',
    ],
    ['a named port resolves per destination', '[{destinationNamedPort: http}]', DB, 'TCP 5432'],
    ['an unresolvable named port matches nothing', '[{destinationNamedPort: nope}]', WEB, 'No Connections'],
  ];
  it.each(table)('%s', (_name, protocols, dst, expected) => {
    expect(conn(clusterOf(ingress(protocols)), CLI, dst)).toBe(expected);
  });

  it('reads v1alpha1 portNumber, portRange and namedPort alike', () => {
    const yaml = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: p}
spec:
  priority: 1
  subject: ${NS_A}
  ingress:
  - action: Allow
    from: [${NS_B}]
    ports: [{portNumber: {protocol: UDP, port: 7}}, {portRange: {start: 100, end: 200}}, {namedPort: http}]
---
${NP_A_INGRESS_FROM_DB}`;
    expect(conn(clusterOf(yaml), CLI, WEB)).toBe('TCP 100-200,8080,UDP 7');
  });
});

describe('CNI profiles', () => {
  const anp = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: deny}
spec:
  priority: 1
  subject: ${NS_A}
  ingress: [{action: Deny, from: [${NS_B}]}]
---
`;
  const v2 = cnp('deny', 'Admin', 1, NS_A, `  ingress: [{action: Deny, from: [${NS_B}]}]`);
  const table: [cni: ClusterOptions['cni'], anp: string, cnp: string][] = [
    ['upstream', 'No Connections', 'No Connections'],
    ['calico', 'All Connections', 'No Connections'],
    ['cilium', 'All Connections', 'No Connections'],
    ['antrea', 'All Connections', 'No Connections'],
    ['ovn-kubernetes', 'No Connections', 'All Connections'],
    ['flannel', 'All Connections', 'All Connections'],
    ['kubenet', 'All Connections', 'All Connections'],
  ];
  it.each(table)('%s: ANP %s, CNP %s', (cni, anpExpected, cnpExpected) => {
    const withAnp = clusterOf(anp, { cni });
    expect(conn(withAnp, CLI, WEB)).toBe(anpExpected);
    expect(withAnp.diagnostics.some((d) => d.code === 'cluster-policy-not-enforced')).toBe(
      anpExpected !== 'No Connections',
    );
    expect(conn(clusterOf(v2, { cni }), CLI, WEB)).toBe(cnpExpected);
  });

  it('warns that Cilium needs its feature flag for ClusterNetworkPolicy', () => {
    const codes = clusterOf(v2, { cni: 'cilium' }).diagnostics.map((d) => d.code);
    expect(codes).toContain('cluster-policy-feature-flag');
  });
});

describe('--compat netpol-analyzer', () => {
  const lenient = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: lenient}
spec:
  priority: 1
  subject: ${NS_A}
  ingress: [{action: Deny, from: [{pods: {namespaceSelector: {matchLabels: {team: b}}}}]}]
`;
  const build = (options: ClusterOptions) => {
    const parsed = parseManifests([{ path: 'p.yaml', text: `${BASE}---\n${lenient}` }]);
    return { parsed, cluster: buildCluster(parsed.objects, options) };
  };

  it('upstream: a pods peer without podSelector is refused by the CRD, so the policy is not in force', () => {
    const { parsed, cluster } = build({});
    expect(parsed.diagnostics.filter((d) => isFatalUnder({})(d)).map((d) => d.field)).toEqual([
      'spec.ingress[0].from[0].pods.podSelector',
    ]);
    expect(conn(cluster, CLI, WEB)).toBe('All Connections');
  });

  it('compat: read as an empty podSelector, as netpol-analyzer does, and not fatal', () => {
    const { parsed, cluster } = build({ compat: 'netpol-analyzer' });
    expect(parsed.diagnostics.filter(isFatalUnder({ compat: 'netpol-analyzer' }))).toEqual([]);
    expect(conn(cluster, CLI, WEB)).toBe('No Connections');
  });
});
