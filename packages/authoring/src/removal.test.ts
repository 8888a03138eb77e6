import { parseManifests, type SourceFile } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import { applyFileEdits } from './compiled.ts';
import { allowed, demo, expectOk } from './fixtures.test-helper.ts';
import { plan } from './plan.ts';
import { planRemoval } from './removal.ts';
import type { PlanOk, RemovalIntent } from './types.ts';

const pairs = (changes: PlanOk['removed']) => changes.map((c) => `${c.src} -> ${c.dst}: ${c.ports}`).sort();

const WORKLOADS = `apiVersion: v1
kind: Namespace
metadata: {name: ops, labels: {team: ops}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: app}
spec: {template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c}]}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: app}
spec:
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: c
          ports: [{name: http, containerPort: 80}, {name: https, containerPort: 443}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: batch, namespace: app}
spec: {template: {metadata: {labels: {app: batch}}, spec: {containers: [{name: c}]}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: cron, namespace: app}
spec: {template: {metadata: {labels: {app: cron}}, spec: {containers: [{name: c}]}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: tool, namespace: ops}
spec: {template: {metadata: {labels: {app: tool}}, spec: {containers: [{name: c}]}}}
`;

const POLICIES = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api-ingress
  namespace: app
spec:
  podSelector:
    matchLabels:
      app: api
  policyTypes: [Ingress]
  ingress:
    # the storefront
    - from:
        - podSelector:
            matchLabels:
              app: web
      ports:
        - port: 80
        - port: 443
    - from:
        - podSelector:
            matchLabels:
              app: cron
        - podSelector:
            matchLabels:
              app: batch
      ports:
        - protocol: TCP
          port: 80
    - from:
        - namespaceSelector:
            matchLabels:
              team: ops
      ports:
        - protocol: TCP
          port: 8000
          endPort: 9000
---
# no policyTypes: Egress is in force only while an egress rule exists
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: legacy
  namespace: app
spec:
  podSelector:
    matchLabels:
      app: batch
  egress:
    - to:
        - ipBlock:
            cidr: 1.2.3.0/24
      ports:
        - port: 443
`;

const app: SourceFile[] = [
  { path: 'app/workloads.yaml', text: WORKLOADS },
  { path: 'app/policies.yaml', text: POLICIES },
];

/** ops gains a second workload, and tool may call any pod (so its egress side cannot be narrowed cheaply). */
const appWithMonitor: SourceFile[] = [
  ...app,
  {
    path: 'ops/more.yaml',
    text: `apiVersion: apps/v1
kind: Deployment
metadata: {name: monitor, namespace: ops}
spec: {template: {metadata: {labels: {app: monitor}}, spec: {containers: [{name: c}]}}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: tool-egress, namespace: ops}
spec:
  podSelector: {matchLabels: {app: tool}}
  policyTypes: [Egress]
  egress:
    - to: [{namespaceSelector: {}}]
