import type { LabelSelector } from '@netpol-atlas/manifests';
import { rulePorts } from '../analyze.ts';
import {
  type ConnectionSet,
  formatConnectionSet,
  intersectConnections,
  isEmptyConnections,
} from '../connectionSet.ts';
import { explainConnection, type SideExplanation } from '../explain.ts';
import type { Cluster, CompiledPeer, CompiledPolicy, CompiledRule, WorkloadPeer } from '../model.ts';
import { tiersEmpty } from '../tiers.ts';
import {
  describePorts,
  type FindingContext,
  listText,
  makeFinding,
  peerName,
  peerPath,
  peersField,
  policyLocation,
  policyNameLocation,
  rawRule,
  ruleKey,
  ruleName,
} from './context.ts';
import { SideAdmits } from './sides.ts';
import type { Finding, FixSuggestion } from './types.ts';

/** Past this many pairs a peer is not decided: the review stays fast on large inputs. */
const MAX_PAIRS_PER_PEER = 400;
/** Dead pairs explained to find the blocking policies. */
const MAX_EXPLAINED = 4;

/** What stops a dead peer's traffic on the other side. */
interface Blocker {
  /** A NetworkPolicy (`ns/name`) or a cluster policy (`Kind/name`). */
  policy: string;
  /** The NetworkPolicy, when the blocker is one. */
  compiled: CompiledPolicy | undefined;
  /** Egress rules only and no policyTypes: the API server added Ingress, which denies all ingress. */
  defaultedIngress: boolean;
  /** What the other side admits between the pair (may be empty). */
  admits: ConnectionSet;
}

/** A peer entry whose every workload is refused by the other side. */
interface DeadPeer {
  peer: CompiledPeer;
  members: WorkloadPeer[];
  blockers: Blocker[];
}

/**
 * Allow rules one side writes that the other side refuses: an egress rule towards pods whose
 * ingress does not admit the sources on those ports, or an ingress rule from pods whose egress
 * does not let them send. Both sides must allow a connection, so such a peer carries nothing and
 * the traffic its author meant to allow is denied. Each side is evaluated by the evaluator
 * (NetworkPolicy and the cluster-wide tiers, named ports resolved on the destination).
 *
 * Only peers that pick pods by label are checked (a namespace-only peer admits a group), and a
 * peer counts as dead only when none of its workloads can use it.
 */
export function oneSidedFindings(ctx: FindingContext): Finding[] {
  if (!ctx.enforced) return [];
  const { cluster } = ctx;
  const sides = new SideAdmits(cluster);
  const out: Finding[] = [];
  for (const policy of cluster.policies) {
    const selected = policy.selected.map((i) => cluster.workloads[i]!).filter((w) => !w.hostNetwork);
    if (selected.length === 0) continue;
    const rules = [
      ...(policy.affectsIngress ? policy.ingress : []),
      ...(policy.affectsEgress ? policy.egress : []),
    ];
    for (const rule of rules) {
      if (!rule.peers) continue;
      const dead: DeadPeer[] = [];
      for (const peer of rule.peers) {
        if (peer.kind !== 'selector' || !namesPods(peer)) continue;
        const found = deadPeer(cluster, rule, peer, selected, sides);
        if (found) dead.push(found);
      }
      if (dead.length > 0) out.push(finding(rule, dead, selected));
    }
  }
  return out;
}

/**
 * A peer with a podSelector that picks pods. A namespace-only peer (or `podSelector: {}`) admits a
 * group, whatever runs there later: that today's pods of it do not use the allow is no defect.
 */
function namesPods(peer: CompiledPeer): boolean {
  return peer.podSelector !== undefined && !peer.podSelector.matchesAll;
}

