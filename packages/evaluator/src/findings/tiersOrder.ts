// Order within a tier: policies tied at one priority with conflicting rules (the order between
// them is implementation-defined), and rules that an earlier rule always decides first.

import type { ClusterPolicyPeer, LabelSelector } from '@netpol-atlas/manifests';
import { intersectConnections, isEmptyConnections, subtractConnections } from '../connectionSet.ts';
import { domainCovers } from '../domains.ts';
import { subtractIntervals } from '../intervals.ts';
import type { CompiledClusterPolicy, CompiledTierPeer, CompiledTierRule, Direction } from '../model.ts';
import { selectorRequirements } from '../representativePeer.ts';
import { rulePorts } from '../rulePorts.ts';
import { rulesOverlap } from '../tiers.ts';
import { type FindingContext, listText, makeFinding } from './context.ts';
import {
  actionVerb,
  connText,
  enforcedTierPolicies,
  flowText,
  ruleWorkloads,
  specPeer,
  tierField,
  tierLocation,
  tierPlace,
  tierRuleKey,
  tierRuleName,
  tierRulePath,
} from './tiersContext.ts';
import type { Finding } from './types.ts';

const DIRECTIONS: readonly Direction[] = ['Ingress', 'Egress'];
const MAX_PRIORITY = 1000;

/**
 * Same-tier, same-priority policies (the build's `priorityTies`) whose rules overlap with
 * different actions on common pods: one finding per pair, naming the two rules, an example of the
 * traffic they disagree on, and which one this analysis applies.
 */
export function priorityTieFindings(ctx: FindingContext): Finding[] {
  const out: Finding[] = [];
  const policies = enforcedTierPolicies(ctx);
  const byId = new Map(policies.map((p) => [p.id, p]));
  policies.forEach((a, i) => {
    for (const b of policies.slice(i + 1)) {
      if (!(ctx.cluster.priorityTies.get(a.id) ?? []).includes(b.id) || !byId.has(b.id)) continue;
      const conflict = conflictingRules(a, b);
      if (!conflict) continue;
      out.push(tieFinding(ctx, a, b, conflict.first, conflict.second));
    }
  });
  return out;
}

function conflictingRules(
  a: CompiledClusterPolicy,
  b: CompiledClusterPolicy,
): { first: CompiledTierRule; second: CompiledTierRule } | undefined {
  for (const d of DIRECTIONS) {
    const field = tierField(d);
    for (const first of a[field]) {
      const second = b[field].find((r) => r.action !== first.action && rulesOverlap(first, r));
      if (second) return { first, second };
    }
  }
  return undefined;
}

function tieFinding(
  ctx: FindingContext,
  a: CompiledClusterPolicy,
  b: CompiledClusterPolicy,
  first: CompiledTierRule,
  second: CompiledTierRule,
): Finding {
  const { cluster } = ctx;
  const inB = new Set(b.selected);
  const common = a.selected.filter((w) => inB.has(w)).map((w) => cluster.workloads[w]!);
  const others = ruleWorkloads(cluster, first).filter((w) => second.peers.some((p) => p.members[w.index]));
  // One concrete connection both rules match, when pods on both ends make one.
  let example = '';
  const subject = common[0];
  const other = others[0];
  if (subject && other) {
    const dst = first.direction === 'Ingress' ? subject : other;
    const both = intersectConnections(rulePorts(first, dst), rulePorts(second, dst));
    if (!isEmptyConnections(both))
      example = ` (e.g. ${flowText(first.direction, subject, other)} on ${connText(both)})`;
  }
  const raise = b.priority < MAX_PRIORITY;
  const moved = raise ? b : a;
  const priority = raise ? b.priority + 1 : a.priority - 1;
  return makeFinding('tier-priority-tie', {
    key: `${a.id}+${b.id}`,
    title: `${a.id} and ${b.id} share priority ${a.priority} in the ${a.tier} tier with conflicting rules`,
    message: `${tierRuleName(first)} ${actionVerb(first.action)} and ${tierRuleName(second)} ${actionVerb(second.action)} the same traffic${example} for the pods both policies select (${listText(common.map((w) => w.id))}). Both policies have priority ${a.priority}, and the API leaves the order of equal priorities to the implementation: this traffic may be ${pastTense(first.action)} on one cluster and ${pastTense(second.action)} on another, or after an upgrade. This analysis applies ${a.id} first, so it is ${pastTense(first.action)} here. Give the policy that must lose a higher priority value.`,
    subjects: [a.id, b.id, ...common.map((w) => w.id)],
    namespaces: common.map((w) => w.namespace),
    locations: [tierLocation(b, ['spec', 'priority']), tierLocation(a, ['spec', 'priority'])],
    fix: {
      description: `Set the priority of ${moved.id} to ${priority}, which keeps the order this analysis assumes (${a.id} first).`,
      suggestion: { kind: 'set-cluster-policy-priority', policy: moved.id, priority },
    },
  });
}

