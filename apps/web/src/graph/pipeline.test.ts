import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { admittedIds } from '../model/index.ts';
import { compileWorkspace, explainInWorkspace, rangeLabel } from '../workspace/index.ts';
import { isAggregatedEdge, pairsBehind } from './edgePairs.ts';
import { filterGraph, NO_FILTERS } from './filterGraph.ts';
import { groupGraph } from './groupGraph.ts';
import { shortenLabel, toFlowElements } from './toFlowElements.ts';

const DEMO_DIR = fileURLToPath(new URL('../../../../public/demo/', import.meta.url));
const demoFiles = readdirSync(DEMO_DIR)
  .sort()
  .map((name) => ({ id: name, path: `demo/${name}`, text: readFileSync(`${DEMO_DIR}${name}`, 'utf8') }));

const demo = compileWorkspace(demoFiles);

describe('compileWorkspace', () => {
  it('turns the demo into workload and external nodes with isolation flags', () => {
    const byId = new Map(demo.model.nodes.map((n) => [n.id, n]));
    expect(byId.get('default/demo-db[StatefulSet]')).toMatchObject({
      ingressIsolated: true,
      egressIsolated: true,
    });
    expect(byId.get('default/demo[Deployment]')).toMatchObject({
      ingressIsolated: false,
      egressIsolated: false,
      pods: 1,
    });
    expect(byId.get('0.0.0.0-255.255.255.255[External]')).toMatchObject({
      type: 'external',
      label: '0.0.0.0/0',
    });
    expect(demo.problems).toEqual([]);
  });

  it('has exactly the edges the evaluator computes', () => {
    const edge = demo.model.edges.find(
      (e) => e.id === 'frontend/frontend[Deployment]->store/store-api[Deployment]',
    );
    expect(edge).toMatchObject({
      label: 'TCP 8080',
      all: false,
      ports: { TCP: [8080, 8080], UDP: [], SCTP: [] },
    });
    expect(demo.model.edges.some((e) => e.source === 'default/demo-db[StatefulSet]')).toBe(false);
  });

  it('summarises policies with the workloads they select and the peers they admit', () => {
    const storeApi = demo.model.policies.find((p) => p.id === 'store/store-api');
    expect(storeApi?.selects).toEqual(['store/store-api[Deployment]']);
    expect(admittedIds(demo.model, storeApi!).sort()).toEqual([
      'downstream-1/downstream-1[Deployment]',
      'downstream-2/downstream-2[Deployment]',
      'frontend/frontend[Deployment]',
    ]);
    expect(storeApi?.source).toMatchObject({ file: 'demo/policies.yaml', line: 22 });
  });

  it('compiles an edit incrementally to the same model as from scratch', () => {
    const policies = demoFiles.find((f) => f.path === 'demo/policies.yaml')!;
    const edits = [
      // A port changes; then a rule gains a line (later documents move down); then a policy goes.
      policies.text.replace('port: 8080', 'port: 9090'),
      policies.text.replace(
        '  policyTypes:\n    - Ingress\n    - Egress\n  ingress:',
        '  policyTypes:\n    - Ingress\n  ingress:',
      ),
      policies.text.slice(0, policies.text.lastIndexOf('---')),
    ];
    let previous = compileWorkspace(demoFiles);
    for (const text of edits) {
      expect(text).not.toBe(policies.text);
      const files = demoFiles.map((f) => (f === policies ? { ...f, text } : f));
      const next = compileWorkspace(files, {}, previous);
      // The workloads were shared: nothing but policies changed.
      expect(next.cluster.workloads).toBe(previous.cluster.workloads);
      const full = compileWorkspace(files);
      const byId = <T extends { id: string }>(list: readonly T[]) =>
        [...list].sort((a, b) => a.id.localeCompare(b.id));
      expect(byId(next.model.edges)).toEqual(byId(full.model.edges));
      expect(byId(next.model.nodes)).toEqual(byId(full.model.nodes));
      const withIds = (w: typeof next) =>
        w.model.policies.map((p) => ({ ...p, admits: admittedIds(w.model, p).sort() }));
      expect(withIds(next)).toEqual(withIds(full));
      expect(next.problems).toEqual(full.problems);
      previous = next;
    }
  });

  it('keeps the good files when one is broken, and reports the broken one', () => {
    const broken = compileWorkspace([
      ...demoFiles,
      { id: 'x', path: 'broken.yaml', text: 'kind: Pod\nmetadata: [\n' },
    ]);
    expect(broken.model.nodes.length).toBe(demo.model.nodes.length);
    expect(broken.problems).toMatchObject([{ file: 'broken.yaml', severity: 'error', code: 'yaml-syntax' }]);
  });

  it('explains an edge with the rule and its source line', () => {
    const result = explainInWorkspace(demo, 'frontend/frontend[Deployment]', 'store/store-api[Deployment]', {
      protocol: 'TCP',
      port: 8080,
    });
    expect(result?.verdict).toBe('allowed');
    expect(result?.ingress.allowedBy[0]).toMatchObject({ policy: 'store/store-api', rule: 0, peer: 0 });
    expect(result?.ingress.allowedBy[0]?.source?.file).toBe('demo/policies.yaml');
    const denied = explainInWorkspace(
      demo,
      'default/demo[Deployment]',
      'store/store-api[Deployment]',
      undefined,
    );
    expect(denied?.verdict).toBe('denied');
  });
});

