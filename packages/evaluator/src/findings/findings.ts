import type { Cluster } from '../model.ts';
import { andOrFindings } from './andOr.ts';
import { breadthFindings } from './breadth.ts';
import { FINDING_RULES, severityRank } from './catalog.ts';
import { cniFindings } from './cni.ts';
import { combinedFindings } from './combined.ts';
import { compareRanges, findingContext, groupKeyOf } from './context.ts';
import { declaredPortFindings } from './declaredPorts.ts';
import { dnsFindings } from './dns.ts';
import { groupFindings } from './grouping.ts';
import { ineffectiveFindings } from './ineffective.ts';
import { isolationFindings } from './isolation.ts';
import { negativeSelectorFindings } from './negativeSelectors.ts';
import { oneSidedFindings } from './oneSided.ts';
import { specFindings } from './specChecks.ts';
import { spoofingFindings } from './spoofing.ts';
import { tierFindings } from './tiersFindings.ts';
import type { Finding, FindingsOptions } from './types.ts';

const RULE_ORDER = new Map(FINDING_RULES.map((r, i) => [r.rule, i]));

/**
 * Reviews a compiled cluster and returns every finding, most severe first (then by rule, file and
 * position). Pure and deterministic: the same input gives the same findings with the same ids.
 * Findings that say the same thing in many places come as one group, with each place in
 * `instances` (see `groupFindings`); rule modules opt in by giving their findings a group key.
 *
 * @param cluster the compiled cluster from `buildCluster`
 * @param options the CNI (defaults to the cluster's), the parser's unanalysed objects (for
 *   CNI-specific policy kinds), the parsed objects (for node IPs) and diagnostics (fatal ones
 *   become `invalid-manifest` findings)
 */
export function findings(cluster: Cluster, options: FindingsOptions = {}): Finding[] {
  const ctx = findingContext(cluster, options);
  const andOr = andOrFindings(ctx);
  const all = [
    ...cniFindings(ctx),
    ...specFindings(ctx),
    ...isolationFindings(ctx),
    ...dnsFindings(ctx),
    ...breadthFindings(ctx),
    ...spoofingFindings(ctx, andOr.explained),
    ...andOr.findings,
    ...negativeSelectorFindings(ctx),
    ...oneSidedFindings(ctx),
    ...combinedFindings(ctx),
    ...declaredPortFindings(ctx),
    ...ineffectiveFindings(ctx, andOr.explained),
    ...tierFindings(ctx),
  ];
  const keys = all.map(groupKeyOf);
  return groupFindings(ctx, dedupeIds(all), keys, compareFindings);
}

/** Most severe first, then catalog order, then file and position, then id. */
function compareFindings(a: Finding, b: Finding): number {
  const la = a.locations[0];
  const lb = b.locations[0];
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    (RULE_ORDER.get(a.rule) ?? 0) - (RULE_ORDER.get(b.rule) ?? 0) ||
    (la?.file ?? '').localeCompare(lb?.file ?? '') ||
    compareRanges(la?.range, lb?.range) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** Ids must be unique for SARIF fingerprints and UI keys; a repeat gets `#2`, `#3`... in input order. */
function dedupeIds(list: Finding[]): Finding[] {
  const seen = new Map<string, number>();
  return list.map((f) => {
    const n = (seen.get(f.id) ?? 0) + 1;
    seen.set(f.id, n);
    return n === 1 ? f : { ...f, id: `${f.id}#${n}` };
  });
}
