import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { admittedIds } from '../model/index.ts';
import { compileWorkspace } from '../workspace/compileWorkspace.ts';
import { filterGraph, NO_FILTERS } from './filterGraph.ts';
import { groupGraph } from './groupGraph.ts';
import { shortenLabel, toFlowElements } from './toFlowElements.ts';

const DEMO_DIR = fileURLToPath(new URL('../../../../public/demo/', import.meta.url));
const demoFiles = readdirSync(DEMO_DIR)
  .sort()
  .map((name) => ({ id: name, path: `demo/${name}`, text: readFileSync(`${DEMO_DIR}${name}`, 'utf8') }));

const demo = compileWorkspace(demoFiles);

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

describe('toFlowElements keeps unchanged data objects', () => {
  const grouped = groupGraph(filterGraph(demo.model, NO_FILTERS), new Set(['downstream-1']));
  const none = { selectedNode: undefined, selectedEdge: undefined, policy: undefined, search: '' };
  const dataById = (elements: { nodes: { id: string; data: object }[] }) =>
    new Map(elements.nodes.map((n) => [n.id, n.data]));

  it('re-creates only the data of nodes whose emphasis a new selection changes', () => {
    const first = toFlowElements(grouped, {}, none);
    const selected = 'store/store-api[Deployment]';
    const second = toFlowElements(grouped, {}, { ...none, selectedNode: selected }, new Map(), first);
    const before = dataById(first);
    const changed = second.nodes.filter((n) => n.data !== before.get(n.id)).map((n) => n.id);
    expect(changed).toEqual([selected]);
    // Edges away from the selection dim; edges touching it keep their data.
    const touching = second.edges.filter((e) => e.source === selected || e.target === selected);
    const firstEdges = new Map(first.edges.map((e) => [e.id, e.data]));
    expect(touching.length).toBeGreaterThan(0);
    for (const edge of touching) expect(edge.data).toBe(firstEdges.get(edge.id));
  });

  it('re-creates only the data of search hits when the search changes', () => {
    const first = toFlowElements(grouped, {}, none);
    const second = toFlowElements(grouped, {}, { ...none, search: 'frontend' }, new Map(), first);
    const before = dataById(first);
    const changed = second.nodes.filter((n) => n.data !== before.get(n.id));
    expect(changed.map((n) => n.id)).toEqual(['frontend/frontend[Deployment]']);
    expect(changed[0]!.data).toMatchObject({ emphasis: 'search' });
    // Groups (namespaces, the collapsed one too) and every edge are untouched by a search.
    const firstEdges = new Map(first.edges.map((e) => [e.id, e.data]));
    expect(second.edges.every((e) => e.data === firstEdges.get(e.id))).toBe(true);
  });

  it('keeps every data object when nothing changed, and none from a different graph', () => {
    const first = toFlowElements(grouped, {}, none);
    const again = toFlowElements(grouped, {}, none, new Map(), first);
    expect(again.nodes.every((n, i) => n.data === first.nodes[i]!.data)).toBe(true);
    const rebuilt = groupGraph(filterGraph(demo.model, NO_FILTERS), new Set(['downstream-1']));
    const fresh = toFlowElements(rebuilt, {}, none, new Map(), first);
    const workloads = fresh.nodes.filter((n) => n.type === 'workload');
    expect(workloads.every((n) => n.data !== dataById(first).get(n.id))).toBe(true);
  });
});
