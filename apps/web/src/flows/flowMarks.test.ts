import type { Edge } from '@xyflow/react';
import { describe, expect, it } from 'vitest';
import type { GroupedGraph } from '../graph/index.ts';
import type { GraphNode } from '../model/index.ts';
import { graphNode } from '../model/nodes.test-helper.ts';
import type { FlowItemView, FlowsView } from '../workspace/index.ts';
import { flowsOnEdge, markFlows, overlayFlows } from './flowMarks.ts';

const FRONTEND = 'web/frontend[Deployment]';
const ADMIN = 'web/admin[Deployment]';
const API = 'shop/api[Deployment]';
const DB = 'shop/db[StatefulSet]';
const INTERNET = '0.0.0.0-255.255.255.255[External]';
const ALL = { allowed: true, denied: true, unobserved: true };

function node(id: string, parent: string | undefined): GraphNode & { parent: string | undefined } {
  return { ...graphNode(id), parent };
}

/** The shop with `web` expanded or collapsed; `shop` always expanded. */
function graph(webCollapsed: boolean): GroupedGraph {
  const web = webCollapsed ? [] : [node(FRONTEND, 'ns:web'), node(ADMIN, 'ns:web')];
  return {
    groups: [
      { id: 'ns:shop', namespace: 'shop', collapsed: false, size: 2, unprotected: 0 },
      { id: 'ns:web', namespace: 'web', collapsed: webCollapsed, size: 2, unprotected: 0 },
    ],
    nodes: [...web, node(API, 'ns:shop'), node(DB, 'ns:shop'), node(INTERNET, undefined)],
    edges: [],
  };
}

function flow(src: string, dst: string, port: number, count: number, denied: boolean): FlowItemView {
  return {
    key: `${src} -> ${dst} TCP/${port}`,
    src,
    dst,
    srcAddress: undefined,
    dstAddress: undefined,
    protocol: 'TCP',
    port,
    count,
    forwarded: count,
    dropped: 0,
    firstSeen: undefined,
    lastSeen: undefined,
    denied,
    deniedBy: denied ? ['ingress'] : [],
    rules: [],
    line: 1,
  };
}

function view(flows: FlowItemView[], unobserved: FlowsView['unobserved'] = []): FlowsView {
  return {
    revision: 1,
    name: 'capture.jsonl',
    format: 'hubble',
    lines: flows.length,
    window: undefined,
    diagnostics: [],
    diagnosticCount: 0,
    skipped: { reply: 0, l7: 0, protocol: 0, event: 0 },
    flows,
    unobserved,
    unobservedCount: unobserved.length,
    unmatched: { groups: [], groupCount: 0, records: 0, connections: 0 },
    totals: {
      records: flows.length,
      connections: 0,
      observedAllowed: 0,
      observedDenied: 0,
      deniedConnections: 0,
      allowedUnobserved: unobserved.length,
    },
    overflowRecords: 0,
  };
}

const SHOP = view(
  [
    flow(FRONTEND, API, 8080, 20, false),
    flow(FRONTEND, API, 9090, 2, true),
    flow(API, DB, 5432, 7, false),
    // Narrower than the drawn range: drawn on the range that holds it.
    { ...flow(API, '52.94.0.0-52.94.255.255[External]', 443, 3, true), dstAddress: '52.94.76.10' },
  ],
  [{ src: ADMIN, dst: API, conn: 'TCP 8080' }],
);

const byId = (marks: ReturnType<typeof markFlows>) => Object.fromEntries(marks.map((m) => [m.id, m]));

