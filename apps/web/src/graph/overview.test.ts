import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileWorkspace } from '../workspace/compileWorkspace.ts';
import { adminDenialsInWorkspace } from '../workspace/workspaceQueries.ts';
import { filterGraph, type GraphFilters, NO_FILTERS } from './filterGraph.ts';
import { fromWire } from './groupedEdges.ts';
import { groupGraph } from './groupGraph.ts';
import { type OverviewSource, overviewColumns } from './overview.ts';

const overviewGraph = (source: OverviewSource, filters: GraphFilters, collapsed: ReadonlySet<string>) =>
  fromWire(overviewColumns(source, filters, collapsed));

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
