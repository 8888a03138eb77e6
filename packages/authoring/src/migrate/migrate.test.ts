import type { SourceFile } from '@netpol-atlas/manifests';
import { Workspace } from '@netpol-atlas/workspace';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { migrateWorkspace, migrationEquivalence } from './equivalence.ts';
import { migrateClusterPolicies } from './migrate.ts';

const PODS = `apiVersion: v1
kind: Namespace
metadata:
  name: app
  labels: {team: app}
---
apiVersion: v1
kind: Namespace
metadata:
  name: db
  labels: {team: db}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: app, labels: {role: web}}
spec:
  containers:
  - name: c
    ports: [{name: http, containerPort: 8080}]
status: {podIP: 10.1.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: pg, namespace: db, labels: {role: pg}}
spec:
  containers:
  - name: c
    ports: [{name: pg, containerPort: 5432}, {name: dns, containerPort: 53, protocol: UDP}]
status: {podIP: 10.2.0.1}
`;

const POLICIES = `# Platform rules: kept as comments say
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata:
  name: platform
spec:
  priority: 20
  subject:
    namespaces: {matchLabels: {team: db}}
  ingress:
  - name: web-to-pg # the one door
    action: Allow
    from:
    - pods:
        namespaceSelector: {matchLabels: {team: app}}
        podSelector: {matchLabels: {role: web}}
    ports:
    - namedPort: pg
    - portRange: {protocol: UDP, start: 50, end: 60}
  - name: rest
    action: Pass
    from:
    - namespaces: {}
  egress:
  - action: Deny
    to:
    - networks: [0.0.0.0/0]
    ports:
    - portNumber: {port: 443}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata:
  name: default
spec:
  subject:
    namespaces: {}
  ingress:
  - action: Deny
    from:
    - namespaces: {}
`;

function files(...extra: SourceFile[]): SourceFile[] {
  return [{ path: 'pods.yaml', text: PODS }, { path: 'policies.yaml', text: POLICIES }, ...extra];
}

function docs(text: string): unknown[] {
  return text
    .split(/^---$/m)
    .map((d) => parse(d))
    .filter((d) => d !== null);
}