function deadPeer(
  cluster: Cluster,
  rule: CompiledRule,
  peer: CompiledPeer,
  selected: readonly WorkloadPeer[],
  sides: SideAdmits,
): DeadPeer | undefined {
  const egress = rule.direction === 'Egress';
  const members = cluster.workloads.filter((w) => peer.members[w.index] === 1 && !w.hostNetwork);
  if (members.length === 0) return undefined;
  const blockers = new Map<string, Blocker>();
  let pairs = 0;
  const dead: { src: WorkloadPeer; dst: WorkloadPeer; ports: ConnectionSet }[] = [];
  for (const member of members) {
    // The other side of this member: its ingress (egress rules) or its egress (ingress rules).
    const otherSide = egress ? cluster.ingressPolicies : cluster.egressPolicies;
    const otherTiers = egress ? cluster.ingressTiers : cluster.egressTiers;
    if (otherSide[member.index]!.length === 0 && tiersEmpty(otherTiers[member.index]!)) return undefined;
    for (const own of selected) {
      if (own.index === member.index) continue;
      const [src, dst] = egress ? [own, member] : [member, own];
      const ports = rulePorts(rule, dst);
      // A named port the destination does not define is another finding's business.
      if (isEmptyConnections(ports)) continue;
      if (++pairs > MAX_PAIRS_PER_PEER) return undefined;
      const other = egress ? sides.of('Ingress', member, own) : sides.of('Egress', member, own);
      if (!isEmptyConnections(intersectConnections(ports, other))) return undefined;
      dead.push({ src, dst, ports });
    }
  }
  if (dead.length === 0) return undefined;
  // Dead for sure: now explain a few pairs to name who blocks them (they mostly share blockers).
  for (const { src, dst, ports } of dead.slice(0, MAX_EXPLAINED)) {
    const e = explainConnection(cluster, src, dst);
    const side = egress ? e.ingress : e.egress;
    for (const b of blockersOf(cluster, side, ports)) if (!blockers.has(b.policy)) blockers.set(b.policy, b);
  }
  return { peer, members, blockers: [...blockers.values()] };
}

/** The policies that refuse `ports` on one side: a cluster policy's Deny, or the NetworkPolicies isolating it. */
function blockersOf(cluster: Cluster, side: SideExplanation, ports: ConnectionSet): Blocker[] {
  const denies = (side.tiers?.decisions ?? []).filter(
    (d) => d.action === 'Deny' && !isEmptyConnections(intersectConnections(d.conn, ports)),
  );
  if (denies.length > 0) {
    return denies.map((d) => ({
      policy: d.policy,
      compiled: undefined,
      defaultedIngress: false,
      admits: side.conn,
    }));
  }
  return side.policies.map((id) => {
    const compiled = cluster.policies.find((p) => p.id === id);
    const spec = compiled?.object.spec;
    const defaultedIngress =
      side.direction === 'Ingress' &&
      compiled !== undefined &&
      compiled.ingress.length === 0 &&
      compiled.egress.length > 0 &&
      (spec?.policyTypes === undefined || spec.policyTypes.length === 0);
    return { policy: id, compiled, defaultedIngress, admits: side.conn };
  });
}

/** Why the other side refuses: defaulted policy types, cluster policy denies, then the isolating policies together. */
function reasons(blockers: readonly Blocker[], own: string, direction: 'ingress' | 'egress'): string[] {
  const out: string[] = [];
  for (const b of blockers) {
    if (b.defaultedIngress) {
      out.push(
        `${b.policy} has egress rules only and no policyTypes, so the API server defaulted them to [Ingress, Egress] and it denies all ingress to the pods it selects`,
      );
    } else if (!b.compiled) out.push(`the cluster policy ${b.policy} denies it`);
  }
  const isolating = blockers.filter((b) => b.compiled && !b.defaultedIngress);
  if (isolating.length > 0) {
    const admitted = isolating.map((b) => b.admits).find((c) => !isEmptyConnections(c));
    const one = isolating.length === 1;
    out.push(
      `their ${direction} is isolated by ${listText(isolating.map((b) => b.policy))}, and no rule of ${one ? 'it' : 'them'} admits ${own} on those ports${admitted ? ` (${one ? 'it admits' : 'they admit'} only ${formatConnectionSet(admitted)})` : ''}`,
    );
  }
  return out;
}