function pastTense(action: CompiledTierRule['action']): string {
  return action === 'Accept' ? 'accepted' : action === 'Deny' ? 'denied' : 'passed to NetworkPolicy';
}

/** True when `outer` matches every object `inner` matches (its requirements are a subset); absent: everything. */
function selectorContains(outer: LabelSelector | undefined, inner: LabelSelector | undefined): boolean {
  const have = new Set(selectorRequirements(inner));
  return selectorRequirements(outer).every((r) => have.has(r));
}

/** Namespace and pod selectors of a pod-naming peer (`namespaces`: every pod of the namespaces). */
function podSelectors(
  peer: ClusterPolicyPeer,
): { namespaces: LabelSelector; pods: LabelSelector | undefined } | undefined {
  if (peer.pods) return { namespaces: peer.pods.namespaceSelector, pods: peer.pods.podSelector };
  if (peer.namespaces) return { namespaces: peer.namespaces, pods: undefined };
  return undefined;
}

/** True when `outer` names every pod `inner` names, by selectors: future pods included. */
function podsContain(outer: ClusterPolicyPeer, inner: ClusterPolicyPeer): boolean {
  const o = podSelectors(outer);
  const i = podSelectors(inner);
  if (!o || !i) return false;
  return (
    selectorContains(o.namespaces, i.namespaces) &&
    (o.pods === undefined || (i.pods !== undefined && selectorContains(o.pods, i.pods)))
  );
}

/** True when an earlier rule's peer matches everything a later rule's peer matches. */
function peerCovers(
  earlier: CompiledTierRule,
  outer: CompiledTierPeer,
  later: CompiledTierRule,
  inner: CompiledTierPeer,
): boolean {
  // Unknown peers fail closed: everything in a Deny or Pass rule, nothing in an Accept rule.
  if (outer.kind === 'unknown') return earlier.action !== 'Accept';
  if (inner.kind === 'unknown') return later.action === 'Accept';
  const o = specPeer(earlier, outer.index);
  const i = specPeer(later, inner.index);
  if (!o || !i) return false;
  if (podSelectors(i)) return podsContain(o, i);
  if (inner.kind === 'networks' && outer.kind === 'networks') {
    // IPv6 CIDRs are not modelled: only an identical list is known to cover them.
    const sameV6 = i.networks?.every((c) => !c.includes(':') || o.networks?.includes(c)) ?? false;
    return sameV6 && subtractIntervals(inner.ipv4 ?? [], outer.ipv4 ?? []).length === 0;
  }
  if (inner.kind === 'nodes' && outer.kind === 'nodes') return selectorContains(o.nodes, i.nodes);
  if (inner.kind === 'domainNames' && outer.kind === 'domainNames') {
    return inner.domains.every((d) => outer.domains.some((pattern) => domainCovers(pattern, d)));
  }
  return false;
}

/** True when an earlier rule's ports include every port a later rule names. */
function portsCover(earlier: CompiledTierRule, later: CompiledTierRule): boolean {
  if (!earlier.ports) return true;
  if (!later.ports) return false;
  const names = new Set(earlier.ports.filter((p) => p.kind === 'named').map((p) => p.name));
  if (later.ports.some((p) => p.kind === 'named' && !names.has(p.name))) return false;
  const numbered = { ports: later.ports.filter((p) => p.kind !== 'named') };
  return isEmptyConnections(
    subtractConnections(rulePorts(numbered, undefined), rulePorts(earlier, undefined)),
  );
}

