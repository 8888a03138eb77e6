import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli.ts';
import { captureIO } from './nodeIO.ts';

const DEMO = fileURLToPath(new URL('../../../public/demo', import.meta.url));

async function run(args: string[], stdin = '') {
  const io = captureIO(stdin);
  const code = await runCli(args, io);
  return { code, out: io.out, err: io.err, files: io.files };
}

const NAMESPACED_APPS = `apiVersion: v1
kind: Pod
metadata: { name: api, namespace: shop, labels: { app: api } }
spec: { containers: [{ name: c, ports: [{ name: http, containerPort: 8080 }] }] }
---
apiVersion: v1
kind: Pod
metadata: { name: web, namespace: shop, labels: { app: web } }
spec: { containers: [{ name: c }] }
`;

const API_POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: api-from-web, namespace: shop }
spec:
  podSelector: { matchLabels: { app: api } }
  ingress:
    - from: [{ podSelector: { matchLabels: { app: web } } }]
      ports: [{ port: http }]
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'netpol-cli-'));
  mkdirSync(join(dir, 'good'));
  writeFileSync(join(dir, 'good', 'apps.yaml'), NAMESPACED_APPS);
  writeFileSync(join(dir, 'good', 'policy.yaml'), API_POLICY);
  mkdirSync(join(dir, 'mixed'));
  writeFileSync(join(dir, 'mixed', 'apps.yaml'), NAMESPACED_APPS);
  writeFileSync(
    join(dir, 'mixed', 'broken.yaml'),
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: @reserved\n',
  );
  writeFileSync(join(dir, 'mixed', 'notes.txt'), 'not read: wrong extension');
  mkdirSync(join(dir, 'invalid'));
  writeFileSync(
    join(dir, 'invalid', 'np.yaml'),
    API_POLICY.replace('ports: [{ port: http }]', 'ports: [{ port: 70000 }]'),
  );
  mkdirSync(join(dir, 'invalid-mixed'));
  writeFileSync(join(dir, 'invalid-mixed', 'apps.yaml'), NAMESPACED_APPS);
  writeFileSync(
    join(dir, 'invalid-mixed', 'np.yaml'),
    API_POLICY.replace('ports: [{ port: http }]', 'ports: [{ port: 70000 }]'),
  );
  mkdirSync(join(dir, 'bad-pod'));
  writeFileSync(
    join(dir, 'bad-pod', 'pods.yaml'),
    `${NAMESPACED_APPS}---\napiVersion: v1\nkind: Pod\nmetadata: { name: bad, namespace: shop }\nspec: { containers: [{ name: c, ports: [{ containerPort: http }] }] }\n`,
  );
  mkdirSync(join(dir, 'empty'));
  writeFileSync(join(dir, 'empty', 'readme.md'), '# nothing here');
});

