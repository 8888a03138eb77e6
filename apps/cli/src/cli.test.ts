import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

describe('netpol validate, as a current API server with kubectl', () => {
  const SEED_MISTAKE = API_POLICY.replace(
    'podSelector: { matchLabels: { app: api } }',
    'podSelector: { app: api }',
  );

  it('reports unknown fields as errors by default, warnings with Warn, nothing with Ignore', async () => {
    const strict = await run(['validate', '-'], SEED_MISTAKE);
    expect(strict.code).toBe(1);
    expect(strict.err).toMatch(
      /^<stdin>:5:\d+: error: spec\.podSelector\.app: unknown field "spec\.podSelector\.app" \[unknown-field\]$/m,
    );
    const warn = await run(['validate', '--field-validation', 'Warn', '-'], SEED_MISTAKE);
    expect(warn.code).toBe(0);
    expect(warn.err).toContain('warning: spec.podSelector.app: unknown field "spec.podSelector.app"');
    expect(warn.out).toContain('0 error(s), 1 warning(s)');
    const ignore = await run(['validate', '--field-validation=ignore', '-'], SEED_MISTAKE);
    expect(ignore).toMatchObject({ code: 0, err: '' });
    expect((await run(['validate', '--field-validation', 'Loose', '-'], SEED_MISTAKE)).code).toBe(2);
  });

  it('refuses host bits from 1.36 on, and accepts them with --kube-version 1.35', async () => {
    const hostBits = API_POLICY.replace(
      '- from: [{ podSelector: { matchLabels: { app: web } } }]',
      '- from: [{ ipBlock: { cidr: 10.0.0.1/24, except: ["::ffff:10.0.0.0/120"] } }]',
    );
    const current = await run(['validate', '-'], hostBits);
    expect(current.code).toBe(1);
    expect(current.err).toContain('"10.0.0.1/24": must not have bits set beyond the prefix length');
    expect(current.err).toContain('"::ffff:10.0.0.0/120": must not have an IPv4-mapped IPv6 address');
    const older = await run(['validate', '--kube-version', '1.35', '-'], hostBits);
    expect(older).toMatchObject({ code: 0, err: '' });
    expect((await run(['validate', '--kube-version', 'latest', '-'], hostBits)).code).toBe(2);
  });

  it('lets list and lint imitate an older server too', async () => {
    const hostBits = `${NAMESPACED_APPS}---\n${API_POLICY.replace(
      '- from: [{ podSelector: { matchLabels: { app: web } } }]',
      '- from: [{ ipBlock: { cidr: 10.0.0.1/24 } }]',
    )}`;
    const current = await run(['list', '-'], hostBits);
    expect(current.code).toBe(1);
    expect(current.err).toContain('must not have bits set beyond the prefix length');
    const older = await run(['list', '--kube-version', '1.35', '-'], hostBits);
    expect(older.code).toBe(0);
    expect(older.out).toContain('10.0.0.0-10.0.0.255[External] => shop/api[Pod] : TCP 8080');
    const lint = await run(['lint', '--kube-version', 'v1.35', '--fail-on', 'none', '-'], hostBits);
    expect(lint.code).toBe(0);
    expect((await run(['list', '--kube-version', '1', '-'], hostBits)).code).toBe(2);
  });

  it('validates Pods and Namespaces too', async () => {
    const text = [
      'apiVersion: v1\nkind: Namespace\nmetadata: { name: team.a }',
      'apiVersion: v1\nkind: Pod\nmetadata: { name: Bad_Name, namespace: shop }\nspec: { containers: [{ name: c, ports: [{ containerPort: 0 }] }] }',
    ].join('\n---\n');
    const { code, err, out } = await run(['validate', '-'], text);
    expect(code).toBe(1);
    expect(err).toContain(
      'metadata.name: Invalid value: "team.a": must not contain dots [meta-invalid-name]',
    );
    expect(err).toContain('metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain');
    expect(err).toContain(
      'spec.containers[0].ports[0].containerPort: Required value [pod-container-port-required]',
    );
    expect(out).toContain('3 error(s)');
  });
});

describe('help and version', () => {
  it.each(['list', 'diff', 'explain', 'validate', 'lint'])(
    'netpol %s --help prints that command and exits 0',
    async (command) => {
      for (const args of [
        [command, '--help'],
        [command, '-h'],
        ['help', command],
      ]) {
        const { code, out, err } = await run(args);
        expect(code).toBe(0);
        expect(err).toBe('');
        expect(out).toContain(`netpol ${command} `);
        expect(out).toContain('Exit codes:');
      }
    },
  );

  it('netpol ui --help lists the options of ui, not the input options of the other commands', async () => {
    const { code, out } = await run(['ui', '--help']);
    expect(code).toBe(0);
    expect(out).toContain('--token-ttl');
    expect(out).toContain('Exit codes:');
    expect(out).not.toContain('Inputs: directories');
    expect(out).not.toContain('--compat');
  });

  it('prints help before checking the command line: diff --help needs no --dir1', async () => {
    const { code, out } = await run(['diff', '--help']);
    expect(code).toBe(0);
    expect(out).not.toContain('netpol list');
    expect(out).toContain('--dir1 OLD --dir2 NEW');
  });

  it('takes operands after -- as operands, not as a help request', async () => {
    expect((await run(['validate', '--', '--help'])).code).toBe(1);
  });

  it('prints the general help with --help (exit 0) and without a command (exit 2)', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['list', 'diff', 'explain', 'validate', 'lint'])
      expect(help.out).toContain(`netpol ${command} `);
    expect((await run([])).code).toBe(2);
  });

  it('prints the version of the CLI package', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    for (const flag of ['--version', '-V']) {
      const { code, out, err } = await run([flag]);
      expect({ code, out, err }).toEqual({ code: 0, out: `netpol ${version}\n`, err: '' });
    }
  });
});
