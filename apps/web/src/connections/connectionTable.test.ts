import { describe, expect, it } from 'vitest';
import { nodeId } from '../model/ids.test-helper.ts';
import type { GraphEdge } from '../model/index.ts';
import {
  connectionRows,
  filterConnectionRows,
  policy,
  sortConnectionRows,
} from './connectionRows.test-helper.ts';
import { CONNECTION_COLUMNS } from './connectionRows.ts';
import { connectionTable, filteredRows, rowAt, sortedRows } from './connectionTable.ts';

/** A small deterministic generator (the test must not depend on chance). */
function lcg(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state % n;
  };
}

/** Names that sort differently as text and as people read them: case, and numbers inside. */
const WORKLOADS = [
  'Shop/api-2',
  'shop/api-10',
  'shop/API-1',
  'data/db-0',
  'data/db-00',
  'web/x9',
  'web/x10',
].map((w) => `${w}[Deployment]`);
const LABELS = ['TCP 80', 'TCP 8080', 'tcp 80', 'All Connections', 'UDP 53,TCP 53'];

function sample(seed: number) {
  const random = lcg(seed);
  const edges: GraphEdge[] = [];
  for (let i = 0; i < 200; i++) {
    const source = WORKLOADS[random(WORKLOADS.length)]!;
    const target = WORKLOADS[random(WORKLOADS.length)]!;
    edges.push({
      // Ids need not be unique for the order to be checked; repeated pairs test the ties.
      id: `${source}->${target}#${i}`,
      source: nodeId(source),
      target: nodeId(target),
      label: LABELS[random(LABELS.length)]!,
      all: false,
      ports: { TCP: [], UDP: [], SCTP: [] },
    });
  }
  const policies = [
    policy('shop/deny-all', ['Ingress', 'Egress'], WORKLOADS.slice(0, 3)),
    policy('shop/api-in', ['Ingress'], WORKLOADS.slice(1, 3)),
    policy('data/DB-in', ['Ingress'], WORKLOADS.slice(3, 5)),
    policy('web/out-10', ['Egress'], WORKLOADS.slice(5)),
  ];
  return { model: { policies }, edges };
}

describe('connectionTable', () => {
  it.each([1, 2, 3])('sorts every column both ways as sortConnectionRows does (seed %i)', (seed) => {
    const { model, edges } = sample(seed);
    const rows = connectionRows(model, edges);
    const table = connectionTable(model, edges);
    for (const { id } of CONNECTION_COLUMNS) {
      for (const direction of ['ascending', 'descending'] as const) {
        const order = Array.from(sortedRows(table, id, direction), (row) => rowAt(table, row).id);
        expect(order).toEqual(sortConnectionRows(rows, id, direction).map((r) => r.id));
      }
    }
  });

  it.each(['api', 'SHOP 80', 'db-0 tcp', 'deny-all x10', 'out-10', 'nothing-like-it', '  '])(
    'filters by "%s" as filterConnectionRows does, keeping the order',
    (query) => {
      const { model, edges } = sample(7);
      const table = connectionTable(model, edges);
      const order = sortedRows(table, 'target', 'descending');
      const rows = Array.from(order, (row) => rowAt(table, row));
      const expected = filterConnectionRows(rows, query).map((r) => r.id);
      expect(Array.from(filteredRows(table, order, query), (row) => rowAt(table, row).id)).toEqual(expected);
    },
  );

  it('builds the rows connectionRows builds', () => {
    const { model, edges } = sample(11);
    const table = connectionTable(model, edges);
    expect(edges.map((_, i) => rowAt(table, i))).toEqual(connectionRows(model, edges));
  });
});