/** True when the earlier rule's policy applies to every pod the later one's does, now and later. */
export function subjectCovers(earlier: CompiledClusterPolicy, later: CompiledClusterPolicy): boolean {
  if (earlier === later) return true;
  const selected = new Set(earlier.selected);
  if (!later.selected.every((w) => selected.has(w))) return false;
  return podsContain(earlier.object.spec.subject, later.object.spec.subject);
}

/** Whether `earlier` is evaluated before `later` for every pod both select (ties are not an order). */
export function precedes(earlier: CompiledTierRule, later: CompiledTierRule): boolean {
  if (earlier.policy === later.policy) return earlier.index < later.index;
  return earlier.policy.tier === later.policy.tier && earlier.policy.priority < later.policy.priority;
}

/** The first earlier rule that decides every connection `rule` matches, for every pod it applies to. */
function decidedFirstBy(
  rule: CompiledTierRule,
  policies: readonly CompiledClusterPolicy[],
): CompiledTierRule | undefined {
  if (rule.policy.selected.length === 0 || rule.peers.length === 0) return undefined;
  for (const policy of policies) {
    if (policy.tier !== rule.policy.tier || !subjectCovers(policy, rule.policy)) continue;
    for (const earlier of policy[tierField(rule.direction)]) {
      if (!precedes(earlier, rule)) continue;
      const covered = rule.peers.every((inner) =>
        earlier.peers.some((outer) => peerCovers(earlier, outer, rule, inner)),
      );
      if (covered && portsCover(earlier, rule)) return earlier;
    }
  }
  return undefined;
}

/**
 * Rules of either tier that never apply: an earlier rule (same policy earlier in the list, or a
 * policy with a lower priority value that applies to every pod this one does) matches every
 * connection they match, judged by selectors so that pods created later count too. A dead rule
 * with another action than the one deciding is a misread intent (medium); the same action, mere
 * redundancy (low). `explained` holds `rule id>earlier rule id` pairs another finding reports.
 */
export function shadowedTierRuleFindings(ctx: FindingContext, explained: ReadonlySet<string>): Finding[] {
  const out: Finding[] = [];
  const policies = enforcedTierPolicies(ctx);
  for (const policy of policies) {
    for (const rule of [...policy.ingress, ...policy.egress]) {
      const earlier = decidedFirstBy(rule, policies);
      // A Deny that a Pass re-opens is reported once, as such.
      if (!earlier || explained.has(`${rule.id}>${earlier.id}`)) continue;
      const same = earlier.action === rule.action;
      const where = earlier.policy === rule.policy ? 'earlier in the same policy' : tierPlace(earlier.policy);
      const consequence = same
        ? `Deleting it changes nothing; keeping it misleads whoever edits ${tierRuleName(earlier)} later.`
        : `Traffic this rule is written to ${rule.action === 'Pass' ? 'pass on' : rule.action.toLowerCase()} is ${pastTense(earlier.action)} instead: its intent does not hold.`;
      out.push(
        makeFinding('tier-shadowed-rule', {
          key: tierRuleKey(rule),
          severity: same ? 'low' : 'medium',
          title: `${tierRuleName(rule)} never applies: ${tierRuleName(earlier)} decides its traffic first`,
          message: `${tierRuleName(rule)} (${rule.action}) matches only traffic that ${tierRuleName(earlier)} (${earlier.action}, ${where}) already matches, for every pod both apply to: the first matching rule decides, so this one never does. ${consequence} Delete it, or move it before ${tierRuleName(earlier)}.`,
          subjects: [rule.policy.id, earlier.policy.id],
          namespaces: [],
          locations: [
            tierLocation(rule.policy, tierRulePath(rule)),
            tierLocation(earlier.policy, tierRulePath(earlier)),
          ],
          fix: {
            description: `Delete ${tierRuleName(rule)}${same ? '' : `, or move it before ${tierRuleName(earlier)} if its ${rule.action} must win`}.`,
            suggestion: {
              kind: 'remove-cluster-policy-rule',
              policy: rule.policy.id,
              direction: rule.direction,
              rule: rule.index,
              decidedBy: tierRuleName(earlier),
            },
          },
        }),
      );
    }
  }
  return out;
}
