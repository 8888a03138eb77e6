import { describe, expect, it } from 'vitest';
import { connectionRows, connectionsCsv, policy } from '../connections/connectionRows.test-helper.ts';
import { CONNECTION_COLUMNS } from '../connections/connectionRows.ts';
import { rowAt } from '../connections/tableRows.ts';
import { NO_FILTERS } from '../graph/index.ts';
import { nodeId } from '../model/ids.test-helper.ts';
import { externalNode, type GraphEdge, type GraphModel, type GraphNode } from '../model/index.ts';
import { type ConnectionSort, connectionOrder, sidePolicies } from './connectionOrder.ts';
import {
  type ConnectionsCsvQuery,
  connectionsCsvBlob,
  connectionsCsvSlice,
  csvField,
} from './connectionsCsv.ts';
import { filterCases, MODELS } from './tableFixtures.test-helper.ts';
import { tableSourceOf } from './tableSource.ts';

const SORTS: ConnectionSort[] = CONNECTION_COLUMNS.flatMap(({ id }) =>
  (['ascending', 'descending'] as const).map((direction) => ({ column: id, direction })),
);
const BY_SOURCE: ConnectionSort = { column: 'source', direction: 'ascending' };

function edge(source: string, target: string, label: string): GraphEdge {
  return {
    id: `${source}->${target}`,
    source: nodeId(source),
    target: nodeId(target),
    label,
    all: true,
    // Every port, so that no filter of these tests leaves an edge out for its protocol.
    ports: { TCP: [0, 65535], UDP: [0, 65535], SCTP: [0, 65535] },
  };
}

/** A model built by hand (no edge table, no revision) of `edges`, with `policies`. */
function handModel(edges: GraphEdge[], policies: GraphModel['policies'] = []): GraphModel {
  const ids = [...new Set(edges.flatMap((e) => [e.source, e.target]))];
  // Workloads: the filters keep an external range only while a workload's edge touches it.
  const nodes: GraphNode[] = ids.map((id) => ({
    ...externalNode(id, id),
    type: 'workload',
    kind: 'Pod',
    namespace: id.split('/')[0] ?? '',
    labels: {},
  }));
  return { nodes, edges, namespaces: [], policies };
}

function query(partial: Partial<ConnectionsCsvQuery> = {}): ConnectionsCsvQuery {
  return { filters: NO_FILTERS, sort: BY_SOURCE, query: '', columns: CONNECTION_COLUMNS, ...partial };
}

const decoder = new TextDecoder();

/** The whole file, asked for in slices of `size` rows as the page asks for it. */
function sliced(model: GraphModel, q: ConnectionsCsvQuery, size: number): string {
  const source = tableSourceOf(model);
  let text = '';
  for (let from = 0; ; ) {
    const slice = connectionsCsvSlice(source, q, from, size);
    text += decoder.decode(slice.bytes);
    if (slice.end >= slice.rows) return text;
    expect(slice.end).toBe(Math.min(slice.rows, from + size));
    from = slice.end;
  }
}

/** The file as the page wrote it before: row objects of the table's order, one string of them. */
function writtenBefore(model: GraphModel, q: ConnectionsCsvQuery): string {
  const source = tableSourceOf(model);
  const sides = sidePolicies(source);
  const order = connectionOrder(source, q.filters, q.sort, q.query);
  return connectionsCsv(Array.from(order.rows, (e) => rowAt(source, sides, e)));
}

const WEB = 'shop/web[Deployment]';
const API2 = 'shop/api-2[Deployment]';
const DB = 'data/db[StatefulSet]';
const NET = '0.0.0.0-255.255.255.255[External]';
const POLICIES = [
  policy('shop/deny-all', ['Ingress', 'Egress'], [WEB, API2]),
  policy('shop/api-in', ['Ingress'], [API2]),
];

describe('csvField (RFC 4180)', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['TCP 80,UDP 53', '"TCP 80,UDP 53"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rhere', '"cr\rhere"'],
    [' spaced ', ' spaced '],
  ])('field %j is written %j', (value, written) => {
    expect(csvField(value)).toBe(written);
  });
});

