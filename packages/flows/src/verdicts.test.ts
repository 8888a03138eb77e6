import { describe, expect, it } from 'vitest';
import { FlowAggregator } from './aggregate.ts';
import { flowImpact } from './impact.ts';
import { hubbleLine, readFlows, SHOP, shopWorkspace } from './testing/fixtures.ts';
import { evaluateFlows } from './verdicts.ts';

const frontend = (pod: string) => ({
  namespace: 'web',
  pod,
  labels: ['k8s:app=frontend', 'k8s:tier=ui'],
  ip: '10.0.0.7',
});
const LINES = [
  hubbleLine({
    src: frontend('frontend-5d8f7-aaaaa'),
    dst: { namespace: 'shop', pod: 'api-0', ip: '10.1.0.5' },
    port: 8080,
    time: '2026-12-01T10:00:00Z',
  }),
  hubbleLine({
    src: frontend('frontend-5d8f7-bbbbb'),
    dst: { namespace: 'shop', pod: 'api-0', ip: '10.1.0.5' },
    port: 8080,
    time: '2026-12-01T10:03:00Z',
  }),
  hubbleLine({
    src: frontend('frontend-5d8f7-aaaaa'),
    dst: { namespace: 'shop', pod: 'api-0' },
    port: 9090,
    verdict: 'DROPPED',
  }),
  hubbleLine({ src: frontend('frontend-5d8f7-aaaaa'), dst: { namespace: 'shop', pod: 'db-0' }, port: 5432 }),
  // The source only by its pod IP, the destination only by labels.
  hubbleLine({ src: { ip: '10.1.0.5' }, dst: { namespace: 'shop', labels: ['k8s:app=db'] }, port: 5432 }),
  hubbleLine({
    src: { namespace: 'shop', pod: 'api-0' },
    dst: { labels: ['reserved:world'], ip: '8.8.8.8' },
    port: 53,
    protocol: 'UDP',
  }),
  hubbleLine({
    src: { namespace: 'kube-system', pod: 'coredns-abc' },
    dst: { namespace: 'shop', pod: 'api-0' },
    port: 8080,
  }),
  hubbleLine({ src: { ip: '1.1.1.1' }, dst: { ip: '8.8.4.4' }, port: 443 }),
];

function report(text = SHOP) {
  const workspace = shopWorkspace(text);
  const aggregator = new FlowAggregator(workspace.cluster().cluster);
  for (const record of readFlows(LINES.join('\n')).records) aggregator.add(record);
  return evaluateFlows(workspace, aggregator);
}

describe('aggregation', () => {
  it('sums records per workload pair, protocol and port, with first and last seen', () => {
    const flows = report().flows;
    expect(flows.map((f) => f.key)).toEqual([
      'shop/api-0[Pod] -> 8.8.8.8 UDP/53',
      'shop/api-0[Pod] -> shop/db[StatefulSet] TCP/5432',
      'web/frontend[Deployment] -> shop/api-0[Pod] TCP/8080',
      'web/frontend[Deployment] -> shop/api-0[Pod] TCP/9090',
      'web/frontend[Deployment] -> shop/db[StatefulSet] TCP/5432',
    ]);
    const api = flows[2]!;
    expect(api).toMatchObject({ count: 2, forwarded: 2, dropped: 0, line: 1 });
    expect([api.firstSeen, api.lastSeen]).toEqual([
      Date.parse('2026-12-01T10:00:00Z'),
      Date.parse('2026-12-01T10:03:00Z'),
    ]);
    expect(flows[3]).toMatchObject({ count: 1, dropped: 1 });
  });

  it('counts and lists the records it cannot place, never dropping them', () => {
    const { unmatched, totals } = report();
    expect(totals).toMatchObject({ records: 8, connections: 8 });
    expect(unmatched).toMatchObject({ records: 2, connections: 2, groupCount: 2 });
    expect(unmatched.groups.map((g) => [g.side, g.reason, g.src, g.dst, g.line])).toEqual([
      ['source', 'unknown-workload', 'kube-system/coredns-abc 10.9.9.9', 'shop/api-0[Pod]', 7],
      ['both', 'no-workload', '1.1.1.1', '8.8.4.4', 8],
    ]);
  });
});

describe('Calico reports from both ends', () => {
  it("counts a connection once, but keeps a destination's drop", () => {
    const line = (reporter: string, action: string) =>
      JSON.stringify({
        source_type: 'wep',
        source_namespace: 'web',
        source_name_aggr: 'frontend-5d8f7-*',
        dest_type: 'wep',
        dest_namespace: 'shop',
        dest_name_aggr: 'api-*',
        dest_port: 8080,
        proto: 'tcp',
        action,
        reporter,
        num_flows_started: 5,
      });
    const aggregator = new FlowAggregator(shopWorkspace().cluster().cluster);
    for (const record of readFlows([line('src', 'allow'), line('dst', 'deny')].join('\n')).records)
      aggregator.add(record);
    expect(aggregator.flows()).toMatchObject([{ count: 5, forwarded: 5, dropped: 5 }]);
    expect(aggregator.connections).toBe(5);
  });
});

