// Incremental builds and analyses (buildCluster's `previous`, the shared memo, connectionDelta)
// against full rebuilds, on seeded random clusters put through random edit sequences.

import { type KubeObject, parseFile } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import { lineageOf } from './cluster.ts';
import {
  type Analysis,
  analyze,
  buildCluster,
  type Cluster,
  type ClusterOptions,
  type ConnectionDelta,
  connectionDelta,
  connectionKey,
} from './index.ts';
import { toYaml } from './testing/clusterYaml.ts';
import type { GenCluster } from './testing/genModel.ts';
import {
  GENERATED_PARSE_OPTIONS,
  prng,
  type Rng,
  randomCluster,
  randomClusterPolicy,
  randomPolicy,
} from './testing/randomCluster.ts';

/**
 * Parses documents one by one, returning the same objects for a document whose text did not
 * change, as the app's incremental parser does.
 */
class DocumentCache {
  private cache = new Map<string, KubeObject[]>();
  objects(texts: readonly string[]): KubeObject[] {
    const next = new Map<string, KubeObject[]>();
    const out: KubeObject[] = [];
    texts.forEach((text, i) => {
      let objects = next.get(text) ?? this.cache.get(text);
      if (!objects) {
        const parsed = parseFile({ path: `doc-${i}.json`, text }, GENERATED_PARSE_OPTIONS);
        objects = parsed.objects;
      }
      next.set(text, objects);
      out.push(...objects);
    });
    this.cache = next;
    return out;
  }
}

function documents(model: GenCluster): string[] {
  return toYaml(model).split('\n---\n');
}

function connectionMap(analysis: Analysis): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of analysis.connections()) out.set(`${c.src.id}>${c.dst.id}`, connectionKey(c.conn));
  return out;
}

function applyDelta(map: Map<string, string>, delta: ConnectionDelta): Map<string, string> {
  const out = new Map(map);
  for (const c of delta.removed) out.delete(`${c.src.id}>${c.dst.id}`);
  for (const c of delta.upserted) out.set(`${c.src.id}>${c.dst.id}`, connectionKey(c.conn));
  return out;
}

function diagnosticLines(cluster: Cluster): string[] {
  return cluster.diagnostics.map(
    (d) =>
      `${d.severity} ${d.code} ${d.file} ${d.field} ${d.object ?? ''} ${JSON.stringify(d.range)} ${d.message}`,
  );
}

function sorted(values: Iterable<string>): string[] {
  return [...values].sort();
}

type Edit =
  | 'replace'
  | 'add'
  | 'remove'
  | 'rename'
  | 'duplicate'
  | 'invalid'
  | 'pod'
  | 'types'
  | 'cluster-replace'
  | 'cluster-add'
  | 'cluster-remove'
  | 'cluster-priority';

/** Applies one random edit to the model; returns what kind it was. */
function edit(model: GenCluster, rng: Rng, step: number): Edit {
  const kind = rng.pick<Edit>([
    'replace',
    'replace',
    'replace',
    'add',
    'remove',
    'rename',
    'duplicate',
    'invalid',
    'pod',
    'types',
    'cluster-replace',
    'cluster-replace',
    'cluster-add',
    'cluster-remove',
    'cluster-priority',
  ]);
  const policies = model.policies;
  const tiered = model.clusterPolicies;
  const tierAt = tiered.length > 0 ? rng.int(0, tiered.length - 1) : -1;
  const at = policies.length > 0 ? rng.int(0, policies.length - 1) : -1;
  switch (kind) {
    case 'replace':
      if (at >= 0)
        policies[at] = { ...randomPolicy(rng, policies[at]!.name), namespace: policies[at]!.namespace };
      else policies.push(randomPolicy(rng, `new${step}`));
      break;
    case 'add':
      policies.push(randomPolicy(rng, `new${step}`));
      break;
    case 'remove':
      if (at >= 0) policies.splice(at, 1);
      break;
    case 'rename':
      if (at >= 0) policies[at] = { ...policies[at]!, name: `renamed${step}` };
      break;
    case 'duplicate':
      if (at >= 0)
        policies.push({ ...randomPolicy(rng, policies[at]!.name), namespace: policies[at]!.namespace });
      break;
    case 'invalid':
      policies.push({
        ...randomPolicy(rng, `bad${step}`),
        ingress: [{ peers: [{ ipBlock: { cidr: '10.0.0.0/40' } }] }],
      });
      break;
    case 'types':
      if (at >= 0)
        policies[at] = {
          ...policies[at]!,
          policyTypes: rng.pick([['Ingress'], ['Egress'], ['Ingress', 'Egress']]),
        };
      break;
    case 'cluster-replace':
      if (tierAt >= 0)
        tiered[tierAt] = {
          ...randomClusterPolicy(rng, tiered[tierAt]!.name),
          kind: tiered[tierAt]!.kind,
          name: tiered[tierAt]!.name,
          tier: tiered[tierAt]!.tier,
        };
      else tiered.push(randomClusterPolicy(rng, `cnew${step}`));
      break;
    case 'cluster-add':
      tiered.push(randomClusterPolicy(rng, `cnew${step}`));
      break;
    case 'cluster-remove':
      if (tierAt >= 0) tiered.splice(tierAt, 1);
      break;
    case 'cluster-priority':
      if (tierAt >= 0 && tiered[tierAt]!.kind !== 'BaselineAdminNetworkPolicy')
        tiered[tierAt] = { ...tiered[tierAt]!, priority: rng.pick([1, 2, 3, 5]) };
      break;
    case 'pod': {
      const pod = model.pods.length > 0 ? model.pods[rng.int(0, model.pods.length - 1)] : undefined;
      if (pod) pod.labels = { ...pod.labels, edited: String(step) };
      break;
    }
  }
  return kind;
}

