import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli.ts';
import { captureIO } from '../nodeIO.ts';

const INPUT = `apiVersion: v1
kind: Pod
metadata: { name: web, namespace: a, labels: { app: web } }
spec: { containers: [{ name: c }] }
---
apiVersion: v1
kind: Pod
metadata: { name: cli, namespace: b }
spec: { containers: [{ name: c }] }
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: { name: guard }
spec:
  tier: Admin
  priority: 3
  subject: { namespaces: { matchLabels: { kubernetes.io/metadata.name: a } } }
  ingress:
    - name: no-b
      action: Deny
      from: [{ namespaces: { matchLabels: { kubernetes.io/metadata.name: b } } }]
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'netpol-tiers-'));
  writeFileSync(join(dir, 'all.yaml'), INPUT);
});

async function explain(extra: string[]) {
  const io = captureIO();
  const code = await runCli(['explain', '--dirpath', dir, '--src', 'b/cli', '--dst', 'a/web', ...extra], io);
  return { code, out: io.out };
}

describe('netpol explain with cluster-wide tiers', () => {
  it('prints the decision chain with the deciding rule and its line', async () => {
    const { code, out } = await explain(['--port', '80']);
    expect(code).toBe(3);
    expect(out).toMatch(
      /Admin tier: ClusterNetworkPolicy\/guard priority 3 ingress\[0\] "no-b" denies TCP 80 +\(.*all\.yaml:19\)/,
    );
  });

  it('carries the chain in JSON', async () => {
    const { out } = await explain(['--port', '80', '-o', 'json']);
    const json = JSON.parse(out) as { ingress: { tiers: { decisions: unknown[] } } };
    expect(json.ingress.tiers.decisions).toMatchObject([
      {
        tier: 'Admin',
        policy: 'ClusterNetworkPolicy/guard',
        priority: 3,
        rule: 0,
        action: 'Deny',
        conn: 'TCP 80',
      },
    ]);
  });
});

describe('domain-name destinations', () => {
  const names = `${INPUT}---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: { name: names }
spec:
  tier: Admin
  priority: 1
  subject: { namespaces: { matchLabels: { kubernetes.io/metadata.name: a } } }
  egress:
    - { name: k8s, action: Accept, to: [{ domainNames: ['*.kubernetes.io'] }] }
    - { name: rest, action: Deny, to: [{ networks: [0.0.0.0/0] }] }
`;
  let namesDir: string;
  beforeAll(() => {
    namesDir = mkdtempSync(join(tmpdir(), 'netpol-dns-'));
    writeFileSync(join(namesDir, 'all.yaml'), names);
  });

  it('lists them as dns: peers', async () => {
    const io = captureIO();
    expect(await runCli(['list', '--dirpath', namesDir], io)).toBe(0);
    expect(io.out).toContain('a/web[Pod] => dns:*.kubernetes.io : All Connections\n');
    expect(io.out).not.toMatch(/a\/web\[Pod\] => [\d.-]+\[External\]/);
  });

  it('explains a connection to a name the patterns cover', async () => {
    const run = async (dst: string) => {
      const io = captureIO();
      const code = await runCli(['explain', '--dirpath', namesDir, '--src', 'a/web', '--dst', dst], io);
      return { code, out: io.out };
    };
    const allowed = await run('dns:docs.kubernetes.io');
    expect(allowed.code).toBe(0);
    expect(allowed.out).toContain('"k8s" accepts');
    expect((await run('dns:kubernetes.io')).code).toBe(3);
  });
});
