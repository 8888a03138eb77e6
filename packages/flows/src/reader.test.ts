import { describe, expect, it } from 'vitest';
import { FlowReader } from './reader.ts';
import { hubbleLine, readFlows } from './testing/fixtures.ts';
import type { FlowRecord } from './types.ts';

const frontendToApi = hubbleLine({
  src: {
    namespace: 'web',
    pod: 'frontend-5d8f7-abcde',
    labels: [
      'k8s:app=frontend',
      'k8s:io.kubernetes.pod.namespace=web',
      'k8s:io.cilium.k8s.policy.cluster=default',
    ],
    ip: '10.0.0.7',
  },
  dst: { namespace: 'shop', pod: 'api-0', labels: ['k8s:app=api'], ip: '10.1.0.5' },
  port: 8080,
});
/** Another connection between the same pods (another client port). */
const frontendToApiAgain = frontendToApi.replace('"source_port":40000', '"source_port":40001');

describe('Hubble', () => {
  it('reads a GetFlowsResponse line: ends, labels without Cilium keys, port, verdict, time', () => {
    const { records, reader } = readFlows(`${frontendToApi}\n`);
    expect(reader.diagnostics).toEqual([]);
    expect(records).toEqual([
      {
        line: 1,
        format: 'hubble',
        src: {
          namespace: 'web',
          name: 'frontend-5d8f7-abcde',
          labels: { app: 'frontend' },
          ip: '10.0.0.7',
          entity: 'pod',
        },
        dst: { namespace: 'shop', name: 'api-0', labels: { app: 'api' }, ip: '10.1.0.5', entity: 'pod' },
        protocol: 'TCP',
        port: 8080,
        verdict: 'forwarded',
        count: 1,
        firstSeen: Date.parse('2026-12-01T10:00:00Z'),
        lastSeen: Date.parse('2026-12-01T10:00:00Z'),
      },
    ]);
  });

  it('reads a bare Flow object, UDP and SCTP, DROPPED, and reserved:world as outside the cluster', () => {
    const bare = JSON.parse(
      hubbleLine({
        src: { namespace: 'a', pod: 'p' },
        dst: { labels: ['reserved:world'], ip: '8.8.8.8' },
        port: 53,
        protocol: 'UDP',
        verdict: 'DROPPED',
      }),
    ).flow;
    const sctp = hubbleLine({
      src: { namespace: 'a', pod: 'p' },
      dst: { namespace: 'b', pod: 'q' },
      port: 9000,
      protocol: 'SCTP',
    });
    const { records } = readFlows(`${JSON.stringify(bare)}\n${sctp}`);
    expect(records.map((r) => [r.protocol, r.port, r.verdict, r.dst.entity])).toEqual([
      ['UDP', 53, 'dropped', 'world'],
      ['SCTP', 9000, 'forwarded', 'pod'],
    ]);
  });

  it('counts replies, ICMP, L7 and event lines as skipped, never as flows or errors', () => {
    const reply = hubbleLine({
      src: { namespace: 'a', pod: 'p' },
      dst: { namespace: 'b', pod: 'q' },
      port: 40000,
      reply: true,
    });
    const icmp = hubbleLine({
      src: { namespace: 'a', pod: 'p' },
      dst: { namespace: 'b', pod: 'q' },
      port: 0,
      protocol: 'ICMPv4',
    });
    const l7 = JSON.stringify({ flow: { ...JSON.parse(frontendToApi).flow, Type: 'L7' } });
    const lost = JSON.stringify({ lost_events: { source: 'HUBBLE_RING_BUFFER', num_events_lost: 3 } });
    const { records, reader } = readFlows([reply, icmp, l7, lost, frontendToApi].join('\n'));
    expect(records).toHaveLength(1);
    expect(reader.skipped).toEqual({ reply: 1, l7: 1, protocol: 1, event: 1, repeat: 0 });
    expect(reader.diagnostics).toEqual([]);
  });
});

