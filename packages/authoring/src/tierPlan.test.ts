import { parseManifests, type SourceFile } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import { planClusterDeny } from './clusterDeny.ts';
import { protocolsFor } from './clusterPolicyWrite.ts';
import { applyFileEdits } from './compiled.ts';
import { allowed, expectOk } from './fixtures.test-helper.ts';
import { plan } from './plan.ts';
import type { EdgeIntent, PlanOk } from './types.ts';
import { readDocument } from './yamlEdit.ts';
import { splitStream } from './yamlText.ts';

const CLIENT = 'a/client[Deployment]';
const SERVER = 'b/server[Deployment]';
const OTHER = 'b/other[Deployment]';

function deployment(namespace: string, name: string, labels: string, port?: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  template:
    metadata:
      labels: ${labels}
    spec:
      containers: [{name: c${port ? `, ports: [{name: http, containerPort: ${port}}]` : ''}}]
`;
}

const WORKLOADS: SourceFile = {
  path: 'workloads.yaml',
  text: [
    deployment('a', 'client', '{app: client}'),
    deployment('b', 'server', '{app: server, tier: api}', 8080),
    deployment('b', 'other', '{app: other}', 9090),
  ].join('---\n'),
};

const DENY_INGRESS_B: SourceFile = {
  path: 'b/policies.yaml',
  text: `# everything into b is closed by default
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: b}
spec:
  podSelector: {}
  policyTypes: [Ingress]
`,
};

const DENY_EGRESS_A: SourceFile = {
  path: 'a/policies.yaml',
  text: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny-egress, namespace: a}
spec:
  podSelector: {}
  policyTypes: [Egress]
`,
};

/** A cluster policy whose subject is every pod of `subjectNs`, with one rule for every peer. */
function cnp(
  name: string,
  tier: string,
  priority: number,
  direction: 'ingress' | 'egress',
  action: string,
  subjectNs: string,
): string {
  const peers = direction === 'ingress' ? 'from' : 'to';
  return `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: ${name}}
spec:
  tier: ${tier}
  priority: ${priority}
  subject:
    namespaces: {matchLabels: {kubernetes.io/metadata.name: ${subjectNs}}}
  ${direction}:
    - action: ${action}
      ${peers}: [{namespaces: {}}]
`;
}

function cluster(...texts: string[]): SourceFile {
  return { path: 'cluster/platform.yaml', text: texts.join('---\n') };
}

/** The documents an edit appended: the new cluster policies, as plain data. */
interface NewPolicy {
  metadata: { name: string };
  spec: {
    tier: string;
    priority: number;
    subject: Record<string, unknown>;
    ingress?: Record<string, unknown>[];
    egress?: Record<string, unknown>[];
  };
}

function newPolicies(result: PlanOk): NewPolicy[] {
  const out: NewPolicy[] = [];
  for (const edit of result.edits) {
    const before = new Set(
      splitStream(edit.before ?? '')
        .filter((s) => s.type === 'document')
        .map((s) => s.text),
    );
    for (const segment of splitStream(edit.after)) {
      if (segment.type !== 'document' || before.has(segment.text)) continue;
      out.push(readDocument(segment.text) as NewPolicy);
    }
  }
  return out;
}

