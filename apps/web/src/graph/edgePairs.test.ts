import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileWorkspace } from '../workspace/compileWorkspace.ts';
import { isAggregatedEdge, pairsBehind } from './edgePairs.ts';
import { filterGraph, NO_FILTERS } from './filterGraph.ts';
import { groupGraph } from './groupGraph.ts';

const DEMO_DIR = fileURLToPath(new URL('../../../../public/demo/', import.meta.url));
const demoFiles = readdirSync(DEMO_DIR)
  .sort()
  .map((name) => ({ id: name, path: `demo/${name}`, text: readFileSync(`${DEMO_DIR}${name}`, 'utf8') }));

const demo = compileWorkspace(demoFiles);

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
