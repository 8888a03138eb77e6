import { describe, expect, it } from 'vitest';
import { FlowAggregator } from './aggregate.ts';
import { shopWorkspace } from './testing/fixtures.ts';
import type { FlowEndpoint, FlowRecord, ObservedVerdict } from './types.ts';

/** A small seeded generator (a linear congruential one). */
function seeded(seed: number) {
  let state = seed >>> 0;
  return (n: number): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return Math.floor((state / 2 ** 32) * n);
  };
}

const ENDS: Array<[FlowEndpoint, string]> = [
  [{ workloadId: 'web/frontend[Deployment]' }, 'web/frontend[Deployment]'],
  [{ workloadId: 'shop/api-0[Pod]' }, 'shop/api-0[Pod]'],
  [{ workloadId: 'shop/db[StatefulSet]' }, 'shop/db[StatefulSet]'],
  [{ ip: '203.0.113.5' }, '203.0.113.5'],
];
const VERDICTS: ObservedVerdict[] = ['forwarded', 'dropped', 'unknown'];

describe('FlowAggregator counters', () => {
  it.each([1, 2])('sum counts and widen times as record-by-record arithmetic does (seed %i)', (seed) => {
    const random = seeded(seed);
    const aggregator = new FlowAggregator(shopWorkspace().cluster().cluster);
    const expected = new Map<
      string,
      { count: number; forwarded: number; dropped: number; firstSeen?: number; lastSeen?: number }
    >();
    for (let line = 1; line <= 3000; line++) {
      const [src, srcName] = ENDS[random(ENDS.length)]!;
      const [dst, dstName] = ENDS[random(3)]!;
      const record: FlowRecord = {
        line,
        format: 'csv',
        src,
        dst,
        protocol: random(2) === 0 ? 'TCP' : 'UDP',
        port: [53, 8080][random(2)]!,
        verdict: VERDICTS[random(3)]!,
        count: random(4),
      };
      // Some records have no time, some only one, some go back in time.
      const time = Date.parse('2026-12-01T10:00:00Z') + (random(100) - 30) * 1000;
      if (random(5) > 0) record.firstSeen = time;
      if (random(5) > 0) record.lastSeen = time + random(3) * 1000;
      if (random(10) === 0) record.duplicate = true;
      aggregator.add(record);
      const key = `${srcName} -> ${dstName} ${record.protocol}/${record.port}`;
      const count = record.duplicate ? 0 : record.count;
      const flow = expected.get(key) ?? { count: 0, forwarded: 0, dropped: 0 };
      flow.count += count;
      if (record.verdict === 'forwarded') flow.forwarded += count;
      if (record.verdict === 'dropped') flow.dropped += record.count;
      if (record.firstSeen !== undefined && !(flow.firstSeen! <= record.firstSeen))
        flow.firstSeen = record.firstSeen;
      if (record.lastSeen !== undefined && !(flow.lastSeen! >= record.lastSeen))
        flow.lastSeen = record.lastSeen;
      expected.set(key, flow);
    }
    const flows = aggregator.flows();
    expect(flows.map((f) => f.key)).toEqual([...expected.keys()].sort());
    for (const flow of flows) {
      const want = expected.get(flow.key)!;
      expect([flow.count, flow.forwarded, flow.dropped, flow.firstSeen, flow.lastSeen]).toEqual([
        want.count,
        want.forwarded,
        want.dropped,
        want.firstSeen,
        want.lastSeen,
      ]);
    }
    // Asked again after more records, the flows have the new sums.
    const before = flows[0]!.count;
    const first = flows[0]!;
    const [src] = ENDS.find(([, name]) => first.key.startsWith(`${name} ->`))!;
    const [dst] = ENDS.find(([, name]) => first.key.includes(`-> ${name} `))!;
    aggregator.add({
      line: 9999,
      format: 'csv',
      src,
      dst,
      protocol: first.protocol,
      port: first.port,
      verdict: 'unknown',
      count: 5,
    });
    expect(aggregator.flows().find((f) => f.key === first.key)!.count).toBe(before + 5);
  });
});
