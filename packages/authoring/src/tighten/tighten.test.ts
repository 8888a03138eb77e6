import type { SourceFile } from '@netpol-atlas/manifests';
import { Workspace } from '@netpol-atlas/workspace';
import { describe, expect, it } from 'vitest';
import { applyFileEdits, compile } from '../compiled.ts';
import { allowed } from '../fixtures.test-helper.ts';
import { verifyEdits } from '../verify.ts';
import { judge } from './judge.ts';
import { placeObservations } from './observed.ts';
import { type ResolvedScope, resolveScope } from './scope.ts';
import { planTighten } from './tighten.ts';
import type { ObservedConnection, TightenOptions, TightenPlan, TightenScope } from './types.ts';

const WEB = 'shop/web[Deployment]';
const API = 'shop/api[Deployment]';
const DB = 'shop/db[Deployment]';
const MONITOR = 'ops/monitor[Deployment]';
const DNS = 'kube-system/coredns[Deployment]';

function deployment(namespace: string, name: string, labels: string, ports = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  template:
    metadata:
      labels: ${labels}
    spec:
      containers: [{name: c${ports}}]
`;
}

const WORKLOADS: SourceFile = {
  path: 'workloads.yaml',
  text: [
    deployment('shop', 'web', '{app: web, pod-template-hash: abc}'),
    deployment('shop', 'api', '{app: api}', ', ports: [{name: http, containerPort: 8080}]'),
    deployment('shop', 'db', '{app: db}'),
    deployment('ops', 'monitor', '{app: monitor}'),
    deployment('kube-system', 'coredns', '{k8s-app: kube-dns}'),
  ].join('---\n'),
};

/** Broader than the traffic: api takes anything from its namespace, web may go anywhere. */
const POLICIES: SourceFile = {
  path: 'shop/policies.yaml',
  text: `# api: the team opened it to the whole namespace while debugging
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  podSelector:
    matchLabels: {app: api}
  ingress:
    # from the frontend
    - from: [{podSelector: {matchLabels: {app: web}}}]
      ports: [{protocol: TCP, port: http}]
    # anything in shop (too broad)
    - from: [{podSelector: {}}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector:
    matchLabels: {app: web}
  policyTypes: [Egress]
  egress:
    - to: [{ipBlock: {cidr: 0.0.0.0/0}}]
    - to: [{namespaceSelector: {}}]
`,
};

const FILES = [WORKLOADS, POLICIES];

const OBSERVED: ObservedConnection[] = [
  {
    src: { kind: 'workload', id: WEB },
    dst: { kind: 'workload', id: API },
    protocol: 'TCP',
    port: 8080,
    count: 40,
  },
  {
    src: { kind: 'workload', id: API },
    dst: { kind: 'workload', id: DB },
    protocol: 'TCP',
    port: 5432,
    count: 12,
  },
  {
    src: { kind: 'workload', id: WEB },
    dst: { kind: 'external', address: '93.184.216.34' },
    protocol: 'TCP',
    port: 443,
  },
  { src: { kind: 'workload', id: MONITOR }, dst: { kind: 'workload', id: API }, protocol: 'TCP', port: 9090 },
];

const SHOP: TightenScope = { kind: 'namespace', name: 'shop' };

function ok(plan: TightenPlan): Extract<TightenPlan, { ok: true }> {
  if (!plan.ok) throw new Error(`plan failed: ${plan.reason}: ${plan.message}`);
  return plan;
}

function tighten(files: readonly SourceFile[], scope: TightenScope, options: TightenOptions = {}) {
  const plan = ok(planTighten(files, scope, OBSERVED, options));
  return { plan, after: applyFileEdits(files, plan.edits) };
}

const keys = (list: readonly { src: string; dst: string }[]) =>
  list.map((c) => `${c.src} -> ${c.dst}`).sort();

describe('planTighten: a namespace', () => {
  it('allows exactly the observed connections, both directions, and lists what it removes', () => {
    const { plan, after } = tighten(FILES, SHOP);
    expect(plan.tighten.denied).toEqual([]);
    expect(plan.tighten.acceptanceRequired).toBe(false);
    expect(plan.tighten.kept.map((k) => `${k.src} -> ${k.dst} ${k.protocol} ${k.port}`).sort()).toEqual([
      `${MONITOR} -> ${API} TCP 9090`,
      `${API} -> ${DB} TCP 5432`,
      `${WEB} -> 93.184.216.34 TCP 443`,
      `${WEB} -> ${API} TCP 8080`,
    ]);
    // Independently: the observed ports, and nothing else, between the scope's workloads.
    expect(allowed(after, WEB, API)).toBe('TCP 8080');
    expect(allowed(after, MONITOR, API)).toBe('TCP 9090');
    expect(allowed(after, API, DB)).toBe('TCP 5432');
    expect(allowed(after, WEB, DB)).toBe('No Connections');
    expect(allowed(after, DB, API)).toBe('No Connections');
    expect(allowed(after, WEB, '93.184.216.34')).toBe('TCP 443');
    expect(allowed(after, WEB, '93.184.216.35')).toBe('No Connections');
    expect(allowed(after, MONITOR, DB)).toBe('No Connections');
    // The removed list is the evaluator's: connections allowed before and not after.
    expect(keys(plan.tighten.removed)).toContain(`${WEB} -> ${DB}`);
    expect(keys(plan.tighten.removed)).toContain(`${MONITOR} -> ${DB}`);
    expect(keys(plan.tighten.removed)).toContain(`${WEB} -> ${DNS}`);
    for (const c of plan.tighten.removed.filter((r) => !`${r.src}${r.dst}`.includes('[External]'))) {
      expect(allowed(after, c.src, c.dst)).not.toContain(c.ports);
    }
    expect(plan.tighten.beyond).toEqual([]);
    expect(plan.tighten.subjects.sort()).toEqual([API, DB, WEB]);
  });

  it('replaces the broader rules, keeping the rules that were exact and the comments', () => {
    const { plan } = tighten(FILES, SHOP);
    const text = plan.edits.find((e) => e.path === 'shop/policies.yaml')!.after;
    expect(text).toContain('# api: the team opened it to the whole namespace while debugging');
    // The frontend rule only admitted observed traffic: it stays as written, comment and named port.
    expect(text).toContain(
      '# from the frontend\n    - from: [{podSelector: {matchLabels: {app: web}}}]\n      ports: [{protocol: TCP, port: http}]',
    );
    expect(text).not.toContain('anything in shop');
    expect(text).not.toContain('0.0.0.0/0');
    expect(text).toContain('cidr: 93.184.216.34/32');
    const changes = plan.edits.flatMap((e) => e.changes).join('\n');
    expect(changes).toContain('shop/api: ingress rule 1 is dropped');
    expect(changes).toContain('shop/web: egress rule 1 is dropped');
    expect(changes).toContain('shop/web: egress rule 0 is dropped');
  });

  it('writes a policy for a workload no policy selected, isolating both directions', () => {
    const { plan, after } = tighten(FILES, SHOP);
    const created = plan.edits.flatMap((e) => e.changes).filter((c) => c.startsWith('new policy'));
    // db had no policy; api had none for egress and web none for ingress.
    expect(created).toEqual([
      'new policy shop/api-observed-egress',
      'new policy shop/db-observed',
      'new policy shop/web-observed-ingress',
    ]);
    const db = plan.edits.find((e) => e.path === 'shop/policies.yaml')!.after.split('name: db-observed')[1]!;
    expect(db).toContain('policyTypes:\n    - Ingress\n    - Egress');
    expect(allowed(after, DB, '8.8.8.8')).toBe('No Connections');
  });

  it('keeps DNS egress to kube-dns when asked, and only then', () => {
    const off = tighten(FILES, SHOP);
    expect(allowed(off.after, WEB, DNS)).toBe('No Connections');
    const on = tighten(FILES, SHOP, { keepDns: true });
    for (const w of [WEB, API, DB]) expect(allowed(on.after, w, DNS)).toBe('TCP 53,UDP 53');
    // web could reach kube-dns on every port: it loses all but DNS.
    const lost = on.plan.tighten.removed.find((c) => c.src === WEB && c.dst === DNS)!;
    expect(lost.after).toBe('TCP 53,UDP 53');
    expect(lost.ports).not.toContain('UDP 53');
    expect(on.plan.tighten.beyond).toEqual([]);
    expect(on.plan.edits[0]!.after).toContain('k8s-app: kube-dns');
  });

  it('changes nothing the second time (idempotent), with or without DNS', () => {
    for (const keepDns of [false, true]) {
      const { after } = tighten(FILES, SHOP, { keepDns });
      const again = ok(planTighten(after, SHOP, OBSERVED, { keepDns }));
      expect(again.edits).toEqual([]);
      expect(again.tighten.removed).toEqual([]);
      expect(again.tighten.kept).toHaveLength(4);
      expect(again.summary).toContain('already tight');
    }
  });
});

describe('planTighten: a workload', () => {
  it('tightens only the workload, leaving the rest of the namespace as it was', () => {
    const { plan, after } = tighten(FILES, { kind: 'workload', id: API });
    expect(plan.tighten.subjects).toEqual([API]);
    expect(allowed(after, MONITOR, API)).toBe('TCP 9090');
    expect(allowed(after, DB, API)).toBe('No Connections');
    // web is not in the scope: its broad egress stays.
    expect(allowed(after, WEB, DB)).toBe('All Connections');
    expect(plan.edits.flatMap((e) => e.changes)).toEqual([
      'shop/api: ingress rule 1 is dropped',
      'shop/api: new ingress rule 1 (ops/monitor[Deployment], observed)',
      'new policy shop/api-observed-egress',
    ]);
    expect(allowed(after, API, DB)).toBe('TCP 5432');
  });

  it('leaves a rule of a policy that also selects pods outside the scope, and says so', () => {
    const shared: SourceFile = {
      path: 'shop/shared.yaml',
      text: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: all-from-ops, namespace: shop}
spec:
  podSelector: {}
  ingress:
    - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ops}}}]
`,
    };
    const { plan, after } = tighten([...FILES, shared], { kind: 'workload', id: API });
    expect(plan.warnings.join('\n')).toContain(
      'shop/all-from-ops ingress rule 0 admits unobserved traffic of shop/api[Deployment]',
    );
    expect(allowed(after, MONITOR, API)).toBe('All Connections');
    expect(plan.tighten.beyond).toContainEqual(
      expect.objectContaining({
        src: MONITOR,
        dst: API,
        reason: expect.stringContaining('shop/all-from-ops'),
      }),
    );
  });

  it('fails for an unknown workload, one without labels and an unknown namespace', () => {
    expect(planTighten(FILES, { kind: 'workload', id: 'shop/nope[Deployment]' }, OBSERVED)).toMatchObject({
      ok: false,
      reason: 'unknown-peer',
    });
    expect(planTighten(FILES, { kind: 'namespace', name: 'nope' }, OBSERVED)).toMatchObject({
      ok: false,
      reason: 'unknown-peer',
    });
    const bare: SourceFile = {
      path: 'bare.yaml',
      text: deployment('shop', 'bare', '{pod-template-hash: x}'),
    };
    expect(
      planTighten([...FILES, bare], { kind: 'workload', id: 'shop/bare[Deployment]' }, OBSERVED),
    ).toMatchObject({
      ok: false,
      reason: 'no-stable-labels',
    });
  });
});