`,
  },
];

const W = (ns: string, name: string) => ({ kind: 'workload', id: `${ns}/${name}[Deployment]` }) as const;

interface RemovalCase {
  name: string;
  files: readonly SourceFile[];
  intent: RemovalIntent;
  summary: string;
  removed: string[];
  sideEffects?: string[];
  /** What the pair still allows afterwards. */
  left: string;
  yaml?: string[];
  admittedBy?: string[];
}

const cases: RemovalCase[] = [
  {
    name: 'drop a port entry (the rule keeps its other port and its comment)',
    files: app,
    intent: { src: W('app', 'web'), dst: W('app', 'api'), ports: [{ protocol: 'TCP', port: 443 }] },
    summary: 'app/api-ingress: ingress rule 0 narrows its ports',
    removed: ['app/web[Deployment] -> app/api[Deployment]: TCP 443'],
    left: 'TCP 80',
    yaml: [
      '    # the storefront\n    - from:\n        - podSelector:\n            matchLabels:\n              app: web\n      ports:\n        - port: 80\n    - from:',
    ],
    admittedBy: ['app/api-ingress Ingress rule 0 peer 0 ports 1'],
  },
  {
    name: 'a named port is removed by its number',
    files: app,
    intent: { src: W('app', 'web'), dst: W('app', 'api'), ports: [{ protocol: 'TCP', port: 'https' }] },
    summary: 'app/api-ingress: ingress rule 0 narrows its ports',
    removed: ['app/web[Deployment] -> app/api[Deployment]: TCP 443'],
    left: 'TCP 80',
  },
  {
    name: 'drop a peer entry',
    files: app,
    intent: { src: W('app', 'cron'), dst: W('app', 'api') },
    summary: 'app/api-ingress: ingress rule 1 drops the matching peer(s)',
    removed: ['app/cron[Deployment] -> app/api[Deployment]: TCP 80'],
    left: 'No Connections',
    yaml: [
      '    - from:\n        - podSelector:\n            matchLabels:\n              app: batch\n      ports:\n        - protocol: TCP\n          port: 80\n',
    ],
  },
  {
    name: 'split a port range around the removed port',
    files: app,
    intent: { src: W('ops', 'tool'), dst: W('app', 'api'), ports: [{ protocol: 'TCP', port: 8080 }] },
    summary: 'app/api-ingress: ingress rule 2 narrows its ports',
    removed: ['ops/tool[Deployment] -> app/api[Deployment]: TCP 8080'],
    left: 'TCP 8000-8079,8081-9000',
    yaml: [
      '          port: 8000\n          endPort: 8079\n        - protocol: TCP\n          port: 8081\n          endPort: 9000\n',
    ],
  },
  {
    name: 'drop the last egress rule of a policy without policyTypes: Egress stays in force',
    files: app,
    intent: { src: W('app', 'batch'), dst: { kind: 'cidr', cidr: '1.2.3.0/24' } },
    summary: 'app/legacy: egress rule 0 is dropped',
    removed: ['app/batch[Deployment] -> 1.2.3.0-1.2.3.255[External]: TCP 443'],
    left: '',
    yaml: ['      app: batch\n  policyTypes:\n    - Ingress\n    - Egress\n  egress: []\n'],
  },
  {
    name: 'side effects: the only cut on a namespace peer also removes its other pods',
    files: appWithMonitor,
    intent: { src: W('ops', 'tool'), dst: W('app', 'api'), ports: [{ protocol: 'TCP', port: 8080 }] },
    summary: 'app/api-ingress: ingress rule 2 narrows its ports',
    removed: [
      'ops/monitor[Deployment] -> app/api[Deployment]: TCP 8080',
      'ops/tool[Deployment] -> app/api[Deployment]: TCP 8080',
    ],
    sideEffects: ['ops/monitor[Deployment] -> app/api[Deployment]: TCP 8080'],
    left: 'TCP 8000-8079,8081-9000',
  },
  {
    name: 'demo: drop the only ingress rule; the policy keeps isolating demo-db',
    files: demo,
    intent: { src: W('default', 'demo'), dst: { kind: 'workload', id: 'default/demo-db[StatefulSet]' } },
    summary: 'default/demo-db: ingress rule 0 is dropped',
    removed: ['default/demo[Deployment] -> default/demo-db[StatefulSet]: All Connections'],
    left: 'No Connections',
    yaml: ['    - Egress\n  ingress: []\n'],
    admittedBy: ['default/demo-db Ingress rule 0 peer 0 ports '],
  },
  {
    name: 'demo: drop one of two peers of an egress rule',
    files: demo,
    intent: { src: W('store', 'store-api'), dst: W('downstream-2', 'downstream-2') },
    summary: 'store/store-api: egress rule 0 drops the matching peer(s)',
    removed: ['store/store-api[Deployment] -> downstream-2/downstream-2[Deployment]: TCP 8080'],
    left: 'No Connections',
    admittedBy: ['store/store-api Egress rule 0 peer 1 ports 0'],
  },
  {
    name: 'demo: a destination nothing isolates gets a default-deny with explicit allows for everyone else',
    files: demo,
    intent: { src: W('frontend', 'frontend'), dst: W('downstream-2', 'downstream-2') },
    summary: 'new policy',
    removed: ['frontend/frontend[Deployment] -> downstream-2/downstream-2[Deployment]: All Connections'],
    left: 'No Connections',
    yaml: ['operator: NotIn', 'cidr: 0.0.0.0/0', 'cidr: "::/0"'],
    admittedBy: [],
  },
  {
    name: 'demo: the same for one port keeps the other ports of the pair',
    files: demo,
    intent: {
      src: W('frontend', 'frontend'),
      dst: W('downstream-2', 'downstream-2'),
      ports: [{ protocol: 'TCP', port: 8080 }],
    },
    summary: 'new policy',
    removed: ['frontend/frontend[Deployment] -> downstream-2/downstream-2[Deployment]: TCP 8080'],
    left: 'SCTP 1-65535,TCP 1-8079,8081-65535,UDP 1-65535',
  },
];

describe('planRemoval', () => {
  it.each(cases)('$name', (c) => {
    const result = expectOk(planRemoval(c.files, c.intent));
    expect(result.summary).toContain(c.summary);
    expect(pairs(result.removed)).toEqual([...c.removed].sort());
    expect(pairs(result.sideEffects)).toEqual([...(c.sideEffects ?? [])].sort());
    expect(result.added).toEqual([]);
    const yaml = result.edits.map((e) => e.after).join('\n');
    for (const s of c.yaml ?? []) expect(yaml).toContain(s);
    if (c.admittedBy) {
      expect(
        result.admittedBy.map(
          (r) => `${r.policy} ${r.direction} rule ${r.rule} peer ${r.peer} ports ${r.ports.join(',')}`,
        ),
      ).toEqual(c.admittedBy);
    }
    // Verified independently: the evaluator on the edited files.
    const after = applyFileEdits(c.files, result.edits);
    const src = c.intent.src.kind === 'workload' ? c.intent.src.id : '';
    const dst = c.intent.dst.kind === 'workload' ? c.intent.dst.id : '';
    if (src && dst) expect(allowed(after, src, dst)).toBe(c.left);
    const parsed = parseManifests(after);
    expect(parsed.diagnostics.filter((d) => d.severity === 'error' || d.code === 'yaml11-reading')).toEqual(
      [],
    );
  });

  it('undoes an allow exactly: allow a CIDR into demo-db, then remove it, and the file is as it was', () => {
    const edge = {
      src: { kind: 'cidr', cidr: '10.0.0.0/8' },
      dst: { kind: 'workload', id: 'default/demo-db[StatefulSet]' },
    } as const;
    const allow = expectOk(
      plan({ files: demo, intent: { ...edge, ports: [{ protocol: 'TCP', port: 5432 }] } }),
    );
    const withEdge = applyFileEdits(demo, allow.edits);
    const removal = expectOk(planRemoval(withEdge, edge));
    expect(removal.summary).toContain('default/demo-db: ingress rule 1 is dropped');
    expect(pairs(removal.removed)).toEqual([
      '10.0.0.0-10.255.255.255[External] -> default/demo-db[StatefulSet]: TCP 5432',
    ]);
    expect(applyFileEdits(withEdge, removal.edits)).toEqual(demo);
  });

  it.each<[string, string, SourceFile[], RemovalIntent]>([
    [
      'traffic that is not allowed',
      'not-allowed',
      demo,
      { src: W('default', 'demo'), dst: W('store', 'store-api') },
    ],
    ['a pod to itself', 'cannot-remove', demo, { src: W('default', 'demo'), dst: W('default', 'demo') }],
    ['an unknown workload', 'unknown-peer', demo, { src: W('default', 'nope'), dst: W('default', 'demo') }],
    [
      'a named port the destination lacks',
      'unknown-port',
      app,
      { src: W('app', 'web'), dst: W('app', 'api'), ports: [{ protocol: 'TCP', port: 'grpc' }] },
    ],
    [
      'addresses to addresses',
      'invalid-input',
      demo,
      { src: { kind: 'cidr', cidr: '1.0.0.0/8' }, dst: { kind: 'cidr', cidr: '2.0.0.0/8' } },
    ],
  ])('%s -> %s', (_name, reason, files, intent) => {
    const result = planRemoval(files, intent);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toBe(reason);
  });
});
