import { type Connection, connectionKey, diffAnalyses } from '@netpol-atlas/evaluator';
import { ManifestCache, type SourceFile } from '@netpol-atlas/manifests';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Workspace } from './index.ts';

const PODS = `apiVersion: v1
kind: Pod
metadata: { name: web, namespace: shop, labels: { app: web } }
spec: { containers: [{ name: c, ports: [{ containerPort: 8080, name: http }] }] }
---
apiVersion: v1
kind: Pod
metadata: { name: api, namespace: shop, labels: { app: api } }
spec: { containers: [{ name: c, ports: [{ containerPort: 9090 }] }] }
---
apiVersion: v1
kind: Pod
metadata: { name: db, namespace: data, labels: { app: db } }
spec: { containers: [{ name: c }] }
`;

function denyIngress(port: number): string {
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: api-in, namespace: shop }
spec:
  podSelector: { matchLabels: { app: api } }
  ingress:
    - from: [{ podSelector: { matchLabels: { app: web } } }]
      ports: [{ port: ${port} }]
`;
}

const EGRESS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: db-out, namespace: data }
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to: [{ ipBlock: { cidr: 10.0.0.0/8, except: [10.1.0.0/16] } }]
`;

function files(port = 9090): SourceFile[] {
  return [
    { path: 'pods.yaml', text: PODS },
    { path: 'policies.yaml', text: denyIngress(port) },
    { path: 'egress.yaml', text: EGRESS },
  ];
}

/** Connections by pair, as an edge list keyed by ids holds them. */
function edgeMap(connections: Iterable<Connection>): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of connections) out.set(`${c.src.id}>${c.dst.id}`, connectionKey(c.conn));
  return out;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('Workspace revisions', () => {
  it('starts at revision 0 and names it in every answer', () => {
    const ws = new Workspace(files());
    expect(ws.revision).toBe(0);
    expect(ws.parsed().revision).toBe(0);
    expect(ws.cluster().revision).toBe(0);
    expect(ws.connections().revision).toBe(0);
    expect(ws.findings().revision).toBe(0);
    expect(ws.diagnostics().revision).toBe(0);
    expect(ws.exposure().revision).toBe(0);
    expect(ws.explain('shop/web', 'shop/api')?.revision).toBe(0);
  });

  it('bumps the revision on every edit that changes something, and only then', () => {
    const ws = new Workspace(files());
    expect(ws.edit({ kind: 'set', path: 'policies.yaml', text: denyIngress(1) })).toBe(1);
    expect(ws.edit({ kind: 'set', path: 'policies.yaml', text: denyIngress(1) })).toBe(1);
    expect(ws.edit({ kind: 'remove', path: 'missing.yaml' })).toBe(1);
    expect(ws.setFiles(ws.files.map((f) => ({ ...f })))).toBe(1);
    expect(ws.edit({ kind: 'set', path: 'more.yaml', text: '' })).toBe(2);
    expect(ws.files.map((f) => f.path)).toEqual(['pods.yaml', 'policies.yaml', 'egress.yaml', 'more.yaml']);
    expect(ws.edit({ kind: 'rename', from: 'more.yaml', to: 'other.yaml' })).toBe(3);
    expect(ws.edit({ kind: 'remove', path: 'other.yaml' })).toBe(4);
    expect(ws.connections().revision).toBe(4);
  });

  it('renames a file in place: its objects report the new path', () => {
    const ws = new Workspace(files());
    ws.edit({ kind: 'rename', from: 'pods.yaml', to: 'shop/pods.yaml' });
    expect(ws.files[0]!.path).toBe('shop/pods.yaml');
    const web = ws.cluster().cluster.workloads.find((w) => w.name === 'web')!;
    expect(web.pods[0]!.source.file).toBe('shop/pods.yaml');
  });
});