describe('planTighten: addresses outside the cluster', () => {
  it('writes observed addresses as the fewest exact CIDRs, ranges included', () => {
    const observed: ObservedConnection[] = [
      ...OBSERVED,
      ...[4, 5, 6, 7].map((i) => ({
        src: { kind: 'workload' as const, id: WEB },
        dst: { kind: 'external' as const, address: `198.51.100.${i}` },
        protocol: 'TCP' as const,
        port: 443,
      })),
      {
        src: { kind: 'workload', id: WEB },
        dst: { kind: 'external', address: '203.0.113.0/24' },
        protocol: 'UDP',
        port: 123,
      },
      {
        src: { kind: 'external', address: '192.0.2.10' },
        dst: { kind: 'workload', id: WEB },
        protocol: 'TCP',
        port: 80,
      },
    ];
    const plan = ok(planTighten(FILES, SHOP, observed));
    const text = plan.edits.find((e) => e.path === 'shop/policies.yaml')!.after;
    expect(text).toContain('198.51.100.4/30');
    expect(text).toContain('203.0.113.0/24');
    const after = applyFileEdits(FILES, plan.edits);
    expect(allowed(after, WEB, '198.51.100.6')).toBe('TCP 443');
    expect(allowed(after, WEB, '198.51.100.8')).toBe('No Connections');
    expect(allowed(after, WEB, '203.0.113.200')).toBe('UDP 123');
    expect(allowed(after, '192.0.2.10', WEB)).toBe('TCP 80');
    expect(allowed(after, '192.0.2.11', WEB)).toBe('No Connections');
    expect(plan.tighten.denied).toEqual([]);
    expect(ok(planTighten(after, SHOP, observed)).edits).toEqual([]);
  });

  it('lists an IPv6 address as left out, never guessed', () => {
    const observed: ObservedConnection[] = [
      {
        src: { kind: 'workload', id: WEB },
        dst: { kind: 'external', address: '2001:db8::1' },
        protocol: 'TCP',
        port: 443,
      },
    ];
    const plan = ok(planTighten(FILES, { kind: 'workload', id: WEB }, observed));
    expect(plan.tighten.ignored).toEqual([
      { observation: `${WEB} -> 2001:db8::1 TCP 443`, reason: expect.stringContaining('IPv6') },
    ]);
  });
});

