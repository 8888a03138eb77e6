import { describe, expect, it } from 'vitest';
import { FlowAggregator } from './aggregate.ts';
import { ConnectionTracker, type ConnectionTuple } from './connections.ts';
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

/**
 * The rule of connections.ts stated plainly, over string keys in two Maps: what the tracker's
 * tables must answer, record for record.
 */
class ReferenceTracker {
  private current = new Map<string, { at: number; dropped: boolean }>();
  private previous = new Map<string, { at: number; dropped: boolean }>();
  private latest = -Infinity;
  private start = -Infinity;
  constructor(private readonly limit: number) {}

  observe(tuple: ConnectionTuple, time: number, dropped: boolean): string {
    const key = `${tuple.protocol} ${tuple.from} ${tuple.sourcePort} ${tuple.to} ${tuple.port}`;
    if (this.start === -Infinity) this.start = time;
    this.latest = Math.max(this.latest, time);
    if (this.latest - this.start >= 60_000 || this.current.size >= this.limit / 2) {
      this.previous = this.current;
      this.current = new Map();
      this.start = this.latest;
    }
    const seen = this.current.get(key) ?? this.previous.get(key);
    if (seen && Math.abs(time - seen.at) < 60_000) {
      this.current.set(key, { at: Math.max(time, seen.at), dropped: seen.dropped || dropped });
      return dropped && !seen.dropped ? 'verdict' : 'repeat';
    }
    this.current.set(key, { at: time, dropped });
    return 'new';
  }
}

describe('ConnectionTracker', () => {
  /** A small seeded generator (Park-Miller), so a failure replays. */
  function generator(seed: number) {
    let state = seed;
    return (n: number) => {
      state = (state * 48271) % 2147483647;
      return state % n;
    };
  }

  it.each([1, 2, 3])('answers as the plain rule on a random stream (seed %i)', (seed) => {
    const int = generator(seed);
    // A small limit, so that generations also turn over by size; enough tuples to grow the table.
    const tracker = new ConnectionTracker(6000);
    const reference = new ReferenceTracker(6000);
    const addresses = [
      '10.0.0.1',
      '10.0.0.2',
      '10.0.0.10',
      '10.0.0.010',
      '255.255.255.255',
      '0.0.0.0',
      '192.168.1.1',
      'fd00::1',
      'FD00::1',
      '2001:db8::7',
    ];
    const protocols = ['TCP', 'UDP', 'SCTP'] as const;
    let time = Date.parse('2026-12-01T10:00:00Z');
    const answers: string[] = [];
    const expected: string[] = [];
    for (let i = 0; i < 40_000; i++) {
      // Mostly forward, sometimes a minute or more ahead, sometimes behind (skew).
      const step = int(100);
      time += step < 98 ? int(3) : step < 99 ? 30_000 + int(60_000) : -int(70_000);
      const tuple: ConnectionTuple = {
        protocol: protocols[int(3)]!,
        from: addresses[int(addresses.length)]!,
        sourcePort: 40000 + int(30),
        to: addresses[int(addresses.length)]!,
        port: [53, 80, 443, 65535][int(4)]!,
      };
      const dropped = int(10) === 0;
      answers.push(tracker.observe(tuple, time, dropped));
      expected.push(reference.observe(tuple, time, dropped));
    }
    expect(answers).toEqual(expected);
    expect(new Set(answers)).toEqual(new Set(['new', 'repeat', 'verdict']));
  });

  it('tells addresses apart as written (a leading zero, IPv6 case) and ports and protocols apart', () => {
    const tracker = new ConnectionTracker();
    const at = Date.parse('2026-12-01T10:00:00Z');
    const base: ConnectionTuple = {
      protocol: 'TCP',
      from: '10.0.0.1',
      sourcePort: 40000,
      to: '10.0.0.2',
      port: 80,
    };
    const variants: ConnectionTuple[] = [
      base,
      { ...base, from: '10.0.0.01' },
      { ...base, to: '10.0.0.20' },
      { ...base, protocol: 'UDP' },
      { ...base, sourcePort: 40001 },
      { ...base, port: 81 },
      { ...base, from: '10.0.0.2', to: '10.0.0.1' },
      { ...base, from: 'fd00::1', to: 'fd00::2' },
      { ...base, from: 'FD00::1', to: 'fd00::2' },
    ];
    expect(variants.map((t) => tracker.observe(t, at, false))).toEqual(variants.map(() => 'new'));
    expect(variants.map((t) => tracker.observe(t, at + 1, false))).toEqual(variants.map(() => 'repeat'));
  });
});
