import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseManifests } from '@netpol-atlas/manifests';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli.ts';
import { captureIO } from '../nodeIO.ts';

const APPS = `apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop, labels: {app: api}}
spec: {containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: front, labels: {app: web}}
spec: {containers: [{name: c}]}
`;

const NETPOL = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  podSelector: {}
  ingress:
  - from: [{namespaceSelector: {}}]
`;

const ANP = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: shop-guard}
spec:
  priority: 5
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: shop}}}
  ingress:
  - name: web
    action: Allow
    from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: front}}}]
    ports: [{namedPort: http}]
  - name: rest
    action: Deny
    from: [{namespaces: {}}]
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject: {namespaces: {}}
  egress:
  - action: Deny
    to: [{networks: [0.0.0.0/0]}]
    ports: [{portRange: {start: 1, end: 1024}}]
`;

interface Converted {
  kind: string;
  metadata: { name: string };
  spec: { tier: string; priority: number; ingress?: unknown[]; egress?: { protocols: unknown }[] };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'netpol-migrate-'));
  mkdirSync(join(dir, 'set', 'cluster'), { recursive: true });
  writeFileSync(join(dir, 'set', 'apps.yaml'), APPS);
  writeFileSync(join(dir, 'set', 'netpol.yaml'), NETPOL);
  writeFileSync(join(dir, 'set', 'cluster', 'anp.yaml'), ANP);
  mkdirSync(join(dir, 'full'));
  writeFileSync(join(dir, 'full', 'keep.txt'), 'something');
  mkdirSync(join(dir, 'legacy'));
  writeFileSync(join(dir, 'legacy', 'apps.yaml'), APPS);
  writeFileSync(
    join(dir, 'legacy', 'anp.yaml'),
    ANP.replace('from: [{namespaces: {}}]', 'from: [{namespaces: {sameLabels: [tenant]}}]'),
  );
  mkdirSync(join(dir, 'big'));
  writeFileSync(join(dir, 'big', 'apps.yaml'), APPS);
  const rules = Array.from(
    { length: 26 },
    (_, i) => `  - {action: Deny, from: [{namespaces: {matchLabels: {t: "${i}"}}}]}\n`,
  );
  writeFileSync(
    join(dir, 'big', 'anp.yaml'),
    `${ANP.split('---')[0]!.replace('  - name: rest', `${rules.join('')}  - name: rest`)}`,
  );
});

async function run(args: string[]) {
  const io = captureIO();
  const code = await runCli(args, io);
  return { code, out: io.out, err: io.err, files: io.files, dirs: io.dirs };
}