describe('rangeLabel', () => {
  it.each([
    [0, 0xffffffff, '0.0.0.0/0'],
    [0x0a000000, 0x0affffff, '10.0.0.0/8'],
    [0x0a000000, 0x0a000004, '10.0.0.0-10.0.0.4'],
    [0x0a000001, 0x0a000001, '10.0.0.1/32'],
  ])('%i-%i is %s', (first, last, label) => {
    expect(rangeLabel(first, last)).toBe(label);
  });
});

describe('filterGraph', () => {
  it('hides namespaces and the externals no kept edge touches', () => {
    const g = filterGraph(demo.model, {
      ...NO_FILTERS,
      hiddenNamespaces: ['default', 'frontend', 'downstream-2'],
    });
    expect(g.nodes.map((n) => n.id).sort()).toEqual([
      '0.0.0.0-255.255.255.255[External]',
      'downstream-1/downstream-1[Deployment]',
      'store/store-api[Deployment]',
    ]);
    expect(g.edges.every((e) => !e.source.startsWith('default/') && !e.target.startsWith('default/'))).toBe(
      true,
    );
  });

  it('keeps edges allowing a protocol and port', () => {
    const g = filterGraph(demo.model, { ...NO_FILTERS, protocol: 'TCP', port: 8080, showExternal: false });
    expect(g.edges.length).toBeGreaterThan(3);
    const udp = filterGraph(demo.model, { ...NO_FILTERS, protocol: 'UDP', port: 8080, showExternal: false });
    expect(udp.edges.some((e) => e.target === 'store/store-api[Deployment]')).toBe(false);
  });

  it('focuses on a node and its neighbours', () => {
    const g = filterGraph(demo.model, { ...NO_FILTERS, focus: 'store/store-api[Deployment]' });
    expect(g.nodes.map((n) => n.id).sort()).toEqual([
      'downstream-1/downstream-1[Deployment]',
      'downstream-2/downstream-2[Deployment]',
      'frontend/frontend[Deployment]',
      'store/store-api[Deployment]',
    ]);
  });

  it('shows the workloads a label selector matches, their connections and the peers at the other end', () => {
    // Before, `app=frontend` kept only frontend and so none of its edges.
    const g = filterGraph(demo.model, { ...NO_FILTERS, label: 'app=frontend' });
    const frontend = 'frontend/frontend[Deployment]';
    expect(g.edges.length).toBeGreaterThan(0);
    expect(g.edges.every((e) => e.source === frontend || e.target === frontend)).toBe(true);
    expect(g.edges.map((e) => e.id).sort()).toEqual(
      demo.model.edges
        .filter((e) => e.source === frontend || e.target === frontend)
        .map((e) => e.id)
        .sort(),
    );
    expect(g.nodes.map((n) => n.id)).toContain('store/store-api[Deployment]');
    const kept = new Set(g.nodes.map((n) => n.id));
    expect(g.edges.every((e) => kept.has(e.source) && kept.has(e.target))).toBe(true);
  });

  it('takes set-based selectors, and filters nothing with one it does not understand', () => {
    const set = filterGraph(demo.model, { ...NO_FILTERS, label: 'app in (demo-db, store-api)' });
    const endpoints = (e: { source: string; target: string }) => [e.source, e.target];
    expect(
      set.edges.every((e) =>
        endpoints(e).some(
          (id) => id === 'default/demo-db[StatefulSet]' || id === 'store/store-api[Deployment]',
        ),
      ),
    ).toBe(true);
    expect(set.nodes.map((n) => n.id)).toContain('default/demo-db[StatefulSet]');
    const broken = filterGraph(demo.model, { ...NO_FILTERS, label: 'app in web' });
    expect(broken.edges.length).toBe(filterGraph(demo.model, NO_FILTERS).edges.length);
  });

  it('matches nothing with a selector no workload satisfies', () => {
    const g = filterGraph(demo.model, { ...NO_FILTERS, label: 'app=nothing-has-this' });
    expect(g.nodes).toEqual([]);
    expect(g.edges).toEqual([]);
  });
});

