import { describe, expect, it } from 'vitest';
import { FlowAggregator } from './aggregate.ts';
import { hubbleLine, readFlows, shopWorkspace } from './testing/fixtures.ts';

/** frontend (10.0.0.7) -> api-0 (10.1.0.5) TCP 8080, as Hubble writes it at one point. */
function seen(options: {
  node?: string;
  direction?: 'EGRESS' | 'INGRESS';
  point?: string;
  sourcePort?: number;
  time?: string;
  verdict?: string;
  reply?: boolean;
}): string {
  const reply = options.reply === true;
  const frontend = {
    namespace: 'web',
    pod: 'frontend-5d8f7-aaaaa',
    labels: ['k8s:app=frontend'],
    ip: '10.0.0.7',
  };
  const api = { namespace: 'shop', pod: 'api-0', labels: ['k8s:app=api'], ip: '10.1.0.5' };
  return hubbleLine({
    src: reply ? api : frontend,
    dst: reply ? frontend : api,
    port: reply ? (options.sourcePort ?? 40000) : 8080,
    sourcePort: reply ? 8080 : (options.sourcePort ?? 40000),
    time: options.time ?? '2026-12-01T10:00:00.000Z',
    ...(options.node ? { node: options.node } : {}),
    ...(options.direction ? { direction: options.direction } : {}),
    ...(options.point ? { point: options.point } : {}),
    ...(options.verdict ? { verdict: options.verdict } : {}),
    ...(options.reply !== undefined ? { reply: options.reply } : {}),
  });
}

/** Reads the lines and aggregates them for the shop. */
function aggregate(lines: string[]) {
  const { records, reader } = readFlows(lines.join('\n'));
  const aggregator = new FlowAggregator(shopWorkspace().cluster().cluster);
  for (const record of records) aggregator.add(record);
  return { records, reader, aggregator, flows: aggregator.flows() };
}

describe('Hubble: one connection seen at several points counts once', () => {
  it('counts the source node egress and the destination node ingress of one connection once', () => {
    const { flows, reader, aggregator } = aggregate([
      seen({ node: 'node-a', direction: 'EGRESS', point: 'FROM_ENDPOINT' }),
      seen({ node: 'node-a', direction: 'EGRESS', point: 'TO_OVERLAY', time: '2026-12-01T10:00:00.001Z' }),
      seen({ node: 'node-b', direction: 'INGRESS', point: 'TO_ENDPOINT', time: '2026-12-01T10:00:00.002Z' }),
    ]);
    expect(flows).toMatchObject([{ key: 'web/frontend[Deployment] -> shop/api-0[Pod] TCP/8080', count: 1 }]);
    expect(aggregator.connections).toBe(1);
    expect(reader.records).toBe(1);
    expect(reader.skipped.repeat).toBe(2);
  });

  it('counts two connections between the same pods (two client ports) twice', () => {
    const { flows } = aggregate([
      seen({ sourcePort: 40000, node: 'node-a' }),
      seen({ sourcePort: 40000, node: 'node-b', direction: 'INGRESS' }),
      seen({ sourcePort: 40001, node: 'node-a' }),
      seen({ sourcePort: 40001, node: 'node-b', direction: 'INGRESS' }),
    ]);
    expect(flows).toMatchObject([{ count: 2, forwarded: 2, dropped: 0 }]);
  });

  it('keeps a drop at the destination: one connection, forwarded by its source, dropped', () => {
    const { flows, records } = aggregate([
      seen({ node: 'node-a' }),
      seen({ node: 'node-b', direction: 'INGRESS', verdict: 'DROPPED' }),
      // Retransmissions, dropped again: the connection is already known dropped.
      seen({ node: 'node-b', direction: 'INGRESS', verdict: 'DROPPED', time: '2026-12-01T10:00:01Z' }),
    ]);
    expect(records.map((r) => r.duplicate ?? false)).toEqual([false, true]);
    expect(flows).toMatchObject([{ count: 1, forwarded: 1, dropped: 1 }]);
  });

  it('reads the tuple again after a silence longer than TIME_WAIT as a new connection', () => {
    const { flows } = aggregate([
      seen({ time: '2026-12-01T10:00:00Z' }),
      seen({ time: '2026-12-01T10:00:59Z' }),
      seen({ time: '2026-12-01T10:02:30Z' }),
    ]);
    expect(flows).toMatchObject([{ count: 2 }]);
  });

  it('takes a slightly earlier time from another node (clock skew) as the same connection', () => {
    const { flows } = aggregate([
      seen({ node: 'node-a', time: '2026-12-01T10:00:05Z' }),
      seen({ node: 'node-b', direction: 'INGRESS', time: '2026-12-01T10:00:04Z' }),
    ]);
    expect(flows).toMatchObject([{ count: 1 }]);
  });

  it('forgets tuples well behind the latest time, and still counts old tuples that come back', () => {
    const lines: string[] = [];
    // Many minutes of traffic: each tuple once a minute and a half, so each sighting is new.
    for (let minute = 0; minute < 10; minute++) {
      const at = new Date(Date.parse('2026-12-01T10:00:00Z') + minute * 90_000).toISOString();
      for (let port = 40000; port < 40003; port++) lines.push(seen({ sourcePort: port, time: at }));
    }
    expect(aggregate(lines).flows).toMatchObject([{ count: 30 }]);
  });

  it('takes records without a time by their tuple alone', () => {
    const untimed = (node: string, sourcePort: number) => {
      const line = JSON.parse(seen({ node, sourcePort }));
      delete line.time;
      delete line.flow.time;
      return JSON.stringify(line);
    };
    const { flows } = aggregate([
      untimed('node-a', 40000),
      untimed('node-b', 40000),
      untimed('node-a', 40001),
    ]);
    expect(flows).toMatchObject([{ count: 2, firstSeen: undefined }]);
  });

  it('still skips replies, and counts records without a client port or addresses by themselves', () => {
    const noPort = JSON.stringify({
      flow: {
        verdict: 'FORWARDED',
        l4: { TCP: { destination_port: 8080 } },
        source: { namespace: 'web', pod_name: 'frontend-5d8f7-aaaaa' },
        destination: { namespace: 'shop', pod_name: 'api-0' },
      },
    });
    const { flows, reader } = aggregate([seen({}), seen({ reply: true }), noPort, noPort]);
    expect(reader.skipped).toMatchObject({ reply: 1, repeat: 0 });
    expect(flows).toMatchObject([{ count: 3 }]);
  });
});
