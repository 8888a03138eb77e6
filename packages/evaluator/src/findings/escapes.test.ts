// The what-if's escapes: label changes (overwrites and removals, alone or with added labels) that
// take a workload out of the policies isolating it, judged by the evaluator on relabelled copies.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseManifests } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze.ts';
import { buildCluster } from '../cluster.ts';
import { formatConnectionSet } from '../connectionSet.ts';
import {
  changeText,
  clusterOf,
  DEPLOY,
  exposures,
  minimalityProblems,
  NS,
  openings,
  POLICY,
  run,
} from './whatIfTesting.ts';

const DEMO = fileURLToPath(new URL('../../../../public/demo', import.meta.url));

function demoFiles(): { path: string; text: string }[] {
  return readdirSync(DEMO)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ path: f, text: readFileSync(join(DEMO, f), 'utf8') }));
}

/** Every non-empty connection of a workload, both ways, as `-> dst: conn` / `<- src: conn` lines. */
function connectionsOf(texts: { path: string; text: string }[], workload: string): Set<string> {
  const cluster = buildCluster(parseManifests(texts).objects);
  const lines = new Set<string>();
  for (const c of analyze(cluster).connections()) {
    if (c.src.id === workload) lines.add(`-> ${c.dst.id}: ${formatConnectionSet(c.conn)}`);
    if (c.dst.id === workload) lines.add(`<- ${c.src.id}: ${formatConnectionSet(c.conn)}`);
  }
  return lines;
}

describe('what-if escapes on the demo', () => {
  it('finds that demo-db leaves its own policy by changing app=demo-db (to app=demo, or removing it)', () => {
    const files = demoFiles();
    const result = run(clusterOf(...files.map((f) => f.text)), 'default/demo-db[StatefulSet]')!;
    const found = result.withPodLabels.find((o) =>
      [o, ...o.alternatives].some((c) => changeText(c) === 'app=demo'),
    );
    expect(found).toBeDefined();
    expect(found!.leaves).toEqual(['default/demo-db']);
    // The same as the CLI on a copy of the demo where the StatefulSet's template says app=demo.
    const relabelled = files.map((f) => ({
      path: f.path,
      text:
        f.path === 'workloads.yaml'
          ? f.text.replace(/(name: demo-db[\s\S]*?template:\s+metadata:\s+labels:\s+app:) demo-db/, '$1 demo')
          : f.text,
    }));
    expect(relabelled).not.toEqual(files);
    const before = connectionsOf(files, 'default/demo-db[StatefulSet]');
    const after = connectionsOf(relabelled, 'default/demo-db[StatefulSet]');
    const fresh = [...after].filter((line) => !before.has(line));
    const outgoing = fresh.filter((l) => l.startsWith('->'));
    expect(outgoing).toHaveLength(4);
    expect(found!.opens.map((t) => `-> ${t.peer}: ${formatConnectionSet(t.conn)}`)).toEqual(
      expect.arrayContaining(outgoing),
    );
    expect(found!.opens).toHaveLength(4);
    expect(found!.exposes.map((t) => `<- ${t.peer}: ${formatConnectionSet(t.conn)}`).sort()).toEqual(
      fresh.filter((l) => l.startsWith('<-')).sort(),
    );
    expect(result.search.pod.untried).toBe(0);
  });
});

describe('what-if escapes, by direction', () => {
  it('egress: removing the label its egress policy selects frees its egress', () => {
    const input = clusterOf(
      NS('shop'),
      DEPLOY('shop', 'worker', '{ app: worker }'),
      DEPLOY('shop', 'db', '{ app: db }'),
      DEPLOY('shop', 'cache', '{ app: cache }'),
      POLICY(
        'shop',
        'worker-egress',
        `podSelector: { matchLabels: { app: worker } }
policyTypes: [Egress]
egress:
  - to: [{ podSelector: { matchLabels: { app: db } } }]
    ports: [{ port: 5432 }]`,
      ),
    );
    const result = run(input, 'shop/worker')!;
    expect(result.reachesNow.map((t) => `${t.peer}: ${formatConnectionSet(t.conn)}`)).toEqual([
      'shop/db[Deployment]: TCP 5432',
    ]);
    expect(openings(result.withPodLabels)).toEqual([
      'app- -> shop/cache[Deployment]: All Connections',
      'app- -> shop/db[Deployment]: SCTP 1-65535,TCP 1-5431,5433-65535,UDP 1-65535',
      'app- -> 0.0.0.0-255.255.255.255[External]: All Connections',
    ]);
    expect(exposures(result.withPodLabels)).toEqual([]);
    expect(result.withPodLabels[0]!.leaves).toEqual(['shop/worker-egress']);
  });

  it('ingress: removing the label its ingress policy selects lets everyone in', () => {
    const input = clusterOf(
      NS('shop'),
      DEPLOY('shop', 'db', '{ app: db }'),
      DEPLOY('shop', 'api', '{ app: api }'),
      DEPLOY('shop', 'shell', '{ app: shell }'),
      POLICY(
        'shop',
        'db-ingress',
        `podSelector: { matchLabels: { app: db } }
ingress:
  - from: [{ podSelector: { matchLabels: { app: api } } }]`,
      ),
    );
    const result = run(input, 'shop/db')!;
    expect(result.reachedByNow.map((t) => t.peer)).toEqual(['shop/api[Deployment]']);
    expect(exposures(result.withPodLabels)).toEqual([
      'app- <- shop/shell[Deployment]: All Connections',
      'app- <- 0.0.0.0-255.255.255.255[External]: All Connections',
    ]);
    expect(openings(result.withPodLabels)).toEqual([]);
    expect(result.withPodLabels.map((o) => o.alternatives.map(changeText))).toEqual([
      // app=shell is no different from any other value no selector names.
      ['app=api', 'app=other'],
    ]);
  });
});

