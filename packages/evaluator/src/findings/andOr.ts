import type { CompiledPeer, CompiledRule, WorkloadPeer } from '../model.ts';
import {
  admitsNone,
  allRules,
  describeSelector,
  type FindingContext,
  listText,
  makeFinding,
  namespacesMatching,
  peerName,
  peerPath,
  policyLocation,
  ruleKey,
  ruleName,
} from './context.ts';
import type { Finding } from './types.ts';

/** Findings of the AND/OR trap, and the peers they explain (`ruleId:peerIndex`). */
export interface AndOrResult {
  findings: Finding[];
  explained: Set<string>;
}

/** The key {@link AndOrResult.explained} uses for a peer. */
export function peerKey(rule: CompiledRule, peer: CompiledPeer): string {
  return `${rule.id}:${peer.index}`;
}

/**
 * The AND/OR trap: `- namespaceSelector` and `- podSelector` as two peers (OR) where one peer
 * with both (AND) was likely meant, and the reverse. Both are detected from evidence in the
 * manifests (which pods the podSelector matches where), never from the shape alone, because both
 * shapes are legitimate.
 */
export function andOrFindings(ctx: FindingContext): AndOrResult {
  const findings: Finding[] = [];
  const explained = new Set<string>();
  const { workloads } = ctx.cluster;
  for (const rule of allRules(ctx.cluster)) {
    const peers = rule.peers ?? [];
    const nsOnly = peers.filter((p) => p.kind === 'selector' && p.namespaceSelector && !p.podSelector);
    const podOnly = peers.filter(
      (p) => p.kind === 'selector' && !p.namespaceSelector && p.podSelector && !p.podSelector.matchesAll,
    );
    for (const podPeer of podOnly) {
      // It matches something in the policy's own namespace: a deliberate OR.
      if (!admitsNone(podPeer.members)) continue;
      for (const nsPeer of nsOnly) {
        const inThoseNamespaces = workloads.filter(
          (w) => nsPeer.members[w.index] === 1 && podPeer.podSelector!.matches(w.labels),
        );
        if (inThoseNamespaces.length === 0) continue;
        findings.push(splitFinding(ctx, rule, nsPeer, podPeer, inThoseNamespaces));
        explained.add(peerKey(rule, podPeer));
        break;
      }
    }
    for (const peer of peers) {
      if (peer.kind !== 'selector' || !peer.namespaceSelector || !peer.podSelector) continue;
      if (peer.podSelector.matchesAll || !admitsNone(peer.members)) continue;
      const namespaces = new Set(namespacesMatching(ctx.cluster, peer.namespaceSelector));
      const inScope = workloads.filter((w) => namespaces.has(w.namespace));
      const elsewhere = workloads.filter(
        (w) => !namespaces.has(w.namespace) && peer.podSelector!.matches(w.labels),
      );
      if (inScope.length === 0 || elsewhere.length === 0) continue;
      findings.push(joinedFinding(rule, peer, [...namespaces].sort(), elsewhere));
      explained.add(peerKey(rule, peer));
    }
  }
  return { findings, explained };
}

function splitFinding(
  ctx: FindingContext,
  rule: CompiledRule,
  nsPeer: CompiledPeer,
  podPeer: CompiledPeer,
  meant: readonly WorkloadPeer[],
): Finding {
  const ingress = rule.direction === 'Ingress';
  const field = ingress ? 'from' : 'to';
  const admitted = ctx.cluster.workloads.filter((w) => nsPeer.members[w.index] === 1).map((w) => w.id);
  return makeFinding('and-or-split', {
    key: `${ruleKey(rule)}.${field}[${nsPeer.index}]+${field}[${podPeer.index}]`,
    severity: ingress ? 'high' : 'medium',
    title: `${ruleName(rule)}: namespaceSelector and podSelector are two peers (OR); one peer (AND) was likely meant`,
    message: `In ${ruleName(rule)}, \`${field}[${nsPeer.index}]\` (namespaceSelector ${describeSelector(nsPeer.namespaceSelector!)}) and \`${field}[${podPeer.index}]\` (podSelector ${describeSelector(podPeer.podSelector!)}) are separate list items, so they are OR-ed: the first admits EVERY pod of the selected namespaces (${listText(admitted)}). The podSelector matches nothing in ${rule.policy.namespace}, where a podSelector-only peer looks, but matches ${listText(meant.map((w) => w.id))} in those namespaces: a single peer with both selectors was probably meant. The difference is one \`-\`.`,
    subjects: [rule.policy.id, ...admitted],
    namespaces: [rule.policy.namespace, ...meant.map((w) => w.namespace)],
    locations: [
      policyLocation(rule.policy, peerPath(rule, nsPeer.index)),
      policyLocation(rule.policy, peerPath(rule, podPeer.index)),
    ],
    fix: {
      description: `Remove the \`-\` before \`podSelector\` in ${field}[${podPeer.index}] so that both selectors form one peer: pods matching ${describeSelector(podPeer.podSelector!)} in namespaces matching ${describeSelector(nsPeer.namespaceSelector!)}.`,
      suggestion: {
        kind: 'merge-peers',
        policy: rule.policy.id,
        direction: rule.direction,
        rule: rule.index,
        namespacePeer: nsPeer.index,
        podPeer: podPeer.index,
      },
    },
  });
}

function joinedFinding(
  rule: CompiledRule,
  peer: CompiledPeer,
  namespaces: readonly string[],
  elsewhere: readonly WorkloadPeer[],
): Finding {
  const field = rule.direction === 'Ingress' ? 'from' : 'to';
  return makeFinding('and-or-joined', {
    key: `${ruleKey(rule)}.${field}[${peer.index}]`,
    title: `${peerName(rule, peer.index)} requires both selectors (AND) and matches nothing; two peers (OR) may have been meant`,
    message: `${peerName(rule, peer.index)} has a namespaceSelector (${describeSelector(peer.namespaceSelector!)}, matching ${listText(namespaces)}) and a podSelector (${describeSelector(peer.podSelector!)}) in ONE peer, so it admits only pods matching both. No pod in those namespaces has the pod labels, but ${listText(elsewhere.map((w) => w.id))} elsewhere do: if either selector alone was meant to admit, write them as two list items. As written, the peer admits nothing.`,
    subjects: [rule.policy.id, ...elsewhere.map((w) => w.id)],
    namespaces: [rule.policy.namespace, ...namespaces],
    locations: [policyLocation(rule.policy, peerPath(rule, peer.index))],
    fix: {
      description: `Split ${field}[${peer.index}] into two peers: \`- namespaceSelector: ...\` and \`- podSelector: ...\` (admits more: check that is intended).`,
      suggestion: {
        kind: 'split-peer',
        policy: rule.policy.id,
        direction: rule.direction,
        rule: rule.index,
        peer: peer.index,
      },
    },
  });
}
