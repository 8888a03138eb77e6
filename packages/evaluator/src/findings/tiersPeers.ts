// Peers of cluster policies that do not mean what they seem to: `networks` that also match pods,
// namespace labels that namespace editors can set, and domain names that depend on the plugin.

import type { LabelSelector, PathSegment } from '@netpol-atlas/manifests';
import { IPV4_ALL } from '@netpol-atlas/manifests';
import { subtractIntervals } from '../intervals.ts';
import type { CniProfile, CompiledClusterPolicy, CompiledTierPeer, CompiledTierRule } from '../model.ts';
import { NAMESPACE_NAME_LABEL } from '../model.ts';
import { admitsAllNamespaces } from '../representativePeer.ts';
import { compileSelector } from '../selectors.ts';
import {
  describeSelector,
  type FindingContext,
  listText,
  makeFinding,
  namespacesMatching,
  pinnedNamespaceNames,
} from './context.ts';
import {
  enforcedTierPolicies,
  specPeer,
  tierField,
  tierLocation,
  tierPeersField,
  tierPlace,
  tierRuleKey,
  tierRuleName,
  tierRulePath,
} from './tiersContext.ts';
import { precedes, subjectCovers } from './tiersOrder.ts';
import type { Finding, FindingSeverity } from './types.ts';

function allRules(policies: readonly CompiledClusterPolicy[]): CompiledTierRule[] {
  return policies.flatMap((p) => [...p.ingress, ...p.egress]);
}

/** True when the rule has a peer naming every pod of every namespace. */
function namesEveryPod(rule: CompiledTierRule): boolean {
  return rule.peers.some((peer) => {
    const spec = specPeer(rule, peer.index);
    if (spec?.pods) return admitsAllNamespaces(spec.pods.namespaceSelector, spec.pods.podSelector);
    return spec?.namespaces !== undefined && admitsAllNamespaces(spec.namespaces, undefined);
  });
}

/**
 * `networks` peers that match pod addresses: the whole address space (`0.0.0.0/0`, `::/0`), or a
 * range holding known pod IPs. Silent when the rule itself names every pod (matching pods is then
 * meant), or when an earlier rule on every port already decides all pod traffic (the spec's advice).
 */
export function networksCoverPodsFindings(ctx: FindingContext): Finding[] {
  const out: Finding[] = [];
  const policies = enforcedTierPolicies(ctx);
  const rules = allRules(policies);
  for (const rule of rules) {
    if (namesEveryPod(rule)) continue;
    const decidedFirst = rules.some(
      (e) =>
        e.direction === rule.direction &&
        !e.ports &&
        precedes(e, rule) &&
        subjectCovers(e.policy, rule.policy) &&
        namesEveryPod(e),
    );
    if (decidedFirst) continue;
    for (const peer of rule.peers) {
      if (peer.kind !== 'networks') continue;
      const finding = networksFinding(ctx, rule, peer);
      if (finding) out.push(finding);
    }
  }
  return out;
}