describe('planTighten: verification', () => {
  it('lists an observed flow the other side denies, and asks for acceptance', () => {
    const lockedOps: SourceFile = {
      path: 'ops/policies.yaml',
      text: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-egress, namespace: ops}
spec:
  podSelector: {}
  policyTypes: [Egress]
`,
    };
    const plan = ok(planTighten([...FILES, lockedOps], SHOP, OBSERVED));
    expect(plan.tighten.denied).toEqual([
      expect.objectContaining({
        src: MONITOR,
        dst: API,
        port: 9090,
        allowedBefore: false,
        allowedAfter: false,
        reason: expect.stringContaining(
          'egress: NetworkPolicy ops/deny-egress selects ops/monitor[Deployment]',
        ),
      }),
    ]);
    expect(plan.tighten.acceptanceRequired).toBe(true);
    expect(
      ok(planTighten([...FILES, lockedOps], SHOP, OBSERVED, { acceptDenied: true })).tighten
        .acceptanceRequired,
    ).toBe(false);
  });

  it('catches a gap: an edit missing one observed rule is judged as denying it', () => {
    const plan = ok(planTighten(FILES, SHOP, OBSERVED));
    // Sabotage the planner's edit: the monitor's rule admits the wrong port.
    const broken = plan.edits.map((e) => ({ ...e, after: e.after.replace('port: 9090', 'port: 9091') }));
    expect(broken).not.toEqual(plan.edits);
    const ws = compile(FILES);
    const scope = resolveScope(ws.cluster, SHOP) as ResolvedScope;
    const { relevant } = placeObservations(ws.cluster, scope, OBSERVED);
    const verification = verifyEdits(ws, broken, [], []);
    const judged = judge(ws, verification.after, new Set([WEB, API, DB]), relevant, false);
    expect(judged.denied.map((d) => `${d.src} -> ${d.dst} ${d.port}`)).toEqual([`${MONITOR} -> ${API} 9090`]);
    expect(judged.denied[0]!.reason).toContain('ingress: NetworkPolicy shop/api');
  });

  it('says when an Admin-tier rule decides observed traffic: NetworkPolicy cannot change it', () => {
    const admin: SourceFile = {
      path: 'cluster.yaml',
      text: `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: no-monitoring}
spec:
  tier: Admin
  priority: 10
  subject:
    namespaces: {matchLabels: {kubernetes.io/metadata.name: shop}}
  ingress:
    - action: Deny
      from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: ops}}}]
`,
    };
    const plan = ok(planTighten([...FILES, admin], SHOP, OBSERVED));
    expect(plan.tighten.denied).toEqual([
      expect.objectContaining({
        src: MONITOR,
        dst: API,
        reason: expect.stringContaining('ClusterNetworkPolicy/no-monitoring (Admin tier'),
      }),
    ]);
    expect(plan.tighten.tierDecided).toContainEqual(
      expect.objectContaining({ src: MONITOR, dst: API, side: 'ingress', action: 'deny', observed: true }),
    );
    expect(plan.warnings.join('\n')).toContain('NetworkPolicy cannot change that');
  });

  it('works on a compiled workspace and leaves it as it was', () => {
    const ws = new Workspace(FILES, { cluster: {}, admission: 'all', history: 0 });
    const revision = ws.connections().revision;
    const plan = ok(planTighten(ws, SHOP, OBSERVED));
    expect(plan.edits.length).toBeGreaterThan(0);
    expect(ws.connections().revision).toBe(revision);
    expect(ws.files).toEqual(FILES);
  });
});
