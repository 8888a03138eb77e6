import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileWorkspace } from '../workspace/compileWorkspace.ts';
import { filterGraph, NO_FILTERS } from './filterGraph.ts';

const DEMO_DIR = fileURLToPath(new URL('../../../../public/demo/', import.meta.url));
const demoFiles = readdirSync(DEMO_DIR)
  .sort()
  .map((name) => ({ id: name, path: `demo/${name}`, text: readFileSync(`${DEMO_DIR}${name}`, 'utf8') }));

const demo = compileWorkspace(demoFiles);

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
