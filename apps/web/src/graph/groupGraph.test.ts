import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileWorkspace } from '../workspace/compileWorkspace.ts';
import { filterGraph, NO_FILTERS } from './filterGraph.ts';
import { groupGraph } from './groupGraph.ts';

const DEMO_DIR = fileURLToPath(new URL('../../../../public/demo/', import.meta.url));
const demoFiles = readdirSync(DEMO_DIR)
  .sort()
  .map((name) => ({ id: name, path: `demo/${name}`, text: readFileSync(`${DEMO_DIR}${name}`, 'utf8') }));

const demo = compileWorkspace(demoFiles);

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
