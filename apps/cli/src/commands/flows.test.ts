import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli.ts';
import type { SarifLog } from '../format/sarif.ts';
import { validateSarif } from '../format/sarifValidator.test-helper.ts';
import { captureIO } from '../nodeIO.ts';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const DEMO = join(ROOT, 'public/demo');
const DEMO_FLOWS = join(ROOT, 'public/flows/demo.hubble.jsonl');
const BOUTIQUE = join(ROOT, '../shared/conformance/netpol-analyzer/tests/onlineboutique_workloads');
const BOUTIQUE_PODS = join(ROOT, '../shared/conformance/netpol-analyzer/tests/onlineboutique');
const BOUTIQUE_FLOWS = join(ROOT, 'public/flows/onlineboutique.calico.jsonl');

async function run(args: string[], stdin = '') {
  const io = captureIO(stdin);
  const code = await runCli(args, io);
  return { code, out: io.out, err: io.err, files: io.files };
}

/** Two pods in a default-denied namespace; web may call api on TCP 8080 (lint: nothing above low). */
const LOCKED = `apiVersion: v1
kind: Namespace
metadata: { name: shop }
---
apiVersion: v1
kind: Pod
metadata: { name: web, namespace: shop, labels: { app: web } }
spec: { containers: [{ name: c, image: web }] }
status: { podIP: 10.1.0.4 }
---
apiVersion: v1
kind: Pod
metadata: { name: api, namespace: shop, labels: { app: api } }
spec: { containers: [{ name: c, image: api, ports: [{ containerPort: 8080 }] }] }
status: { podIP: 10.1.0.5 }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny, namespace: shop }
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
  egress:
    - to: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } }, podSelector: { matchLabels: { k8s-app: kube-dns } } }]
      ports: [{ protocol: UDP, port: 53 }, { protocol: TCP, port: 53 }]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: web-to-api, namespace: shop }
spec:
  podSelector: { matchLabels: { app: web } }
  policyTypes: [Egress]
  egress:
    - to: [{ podSelector: { matchLabels: { app: api } } }]
      ports: [{ protocol: TCP, port: 8080 }]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: api-from-web, namespace: shop }
spec:
  podSelector: { matchLabels: { app: api } }
  ingress:
    - from: [{ podSelector: { matchLabels: { app: web } } }]
      ports: [{ protocol: TCP, port: __PORT__ }]
`;

let dir: string;
let locked: string;
let narrowed: string;
let csv: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'netpol-flows-'));
  locked = join(dir, 'locked');
  narrowed = join(dir, 'narrowed');
  mkdirSync(locked);
  mkdirSync(narrowed);
  writeFileSync(join(locked, 'all.yaml'), LOCKED.replace('__PORT__', '8080'));
  // The change under review: the api moves to 9443, so web's calls on 8080 break.
  writeFileSync(join(narrowed, 'all.yaml'), LOCKED.replace('__PORT__', '9443'));
  csv = join(dir, 'flows.csv');
  writeFileSync(
    csv,
    [
      'src,dst,protocol,port,count,last_seen',
      'shop/web,shop/api,TCP,8080,40,2026-12-01T10:00:00Z',
      '10.1.0.4,10.1.0.5,TCP,8080,2,2026-12-01T10:05:00Z',
      'shop/web,shop/api,TCP,22,1,2026-12-01T10:06:00Z',
      'shop/web,shop/api,TCP,not-a-port,1,',
    ].join('\n'),
  );
});

