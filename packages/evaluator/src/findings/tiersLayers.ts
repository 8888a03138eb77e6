// Between the layers: what an Admin Pass hands to NetworkPolicy (re-opened there, or allowed by
// default when nothing below decides), and Baseline Accepts that NetworkPolicy isolation voids.
// Each verdict comes from replaying the side through its layers, as analyze does.

import {
  type ConnectionSet,
  intersectConnections,
  isEmptyConnections,
  subtractConnections,
} from '../connectionSet.ts';
import { tierRuleSelects } from '../explainTiers.ts';
import type { CompiledPolicy, CompiledTierRule, Direction, WorkloadPeer } from '../model.ts';
import { rulePorts } from '../rulePorts.ts';
import { type FindingContext, listText, MAX_LISTED, makeFinding, policyNameLocation } from './context.ts';
import {
  connText,
  enforcedTierPolicies,
  flowText,
  isolatingPolicies,
  replaySide,
  ruleWorkloads,
  sideTiers,
  tierLocation,
  tierPeersField,
  tierPlace,
  tierRuleKey,
  tierRuleName,
  tierRulePath,
} from './tiersContext.ts';
import { groupPairs, type PairGroup, pairGroups } from './tiersPairs.ts';
import type { Finding } from './types.ts';

/** Flows kept per finding (a finding lists a few and counts pods; past this, counts are partial). */
const MAX_FLOWS = 10_000;

/** One connection (one side of it) that a finding is about. */
interface Flow {
  subject: WorkloadPeer;
  other: WorkloadPeer;
  conn: ConnectionSet;
  policies: readonly CompiledPolicy[];
}

function flowLines(direction: Direction, flows: readonly Flow[]): string {
  return listText(
    flows.map((f) => `${flowText(direction, f.subject, f.other)} on ${connText(f.conn)}`),
    4,
  );
}

/** Adds a flow for every pair of a group, the verdict of its representative pair applying to all. */
function addFlows(
  flows: Flow[],
  group: PairGroup,
  conn: ConnectionSet,
  policies: readonly CompiledPolicy[],
): void {
  for (const [subject, other] of groupPairs(group)) {
    if (flows.length >= MAX_FLOWS) return;
    flows.push({ subject, other, conn, policies });
  }
}

/**
 * The API's own advice for `networks` rules: a Pass of every pod before them keeps pod traffic out
 * of the address rule. Such a Pass means "not this policy's business", so its default allow is meant.
 */
function exemptsPodsFromNetworks(pass: CompiledTierRule): boolean {
  const later = pass.policy[pass.direction === 'Ingress' ? 'ingress' : 'egress'].slice(pass.index + 1);
  return (
    !pass.ports &&
    pass.peers.some((p) => p.kind === 'namespaces' && p.namespaceSelector?.matchesAll === true) &&
    later.some((r) => r.peers.some((p) => p.kind === 'networks'))
  );
}

function adminRules(ctx: FindingContext, action: CompiledTierRule['action']): CompiledTierRule[] {
  return enforcedTierPolicies(ctx)
    .filter((p) => p.tier === 'Admin')
    .flatMap((p) => [...p.ingress, ...p.egress])
    .filter((r) => r.action === action);
}

/**
 * Admin Pass rules that let NetworkPolicy allow traffic a later Admin Deny (same side, later in
 * the tier) matches: the Deny never sees what the Pass matched first. One finding per Pass and
 * Deny, with the connections re-opened and the NetworkPolicies that re-open them.
 */
