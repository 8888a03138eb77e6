import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding } from '@netpol-atlas/evaluator';
import { buildCluster, type CniProfile, FINDING_RULES, findings } from '@netpol-atlas/evaluator';
import { parseManifests, type SourceFile } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import { artifactUri, formatSarif, type SarifLog, sarifLevel, sarifLog } from './sarif.ts';
import { validateSarif } from './sarifValidator.test-helper.ts';

/** Parses, builds and reviews files as `netpol lint` does. */
function reviewFiles(files: SourceFile[], cni?: CniProfile): { findings: Finding[] } {
  const parsed = parseManifests(files);
  const cluster = buildCluster(parsed.objects, cni ? { cni } : {});
  const diagnostics = [...parsed.diagnostics, ...cluster.diagnostics];
  return {
    findings: findings(cluster, { unanalysed: parsed.unanalysed, objects: parsed.objects, diagnostics }),
  };
}

const DEMO = fileURLToPath(new URL('../../../../public/demo', import.meta.url));
const FIXTURES = fileURLToPath(
  new URL('../../../../packages/evaluator/src/findings/fixtures', import.meta.url),
);

function demoFindings(): Finding[] {
  const files = readdirSync(DEMO)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => ({ path: `public/demo/${f}`, text: readFileSync(join(DEMO, f), 'utf8') }));
  return reviewFiles(files).findings;
}

/** Every fixture of every rule, so that each rule appears in at least one SARIF result. */
function allFixtureFindings(): Finding[] {
  return readdirSync(FIXTURES).flatMap((dir) =>
    readdirSync(join(FIXTURES, dir)).flatMap((f) => {
      const path = `fixtures/${dir}/${f}`;
      // The CNI rules trigger only under a profile that ignores what the fixture holds.
      const cni =
        dir === 'cni-not-enforced' ? 'flannel' : dir === 'cluster-policy-not-enforced' ? 'calico' : undefined;
      return reviewFiles([{ path, text: readFileSync(join(FIXTURES, dir, f), 'utf8') }], cni).findings;
    }),
  );
}

describe('formatSarif', () => {
  it('writes a SARIF 2.1.0 log that the SARIF 2.1.0 JSON schema accepts, for the demo', () => {
    const text = formatSarif(demoFindings());
    const log = JSON.parse(text) as SarifLog;
    expect(validateSarif(log)).toEqual([]);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0]!.tool.driver.name).toBe('netpol-atlas');
  });

  it('stays valid for every rule, including results without a location', () => {
    const findings = allFixtureFindings();
    const log = sarifLog(findings);
    expect(validateSarif(JSON.parse(JSON.stringify(log)))).toEqual([]);
    const used = new Set(log.runs[0]!.results.map((r) => r.ruleId));
    expect([...used].sort()).toEqual(FINDING_RULES.map((r) => r.code).sort());
    expect(log.runs[0]!.results.some((r) => r.locations === undefined)).toBe(true);
  });

  it('describes every rule: id, short and full description, default level, help', () => {
    const rules = sarifLog([]).runs[0]!.tool.driver.rules;
    expect(rules.map((r) => r.id)).toEqual(FINDING_RULES.map((r) => r.code));
    for (const rule of rules) {
      expect(rule.shortDescription.text.length).toBeGreaterThan(0);
      expect(rule.fullDescription.text.length).toBeGreaterThan(rule.shortDescription.text.length / 2);
      expect(['error', 'warning', 'note']).toContain(rule.defaultConfiguration.level);
      expect(rule.help.text.length).toBeGreaterThan(0);
    }
    const byId = new Map(rules.map((r) => [r.id, r]));
    expect(byId.get('NPA-CNI-NOT-ENFORCED')!.properties['security-severity']).toBe('9.5');
    expect(byId.get('NPA-NODE-TRAFFIC')!.properties['security-severity']).toBeUndefined();
  });

  it('maps one finding to one result with level, message, region and a stable fingerprint', () => {
    const finding = demoFindings().find((f) => f.rule === 'pod-label-spoofable')!;
    const [result] = sarifLog([finding]).runs[0]!.results;
    expect(result).toMatchObject({
      ruleId: 'NPA-POD-LABEL-SPOOF',
      level: 'note',
      partialFingerprints: {
        'netpolAtlasFindingId/v1': 'NPA-POD-LABEL-SPOOF:default/demo-db/ingress[0].from[0]',
      },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'public/demo/policies.yaml' },
            region: { startLine: 17, startColumn: 13 },
          },
        },
      ],
    });
    expect(result!.message.text).toContain('app=demo');
    const region = result!.locations![0]!.physicalLocation.region!;
    expect(region.endLine * 1000 + region.endColumn).toBeGreaterThan(
      region.startLine * 1000 + region.startColumn,
    );
  });

  it.each([
    ['critical', 'error'],
    ['high', 'error'],
    ['medium', 'warning'],
    ['low', 'note'],
    ['info', 'note'],
  ] as const)('maps severity %s to level %s', (severity, level) => {
    expect(sarifLevel(severity)).toBe(level);
  });

  it.each([
    ['public/demo/policies.yaml', 'public/demo/policies.yaml'],
    ['dir with space/a#b.yaml', 'dir%20with%20space/a%23b.yaml'],
    ['/tmp/x/policies.yaml', 'file:///tmp/x/policies.yaml'],
    ['C:\\work\\np.yaml', 'file:///C:/work/np.yaml'],
    ['<stdin>', '%3Cstdin%3E'],
  ])('writes %s as the URI %s', (path, uri) => {
    expect(artifactUri(path)).toBe(uri);
  });

  it('is caught by the validator when broken (the validator can fail)', () => {
    const log = JSON.parse(formatSarif(demoFindings())) as Record<string, unknown> & SarifLog;
    const result = log.runs[0]!.results[0]! as unknown as Record<string, unknown>;
    result.level = 'fatal';
    result.severity = 'high';
    delete (result as { message?: unknown }).message;
    const region = (log.runs[0]!.results[1]!.locations![0]!.physicalLocation.region ?? {}) as Record<
      string,
      number
    >;
    region.startLine = 0;
    expect(validateSarif(log)).toEqual([
      "$.runs[0].results[0]: must have required property 'message'",
      '$.runs[0].results[0]: must NOT have additional properties "severity"',
      '$.runs[0].results[0].level: must be equal to one of the allowed values',
      '$.runs[0].results[1].locations[0].physicalLocation.region.startLine: must be >= 1',
    ]);
  });

  it('is caught by the validator when a rule index or a region contradicts itself', () => {
    const log = JSON.parse(formatSarif(demoFindings())) as SarifLog;
    const [first, second] = log.runs[0]!.results;
    const rules = log.runs[0]!.tool.driver.rules;
    const other = rules.findIndex((r) => r.id !== first!.ruleId);
    (first as { ruleIndex?: number }).ruleIndex = other;
    const region = second!.locations![0]!.physicalLocation.region!;
    region.endLine = region.startLine - 1;
    expect(validateSarif(log)).toEqual([
      '$.runs[0].results[0].ruleIndex: must point at the rule named by ruleId',
      '$.runs[0].results[1].locations[0].physicalLocation.region: endLine before startLine',
    ]);
  });
});