describe('what-if escapes: leaving one policy, landing in another, with added labels', () => {
  const DEFAULT_DENY = POLICY('shop', 'default-deny', 'podSelector: {}\npolicyTypes: [Ingress, Egress]');

  it('app=db -> app=backup leaves the db policy and lands in the backup one', () => {
    const input = clusterOf(
      NS('shop'),
      DEPLOY('shop', 'db', '{ app: db }'),
      DEPLOY('shop', 'cache', '{ app: cache }'),
      DEPLOY('shop', 'ops', '{ app: ops }'),
      DEFAULT_DENY,
      POLICY(
        'shop',
        'ops-egress',
        'podSelector: { matchLabels: { app: ops } }\negress: [{ to: [{ podSelector: { matchLabels: { app: backup } } }] }]',
      ),
      POLICY(
        'shop',
        'cache-ingress',
        'podSelector: { matchLabels: { app: cache } }\ningress: [{ from: [{ podSelector: { matchLabels: { app: db } } }] }]',
      ),
      POLICY(
        'shop',
        'db',
        `podSelector: { matchLabels: { app: db } }
policyTypes: [Egress]
egress:
  - to: [{ podSelector: { matchLabels: { app: cache } } }]`,
      ),
      POLICY(
        'shop',
        'backup',
        `podSelector: { matchLabels: { app: backup } }
policyTypes: [Ingress, Egress]
ingress:
  - from: [{ podSelector: { matchLabels: { app: ops } } }]
egress:
  - to: [{ ipBlock: { cidr: 203.0.113.0/24 } }]
    ports: [{ port: 443 }]`,
      ),
    );
    const result = run(input, 'shop/db')!;
    // Removing app leaves the db policy but default-deny still isolates it: nothing gained.
    expect(result.withPodLabels.map(changeText)).toEqual(['app=backup']);
    const [backup] = result.withPodLabels;
    expect(backup!.leaves).toEqual(['shop/db']);
    expect(backup!.enters).toEqual(['shop/backup']);
    expect(openings([backup!])).toEqual(['app=backup -> 203.0.113.0-203.0.113.255[External]: TCP 443']);
    expect(exposures([backup!])).toEqual(['app=backup <- shop/ops[Deployment]: All Connections']);
    expect(backup!.loses).toEqual(['shop/cache[Deployment]']);
  });

  it('combines leaving its egress policy with a label the destination admits', () => {
    const input = clusterOf(
      NS('shop'),
      DEPLOY('shop', 'worker', '{ app: worker }'),
      DEPLOY('shop', 'vault', '{ app: vault }'),
      POLICY(
        'shop',
        'worker-egress',
        `podSelector: { matchLabels: { app: worker } }
policyTypes: [Egress]
egress: []`,
      ),
      POLICY(
        'shop',
        'vault-ingress',
        `podSelector: { matchLabels: { app: vault } }
ingress:
  - from: [{ podSelector: { matchLabels: { access: vault } } }]`,
      ),
    );
    const result = run(input, 'shop/worker')!;
    // Neither change alone reaches the vault: leaving opens the outside, the label opens nothing.
    expect(result.withPodLabels.map(changeText)).toEqual(['app-', 'access=vault,app-']);
    expect(openings(result.withPodLabels)).toContain(
      'access=vault,app- -> shop/vault[Deployment]: All Connections',
    );
    expect(openings(result.withPodLabels)).not.toContain('app- -> shop/vault[Deployment]: All Connections');
  });
});

describe('what-if search bound', () => {
  it('reports the bound in the result and in the notes when it stops the search', () => {
    const input = clusterOf(...demoFiles().map((f) => f.text));
    const bounded = run(input, 'default/demo-db[StatefulSet]', { maxEvaluations: 2 })!;
    expect(bounded.search.pod).toEqual({ evaluated: 2, limit: 2, untried: 4 });
    expect(bounded.notes).toContainEqual(
      expect.stringMatching(/^Search bound reached for pod labels: 2 changes evaluated, 4 not tried/),
    );
    const full = run(input, 'default/demo-db[StatefulSet]')!;
    expect(full.search.pod.untried).toBe(0);
    expect(full.notes.filter((n) => n.startsWith('Search bound'))).toEqual([]);
  });
});

