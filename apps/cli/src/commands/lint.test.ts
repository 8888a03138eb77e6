import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FINDING_RULES, findingRuleInfo, severityAtLeast } from '@netpol-atlas/evaluator';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../args.ts';
import type { SarifLog } from '../format/sarif.ts';
import { validateSarif } from '../format/sarifValidator.test-helper.ts';
import { InputError } from '../inputs.ts';
import { captureIO } from '../nodeIO.ts';
import { lintCommand } from './lint.ts';

const DEMO = fileURLToPath(new URL('../../../../public/demo', import.meta.url));
const FIXTURES = fileURLToPath(
  new URL('../../../../packages/evaluator/src/findings/fixtures', import.meta.url),
);

/**
 * Runs `netpol lint ARGS` as runCli will once the command is registered: the same option spec as
 * the other commands, UsageError -> exit 2, InputError -> exit 1.
 */
async function lint(args: string[], stdin = '') {
  const io = captureIO(stdin);
  let code: number;
  try {
    code = await lintCommand(
      io,
      parseArgs(args, {
        values: [
          'compat',
          'cni',
          'file',
          'dirpath',
          'output',
          'fail-on',
          'pod-cidr',
          'service-cidr',
          'node-cidr',
        ],
        booleans: ['quiet', 'verbose', 'help'],
        aliases: { o: 'output', f: 'file', q: 'quiet', v: 'verbose', h: 'help' },
      }),
    );
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`netpol: ${error.message}\n`);
      code = 2;
    } else if (error instanceof InputError) {
      io.stderr(`Error: ${error.message}\n`);
      code = 1;
    } else throw error;
  }
  return { code, out: io.out, err: io.err, files: io.files };
}

const fixture = (path: string) => join(FIXTURES, path);
const WELL_SECURED = fileURLToPath(new URL('../../../../public/samples/well-secured', import.meta.url));

interface LintJson {
  summary: Record<string, number>;
  findings: { severity: string; instances?: unknown[] }[];
}

/**
 * The demo's review as JSON: the other formats must report the same numbers. The list itself is
 * pinned once, in the evaluator's notes.test.ts.
 */
async function demoJson(): Promise<LintJson> {
  return JSON.parse((await lint(['--dirpath', DEMO, '-o', 'json', '--fail-on', 'none'])).out) as LintJson;
}

let locked: string;
beforeAll(() => {
  // Both directions default-denied: only the informational node-traffic finding remains.
  const dir = mkdtempSync(join(tmpdir(), 'netpol-lint-'));
  locked = join(dir, 'locked');
  mkdirSync(locked);
  writeFileSync(join(locked, 'all.yaml'), readFileSync(fixture('open-egress/near-miss.yaml'), 'utf8'));
});

