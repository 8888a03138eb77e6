import { describe, expect, it } from 'vitest';
import { nodeId } from '../model/ids.test-helper.ts';
import type { GraphEdge } from '../model/index.ts';
import { naturalKey } from '../workspace/connectionOrder.ts';
import {
  connectionRows,
  filterConnectionRows,
  policy,
  sortConnectionRows,
} from './connectionRows.test-helper.ts';
import type { ConnectionRow } from './connectionRows.ts';

function edge(source: string, target: string, label: string): GraphEdge {
  return {
    id: `${source}->${target}`,
    source: nodeId(source),
    target: nodeId(target),
    label,
    all: label === 'All Connections',
    ports: { TCP: [], UDP: [], SCTP: [] },
  };
}

const WEB = 'shop/web[Deployment]';
const API2 = 'shop/api-2[Deployment]';
const API10 = 'shop/api-10[Deployment]';
const DB = 'data/db[StatefulSet]';
const NET = '0.0.0.0-255.255.255.255[External]';

const policies = [
  policy('shop/deny-all', ['Ingress', 'Egress'], [WEB, API2, API10]),
  policy('shop/api-in', ['Ingress'], [API2, API10]),
  policy('data/db-in', ['Ingress'], [DB]),
];
const edges = [
  edge(WEB, API10, 'TCP 8080'),
  edge(WEB, API2, 'TCP 8080'),
  edge(API2, DB, 'TCP 5432'),
  edge(DB, NET, 'All Connections'),
];
const rows = connectionRows({ policies }, edges);
const byId = new Map(rows.map((r) => [r.id, r]));

describe('connectionRows', () => {
  it('lists every connection with the policies deciding on each side', () => {
    expect(rows.map((r) => r.id)).toEqual(edges.map((e) => e.id));
    expect(byId.get(`${WEB}->${API2}`)).toEqual({
      id: `${WEB}->${API2}`,
      source: WEB,
      target: API2,
      connection: 'TCP 8080',
      egressPolicies: ['shop/deny-all'],
      ingressPolicies: ['shop/deny-all', 'shop/api-in'],
    });
    // An ingress-only policy does not decide the egress side; a range has no policies.
    expect(byId.get(`${DB}->${NET}`)).toMatchObject({ egressPolicies: [], ingressPolicies: [] });
    expect(byId.get(`${API2}->${DB}`)).toMatchObject({ ingressPolicies: ['data/db-in'] });
  });
});

describe('filterConnectionRows', () => {
  it.each([
    ['', 4],
    ['   ', 4],
    ['api', 3],
    ['API-2', 2],
    ['shop 8080', 2],
    ['5432 db-in', 1],
    ['all connections', 1],
    ['deny-all data', 1],
    ['nothing-like-this', 0],
  ])('%j keeps %i rows', (query, count) => {
    expect(filterConnectionRows(rows, query)).toHaveLength(count);
  });
});

describe('sortConnectionRows', () => {
  const ids = (sorted: ConnectionRow[]) => sorted.map((r) => `${r.source} ${r.target}`);
  it('sorts by destination with numbers compared as numbers', () => {
    expect(ids(sortConnectionRows(rows, 'target', 'ascending'))).toEqual([
      `${DB} ${NET}`,
      `${API2} ${DB}`,
      `${WEB} ${API2}`,
      `${WEB} ${API10}`,
    ]);
  });
  it('reverses for descending, ties broken by source then destination in both', () => {
    expect(ids(sortConnectionRows(rows, 'connection', 'descending'))).toEqual([
      `${WEB} ${API2}`,
      `${WEB} ${API10}`,
      `${API2} ${DB}`,
      `${DB} ${NET}`,
    ]);
    expect(ids(sortConnectionRows(rows, 'connection', 'ascending'))).toEqual([
      `${DB} ${NET}`,
      `${API2} ${DB}`,
      `${WEB} ${API2}`,
      `${WEB} ${API10}`,
    ]);
  });
  it('does not depend on the input order', () => {
    expect(sortConnectionRows([...rows].reverse(), 'egressPolicies', 'ascending')).toEqual(
      sortConnectionRows(rows, 'egressPolicies', 'ascending'),
    );
  });
});

describe('naturalKey', () => {
  it.each([
    ['api-2', 'api-10'],
    ['API-1', 'api-2'],
    ['9.255.255.255-9.255.255.255[External]', '10.0.0.0-10.255.255.255[External]'],
    ['team005/api-1', 'team005/api-11'],
    ['a/b[Deployment]', 'a/b[Pod]'],
  ])('%s sorts before %s', (first, second) => {
    expect(naturalKey(first) < naturalKey(second)).toBe(true);
  });
});