export function passReopensFindings(ctx: FindingContext): {
  findings: Finding[];
  /** `Deny rule id>Pass rule id` pairs reported: a Deny shadowed by that Pass is explained here. */
  explained: Set<string>;
} {
  const out: Finding[] = [];
  const explained = new Set<string>();
  for (const pass of adminRules(ctx, 'Pass')) {
    const byDeny = new Map<CompiledTierRule, Flow[]>();
    for (const group of pairGroups(ctx, pass)) {
      const { subject, other } = group;
      const replay = replaySide(ctx, pass.direction, subject, other);
      if (replay.isolating.length === 0) continue;
      const passed = replay.trace.steps.find((s) => s.rule === pass)?.conn;
      if (!passed) continue;
      const admin = sideTiers(ctx.cluster, pass.direction, subject).admin;
      const dst = pass.direction === 'Ingress' ? subject : other;
      for (const deny of admin.slice(admin.indexOf(pass) + 1)) {
        if (deny.action !== 'Deny' || !tierRuleSelects(deny, other)) continue;
        const reopened = intersectConnections(
          intersectConnections(passed, rulePorts(deny, dst)),
          replay.allowed,
        );
        if (isEmptyConnections(reopened)) continue;
        const list = byDeny.get(deny) ?? [];
        addFlows(list, group, reopened, replay.isolating);
        byDeny.set(deny, list);
      }
    }
    for (const [deny, flows] of byDeny) {
      out.push(reopenFinding(pass, deny, flows));
      explained.add(`${deny.id}>${pass.id}`);
    }
  }
  return { findings: out, explained };
}

function reopenFinding(pass: CompiledTierRule, deny: CompiledTierRule, flows: Flow[]): Finding {
  const policies = [...new Set(flows.flatMap((f) => f.policies))];
  return makeFinding('tier-pass-reopens', {
    key: `${tierRuleKey(pass)}>${tierRuleKey(deny)}`,
    title: `${tierRuleName(pass)} (Pass) lets NetworkPolicy allow what ${tierRuleName(deny)} denies`,
    message: `${tierRuleName(deny)} (Deny, ${tierPlace(deny.policy)}) is meant to block this traffic, but ${tierRuleName(pass)} (Pass, ${tierPlace(pass.policy)}) comes first and hands it to the NetworkPolicy layer, skipping the rest of the Admin tier. ${listText(policies.map((p) => p.id))} ${policies.length === 1 ? 'allows' : 'allow'} it there, so these connections go through: ${flowLines(pass.direction, flows)}. Narrow the Pass so that it does not match what the Deny must block, or give the Deny a lower priority value than the Pass.`,
    subjects: [
      pass.policy.id,
      deny.policy.id,
      ...policies.map((p) => p.id),
      ...flows.map((f) => f.subject.id),
    ],
    namespaces: flows.map((f) => f.subject.namespace),
    locations: [
      tierLocation(pass.policy, tierRulePath(pass)),
      tierLocation(deny.policy, tierRulePath(deny)),
      ...policies.map(policyNameLocation),
    ],
  });
}

/**
 * Admin Pass rules applying to pods that nothing below decides for: no NetworkPolicy isolates
 * them in that direction and no Baseline rule applies to them, so what the Pass matches is allowed
 * by default. One finding per Pass, listing those pods; pods some layer below covers are fine.
 */
export function passDefaultAllowFindings(ctx: FindingContext): Finding[] {
  const out: Finding[] = [];
  for (const pass of adminRules(ctx, 'Pass')) {
    if (exemptsPodsFromNetworks(pass)) continue;
    // Pods for which this Pass hands something over today (a shadowed Pass hands nothing).
    const handed = new Set<WorkloadPeer>();
    for (const group of pairGroups(ctx, pass)) {
      const { subject, other } = group;
      if (isolatingPolicies(ctx, pass.direction, subject).length > 0) continue;
      if (sideTiers(ctx.cluster, pass.direction, subject).baseline.length > 0) continue;
      const replay = replaySide(ctx, pass.direction, subject, other);
      if (!replay.trace.steps.some((s) => s.rule === pass)) continue;
      for (const [s] of groupPairs(group)) handed.add(s);
    }
    const bare = [...handed];
    if (bare.length === 0) continue;
    const all = bare.length === pass.policy.selected.length;
    const namespaces = [...new Set(bare.map((w) => w.namespace))].sort();
    const direction = pass.direction;
    const peers = ruleWorkloads(ctx.cluster, pass).slice(0, MAX_LISTED);
    const what = direction === 'Ingress' ? 'from' : 'to';
    out.push(
      makeFinding('tier-pass-default-allow', {
        key: tierRuleKey(pass),
        title: `${tierRuleName(pass)} passes ${direction.toLowerCase()} of ${all ? 'its pods' : `${bare.length} pod(s)`} with nothing below to decide: allowed by default`,
        message: `${tierRuleName(pass)} hands ${direction.toLowerCase()} traffic ${what} ${peers.length > 0 ? listText(peers.map((w) => w.id)) : `the peers in its ${tierPeersField(direction)}`} to the layers below, but no NetworkPolicy isolates ${listText(bare.map((w) => w.id))} for ${direction} and no Baseline rule applies to ${bare.length === 1 ? 'it' : 'them'}: nothing decides, so this traffic is allowed by default, as if the rule said Accept. If namespaces were meant to decide, add a default-deny ${direction} NetworkPolicy in ${listText(namespaces)} (or a Baseline Deny); if allowing was meant, write Accept.`,
        subjects: [pass.policy.id, ...bare.map((w) => w.id)],
        namespaces,
        locations: [tierLocation(pass.policy, tierRulePath(pass, 'action'))],
        fix: {
          description: `Add a default-deny ${direction} NetworkPolicy to namespace ${namespaces[0]}, then allow what its pods need.`,
          suggestion:
            direction === 'Ingress'
              ? { kind: 'preset-default-deny-ingress', namespace: namespaces[0]! }
              : { kind: 'preset-default-deny-egress', namespace: namespaces[0]! },
        },
      }),
    );
  }
  return out;
}

