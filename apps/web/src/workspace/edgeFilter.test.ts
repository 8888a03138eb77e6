import { describe, expect, it } from 'vitest';
import { filterGraph } from '../graph/index.ts';
import { keptByFilters } from './edgeFilter.ts';
import { filterCases, MODELS } from './tableFixtures.test-helper.ts';
import { tableSourceOf } from './tableSource.ts';

describe('keptByFilters', () => {
  for (const [name, model] of MODELS) {
    for (const [what, filters] of filterCases(model)) {
      it(`keeps what filterGraph keeps of ${name}: ${what}`, () => {
        const { nodes, table } = tableSourceOf(model);
        const kept = keptByFilters(nodes, table, filters);
        const expected = filterGraph(model, filters);
        expect(nodes.filter((_, i) => kept.nodes[i] === 1).map((n) => n.id)).toEqual(
          expected.nodes.map((n) => n.id),
        );
        const edgeIds = Array.from(
          kept.edges,
          (e) => `${nodes[table.source[e]!]!.id}->${nodes[table.target[e]!]!.id}`,
        );
        expect(edgeIds).toEqual(expected.edges.map((e) => `${e.source}->${e.target}`));
      });
    }
  }

  it('narrows something in every model (the cases are not all trivial)', () => {
    for (const [, model] of MODELS) {
      const { nodes, table } = tableSourceOf(model);
      const counts = filterCases(model).map(([, f]) => keptByFilters(nodes, table, f).edges.length);
      expect(new Set(counts).size).toBeGreaterThan(2);
    }
  });
});
