import { describe, expect, it } from 'vitest';
import { filterGraph } from '../graph/index.ts';
import { cellConnections, namespaceMatrix } from '../matrix/namespaceMatrix.test-helper.ts';
import { cellAt, cellPairs } from '../matrix/namespaceMatrix.ts';
import { matrixCounts } from './matrixCounts.ts';
import { filterCases, MODELS } from './tableFixtures.test-helper.ts';
import { tableSourceOf } from './tableSource.ts';

describe('matrixCounts', () => {
  for (const [name, model] of MODELS) {
    it(`counts ${name} under every filter as the edge-object matrix does, and lists each cell's pairs`, () => {
      for (const [, filters] of filterCases(model)) {
        const filtered = filterGraph(model, filters);
        const expected = namespaceMatrix(filtered.nodes, filtered.edges);
        const source = tableSourceOf(model);
        const got = matrixCounts(source, filters);
        expect(got.groups).toEqual(expected.groups);
        expect(Array.from(got.sizes)).toEqual(expected.sizes);
        const n = got.groups.length;
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            expect(cellAt(got, i, j)).toEqual(expected.cells[i * n + j]);
            const pairs = cellConnections(filtered.nodes, filtered.edges, got.groups[i]!, got.groups[j]!);
            expect(cellPairs(source, got, i, j)).toEqual(
              pairs.map((e) => ({ id: e.id, source: e.source, target: e.target, label: e.label })),
            );
          }
        }
      }
    });
  }

  it('leaves a self-loop out of the count but lists it (as the edge-object matrix does)', () => {
    const [, model] = MODELS.find(([name]) => name === 'tricky 1')!;
    const loop = model.edges.find((e) => e.source === e.target)!;
    const got = matrixCounts(tableSourceOf(model), filterCases(model)[0]![1]);
    const g = got.groups.indexOf(loop.source.split('/')[0]!);
    const listed = cellPairs(tableSourceOf(model), got, g, g);
    expect(listed.some((p) => p.source === p.target)).toBe(true);
    expect(cellAt(got, g, g).allowed).toBeLessThan(listed.length);
  });
});