describe('Workspace laziness and memo', () => {
  it('parses nothing until asked, then returns the same answers for the same revision', () => {
    const parse = vi.spyOn(ManifestCache.prototype, 'parseFile');
    const ws = new Workspace(files());
    ws.edit({ kind: 'set', path: 'policies.yaml', text: denyIngress(1) });
    expect(parse).not.toHaveBeenCalled();
    const connections = ws.connections();
    expect(parse).toHaveBeenCalledTimes(3);
    expect(ws.connections()).toBe(connections);
    expect(ws.cluster().cluster).toBe(connections.analysis.cluster);
    expect(ws.findings()).toBe(ws.findings());
    expect(ws.exposure()).toBe(ws.exposure());
    expect(ws.diagnostics()).toBe(ws.diagnostics());
    expect(ws.whatIf('shop/web')).toBe(ws.whatIf('shop/web'));
    expect(parse).toHaveBeenCalledTimes(3);
  });

  it('computes a revision skipped over only when asked, and never the ones in between', () => {
    const parse = vi.spyOn(ManifestCache.prototype, 'parseFile');
    const ws = new Workspace(files());
    for (let port = 1; port <= 5; port++)
      ws.edit({ kind: 'set', path: 'policies.yaml', text: denyIngress(port) });
    ws.connections();
    expect(parse).toHaveBeenCalledTimes(3);
  });
});

describe('Workspace incremental parse and build', () => {
  it('re-parses only the edited file, and keeps the objects of the others', () => {
    const ws = new Workspace(files());
    const before = ws.parsed().result.objects;
    const parse = vi.spyOn(ManifestCache.prototype, 'parseFile');
    ws.edit({ kind: 'set', path: 'policies.yaml', text: denyIngress(7) });
    const after = ws.parsed().result.objects;
    expect(parse.mock.calls.map(([file]) => file.path)).toEqual(['policies.yaml']);
    const pods = (objects: typeof before) => objects.filter((o) => o.kind === 'Pod');
    expect(pods(after)).toEqual(pods(before));
    expect(pods(after).every((pod, i) => pod === pods(before)[i])).toBe(true);
  });

  it('builds the cluster of a policy edit from the previous one (the workloads are shared)', () => {
    const ws = new Workspace(files());
    const before = ws.cluster().cluster;
    ws.edit({ kind: 'set', path: 'policies.yaml', text: denyIngress(7) });
    expect(ws.cluster().cluster.workloads).toBe(before.workloads);
  });
});

describe('Workspace deltas and diffs', () => {
  it.each([
    ['a policy edit (incremental)', { kind: 'set', path: 'policies.yaml', text: denyIngress(8080) }, true],
    [
      'a workload edit (full comparison)',
      { kind: 'set', path: 'pods.yaml', text: PODS.replace('app: api', 'app: other') },
      false,
    ],
    [
      'an address range edit',
      { kind: 'set', path: 'egress.yaml', text: EGRESS.replace('10.1.0.0/16', '10.2.0.0/16') },
      true,
    ],
  ] as const)(
    'connectionsSince after %s patches the old edge list into the new one',
    (_, change, incremental) => {
      const ws = new Workspace(files());
      const start = ws.revision;
      const edges = edgeMap(ws.connections().analysis.connections());
      ws.edit(change);
      const delta = ws.connectionsSince(start)!;
      expect(delta).toMatchObject({ since: start, revision: ws.revision, incremental });
      for (const c of delta.removed) edges.delete(`${c.src.id}>${c.dst.id}`);
      for (const c of delta.upserted) edges.set(`${c.src.id}>${c.dst.id}`, connectionKey(c.conn));
      expect(edges).toEqual(edgeMap(ws.connections().analysis.connections()));
      expect(delta.upserted.length + delta.removed.length).toBeGreaterThan(0);
      expect(ws.connectionsSince(start)).toBe(delta);
    },
  );

  it('diffs against a kept revision as against a workspace holding that revision', () => {
    const ws = new Workspace(files());
    const other = new Workspace(files());
    ws.edit({ kind: 'set', path: 'policies.yaml', text: denyIngress(8080) });
    const byRevision = ws.diff(0)!;
    const byWorkspace = ws.diff(other)!;
    expect(byRevision.before).toBe(0);
    expect(byRevision.revision).toBe(1);
    const lines = (d: typeof byRevision) => d.diff.changes.map((c) => `${c.type} ${c.src.id} ${c.dst.id}`);
    expect(lines(byRevision)).toEqual(lines(byWorkspace));
    expect(lines(byRevision)).toEqual(
      diffAnalyses(other.connections().analysis, ws.connections().analysis).changes.map(
        (c) => `${c.type} ${c.src.id} ${c.dst.id}`,
      ),
    );
    expect(byRevision.diff.changes.length).toBeGreaterThan(0);
  });

  it('keeps a bounded history: older revisions are forgotten', () => {
    const ws = new Workspace(files(), { history: 2 });
    for (let port = 1; port <= 4; port++)
      ws.edit({ kind: 'set', path: 'policies.yaml', text: denyIngress(port) });
    expect(ws.revision).toBe(4);
    expect(ws.connectionsSince(1)).toBeUndefined();
    expect(ws.diff(1)).toBeUndefined();
    expect(ws.connectionsSince(2)).toBeDefined();
    expect(ws.connectionsSince(3)).toBeDefined();
    const none = new Workspace(files(), { history: 0 });
    none.edit({ kind: 'set', path: 'policies.yaml', text: denyIngress(1) });
    expect(none.connectionsSince(0)).toBeUndefined();
  });
});