describe('netpol flows', () => {
  it('judges the demo flows: the denied ones with the rule that denies them, the unmatched listed', async () => {
    const { code, out, err } = await run(['flows', '--dirpath', DEMO, '--flows', DEMO_FLOWS]);
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out).toContain('observed but denied:        2 flow(s)');
    expect(out).toContain(
      'frontend/frontend[Deployment] => store/store-api[Deployment] TCP 9090 x3 (line 36): ingress: NetworkPolicy store/store-api selects the pod and no rule admits it',
    );
    expect(out).toMatch(/store\/store-api\[Deployment\] => 52\.94\.76\.10 TCP 443 x3, 3 dropped/);
    expect(out).toContain('destination unknown-workload');
    expect(out).toContain('skipped: 16 reply');
  });

  it('writes JSON with every flow, its state, counts, times and deciding rules', async () => {
    const { code, out } = await run(['flows', '--dirpath', DEMO, '--flows', DEMO_FLOWS, '-o', 'json']);
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.summary).toMatchObject({
      records: 62,
      observedAllowed: 5,
      observedDenied: 2,
      unmatchedRecords: 6,
    });
    const api = report.flows.find(
      (f: { dst: string; port: number }) => f.dst === 'store/store-api[Deployment]' && f.port === 8080,
    );
    expect(api).toMatchObject({
      src: 'frontend/frontend[Deployment]',
      state: 'observed-allowed',
      count: 23,
      protocol: 'TCP',
    });
    expect(api.rules).toContainEqual({
      side: 'ingress',
      layer: 'NetworkPolicy',
      policies: ['store/store-api'],
      rule: 0,
      action: 'allow',
      file: join(DEMO, 'policies.yaml'),
      line: expect.any(Number),
    });
    const external = report.flows.find((f: { dstAddress?: string }) => f.dstAddress === '93.184.216.34');
    expect(external).toMatchObject({ dst: '0.0.0.0-255.255.255.255[External]', state: 'observed-allowed' });
    expect(report.input).toMatchObject({ format: 'hubble', records: 62, skipped: { reply: 16 } });
  });

  it('places Calico flow logs by aggregated names and counts each connection once', async () => {
    for (const manifests of [BOUTIQUE, BOUTIQUE_PODS]) {
      const { out } = await run([
        'flows',
        '--dirpath',
        manifests,
        '--flows',
        BOUTIQUE_FLOWS,
        '-o',
        'json',
        '-q',
      ]);
      const report = JSON.parse(out);
      expect(report.summary).toMatchObject({ observedAllowed: 14, observedDenied: 1, allowedUnobserved: 1 });
      const redis = report.flows.find((f: { state: string }) => f.state === 'observed-denied');
      expect(redis.src).toMatch(/^default\/cartservice/);
      expect(redis.dst).toMatch(/^default\/redis-cart/);
      // Six 5-minute windows, each reported by both ends: the sum of one end's counts.
      expect(redis.count).toBe(redis.forwarded);
      expect(report.unobserved[0].src).toMatch(/^default\/checkoutservice/);
    }
  });

  it('reports bad lines with their line number and judges the rest', async () => {
    const { code, out, err } = await run(['flows', '--dirpath', locked, '--flows', csv]);
    expect(code).toBe(0);
    expect(err).toContain(`${csv}:5: error: port must be a number 1-65535, not "not-a-port" [invalid-field]`);
    expect(out).toContain('observed and allowed:       1 flow(s)');
    expect(out).toContain('shop/web[Pod] => shop/api[Pod] TCP 22 x1');
  });

  it.each([
    ['a character split between two chunks whole', [0xc3, 0xa9], 'shop/w\u00e9b'],
    ['a broken character at the end of a chunk in place', [0xc3], 'shop/w\ufffdb'],
  ])('reads %s', async (_, bytes, name) => {
    // The file is read in 1 MiB chunks: the first byte of the character ends the first chunk.
    const header = 'src,dst,protocol,port,count,last_seen\n';
    const before = 'shop/w';
    const boundary = 1024 * 1024 - before.length - 1;
    const filler = (length: number) => `#${'x'.repeat(length - 2)}\n`;
    const lines = Math.floor((boundary - header.length) / 100) - 1;
    const padding = filler(100).repeat(lines) + filler(boundary - header.length - lines * 100);
    const after = `b,shop/api,TCP,8080,1,\n${filler(100).repeat(11_000)}shop/web,shop/api,TCP,8080,2,\n`;
    const file = join(dir, 'split.csv');
    writeFileSync(
      file,
      Buffer.concat([Buffer.from(header + padding + before), Buffer.from(bytes), Buffer.from(after)]),
    );
    const { code, out } = await run(['flows', '--dirpath', locked, '--flows', file, '-o', 'json', '-q']);
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.input.lines).toBe(lines + 1 + 1 + 1 + 11_000 + 1);
    expect(report.unmatched.listed.map((u: { src: string }) => u.src)).toEqual([name]);
    expect(report.flows).toMatchObject([{ src: 'shop/web[Pod]', dst: 'shop/api[Pod]', count: 2 }]);
  });

  it('reads the flows from stdin with --flows -', async () => {
    const { code, out } = await run(
      ['flows', '--dirpath', locked, '--flows', '-', '-o', 'json'],
      'shop/web,shop/api,TCP,8080,3,\n',
    );
    expect(code).toBe(0);
    expect(JSON.parse(out).flows).toHaveLength(1);
  });

  it('refuses a missing flow file and a missing --flows', async () => {
    expect((await run(['flows', '--dirpath', locked, '--flows', join(dir, 'nope.json')])).code).toBe(1);
    const missing = await run(['flows', '--dirpath', locked]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('flows needs --flows FILE');
  });
});

