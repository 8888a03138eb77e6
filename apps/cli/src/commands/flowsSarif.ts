import type { FindingSeverity } from '@netpol-atlas/evaluator';
import type { EvaluatedFlow, FlowImpact, FlowReport } from '@netpol-atlas/flows';
import {
  artifactUri,
  type SarifLocation,
  type SarifLog,
  type SarifResult,
  type SarifRule,
  type SarifRun,
  sarifLevel,
} from '../format/sarif.ts';
import { ruleText } from './flowsFormat.ts';
import type { FlowInput } from './flowsInput.ts';

/** The observed-traffic rules, with the severity each result gets. */
const FLOW_RULES = {
  'NPA-FLOW-DENIED': {
    name: 'observed-flow-denied',
    severity: 'high',
    summary: 'Observed traffic that the policies deny',
    description:
      'A flow the recorder saw forwarded is denied by the policies: once they are enforced as written, this traffic breaks.',
    help: 'Allow the flow (the deciding rule is named), or confirm it must stop and tell its owners.',
  },
  'NPA-FLOW-DROPPED': {
    name: 'observed-flow-dropped',
    severity: 'medium',
    summary: 'Observed traffic that is being dropped',
    description:
      'A flow the recorder saw dropped, and the policies deny it: something keeps trying a connection it may not make.',
    help: 'If the traffic is wanted, allow it; if not, find out why the client keeps trying.',
  },
  'NPA-FLOW-NEWLY-DENIED': {
    name: 'observed-flow-newly-denied',
    severity: 'high',
    summary: 'This change denies observed traffic',
    description:
      'A flow observed in the cluster, which the current policies allow, is denied by the changed ones.',
    help: 'Keep the flow allowed in the change, or make sure breaking it is intended.',
  },
  'NPA-FLOW-UNOBSERVED': {
    name: 'allowed-unobserved',
    severity: 'info',
    summary: 'Allowed but never observed',
    description: 'A rule allows this connection, but no flow in the observed window used it.',
    help: 'A candidate to remove for least privilege: check a longer window before removing it.',
  },
} as const satisfies Record<
  string,
  { name: string; severity: FindingSeverity; summary: string; description: string; help: string }
>;

type FlowRuleCode = keyof typeof FLOW_RULES;
const CODES = Object.keys(FLOW_RULES) as FlowRuleCode[];

function sarifRules(): SarifRule[] {
  return CODES.map((code) => {
    const rule = FLOW_RULES[code];
    return {
      id: code,
      name: rule.name,
      shortDescription: { text: rule.summary },
      fullDescription: { text: rule.description },
      defaultConfiguration: { level: sarifLevel(rule.severity) },
      help: { text: rule.help, markdown: `${rule.description}\n\n**Fix:** ${rule.help}` },
      properties: { tags: ['kubernetes', 'networkpolicy', 'observed-traffic'], severity: rule.severity },
    };
  });
}

/** Where a flow result points: the rule that decided it when one did, else the flow's line in the flow file. */
function locations(flow: EvaluatedFlow, input: FlowInput): SarifLocation[] {
  const rule = flow.decision.rules.find((r) => r.action === 'deny' && r.file);
  if (rule?.file) {
    return [
      {
        physicalLocation: {
          artifactLocation: { uri: artifactUri(rule.file) },
          ...(rule.range
            ? {
                region: {
                  startLine: rule.range.start.line,
                  startColumn: rule.range.start.column,
                  endLine: rule.range.start.line,
                  endColumn: rule.range.start.column + 1,
                },
              }
            : {}),
        },
      },
    ];
  }
  return [
    {
      physicalLocation: {
        artifactLocation: { uri: artifactUri(input.path) },
        region: { startLine: flow.line, startColumn: 1, endLine: flow.line, endColumn: 2 },
      },
    },
  ];
}

function flowResult(code: FlowRuleCode, flow: EvaluatedFlow, input: FlowInput): SarifResult {
  const rule = FLOW_RULES[code];
  const denying = flow.decision.rules.filter((r) => r.action === 'deny').map(ruleText);
  const id = `${code}:${flow.key}`;
  return {
    ruleId: code,
    ruleIndex: CODES.indexOf(code),
    level: sarifLevel(rule.severity),
    message: {
      text: `${rule.summary}: ${flow.key} (${flow.count} observed, first at line ${flow.line}). ${denying.join('; ')}`,
    },
    locations: locations(flow, input),
    partialFingerprints: { 'netpolAtlasFindingId/v1': id },
    properties: {
      findingId: id,
      rule: rule.name,
      severity: rule.severity,
      subjects: [flow.srcPeer.id, flow.dstPeer.id],
      namespaces: [flow.srcPeer, flow.dstPeer].flatMap((p) => (p.type === 'workload' ? [p.namespace] : [])),
    },
  };
}

function run(results: SarifResult[]): SarifRun {
  return {
    tool: { driver: { name: 'netpol-atlas observed traffic', rules: sarifRules() } },
    columnKind: 'utf16CodeUnits',
    results,
  };
}

/** The SARIF run of a flow report: denied flows, and connections allowed but never observed. */
export function flowReportSarifRun(report: FlowReport, input: FlowInput): SarifRun {
  const results = report.flows
    .filter((f) => f.state === 'observed-denied')
    .map((f) =>
      flowResult(f.forwarded > 0 || f.dropped === 0 ? 'NPA-FLOW-DENIED' : 'NPA-FLOW-DROPPED', f, input),
    );
  for (const u of report.unobserved) {
    const id = `NPA-FLOW-UNOBSERVED:${u.src.id} -> ${u.dst.id}`;
    results.push({
      ruleId: 'NPA-FLOW-UNOBSERVED',
      ruleIndex: CODES.indexOf('NPA-FLOW-UNOBSERVED'),
      level: 'note',
      message: { text: `Allowed but never observed: ${u.src.id} => ${u.dst.id} : ${u.conn}` },
      partialFingerprints: { 'netpolAtlasFindingId/v1': id },
      properties: {
        findingId: id,
        rule: 'allowed-unobserved',
        severity: 'info',
        subjects: [u.src.id, u.dst.id],
        namespaces: [u.src, u.dst].flatMap((p) => (p.type === 'workload' ? [p.namespace] : [])),
      },
    });
  }
  return run(results);
}

/** The SARIF log of a change's impact on observed flows: one result per newly denied flow. */
export function flowImpactSarif(impact: FlowImpact, input: FlowInput): string {
  const log: SarifLog = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [run(impact.newlyDenied.map((f) => flowResult('NPA-FLOW-NEWLY-DENIED', f, input)))],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** Severity of a denied flow for lint's `--fail-on`: high when the recorder saw it forwarded. */
export function deniedSeverity(flow: EvaluatedFlow): FindingSeverity {
  return flow.forwarded > 0 || flow.dropped === 0 ? 'high' : 'medium';
}