describe('netpol lint: exit codes for CI', () => {
  it('fails on the demo by default (high findings), with file:line:col lines', async () => {
    const { code, out } = await lint(['--dirpath', DEMO]);
    expect(code).toBe(1);
    expect(out).toMatch(
      /policies\.yaml:77:13: medium: downstream-1\/store-to-downstream-1 ingress\[0\]\.from\[0\] trusts namespace label/,
    );
    const { summary } = await demoJson();
    const counts = ['critical', 'high', 'medium', 'low', 'info']
      .filter((s) => summary[s]! > 0)
      .map((s) => `${summary[s]} ${s}`)
      .join(', ');
    expect(out.trimEnd().split('\n').at(-1)).toBe(
      `${summary.total} findings (${summary.instances} instances): ${counts}`,
    );
  });

  it.each([
    ['critical', 0],
    ['high', 1],
    ['none', 0],
  ])('--fail-on %s on the demo exits %i', async (threshold, expected) => {
    expect((await lint(['--dirpath', DEMO, '--fail-on', threshold])).code).toBe(expected);
  });

  it('passes locked-down manifests by default, and fails them with --fail-on info', async () => {
    const clean = await lint([locked]);
    expect(clean.code).toBe(0);
    expect(clean.out.trimEnd().split('\n').at(-1)).toBe('1 finding: 1 info');
    expect((await lint([locked, '--fail-on', 'info'])).code).toBe(1);
    expect((await lint([locked, '--fail-on', 'low'])).code).toBe(0);
  });

  it('fails on input the API server would refuse, even with --fail-on none, and still reports it', async () => {
    const { code, out, err } = await lint([
      fixture('notes/malformed-peers.yaml'),
      '--fail-on',
      'none',
      '-o',
      'sarif',
    ]);
    expect(code).toBe(1);
    expect(err).toContain('must be of type object [np-type]');
    const log = JSON.parse(out) as SarifLog;
    expect(validateSarif(log)).toEqual([]);
    const invalid = log.runs[0]!.results.filter((r) => r.ruleId === 'NPA-INVALID-MANIFEST');
    expect(invalid).toHaveLength(5);
    expect(log.runs[0]!.results.map((r) => r.ruleId)).toContain('NPA-OPEN-INGRESS');
  });

  it('fails on a YAML syntax error too (the notes\' "[]NetworkPolicyIngressRule" placeholder)', async () => {
    const { code, out } = await lint([fixture('notes/first-example.yaml.txt'), '--fail-on', 'none']);
    expect(code).toBe(1);
    expect(out).toContain('first-example.yaml.txt:14:14: high: A document of');
  });

  it.each([
    [['--dirpath', DEMO, '-o', 'xml'], 'unsupported output format "xml" for lint'],
    [
      ['--dirpath', DEMO, '--fail-on', 'severe'],
      '--fail-on must be one of critical, high, medium, low, info, none',
    ],
    [['--dirpath', DEMO, '--cni', 'weave'], '--cni must be one of'],
    [['--dirpath', DEMO, '--pod-cidr', '10.244.0.0/16,10.0.0/8'], '--pod-cidr takes IPv4 CIDRs such as'],
    [[], 'no input'],
    [['--dirpath', DEMO, '--bogus'], 'unknown option --bogus'],
  ])('exits 2 on a usage error: %j', async (args, message) => {
    const { code, err, out } = await lint(args);
    expect(code).toBe(2);
    expect(err).toContain(message);
    expect(out).toBe('');
  });

  it('checks ipBlocks against --node-cidr and --pod-cidr (repeatable, comma-separated)', async () => {
    const path = fixture('world-cidr/trigger.yaml');
    const before = await lint([path, '--fail-on', 'none', '-o', 'json']);
    expect(before.out).not.toContain('NPA-IPBLOCK-NODES');
    const { out } = await lint([
      path,
      '--fail-on',
      'none',
      '--node-cidr',
      '10.0.0.0/24,10.0.1.0/24',
      '--node-cidr',
      '10.0.2.0/24',
      '--pod-cidr',
      '10.244.0.0/16',
    ]);
    expect(out).toContain('node addresses 10.0.0.0/23, 10.0.2.0/24');
    expect(out).toContain('[NPA-IPBLOCK-NODES]');
  });

  it('exits 1 for a missing input', async () => {
    const { code, err } = await lint(['/nonexistent/dir']);
    expect(code).toBe(1);
    expect(err).toContain('/nonexistent/dir');
  });
});

describe('netpol lint: the default gate (--fail-on high) is calibrated', () => {
  it('passes the well-secured sample: default-deny everywhere, DNS allowed, precise rules', async () => {
    const { code, out } = await lint([WELL_SECURED]);
    expect(code).toBe(0);
    expect(out).not.toMatch(/: (critical|high|medium): /);
  });

  // Each rule whose every-port case is high or worse fails the gate on its trigger fixture. Two
  // fixtures limit their rule to one port (one step below): the gate is checked on every port.
  // world-cidr's fixture is an egress rule (medium by design); address ranges are reviewed apart.
  const highRules = FINDING_RULES.filter(
    (r) => severityAtLeast(r.defaultSeverity, 'high') && r.rule !== 'world-cidr',
  );
  it.each(highRules.map((r) => r.rule))('fails on the trigger of %s', async (rule) => {
    const text = readFileSync(fixture(`${rule}/trigger.yaml`), 'utf8').replace(
      /\n\s+ports: \[\{ port: 9090 \}\]/,
      '',
    );
    // Both CNI rules need a profile that ignores what the fixture holds.
    const cni =
      rule === 'cni-not-enforced'
        ? ['--cni', 'flannel']
        : rule === 'cluster-policy-not-enforced'
          ? ['--cni', 'calico']
          : [];
    const { code, out } = await lint(['-', ...cni], text);
    expect(code, out).toBe(1);
    expect(out).toMatch(new RegExp(`: (critical|high): .*\\[${findingRuleInfo(rule).code}\\]`));
  });

  it('passes the well-secured sample opened to the world on every port only when it is not', async () => {
    // The same sample with one rule that forgets its peers: ingress from anywhere, every port.
    const text = readFileSync(join(WELL_SECURED, 'manifests.yaml'), 'utf8').replace(
      /(name: db, namespace: shop \}\nspec:\n {2}podSelector: \{ matchLabels: \{ app: db \} \}\n {2}policyTypes: \[Ingress\]\n {2}ingress:\n)[\s\S]*$/,
      '$1    - {}\n',
    );
    const { code, out } = await lint(['-'], text);
    expect(code).toBe(1);
    expect(out).toContain('high: shop/db ingress[0] has no `from`');
  });
});