// Property tests run many parse/analyse rounds: seconds on an idle machine, several times that
// on a busy 2-core CI runner. They check results, not speed, so they get a budget far above
// vitest's 5 s default that only a hang exceeds.
const PROPERTY_TEST_TIMEOUT_MS = 120_000;

describe('incremental builds and analyses equal full ones', () => {
  // Sixty seeds in six tests of ten: each test stays a few seconds on an idle machine.
  const SEED_GROUPS = [1, 11, 21, 31, 41, 51];
  it.each(SEED_GROUPS)(
    'after random edit sequences (ten seeds from %i): connections, diagnostics and the delta',
    {
      timeout: PROPERTY_TEST_TIMEOUT_MS,
    },
    (firstSeed) => {
      let reused = 0;
      let steps = 0;
      let changes = 0;
      for (let seed = firstSeed; seed < firstSeed + 10; seed++) {
        const model = randomCluster(seed, { clusterPolicies: true });
        const options: ClusterOptions = model.options;
        const rng = prng(seed * 104729 + 3);
        const docs = new DocumentCache();
        let cluster = buildCluster(docs.objects(documents(model)), options);
        let analysis = analyze(cluster);
        let connections = connectionMap(analysis);
        for (let step = 0; step < 12; step++) {
          const kind = edit(model, rng, step);
          const objects = docs.objects(documents(model));
          const next = buildCluster(objects, options, cluster);
          const full = buildCluster(objects, options);
          const label = `seed ${seed} step ${step} (${kind})`;
          expect(diagnosticLines(next), label).toEqual(diagnosticLines(full));
          expect(
            next.policies.map((p) => p.id),
            label,
          ).toEqual(full.policies.map((p) => p.id));
          expect(sorted(next.namespaces.keys()), label).toEqual(sorted(full.namespaces.keys()));
          expect(next.ingressIpSets.map(String), label).toEqual(full.ingressIpSets.map(String));
          expect(next.egressIpSets.map(String), label).toEqual(full.egressIpSets.map(String));
          expect(next.usesNamedPorts, label).toBe(full.usesNamedPorts);
          expect(
            next.clusterPolicies.map((p) => p.id),
            label,
          ).toEqual(full.clusterPolicies.map((p) => p.id));

          const nextAnalysis = analyze(next);
          const expected = connectionMap(analyze(full));
          expect(connectionMap(nextAnalysis), label).toEqual(expected);

          const shared = lineageOf(next) === lineageOf(cluster);
          // A pod edit changes a non-policy object: the build must start afresh.
          if (kind === 'pod' && model.pods.length > 0) expect(shared, label).toBe(false);
          const delta = connectionDelta(analysis, nextAnalysis);
          expect(delta === undefined, label).toBe(!shared);
          if (delta) {
            reused++;
            changes += delta.upserted.length + delta.removed.length;
            expect(applyDelta(connections, delta), label).toEqual(expected);
          }
          steps++;
          cluster = next;
          analysis = nextAnalysis;
          connections = expected;
        }
      }
      // The sequences must mostly exercise the incremental path, and the deltas must not be empty.
      expect(reused).toBeGreaterThan(steps / 2);
      expect(changes).toBeGreaterThan(steps);
    },
  );
});