function expectCleanFiles(files: readonly SourceFile[]): void {
  const parsed = parseManifests(files);
  expect(parsed.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
}

const intent = (placement: EdgeIntent['placement'], extra: Partial<EdgeIntent> = {}): EdgeIntent => ({
  src: { kind: 'workload', id: CLIENT },
  dst: { kind: 'workload', id: SERVER },
  ports: [{ protocol: 'TCP', port: 8080 }],
  placement,
  ...extra,
});

describe('plan with placement admin', () => {
  it('writes one Admin Accept on the isolated ingress side, naming both ends exactly', () => {
    const files = [WORKLOADS, DENY_INGRESS_B];
    expect(allowed(files, CLIENT, SERVER)).toBe('No Connections');
    const result = expectOk(plan({ files, intent: intent('admin') }));
    const after = applyFileEdits(files, result.edits);
    expectCleanFiles(after);
    expect(allowed(after, CLIENT, SERVER)).toBe('TCP 8080');
    expect(result.sideEffects).toEqual([]);
    expect(result.removed).toEqual([]);
    expect(result.added.map((c) => `${c.src} -> ${c.dst}: ${c.ports}`)).toEqual([
      `${CLIENT} -> ${SERVER}: TCP 8080`,
    ]);
    expect(result.edits.map((e) => [e.path, e.before])).toEqual([['cluster-policies.yaml', undefined]]);
    const [policy, ...rest] = newPolicies(result);
    expect(rest).toEqual([]);
    expect(policy).toEqual({
      apiVersion: 'policy.networking.k8s.io/v1alpha2',
      kind: 'ClusterNetworkPolicy',
      metadata: { name: 'admin-accept-a-client-to-b-server' },
      spec: {
        tier: 'Admin',
        priority: 100,
        subject: {
          pods: {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'b' } },
            podSelector: { matchLabels: { app: 'server', tier: 'api' } },
          },
        },
        ingress: [
          {
            name: 'admin-accept-a-client-to-b-server',
            action: 'Accept',
            from: [
              {
                pods: {
                  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'a' } },
                  podSelector: { matchLabels: { app: 'client' } },
                },
              },
            ],
            protocols: [{ tcp: { destinationPort: { number: 8080 } } }],
          },
        ],
      },
    });
    expect(result.summary).toContain('Admin tier');
  });

  it('writes both sides when the source egress is isolated too, at two distinct free priorities', () => {
    const files = [WORKLOADS, DENY_INGRESS_B, DENY_EGRESS_A];
    const result = expectOk(plan({ files, intent: intent('admin') }));
    const after = applyFileEdits(files, result.edits);
    expect(allowed(after, CLIENT, SERVER)).toBe('TCP 8080');
    const policies = newPolicies(result);
    expect(policies.map((p) => [p.metadata.name, p.spec.priority, Object.keys(p.spec).at(-1)])).toEqual([
      ['admin-accept-a-client-to-b-server', 100, 'ingress'],
      ['admin-accept-a-client-to-b-server-egress', 110, 'egress'],
    ]);
    expect(policies[1]!.spec.subject).toEqual({
      pods: {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'a' } },
        podSelector: { matchLabels: { app: 'client' } },
      },
    });
    // Both documents go in one new file.
    expect(result.edits).toHaveLength(1);
  });

  it('is decided before the Admin Deny in the way, at a priority no policy uses', () => {
    const files = [
      WORKLOADS,
      cluster(
        cnp('deny-into-b', 'Admin', 50, 'ingress', 'Deny', 'b'),
        cnp('x', 'Admin', 40, 'egress', 'Accept', 'z'),
      ),
    ];
    expect(allowed(files, CLIENT, SERVER)).toBe('No Connections');
    const result = expectOk(plan({ files, intent: intent('admin') }));
    const [policy] = newPolicies(result);
    expect(policy!.spec.priority).toBe(30);
    expect(result.warnings.join(' ')).toContain('ClusterNetworkPolicy/deny-into-b (Deny, priority 50)');
    const after = applyFileEdits(files, result.edits);
    expect(allowed(after, CLIENT, SERVER)).toBe('TCP 8080');
    // Other sources stay denied: the Accept names only the client.
    expect(allowed(after, OTHER, SERVER)).toBe('No Connections');
    // The new policy goes into the file that holds the cluster policies already.
    expect(result.edits.map((e) => e.path)).toEqual(['cluster/platform.yaml']);
    expect(result.edits[0]!.after.startsWith(files[1]!.text)).toBe(true);
  });

  it('fails when the Deny in the way is at priority 0: nothing is earlier', () => {
    const files = [WORKLOADS, cluster(cnp('deny-into-b', 'Admin', 0, 'ingress', 'Deny', 'b'))];
    const result = plan({ files, intent: intent('admin') });
    expect(result).toMatchObject({ ok: false, reason: 'no-priority' });
  });

  it('beats an Admin Pass that hands the traffic to an isolating NetworkPolicy', () => {
    const files = [WORKLOADS, DENY_INGRESS_B, cluster(cnp('pass-b', 'Admin', 20, 'ingress', 'Pass', 'b'))];
    const result = expectOk(plan({ files, intent: intent('admin') }));
    expect(newPolicies(result)[0]!.spec.priority).toBe(10);
    expect(allowed(applyFileEdits(files, result.edits), CLIENT, SERVER)).toBe('TCP 8080');
  });

  it('writes a named port as destinationNamedPort, resolved on the destination by the evaluator', () => {
    const files = [WORKLOADS, DENY_INGRESS_B];
    const result = expectOk(
      plan({ files, intent: intent('admin', { ports: [{ protocol: 'TCP', port: 'http' }] }) }),
    );
    expect(newPolicies(result)[0]!.spec.ingress?.[0]?.protocols).toEqual([{ destinationNamedPort: 'http' }]);
    expect(allowed(applyFileEdits(files, result.edits), CLIENT, SERVER)).toBe('TCP 8080');
  });

  it('keeps clear of the priorities v1alpha1 AdminNetworkPolicies use in the same tier', () => {
    const anp = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: legacy}
spec:
  priority: 100
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: z}}}
  ingress:
    - action: Allow
      from: [{namespaces: {}}]
