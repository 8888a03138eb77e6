import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { connectionsCsv } from '../connections/connectionRows.test-helper.ts';
import { CONNECTION_COLUMNS } from '../connections/connectionRows.ts';
import { rowAt } from '../connections/tableRows.ts';
import { NO_FILTERS } from '../graph/index.ts';
import { nodeId } from '../model/ids.test-helper.ts';
import { externalNode, type GraphEdge, type GraphModel, hydrateModel } from '../model/index.ts';
import { analysisClient } from './analysisClients.ts';
import { connectionOrder, sidePolicies } from './connectionOrder.ts';
import type { ConnectionsCsvQuery } from './connectionsCsv.ts';
import { type ExportProgress, exportConnectionsCsv } from './connectionsExport.ts';
import { tableSourceOf } from './tableSource.ts';

const DEMO_DIR = fileURLToPath(new URL('../../../../public/demo/', import.meta.url));
const demoFiles = readdirSync(DEMO_DIR)
  .sort()
  .map((name) => ({ id: name, path: `demo/${name}`, text: readFileSync(`${DEMO_DIR}${name}`, 'utf8') }));

const QUERY: ConnectionsCsvQuery = {
  filters: NO_FILTERS,
  sort: { column: 'target', direction: 'descending' },
  query: '',
  columns: CONNECTION_COLUMNS,
};

/** The file as the page wrote it before the worker did. */
function writtenBefore(model: GraphModel, q: ConnectionsCsvQuery): string {
  const source = tableSourceOf(model);
  const sides = sidePolicies(source);
  const order = connectionOrder(source, q.filters, q.sort, q.query);
  return connectionsCsv(Array.from(order.rows, (e) => rowAt(source, sides, e)));
}

/** A model built on the page (no revision) where every one of `count` workloads reaches every other. */
function openModel(count: number): GraphModel {
  const nodes = Array.from({ length: count }, (_, i) => ({
    ...externalNode(nodeId(`big/pod-${i}[Pod]`), `pod-${i}`),
    type: 'workload' as const,
    kind: 'Pod',
    namespace: 'big',
    labels: {},
  }));
  const edges: GraphEdge[] = nodes.flatMap((s) =>
    nodes.map((t) => ({
      id: `${s.id}->${t.id}`,
      source: s.id,
      target: t.id,
      label: 'All Connections',
      all: true,
      ports: { TCP: [0, 65535], UDP: [0, 65535], SCTP: [0, 65535] },
    })),
  );
  return { nodes, edges, namespaces: [], policies: [] };
}

describe('exportConnectionsCsv', () => {
  it('writes a model of the page in slices, telling how far it is, the file as the page wrote it', async () => {
    // 330 x 330 = 108,900 rows: more than two slices.
    const model = openModel(330);
    const seen: ExportProgress[] = [];
    const file = await exportConnectionsCsv(
      model,
      QUERY,
      (at) => seen.push(at),
      new AbortController().signal,
    );
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.at(-1)).toEqual({ done: 108_900, rows: 108_900 });
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.done).toBeGreaterThan(seen[i - 1]!.done);
    expect(file?.type).toBe('text/csv');
    expect(await file?.text()).toBe(writtenBefore(model, QUERY));
  });

  it('stops when cancelled', async () => {
    const model = openModel(330);
    const controller = new AbortController();
    const seen: ExportProgress[] = [];
    const file = await exportConnectionsCsv(
      model,
      QUERY,
      (at) => {
        seen.push(at);
        controller.abort();
      },
      controller.signal,
    );
    expect(file).toBeUndefined();
    expect(seen).toHaveLength(1);
  });

  it('asks the worker for a model it sent, and gives up when the worker has moved on', async () => {
    const reply = await analysisClient().request('analyze', { files: demoFiles, options: {} });
    if (!reply) throw new Error('no analysis');
    const model = hydrateModel(reply.model);
    const q = { ...QUERY, query: 'tcp' };
    const file = await exportConnectionsCsv(model, q, () => {}, new AbortController().signal);
    expect(await file?.text()).toBe(writtenBefore(model, q));

    await analysisClient().request('analyze', { files: demoFiles.slice(1), options: {} });
    expect(await exportConnectionsCsv(model, q, () => {}, new AbortController().signal)).toBeUndefined();
  });
});