describe('buildCluster(objects, options, previous)', () => {
  const base = [
    'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {team: a}}',
    'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop, labels: {app: web}}\nspec: {containers: [{name: c, image: i, ports: [{name: http, containerPort: 8080}]}]}\nstatus: {podIP: 10.0.0.1}',
    'apiVersion: v1\nkind: Pod\nmetadata: {name: db, namespace: shop, labels: {app: db}}\nspec: {containers: [{name: c, image: i}]}\nstatus: {podIP: 10.0.0.2}',
  ];
  const policy = (port: string) =>
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  ingress: [{from: [{podSelector: {matchLabels: {app: db}}}], ports: [{port: ${port}}]}]`;

  it('shares the workloads and compiled policies when only policies changed', () => {
    const docs = new DocumentCache();
    const first = buildCluster(docs.objects([...base, policy('8080')]));
    const second = buildCluster(docs.objects([...base, policy('http')]), {}, first);
    expect(second.workloads).toBe(first.workloads);
    expect(lineageOf(second)).toBe(lineageOf(first));
    expect(second.policies[0]).not.toBe(first.policies[0]);
    // An unchanged policy keeps its compiled form.
    const third = buildCluster(docs.objects([...base, policy('http')]), {}, second);
    expect(third.policies[0]).toBe(second.policies[0]);
    expect(second.usesNamedPorts).toBe(true);
    expect(first.usesNamedPorts).toBe(false);
  });

  it('starts afresh when a non-policy object, the options or the namespaces change', () => {
    const docs = new DocumentCache();
    const first = buildCluster(docs.objects([...base, policy('8080')]));
    const relabelled = [...base];
    relabelled[0] = relabelled[0]!.replace('team: a', 'team: b');
    expect(buildCluster(docs.objects([...relabelled, policy('8080')]), {}, first).workloads).not.toBe(
      first.workloads,
    );
    const again = buildCluster(docs.objects([...base, policy('8080')]));
    expect(
      buildCluster(docs.objects([...base, policy('8080')]), { cni: 'cilium' }, again).workloads,
    ).not.toBe(again.workloads);
    // A policy in a namespace nothing else names brings that namespace into being.
    const elsewhere = policy('8080').replace('namespace: shop', 'namespace: other');
    const moved = buildCluster(docs.objects([...base, elsewhere]), {}, again);
    expect(moved.workloads).not.toBe(again.workloads);
    expect([...moved.namespaces.keys()]).toContain('other');
  });

  it('a cluster not made by buildCluster has no lineage and no delta against one', () => {
    const docs = new DocumentCache();
    const cluster = buildCluster(docs.objects([...base, policy('8080')]));
    const copy: Cluster = { ...cluster, workloads: [...cluster.workloads] };
    expect(lineageOf(copy)).toBeUndefined();
    expect(connectionDelta(analyze(cluster), analyze(copy))).toBeUndefined();
  });
});

describe('connectionDelta', () => {
  it('compares only the rows and columns of workloads whose policies changed', () => {
    const model = randomCluster(4);
    const docs = new DocumentCache();
    const options = {};
    const before = buildCluster(docs.objects(documents({ ...model, policies: [] })), options);
    model.policies = [
      {
        name: 'deny',
        namespace: 'alpha',
        podSelector: {},
        policyTypes: ['Ingress'],
      },
    ];
    const after = buildCluster(docs.objects(documents(model)), options, before);
    const delta = connectionDelta(analyze(before), analyze(after))!;
    const isolated = after.workloads.filter((w) => w.namespace === 'alpha').length;
    expect(isolated).toBeGreaterThan(0);
    expect(delta.sources).toBe(0);
    expect(delta.destinations).toBe(isolated);
    expect(delta.upserted).toEqual([]);
    // Everything towards alpha's workloads from other workloads and from addresses is gone.
    const others = after.workloads.length - 1;
    expect(delta.removed.length).toBe(isolated * others + isolated * analyze(after).ingressExternals.length);
  });
});

describe('a long editing session', () => {
  it('stays exact after hundreds of edits (the shared memo is renewed when it outgrows the cluster)', {
    timeout: PROPERTY_TEST_TIMEOUT_MS,
  }, () => {
    const model = randomCluster(5);
    model.options = {};
    const rng = prng(77);
    const docs = new DocumentCache();
    let cluster = buildCluster(docs.objects(documents(model)));
    let analysis = analyze(cluster);
    let edges = connectionMap(analysis);
    for (let step = 0; step < 600; step++) {
      // Each edit compiles new rules, so every step interns new classes.
      model.policies[step % Math.max(1, model.policies.length)] = randomPolicy(rng, `p${step % 4}`);
      if (model.policies.length < 4) model.policies.push(randomPolicy(rng, `q${step}`));
      const next = buildCluster(docs.objects(documents(model)), {}, cluster);
      const nextAnalysis = analyze(next);
      const delta = connectionDelta(analysis, nextAnalysis);
      expect(delta, `step ${step}`).toBeDefined();
      edges = applyDelta(edges, delta!);
      if (step % 50 === 49) {
        const full = connectionMap(analyze(buildCluster(docs.objects(documents(model)))));
        expect(connectionMap(nextAnalysis), `step ${step}`).toEqual(full);
        expect(edges, `step ${step}`).toEqual(full);
      }
      cluster = next;
      analysis = nextAnalysis;
    }
  });
});
