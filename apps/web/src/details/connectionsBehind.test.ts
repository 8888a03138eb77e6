import { describe, expect, it } from 'vitest';
import { filterGraph, groupGraph, pairsBehind } from '../graph/index.ts';
import { countEdgeReads } from '../model/edgeTable.test-helper.ts';
import { edgeTableOf, type GraphModel, hydrateModel } from '../model/index.ts';
import { filterCases, MODELS } from '../workspace/tableFixtures.test-helper.ts';
import { connectionsBehind } from './connectionsBehind.ts';

/** A fresh model over the same table (its edges not built yet), or the model itself without one. */
function twin(model: GraphModel): GraphModel {
  const table = edgeTableOf(model);
  const { nodes, namespaces, policies } = model;
  return table ? hydrateModel({ nodes, namespaces, policies, table, revision: 0 }) : model;
}

describe('connectionsBehind', () => {
  it.each(MODELS)('finds what pairsBehind finds on the filtered graph, in its order: %s', (_, model) => {
    const columns = edgeTableOf(model) !== undefined;
    const subject = twin(model);
    const reads = countEdgeReads(subject);
    const namespaces = [...new Set(model.nodes.flatMap((n) => n.namespace ?? []))].sort();
    const collapsedSets = [
      new Set(namespaces),
      new Set(namespaces.filter((_, i) => i % 2 === 1)),
      new Set<string>(),
    ];
    let found = 0;
    for (const [name, filters] of filterCases(model)) {
      const filtered = filterGraph(model, filters);
      for (const collapsed of collapsedSets) {
        // The grouped graph's edges are what a selection names; and one it does not have.
        const ends: [string, string][] = groupGraph(filtered, collapsed)
          .edges.filter((_, i) => i % 3 === 0)
          .map((e) => [e.source, e.target]);
        ends.push(['ns:nowhere', 'ns:elsewhere']);
        for (const [source, target] of ends) {
          const edges = connectionsBehind(subject, filters, collapsed, source, target);
          found += edges.length;
          expect(edges, `${name}, ${collapsed.size} collapsed: ${source} -> ${target}`).toEqual(
            pairsBehind(filtered, collapsed, source, target),
          );
        }
      }
    }
    expect(found).toBeGreaterThan(0);
    // A model the worker sent is read as columns: its million edges are never all built.
    if (columns) expect(reads()).toBe(0);
  });
});
