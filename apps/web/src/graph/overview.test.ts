import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileWorkspace } from '../workspace/compileWorkspace.ts';
import { adminDenialsInWorkspace } from '../workspace/workspaceQueries.ts';
import { filterGraph, type GraphFilters, NO_FILTERS } from './filterGraph.ts';
import { fromWire } from './groupedEdges.ts';
import { groupGraph } from './groupGraph.ts';
import { type OverviewSource, overviewCache } from './overview.ts';

const overviewGraph = (source: OverviewSource, filters: GraphFilters, collapsed: ReadonlySet<string>) =>
  fromWire(overviewCache()(source, filters, collapsed));

const ROOT = fileURLToPath(new URL('../../../../public/', import.meta.url));
const filesIn = (dir: string) =>
  readdirSync(`${ROOT}${dir}`)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => ({
      id: name,
      path: `${dir}/${name}`,
      text: readFileSync(`${ROOT}${dir}/${name}`, 'utf8'),
    }));

const workspaces = {
  demo: compileWorkspace(filesIn('demo')),
  tiers: compileWorkspace(filesIn('samples/cluster-tiers')),
  fifty: compileWorkspace(filesIn('samples/fifty-workloads')),
};

const filterCases: [string, Partial<GraphFilters>][] = [
  ['no filters', {}],
  ['hidden namespaces', { hiddenNamespaces: ['default', 'monitoring', 'team-a'] }],
  ['a protocol', { protocol: 'UDP' }],
  ['a protocol and port', { protocol: 'TCP', port: 8080 }],
  ['any protocol on a port', { port: 53 }],
  ['no external ranges', { showExternal: false }],
  ['a label selector', { label: 'app in (frontend, cart, grafana, web), !canary' }],
  ['a selector that does not parse', { label: 'app in (' }],
  ['a selector and a protocol', { label: 'tier', protocol: 'TCP' }],
];

describe('overviewGraph', () => {
  for (const [name, compiled] of Object.entries(workspaces)) {
    const { model, table } = compiled;
    const namespaces = model.namespaces.map((n) => n.name);
    const someWorkload = model.nodes.find((n) => n.type === 'workload')!.id;
    const cases: [string, Partial<GraphFilters>][] = [
      ...filterCases,
      ['focus on a workload', { focus: someWorkload }],
      ['focus and a label selector', { focus: someWorkload, label: 'app' }],
    ];
    for (const [what, partial] of cases) {
      for (const collapsed of [[], namespaces, namespaces.slice(0, 2)]) {
        it(`groups ${name} as filterGraph then groupGraph do: ${what}, ${collapsed.length} collapsed`, () => {
          const filters = { ...NO_FILTERS, ...partial };
          const expected = groupGraph(filterGraph(model, filters), new Set(collapsed));
          expect(overviewGraph({ nodes: model.nodes, table }, filters, new Set(collapsed))).toEqual(expected);
        });
      }
    }
  }

  it('draws the Admin-denied overlay with the allowed edges, as the page did', () => {
    const { model, table } = workspaces.tiers;
    const denied = adminDenialsInWorkspace(workspaces.tiers);
    expect(denied.edges.length).toBeGreaterThan(0);
    const shown = { nodes: [...model.nodes, ...denied.nodes], edges: [...model.edges, ...denied.edges] };
    for (const collapsed of [new Set<string>(), new Set(['monitoring', 'blog'])]) {
      const got = overviewGraph({ nodes: model.nodes, table, extra: denied }, NO_FILTERS, collapsed);
      expect(got).toEqual(groupGraph(filterGraph(shown, NO_FILTERS), collapsed));
      expect(got.edges.some((e) => e.denied)).toBe(true);
    }
  });
});

describe('overviewCache over expansions', () => {
  // Expands every namespace one at a time, then collapses them in another order: each answer
  // regroups only the toggled namespace's edges from the one before.
  const sequence = (namespaces: readonly string[]) => {
    const steps: Set<string>[] = [];
    const collapsed = new Set(namespaces);
    steps.push(new Set(collapsed));
    for (const ns of namespaces) {
      collapsed.delete(ns);
      steps.push(new Set(collapsed));
    }
    for (const [k, ns] of namespaces.entries()) {
      collapsed.add(namespaces[(k * 7) % namespaces.length]!);
      collapsed.add(ns);
      steps.push(new Set(collapsed));
    }
    return steps;
  };

  for (const [name, compiled] of Object.entries(workspaces)) {
    for (const [what, partial] of filterCases.slice(0, 7)) {
      it(`answers ${name} as filterGraph then groupGraph do, expanding and collapsing: ${what}`, () => {
        const { model, table } = compiled;
        const filters = { ...NO_FILTERS, ...partial };
        const overview = overviewCache();
        for (const collapsed of sequence(model.namespaces.map((n) => n.name))) {
          const got = fromWire(overview({ nodes: model.nodes, table }, filters, collapsed));
          expect(got).toEqual(groupGraph(filterGraph(model, filters), collapsed));
        }
      });
    }
  }

  it('answers with the Admin-denied overlay drawn, expanding and collapsing', () => {
    const { model, table } = workspaces.tiers;
    const denied = adminDenialsInWorkspace(workspaces.tiers);
    const shown = { nodes: [...model.nodes, ...denied.nodes], edges: [...model.edges, ...denied.edges] };
    const overview = overviewCache();
    let deniedSeen = 0;
    for (const collapsed of sequence(model.namespaces.map((n) => n.name))) {
      const got = fromWire(overview({ nodes: model.nodes, table, extra: denied }, NO_FILTERS, collapsed));
      expect(got).toEqual(groupGraph(filterGraph(shown, NO_FILTERS), collapsed));
      deniedSeen += got.edges.filter((e) => e.denied).length;
    }
    expect(deniedSeen).toBeGreaterThan(0);
  });
});