/**
 * Baseline Accept rules that NetworkPolicy isolation voids for some pods: the platform's default
 * (monitoring, DNS...) no longer applies once a NetworkPolicy selects a pod in that direction, and
 * the connections it accepted are denied unless the NetworkPolicy also allows them. (A Baseline
 * Deny that NetworkPolicy overrides is the tier working as designed, and is not reported.)
 */
export function baselineOverriddenFindings(ctx: FindingContext): Finding[] {
  const out: Finding[] = [];
  const rules = enforcedTierPolicies(ctx)
    .filter((p) => p.tier === 'Baseline')
    .flatMap((p) => [...p.ingress, ...p.egress])
    .filter((r) => r.action === 'Accept');
  for (const rule of rules) {
    const flows: Flow[] = [];
    for (const group of pairGroups(ctx, rule)) {
      const { subject, other } = group;
      const isolating = isolatingPolicies(ctx, rule.direction, subject);
      if (isolating.length === 0) continue;
      // What this rule would accept if no NetworkPolicy isolated the pod, against what goes through.
      const unisolated = replaySide(ctx, rule.direction, subject, other, false);
      const meant = unisolated.trace.steps.find((s) => s.rule === rule)?.conn;
      if (!meant) continue;
      const actual = replaySide(ctx, rule.direction, subject, other);
      const lost = subtractConnections(meant, actual.allowed);
      if (!isEmptyConnections(lost)) addFlows(flows, group, lost, isolating);
    }
    if (flows.length > 0) out.push(baselineFinding(rule, flows));
  }
  return out;
}

function baselineFinding(rule: CompiledTierRule, flows: Flow[]): Finding {
  const policies = [...new Set(flows.flatMap((f) => f.policies))];
  const subjects = [...new Set(flows.map((f) => f.subject))];
  const direction = rule.direction;
  return makeFinding('tier-baseline-overridden', {
    key: tierRuleKey(rule),
    title: `${tierRuleName(rule)} (Baseline Accept) does not apply to ${subjects.length} pod(s) that NetworkPolicy isolates`,
    message: `${tierRuleName(rule)} accepts this traffic as a cluster-wide default, but ${listText(policies.map((p) => p.id))} ${policies.length === 1 ? 'isolates' : 'isolate'} ${listText(subjects.map((w) => w.id))} for ${direction}, and an isolating NetworkPolicy decides everything that reaches it: the Baseline tier is never consulted for ${subjects.length === 1 ? 'that pod' : 'those pods'}, and these connections are denied: ${flowLines(direction, flows)}. Allow them in the NetworkPolicy too, or make the rule an Admin Accept if it must hold whatever namespaces write.`,
    subjects: [rule.policy.id, ...policies.map((p) => p.id), ...subjects.map((w) => w.id)],
    namespaces: subjects.map((w) => w.namespace),
    locations: [tierLocation(rule.policy, tierRulePath(rule)), ...policies.map(policyNameLocation)],
  });
}
