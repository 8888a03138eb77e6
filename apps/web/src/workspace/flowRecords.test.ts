import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FlowAggregator, FlowReader } from '@netpol-atlas/flows';
import { Workspace } from '@netpol-atlas/workspace';
import { describe, expect, it } from 'vitest';
import { FlowRecordStore } from './flowRecords.ts';

const PUBLIC = fileURLToPath(new URL('../../../../public/', import.meta.url));
const demo = readdirSync(`${PUBLIC}demo/`)
  .sort()
  .map((name) => ({ path: `demo/${name}`, text: readFileSync(`${PUBLIC}demo/${name}`, 'utf8') }));
const hubble = readFileSync(`${PUBLIC}flows/demo.hubble.jsonl`, 'utf8');

function clusterOf(files = demo) {
  return new Workspace(files).connections().analysis.cluster;
}

/** What an aggregator says, in a form two aggregators can be compared by. */
function summary(aggregator: FlowAggregator) {
  return {
    flows: aggregator.flows().map((f) => ({
      key: f.key,
      count: f.count,
      forwarded: f.forwarded,
      dropped: f.dropped,
      firstSeen: f.firstSeen,
      lastSeen: f.lastSeen,
      line: f.line,
    })),
    unmatched: aggregator.unmatched(),
    records: aggregator.records,
    connections: aggregator.connections,
    unmatchedRecords: aggregator.unmatchedRecords,
    unmatchedConnections: aggregator.unmatchedConnections,
  };
}

describe('FlowRecordStore', () => {
  it('keeps records summed per distinct ends, and aggregates them as the records themselves would be', () => {
    const cluster = clusterOf();
    const direct = new FlowAggregator(cluster);
    const store = new FlowRecordStore();
    // The sample twice: every group then stands for several records.
    const reader = new FlowReader((r) => {
      direct.add(r);
      store.add(r);
    });
    reader.push(hubble);
    reader.push(hubble);
    reader.end();
    expect(store.size).toBeLessThan(reader.records / 2);
    expect(summary(store.aggregatorFor(cluster))).toEqual(summary(direct));
  });

  it('keeps the aggregator while the workloads stay the same, and matches again when they change', () => {
    const store = new FlowRecordStore();
    const reader = new FlowReader((r) => store.add(r));
    reader.push(hubble);
    reader.end();
    const cluster = clusterOf();
    const first = store.aggregatorFor(cluster);
    expect(store.aggregatorFor(cluster)).toBe(first);
    const renamed = demo.map((f) => ({
      ...f,
      text: f.text.replaceAll('name: store-api', 'name: store-backend'),
    }));
    const other = store.aggregatorFor(clusterOf(renamed));
    expect(other).not.toBe(first);
    expect(other.flows().some((f) => f.key.includes('store/store-backend[Deployment]'))).toBe(true);
    expect(other.records).toBe(first.records);
  });

  it('counts the records of groups past its limit instead of keeping them', () => {
    const store = new FlowRecordStore(2);
    const reader = new FlowReader((r) => store.add(r));
    reader.push(
      [
        'src,dst,protocol,port,count,last_seen',
        'default/demo[Deployment],default/demo-db[StatefulSet],TCP,5432,1,2025-12-01T10:00:00Z',
        'default/demo[Deployment],default/demo-db[StatefulSet],TCP,5432,4,2025-12-01T10:01:00Z',
        'default/demo[Deployment],default/demo-db[StatefulSet],TCP,5433,1,2025-12-01T10:02:00Z',
        'default/demo[Deployment],default/demo-db[StatefulSet],TCP,5434,1,2025-12-01T10:03:00Z',
        '',
      ].join('\n'),
    );
    expect(store.size).toBe(2);
    expect(store.overflowRecords).toBe(1);
    const flows = store.aggregatorFor(clusterOf()).flows();
    expect(flows.map((f) => [f.port, f.count])).toEqual([
      [5432, 5],
      [5433, 1],
    ]);
  });
});