`;
    const files = [WORKLOADS, DENY_INGRESS_B, cluster(anp)];
    const result = expectOk(plan({ files, intent: intent('admin') }));
    expect(newPolicies(result)[0]!.spec.priority).toBe(110);
  });

  it.each([
    { cni: 'ovn-kubernetes' as const, job: 'admin' },
    { cni: 'ovn-kubernetes' as const, job: 'deny' },
  ])(
    'says a CNI profile that ignores ClusterNetworkPolicy would make the $job plan do nothing',
    ({ cni, job }) => {
      const files = [WORKLOADS, DENY_INGRESS_B];
      const result =
        job === 'admin'
          ? plan({ files, intent: intent('admin'), options: { cluster: { cni } } })
          : planClusterDeny(
              [WORKLOADS],
              { src: intent('admin').src, dst: intent('admin').dst },
              { cluster: { cni } },
            );
      expect(result).toMatchObject({ ok: false, reason: 'unsupported' });
      expect(!result.ok && result.message).toContain(
        'ovn-kubernetes CNI profile does not enforce ClusterNetworkPolicy',
      );
    },
  );

  it('is already allowed when both sides admit it', () => {
    expect(plan({ files: [WORKLOADS], intent: intent('admin') })).toMatchObject({
      ok: false,
      reason: 'already-allowed',
    });
  });

  it.each([
    { priority: 50, reason: 'no-priority', text: 'already used' },
    { priority: 60, reason: 'no-priority', text: 'decided after' },
    { priority: 7, reason: undefined, text: undefined },
  ])(
    'takes a chosen priority only when it is free and early enough ($priority)',
    ({ priority, reason, text }) => {
      const files = [WORKLOADS, cluster(cnp('deny-into-b', 'Admin', 50, 'ingress', 'Deny', 'b'))];
      const result = plan({ files, intent: intent('admin', { priority }) });
      if (reason === undefined) expect(newPolicies(expectOk(result))[0]!.spec.priority).toBe(priority);
      else {
        expect(result).toMatchObject({ ok: false, reason });
        expect(!result.ok && result.message).toContain(text);
      }
    },
  );

  it('names a namespace end by kubernetes.io/metadata.name and an address range as networks', () => {
    const files = [WORKLOADS, DENY_EGRESS_A];
    const result = expectOk(
      plan({
        files,
        intent: {
          src: { kind: 'namespace', name: 'a' },
          dst: { kind: 'cidr', cidr: '10.1.0.0/16' },
          ports: 'all',
          placement: 'admin',
        },
      }),
    );
    const [policy] = newPolicies(result);
    expect(policy!.spec.subject).toEqual({
      namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'a' } },
    });
    expect(policy!.spec.egress).toEqual([
      {
        name: 'admin-accept-ns-a-to-cidr-10-1-0-0-16',
        action: 'Accept',
        to: [{ networks: ['10.1.0.0/16'] }],
      },
    ]);
    expect(allowed(applyFileEdits(files, result.edits), CLIENT, '10.1.2.3')).toBe('All Connections');
  });

  it('refuses an address-range source: cluster policy ingress rules cannot name one', () => {
    const result = plan({
      files: [WORKLOADS, DENY_INGRESS_B],
      intent: {
        src: { kind: 'cidr', cidr: '10.1.0.0/16' },
        dst: { kind: 'workload', id: SERVER },
        ports: 'all',
        placement: 'admin',
      },
    });
    expect(result).toMatchObject({ ok: false, reason: 'invalid-input' });
  });
});

describe('plan with placement baseline', () => {
  it('is decided before the Baseline default-deny in the way', () => {
    const files = [WORKLOADS, cluster(cnp('default-deny-b', 'Baseline', 10, 'ingress', 'Deny', 'b'))];
    expect(allowed(files, CLIENT, SERVER)).toBe('No Connections');
    const result = expectOk(plan({ files, intent: intent('baseline') }));
    const [policy] = newPolicies(result);
    expect(policy!.spec.tier).toBe('Baseline');
    expect(policy!.spec.priority).toBe(0);
    expect(policy!.metadata.name).toBe('baseline-accept-a-client-to-b-server');
    const after = applyFileEdits(files, result.edits);
    expect(allowed(after, CLIENT, SERVER)).toBe('TCP 8080');
    expect(allowed(after, OTHER, SERVER)).toBe('No Connections');
    expect(result.warnings.join(' ')).toContain('default');
  });

  it('says a NetworkPolicy isolating the side decides first', () => {
    const result = plan({ files: [WORKLOADS, DENY_INGRESS_B], intent: intent('baseline') });
    expect(result).toMatchObject({ ok: false, reason: 'tier-overridden' });
    expect(!result.ok && result.message).toContain('b/default-deny');
  });

  it('passes over an Admin Pass, which hands the traffic down to the Baseline tier', () => {
    const files = [
      WORKLOADS,
      cluster(
        cnp('pass-b', 'Admin', 10, 'ingress', 'Pass', 'b'),
        cnp('default-deny-b', 'Baseline', 50, 'ingress', 'Deny', 'b'),
      ),
    ];
    expect(allowed(files, CLIENT, SERVER)).toBe('No Connections');
    const result = expectOk(plan({ files, intent: intent('baseline') }));
    expect(newPolicies(result)[0]!.spec).toMatchObject({ tier: 'Baseline', priority: 40 });
    expect(allowed(applyFileEdits(files, result.edits), CLIENT, SERVER)).toBe('TCP 8080');
  });

  it('says an Admin Deny decides first', () => {
    const files = [WORKLOADS, cluster(cnp('deny-into-b', 'Admin', 5, 'ingress', 'Deny', 'b'))];
    const result = plan({ files, intent: intent('baseline') });
    expect(result).toMatchObject({ ok: false, reason: 'tier-overridden' });
    expect(!result.ok && result.message).toContain('ClusterNetworkPolicy/deny-into-b');
  });
});

describe('planClusterDeny', () => {
  const denyIntent = {
    src: { kind: 'workload' as const, id: CLIENT },
    dst: { kind: 'workload' as const, id: SERVER },
    ports: [{ protocol: 'TCP' as const, port: 8080 }],
  };

  it('writes an Admin Deny decided before every Admin Accept admitting the traffic', () => {
    const accept = cnp('open-b', 'Admin', 30, 'ingress', 'Accept', 'b');
    const files = [WORKLOADS, DENY_INGRESS_B, cluster(accept)];
    expect(allowed(files, CLIENT, SERVER)).toBe('All Connections');
    const result = expectOk(planClusterDeny(files, denyIntent));
    const [policy] = newPolicies(result);
    expect(policy!.spec).toMatchObject({ tier: 'Admin', priority: 20 });
    expect(policy!.spec.ingress?.[0]).toMatchObject({
      action: 'Deny',
      protocols: [{ tcp: { destinationPort: { number: 8080 } } }],
    });
    const after = applyFileEdits(files, result.edits);
    expectCleanFiles(after);
    expect(allowed(after, CLIENT, SERVER)).not.toMatch(/TCP 8080|All Connections/);
    expect(allowed(after, OTHER, SERVER)).toBe('All Connections');
    expect(result.removed.map((c) => `${c.src} -> ${c.dst}: ${c.ports}`)).toEqual([
      `${CLIENT} -> ${SERVER}: TCP 8080`,
    ]);
    expect(result.sideEffects).toEqual([]);
    expect(result.warnings.join(' ')).toContain('ClusterNetworkPolicy/open-b (Accept, priority 30)');
  });

  it('reports the side effects of labels other pods share', () => {
    const canary: SourceFile = {
      path: 'canary.yaml',
      text: deployment('b', 'server-canary', '{app: server, tier: api, track: canary}', 8080),
    };
    const files = [WORKLOADS, canary];
    const result = expectOk(planClusterDeny(files, { ...denyIntent, ports: 'all' }));
    expect(result.sideEffects.map((c) => `${c.src} -> ${c.dst}`)).toContain(
      `${CLIENT} -> b/server-canary[Deployment]`,
    );
    expect(result.summary).toContain('side effects');
  });

  it('denies an address-range destination on the source egress, as networks', () => {
    const result = expectOk(
      planClusterDeny([WORKLOADS], {
        src: { kind: 'workload', id: CLIENT },
        dst: { kind: 'cidr', cidr: '192.0.2.0/24' },
      }),
    );
    const [policy] = newPolicies(result);
    expect(policy!.spec.egress).toEqual([
      {
        name: 'admin-deny-a-client-to-cidr-192-0-2-0-24',
        action: 'Deny',
        to: [{ networks: ['192.0.2.0/24'] }],
      },
    ]);
    expect(allowed(applyFileEdits([WORKLOADS], result.edits), CLIENT, '192.0.2.7')).toBe('No Connections');
  });

  it.each([
    { name: 'not allowed now', files: [WORKLOADS, DENY_INGRESS_B], reason: 'not-allowed' },
    {
      name: 'an Accept at priority 0 on the only writable side',
      files: [
        WORKLOADS,
        cluster(
          cnp('open-b', 'Admin', 0, 'ingress', 'Accept', 'b'),
          cnp('open-a', 'Admin', 0, 'egress', 'Accept', 'a'),
        ),
      ],
      reason: 'no-priority',
    },
  ])('fails when $name', ({ files, reason }) => {
    expect(planClusterDeny(files, denyIntent)).toMatchObject({ ok: false, reason });
  });

  it('falls back to the source egress when the ingress side cannot be beaten', () => {
    const files = [WORKLOADS, cluster(cnp('open-b', 'Admin', 0, 'ingress', 'Accept', 'b'))];
    const result = expectOk(planClusterDeny(files, denyIntent));
    const [policy] = newPolicies(result);
    expect(Object.keys(policy!.spec)).toContain('egress');
    expect(allowed(applyFileEdits(files, result.edits), CLIENT, SERVER)).not.toMatch(
      /TCP 8080|All Connections/,
    );
  });
});

describe('protocolsFor', () => {
  it.each([
    { ports: 'all' as const, want: undefined },
    { ports: [{ protocol: 'TCP' as const, port: 80 }], want: [{ tcp: { destinationPort: { number: 80 } } }] },
    {
      ports: [{ protocol: 'UDP' as const, port: 5000, endPort: 5010 }],
      want: [{ udp: { destinationPort: { range: { start: 5000, end: 5010 } } } }],
    },
    {
      ports: [{ protocol: 'SCTP' as const }],
      want: [{ sctp: { destinationPort: { range: { start: 1, end: 65535 } } } }],
    },
    { ports: [{ protocol: 'TCP' as const, port: 'http' }], want: [{ destinationNamedPort: 'http' }] },
    {
      ports: [{ protocol: 'TCP' as const, port: 443, endPort: 443 }],
      want: [{ tcp: { destinationPort: { number: 443 } } }],
    },
  ])('$ports', ({ ports, want }) => {
    expect(protocolsFor(ports)).toEqual(want);
  });
});