describe('Calico', () => {
  it('reads a flow-log file line (source_name_aggr, labels object, unix seconds, num_flows_started)', () => {
    const line = JSON.stringify({
      start_time: 1764583200,
      end_time: 1764583500,
      source_type: 'wep',
      source_namespace: 'web',
      source_name: '-',
      source_name_aggr: 'frontend-5d8f7-*',
      source_ip: null,
      source_labels: { labels: ['app=frontend'] },
      dest_type: 'wep',
      dest_namespace: 'shop',
      dest_name_aggr: 'api-*',
      dest_port: 8080,
      proto: 'tcp',
      action: 'deny',
      reporter: 'dst',
      num_flows: 4,
      num_flows_started: 3,
    });
    const { records, reader } = readFlows(line);
    expect(reader.diagnostics).toEqual([]);
    expect(records[0]).toMatchObject({
      format: 'calico',
      src: { namespace: 'web', name: 'frontend-5d8f7-*', labels: { app: 'frontend' }, entity: 'pod' },
      dst: { namespace: 'shop', name: 'api-*', entity: 'pod' },
      protocol: 'TCP',
      port: 8080,
      verdict: 'dropped',
      count: 3,
      firstSeen: 1764583200000,
      lastSeen: 1764583500000,
    });
  });

  it('reads a flow-logs API result (Key nested, protocol number, network as world)', () => {
    const line = JSON.stringify({
      id: 7,
      flow: {
        Key: {
          source_name: 'api-*',
          source_namespace: 'shop',
          source_type: 'WorkloadEndpoint',
          dest_name: 'pub',
          dest_namespace: '',
          dest_type: 'Network',
          dest_port: 443,
          proto: '6',
          action: 'Allow',
          reporter: 'Src',
        },
        start_time: '2026-12-01T10:00:00Z',
        end_time: '2026-12-01T10:00:15Z',
        source_labels: ['app=api'],
        num_connections_started: 2,
      },
    });
    const { records } = readFlows(line);
    expect(records[0]).toMatchObject({
      src: { namespace: 'shop', name: 'api-*', labels: { app: 'api' }, entity: 'pod' },
      dst: { entity: 'world' },
      protocol: 'TCP',
      port: 443,
      verdict: 'forwarded',
      count: 2,
    });
    expect(records[0]!.dst.name).toBeUndefined();
  });
});

describe('CSV', () => {
  it('reads rows with or without a header, in the header order', () => {
    const plain = readFlows(
      'web/frontend,shop/api-0,TCP,8080,12,2026-12-01T10:00:00Z\n10.0.0.1,shop/db[StatefulSet],tcp,5432,,\n',
    );
    expect(plain.reader.diagnostics).toEqual([]);
    expect(plain.records.map((r) => [r.src, r.dst, r.port, r.count, r.lastSeen])).toEqual([
      [
        { namespace: 'web', name: 'frontend' },
        { namespace: 'shop', name: 'api-0' },
        8080,
        12,
        Date.parse('2026-12-01T10:00:00Z'),
      ],
      [
        { ip: '10.0.0.1' },
        { workloadId: 'shop/db[StatefulSet]', namespace: 'shop', name: 'db' },
        5432,
        1,
        undefined,
      ],
    ]);
    const reordered = readFlows(
      'port,dst,src,protocol,count,last_seen,verdict\n53,10.0.0.10,web/frontend,UDP,2,1764583200,dropped\n',
    );
    expect(reordered.records[0]).toMatchObject({
      src: { namespace: 'web', name: 'frontend' },
      dst: { ip: '10.0.0.10' },
      protocol: 'UDP',
      port: 53,
      count: 2,
      verdict: 'dropped',
    });
  });

  it('warns about unknown columns and reports bad rows with their line, reading the rest', () => {
    const { records, reader } = readFlows(
      'src,dst,protocol,port,count,last_seen,bytes\na/b,c/d,TCP,80,1,,10\na/b,c/d,TCP,99999,1,,10\na/b,c/d,TCP,80\nnot a flow\na/b,c/d,TCP,81,1,,10\n',
    );
    expect(records.map((r) => [r.line, r.port])).toEqual([
      [2, 80],
      [6, 81],
    ]);
    expect(reader.diagnostics.map((d) => [d.line, d.code, d.field])).toEqual([
      [1, 'unknown-column', 'bytes'],
      [3, 'invalid-field', 'port'],
      [4, 'column-count', undefined],
      [5, 'unknown-format', undefined],
    ]);
  });
});

