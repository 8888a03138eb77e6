import { type LabelSelector, parseManifests } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import { analyze } from './analyze.ts';
import { buildCluster } from './cluster.ts';
import { formatConnectionSet } from './connectionSet.ts';
import { type ExposureOptions, type ExposureReport, exposure } from './exposure.ts';
import { representativePeer, selectorFullyMatches, selectorRequirements } from './representativePeer.ts';

function sel(
  matchLabels?: Record<string, string>,
  matchExpressions?: { key: string; operator: string; values?: string[] }[],
): LabelSelector {
  return {
    matchLabels,
    matchExpressions: matchExpressions?.map((e) => ({ ...e, values: e.values ?? [] })),
  };
}

function deployment(name: string, namespace: string, labels: string, ports = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  selector: {matchLabels: ${labels}}
  template:
    metadata: {labels: ${labels}}
    spec:
      containers:
      - name: c
        image: x
${ports}`;
}

function policy(name: string, spec: string, namespace = 'hello'): string {
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${name}, namespace: ${namespace}}
spec:
${spec}`;
}

function run(docs: string[], options?: ExposureOptions): ExposureReport {
  const parsed = parseManifests([{ path: 'test.yaml', text: docs.join('\n---\n') }]);
  const cluster = buildCluster(parsed.objects, { compat: 'netpol-analyzer' });
  return exposure(analyze(cluster), options);
}

/** `workload dir peer : conn` lines, sorted, for compact assertions. */
function lines(report: ExposureReport): string[] {
  const out: string[] = [];
  for (const item of report.workloads) {
    for (const side of ['ingress', 'egress'] as const) {
      const arrow = side === 'ingress' ? '<=' : '=>';
      if (!item[side].protected) out.push(`${item.workload.id} ${arrow} unprotected`);
      for (const e of item[side].entries) {
        const peer = e.peer === 'entire-cluster' ? 'entire-cluster' : e.peer.id;
        out.push(`${item.workload.id} ${arrow} ${peer} : ${formatConnectionSet(e.conn)}`);
      }
    }
  }
  return out.sort();
}

const a = deployment('a', 'hello', '{app: a}', '        ports: [{name: http, containerPort: 8080}]');

describe('representative peer naming', () => {
  it('prints a namespace given by its name label as the bare name', () => {
    const rep = representativePeer(sel({ 'kubernetes.io/metadata.name': 'backend' }), undefined, '');
    expect(rep.id).toBe('backend/[all pods]');
    expect(rep.namespaceIsName).toBe(true);
  });

  it('prints an empty namespace selector as all namespaces', () => {
    expect(representativePeer(sel({}), sel({ 'k8s-app': 'kube-dns' }), '').id).toBe(
      '[all namespaces]/[pod with {k8s-app=kube-dns}]',
    );
  });

  it('sorts labels by key and puts them before the expressions, in Go struct form', () => {
    const rep = representativePeer(
      sel({ foo: 'managed', env: 'env-1' }, [
        { key: 'tier', operator: 'Exists' },
        { key: 'app', operator: 'In', values: ['b', 'a'] },
      ]),
      sel({}, []),
      '',
    );
    expect(rep.id).toBe(
      '[namespace with {env=env-1,foo=managed,{Key:app,Operator:In,Values:[b a],},{Key:tier,Operator:Exists,Values:[],}}]/[all pods]',
    );
  });

  it('treats the name label plus another label as a labelled namespace, not a name', () => {
    const rep = representativePeer(sel({ 'kubernetes.io/metadata.name': 'x', env: 'prod' }), undefined, '');
    expect(rep.id).toBe('[namespace with {env=prod,kubernetes.io/metadata.name=x}]/[all pods]');
  });
});

describe('selector requirements', () => {
  it('reads In with one value as equality, so both spellings are one requirement', () => {
    expect(selectorRequirements(sel(undefined, [{ key: 'app', operator: 'In', values: ['x'] }]))).toEqual([
      'app=x',
    ]);
    expect(
      selectorFullyMatches(
        sel({ app: 'x' }),
        sel(undefined, [{ key: 'app', operator: 'In', values: ['x'] }]),
      ),
    ).toBe(true);
  });

  it('compares value sets regardless of their order', () => {
    const x = sel(undefined, [{ key: 'r', operator: 'NotIn', values: ['y', 'x'] }]);
    const y = sel(undefined, [{ key: 'r', operator: 'NotIn', values: ['x', 'y'] }]);
    expect(selectorFullyMatches(x, y)).toBe(true);
  });

  it('does not let a narrower or wider selector speak for another one', () => {
    const narrow = sel(undefined, [{ key: 'r', operator: 'NotIn', values: ['x', 'y'] }]);
    const wide = sel(undefined, [{ key: 'r', operator: 'NotIn', values: ['w', 'x', 'y', 'z'] }]);
    expect(selectorFullyMatches(narrow, wide)).toBe(false);
    expect(selectorFullyMatches(sel({ app: 'x' }), sel({ app: 'x', tier: 'web' }))).toBe(false);
  });

  it('lets an empty rule selector match any representative, even "all pods"', () => {
    expect(selectorFullyMatches(sel({}), sel({ app: 'x' }))).toBe(true);
    expect(selectorFullyMatches(sel({}), undefined)).toBe(true);
    expect(selectorFullyMatches(sel({ app: 'x' }), undefined)).toBe(false);
  });
});

