import { describe, expect, it } from 'vitest';
import { FlowAggregator } from './aggregate.ts';
import { hubbleLine, readFlows, shopWorkspace } from './testing/fixtures.ts';

const frontend = {
  namespace: 'web',
  pod: 'frontend-5d8f7-aaaaa',
  labels: ['k8s:app=frontend'],
  ip: '10.0.0.7',
};
const api = { namespace: 'shop', pod: 'api-0', labels: ['k8s:app=api'], ip: '10.1.0.5' };

/** Each line another connection (its own client port), so that none is a repeat. */
function lines(ends: Array<{ src: typeof frontend; dst: typeof api; port?: number }>): string {
  return ends
    .map((e, i) => hubbleLine({ src: e.src, dst: e.dst, port: e.port ?? 8080, sourcePort: 40000 + i }))
    .join('\n');
}

describe('Hubble endpoints, read once each', () => {
  it('gives the same endpoint the same object, and an endpoint that differs in any field its own', () => {
    const relabelled = { ...frontend, labels: ['k8s:app=frontend', 'k8s:tier=ui'] };
    const moved = { ...frontend, ip: '10.0.0.8' };
    const renamed = { ...frontend, pod: 'frontend-5d8f7-bbbbb' };
    const otherNamespace = { ...frontend, namespace: 'shop' };
    const { records } = readFlows(
      lines([
        { src: frontend, dst: api },
        { src: frontend, dst: api },
        { src: relabelled, dst: api },
        { src: moved, dst: api },
        { src: renamed, dst: api },
        { src: otherNamespace, dst: api },
        { src: frontend, dst: api },
      ]),
    );
    const sources = records.map((r) => r.src);
    expect(sources[1]).toBe(sources[0]);
    expect(records[1]!.dst).toBe(records[0]!.dst);
    expect(sources.slice(2, 6)).toEqual([
      {
        ip: '10.0.0.7',
        namespace: 'web',
        name: 'frontend-5d8f7-aaaaa',
        labels: { app: 'frontend', tier: 'ui' },
        entity: 'pod',
      },
      {
        ip: '10.0.0.8',
        namespace: 'web',
        name: 'frontend-5d8f7-aaaaa',
        labels: { app: 'frontend' },
        entity: 'pod',
      },
      {
        ip: '10.0.0.7',
        namespace: 'web',
        name: 'frontend-5d8f7-bbbbb',
        labels: { app: 'frontend' },
        entity: 'pod',
      },
      {
        ip: '10.0.0.7',
        namespace: 'shop',
        name: 'frontend-5d8f7-aaaaa',
        labels: { app: 'frontend' },
        entity: 'pod',
      },
    ]);
    expect(sources[6]).toEqual(sources[0]);
  });

  it('reads addresses that are not canonical IPv4 (IPv6, leading zeros) the same way', () => {
    const v6 = { ...frontend, ip: 'fd00::7' };
    const padded = { ...frontend, ip: '010.0.0.7' };
    const { records } = readFlows(
      lines([
        { src: v6, dst: api },
        { src: v6, dst: api },
        { src: { ...v6, labels: ['k8s:app=other'] }, dst: api },
        { src: padded, dst: api },
        { src: padded, dst: api },
        { src: frontend, dst: api },
      ]),
    );
    const sources = records.map((r) => r.src);
    expect(sources[1]).toBe(sources[0]);
    expect(sources[2]).not.toBe(sources[0]);
    expect(sources[2]!.labels).toEqual({ app: 'other' });
    expect(sources[4]).toBe(sources[3]);
    expect(sources[3]!.ip).toBe('010.0.0.7');
    // Not the canonical address's endpoint: the text differs.
    expect(sources[5]).not.toBe(sources[3]);
    expect(sources[5]!.ip).toBe('10.0.0.7');
  });

  it('aggregates different endpoints of one workload into one flow, and tells workloads apart', () => {
    const other = { ...frontend, pod: 'frontend-5d8f7-bbbbb', ip: '10.0.0.8' };
    // Unknown to the manifests, but its labels are the admin Deployment's.
    const admin = { namespace: 'web', pod: 'admin-77c9d-ccccc', labels: ['k8s:app=admin'], ip: '10.0.0.9' };
    const { records } = readFlows(
      lines([
        { src: frontend, dst: api },
        { src: other, dst: api },
        { src: admin, dst: api },
        { src: other, dst: api, port: 9090 },
        { src: frontend, dst: api },
      ]),
    );
    const aggregator = new FlowAggregator(shopWorkspace().cluster().cluster);
    for (const record of records) aggregator.add(record);
    expect(aggregator.flows().map((f) => [f.key, f.count])).toEqual([
      ['web/admin[Deployment] -> shop/api-0[Pod] TCP/8080', 1],
      ['web/frontend[Deployment] -> shop/api-0[Pod] TCP/8080', 3],
      ['web/frontend[Deployment] -> shop/api-0[Pod] TCP/9090', 1],
    ]);
  });
});