describe('bad input', () => {
  it('reports truncated JSON, unknown JSON, missing fields and mixed formats by line, and reads on', () => {
    const noL4 = JSON.stringify({
      flow: { verdict: 'FORWARDED', source: { namespace: 'a' }, destination: { namespace: 'b' } },
    });
    const lines = [
      frontendToApi,
      frontendToApi.slice(0, 60),
      '{"hello":"world"}',
      noL4,
      'a/b,c/d,TCP,80,1,',
      frontendToApiAgain,
    ];
    const { records, reader } = readFlows(lines.join('\n'));
    expect(records.map((r) => r.line)).toEqual([1, 5, 6]);
    expect(reader.diagnostics.map((d) => [d.line, d.code, d.severity])).toEqual([
      [2, 'invalid-json', 'error'],
      [3, 'unknown-format', 'error'],
      [4, 'missing-field', 'error'],
      [5, 'mixed-formats', 'warning'],
    ]);
    expect(reader.diagnostics[0]!.message).toContain('cut short');
    expect(reader.format).toBe('hubble');
  });

  it('warns about clock skew (a time well before the latest, an end before its start) and keeps the record', () => {
    const at = (time: string) =>
      hubbleLine({ src: { namespace: 'a', pod: 'p' }, dst: { namespace: 'b', pod: 'q' }, port: 80, time });
    const ends = 'a/b,c/d,TCP,80,1,2026-12-01T09:00:00Z'.replace('TCP', 'TCP');
    const { records, reader } = readFlows(
      [at('2026-12-01T10:00:00Z'), at('2026-12-01T10:02:00Z'), at('2026-12-01T09:00:00Z')].join('\n'),
    );
    expect(records).toHaveLength(3);
    expect(reader.diagnostics.map((d) => [d.line, d.code])).toEqual([[3, 'clock-skew']]);
    expect(reader.window).toEqual({
      first: Date.parse('2026-12-01T09:00:00Z'),
      last: Date.parse('2026-12-01T10:02:00Z'),
    });
    const backwards = readFlows(
      `src,dst,protocol,port,count,first_seen,last_seen\n${ends.replace(',2026', ',2026-12-01T10:00:00Z,2026')}`,
    );
    expect(backwards.reader.diagnostics.map((d) => d.code)).toEqual(['clock-skew']);
  });

  it('reads records with fields it does not know (newer Hubble, Calico extras) without a diagnostic', () => {
    const hubble = JSON.parse(frontendToApi);
    hubble.flow.future_field = { nested: [1, 'two'] };
    hubble.flow.source.workloads = [{ name: 'frontend', kind: 'Deployment' }];
    hubble.relay_hint = 'x';
    const calico = JSON.stringify({
      source_type: 'wep',
      source_namespace: 'web',
      source_name_aggr: 'frontend-5d8f7-*',
      dest_type: 'wep',
      dest_namespace: 'shop',
      dest_name_aggr: 'api-*',
      dest_port: 8080,
      proto: 'tcp',
      action: 'allow',
      bytes_in: 120,
      process_name: 'nginx',
    });
    const hubbleOnly = readFlows(JSON.stringify(hubble));
    expect(hubbleOnly.reader.diagnostics).toEqual([]);
    expect(hubbleOnly.records[0]).toMatchObject({ port: 8080, src: { labels: { app: 'frontend' } } });
    const calicoOnly = readFlows(calico);
    expect(calicoOnly.reader.diagnostics).toEqual([]);
    expect(calicoOnly.records).toHaveLength(1);
  });

  it('reports a last line cut short at the end of the input (no newline) by its number', () => {
    const { records, reader } = readFlows(`${frontendToApi}\n${frontendToApiAgain.slice(0, 100)}`);
    expect(records.map((r) => r.line)).toEqual([1]);
    expect(reader.diagnostics.map((d) => [d.line, d.code])).toEqual([[2, 'invalid-json']]);
    expect(reader.diagnostics[0]!.message).toContain('cut short');
  });

  it('keeps at most maxDiagnostics but counts them all', () => {
    const { reader } = readFlows('x\ny\nz\n', { maxDiagnostics: 2 });
    expect(reader.diagnostics).toHaveLength(2);
    expect(reader.diagnosticCount).toBe(3);
  });
});

describe('chunks', () => {
  it('reads the same records whatever the chunk boundaries, lines split mid-way included', () => {
    const text = [frontendToApi, 'web/frontend,shop/api-0,TCP,8080,2,', frontendToApi].join('\n');
    const whole = readFlows(text).records;
    for (const size of [1, 7, 64, 333]) {
      const records: FlowRecord[] = [];
      const reader = new FlowReader((r) => records.push(r));
      for (let i = 0; i < text.length; i += size) reader.push(text.slice(i, i + size));
      reader.end();
      expect(records).toEqual(whole);
      expect(reader.lines).toBe(3);
      expect(reader.characters).toBe(text.length);
    }
  });

  it('reads a JSON array written one element a line, and CRLF line ends', () => {
    const text = `[\r\n${frontendToApi},\r\n${frontendToApiAgain}\r\n]\r\n`;
    const { records, reader } = readFlows(text);
    expect(records).toHaveLength(2);
    expect(reader.diagnostics).toEqual([]);
  });
});
