// `netpol whatif`: the label-tampering what-if from the command line, for CI gates and reports.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli.ts';
import { captureIO } from '../nodeIO.ts';

const DEMO = fileURLToPath(new URL('../../../../public/demo', import.meta.url));
const DEMO_DB = 'default/demo-db[StatefulSet]';

async function run(args: string[], stdin = '') {
  const io = captureIO(stdin);
  const code = await runCli(args, io);
  return { code, out: io.out, err: io.err, files: io.files };
}

const TWO_APIS = `apiVersion: v1
kind: Pod
metadata: { name: api, namespace: shop, labels: { app: api } }
spec: { containers: [{ name: c }] }
---
apiVersion: v1
kind: Pod
metadata: { name: api, namespace: billing, labels: { app: api } }
spec: { containers: [{ name: c }] }
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'netpol-whatif-'));
  mkdirSync(join(dir, 'apis'));
  writeFileSync(join(dir, 'apis', 'pods.yaml'), TWO_APIS);
});

describe('netpol whatif', () => {
  it("prints demo-db's escape from its own policy, both directions, and exits 3", async () => {
    const { code, out, err } = await run(['whatif', '--dirpath', DEMO, '--workload', DEMO_DB]);
    expect(err).toBe('');
    expect(code).toBe(3);
    expect(out).toContain(`What if ${DEMO_DB} were compromised?`);
    expect(out).toContain('  remove app=demo-db  (same outcome with app=demo; ');
    expect(out).toContain('    leaves default/demo-db');
    expect(out).toMatch(/ {4}-> frontend\/frontend\[Deployment\] +All Connections/);
    expect(out).toMatch(/ {4}<- downstream-1\/downstream-1\[Deployment\] +All Connections/);
    expect(out).toContain("If it could change its namespace's labels: no label change opens anything more");
    expect(out).toContain('label changes tried: pod 6 evaluated (bound 64)');
  });

  it('prints json with the connections as text', async () => {
    const { code, out } = await run(['whatif', '--dirpath', DEMO, '--workload', DEMO_DB, '-o', 'json']);
    expect(code).toBe(3);
    const json = JSON.parse(out);
    expect(json.workload).toBe(DEMO_DB);
    expect(json.currentLabels.pod).toEqual({ app: 'demo-db' });
    const [first] = json.withPodLabels;
    expect(first.remove).toEqual(['app']);
    expect(first.alternatives).toContainEqual({ labels: { app: 'demo' }, remove: [] });
    expect(first.opens.map((t: { peer: string; conn: string }) => `${t.peer}: ${t.conn}`)).toEqual([
      'default/demo[Deployment]: All Connections',
      'downstream-2/downstream-2[Deployment]: All Connections',
      'frontend/frontend[Deployment]: All Connections',
      '0.0.0.0-255.255.255.255[External]: All Connections',
    ]);
    expect(json.search.pod).toEqual({ evaluated: 6, limit: 64, untried: 0 });
  });

  it('prints a Markdown table per kind of change, one row per peer and direction', async () => {
    const { out } = await run(['whatif', '--dirpath', DEMO, '--workload', DEMO_DB, '-o', 'md']);
    expect(out).toContain(`# What if \`${DEMO_DB}\` were compromised?`);
    expect(out).toContain('| change | policies | direction | peer | connections gained |');
    expect(out).toMatch(
      /\| remove app=demo-db \(same outcome with [^|]*\) \| leaves default\/demo-db \| egress → \| frontend\/frontend\[Deployment\] \| All Connections \|/,
    );
    expect(out).toMatch(/\| ingress ← \| downstream-1\/downstream-1\[Deployment\] \| All Connections \|/);
  });

  it('accepts ns/name and a unique name, reads stdin, and writes -f FILE', async () => {
    const full = await run(['whatif', '--dirpath', DEMO, '--workload', DEMO_DB]);
    expect((await run(['whatif', '--dirpath', DEMO, '--workload', 'default/demo-db'])).out).toBe(full.out);
    expect((await run(['whatif', '--dirpath', DEMO, '--workload', 'demo-db'])).out).toBe(full.out);
    const stdin = readdirSync(DEMO)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => readFileSync(join(DEMO, f), 'utf8'))
      .join('\n---\n');
    expect((await run(['whatif', '-', '--workload', 'demo-db'], stdin)).out).toBe(full.out);
    const written = await run(['whatif', '--dirpath', DEMO, '--workload', 'demo-db', '-f', 'out.txt']);
    expect(written.out).toBe('');
    expect(written.files.get('out.txt')).toBe(full.out);
  });

  it('lists the candidates when the name is ambiguous, and says when nothing matches (exit 1)', async () => {
    const ambiguous = await run(['whatif', '--dirpath', join(dir, 'apis'), '--workload', 'api']);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.err).toBe(
      'Error: no single workload matches "api"; candidates:\n  billing/api[Pod]\n  shop/api[Pod]\n',
    );
    const unknown = await run(['whatif', '--dirpath', join(dir, 'apis'), '--workload', 'web']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toBe('Error: no workload matches "web"\n');
  });

  it('exits 0 when no label change opens anything, and says why under a CNI that enforces nothing', async () => {
    const { code, out } = await run(['whatif', '--dirpath', DEMO, '--workload', DEMO_DB, '--cni', 'flannel']);
    expect(code).toBe(0);
    expect(out).toContain('If it could change its own pod labels: no label change opens anything more');
    expect(out).toContain('note: The flannel CNI enforces no NetworkPolicy');
  });

  it('reports the search bound when --max-evaluations stops it', async () => {
    const { out } = await run(['whatif', '--dirpath', DEMO, '--workload', DEMO_DB, '--max-evaluations', '2']);
    expect(out).toContain('pod 2 evaluated, 4 not tried (bound 2 reached)');
    expect(out).toContain('note: Search bound reached for pod labels');
  });

  it('rejects a missing workload, an unknown format and a bad bound (exit 2)', async () => {
    for (const args of [
      ['whatif', '--dirpath', DEMO],
      ['whatif', '--dirpath', DEMO, '--workload', DEMO_DB, '-o', 'csv'],
      ['whatif', '--dirpath', DEMO, '--workload', DEMO_DB, '--max-evaluations', '0'],
    ]) {
      const { code, err } = await run(args);
      expect(code).toBe(2);
      expect(err).toMatch(
        /^netpol: (whatif needs --workload|unsupported output format "csv" for whatif|--max-evaluations must be)/,
      );
    }
  });
});