function networksFinding(
  ctx: FindingContext,
  rule: CompiledTierRule,
  peer: CompiledTierPeer,
): Finding | undefined {
  const whole4 = peer.ipv4 !== undefined && subtractIntervals(IPV4_ALL, peer.ipv4).length === 0;
  const whole6 = peer.cidrs.some((c) => /^::\/0$/.test(c.trim()));
  const pods = ctx.cluster.workloads.filter((w) => !w.hostNetwork && peer.members[w.index] === 1);
  if (!whole4 && !whole6 && pods.length === 0) return undefined;
  const admin = rule.policy.tier === 'Admin';
  const severity: FindingSeverity =
    !admin || rule.action === 'Pass' ? 'low' : rule.action === 'Deny' ? 'high' : 'medium';
  const whole = [whole4 ? '0.0.0.0/0' : '', whole6 ? '::/0' : ''].filter(Boolean).join(' and ');
  const reach = whole
    ? `${whole} is every ${whole4 && whole6 ? '' : whole4 ? 'IPv4 ' : 'IPv6 '}address, so the rule also matches traffic ${rule.direction === 'Egress' ? 'to' : 'from'} every pod of the cluster`
    : `the range holds the addresses of ${listText(pods.map((w) => w.id))}, so the rule also matches their traffic`;
  const effect = !admin
    ? `for pods no NetworkPolicy isolates for ${rule.direction}, this pod traffic is ${rule.action === 'Deny' ? 'denied' : 'accepted'} by default (NetworkPolicies still decide for the pods they isolate)`
    : rule.action === 'Deny'
      ? 'this pod traffic (cluster DNS included) is denied, whatever NetworkPolicies allow'
      : rule.action === 'Accept'
        ? 'this pod traffic is accepted above every NetworkPolicy, which can no longer restrict it'
        : 'this pod traffic is passed to NetworkPolicy, skipping the rest of the Admin tier';
  // The Baseline tier has no Pass: an Accept of every pod before the rule keeps the default for pods.
  const before = admin ? 'a Pass' : 'an Accept';
  const path: PathSegment[] = tierRulePath(rule, tierPeersField(rule.direction), peer.index, 'networks');
  return makeFinding('tier-networks-cover-pods', {
    key: `${tierRuleKey(rule)}.${tierPeersField(rule.direction)}[${peer.index}]`,
    severity,
    title: `${tierRuleName(rule)} (${rule.action}) on networks ${listText([...peer.cidrs], 3)} also matches pod traffic`,
    message: `networks peers are meant for destinations outside the cluster, but the API matches them against every address, pods included: ${reach}. As written, ${effect}. If only external traffic was meant, put a rule before it that decides pod traffic, e.g. ${before} to \`namespaces: {}\` in ${rule.policy.id} (${tierPlace(rule.policy)}).`,
    subjects: [rule.policy.id, ...pods.map((w) => w.id)],
    namespaces: pods.map((w) => w.namespace),
    locations: [tierLocation(rule.policy, path)],
  });
}

/** A namespace selector a cluster policy trusts, where it sits, and how much a forged label gains. */
interface TrustedSelector {
  policy: CompiledClusterPolicy;
  selector: LabelSelector;
  path: PathSegment[];
  place: string;
  severity: FindingSeverity;
  consequence: string;
}

function trustedSelectors(policy: CompiledClusterPolicy): TrustedSelector[] {
  const out: TrustedSelector[] = [];
  const subject = policy.object.spec.subject;
  const subjectSelector = subject.pods?.namespaceSelector ?? subject.namespaces;
  if (subjectSelector) {
    out.push({
      policy,
      selector: subjectSelector,
      path: ['spec', 'subject', ...(subject.pods ? ['pods', 'namespaceSelector'] : ['namespaces'])],
      place: `the subject of ${policy.id}`,
      severity: 'medium',
      consequence: `removes it from their namespace to leave this ${policy.tier} policy (escaping its Denies), or adds it to come under it (gaining its Accepts)`,
    });
  }
  for (const rule of [...policy.ingress, ...policy.egress]) {
    for (const peer of rule.peers) {
      const spec = specPeer(rule, peer.index);
      const selector = spec?.pods?.namespaceSelector ?? spec?.namespaces;
      if (!spec || !selector) continue;
      const ingress = rule.direction === 'Ingress';
      const gain =
        rule.action === 'Accept'
          ? ingress
            ? `adds it to their namespace and connects to the pods of ${policy.id}, above any NetworkPolicy`
            : `adds it to their namespace and receives traffic the pods of ${policy.id} send`
          : rule.action === 'Deny'
            ? `removes it from their namespace and escapes this Deny`
            : `adds or removes it to change which layer decides their traffic`;
      out.push({
        policy,
        selector,
        path: tierRulePath(
          rule,
          tierPeersField(rule.direction),
          peer.index,
          ...(spec.pods ? ['pods', 'namespaceSelector'] : ['namespaces']),
        ),
        place: `${tierRuleName(rule)} (${rule.action}) ${tierPeersField(rule.direction)}[${peer.index}]`,
        severity: rule.action === 'Accept' && ingress ? 'high' : rule.action === 'Pass' ? 'low' : 'medium',
        consequence: gain,
      });
    }
  }
  return out;
}

/**
 * Cluster policy selectors (subject or peers) that pick namespaces by labels other than
 * `kubernetes.io/metadata.name`, reported under the NetworkPolicy rule's name and code: whoever can
 * label a namespace can move it into or out of them. `{}` (every namespace) has nothing to forge.
 */