describe('markFlows', () => {
  it('marks expanded workloads: red when a flow is denied, solid when all are allowed, grey when unused', () => {
    const marks = byId(markFlows(graph(false), SHOP, ALL));
    expect(marks[`${FRONTEND}->${API}`]).toMatchObject({
      state: 'denied',
      allowed: 1,
      denied: 1,
      connections: 22,
      label: '✕ 1 denied · 22 seen',
    });
    expect(marks[`${API}->${DB}`]).toMatchObject({ state: 'allowed', connections: 7, label: '7 seen' });
    expect(marks[`${ADMIN}->${API}`]).toMatchObject({
      state: 'unobserved',
      unobserved: 1,
      label: 'never seen',
    });
    expect(marks[`${API}->${INTERNET}`]).toMatchObject({ state: 'denied', denied: 1, connections: 3 });
  });

  it('adds up the flows of a collapsed namespace on its edge', () => {
    const marks = byId(markFlows(graph(true), SHOP, ALL));
    expect(Object.keys(marks).sort()).toEqual([`ns:web->${API}`, `${API}->${INTERNET}`, `${API}->${DB}`]);
    expect(marks[`ns:web->${API}`]).toMatchObject({ state: 'denied', allowed: 1, denied: 1, unobserved: 1 });
  });

  it('leaves out the states the filter hides, and flows between nodes not drawn', () => {
    const marks = byId(markFlows(graph(false), SHOP, { allowed: true, denied: false, unobserved: false }));
    expect(Object.keys(marks)).toEqual([`${API}->${DB}`]);
    const hidden = { ...graph(false), nodes: graph(false).nodes.filter((n) => n.id !== DB) };
    expect(markFlows(hidden, SHOP, ALL).map((m) => m.id)).not.toContain(`${API}->${DB}`);
  });
});

describe('overlayFlows', () => {
  const nodes = graph(false).nodes;
  const connection = (source: string, target: string): Edge => ({
    id: `${source}->${target}`,
    source,
    target,
    type: 'connection',
    data: { full: 'TCP 8080' },
  });

  it('turns marked connections into flow edges, quiets the others, and adds denied pairs with no edge', () => {
    const edges = [connection(FRONTEND, API), connection(ADMIN, API), connection(FRONTEND, DB)];
    const marks = markFlows(graph(false), SHOP, ALL);
    const out = overlayFlows(nodes, edges, marks);
    const get = (id: string) => out.find((e) => e.id === id)!;
    expect(get(`${FRONTEND}->${API}`)).toMatchObject({
      type: 'flow',
      data: { state: 'denied', full: 'TCP 8080' },
    });
    expect(get(`${ADMIN}->${API}`)).toMatchObject({ type: 'flow', data: { state: 'unobserved' } });
    expect(get(`${FRONTEND}->${DB}`)).toMatchObject({ type: 'connection', className: 'flow-quiet' });
    // Denied: the policies draw no edge there, the overlay does.
    expect(get(`${API}->${INTERNET}`)).toMatchObject({ type: 'flow', data: { state: 'denied', full: '' } });
    // Allowed marks with no drawn edge are not invented (the edge is filtered out of the drawing).
    expect(out.find((e) => e.id === `${API}->${DB}`)).toBeUndefined();
  });

  it('leaves another overlay’s edges alone', () => {
    const diff: Edge = { id: `${FRONTEND}->${API}`, source: FRONTEND, target: API, type: 'diff', data: {} };
    const out = overlayFlows(nodes, [diff], markFlows(graph(false), SHOP, ALL));
    expect(out[0]).toBe(diff);
  });
});

describe('flowsOnEdge', () => {
  it('finds the flows behind a workload edge, a collapsed namespace edge and a range edge', () => {
    expect(flowsOnEdge(SHOP, FRONTEND, API).map((f) => f.port)).toEqual([8080, 9090]);
    expect(flowsOnEdge(SHOP, 'ns:web', API).map((f) => f.port)).toEqual([8080, 9090]);
    expect(flowsOnEdge(SHOP, API, INTERNET).map((f) => f.dstAddress)).toEqual(['52.94.76.10']);
    expect(flowsOnEdge(SHOP, ADMIN, API)).toEqual([]);
  });
});