describe('migrateClusterPolicies', () => {
  it('rewrites each v1alpha1 document in place, keeping comments and every other file', () => {
    const migration = migrateClusterPolicies(files());
    expect(migration.files[0]).toEqual({ path: 'pods.yaml', text: PODS });
    expect(migration.edits.map((e) => [e.path, e.changes])).toEqual([
      [
        'policies.yaml',
        [
          'AdminNetworkPolicy/platform → ClusterNetworkPolicy/platform (Admin tier, priority 20)',
          'BaselineAdminNetworkPolicy/default → ClusterNetworkPolicy/default (Baseline tier, priority 0)',
        ],
      ],
    ]);
    const text = migration.files[1]!.text;
    expect(text).toContain('# Platform rules: kept as comments say');
    expect(text).toContain('- name: web-to-pg # the one door');
    const [admin, baseline] = docs(text) as { spec: Record<string, unknown> }[];
    expect(admin).toMatchObject({
      apiVersion: 'policy.networking.k8s.io/v1alpha2',
      kind: 'ClusterNetworkPolicy',
      spec: {
        tier: 'Admin',
        priority: 20,
        ingress: [
          {
            action: 'Accept',
            protocols: [
              { destinationNamedPort: 'pg' },
              { udp: { destinationPort: { range: { start: 50, end: 60 } } } },
            ],
          },
          { action: 'Pass' },
        ],
        egress: [{ action: 'Deny', protocols: [{ tcp: { destinationPort: { number: 443 } } }] }],
      },
    });
    // tier and priority lead the spec, where readers of a ClusterNetworkPolicy look first.
    expect(Object.keys(baseline!.spec).slice(0, 2)).toEqual(['tier', 'priority']);
    expect(migration.mapping).toEqual([
      {
        from: 'policies.yaml',
        to: 'policies.yaml',
        converted: ['AdminNetworkPolicy/platform', 'BaselineAdminNetworkPolicy/default'],
      },
    ]);
    expect(migration.converted.map((c) => [c.from.name, c.to])).toEqual([
      ['platform', { name: 'platform', tier: 'Admin', priority: 20, file: 'policies.yaml' }],
      ['default', { name: 'default', tier: 'Baseline', priority: 0, file: 'policies.yaml' }],
    ]);
    expect(parse(migration.converted[1]!.yaml)).toEqual(baseline);
    expect(migration.issues).toEqual([]);
  });

  it('renames on a name collision and reports ties within a tier', () => {
    const existing = `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: platform}
spec:
  tier: Admin
  priority: 20
  subject: {namespaces: {}}
`;
    const anpDefault = POLICIES.split('---')[0]!
      .replace('name: platform', 'name: default')
      .replace('priority: 20', 'priority: 30');
    const migration = migrateClusterPolicies(
      files({ path: 'cnp.yaml', text: existing }, { path: 'z-default.yaml', text: anpDefault }),
    );
    expect(migration.converted.map((c) => `${c.from.kind}/${c.from.name} -> ${c.to.name}`)).toEqual([
      'AdminNetworkPolicy/platform -> platform-admin',
      'BaselineAdminNetworkPolicy/default -> default',
      'AdminNetworkPolicy/default -> default-admin',
    ]);
    expect(migration.issues.map((i) => [i.code, i.object, i.field])).toEqual([
      ['name-collision', 'AdminNetworkPolicy/platform', 'metadata.name'],
      ['name-collision', 'AdminNetworkPolicy/default', 'metadata.name'],
      ['priority-tie', 'AdminNetworkPolicy/platform', 'spec.priority'],
    ]);
    expect(migration.issues[2]!.message).toContain(
      'ClusterNetworkPolicy/platform and ClusterNetworkPolicy/platform-admin share priority 20 in the Admin tier',
    );
    expect(migration.issues[0]!.range?.start.line).toBe(5);
  });

  it('leaves an object the API server refuses as it is, with an error', () => {
    const broken = POLICIES.replace('        podSelector: {matchLabels: {role: web}}\n', '');
    const migration = migrateClusterPolicies([
      { path: 'pods.yaml', text: PODS },
      { path: 'policies.yaml', text: broken },
    ]);
    expect(migration.converted.map((c) => c.from.kind)).toEqual(['BaselineAdminNetworkPolicy']);
    expect(migration.issues.map((i) => [i.code, i.severity])).toEqual([['invalid-source', 'error']]);
    expect(migration.issues[0]!.message).toContain('pods.podSelector: Required value');
    expect(migration.files[1]!.text).toContain('kind: AdminNetworkPolicy');
  });

  it('converts list items and JSON files in their own form', () => {
    const [anp, banp] = docs(POLICIES);
    const list = {
      path: 'list.json',
      text: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [anp] }),
    };
    const single = { path: 'banp.json', text: JSON.stringify(banp) };
    const migration = migrateClusterPolicies([{ path: 'pods.yaml', text: PODS }, list, single]);
    const listAfter = JSON.parse(migration.files[1]!.text);
    expect(listAfter.items[0]).toMatchObject({ kind: 'ClusterNetworkPolicy', spec: { tier: 'Admin' } });
    expect(JSON.parse(migration.files[2]!.text)).toMatchObject({
      kind: 'ClusterNetworkPolicy',
      spec: { tier: 'Baseline' },
    });
    expect(migration.converted[0]!.from).toMatchObject({ file: 'list.json', document: 0, item: 0 });
  });

  it('converts the items of a YAML List in place', () => {
    const items = POLICIES.split('---\n')
      .map(
        (doc) =>
          `- ${doc
            .replace(/^# .*\n/, '')
            .trimEnd()
            .replace(/\n/g, '\n  ')}\n`,
      )
      .join('');
    const text = `apiVersion: v1\nkind: List\nitems:\n${items}`;
    const migration = migrateClusterPolicies([
      { path: 'pods.yaml', text: PODS },
      { path: 'list.yaml', text },
    ]);
    const list = parse(migration.files[1]!.text) as {
      items: { kind: string; spec: Record<string, unknown> }[];
    };
    expect(list.items.map((i) => [i.kind, Object.keys(i.spec).slice(0, 2)])).toEqual([
      ['ClusterNetworkPolicy', ['tier', 'priority']],
      ['ClusterNetworkPolicy', ['tier', 'priority']],
    ]);
    expect(migration.converted.map((c) => c.from.item)).toEqual([0, 1]);
    expect(migration.issues).toEqual([]);
  });
});