describe('netpol migrate', () => {
  it('writes the converted set to OUTDIR, other files copied as they are, and proves it equivalent', async () => {
    const out = join(dir, 'out');
    const {
      code,
      out: stdout,
      files,
      dirs,
    } = await run(['migrate', '--dirpath', join(dir, 'set'), '-o', out]);
    expect(code).toBe(0);
    expect([...files.keys()].sort()).toEqual(
      [join(out, 'apps.yaml'), join(out, 'cluster', 'anp.yaml'), join(out, 'netpol.yaml')].sort(),
    );
    expect(dirs).toContain(join(out, 'cluster'));
    expect(files.get(join(out, 'apps.yaml'))).toBe(APPS);
    expect(files.get(join(out, 'netpol.yaml'))).toBe(NETPOL);
    const converted = parseManifests([
      { path: 'anp.yaml', text: files.get(join(out, 'cluster', 'anp.yaml'))! },
    ]).objects.map((o) => o.raw as unknown as Converted);
    expect(converted.map((d) => [d.kind, d.metadata.name, d.spec.tier, d.spec.priority])).toEqual([
      ['ClusterNetworkPolicy', 'shop-guard', 'Admin', 5],
      ['ClusterNetworkPolicy', 'default', 'Baseline', 0],
    ]);
    expect(converted[0]!.spec.ingress![0]).toMatchObject({
      action: 'Accept',
      protocols: [{ destinationNamedPort: 'http' }],
    });
    expect(converted[1]!.spec.egress![0]!.protocols).toEqual([
      { tcp: { destinationPort: { range: { start: 1, end: 1024 } } } },
    ]);
    expect(stdout).toContain('wrote 3 file(s)');
    expect(stdout).toContain('converted 2 (1 AdminNetworkPolicy, 1 BaselineAdminNetworkPolicy) in 1 file(s)');
    expect(stdout).toContain(
      'AdminNetworkPolicy/shop-guard -> ClusterNetworkPolicy/shop-guard (Admin tier, priority 5)',
    );
    expect(stdout).toMatch(/equivalence: proven \(\d+ connections identical, none differs\)/);
  });

  it('--dry-run prints the converted files and writes nothing', async () => {
    const { code, out, files, dirs } = await run(['migrate', '--dirpath', join(dir, 'set'), '--dry-run']);
    expect(code).toBe(0);
    expect(files.size).toBe(0);
    expect(dirs.size).toBe(0);
    expect(out).toContain(
      `--- ${join(dir, 'set', 'cluster', 'anp.yaml')}\napiVersion: policy.networking.k8s.io/v1alpha2`,
    );
    expect(out).not.toContain('apps.yaml\n');
  });

  it('--baseline-priority places the converted BANP', async () => {
    const { out } = await run([
      'migrate',
      '--dirpath',
      join(dir, 'set'),
      '--dry-run',
      '--baseline-priority',
      '300',
    ]);
    expect(out).toContain(
      'BaselineAdminNetworkPolicy/default -> ClusterNetworkPolicy/default (Baseline tier, priority 300)',
    );
  });

  it('refuses a non-empty OUTDIR unless --force', async () => {
    const refused = await run(['migrate', '--dirpath', join(dir, 'set'), '-o', join(dir, 'full')]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('is not empty; pass --force');
    expect(refused.files.size).toBe(0);
    const forced = await run(['migrate', '--dirpath', join(dir, 'set'), '-o', join(dir, 'full'), '--force']);
    expect(forced.code).toBe(0);
    expect(forced.files.size).toBe(3);
  });

  it.each([
    [['migrate', '--dirpath', 'x'], 'needs -o OUTDIR'],
    [['migrate', '-o', 'out'], 'reads one directory or file'],
    [['migrate', '--dirpath', 'a', '--dirpath', 'b', '-o', 'out'], 'reads one directory or file'],
    [
      ['migrate', '--dirpath', 'a', '--dry-run', '--baseline-priority', '1001'],
      '--baseline-priority must be',
    ],
  ])('%j is a usage error', async (args, message) => {
    const { code, err } = await run(args);
    expect(code).toBe(2);
    expect(err).toContain(message);
  });

  it('exits 1 and names the field when something has no ClusterNetworkPolicy equivalent', async () => {
    const { code, out } = await run(['migrate', '--dirpath', join(dir, 'legacy'), '--dry-run']);
    expect(code).toBe(1);
    expect(out).toMatch(
      /error {3}.*anp\.yaml:\d+ AdminNetworkPolicy\/shop-guard spec\.ingress\[1\]\.from\[0\]\.namespaces\.sameLabels: sameLabels .*\[unconvertible-field\]/,
    );
    expect(out).toContain('issues: 1 error(s)');
  });

  it('exits 1 and lists every connection that differs', async () => {
    const { code, out } = await run(['migrate', '--dirpath', join(dir, 'big'), '--dry-run']);
    expect(code).toBe(1);
    expect(out).toContain('[rule-limit]');
    expect(out).toContain('[invalid-result]');
    expect(out).toMatch(/equivalence: \d+ connection\(s\) differ/);
    expect(out).toContain('  front/web[Pod] => shop/api[Pod]: TCP 8080 -> All Connections');
  });

  it('has its own help', async () => {
    const { code, out } = await run(['migrate', '--help']);
    expect(code).toBe(0);
    expect(out).toContain('netpol migrate --dirpath DIR -o OUTDIR [--dry-run] [--force]');
  });
});
