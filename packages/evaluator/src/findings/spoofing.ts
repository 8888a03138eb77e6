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
import { coversEveryPort, lower, withProminence } from './severity.ts';
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
  // Exploiting it takes the right to label a namespace (cluster-scoped objects, rarely granted to
  // tenants), and pod rights there too when a podSelector sits beside it.
  let severity: FindingSeverity = ingress ? 'high' : 'medium';
  if (withPods) severity = lower(severity);
  // Still a real attack on a few ports: a spoofed egress peer receives what the pods send.
  if (!coversEveryPort(rule) && severity !== 'low') severity = lower(severity);
  let note = '';
  if (ingress)
    ({ severity, note } = withProminence(ctx, severity, rule.policy.selected, coversEveryPort(rule)));
  const matching = namespacesMatching(ctx.cluster, nsSelector);
  const labels = describeSelector(nsSelector);
  const pods = withPods ? `pods labelled ${describeSelector(peer.podSelector!)} in` : 'every pod of';
  const consequence = ingress
    ? withPods
      ? `Anyone allowed to label a namespace can add ${labels} to theirs; pods they can create there with the labels ${describeSelector(peer.podSelector!)} then connect to ${rule.policy.id}'s pods on ${describePorts(rule)}.`
      : `Anyone allowed to label a namespace can add ${labels} to theirs; every pod there then connects to ${rule.policy.id}'s pods on ${describePorts(rule)}.`
    : `Anyone allowed to label a namespace can add ${labels} to theirs${withPods ? ' (and label a pod there)' : ''} and receive traffic the selected pods send on ${describePorts(rule)}.`;
  return makeFinding('namespace-label-spoofable', {
    key: `${ruleKey(rule)}.${ingress ? 'from' : 'to'}[${peer.index}]`,
    severity,
    title: `${peerName(rule, peer.index)} trusts namespace label(s) ${labels}, which namespace editors can set`,
    message: `${peerName(rule, peer.index)} ${ingress ? 'admits' : 'allows traffic to'} ${pods} any namespace labelled ${labels} (today: ${listText(matching)}). Only \`${NAMESPACE_NAME_LABEL}\` is set by the API server from the namespace's name; other labels are ordinary metadata. ${consequence}${note}`,
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
  const admitted = inScope.filter((w) => peer.members[w.index] === 1);
  // Only pod writers of these namespaces can exploit it: low, unless what it protects is prominent.
  const { severity, note } = withProminence(ctx, 'low', rule.policy.selected, coversEveryPort(rule));
  const matchLabels = raw?.podSelector?.matchLabels ?? {};
  return makeFinding('pod-label-spoofable', {
    key: `${ruleKey(rule)}.from[${peer.index}]`,
    severity,
    title: `${peerName(rule, peer.index)} admits any pod of ${listText(scope)} that carries ${labels}`,
    message: `${peerName(rule, peer.index)} trusts the pod label(s) ${labels} (today: ${listText(admitted.map((w) => w.id))}). Anyone who can create or label pods in ${listText(scope)} (directly or through a Deployment) can give a pod these labels and reach ${rule.policy.id}'s pods on ${describePorts(rule)}.${couldSpoof.length > 0 ? ` Workloads there that would gain access by changing labels: ${listText(couldSpoof)}.` : ''} Restrict who can write pods in ${scope.length === 1 ? 'that namespace' : 'those namespaces'}, or keep the protected workload apart.${note}`,
    subjects: [rule.policy.id, ...couldSpoof],
    namespaces: [rule.policy.namespace, ...scope],
    locations: [policyLocation(rule.policy, [...peerPath(rule, peer.index), 'podSelector'])],
    fix: {
      description: `NetworkPolicy cannot check who set a label: in ${listText(scope)}, let only ${admitted.length > 0 ? listText(admitted.map((w) => w.id)) : 'the workloads meant (none is in the input)'} carry ${labels}, with an admission policy (ValidatingAdmissionPolicy, Kyverno or Gatekeeper) or RBAC that keeps other teams from creating pods there.`,
      suggestion: {
        kind: 'restrict-pod-labels',
        namespace: scope[0] ?? rule.policy.namespace,
        labels: { ...matchLabels },
        workloads: admitted.map((w) => w.id),
      },
    },
    group: `pod-label:${scope.join(',')}|${labels}|${severity}`,
  });
}
