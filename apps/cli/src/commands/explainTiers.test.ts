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
