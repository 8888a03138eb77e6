import type { CompiledPeer, CompiledRule } from '../model.ts';
import { NAMESPACE_NAME_LABEL } from '../model.ts';
import { peerKey } from './andOr.ts';
import {
  allRules,
  describePorts,
  describeSelector,
  type FindingContext,
  listText,
  makeFinding,
  namespacesMatching,
  peerName,
  peerPath,
  pinnedNamespaceNames,
  policyLocation,
  rawPeer,
  ruleKey,
} from './context.ts';
import type { Finding, FindingSeverity } from './types.ts';

/**
 * Label spoofing, the attack the notes describe: selectors that trust labels someone other than
 * the policy's author can set. Namespace labels other than `kubernetes.io/metadata.name` (which
 * the API server sets from the name) can be edited by anyone allowed to edit the namespace; pod
 * labels by anyone allowed to create pods in it.
 */
export function spoofingFindings(ctx: FindingContext, explainedPeers: ReadonlySet<string>): Finding[] {
  const out: Finding[] = [];
  for (const rule of allRules(ctx.cluster)) {
    for (const peer of rule.peers ?? []) {
      if (peer.kind !== 'selector') continue;
      const raw = rawPeer(rule, peer.index);
      const nsSelector = peer.namespaceSelector;
      // `namespaceSelector: {}` is reported as all-namespaces: nothing to spoof there.
      if (nsSelector && !nsSelector.matchesAll && raw?.namespaceSelector) {
        if (pinnedNamespaceNames(raw.namespaceSelector) === undefined) {
          out.push(namespaceSpoofFinding(ctx, rule, peer));
          continue;
        }
      }
      // A peer the AND/OR trap explains is a mistake, reported as such; its spoofability is moot.
      if (explainedPeers.has(peerKey(rule, peer))) continue;
      if (rule.direction === 'Ingress' && peer.podSelector && !peer.podSelector.matchesAll) {
        if (!nsSelector || (raw?.namespaceSelector && pinnedNamespaceNames(raw.namespaceSelector))) {
          out.push(podSpoofFinding(ctx, rule, peer));
        }
      }
    }
  }
  return out;
}

function namespaceSpoofFinding(ctx: FindingContext, rule: CompiledRule, peer: CompiledPeer): Finding {
  const ingress = rule.direction === 'Ingress';
  const nsSelector = peer.namespaceSelector!;
  const withPods = peer.podSelector !== undefined && !peer.podSelector.matchesAll;
  const base: FindingSeverity = ingress ? 'high' : 'medium';
  const severity: FindingSeverity = withPods ? (ingress ? 'medium' : 'low') : base;
  const matching = namespacesMatching(ctx.cluster, nsSelector);
  const labels = describeSelector(nsSelector);
  const pods = withPods ? `pods labelled ${describeSelector(peer.podSelector!)} in` : 'every pod of';
  const consequence = ingress
    ? `Anyone allowed to label a namespace can add ${labels} to theirs${withPods ? ' and, if they can also create pods there with the pod labels,' : ''} and connect to ${rule.policy.id}'s pods on ${describePorts(rule)}.`
    : `Anyone allowed to label a namespace can add ${labels} to theirs${withPods ? ' (and label a pod there)' : ''} and receive traffic the selected pods send on ${describePorts(rule)}.`;
  return makeFinding('namespace-label-spoofable', {
    key: `${ruleKey(rule)}.${ingress ? 'from' : 'to'}[${peer.index}]`,
    severity,
    title: `${peerName(rule, peer.index)} trusts namespace label(s) ${labels}, which namespace editors can set`,
    message: `${peerName(rule, peer.index)} ${ingress ? 'admits' : 'allows traffic to'} ${pods} any namespace labelled ${labels} (today: ${listText(matching)}). Only \`${NAMESPACE_NAME_LABEL}\` is set by the API server from the namespace's name; other labels are ordinary metadata. ${consequence}`,
    subjects: [rule.policy.id],
    namespaces: [rule.policy.namespace, ...matching],
    locations: [policyLocation(rule.policy, [...peerPath(rule, peer.index), 'namespaceSelector'])],
    ...(matching.length > 0
      ? {
          fix: {
            description: `Select the namespaces by name: \`${NAMESPACE_NAME_LABEL} In (${matching.join(', ')})\`${withPods ? ', keeping the podSelector in the same peer' : ''}.`,
            suggestion: {
              kind: 'use-namespace-name-label' as const,
              policy: rule.policy.id,
              direction: rule.direction,
              rule: rule.index,
              peer: peer.index,
              namespaces: matching,
            },
          },
        }
      : {}),
  });
}

function podSpoofFinding(ctx: FindingContext, rule: CompiledRule, peer: CompiledPeer): Finding {
  const raw = rawPeer(rule, peer.index);
  const scope = peer.namespaceSelector
    ? (pinnedNamespaceNames(raw!.namespaceSelector!) ?? [])
    : [rule.policy.namespace];
  const selected = new Set(rule.policy.selected);
  const inScope = scope.flatMap((ns) => ctx.workloadsIn(ns));
  // Pods that could escalate today: in scope, not admitted yet, and not the protected pods themselves.
  const couldSpoof = inScope
    .filter((w) => peer.members[w.index] !== 1 && !selected.has(w.index))
    .map((w) => w.id);
  const labels = describeSelector(peer.podSelector!);
  const admitted = inScope.filter((w) => peer.members[w.index] === 1).map((w) => w.id);
  return makeFinding('pod-label-spoofable', {
    key: `${ruleKey(rule)}.from[${peer.index}]`,
    title: `${peerName(rule, peer.index)} admits any pod of ${listText(scope)} that carries ${labels}`,
    message: `${peerName(rule, peer.index)} trusts the pod label(s) ${labels} (today: ${listText(admitted)}). Anyone who can create or label pods in ${listText(scope)} (directly or through a Deployment) can give a pod these labels and reach ${rule.policy.id}'s pods on ${describePorts(rule)}.${couldSpoof.length > 0 ? ` Workloads there that would gain access by changing labels: ${listText(couldSpoof)}.` : ''} Restrict who can write pods in ${scope.length === 1 ? 'that namespace' : 'those namespaces'}, or keep the protected workload apart.`,
    subjects: [rule.policy.id, ...couldSpoof],
    namespaces: [rule.policy.namespace, ...scope],
    locations: [policyLocation(rule.policy, [...peerPath(rule, peer.index), 'podSelector'])],
  });
}
