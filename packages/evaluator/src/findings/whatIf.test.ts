// The label-tampering what-if: what a compromised workload reaches now, and the minimal labels on
// its pods or its namespace that open more.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatConnectionSet } from '../connectionSet.ts';
import { changeText, clusterOf, DEPLOY, NS, openings, POLICY, run } from './whatIfTesting.ts';

const DEMO = fileURLToPath(new URL('../../../../public/demo', import.meta.url));

function demoTexts(): string[] {
  return readdirSync(DEMO)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => readFileSync(join(DEMO, f), 'utf8'));
}

const INTRUDER = `apiVersion: apps/v1
kind: Deployment
metadata: { name: debug, namespace: default }
spec:
  selector: { matchLabels: { app: debug } }
  template:
    metadata: { labels: { app: debug } }
    spec: { containers: [{ name: shell, image: busybox }] }
`;

describe('whatIf on the demo', () => {
  it("finds that a pod of default adding app=demo reaches demo-db (the notes' attack)", () => {
    const result = run(clusterOf(...demoTexts(), INTRUDER), 'default/debug')!;
    expect(result.workload).toBe('default/debug[Deployment]');
    expect(result.reachesNow.map((t) => t.peer)).not.toContain('default/demo-db[StatefulSet]');
    expect(result.reachesNow.map((t) => t.peer)).toContain('default/demo[Deployment]');
    expect(openings(result.withPodLabels)).toEqual([
      'app=demo -> default/demo-db[StatefulSet]: All Connections',
    ]);
    expect(result.withPodLabels[0]!.loses).toEqual([]);
  });

  it("finds that labelling frontend's namespace app=store opens downstream-1, at the price of store-api", () => {
    const result = run(clusterOf(...demoTexts()), 'frontend/frontend[Deployment]')!;
    expect(result.reachesNow.map((t) => `${t.peer}: ${formatConnectionSet(t.conn)}`)).toEqual([
      'default/demo[Deployment]: All Connections',
      'downstream-2/downstream-2[Deployment]: All Connections',
      'store/store-api[Deployment]: TCP 8080',
      '0.0.0.0-255.255.255.255[External]: All Connections',
    ]);
    expect(result.withPodLabels).toEqual([]);
    expect(openings(result.withNamespaceLabels)).toEqual([
      'app=store -> downstream-1/downstream-1[Deployment]: TCP 8080',
    ]);
    // The namespace's app=frontend is overwritten, and store-api admits only namespaces labelled so.
    expect(result.withNamespaceLabels[0]!.loses).toEqual(['store/store-api[Deployment]']);
  });

  it('returns undefined for a workload that does not exist', () => {
    expect(run(clusterOf(...demoTexts()), 'default/nope')).toBeUndefined();
  });
});

describe('whatIf: candidates, verification and minimality', () => {
  it('never proposes relabelling kubernetes.io/metadata.name (the API server owns it)', () => {
    const cluster = clusterOf(
      NS('db'),
      NS('app'),
      DEPLOY('db', 'postgres', '{ app: postgres }'),
      DEPLOY('app', 'shell', '{ app: shell }'),
      POLICY(
        'db',
        'from-api-namespace',
        `podSelector: {}
ingress:
  - from:
      - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: api } }`,
      ),
    );
    const result = run(cluster, 'app/shell')!;
    expect(result.withNamespaceLabels).toEqual([]);
    // Pod labels cannot help either: the peer only looks at namespace api.
    expect(result.withPodLabels).toEqual([]);
  });

  it('needs both labels for an AND peer, so neither (a) nor (b) alone opens it', () => {
    const cluster = clusterOf(
      NS('db'),
      NS('app', '{ team: payments }'),
      DEPLOY('db', 'postgres', '{ app: postgres }'),
      DEPLOY('app', 'shell', '{ app: shell }'),
      POLICY(
        'db',
        'from-payments-api',
        `podSelector: {}
ingress:
  - from:
      - namespaceSelector: { matchLabels: { team: billing } }
        podSelector: { matchLabels: { role: api } }`,
      ),
    );
    const result = run(cluster, 'app/shell')!;
    expect(result.withPodLabels).toEqual([]);
    expect(result.withNamespaceLabels).toEqual([]);
  });

  it('offers each value of an In list, and only minimal sets', () => {
    const cluster = clusterOf(
      NS('shop'),
      DEPLOY('shop', 'db', '{ app: db }'),
      DEPLOY('shop', 'shell', '{ app: shell }'),
      POLICY(
        'shop',
        'db-ingress',
        `podSelector: { matchLabels: { app: db } }
ingress:
  - from:
      - podSelector:
          matchExpressions: [{ key: tier, operator: In, values: [api, worker] }]
  - from:
      - podSelector: { matchLabels: { tier: api, env: prod } }`,
      ),
    );
    const result = run(cluster, 'shop/shell')!;
    // {tier: api, env: prod} also opens db, but {tier: api} alone does: it is not minimal. Each
    // value of the In list does the same, so they are one change with alternatives.
    expect(result.withPodLabels.map(changeText)).toEqual(['tier=api']);
    expect(result.withPodLabels[0]!.alternatives.map(changeText)).toEqual(['tier=worker']);
  });

  it('finds the egress side too: a label that makes a broader egress policy select the pod', () => {
    const cluster = clusterOf(
      NS('shop'),
      DEPLOY('shop', 'db', '{ app: db }'),
      DEPLOY('shop', 'shell', '{ app: shell }'),
      POLICY('shop', 'deny-egress', 'podSelector: {}\npolicyTypes: [Egress]'),
      POLICY(
        'shop',
        'backup-egress',
        `podSelector: { matchLabels: { role: backup } }
policyTypes: [Egress]
egress:
  - to:
      - podSelector: { matchLabels: { app: db } }
    ports: [{ port: 5432 }]`,
      ),
    );
    const result = run(cluster, 'shop/shell')!;
    expect(result.reachesNow).toEqual([]);
    expect(openings(result.withPodLabels)).toEqual(['role=backup -> shop/db[Deployment]: TCP 5432']);
  });

  it('crosses both sides into one label set when the egress and the ingress each need a label', () => {
    const cluster = clusterOf(
      NS('shop'),
      DEPLOY('shop', 'db', '{ app: db }'),
      DEPLOY('shop', 'shell', '{ app: shell }'),
      POLICY('shop', 'deny-all', 'podSelector: {}\npolicyTypes: [Ingress, Egress]'),
      POLICY(
        'shop',
        'backup-egress',
        `podSelector: { matchLabels: { role: backup } }
policyTypes: [Egress]
egress:
  - to: [{ podSelector: { matchLabels: { app: db } } }]`,
      ),
      POLICY(
        'shop',
        'db-ingress',
        `podSelector: { matchLabels: { app: db } }
ingress:
  - from: [{ podSelector: { matchLabels: { access: db } } }]`,
      ),
    );
    const result = run(cluster, 'shop/shell')!;
    expect(result.withPodLabels.map((o) => o.labels)).toEqual([{ access: 'db', role: 'backup' }]);
  });
});