describe('netpol lint: outputs', () => {
  it('-o sarif writes a valid SARIF 2.1.0 log with one result per finding instance, naming its group', async () => {
    const { out } = await lint(['--dirpath', DEMO, '-o', 'sarif']);
    const log = JSON.parse(out) as SarifLog;
    expect(validateSarif(log)).toEqual([]);
    const { summary, findings } = await demoJson();
    expect(log.runs[0]!.results).toHaveLength(summary.instances!);
    const grouped = log.runs[0]!.results.filter((r) => r.properties.group !== undefined);
    expect(grouped).toHaveLength(findings.reduce((n, f) => n + (f.instances?.length ?? 0), 0));
    expect(grouped[0]!.properties.group).toMatchObject({
      id: 'NPA-OPEN-INGRESS:group/namespace-open:default',
      size: 4,
    });
    const uris = new Set(
      log.runs[0]!.results.flatMap((r) => r.locations ?? []).map(
        (l) => l.physicalLocation.artifactLocation.uri,
      ),
    );
    expect([...uris].every((u) => u.startsWith('file:///') && u.includes('/public/demo/'))).toBe(true);
  });

  it('-o json, md and html render the same findings', async () => {
    const json = await demoJson();
    expect(json.summary.total).toBe(json.findings.length);
    expect(json.summary.instances).toBeGreaterThan(json.summary.total!);
    const md = (await lint(['--dirpath', DEMO, '-o', 'md'])).out;
    expect(md).toContain('# NetworkPolicy security review');
    expect(md).toContain('CNI: upstream');
    const html = (await lint(['--dirpath', DEMO, '-o', 'html'])).out;
    expect(html).toContain('<title>NetworkPolicy security review</title>');
    expect(html.match(/<section class="finding"/g)).toHaveLength(json.summary.total!);
  });

  it('writes to a file with -f', async () => {
    const { out, files } = await lint(['--dirpath', DEMO, '-o', 'sarif', '-f', 'review.sarif']);
    expect(out).toBe('');
    expect(JSON.parse(files.get('review.sarif')!)).toMatchObject({ version: '2.1.0' });
  });

  it('reads stdin once with -', async () => {
    const text = readFileSync(fixture('pod-label-spoofable/trigger.yaml'), 'utf8');
    const { code, out } = await lint(['-', '--fail-on', 'none'], text);
    expect(code).toBe(0);
    expect(out).toContain('<stdin>:');
    expect(out).toContain('[NPA-POD-LABEL-SPOOF]');
  });

  it('--cni flannel marks every policy as not enforced (critical)', async () => {
    const { code, out } = await lint(['--dirpath', DEMO, '--cni', 'flannel', '--fail-on', 'critical']);
    expect(code).toBe(1);
    expect(out).toContain(
      'critical: Flannel does not enforce NetworkPolicy: none of the 3 policies has any effect',
    );
  });

  it('reports unenforced cluster policies once, as a finding, not also as a build warning', async () => {
    const tiers = fileURLToPath(new URL('../../../../public/samples/cluster-tiers', import.meta.url));
    const { out, err } = await lint(['--dirpath', tiers, '--cni', 'flannel', '--fail-on', 'none']);
    expect(out).toContain('[NPA-TIER-NOT-ENFORCED]');
    expect(err).not.toContain('[cluster-policy-not-enforced]');
    // Other build warnings still print.
    expect(err).toContain('[crd-experimental-field]');
  });

  it('lists CNI policy kinds it does not evaluate', async () => {
    const { out } = await lint([fixture('cni-policy-not-analysed/trigger.yaml')]);
    expect(out).toContain('CiliumNetworkPolicy shop/api-l7 (Cilium) is not evaluated [NPA-CNI-POLICY]');
  });
});
