import type { Finding, FindingInstance, FindingSeverity } from '@netpol-atlas/evaluator';
import { FINDING_RULES, type FindingRuleInfo, findingRuleInfo } from '@netpol-atlas/evaluator';

/** The parts of SARIF 2.1.0 this renderer writes (a subset of the OASIS schema's object model). */
export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: SarifRun[];
}

export interface SarifRun {
  tool: { driver: SarifDriver };
  columnKind: 'utf16CodeUnits';
  results: SarifResult[];
}

export interface SarifDriver {
  name: string;
  informationUri?: string;
  semanticVersion?: string;
  rules: SarifRule[];
}

export type SarifLevel = 'error' | 'warning' | 'note' | 'none';

export interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  defaultConfiguration: { level: SarifLevel };
  help: { text: string; markdown: string };
  properties: { tags: string[]; 'security-severity'?: string; severity: FindingSeverity };
}

export interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export interface SarifLocation {
  physicalLocation: {
    artifactLocation: { uri: string };
    region?: SarifRegion;
  };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: { text: string };
  locations?: SarifLocation[];
  partialFingerprints: Record<string, string>;
  properties: {
    findingId: string;
    rule: string;
    severity: FindingSeverity;
    subjects: string[];
    namespaces: string[];
    fix?: Finding['fix'];
    /** The group the finding belongs to in the other reports (its id, title and size). */
    group?: { id: string; title: string; size: number };
  };
}

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** How SARIF consumers rank results: errors fail builds, notes only inform. */
export function sarifLevel(severity: FindingSeverity): SarifLevel {
  if (severity === 'critical' || severity === 'high') return 'error';
  return severity === 'medium' ? 'warning' : 'note';
}

/**
 * GitHub code scanning's `security-severity` scale (critical > 9, high 7-8.9, medium 4-6.9,
 * low below 4). Info rules get none, so they are not shown as security alerts.
 */
const SECURITY_SEVERITY: Partial<Record<FindingSeverity, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
};

/**
 * A file name as a SARIF `uri`: relative paths stay relative (CI uploads resolve them against the
 * checkout), absolute ones become `file://` URIs; separators are `/` and unsafe characters escaped.
 */
export function artifactUri(path: string): string {
  const slashed = path.replaceAll('\\', '/');
  const encode = (p: string) => p.split('/').map(encodeURIComponent).join('/');
  if (/^[A-Za-z]:\//.test(slashed)) return `file:///${slashed.slice(0, 2)}${encode(slashed.slice(2))}`;
  if (slashed.startsWith('/')) return `file://${encode(slashed)}`;
  return encode(slashed);
}

function sarifRule(info: FindingRuleInfo): SarifRule {
  const securitySeverity = SECURITY_SEVERITY[info.defaultSeverity];
  return {
    id: info.code,
    name: info.rule,
    shortDescription: { text: info.summary },
    fullDescription: { text: info.description },
    defaultConfiguration: { level: sarifLevel(info.defaultSeverity) },
    help: { text: info.help, markdown: `${info.description}\n\n**Fix:** ${info.help}` },
    properties: {
      tags: ['security', 'kubernetes', 'networkpolicy'],
      ...(securitySeverity ? { 'security-severity': securitySeverity } : {}),
      severity: info.defaultSeverity,
    },
  };
}

function sarifResult(
  finding: FindingInstance,
  ruleIndex: Map<string, number>,
  group: Finding | undefined,
): SarifResult {
  const info = findingRuleInfo(finding.rule);
  const locations = finding.locations.map(
    (l): SarifLocation => ({
      physicalLocation: {
        artifactLocation: { uri: artifactUri(l.file) },
        ...(l.range
          ? {
              region: {
                startLine: l.range.start.line,
                startColumn: l.range.start.column,
                endLine: l.range.end.line,
                // SARIF's endColumn is exclusive, as SourceRange's is; an empty range still needs one column.
                endColumn:
                  l.range.end.line === l.range.start.line && l.range.end.column <= l.range.start.column
                    ? l.range.start.column + 1
                    : l.range.end.column,
              },
            }
          : {}),
      },
    }),
  );
  return {
    ruleId: info.code,
    ruleIndex: ruleIndex.get(info.code)!,
    level: sarifLevel(finding.severity),
    message: {
      text: `${finding.title}. ${finding.message}${finding.fix ? ` Suggested fix: ${finding.fix.description}` : ''}`,
    },
    ...(locations.length > 0 ? { locations } : {}),
    partialFingerprints: { 'netpolAtlasFindingId/v1': finding.id },
    properties: {
      findingId: finding.id,
      rule: finding.rule,
      severity: finding.severity,
      subjects: finding.subjects,
      namespaces: finding.namespaces,
      ...(finding.fix ? { fix: finding.fix } : {}),
      ...(group ? { group: { id: group.id, title: group.title, size: group.instances?.length ?? 1 } } : {}),
    },
  };
}

/**
 * The findings as a SARIF 2.1.0 log object: one run, every rule of the catalog, one result per
 * finding instance. A group becomes its instances (each names its group in `properties.group`):
 * a SARIF result has one rule, while a namespace's group mixes rules; code scanning tracks and
 * dismisses alerts per location; and each instance keeps its own stable fingerprint.
 */
export function sarifLog(findings: readonly Finding[], options: { version?: string } = {}): SarifLog {
  const ruleIndex = new Map(FINDING_RULES.map((r, i) => [r.code, i]));
  return {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'netpol-atlas',
            ...(options.version ? { semanticVersion: options.version } : {}),
            rules: FINDING_RULES.map(sarifRule),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: findings.flatMap((f) =>
          f.instances
            ? f.instances.map((i) => sarifResult(i, ruleIndex, f))
            : [sarifResult(f, ruleIndex, undefined)],
        ),
      },
    ],
  };
}

/** The findings as SARIF 2.1.0 JSON text, for `netpol lint -o sarif` and code-scanning uploads. */
export function formatSarif(findings: readonly Finding[], options: { version?: string } = {}): string {
  return `${JSON.stringify(sarifLog(findings, options), null, 2)}\n`;
}
