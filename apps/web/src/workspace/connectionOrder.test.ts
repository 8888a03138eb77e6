import { describe, expect, it } from 'vitest';
import {
  connectionRows,
  filterConnectionRows,
  sortConnectionRows,
} from '../connections/connectionRows.test-helper.ts';
import { CONNECTION_COLUMNS } from '../connections/connectionRows.ts';
import { rowAt } from '../connections/tableRows.ts';
import { filterGraph } from '../graph/index.ts';
import type { GraphModel } from '../model/index.ts';
import { type ConnectionSort, connectionOrder, sidePolicies } from './connectionOrder.ts';
import { filterCases, MODELS } from './tableFixtures.test-helper.ts';
import { tableSourceOf } from './tableSource.ts';

const SORTS: ConnectionSort[] = CONNECTION_COLUMNS.flatMap(({ id }) =>
  (['ascending', 'descending'] as const).map((direction) => ({ column: id, direction })),
);

/** Words from the model's own cells, and some that match nothing or everything. */
function queries(model: GraphModel): string[] {
  const workload = model.nodes.find((n) => n.type === 'workload');
  const policy = model.policies[0]?.id ?? 'no-policy';
  return [
    '',
    '   ',
    'tcp',
    (workload?.label ?? 'x').toUpperCase(),
    `${workload?.namespace ?? 'x'} 80`,
    `${policy.split('/').pop()} all`,
    'external',
    'nothing-like-this',
  ];
}

/** The table's rows through the worker's path, as the page builds them. */
function shown(model: GraphModel, order: Int32Array) {
  const source = tableSourceOf(model);
  const sides = sidePolicies(source);
  return Array.from(order, (edge) => rowAt(source, sides, edge));
}

describe('connectionOrder', () => {
  for (const [name, model] of MODELS) {
    it(`sorts ${name} by every column both ways under every filter, as the row model does`, () => {
      for (const [, filters] of filterCases(model)) {
        const rows = connectionRows(model, filterGraph(model, filters).edges);
        for (const sort of SORTS) {
          const order = connectionOrder(tableSourceOf(model), filters, sort, '');
          expect(order.total).toBe(rows.length);
          expect(shown(model, order.rows)).toEqual(sortConnectionRows(rows, sort.column, sort.direction));
        }
      }
    });

    it(`searches ${name} as the row model does, keeping the order`, () => {
      for (const [, filters] of filterCases(model).slice(0, 4)) {
        const rows = connectionRows(model, filterGraph(model, filters).edges);
        for (const sort of [SORTS[3]!, SORTS[6]!]) {
          const sorted = sortConnectionRows(rows, sort.column, sort.direction);
          for (const query of queries(model)) {
            const order = connectionOrder(tableSourceOf(model), filters, sort, query);
            expect(order).toMatchObject({ total: rows.length, sort, query });
            expect(shown(model, order.rows)).toEqual(filterConnectionRows(sorted, query));
          }
        }
      }
    });
  }

  it('finds some rows and not others (the queries are not all trivial)', () => {
    const [, model] = MODELS.find(([name]) => name === 'synthetic')!;
    const lengths = queries(model).map(
      (q) => connectionOrder(tableSourceOf(model), filterCases(model)[0]![1], SORTS[0]!, q).rows.length,
    );
    expect(new Set(lengths).size).toBeGreaterThan(3);
  });

  it('hands out a fresh array each time, so sending it away never empties the cache', () => {
    const [, model] = MODELS[0]!;
    const [, filters] = filterCases(model)[0]!;
    const first = connectionOrder(tableSourceOf(model), filters, SORTS[0]!, '');
    const again = connectionOrder(tableSourceOf(model), filters, SORTS[0]!, '');
    expect(again.rows).not.toBe(first.rows);
    first.rows.fill(0);
    expect(connectionOrder(tableSourceOf(model), filters, SORTS[0]!, '').rows).toEqual(again.rows);
  });
});