describe('Workspace answers', () => {
  it('explains address ranges by the id the analysis gives them, and IPv4 addresses', () => {
    const ws = new Workspace(files());
    const range = ws.connections().analysis.egressExternals.find((e) => e.id.startsWith('10.0.0.0-'))!;
    const byRange = ws.explain('data/db[Pod]', range.id)!;
    expect(byRange.explanation.dst.id).toBe(range.id);
    expect(byRange.explanation.verdict).toBe('allowed');
    expect(ws.explain('data/db', '10.1.2.3')!.explanation.verdict).toBe('denied');
    expect(ws.explain('nobody', 'shop/api')).toBeUndefined();
  });

  it('answers what-if and findings for the current revision', () => {
    const ws = new Workspace(files());
    expect(ws.whatIf('shop/web').result?.workload).toBe('shop/web[Pod]');
    expect(ws.whatIf('nobody').result).toBeUndefined();
    expect(ws.findings().findings.length).toBeGreaterThan(0);
  });

  it('reviews ipBlocks against the configured cluster ranges', () => {
    const egress = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: web-out, namespace: shop }
spec:
  podSelector: { matchLabels: { app: web } }
  policyTypes: [Egress]
  egress:
    - to: [{ ipBlock: { cidr: 10.0.0.0/8 } }]
`;
    const ws = new Workspace([
      { path: 'pods.yaml', text: PODS },
      { path: 'out.yaml', text: egress },
    ]);
    const nodeFindings = () => ws.findings().findings.filter((f) => f.rule === 'ipblock-covers-nodes');
    expect(nodeFindings()).toEqual([]);
    ws.configure({ networks: { nodeCidrs: ['10.0.0.0/24'] } });
    expect(nodeFindings().map((f) => f.severity)).toEqual(['high']);
    expect(ws.options.networks?.nodeCidrs).toEqual(['10.0.0.0/24']);
    // Ranges given per call override the options' without a new revision.
    const revision = ws.revision;
    const perCall = ws.findings({ networks: { nodeCidrs: [] } }).findings;
    expect(perCall.filter((f) => f.rule === 'ipblock-covers-nodes')).toEqual([]);
    expect(ws.revision).toBe(revision);
    expect(ws.findings({ networks: { nodeCidrs: [] } })).toBe(ws.findings({ networks: { nodeCidrs: [] } }));
  });
});

describe('Workspace.fork', () => {
  it('shares the parse and cluster of the current revision and re-parses only what it edits', () => {
    const ws = new Workspace(files());
    const parent = ws.connections();
    const parse = vi.spyOn(ManifestCache.prototype, 'parseFile');
    const fork = ws.fork();
    expect(fork.revision).toBe(ws.revision);
    expect(fork.connections()).toBe(parent);
    fork.edit({ kind: 'set', path: 'policies.yaml', text: denyIngress(8080) });
    fork.connections();
    expect(parse.mock.calls.map(([file]) => file.path)).toEqual(['policies.yaml']);
    expect(fork.cluster().cluster.workloads).toBe(parent.analysis.workloads);
    expect(fork.diff(ws)!.diff.changes.length).toBeGreaterThan(0);
  });

  it('never shows its edits in the workspace it came from, nor the other way round', () => {
    const ws = new Workspace(files());
    const before = edgeMap(ws.connections().analysis.connections());
    const range = ws.parsed().result.objects.find((o) => o.kind === 'NetworkPolicy')!.source.range;
    const fork = ws.fork();
    // Lines added above the policy move it in the fork's text only.
    fork.edit({ kind: 'set', path: 'policies.yaml', text: `# a\n# b\n${denyIngress(8080)}` });
    const forked = edgeMap(fork.connections().analysis.connections());
    expect(forked).not.toEqual(before);
    expect(ws.text('policies.yaml')).toBe(denyIngress(9090));
    expect(edgeMap(ws.connections().analysis.connections())).toEqual(before);
    expect(ws.parsed().result.objects.find((o) => o.kind === 'NetworkPolicy')!.source.range).toEqual(range);
    ws.edit({ kind: 'set', path: 'pods.yaml', text: '' });
    expect(fork.text('pods.yaml')).toBe(PODS);
    expect(edgeMap(fork.connections().analysis.connections())).toEqual(forked);
  });
});