describe('exposure', () => {
  it('reports a workload no policy selects as open on both sides', () => {
    expect(lines(run([a]))).toEqual([
      'hello/a[Deployment] <= unprotected',
      'hello/a[Deployment] => unprotected',
    ]);
  });

  it('makes namespaceSelector {} and rules without peers the entire cluster, with no representative peer', () => {
    const report = run([
      a,
      policy(
        'p',
        `  podSelector: {matchLabels: {app: a}}
  policyTypes: [Ingress, Egress]
  ingress:
  - from: [{podSelector: {matchLabels: {role: x}}}, {namespaceSelector: {}}]
    ports: [{port: 80}]
  egress:
  - ports: [{port: 53, protocol: UDP}]`,
      ),
    ]);
    // The rule's podSelector peer is swallowed by the entire-cluster peer of the same rule.
    expect(report.representatives).toEqual([]);
    expect(lines(report)).toEqual([
      'hello/a[Deployment] <= entire-cluster : TCP 80',
      'hello/a[Deployment] => entire-cluster : UDP 53',
    ]);
  });

  it('drops a representative line equal to the entire-cluster line, keeps a wider one', () => {
    const report = run([
      a,
      policy(
        'p',
        `  podSelector: {matchLabels: {app: a}}
  ingress:
  - from: [{namespaceSelector: {matchLabels: {env: prod}}}]
    ports: [{port: 80}]
  - from: [{namespaceSelector: {matchLabels: {env: dev}}}]
    ports: [{port: 81}]
  - from: [{namespaceSelector: {}}]
    ports: [{port: 80}]`,
      ),
    ]);
    expect(lines(report)).toEqual([
      'hello/a[Deployment] <= [namespace with {env=dev}]/[all pods] : TCP 80-81',
      'hello/a[Deployment] <= entire-cluster : TCP 80',
      'hello/a[Deployment] => unprotected',
    ]);
  });

  it('merges rules whose selectors are the same requirements into one peer', () => {
    const report = run([
      a,
      policy(
        'p',
        `  podSelector: {matchLabels: {app: a}}
  ingress:
  - from: [{podSelector: {matchLabels: {role: mon}}}]
    ports: [{port: 80}]
  - from: [{podSelector: {matchExpressions: [{key: role, operator: In, values: [mon]}]}}]
    ports: [{port: 90}]`,
      ),
    ]);
    expect(report.representatives.map((r) => r.id)).toEqual(['hello/[pod with {role=mon}]']);
    expect(lines(report)).toContain('hello/a[Deployment] <= hello/[pod with {role=mon}] : TCP 80,90');
  });

  it('keeps peers of different (even overlapping) selectors apart', () => {
    const report = run([
      a,
      policy(
        'p',
        `  podSelector: {matchLabels: {app: a}}
  ingress:
  - from: [{podSelector: {matchExpressions: [{key: role, operator: NotIn, values: [x, 'y']}]}}]
    ports: [{port: 9090}]
  - from: [{podSelector: {matchExpressions: [{key: role, operator: NotIn, values: [w, x, 'y', z]}]}}]
    ports: [{port: 8080}]`,
      ),
    ]);
    expect(lines(report).filter((l) => l.includes('<='))).toEqual([
      'hello/a[Deployment] <= hello/[pod with {{Key:role,Operator:NotIn,Values:[w x y z],}}] : TCP 8080',
      'hello/a[Deployment] <= hello/[pod with {{Key:role,Operator:NotIn,Values:[x y],}}] : TCP 9090',
    ]);
  });

  it('removes a plain-label representative that a real pod stands for, but not an expression one', () => {
    const b = deployment('b', 'hello', '{role: mon}');
    const report = run([
      a,
      b,
      policy(
        'p',
        `  podSelector: {matchLabels: {app: a}}
  ingress:
  - from: [{podSelector: {matchLabels: {role: mon}}}]
  - from: [{podSelector: {matchExpressions: [{key: role, operator: Exists}]}}]
    ports: [{port: 90}]`,
      ),
    ]);
    expect(report.representatives.map((r) => r.id)).toEqual([
      'hello/[pod with {{Key:role,Operator:Exists,Values:[],}}]',
    ]);
  });

  it('never removes a namespace-wide representative, even when the namespace has pods', () => {
    const backend = deployment('x', 'backend', '{app: x}');
    const report = run([
      a,
      backend,
      policy(
        'p',
        `  podSelector: {matchLabels: {app: a}}
  ingress:
  - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: backend}}, podSelector: {}}]
    ports: [{port: 8050}]`,
      ),
    ]);
    expect(lines(report)).toContain('hello/a[Deployment] <= backend/[all pods] : TCP 8050');
  });

  it('matches a podSelector-only rule only to representatives of its own namespace', () => {
    const report = run([
      a,
      deployment('z', 'other', '{app: z}'),
      policy(
        'p',
        `  podSelector: {matchLabels: {app: a}}
  ingress:
  - from: [{podSelector: {matchLabels: {role: mon}}}]
    ports: [{port: 80}]`,
      ),
      policy(
        'q',
        `  podSelector: {}
  ingress:
  - from: [{podSelector: {matchLabels: {role: mon}}}]
    ports: [{port: 81}]`,
        'other',
      ),
    ]);
    expect(lines(report)).toEqual(
      expect.arrayContaining([
        'hello/a[Deployment] <= hello/[pod with {role=mon}] : TCP 80',
        'other/z[Deployment] <= other/[pod with {role=mon}] : TCP 81',
      ]),
    );
    expect(lines(report).filter((l) => l.includes('<= other/') && l.startsWith('hello/'))).toEqual([]);
  });

  it('keeps named ports as names towards unknown pods and resolves them on the workload for ingress', () => {
    const report = run([
      a,
      policy(
        'p',
        `  podSelector: {matchLabels: {app: a}}
  policyTypes: [Ingress, Egress]
  ingress:
  - from: [{namespaceSelector: {}}]
    ports: [{port: http}]
  egress:
  - to: [{namespaceSelector: {matchLabels: {env: x}}}]
    ports: [{port: http}, {port: dns, protocol: UDP}]`,
      ),
    ]);
    expect(lines(report)).toEqual([
      'hello/a[Deployment] <= entire-cluster : TCP 8080',
      'hello/a[Deployment] => [namespace with {env=x}]/[all pods] : TCP http,UDP dns',
    ]);
  });

  it('keeps an unresolvable name in the entire-cluster line, so a representative line then differs', () => {
    // Upstream resolves entire-cluster names by name only and keeps unknown ones, while a rule
    // towards a real destination drops them: the representative line no longer equals it.
    const report = run([
      a,
      policy(
        'p',
        `  podSelector: {matchLabels: {app: a}}
  ingress:
  - from: [{namespaceSelector: {}}]
    ports: [{port: http}, {port: missing}]
  - from: [{namespaceSelector: {matchLabels: {env: x}}}]
    ports: [{port: 9000}]`,
      ),
    ]);
    expect(lines(report)).toEqual([
      'hello/a[Deployment] <= [namespace with {env=x}]/[all pods] : TCP 8080,9000',
      'hello/a[Deployment] <= entire-cluster : TCP 8080,missing',
      'hello/a[Deployment] => unprotected',
    ]);
  });

  it('reports only focus workloads, and only in the focus direction', () => {
    const b = deployment('b', 'hello', '{app: b}');
    const report = run([a, b], { isFocus: (w) => w.name === 'a', direction: 'ingress' });
    expect(lines(report)).toEqual(['hello/a[Deployment] <= unprotected']);
  });
});