describe('verdicts', () => {
  it('judges each flow with the deciding rule, tiers included', () => {
    const byKey = new Map(report().flows.map((f) => [f.key, f]));
    const allowed = byKey.get('web/frontend[Deployment] -> shop/api-0[Pod] TCP/8080')!;
    expect(allowed.state).toBe('observed-allowed');
    expect(allowed.decision.rules).toMatchObject([
      { side: 'egress', layer: 'default', policies: [], rule: undefined, action: 'allow' },
      {
        side: 'ingress',
        layer: 'NetworkPolicy',
        policies: ['shop/api-ingress'],
        rule: 0,
        action: 'allow',
        file: 'shop.yaml',
      },
    ]);
    // The location of the rule that allowed it, for annotations.
    expect(allowed.decision.rules[1]!.range?.start.line).toBeGreaterThan(1);
    const wrongPort = byKey.get('web/frontend[Deployment] -> shop/api-0[Pod] TCP/9090')!;
    expect(wrongPort.state).toBe('observed-denied');
    expect(wrongPort.decision.deniedBy).toEqual(['ingress']);
    expect(wrongPort.decision.rules.find((r) => r.side === 'ingress')).toMatchObject({
      layer: 'NetworkPolicy',
      policies: ['shop/api-ingress'],
      rule: undefined,
      action: 'deny',
      // The isolating policy, for an annotation.
      file: 'shop.yaml',
    });
    const admin = byKey.get('web/frontend[Deployment] -> shop/db[StatefulSet] TCP/5432')!;
    expect(admin.state).toBe('observed-denied');
    expect(admin.decision.rules.find((r) => r.side === 'ingress')).toMatchObject({
      layer: 'Admin',
      policies: ['AdminNetworkPolicy/no-web-to-db'],
      rule: 0,
      action: 'deny',
      file: 'shop.yaml',
    });
    expect(byKey.get('shop/api-0[Pod] -> shop/db[StatefulSet] TCP/5432')!.state).toBe('observed-allowed');
    const dns = byKey.get('shop/api-0[Pod] -> 8.8.8.8 UDP/53')!;
    expect(dns.state).toBe('observed-allowed');
    expect(dns.dstPeer.id).toBe('0.0.0.0-255.255.255.255[External]');
  });

  it('agrees with the analysis on every flow', () => {
    const workspace = shopWorkspace();
    const { analysis } = workspace.connections();
    for (const flow of report().flows) {
      const explained = workspace.explain(flow.srcPeer, flow.dstPeer, {
        protocol: flow.protocol,
        port: flow.port,
      })!;
      expect(flow.state === 'observed-allowed', flow.key).toBe(explained.explanation.verdict === 'allowed');
    }
    expect(analysis.workloads.length).toBe(4);
  });

  it('lists connections a rule allows that no flow used, not those allowed by default', () => {
    const { unobserved, totals } = report();
    expect(unobserved.map((u) => `${u.src.id} -> ${u.dst.id} : ${u.conn}`)).toEqual([
      'web/admin[Deployment] -> shop/api-0[Pod] : TCP 8080',
    ]);
    expect(totals).toMatchObject({
      observedAllowed: 3,
      observedDenied: 2,
      deniedConnections: 2,
      allowedUnobserved: 1,
    });
  });
});

describe('flowImpact', () => {
  it('finds the observed flows a change newly denies, and those it newly allows', () => {
    const before = report();
    // The change: the api accepts 9090 too, and the db no longer accepts the api.
    const after = report(
      SHOP.replace(
        'ports: [{ protocol: TCP, port: 8080 }]',
        'ports: [{ protocol: TCP, port: 8080 }, { protocol: TCP, port: 9090 }]',
      ).replace(
        'from: [{ podSelector: { matchLabels: { app: api } } }]',
        'from: [{ podSelector: { matchLabels: { app: nobody } } }]',
      ),
    );
    const impact = flowImpact(before, after);
    expect(impact.newlyDenied.map((f) => f.key)).toEqual([
      'shop/api-0[Pod] -> shop/db[StatefulSet] TCP/5432',
    ]);
    expect(impact.newlyAllowed.map((f) => f.key)).toEqual([
      'web/frontend[Deployment] -> shop/api-0[Pod] TCP/9090',
    ]);
    expect(impact.stillDenied.map((f) => f.key)).toEqual([
      'web/frontend[Deployment] -> shop/db[StatefulSet] TCP/5432',
    ]);
    expect(impact.newlyDeniedConnections).toBe(1);
  });
});
