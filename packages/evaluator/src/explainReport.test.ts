import { parseManifests } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import { analyze, externalPeer } from './analyze.ts';
import { buildCluster } from './cluster.ts';
import { ALL_CONNECTIONS, type ConnectionSet, PROTOCOLS, unionConnections } from './connectionSet.ts';
import { explainAllPairs, explainPair, type PairExplanation } from './explainReport.ts';
import { intersectIntervals } from './intervals.ts';
import type { Cluster, WorkloadPeer } from './model.ts';

function deployment(name: string, app: string, ports = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ns}
spec:
  selector: {matchLabels: {app: ${app}}}
  template:
    metadata: {labels: {app: ${app}}}
    spec:
      containers:
      - name: c
        image: x
${ports}`;
}

function policy(name: string, spec: string): string {
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${name}, namespace: ns}
spec:
${spec}`;
}

function cluster(...docs: string[]): Cluster {
  const parsed = parseManifests([{ path: 'test.yaml', text: docs.join('\n---\n') }]);
  return buildCluster(parsed.objects, { compat: 'netpol-analyzer' });
}

function workload(c: Cluster, name: string): WorkloadPeer {
  const found = c.workloads.find((w) => w.name === name);
  if (!found) throw new Error(`no workload ${name}`);
  return found;
}

/** The segment holding `protocol`/`port`. */
function segmentAt(pair: PairExplanation, protocol: 'TCP' | 'UDP' | 'SCTP', port: number) {
  const found = pair.segments.filter((s) => intersectIntervals(s.conn[protocol], [port, port]).length > 0);
  expect(found).toHaveLength(1);
  return found[0]!;
}

function expectPartition(pair: PairExplanation): void {
  let seen: ConnectionSet = { TCP: [], UDP: [], SCTP: [] };
  for (const s of pair.segments) {
    for (const p of PROTOCOLS) expect(intersectIntervals(seen[p], s.conn[p])).toEqual([]);
    seen = unionConnections(seen, s.conn);
  }
  expect(seen).toEqual(ALL_CONNECTIONS);
}

const client = deployment('client', 'client');
const server = deployment(
  'server',
  'server',
  `        ports:
        - {name: http, containerPort: 8080}`,
);

