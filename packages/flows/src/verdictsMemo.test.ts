import { describe, expect, it } from 'vitest';
import { FlowAggregator } from './aggregate.ts';
import { SHOP, shopWorkspace } from './testing/fixtures.ts';
import type { FlowEndpoint, FlowRecord } from './types.ts';
import { evaluateFlows } from './verdicts.ts';

/** The shop with an egress policy too, so that both sides and every layer decide some flows. */
const SHOP_WITH_EGRESS = `${SHOP}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: frontend-egress, namespace: web }
spec:
  podSelector: { matchLabels: { app: frontend } }
  policyTypes: [Egress]
  egress:
    - to: [{ namespaceSelector: {} }]
      ports: [{ protocol: TCP, port: 8080 }, { protocol: UDP, port: 53 }]
    - to: [{ ipBlock: { cidr: 203.0.113.0/24 } }]
`;

const ENDS: FlowEndpoint[] = [
  { workloadId: 'web/frontend[Deployment]' },
  { workloadId: 'web/admin[Deployment]' },
  { workloadId: 'shop/api-0[Pod]' },
  { workloadId: 'shop/db[StatefulSet]' },
  // Outside the cluster: several addresses of one range, and of others.
  { ip: '203.0.113.5' },
  { ip: '203.0.113.77' },
  { ip: '203.0.113.200' },
  { ip: '8.8.8.8' },
  { ip: '8.8.4.4' },
];
const PORTS = [53, 80, 443, 5432, 8080, 9090];
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;

/** A small seeded generator (a linear congruential one): the same records for a seed every run. */
function seeded(seed: number) {
  let state = seed >>> 0;
  return {
    int(n: number): number {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return Math.floor((state / 2 ** 32) * n);
    },
  };
}

function randomRecords(seed: number, n: number): FlowRecord[] {
  const random = seeded(seed);
  return Array.from({ length: n }, (_, i) => ({
    line: i + 1,
    format: 'csv' as const,
    src: ENDS[random.int(ENDS.length)]!,
    dst: ENDS[random.int(ENDS.length)]!,
    protocol: PROTOCOLS[random.int(PROTOCOLS.length)]!,
    port: PORTS[random.int(PORTS.length)]!,
    verdict: 'forwarded' as const,
    count: 1,
  }));
}

describe('decisions read once per pair of peers and port', () => {
  it.each([1, 2, 3])('equal the decision of each flow judged alone (seed %i)', (seed) => {
    const workspace = shopWorkspace(SHOP_WITH_EGRESS);
    const { cluster } = workspace.cluster();
    const aggregator = new FlowAggregator(cluster);
    for (const record of randomRecords(seed, 400)) aggregator.add(record);
    const report = evaluateFlows(workspace, aggregator);
    expect(report.flows.length).toBeGreaterThan(50);
    const alone = (flow: (typeof report.flows)[number]) => {
      const one = new FlowAggregator(cluster);
      const record = randomRecords(seed, 400).find((r) => r.line === flow.line)!;
      one.add(record);
      return evaluateFlows(workspace, one).flows[0]!;
    };
    for (const flow of report.flows) {
      const single = alone(flow);
      expect(single.key).toBe(flow.key);
      expect(flow.state).toBe(single.state);
      expect(flow.decision).toEqual(single.decision);
    }
    // The memo is used: addresses of one range share their pair's decision on a port.
    const shared = report.flows.filter(
      (f, i) => report.flows.findIndex((g) => g.decision === f.decision) !== i,
    );
    expect(shared.length).toBeGreaterThan(0);
    for (const flow of shared) {
      const first = report.flows.find((g) => g.decision === flow.decision)!;
      expect([first.srcPeer.id, first.dstPeer.id, first.protocol, first.port]).toEqual([
        flow.srcPeer.id,
        flow.dstPeer.id,
        flow.protocol,
        flow.port,
      ]);
    }
    // Every layer and both outcomes are among the decisions compared.
    const layers = new Set(
      report.flows.flatMap((f) => f.decision.rules.map((r) => `${r.layer}:${r.action}`)),
    );
    expect([...layers].sort()).toEqual(
      expect.arrayContaining(['Admin:deny', 'NetworkPolicy:allow', 'NetworkPolicy:deny', 'default:allow']),
    );
  });
});