describe('netpol list', () => {
  it('lists the demo connectivity from the project notes', async () => {
    const { code, out } = await run(['list', '--dirpath', DEMO]);
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines).toContain('frontend/frontend[Deployment] => store/store-api[Deployment] : TCP 8080');
    expect(lines).toContain('default/demo[Deployment] => default/demo-db[StatefulSet] : All Connections');
    expect(lines).toContain(
      'store/store-api[Deployment] => downstream-1/downstream-1[Deployment] : TCP 8080',
    );
    // demo-db is egress-isolated with no egress rule, store-api admits only the frontend.
    expect(lines.some((l) => l.startsWith('default/demo-db[StatefulSet] =>'))).toBe(false);
    expect(lines.filter((l) => l.endsWith('=> store/store-api[Deployment] : TCP 8080'))).toHaveLength(1);
  });

  it('resolves named ports on the destination and prints json', async () => {
    const { code, out } = await run(['list', '--dirpath', join(dir, 'good'), '-o', 'json']);
    expect(code).toBe(0);
    const rows = JSON.parse(out) as { src: string; dst: string; conn: string }[];
    expect(rows).toContainEqual({ src: 'shop/web[Pod]', dst: 'shop/api[Pod]', conn: 'TCP 8080' });
    expect(rows.find((r) => r.dst === 'shop/api[Pod]' && r.src.includes('External'))).toBeUndefined();
  });

  it('reads manifests from stdin with -', async () => {
    const { code, out } = await run(['list', '-'], `${NAMESPACED_APPS}---\n${API_POLICY}`);
    expect(code).toBe(0);
    expect(out).toContain('shop/web[Pod] => shop/api[Pod] : TCP 8080');
  });

  it('narrows to a focus workload and direction', async () => {
    const { out } = await run([
      'list',
      '--dirpath',
      DEMO,
      '--focusworkload',
      'store/store-api',
      '--focus-direction',
      'ingress',
    ]);
    expect(out.trim().split('\n')).toEqual([
      'frontend/frontend[Deployment] => store/store-api[Deployment] : TCP 8080',
    ]);
  });

  it('writes to a file with -f', async () => {
    const target = join(dir, 'out.csv');
    const { code, out, files } = await run([
      'list',
      '--dirpath',
      join(dir, 'good'),
      '-o',
      'csv',
      '-f',
      target,
    ]);
    expect(code).toBe(0);
    expect(out).toBe('');
    expect(files.get(target)).toMatch(/^src,dst,conn\n/);
  });

  it('still analyses the good files of a directory with a broken one, names the broken line, exits 1', async () => {
    const { code, out, err } = await run(['list', '--dirpath', join(dir, 'mixed')]);
    expect(code).toBe(1);
    expect(out).toContain('shop/web[Pod] => shop/api[Pod] : All Connections');
    expect(err).toMatch(/broken\.yaml:4:\d+: error: YAML syntax error/);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('analyses what the API server would admit: a refused policy is left out, reported, exit 1', async () => {
    const { code, out, err } = await run(['list', '--dirpath', join(dir, 'invalid-mixed')]);
    expect(code).toBe(1);
    expect(err).toMatch(/np\.yaml:8:\d+: error: spec\.ingress\[0\]\.ports\[0\]\.port: Invalid value: 70000/);
    expect(err).toContain('1 object(s) the API server would refuse left out of the analysis');
    // Without the refused policy nothing isolates shop/api.
    expect(out).toContain('shop/web[Pod] => shop/api[Pod] : All Connections');
  });

  it('leaves out a pod the API server would refuse and still lists the others', async () => {
    const { code, out, err } = await run(['list', '--dirpath', join(dir, 'bad-pod')]);
    expect(code).toBe(1);
    expect(err).toMatch(/pods\.yaml:\d+:\d+: error: .*containerPort/);
    expect(out).toContain('shop/web[Pod] => shop/api[Pod] : All Connections');
    expect(out).not.toContain('shop/bad');
  });

  it("keeps netpol-analyzer's fatal refusal under --compat netpol-analyzer", async () => {
    const { code, out, err } = await run([
      'list',
      '--dirpath',
      join(dir, 'invalid'),
      '--compat',
      'netpol-analyzer',
    ]);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(/^Error: .*np\.yaml:8: /m);
  });

  it('explains missing inputs without a stack trace', async () => {
    const missing = await run(['list', '--dirpath', join(dir, 'nope')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^Error: the path .*nope does not exist\n$/);
    const empty = await run(['list', '--dirpath', join(dir, 'empty')]);
    expect(empty.code).toBe(1);
    expect(empty.err).toContain('recognized file extensions are .yaml, .yml, .json');
  });

  it('rejects unknown options and formats with usage (exit 2)', async () => {
    expect((await run(['list', '--dirpath', DEMO, '-o', 'xml'])).code).toBe(2);
    const unknown = await run(['list', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown option --bogus');
    expect((await run(['frobnicate'])).code).toBe(2);
  });
});

describe('netpol diff', () => {
  it('reports connections a policy removes', async () => {
    const before = join(dir, 'before');
    mkdirSync(before, { recursive: true });
    writeFileSync(join(before, 'apps.yaml'), NAMESPACED_APPS);
    const { code, out } = await run(['diff', '--dir1', before, '--dir2', join(dir, 'good')]);
    expect(code).toBe(0);
    expect(out).toContain(
      'diff-type: changed, source: shop/web[Pod], destination: shop/api[Pod], dir1: All Connections, dir2: TCP 8080',
    );
    expect(out).toContain(
      'diff-type: removed, source: 0.0.0.0-255.255.255.255[External], destination: shop/api[Pod]',
    );
  });

  it('needs both directories', async () => {
    expect((await run(['diff', '--dir1', DEMO])).code).toBe(2);
  });
});

describe('netpol explain', () => {
  it('names the rule that admits a connection and exits 0', async () => {
    const { code, out } = await run([
      'explain',
      '--dirpath',
      join(dir, 'good'),
      '--src',
      'shop/web',
      '--dst',
      'shop/api',
      '--port',
      '8080',
    ]);
    expect(code).toBe(0);
    expect(out).toContain('ALLOWED on TCP 8080');
    expect(out).toMatch(
      /allowed by shop\/api-from-web ingress\[0\] \(peer 0, port entries 0\) -> TCP 8080 +\(.*policy\.yaml:7\)/,
    );
  });

  it('says why a connection is denied and exits 3', async () => {
    const { code, out } = await run([
      'explain',
      '--dirpath',
      join(dir, 'good'),
      '--src',
      'shop/web',
      '--dst',
      'shop/api',
      '--port',
      '9090',
    ]);
    expect(code).toBe(3);
    expect(out).toContain('DENIED');
    expect(out).toContain('no rule of it admits shop/web[Pod] on TCP 9090');
  });

  it('reports an unknown peer', async () => {
    const { code, err } = await run([
      'explain',
      '--dirpath',
      DEMO,
      '--src',
      'nobody',
      '--dst',
      'store/store-api',
    ]);
    expect(code).toBe(1);
    expect(err).toContain('no single workload or address matches "nobody"');
  });
});

describe('netpol validate', () => {
  it('passes clean input and summarises it', async () => {
    const { code, out, err } = await run(['validate', DEMO]);
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out).toMatch(/3 file\(s\), 14 object\(s\), 3 NetworkPolicy: 0 error\(s\), 0 warning\(s\)/);
  });

  it('fails with file:line:col diagnostics, also from stdin', async () => {
    const { code, err } = await run(['validate', '-'], API_POLICY.replace('app: web', 'app: "-bad-"'));
    expect(code).toBe(1);
    expect(err).toMatch(
      /^<stdin>:7:\d+: error: spec\.ingress\[0\]\.from\[0\]\.podSelector\.matchLabels: Invalid value: "-bad-"/m,
    );
  });
});
