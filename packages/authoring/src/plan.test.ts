import { parseManifests, type SourceFile, validateNetworkPolicy } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import { applyFileEdits } from './compiled.ts';
import { allowed, demo, expectOk } from './fixtures.test-helper.ts';
import { plan } from './plan.ts';
import type { EdgeIntent, PlanOk } from './types.ts';
import { readDocument } from './yamlEdit.ts';
import { splitStream } from './yamlText.ts';

const DEMO = 'default/demo[Deployment]';
const DEMO_DB = 'default/demo-db[StatefulSet]';
const STORE_API = 'store/store-api[Deployment]';
const FRONTEND = 'frontend/frontend[Deployment]';

const pairs = (changes: PlanOk['added']) => changes.map((c) => `${c.src} -> ${c.dst}: ${c.ports}`).sort();

/** Every document of every edited file, checked the way `netpol validate` would. */
function expectValidEdits(result: PlanOk): void {
  const after = result.edits.map((e) => ({ path: e.path, text: e.after }));
  const parsed = parseManifests(after);
  expect(parsed.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  for (const object of parsed.objects) {
    if (object.kind !== 'NetworkPolicy') continue;
    expect(validateNetworkPolicy(object.raw, object.source.locate, object.source.file)).toEqual([]);
  }
}

const WORKLOADS = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata:
      labels: {app: web, pod-template-hash: 7d4b9c, enabled: "yes", mode: "on", code: "010"}
    spec:
      containers:
        - name: web
          ports: [{name: http, containerPort: 8080}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web-canary, namespace: shop}
spec:
  template:
    metadata:
      labels: {app: web, enabled: "yes", mode: "on", code: "010"}
    spec:
      containers: [{name: web}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  template:
    metadata:
      labels: {app: db, controller-revision-hash: db-5f7, statefulset.kubernetes.io/pod-name: db-0}
    spec:
      containers:
        - name: pg
          ports: [{name: pg, containerPort: 5432}, {name: metrics, containerPort: 9187}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: migrate, namespace: ops}
spec:
  template:
    metadata:
      labels: {job-name: migrate, controller-uid: abc, batch.kubernetes.io/job-name: migrate}
    spec:
      containers: [{name: m}]
---
apiVersion: v1
kind: Pod
metadata: {name: tool, namespace: ops, labels: {app: tool}}
spec:
  containers: [{name: t}]
`;

/** `db` is isolated both ways, `web` is isolated for egress and allowed DNS only. */
const POLICIES = `# db accepts nothing yet
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: db
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: db
  policyTypes: [Ingress, Egress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-egress
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: web}
  policyTypes: [Egress]
  egress:
    - ports:
        - {protocol: UDP, port: 53}
`;

const shop: SourceFile[] = [
  { path: 'shop/workloads.yaml', text: WORKLOADS },
  { path: 'shop/policies.yaml', text: POLICIES },
];

interface AllowCase {
  name: string;
  files: readonly SourceFile[];
  intent: EdgeIntent;
  /** Exactly the connections the plan must add. */
  added: string[];
  sideEffects?: string[];
  /** Substrings the edited YAML must contain. */
  yaml?: string[];
  /** Substrings it must not contain. */
  notYaml?: string[];
  /** Paths of the files edited (sorted). */
  files_?: string[];
  /** Policies the summary must mention as edited or created. */
  mentions?: string[];
}

const allowCases: AllowCase[] = [
  {
    name: 'demo: default/demo -> store/store-api on TCP 8080, cross-namespace, new policy',
    files: demo,
    intent: {
      src: { kind: 'workload', id: DEMO },
      dst: { kind: 'workload', id: STORE_API },
      ports: [{ protocol: 'TCP', port: 8080 }],
    },
    added: [`${DEMO} -> ${STORE_API}: TCP 8080`],
    // One peer with both selectors (AND), namespaces named by the label only the API server sets.
    yaml: [
      '        - namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: default\n          podSelector:\n            matchLabels:\n              app: demo\n',
      'name: allow-demo-to-store-api',
      'policyTypes:\n    - Ingress\n',
    ],
    files_: ['policies.yaml'],
    mentions: ['new policy store/allow-demo-to-store-api'],
  },
  {
    name: 'demo: egress-isolated source, named port kept, existing policy reused',
    files: demo,
    intent: {
      src: { kind: 'workload', id: DEMO_DB },
      dst: { kind: 'workload', id: DEMO },
      ports: [{ protocol: 'TCP', port: 'http' }],
    },
    added: [`${DEMO_DB} -> ${DEMO}: TCP 8080`],
    yaml: [
      '  egress:\n    - to:\n        - podSelector:\n            matchLabels:\n              app: demo\n      ports:\n        - protocol: TCP\n          port: http\n',
    ],
    notYaml: ['kubernetes.io/metadata.name: default'],
    mentions: ['default/demo-db: new egress rule 0'],
  },
  {
    name: 'demo: namespace source into an isolated workload',
    files: demo,
    intent: {
      src: { kind: 'namespace', name: 'frontend' },
      dst: { kind: 'workload', id: DEMO_DB },
      ports: [{ protocol: 'TCP', port: 5432 }],
    },
    added: [`${FRONTEND} -> ${DEMO_DB}: TCP 5432`],
    yaml: [
      '        - namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: frontend\n      ports:',
    ],
    notYaml: ['app: frontend\n      ports:\n        - protocol: TCP\n          port: 5432'],
    mentions: ['default/demo-db: new ingress rule 1'],
  },
  {
    name: 'demo: namespace destination whose pods are all isolated reuses its podSelector {} policy',
    files: demo,
    intent: { src: { kind: 'workload', id: DEMO }, dst: { kind: 'namespace', name: 'store' }, ports: 'all' },
    added: [`${DEMO} -> ${STORE_API}: All Connections`],
    mentions: ['store/store-api: new ingress rule 1'],
  },
  {
    name: 'demo: CIDR source with an except into an isolated workload',
    files: demo,
    intent: {
      src: { kind: 'cidr', cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] },
      dst: { kind: 'workload', id: DEMO_DB },
      ports: [{ protocol: 'TCP', port: 5432 }],
    },
    added: [
      `10.0.0.0-10.0.255.255[External] -> ${DEMO_DB}: TCP 5432`,
      `10.2.0.0-10.255.255.255[External] -> ${DEMO_DB}: TCP 5432`,
    ],
    yaml: [
      '        - ipBlock:\n            cidr: 10.0.0.0/8\n            except:\n              - 10.1.0.0/16\n',
    ],
  },
  {
    name: 'demo: CIDR destination needs the egress side only (host bits masked)',
    files: demo,
    intent: {
      src: { kind: 'workload', id: STORE_API },
      dst: { kind: 'cidr', cidr: '192.168.1.7/24' },
      ports: [{ protocol: 'TCP', port: 443 }],
    },
    added: [`${STORE_API} -> 192.168.1.0-192.168.1.255[External]: TCP 443`],
    yaml: ['cidr: 192.168.1.0/24', 'policyTypes:\n    - Egress\n'],
    notYaml: ['ingress:'],
  },
  {
    name: 'both sides isolated: an egress rule on the source and an ingress rule on the destination',
    files: shop,
    intent: {
      src: { kind: 'workload', id: 'shop/web[Deployment]' },
      dst: { kind: 'workload', id: 'shop/db[StatefulSet]' },
      ports: [{ protocol: 'TCP', port: 'pg' }],
    },
    // web-canary shares app=web: the new ingress peer and the web-egress policy both cover it.
    added: [
      'shop/web-canary[Deployment] -> shop/db[StatefulSet]: TCP 5432',
      'shop/web[Deployment] -> shop/db[StatefulSet]: TCP 5432',
    ],
    sideEffects: ['shop/web-canary[Deployment] -> shop/db[StatefulSet]: TCP 5432'],
    // Every stable label of web (quoted where YAML 1.1 would misread it), none of the per-revision ones.
    yaml: [
      'app: web\n              enabled: "yes"\n              mode: "on"\n              code: "010"\n',
      'port: pg',
      'app: db',
    ],
    notYaml: ['pod-template-hash', 'controller-revision-hash', 'statefulset.kubernetes.io'],
    // web-egress selects app=web only, not exactly web's labels: a new egress policy, not a wider one.
    mentions: ['shop/db: new ingress rule 0', 'new policy shop/allow-web-to-db-egress'],
  },
  {
    name: 'demo: a rule with exactly these ports gains the peer instead of a new rule',
    files: demo,
    intent: {
      src: { kind: 'workload', id: DEMO },
      dst: { kind: 'namespace', name: 'store' },
      ports: [{ protocol: 'TCP', port: 8080 }],
    },
    added: [`${DEMO} -> ${STORE_API}: TCP 8080`],
    mentions: ['store/store-api: ingress rule 0 gains a peer'],
  },
  {
    name: 'a namespace destination whose pods are not all isolated gets a rule per isolated workload',
    files: shop,
    intent: {
      src: { kind: 'workload', id: 'ops/tool[Pod]' },
      dst: { kind: 'namespace', name: 'shop' },
      ports: [{ protocol: 'TCP', port: 5432 }],
    },
    // web and web-canary are open for ingress already; a podSelector {} policy would isolate them.
    added: ['ops/tool[Pod] -> shop/db[StatefulSet]: TCP 5432'],
    yaml: [
      '  podSelector:\n    matchLabels:\n      app: db\n  policyTypes: [Ingress, Egress]\n  ingress:\n    - from:',
    ],
    notYaml: ['podSelector: {}'],
    mentions: ['shop/db: new ingress rule 0'],
  },
  {
    name: 'a namespace source whose pods are all egress-isolated gets one podSelector {} egress policy',
    files: shop,
    intent: {
      src: { kind: 'namespace', name: 'shop' },
      dst: { kind: 'workload', id: 'ops/tool[Pod]' },
      ports: [{ protocol: 'TCP', port: 80 }],
    },
    added: [
      'shop/db[StatefulSet] -> ops/tool[Pod]: TCP 80',
      'shop/web-canary[Deployment] -> ops/tool[Pod]: TCP 80',
      'shop/web[Deployment] -> ops/tool[Pod]: TCP 80',
    ],
    yaml: ['  name: allow-ns-shop-to-tool-egress\n  namespace: shop\nspec:\n  podSelector: {}\n'],
    mentions: ['new policy shop/allow-ns-shop-to-tool-egress'],
  },
  {
    name: 'unstable labels are never used; YAML 1.1 words are quoted in generated peers',
    files: shop,
    intent: {
      src: { kind: 'workload', id: 'ops/tool[Pod]' },
      dst: { kind: 'workload', id: 'shop/db[StatefulSet]' },
      ports: [{ protocol: 'TCP', port: 9187, endPort: 9190 }],
    },
    added: ['ops/tool[Pod] -> shop/db[StatefulSet]: TCP 9187-9190'],
    yaml: ['kubernetes.io/metadata.name: ops', 'app: tool', 'port: 9187\n          endPort: 9190'],
  },
];

describe('plan: allow an edge', () => {
  it.each(allowCases)('$name', (c) => {
    const result = expectOk(plan({ files: c.files, intent: c.intent }));
    expect(pairs(result.added)).toEqual([...c.added].sort());
    expect(pairs(result.sideEffects)).toEqual([...(c.sideEffects ?? [])].sort());
    expect(result.removed).toEqual([]);
    expect(result.warnings).toEqual([]);
    const yaml = result.edits.map((e) => e.after).join('\n');
    for (const s of c.yaml ?? []) expect(yaml).toContain(s);
    for (const s of c.notYaml ?? [])
      expect(result.edits.map((e) => e.after.replace(e.before ?? '', '')).join('\n')).not.toContain(s);
    if (c.files_) expect(result.edits.map((e) => e.path).sort()).toEqual(c.files_);
    for (const m of c.mentions ?? []) expect(result.summary).toContain(m);
    expectValidEdits(result);
    // Verified independently of the planner: the intended pair now allows the ports.
    const after = applyFileEdits(c.files, result.edits);
    const [first] = c.added.filter((a) => !(c.sideEffects ?? []).includes(a));
    const [pair, ports] = first!.split(': ');
    const [src, dst] = pair!.split(' -> ');
    if (!src!.endsWith('[External]') && !dst!.endsWith('[External]')) {
      expect(allowed(after, src!, dst!)).toBe(ports);
      expect(allowed(c.files, src!, dst!)).not.toBe(ports);
    }
  });
});

describe('plan: cases that change nothing or cannot be planned', () => {
  it.each<[string, string, SourceFile[], EdgeIntent]>([
    [
      'an edge the demo already allows',
      'already-allowed',
      demo,
      {
        src: { kind: 'workload', id: FRONTEND },
        dst: { kind: 'workload', id: STORE_API },
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
    ],
    [
      'a non-isolated source to an address (no egress control asked)',
      'already-allowed',
      demo,
      { src: { kind: 'workload', id: DEMO }, dst: { kind: 'cidr', cidr: '8.8.8.8/32' }, ports: 'all' },
    ],
    [
      'a rule already admitting the port (web-egress: UDP 53 anywhere)',
      'already-allowed',
      shop,
      {
        src: { kind: 'workload', id: 'shop/web[Deployment]' },
        dst: { kind: 'cidr', cidr: '1.2.3.4/32' },
        ports: [{ protocol: 'UDP', port: 53 }],
      },
    ],
    [
      'a pod to itself',
      'already-allowed',
      demo,
      { src: { kind: 'workload', id: DEMO }, dst: { kind: 'workload', id: DEMO }, ports: 'all' },
    ],
    [
      'an except whose addresses are allowed now needs a deny',
      'needs-deny',
      demo,
      {
        src: { kind: 'cidr', cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] },
        dst: { kind: 'workload', id: DEMO },
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
    ],
    [
      'an egress except that the isolated-nothing source reaches now needs a deny',
      'needs-deny',
      demo,
      {
        src: { kind: 'workload', id: DEMO },
        dst: { kind: 'cidr', cidr: '10.0.0.0/8', except: ['10.9.0.0/16'] },
        ports: 'all',
      },
    ],
    [
      'an unknown workload',
      'unknown-peer',
      demo,
      {
        src: { kind: 'workload', id: 'default/nope[Deployment]' },
        dst: { kind: 'workload', id: DEMO },
        ports: 'all',
      },
    ],
    [
      'an unknown namespace',
      'unknown-peer',
      demo,
      { src: { kind: 'namespace', name: 'nope' }, dst: { kind: 'workload', id: DEMO_DB }, ports: 'all' },
    ],
    [
      'a named port the destination does not define',
      'unknown-port',
      demo,
      {
        src: { kind: 'workload', id: DEMO },
        dst: { kind: 'workload', id: DEMO_DB },
        ports: [{ protocol: 'TCP', port: 'https' }],
      },
    ],
    [
      'a named port towards an address',
      'invalid-input',
      demo,
      {
        src: { kind: 'workload', id: STORE_API },
        dst: { kind: 'cidr', cidr: '1.2.3.0/24' },
        ports: [{ protocol: 'TCP', port: 'http' }],
      },
    ],
    [
      'a bad CIDR',
      'invalid-input',
      demo,
      { src: { kind: 'cidr', cidr: '10.0.0.0/33' }, dst: { kind: 'workload', id: DEMO_DB }, ports: 'all' },
    ],
    [
      'an except outside the CIDR',
      'invalid-input',
      demo,
      {
        src: { kind: 'cidr', cidr: '10.0.0.0/8', except: ['11.0.0.0/8'] },
        dst: { kind: 'workload', id: DEMO_DB },
        ports: 'all',
      },
    ],
    [
      'CIDR to CIDR',
      'invalid-input',
      demo,
      { src: { kind: 'cidr', cidr: '10.0.0.0/8' }, dst: { kind: 'cidr', cidr: '11.0.0.0/8' }, ports: 'all' },
    ],
    [
      'port out of range',
      'invalid-input',
      demo,
      {
        src: { kind: 'workload', id: DEMO },
        dst: { kind: 'workload', id: DEMO_DB },
        ports: [{ protocol: 'TCP', port: 70000 }],
      },
    ],
    [
      'endPort below port',
      'invalid-input',
      demo,
      {
        src: { kind: 'workload', id: DEMO },
        dst: { kind: 'workload', id: DEMO_DB },
        ports: [{ protocol: 'TCP', port: 90, endPort: 80 }],
      },
    ],
    [
      'no ports at all',
      'invalid-input',
      demo,
      { src: { kind: 'workload', id: DEMO }, dst: { kind: 'workload', id: DEMO_DB }, ports: [] },
    ],
    [
      'an IPv6 block',
      'unsupported',
      demo,
      { src: { kind: 'cidr', cidr: 'fd00::/8' }, dst: { kind: 'workload', id: DEMO_DB }, ports: 'all' },
    ],
    [
      'a workload with only per-run labels',
      'no-stable-labels',
      shop,
      {
        src: { kind: 'workload', id: 'ops/migrate[Job]' },
        dst: { kind: 'workload', id: 'shop/db[StatefulSet]' },
        ports: 'all',
      },
    ],
  ])('%s -> %s', (_name, reason, files, intent) => {
    const result = plan({ files, intent });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toBe(reason);
      expect(result.message.length).toBeGreaterThan(10);
    }
  });
});

describe('plan: egress always', () => {
  it('isolates a source that was open and lists what that removes', () => {
    const result = expectOk(
      plan({
        files: demo,
        intent: {
          src: { kind: 'workload', id: FRONTEND },
          dst: { kind: 'cidr', cidr: '1.2.3.0/24' },
          ports: [{ protocol: 'TCP', port: 443 }],
          egress: 'always',
        },
      }),
    );
    // frontend has no policies: the new policy goes to a new file in its namespace.
    expect(result.edits.map((e) => [e.path, e.before])).toEqual([
      ['frontend/allow-frontend-to-cidr-1-2-3-0-24-egress.yaml', undefined],
    ]);
    expect(pairs(result.added)).toEqual([]);
    expect(result.removed.length).toBeGreaterThan(0);
    expect(result.removed.every((c) => c.src === FRONTEND)).toBe(true);
    expect(pairs(result.removed)).toContain(`${FRONTEND} -> ${STORE_API}: TCP 8080`);
    expect(result.warnings.join(' ')).toContain('was not egress-isolated');
    expectValidEdits(result);
  });
});

describe('plan: the YAML it writes', () => {
  it('leaves every other document of an edited file byte for byte', () => {
    const result = expectOk(
      plan({
        files: demo,
        intent: {
          src: { kind: 'workload', id: DEMO_DB },
          dst: { kind: 'workload', id: DEMO },
          ports: [{ protocol: 'TCP', port: 'http' }],
        },
      }),
    );
    expect(result.edits).toHaveLength(1);
    const edit = result.edits[0]!;
    const before = splitStream(edit.before!);
    const after = splitStream(edit.after);
    expect(after).toHaveLength(before.length);
    // The leading comment and every document but demo-db's (the second segment) are untouched.
    after.forEach((segment, i) => {
      if (i !== 1) expect(segment.text).toBe(before[i]!.text);
    });
    expect(after[1]!.text.startsWith(before[1]!.text.trimEnd())).toBe(true);
  });

  it('appends a new policy to the file that holds the namespace policies, after a separator', () => {
    const result = expectOk(
      plan({
        files: demo,
        intent: {
          src: { kind: 'workload', id: DEMO },
          dst: { kind: 'workload', id: STORE_API },
          ports: [{ protocol: 'TCP', port: 8080 }],
        },
      }),
    );
    const edit = result.edits[0]!;
    expect(edit.after.startsWith(edit.before!)).toBe(true);
    const added = edit.after.slice(edit.before!.length);
    expect(
      added.startsWith('---\n# Lets default/demo[Deployment] reach store/store-api[Deployment] on TCP 8080'),
    ).toBe(true);
    expect(readDocument(added)).toMatchObject({
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-demo-to-store-api', namespace: 'store' },
    });
  });

  it('quotes label values YAML 1.1 would misread', () => {
    const files: SourceFile[] = [
      ...shop,
      {
        path: 'shop/odd.yaml',
        text: `apiVersion: apps/v1
kind: Deployment
metadata: {name: odd, namespace: shop}
spec:
  template:
    metadata:
      labels: {flag: "yes", mode: "on", code: "010"}
    spec:
      containers: [{name: o}]
`,
      },
    ];
    const result = expectOk(
      plan({
        files,
        intent: {
          src: { kind: 'workload', id: 'shop/odd[Deployment]' },
          dst: { kind: 'workload', id: 'shop/db[StatefulSet]' },
          ports: 'all',
        },
      }),
    );
    const yaml = result.edits.map((e) => e.after).join('');
    expect(yaml).toContain('flag: "yes"');
    expect(yaml).toContain('mode: "on"');
    expect(yaml).toContain('code: "010"');
    expectValidEdits(result);
    expect(pairs(result.added)).toEqual(['shop/odd[Deployment] -> shop/db[StatefulSet]: All Connections']);
  });

  it('picks a free name when the obvious one is taken', () => {
    const taken: SourceFile = {
      path: 'store/taken.yaml',
      text: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-demo-to-store-api, namespace: store}
spec:
  podSelector: {matchLabels: {app: something-else}}
`,
    };
    const result = expectOk(
      plan({
        files: [...demo, taken],
        intent: {
          src: { kind: 'workload', id: DEMO },
          dst: { kind: 'workload', id: STORE_API },
          ports: [{ protocol: 'TCP', port: 8080 }],
        },
      }),
    );
    expect(result.summary).toContain('new policy store/allow-demo-to-store-api-2');
  });

  it('adds ports to the rule that already names the peer when planning on top of a plan', () => {
    const web = { kind: 'workload', id: 'shop/web[Deployment]' } as const;
    const db = { kind: 'workload', id: 'shop/db[StatefulSet]' } as const;
    const first = expectOk(
      plan({ files: shop, intent: { src: web, dst: db, ports: [{ protocol: 'TCP', port: 'pg' }] } }),
    );
    const files = applyFileEdits(shop, first.edits);
    const second = expectOk(
      plan({ files, intent: { src: web, dst: db, ports: [{ protocol: 'TCP', port: 'metrics' }] } }),
    );
    expect(second.summary).toContain('shop/db: ingress rule 0 gains port(s) TCP metrics');
    expect(second.summary).toContain('shop/allow-web-to-db-egress: egress rule 0 gains port(s) TCP metrics');
    expect(pairs(second.added)).toEqual([
      'shop/web-canary[Deployment] -> shop/db[StatefulSet]: TCP 9187',
      'shop/web[Deployment] -> shop/db[StatefulSet]: TCP 9187',
    ]);
    expect(second.edits.map((e) => e.path)).toEqual(['shop/policies.yaml']);
    expect(second.edits[0]!.after).toContain(
      '          port: pg\n        - protocol: TCP\n          port: metrics\n',
    );
    expect(allowed(applyFileEdits(files, second.edits), web.id, db.id)).toBe('TCP 5432,9187');
  });
});