describe('explainPair', () => {
  it('leaves pairs no policy selects to the system default', () => {
    const c = cluster(client, server);
    const pair = explainPair(c, workload(c, 'client'), workload(c, 'server'));
    expect(pair.systemDefaultOnly).toBe(true);
    expect(pair.segments).toHaveLength(1);
    expect(pair.segments[0]).toMatchObject({
      allowed: true,
      conn: ALL_CONNECTIONS,
      egress: { systemDefault: true, allowed: true, reasons: [] },
      ingress: { systemDefault: true, allowed: true, reasons: [] },
    });
  });

  it('names the first admitting rule of a policy, and every admitting policy', () => {
    const c = cluster(
      client,
      server,
      policy(
        'p1',
        `  podSelector: {matchLabels: {app: server}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: client}}}]
    ports: [{port: 80}]
  - from: [{podSelector: {matchLabels: {app: client}}}]
    ports: [{port: 80, endPort: 90}]`,
      ),
      policy(
        'p2',
        `  podSelector: {matchLabels: {app: server}}
  ingress:
  - from: [{podSelector: {}}]
    ports: [{port: http}, {port: 80}]`,
      ),
    );
    const pair = explainPair(c, workload(c, 'client'), workload(c, 'server'));
    expectPartition(pair);
    expect(pair.systemDefaultOnly).toBe(false);
    expect(segmentAt(pair, 'TCP', 80).ingress.reasons).toEqual([
      { kind: 'allowed-by-rule', policy: 'ns/p1', direction: 'Ingress', rule: 0 },
      { kind: 'allowed-by-rule', policy: 'ns/p2', direction: 'Ingress', rule: 0 },
    ]);
    const upper = segmentAt(pair, 'TCP', 85);
    expect(upper.conn).toEqual({ TCP: [81, 90], UDP: [], SCTP: [] });
    expect(upper.ingress.reasons).toEqual([
      { kind: 'allowed-by-rule', policy: 'ns/p1', direction: 'Ingress', rule: 1 },
    ]);
    // The named port resolves on the destination's container.
    expect(segmentAt(pair, 'TCP', 8080).ingress.reasons).toEqual([
      { kind: 'allowed-by-rule', policy: 'ns/p2', direction: 'Ingress', rule: 0 },
    ]);
    const denied = segmentAt(pair, 'UDP', 53);
    expect(denied.allowed).toBe(false);
    expect(denied.conn).toEqual({ TCP: [1, 79, 91, 8079, 8081, 65535], UDP: [1, 65535], SCTP: [1, 65535] });
    expect(denied.egress).toEqual({ direction: 'Egress', allowed: true, systemDefault: true, reasons: [] });
    // Only the first rule selecting the peer is named for a policy's denial.
    expect(denied.ingress.reasons).toEqual([
      { kind: 'ports-mismatch', policy: 'ns/p1', direction: 'Ingress', rule: 0, namedPortsUnmatched: false },
      { kind: 'ports-mismatch', policy: 'ns/p2', direction: 'Ingress', rule: 0, namedPortsUnmatched: false },
    ]);
  });

  it('tells policies without rules from rules that do not select the peer', () => {
    const c = cluster(
      client,
      server,
      policy(
        'deny-egress',
        `  podSelector: {}
  policyTypes: [Egress]`,
      ),
      policy(
        'other-only',
        `  podSelector: {matchLabels: {app: client}}
  policyTypes: [Egress]
  egress:
  - to: [{podSelector: {matchLabels: {app: other}}}]`,
      ),
    );
    const pair = explainPair(c, workload(c, 'client'), workload(c, 'server'));
    expect(pair.segments).toHaveLength(1);
    expect(pair.segments[0]!.egress).toEqual({
      direction: 'Egress',
      allowed: false,
      systemDefault: false,
      reasons: [
        { kind: 'not-selected', policy: 'ns/deny-egress', direction: 'Egress', noRules: true },
        { kind: 'not-selected', policy: 'ns/other-only', direction: 'Egress', noRules: false },
      ],
    });
    expect(pair.segments[0]!.ingress.systemDefault).toBe(true);
  });

  it('flags a rule whose named ports match nothing on the destination', () => {
    const c = cluster(
      client,
      server,
      policy(
        'named',
        `  podSelector: {matchLabels: {app: server}}
  ingress:
  - ports: [{port: http, protocol: UDP}]`,
      ),
    );
    const pair = explainPair(c, workload(c, 'client'), workload(c, 'server'));
    expect(pair.segments).toHaveLength(1);
    expect(pair.segments[0]!.ingress.reasons).toEqual([
      {
        kind: 'ports-mismatch',
        policy: 'ns/named',
        direction: 'Ingress',
        rule: 0,
        namedPortsUnmatched: true,
      },
    ]);
  });

  it('matches an address range only when an ipBlock contains all of it', () => {
    const c = cluster(
      client,
      server,
      policy(
        'from-ten',
        `  podSelector: {matchLabels: {app: server}}
  ingress:
  - from: [{ipBlock: {cidr: 10.0.0.0/8}}]`,
      ),
    );
    const inside = explainPair(c, externalPeer(0x0a000000, 0x0affffff), workload(c, 'server'));
    expect(inside.segments).toHaveLength(1);
    expect(inside.segments[0]).toMatchObject({
      allowed: true,
      egress: { systemDefault: true },
      ingress: { reasons: [{ kind: 'allowed-by-rule', policy: 'ns/from-ten', rule: 0 }] },
    });
    const wider = explainPair(c, externalPeer(0, 0xffffffff), workload(c, 'server'));
    expect(wider.segments[0]!.ingress.reasons).toEqual([
      { kind: 'not-selected', policy: 'ns/from-ten', direction: 'Ingress', noRules: false },
    ]);
  });
});

describe('explainAllPairs', () => {
  it('pairs workloads with each other and with the address ranges of their side', () => {
    const c = cluster(
      client,
      server,
      policy(
        'from-ten',
        `  podSelector: {matchLabels: {app: server}}
  ingress:
  - from: [{ipBlock: {cidr: 10.0.0.0/8}}]`,
      ),
    );
    const analysis = analyze(c);
    const pairs = explainAllPairs(analysis);
    expect(analysis.ingressExternals).toHaveLength(3);
    expect(analysis.egressExternals).toHaveLength(1);
    expect(pairs).toHaveLength(2 + 2 * 1 + 3 * 2);
    expect(pairs.filter((p) => p.src.type === 'external' && p.dst.type === 'external')).toEqual([]);
    expect(pairs.filter((p) => p.src.id === p.dst.id)).toEqual([]);
    for (const pair of pairs) expectPartition(pair);
  });
});