describe('exposure under a focus connection', () => {
  // Ingress to `a`: the entire cluster on TCP 80, pods labelled role=mon anywhere on TCP 80-90 and UDP 53.
  const docs = [
    a,
    policy(
      'in',
      `  podSelector: {matchLabels: {app: a}}
  policyTypes: [Ingress]
  ingress:
  - from: [{namespaceSelector: {}}]
    ports: [{port: 80}]
  - from: [{namespaceSelector: {}, podSelector: {matchLabels: {role: mon}}}]
    ports: [{port: 80, endPort: 90}, {port: 53, protocol: UDP}]`,
    ),
  ];

  it.each([
    {
      focus: undefined,
      expected: [
        'hello/a[Deployment] <= [all namespaces]/[pod with {role=mon}] : TCP 80-90,UDP 53',
        'hello/a[Deployment] <= entire-cluster : TCP 80',
        'hello/a[Deployment] => unprotected',
      ],
    },
    {
      // The representative gets TCP 80 like everyone: it says nothing new.
      focus: { protocol: 'TCP' as const, port: 80 },
      expected: ['hello/a[Deployment] <= entire-cluster : TCP 80', 'hello/a[Deployment] => unprotected'],
    },
    {
      focus: { protocol: 'TCP' as const, port: 85 },
      expected: [
        'hello/a[Deployment] <= [all namespaces]/[pod with {role=mon}] : TCP 85',
        'hello/a[Deployment] => unprotected',
      ],
    },
    {
      // Nobody gets TCP 8080: no line at all, not even an empty one.
      focus: { protocol: 'TCP' as const, port: 8080 },
      expected: ['hello/a[Deployment] => unprotected'],
    },
  ])('focus $focus.protocol $focus.port', ({ focus, expected }) => {
    expect(lines(run(docs, { conn: focus }))).toEqual(expected);
  });
});
