import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli.ts';
import { captureIO } from '../nodeIO.ts';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const DEMO = join(ROOT, 'public/demo');
const DEMO_FLOWS = join(ROOT, 'public/flows/demo.hubble.jsonl');
const BOUTIQUE = join(ROOT, '../shared/conformance/netpol-analyzer/tests/onlineboutique_workloads');
const BOUTIQUE_FLOWS = join(ROOT, 'public/flows/onlineboutique.calico.jsonl');

async function run(args: string[]) {
  const io = captureIO();
  const code = await runCli(args, io);
  return { code, out: io.out, err: io.err, files: io.files, dirs: io.dirs };
}

/** web may call api; ops/monitor's egress is closed, so its observed calls stay denied. */
const SHOP = `apiVersion: v1
kind: Pod
metadata: { name: web, namespace: shop, labels: { app: web } }
spec: { containers: [{ name: c, image: web }] }
---
apiVersion: v1
kind: Pod
metadata: { name: api, namespace: shop, labels: { app: api } }
spec: { containers: [{ name: c, image: api }] }
---
apiVersion: v1
kind: Pod
metadata: { name: monitor, namespace: ops, labels: { app: monitor } }
spec: { containers: [{ name: c, image: monitor }] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: closed, namespace: ops }
spec: { podSelector: {}, policyTypes: [Egress] }
`;

let dir: string;
let shop: string;
let flows: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'netpol-tighten-'));
  shop = join(dir, 'shop.yaml');
  writeFileSync(shop, SHOP);
  flows = join(dir, 'flows.csv');
  writeFileSync(
    flows,
    [
      'src,dst,protocol,port,count,last_seen',
      'shop/web,shop/api,TCP,8080,9,',
      'ops/monitor,shop/api,TCP,9090,2,',
    ].join('\n'),
  );
});

describe('netpol tighten', () => {
  it('previews the demo store tightened to its Hubble flows, with DNS kept, and the YAML', async () => {
    const { code, out } = await run([
      'tighten',
      DEMO,
      '--flows',
      DEMO_FLOWS,
      '--namespace',
      'store',
      '--keep-dns',
    ]);
    expect(code).toBe(0);
    expect(out).toContain('observed and kept:             5 connections');
    expect(out).toContain('observed but would be denied:  0 connections');
    expect(out).toContain('store/store-api[Deployment] => 52.94.76.10 TCP 443 x3 (newly allowed)');
    expect(out).toContain('6 flow records matched no workload');
    expect(out).toContain('cidr: 52.94.76.10/32');
    expect(out).toContain('k8s-app: kube-dns');
  });

  it('names what a workload loses in JSON: onlineboutique checkout never called shipping', async () => {
    const { code, out } = await run([
      'tighten',
      BOUTIQUE,
      '--flows',
      BOUTIQUE_FLOWS,
      '--workload',
      'default/Deployment/checkoutservice',
      '-o',
      'json',
      '-q',
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.counts).toMatchObject({ kept: 6, removed: 1, denied: 0 });
    expect(report.removed).toEqual([
      expect.objectContaining({
        src: 'default/checkoutservice[Deployment]',
        dst: 'default/shippingservice[Deployment]',
        ports: 'TCP 50051',
      }),
    ]);
    expect(report.edits[0].changes).toEqual(['default/checkoutservice-netpol: egress rule 5 is dropped']);
  });

  it('writes the edit with --write, and a second run has nothing to change', async () => {
    const copy = join(dir, 'boutique');
    cpSync(BOUTIQUE, copy, { recursive: true });
    const args = ['tighten', copy, '--flows', BOUTIQUE_FLOWS, '--namespace', 'default', '-q'];
    const first = await run([...args, '--write', '-o', 'md']);
    expect(first.code).toBe(0);
    expect(first.out).toContain('| Removed (allowed, never observed) | 3 |');
    expect(first.err).toContain('wrote 1 file');
    const path = join(copy, 'netpols.yaml');
    const written = first.files.get(path);
    expect(written).toContain('name: redis-cart-observed');
    writeFileSync(path, written!);
    const second = await run([...args, '-o', 'yaml']);
    expect(second.code).toBe(0);
    expect(second.out).toBe('# nothing to change\n');
    expect(readFileSync(path, 'utf8')).toBe(written);
  });

  it('refuses to write while observed traffic would be denied, unless accepted', async () => {
    const args = ['tighten', shop, '--flows', flows, '--namespace', 'shop', '--write'];
    const refused = await run(args);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain(
      'ops/monitor[Pod] => shop/api[Pod] TCP 9090 x2 (denied now too): egress: NetworkPolicy ops/closed',
    );
    expect(refused.err).toContain('nothing written');
    expect(refused.files.size).toBe(0);
    const accepted = await run([...args, '--accept-denied']);
    expect(accepted.code).toBe(0);
    // The namespace had no policy file of its own: the new policies go beside the input.
    const path = join(dir, 'shop', 'api-observed.yaml');
    expect([...accepted.files.keys()]).toEqual([path]);
    expect(accepted.dirs).toContain(join(dir, 'shop'));
    expect(accepted.files.get(path)).toContain('name: web-observed');
  });

  it('reports usage errors', async () => {
    expect((await run(['tighten', shop, '--flows', flows])).code).toBe(2);
    expect(
      (await run(['tighten', shop, '--flows', flows, '--namespace', 'shop', '--workload', 'shop/Pod/web']))
        .code,
    ).toBe(2);
    expect((await run(['tighten', shop, '--namespace', 'shop'])).err).toContain('tighten needs --flows FILE');
    expect((await run(['tighten', shop, '--flows', flows, '--namespace', 'shop', '-o', 'sarif'])).code).toBe(
      2,
    );
    const unknown = await run(['tighten', shop, '--flows', flows, '--workload', 'shop/Pod/nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('no workload shop/Pod/nope in the files [unknown-peer]');
  });
});