describe('groupGraph', () => {
  it('groups workloads by namespace', () => {
    const g = groupGraph(filterGraph(demo.model, NO_FILTERS), new Set());
    expect(g.groups.map((x) => x.namespace)).toEqual([
      'default',
      'downstream-1',
      'downstream-2',
      'frontend',
      'store',
    ]);
    expect(g.nodes.find((n) => n.id === 'store/store-api[Deployment]')?.parent).toBe('ns:store');
  });

  it('collapses a namespace into one node with aggregated edges', () => {
    const g = groupGraph(filterGraph(demo.model, NO_FILTERS), new Set(['default']));
    expect(g.nodes.some((n) => n.namespace === 'default')).toBe(false);
    expect(g.groups.find((x) => x.namespace === 'default')).toMatchObject({
      collapsed: true,
      size: 2,
      unprotected: 1,
    });
    const out = g.edges.find(
      (e) => e.source === 'ns:default' && e.target === 'frontend/frontend[Deployment]',
    );
    expect(out).toMatchObject({ count: 1, label: 'All Connections' });
    // demo -> demo-db is inside the collapsed namespace: it disappears into the group.
    expect(g.edges.some((e) => e.source === 'ns:default' && e.target === 'ns:default')).toBe(false);
  });
});

describe('toFlowElements', () => {
  it('shortens long labels at protocol boundaries', () => {
    expect(shortenLabel('TCP 80')).toBe('TCP 80');
    expect(shortenLabel('SCTP 1-65535,TCP 1-79,81-65535,UDP 1-52,54-65535')).toBe('SCTP 1-65535,TCP 1-79…');
  });

  it('emits groups before children and dims what a selected policy does not touch', () => {
    const grouped = groupGraph(filterGraph(demo.model, NO_FILTERS), new Set());
    const policy = demo.model.policies.find((p) => p.id === 'default/demo-db')!;
    const { nodes, edges } = toFlowElements(
      grouped,
      {},
      {
        selectedNode: undefined,
        selectedEdge: undefined,
        policy: {
          namespace: policy.namespace,
          selects: policy.selects,
          admits: admittedIds(demo.model, policy),
        },
        search: '',
      },
    );
    const firstChild = nodes.findIndex((n) => n.type === 'workload');
    expect(nodes.slice(0, firstChild).every((n) => n.type === 'namespace')).toBe(true);
    const db = nodes.find((n) => n.id === 'default/demo-db[StatefulSet]');
    expect(db?.data).toMatchObject({ emphasis: 'policy-selects', dimmed: false });
    const demoNode = nodes.find((n) => n.id === 'default/demo[Deployment]');
    expect(demoNode?.data).toMatchObject({ emphasis: 'policy-admits' });
    const frontend = nodes.find((n) => n.id === 'frontend/frontend[Deployment]');
    expect(frontend?.data).toMatchObject({ dimmed: true });
    const kept = edges.find((e) => e.id === 'default/demo[Deployment]->default/demo-db[StatefulSet]');
    expect(kept?.data?.dimmed).toBe(false);
  });
});

describe('pairsBehind', () => {
  it('lists the workload connections behind every edge of collapsed namespaces, sorted', () => {
    const filtered = filterGraph(demo.model, NO_FILTERS);
    const collapsed = new Set(demo.model.namespaces.map((n) => n.name));
    const grouped = groupGraph(filtered, collapsed);
    expect(grouped.edges.length).toBeGreaterThan(0);
    let total = 0;
    for (const edge of grouped.edges) {
      const pairs = pairsBehind(filtered, collapsed, edge.source, edge.target);
      expect(pairs.length, edge.id).toBe(edge.count);
      const keys = pairs.map((p) => `${p.source} ${p.target}`);
      expect(keys).toEqual([...keys].sort());
      for (const p of pairs) {
        const ns = (id: string) => (id.includes('/') ? `ns:${id.split('/')[0]}` : id);
        expect([ns(p.source), ns(p.target)]).toEqual([edge.source, edge.target]);
      }
      total += pairs.length;
      expect(isAggregatedEdge(edge)).toBe(true);
    }
    // Every connection between different namespaces is behind exactly one edge.
    const crossing = filtered.edges.filter((e) => e.source.split('/')[0] !== e.target.split('/')[0]);
    expect(total).toBe(crossing.length);
  });

  it('keeps a workload of an expanded namespace as itself', () => {
    const filtered = filterGraph(demo.model, NO_FILTERS);
    const pairs = pairsBehind(filtered, new Set(['frontend']), 'ns:frontend', 'store/store-api[Deployment]');
    expect(pairs.map((p) => p.id)).toEqual(['frontend/frontend[Deployment]->store/store-api[Deployment]']);
    expect(isAggregatedEdge({ source: 'a/b[Pod]', target: 'c/d[Pod]' })).toBe(false);
  });
});