describe('what-if minimality', () => {
  it('reports no larger change that only adds up what its smaller ones open', () => {
    const input = clusterOf(
      NS('shop'),
      DEPLOY('shop', 'db', '{ app: db }'),
      DEPLOY('shop', 'api', '{ app: api }'),
      DEPLOY('shop', 'shell', '{ app: shell }'),
      DEPLOY('shop', 'vault', '{ app: vault }'),
      POLICY(
        'shop',
        'db-ingress',
        'podSelector: { matchLabels: { app: db } }\ningress: [{ from: [{ podSelector: { matchLabels: { app: api } } }] }]',
      ),
      POLICY(
        'shop',
        'vault-ingress',
        'podSelector: { matchLabels: { app: vault } }\ningress: [{ from: [{ podSelector: { matchLabels: { access: vault } } }] }]',
      ),
    );
    const result = run(input, 'shop/db')!;
    // app- lets shell in; access=vault lets db reach the vault; both together add nothing more.
    expect(exposures(result.withPodLabels)).toContain('app- <- shop/shell[Deployment]: All Connections');
    expect(openings(result.withPodLabels)).toContain(
      'access=vault -> shop/vault[Deployment]: All Connections',
    );
    expect(result.withPodLabels.map(changeText)).toEqual(['app-', 'access=vault']);
    expect(minimalityProblems(input, result)).toEqual([]);
  });

  it('reports only exact, minimal changes on the demo and the fixtures above', () => {
    const demo = clusterOf(...demoFiles().map((f) => f.text));
    for (const w of demo.cluster.workloads) expect(minimalityProblems(demo, run(demo, w.id)!)).toEqual([]);
    const shop = clusterOf(
      NS('shop', '{ team: shop }'),
      DEPLOY('shop', 'worker', '{ app: worker, tier: back }'),
      DEPLOY('shop', 'vault', '{ app: vault }'),
      POLICY(
        'shop',
        'worker-egress',
        `podSelector: { matchLabels: { app: worker, tier: back } }
policyTypes: [Egress]
egress: []`,
      ),
      POLICY(
        'shop',
        'vault-ingress',
        `podSelector: { matchLabels: { app: vault } }
ingress:
  - from: [{ podSelector: { matchLabels: { access: vault, env: prod } } }]`,
      ),
    );
    const worker = run(shop, 'shop/worker')!;
    expect(minimalityProblems(shop, worker)).toEqual([]);
    expect(worker.withPodLabels.map(changeText)).toEqual([
      'app-',
      'tier-',
      'access=vault,app-,env=prod',
      'access=vault,env=prod,tier-',
    ]);
  });
});

describe('what-if: isolated by several policies', () => {
  it('finds the labels to change together when two policies isolate it on different labels', () => {
    const input = clusterOf(
      NS('shop'),
      DEPLOY('shop', 'db', '{ app: db, tier: data, version: v1 }'),
      DEPLOY('shop', 'cache', '{ app: cache }'),
      POLICY(
        'shop',
        'db-egress',
        `podSelector: { matchLabels: { app: db } }
policyTypes: [Egress]
egress:
  - to: [{ podSelector: { matchLabels: { app: cache } } }]`,
      ),
      POLICY('shop', 'data-egress', 'podSelector: { matchLabels: { tier: data } }\npolicyTypes: [Egress]'),
    );
    const result = run(input, 'shop/db')!;
    // Either label alone leaves one policy and stays isolated by the other; version plays no part.
    const both = result.withPodLabels.find((o) => o.remove.length === 2);
    expect(both && changeText(both)).toBe('app-,tier-');
    expect(both!.leaves).toEqual(['shop/data-egress', 'shop/db-egress']);
    expect(openings([both!])).toContain('app-,tier- -> 0.0.0.0-255.255.255.255[External]: All Connections');
    expect(minimalityProblems(input, result)).toEqual([]);
  });
});

describe('what-if: namespace labels', () => {
  it("finds the namespace label its own egress rule asks of a neighbour's namespace", () => {
    const input = clusterOf(
      NS('shop', '{ team: shop }'),
      DEPLOY('shop', 'worker', '{ app: worker }'),
      DEPLOY('shop', 'db', '{ app: db }'),
      POLICY(
        'shop',
        'worker-egress',
        `podSelector: { matchLabels: { app: worker } }
policyTypes: [Egress]
egress:
  - to: [{ namespaceSelector: { matchLabels: { zone: data } }, podSelector: { matchLabels: { app: db } } }]`,
      ),
    );
    const result = run(input, 'shop/worker')!;
    // Labelling its own namespace zone=data makes its rule admit db, its neighbour.
    expect(openings(result.withNamespaceLabels)).toEqual([
      'zone=data -> shop/db[Deployment]: All Connections',
    ]);
    expect(minimalityProblems(input, result)).toEqual([]);
  });
});