export function tierSpoofingFindings(ctx: FindingContext): Finding[] {
  const out: Finding[] = [];
  for (const policy of enforcedTierPolicies(ctx)) {
    for (const t of trustedSelectors(policy)) {
      const compiled = compileSelector(t.selector);
      if (compiled.matchesAll || pinnedNamespaceNames(t.selector) !== undefined) continue;
      const matching = namespacesMatching(ctx.cluster, compiled);
      const labels = describeSelector(compiled);
      out.push(
        makeFinding('namespace-label-spoofable', {
          key: `${policy.id}/${t.path.slice(1).join('.')}`,
          severity: t.severity,
          title: `${t.place} trusts namespace label(s) ${labels}, which namespace editors can set`,
          message: `${t.place} selects namespaces labelled ${labels} (today: ${listText(matching)}). Only \`${NAMESPACE_NAME_LABEL}\` is set by the API server from the namespace's name; other labels are ordinary metadata, so anyone allowed to label a namespace ${t.consequence}. Select the namespaces by name instead.`,
          subjects: [policy.id],
          namespaces: matching,
          locations: [tierLocation(policy, t.path)],
          ...(matching.length > 0
            ? {
                fix: {
                  description: `Select the namespaces by name: \`${NAMESPACE_NAME_LABEL} In (${matching.join(', ')})\`.`,
                  suggestion: {
                    kind: 'select-namespaces-by-name' as const,
                    policy: policy.id,
                    path: t.path,
                    namespaces: matching,
                  },
                },
              }
            : {}),
        }),
      );
    }
  }
  return out;
}

/**
 * What is known of each profile's support for `domainNames`. Only OVN-Kubernetes documents it
 * (for AdminNetworkPolicy, through its optional DNS name resolver); for the others this tool
 * does not know, and says so rather than guess.
 */
function domainSupport(cni: CniProfile, kind: CompiledClusterPolicy['kind']): string {
  if (kind === 'BaselineAdminNetworkPolicy') {
    return "BaselineAdminNetworkPolicy's CRD has no domainNames: the API server drops the field, and the peer matches nothing.";
  }
  if (cni === 'ovn-kubernetes' && kind === 'AdminNetworkPolicy') {
    return 'OVN-Kubernetes implements domainNames for AdminNetworkPolicy only with its DNS name resolver feature enabled.';
  }
  const who =
    cni === 'upstream'
      ? 'which network plugins implement them'
      : `whether ${cni} implements them for ${kind}`;
  return `The API marks domainNames experimental and their matching implementation-specific; ${who} is not known to this tool.`;
}

/**
 * Rules with `domainNames` peers: the analysis assumes the names are matched, which holds only
 * with the experimental CRD and a plugin that implements them. One finding per rule.
 */
export function domainNamesFindings(ctx: FindingContext): Finding[] {
  const out: Finding[] = [];
  for (const rule of allRules(enforcedTierPolicies(ctx))) {
    const peers = rule.peers.filter((p) => p.kind === 'domainNames');
    if (peers.length === 0) continue;
    const names = peers.flatMap((p) => p.domains);
    const field = tierField(rule.direction);
    out.push(
      makeFinding('tier-domain-names', {
        key: tierRuleKey(rule),
        title: `${tierRuleName(rule)} names domains (${listText(names, 3)}): enforced only where domainNames is implemented`,
        message: `${tierRuleName(rule)} ${rule.action === 'Accept' ? 'accepts' : 'matches'} ${field} traffic to ${listText(names)} by name. domainNames exists only in the experimental channel: with the standard CRD the API server prunes the field, the peer then matches nothing, and this traffic falls to the next rule (often a Deny). ${domainSupport(ctx.cni, rule.policy.kind)} The analysis shown assumes the names are matched. If unsure, use networks with the service's addresses.`,
        subjects: [rule.policy.id],
        namespaces: [],
        locations: peers.map((p) =>
          tierLocation(
            rule.policy,
            tierRulePath(rule, tierPeersField(rule.direction), p.index, 'domainNames'),
          ),
        ),
      }),
    );
  }
  return out;
}