describe('migrateWorkspace', () => {
  it('proves the converted set equivalent: every connection identical', () => {
    const workspace = new Workspace(files(), { history: 0 });
    const { equivalence, issues } = migrateWorkspace(workspace);
    expect(issues).toEqual([]);
    expect(equivalence.differences).toEqual([]);
    expect(equivalence.proven).toBe(true);
    expect(equivalence.identical).toBeGreaterThan(0);
  });

  it('lists every connection that differs, never hiding one', () => {
    const workspace = new Workspace(files(), { history: 0 });
    const migration = migrateWorkspace(workspace);
    const tampered = workspace.fork();
    tampered.setFiles(
      migration.files.map((f) =>
        f.path === 'policies.yaml' ? { ...f, text: f.text.replace('action: Accept', 'action: Deny') } : f,
      ),
    );
    const equivalence = migrationEquivalence(workspace, tampered);
    expect(equivalence.proven).toBe(false);
    expect(equivalence.differences).toContainEqual({
      src: 'app/web[Pod]',
      dst: 'db/pg[Pod]',
      before: 'TCP 5432,UDP 50-60',
      after: 'No Connections',
    });
  });

  it('reports a converted object the API server would refuse, and the connections it changes', () => {
    const rules = Array.from(
      { length: 26 },
      (_, i) => `  - action: Deny\n    from:\n    - namespaces: {matchLabels: {team: t${i}}}\n`,
    ).join('');
    const big = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: big}
spec:
  priority: 1
  subject: {namespaces: {}}
  ingress:
  - action: Deny
    from:
    - namespaces: {matchLabels: {team: app}}
${rules}`;
    const workspace = new Workspace(
      [
        { path: 'pods.yaml', text: PODS },
        { path: 'big.yaml', text: big },
      ],
      { history: 0 },
    );
    const { issues, equivalence } = migrateWorkspace(workspace);
    expect(issues.map((i) => i.code)).toEqual(['rule-limit', 'invalid-result']);
    expect(equivalence.proven).toBe(false);
    expect(equivalence.differences).toContainEqual({
      src: 'app/web[Pod]',
      dst: 'db/pg[Pod]',
      before: 'No Connections',
      after: 'All Connections',
    });
  });

  it('converts, under netpol-analyzer’s reading, an object it reads although the API server refuses it', () => {
    const broken = POLICIES.replace('        podSelector: {matchLabels: {role: web}}\n', '');
    const input = [
      { path: 'pods.yaml', text: PODS },
      { path: 'policies.yaml', text: broken },
    ];
    const upstream = migrateWorkspace(new Workspace(input, { history: 0 }));
    expect(upstream.converted).toHaveLength(1);
    expect(upstream.equivalence.proven).toBe(true);
    const compat = migrateWorkspace(
      new Workspace(input, { cluster: { compat: 'netpol-analyzer' }, history: 0 }),
    );
    expect(compat.converted).toHaveLength(2);
    expect(compat.issues.map((i) => [i.code, i.severity])).toEqual([['invalid-source', 'warning']]);
    expect(docs(compat.files[1]!.text)[0]).toMatchObject({
      spec: {
        ingress: [
          { from: [{ pods: { namespaceSelector: { matchLabels: { team: 'app' } }, podSelector: {} } }] },
          {},
        ],
      },
    });
    expect(compat.equivalence.proven).toBe(true);
  });
});
