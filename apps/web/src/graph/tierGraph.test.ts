import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { admittedIds } from '../model/index.ts';
import { compileWorkspace } from '../workspace/compileWorkspace.ts';
import { adminDenialsInWorkspace } from '../workspace/workspaceQueries.ts';
import { filterGraph, NO_FILTERS } from './filterGraph.ts';
import { groupGraph } from './groupGraph.ts';
import { toFlowElements } from './toFlowElements.ts';

const SAMPLE = readFileSync(
  new URL('../../../../public/samples/cluster-tiers/manifests.yaml', import.meta.url),
  'utf8',
);
const compiled = compileWorkspace([{ id: 'm', path: 'm.yaml', text: SAMPLE }]);
const { model } = compiled;
const none = { selectedNode: undefined, selectedEdge: undefined, policy: undefined, search: '' };

describe('the graph pipeline with cluster-wide tiers', () => {
  it('carries the deciding tier to the drawn edge, and "mixed" when a collapsed namespace merges different ones', () => {
    const open = groupGraph(filterGraph(model, NO_FILTERS), new Set());
    const { edges } = toFlowElements(open, {}, none);
    const byId = new Map(edges.map((e) => [e.id, e.data]));
    expect(byId.get('monitoring/grafana[Deployment]->vault/vault[StatefulSet]')).toMatchObject({
      decidedBy: 'Admin',
      denied: false,
    });
    expect(byId.get('shop/frontend[Deployment]->shop/cart[Deployment]')?.decidedBy).toBe('NetworkPolicy');
    // monitoring collapsed: its edges to vault (Admin) merge, its edges to shop/frontend (Baseline) merge.
    const collapsed = groupGraph(filterGraph(model, NO_FILTERS), new Set(['monitoring', 'blog']));
    expect(collapsed.edges.find((e) => e.id === 'ns:monitoring->vault/vault[StatefulSet]')).toMatchObject({
      count: 2,
      decidedBy: 'Admin',
    });
    expect(collapsed.edges.find((e) => e.id === 'ns:monitoring->ns:blog')).toMatchObject({
      count: 2,
      decidedBy: 'Baseline',
    });
    // Had grafana's edge into vault been decided by another tier, the merged edge would say so.
    const edited = {
      ...model,
      edges: model.edges.map((e) =>
        e.id === 'monitoring/grafana[Deployment]->vault/vault[StatefulSet]'
          ? { ...e, tiers: { ...e.tiers!, decidedBy: 'Baseline' as const } }
          : e,
      ),
    };
    const merged = groupGraph(filterGraph(edited, NO_FILTERS), new Set(['monitoring']));
    expect(merged.edges.find((e) => e.id === 'ns:monitoring->vault/vault[StatefulSet]')?.decidedBy).toBe(
      'mixed',
    );
  });

  it('keeps Admin-denied edges apart from allowed ones of the same pair, also when grouped', () => {
    const denied = adminDenialsInWorkspace(compiled);
    const shown = { nodes: [...model.nodes, ...denied.nodes], edges: [...model.edges, ...denied.edges] };
    const grouped = groupGraph(filterGraph(shown, NO_FILTERS), new Set(['shop']));
    const deniedEdge = grouped.edges.find((e) => e.id === 'denied:ns:shop->vault/vault[StatefulSet]');
    expect(deniedEdge).toMatchObject({ denied: true, count: 2, label: '2 connections: All Connections' });
    const { edges } = toFlowElements(grouped, {}, none);
    expect(edges.find((e) => e.id === deniedEdge!.id)?.data?.denied).toBe(true);
  });

  it('dims the namespaces a selected cluster policy does not touch', () => {
    const policy = model.policies.find((p) => p.id === 'ClusterNetworkPolicy/protect-vault')!;
    const grouped = groupGraph(filterGraph(model, NO_FILTERS), new Set());
    const { nodes } = toFlowElements(
      grouped,
      {},
      {
        ...none,
        policy: { namespace: policy.namespace, selects: policy.selects, admits: admittedIds(model, policy) },
      },
    );
    const group = (ns: string) => nodes.find((n) => n.id === `ns:${ns}`)!.data as { dimmed: boolean };
    // It selects vault and names monitoring (Accept) and every namespace (Deny): nothing is dimmed...
    expect(group('vault').dimmed).toBe(false);
    const cart = model.policies.find((p) => p.id === 'ClusterNetworkPolicy/cart-egress')!;
    const cartView = toFlowElements(
      grouped,
      {},
      {
        ...none,
        policy: { namespace: cart.namespace, selects: cart.selects, admits: admittedIds(model, cart) },
      },
    );
    const cartGroup = (ns: string) =>
      cartView.nodes.find((n) => n.id === `ns:${ns}`)!.data as { dimmed: boolean };
    // ...while cart-egress touches shop only (its other peers are a Node and a domain name).
    expect(cartGroup('shop').dimmed).toBe(false);
    expect(cartGroup('vault').dimmed).toBe(true);
    expect(cartGroup('monitoring').dimmed).toBe(true);
  });
});