describe('netpol lint --flows', () => {
  it('fails CI on observed traffic the policies deny, and lists unobserved allowances', async () => {
    const plain = await run(['lint', '--dirpath', locked]);
    expect(plain.code).toBe(0);
    const denied = join(dir, 'denied.csv');
    writeFileSync(denied, 'shop/api,shop/web,TCP,8080,5,2026-12-01T10:00:00Z\n');
    const withFlows = await run(['lint', '--dirpath', locked, '--flows', denied]);
    expect(withFlows.code).toBe(1);
    expect(withFlows.out).toContain('Observed but denied by the policies:');
    expect(withFlows.out).toContain('shop/api[Pod] => shop/web[Pod] TCP 8080 x5');
    expect(withFlows.out).toContain(
      'Allowed but never observed (candidates to remove):\n  shop/web[Pod] => shop/api[Pod] : TCP 8080',
    );
    // Only the allowed flow observed: nothing to fail on.
    expect((await run(['lint', '--dirpath', locked, '--flows', csv, '-q'])).code).toBe(1);
    const allowedOnly = join(dir, 'allowed.csv');
    writeFileSync(allowedOnly, 'shop/web,shop/api,TCP,8080,5,\n');
    expect((await run(['lint', '--dirpath', locked, '--flows', allowedOnly])).code).toBe(0);
  });

  it('adds a valid SARIF run and a JSON member', async () => {
    const sarif = await run(['lint', '--dirpath', DEMO, '--flows', DEMO_FLOWS, '-o', 'sarif']);
    const log = JSON.parse(sarif.out) as SarifLog;
    expect(validateSarif(log)).toEqual([]);
    expect(log.runs).toHaveLength(2);
    const results = log.runs[1]!.results;
    expect(results.map((r) => r.ruleId).sort()).toEqual(['NPA-FLOW-DENIED', 'NPA-FLOW-DROPPED']);
    expect(
      results.find((r) => r.ruleId === 'NPA-FLOW-DENIED')!.locations![0]!.physicalLocation.artifactLocation
        .uri,
    ).toContain('policies.yaml');
    const json = JSON.parse(
      (await run(['lint', '--dirpath', DEMO, '--flows', DEMO_FLOWS, '-o', 'json'])).out,
    );
    expect(json.findings.length).toBeGreaterThan(0);
    expect(json.flows.summary.observedDenied).toBe(2);
    const md = (await run(['lint', '--dirpath', DEMO, '--flows', DEMO_FLOWS, '-o', 'md'])).out;
    expect(md).toContain('## Observed traffic');
    expect(md).toContain('| Observed but denied | 2 (6 connections) |');
    expect((await run(['lint', '--dirpath', DEMO, '--flows', DEMO_FLOWS, '-o', 'html'])).code).toBe(2);
  });
});

describe('netpol diff --flows', () => {
  it('lists the observed flows a change would deny and exits 1', async () => {
    const { code, out } = await run(['diff', '--dir1', locked, '--dir2', narrowed, '--flows', csv, '-q']);
    expect(code).toBe(1);
    expect(out).toContain('This change would deny 1 observed flow(s) (42 connection(s)):');
    expect(out).toContain('shop/web[Pod] => shop/api[Pod] TCP 8080 x42');
    expect(out).toContain('Denied before and after: 1 observed flow(s)');
  });

  it('exits 0 when the change denies no observed flow, in every format', async () => {
    for (const format of ['text', 'json', 'md', 'sarif']) {
      const { code, out } = await run([
        'diff',
        '--dir1',
        locked,
        '--dir2',
        locked,
        '--flows',
        csv,
        '-o',
        format,
        '-q',
      ]);
      expect(code, format).toBe(0);
      if (format === 'json') expect(JSON.parse(out).summary.newlyDenied).toBe(0);
      if (format === 'sarif') expect(validateSarif(JSON.parse(out))).toEqual([]);
      if (format === 'md') expect(out).toContain('**This change denies no observed flow.**');
    }
  });

  it('writes the newly denied flows as SARIF results and JSON', async () => {
    const sarif = JSON.parse(
      (await run(['diff', '--dir1', locked, '--dir2', narrowed, '--flows', csv, '-o', 'sarif', '-q'])).out,
    );
    expect(validateSarif(sarif)).toEqual([]);
    expect(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual(['NPA-FLOW-NEWLY-DENIED']);
    const json = JSON.parse(
      (await run(['diff', '--dir1', locked, '--dir2', narrowed, '--flows', csv, '-o', 'json', '-q'])).out,
    );
    expect(json.summary).toMatchObject({ newlyDenied: 1, newlyDeniedConnections: 42, stillDenied: 1 });
    expect(json.newlyDenied[0].rules).toContainEqual(
      expect.objectContaining({ side: 'ingress', action: 'deny' }),
    );
  });

  it("names the observed onlineboutique flows the corpus' changed policies would deny", async () => {
    const changed = join(
      ROOT,
      '../shared/conformance/netpol-analyzer/tests/onlineboutique_workloads_changed_netpols',
    );
    const { code, out } = await run([
      'diff',
      '--dir1',
      BOUTIQUE,
      '--dir2',
      changed,
      '--flows',
      BOUTIQUE_FLOWS,
      '-o',
      'json',
      '-q',
    ]);
    expect(code).toBe(1);
    const report = JSON.parse(out);
    expect(
      report.newlyDenied.map(
        (f: { src: string; dst: string; port: number }) => `${f.src} ${f.dst} ${f.port}`,
      ),
    ).toEqual([
      'default/checkoutservice[Deployment] default/cartservice[Deployment] 7070',
      'default/checkoutservice[Deployment] default/currencyservice[Deployment] 7000',
      'default/frontend[Deployment] default/adservice[Deployment] 9555',
    ]);
    expect(report.stillDenied).toHaveLength(1);
  });

  it('keeps the connectivity diff formats without --flows', async () => {
    expect((await run(['diff', '--dir1', locked, '--dir2', narrowed, '-o', 'json'])).code).toBe(2);
  });
});
