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

describe('toFlowElements draws a namespace as one node type', () => {
  it('keeps the type of a namespace as it expands: React Flow re-measures a node whose type changes', () => {
    const none = { selectedNode: undefined, selectedEdge: undefined, policy: undefined, search: '' };
    const collapsed = toFlowElements(
      groupGraph(filterGraph(demo.model, NO_FILTERS), new Set(['store'])),
      {},
      none,
    );
    const expanded = toFlowElements(
      groupGraph(filterGraph(demo.model, NO_FILTERS), new Set()),
      {},
      none,
      new Map(),
      collapsed,
    );
    const before = collapsed.nodes.find((n) => n.id === 'ns:store');
    const after = expanded.nodes.find((n) => n.id === 'ns:store');
    expect(before).toMatchObject({
      type: 'namespace',
      data: { group: { collapsed: true } },
      selectable: true,
    });
    expect(after).toMatchObject({
      type: 'namespace',
      data: { group: { collapsed: false } },
      selectable: false,
    });
    // The collapsed one is an end of edges; the box around workloads is not.
    expect(before?.handles).toHaveLength(2);
    expect(after?.handles).toEqual([]);
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

  it('returns the previous result itself when nothing drawn changed', () => {
    const first = toFlowElements(grouped, {}, none);
    expect(toFlowElements(grouped, {}, none, new Map(), first)).toBe(first);
  });

  it('keeps every node and edge object of a rebuilt but equal graph (a new analysis)', () => {
    const first = toFlowElements(grouped, {}, none);
    // The worker sends a fresh copy of every node and group on each analysis.
    const rebuilt = structuredClone(
      groupGraph(filterGraph(demo.model, NO_FILTERS), new Set(['downstream-1'])),
    );
    const again = toFlowElements(rebuilt, {}, none, new Map(), first);
    expect(again).toBe(first);
  });

  it('replaces only the node whose drawing changed, and keeps the rest of the lists', () => {
    const first = toFlowElements(grouped, {}, none);
    const changedId = 'store/store-api[Deployment]';
    const rebuilt = structuredClone(grouped);
    const node = rebuilt.nodes.find((n) => n.id === changedId)!;
    node.labels = { ...node.labels, tier: 'changed' };
    const second = toFlowElements(rebuilt, {}, none, new Map(), first);
    const changed = second.nodes.filter((n, i) => n !== first.nodes[i]).map((n) => n.id);
    expect(changed).toEqual([changedId]);
    expect(second.nodes.find((n) => n.id === changedId)?.data).toMatchObject({
      node: { labels: { tier: 'changed' } },
    });
    // No edge changed: the edge list is the very same array.
    expect(second.edges).toBe(first.edges);
  });

  it('replaces a node that moved, and an edge whose label changed, and only them', () => {
    const boxes = Object.fromEntries(
      [...grouped.groups, ...grouped.nodes].map((n, i) => [
        n.id,
        { x: i * 10, y: 0, width: 100, height: 50 },
      ]),
    );
    const first = toFlowElements(grouped, boxes, none);
    const moved = 'store/store-api[Deployment]';
    const relabelled = first.edges[0]!.id;
    const rebuilt = structuredClone(grouped);
    const edge = rebuilt.edges.find((e) => e.id === relabelled)!;
    edge.label = 'TCP 1234';
    edge.all = false;
    const second = toFlowElements(
      rebuilt,
      { ...boxes, [moved]: { x: 5, y: 5, width: 100, height: 50 } },
      none,
      new Map(),
      first,
    );
    expect(second.nodes.filter((n, i) => n !== first.nodes[i]).map((n) => n.id)).toEqual([moved]);
    expect(second.edges.filter((e, i) => e !== first.edges[i]).map((e) => e.id)).toEqual([relabelled]);
    expect(second.edges[0]?.data?.full).toBe('TCP 1234');
  });

  it('keeps the data object of a node that only moved, so its component does not re-render', () => {
    const first = toFlowElements(grouped, {}, none);
    const moved = 'store/store-api[Deployment]';
    const second = toFlowElements(
      grouped,
      { [moved]: { x: 5, y: 5, width: 100, height: 50 } },
      none,
      new Map(),
      first,
    );
    const before = dataById(first);
    expect(second.nodes.find((n) => n.id === moved)?.data).toBe(before.get(moved));
  });
});