describe('Workspace admission and options', () => {
  const BAD_POD = `---\napiVersion: v1\nkind: Pod\nmetadata: { name: bad, namespace: shop }\nspec: { containers: [{ name: c, ports: [{ containerPort: http }] }] }\n`;

  it('leaves out objects the API server would refuse, unless told to keep every object', () => {
    const input = [{ path: 'pods.yaml', text: PODS + BAD_POD }];
    const admitted = new Workspace(input);
    expect(admitted.cluster().cluster.workloads.map((w) => w.name)).not.toContain('bad');
    expect(admitted.diagnostics().leftOut).toBe(1);
    expect(admitted.diagnostics().all.some((d) => admitted.diagnostics().isFatal(d))).toBe(true);
    const all = new Workspace(input, { admission: 'all' });
    expect(all.cluster().cluster.workloads.map((w) => w.name)).toContain('bad');
    expect(all.diagnostics().leftOut).toBe(0);
  });

  it('under compat netpol-analyzer keeps every object and stops reading a file at a syntax error', () => {
    const input = [{ path: 'pods.yaml', text: `${PODS}---\nkind: [oops\n---\n${BAD_POD}` }];
    const compat = new Workspace(input, { cluster: { compat: 'netpol-analyzer' } });
    expect(compat.diagnostics().leftOut).toBe(0);
    expect(compat.parsed().result.objects.map((o) => o.metadata.name)).toEqual(['web', 'api', 'db']);
    const upstream = new Workspace(input);
    expect(upstream.parsed().result.objects.map((o) => o.metadata.name)).toContain('bad');
  });

  it('compiles afresh under new options, keeping the parse when the text reads alike', () => {
    const ws = new Workspace(files());
    const connections = ws.connections();
    const objects = ws.parsed().result.objects;
    const parse = vi.spyOn(ManifestCache.prototype, 'parseFile');
    expect(ws.configure({ cluster: { cni: 'flannel' } })).toBe(1);
    expect(ws.connections()).not.toBe(connections);
    expect(ws.cluster().cluster.options.cni).toBe('flannel');
    expect(ws.parsed().result.objects).toEqual(objects);
    expect(parse).not.toHaveBeenCalled();
    expect(ws.connectionsSince(0)).toBeUndefined();
    ws.configure({ cluster: { cni: 'flannel' }, validation: { fieldValidation: 'Ignore' } });
    ws.parsed();
    expect(parse).toHaveBeenCalledTimes(3);
  });
});