function finding(rule: CompiledRule, dead: DeadPeer[], selected: readonly WorkloadPeer[]): Finding {
  const egress = rule.direction === 'Egress';
  const otherDirection = egress ? 'ingress' : 'egress';
  const allDead = rule.peers!.length === dead.length;
  const members = dead.flatMap((d) => d.members.map((w) => w.id));
  const blockers = [...new Map(dead.flatMap((d) => d.blockers).map((b) => [b.policy, b])).values()];
  const own = listText(selected.map((w) => w.id));
  const peers = dead.map((d) => peerName(rule, d.peer.index));
  const subject = allDead ? ruleName(rule) : listText(peers);
  const lets = egress
    ? `lets ${own} send to ${listText(members)} on ${describePorts(rule)}`
    : `lets ${own} accept ${listText(members)} on ${describePorts(rule)}`;
  const why = reasons(blockers, own, otherDirection);
  const fix = fixFor(rule, blockers);
  return makeFinding('one-sided-rule', {
    key: `${ruleKey(rule)}${allDead ? '' : `.${peersField(rule)}[${dead.map((d) => d.peer.index).join(',')}]`}`,
    title: `${subject} ${allDead || peers.length === 1 ? 'carries' : 'carry'} no traffic: the ${otherDirection} side refuses it`,
    message: `${subject} ${lets}, but the ${otherDirection} side refuses it: ${why.join('; ')}. A connection needs both the client's egress and the server's ingress to allow it, so this allow has no effect and the traffic is denied.`,
    subjects: [rule.policy.id, ...blockers.map((b) => b.policy), ...members],
    namespaces: [rule.policy.namespace, ...dead.flatMap((d) => d.members.map((w) => w.namespace))],
    locations: [
      ...dead.map((d) => policyLocation(rule.policy, peerPath(rule, d.peer.index))),
      ...blockers.flatMap((b) => (b.compiled ? [policyNameLocation(b.compiled)] : [])),
    ],
    ...(fix ? { fix } : {}),
  });
}

/**
 * The smallest change that makes the written allow work: drop a defaulted Ingress type, or give
 * the blocking NetworkPolicy the mirror rule (the same ports, towards the pods `rule` selects).
 */
function fixFor(rule: CompiledRule, blockers: readonly Blocker[]): Finding['fix'] | undefined {
  const defaulted = blockers.find((b) => b.defaultedIngress);
  // The mirror rule goes into a policy written for these pods: one with rules on that side and a
  // podSelector that picks pods. A default-deny (`podSelector: {}`, no rules) would hand the allow
  // to the whole namespace.
  const direction = rule.direction === 'Egress' ? 'Ingress' : 'Egress';
  const blocker =
    defaulted ??
    blockers.find(
      (b) =>
        b.compiled &&
        !b.compiled.podSelector.matchesAll &&
        (direction === 'Ingress' ? b.compiled.ingress : b.compiled.egress).length > 0,
    );
  if (!blocker?.compiled) return undefined;
  if (blocker.defaultedIngress) {
    return {
      description: `Write \`policyTypes: [Egress]\` in ${blocker.policy} if it was only meant to restrict egress.`,
      suggestion: { kind: 'set-policy-types', policy: blocker.policy, policyTypes: ['Egress'] },
    };
  }
  const podSelector: LabelSelector = rule.policy.object.spec.podSelector;
  const suggestion: FixSuggestion = {
    kind: 'add-mirror-rule',
    policy: blocker.policy,
    direction,
    namespace: rule.policy.namespace,
    podSelector,
    ports: rawRule(rule)?.ports ?? [],
  };
  return {
    description: `Add ${direction === 'Ingress' ? 'an ingress rule' : 'an egress rule'} to ${blocker.policy} ${direction === 'Ingress' ? 'from' : 'to'} the pods ${rule.policy.id} selects (namespace ${rule.policy.namespace}) on ${describePorts(rule)}, if that traffic is wanted; otherwise delete the one-sided allow.`,
    suggestion,
  };
}