describe('connectionsCsvSlice', () => {
  it('writes a header and one CRLF-terminated record per row, policy lists joined by spaces', () => {
    const model = handModel([edge(WEB, API2, 'TCP 8080,UDP 53'), edge(DB, NET, 'All Connections')], POLICIES);
    expect(sliced(model, query(), 10)).toBe(
      'Source,Destination,Protocols and ports,Egress decided by,Ingress decided by\r\n' +
        `${DB},${NET},All Connections,,\r\n` +
        `${WEB},${API2},"TCP 8080,UDP 53",shop/deny-all,shop/deny-all shop/api-in\r\n`,
    );
  });

  it('writes only the header when no row is left', () => {
    const model = handModel([edge(WEB, API2, 'TCP 80')]);
    const slice = connectionsCsvSlice(tableSourceOf(model), query({ query: 'nothing-like-this' }), 0, 10);
    expect(slice).toMatchObject({ end: 0, rows: 0 });
    expect(decoder.decode(slice.bytes)).toBe(
      'Source,Destination,Protocols and ports,Egress decided by,Ingress decided by\r\n',
    );
  });

  it('reads back to the same cells with a strict RFC 4180 reader', () => {
    const a = 'a/"x",y[Pod]';
    const b = 'b/z\r\n[Pod]';
    const model = handModel([edge(a, b, 'TCP 1,"2"')], [policy('a/"q",r', ['Egress'], [a])]);
    const parsed = parseCsv(sliced(model, query(), 1));
    expect(parsed).toEqual([CONNECTION_COLUMNS.map((c) => c.label), [a, b, 'TCP 1,"2"', 'a/"q",r', '']]);
  });

  it('writes the columns asked for, in their order, under their labels', () => {
    const model = handModel([edge(WEB, API2, 'TCP 8080')], POLICIES);
    const columns = [
      { id: 'ingressPolicies', label: 'In, "by"' },
      { id: 'target', label: 'To' },
    ] as const;
    expect(sliced(model, query({ columns }), 5)).toBe(
      `"In, ""by""",To\r\nshop/deny-all shop/api-in,${API2}\r\n`,
    );
  });

  for (const [name, model] of MODELS) {
    it(`writes ${name} as the page did, byte for byte, under every filter and order`, () => {
      const rows = connectionRows(model, model.edges).length;
      // One slice, slices that end inside the rows, and single rows.
      const sizes = [rows + 1, Math.max(1, Math.ceil(rows / 3) - 1), 1];
      for (const [, filters] of filterCases(model)) {
        for (const sort of SORTS) {
          const q = query({ filters, sort });
          const before = writtenBefore(model, q);
          for (const size of sizes) expect(sliced(model, q, size)).toBe(before);
        }
      }
      for (const search of ['tcp 80', 'external', 'nothing-like-this']) {
        const q = query({ sort: SORTS[5]!, query: search });
        expect(sliced(model, q, 7)).toBe(writtenBefore(model, q));
      }
    });
  }

  it('as Blobs, is the UTF-8 bytes the page downloaded, names outside ASCII included', async () => {
    const model = handModel([edge('ns/café[Pod]', 'ns/😀,x[Pod]', 'TCP 80'), edge(WEB, API2, 'TCP 1')]);
    const q = query({ sort: { column: 'target', direction: 'descending' } });
    const parts = [0, 1, 2].map((from) => connectionsCsvBlob(tableSourceOf(model), q, from, 1));
    expect(parts.map((p) => p.end)).toEqual([1, 2, 2]);
    const bytes = new Uint8Array(await new Blob(parts.map((p) => p.blob)).arrayBuffer());
    const before = new Uint8Array(
      await new Blob([writtenBefore(model, q)], { type: 'text/csv' }).arrayBuffer(),
    );
    expect(bytes).toEqual(before);
    expect(parts[0]!.blob.type).toBe('text/csv');
  });
});

/** A minimal RFC 4180 reader, to check the writer against the grammar rather than against itself. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += c;
    i++;
  }
  return records;
}
