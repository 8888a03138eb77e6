import { rulePorts } from '../analyze.ts';
import {
  type ConnectionSet,
  formatConnectionSet,
  intersectConnections,
  isAllConnections,
  isEmptyConnections,
  NO_CONNECTIONS,
  subtractConnections,
  unionConnections,
} from '../connectionSet.ts';
import { explainConnection } from '../explain.ts';
import { type Intervals, intersectIntervals, subtractIntervals, unionIntervals } from '../intervals.ts';
import type { CompiledPeer, CompiledPolicy, CompiledRule, Direction, WorkloadPeer } from '../model.ts';
import { plural } from '../plural.ts';
import { tiersEmpty } from '../tiers.ts';
import { addressesText, clusterAddresses } from './addressRanges.ts';
import {
  describePorts,
  type FindingContext,
  listText,
  makeFinding,
  policyLocation,
  policyNameLocation,
  ruleName,
  rulePath,
} from './context.ts';
import type { Finding } from './types.ts';

const ALL_IPV4: Intervals = [0, 0xffffffff];
/** An ipBlock this large (a /8) is a network, not a chosen peer. */
const WIDE_BLOCK = 2 ** 24;

/** How a broad policy widens a stricter one for one workload. */
interface Widening {
  workload: WorkloadPeer;
  strict: CompiledPolicy;
  /** Workloads the strict policy does not admit at all, now admitted. */
  newPeers: WorkloadPeer[];
  /** Workloads the strict policy admits, now on more ports. */
  morePorts: WorkloadPeer[];
  /** Addresses (ipBlocks, or every address) the strict policy does not admit. */
  addresses: Intervals;
  /** What the broad rules add, over every peer. */
  added: ConnectionSet;
}

interface Group {
  broad: CompiledPolicy;
  direction: Direction;
  rules: CompiledRule[];
  widenings: Widening[];
}

/**
 * The combined effect of the policies selecting a workload. Policies only add to each other, so a
 * strict policy ("postgres only from the api pods, on 5432") says nothing once a second, broad
 * policy selecting the same pods admits a whole namespace, every namespace, a large address block
 * or every peer, on the ports the strict one limits. For each such broad policy, one finding with
 * the stricter policies it voids and by how much: the peers and addresses it adds, and the extra
 * ports the strict policy's own peers get. What the tiers deny is left out of the widening.
 */
export function combinedFindings(ctx: FindingContext): Finding[] {
  if (!ctx.enforced) return [];
  const groups = new Map<string, Group>();
  for (const direction of ['Ingress', 'Egress'] as const) {
    const bySide = direction === 'Ingress' ? ctx.cluster.ingressPolicies : ctx.cluster.egressPolicies;
    for (const w of ctx.cluster.workloads) {
      if (w.hostNetwork) continue;
      const policies = bySide[w.index]!;
      if (policies.length < 2) continue;
      const strict = policies.filter((p) => isStrict(ctx, rulesOf(p, direction)));
      if (strict.length === 0) continue;
      for (const broad of policies) {
        const rules = rulesOf(broad, direction).filter((r) => isBroad(ctx, r));
        if (rules.length === 0) continue;
        for (const s of strict) {
          if (s === broad) continue;
          const widening = measure(ctx, w, direction, s, rules);
          if (!widening) continue;
          const key = `${broad.id}/${direction}`;
          let group = groups.get(key);
          if (!group) {
            group = { broad, direction, rules, widenings: [] };
            groups.set(key, group);
          }
          group.widenings.push(widening);
        }
      }
    }
  }
  return [...groups.values()].map(finding);
}

function rulesOf(policy: CompiledPolicy, direction: Direction): readonly CompiledRule[] {
  return direction === 'Ingress' ? policy.ingress : policy.egress;
}

/** Rules that all name their peers, none of them broadly. */
function isStrict(ctx: FindingContext, rules: readonly CompiledRule[]): boolean {
  return rules.length > 0 && rules.every((r) => !isBroad(ctx, r));
}

/**
 * A rule that admits a population rather than chosen peers: no peers, a whole namespace
 * (`podSelector: {}`), every namespace, or an ipBlock of a /8 or more (or one reaching pod addresses).
 */
function isBroad(ctx: FindingContext, rule: CompiledRule): boolean {
  return rule.peers === undefined || rule.peers.some((p) => isBroadPeer(ctx, p));
}

function isBroadPeer(ctx: FindingContext, peer: CompiledPeer): boolean {
  if (peer.kind === 'ipBlock') {
    const ipv4 = peer.ipv4;
    if (!ipv4) return false;
    if (size(ipv4) >= WIDE_BLOCK) return true;
    if (intersectIntervals(ipv4, clusterAddresses(ctx).podRanges).length > 0) return true;
    return ctx.cluster.workloads.some((w) => peer.members[w.index] === 1);
  }
  const everyPod = peer.podSelector === undefined || peer.podSelector.matchesAll;
  if (peer.namespaceSelector === undefined) return peer.podSelector?.matchesAll === true;
  return everyPod && peer.namespaceSelector.matchesAll;
}

function size(set: Intervals): number {
  let n = 0;
  for (let i = 0; i < set.length; i += 2) n += set[i + 1]! - set[i]! + 1;
  return n;
}

function admits(rule: CompiledRule, v: WorkloadPeer): boolean {
  return rule.peers === undefined || rule.peers.some((p) => p.members[v.index] === 1);
}

function addressesOf(rules: readonly CompiledRule[]): Intervals {
  let out: Intervals = [];
  for (const rule of rules) {
    if (!rule.peers) return ALL_IPV4;
    for (const p of rule.peers) if (p.ipv4) out = unionIntervals(out, p.ipv4);
  }
  return out;
}

/** What `rules` admit between `w` and `v` on this side (named ports resolved on the destination). */
function conn(rules: readonly CompiledRule[], w: WorkloadPeer, v: WorkloadPeer, direction: Direction) {
  const dst = direction === 'Ingress' ? w : v;
  let out = NO_CONNECTIONS;
  for (const rule of rules) if (admits(rule, v)) out = unionConnections(out, rulePorts(rule, dst));
  return out;
}

function measure(
  ctx: FindingContext,
  w: WorkloadPeer,
  direction: Direction,
  strict: CompiledPolicy,
  broadRules: readonly CompiledRule[],
): Widening | undefined {
  const strictRules = rulesOf(strict, direction);
  const ownDst = direction === 'Ingress' ? w : undefined;
  const strictPorts = strictRules.reduce(
    (acc, r) => unionConnections(acc, rulePorts(r, ownDst)),
    NO_CONNECTIONS,
  );
  const broadPorts = broadRules.reduce(
    (acc, r) => unionConnections(acc, rulePorts(r, ownDst)),
    NO_CONNECTIONS,
  );
  // A broad rule on other ports (DNS to every namespace, say) leaves the strict limits alone.
  if (!isEmptyConnections(subtractConnections(strictPorts, broadPorts))) return undefined;
  const tiers = (direction === 'Ingress' ? ctx.cluster.ingressTiers : ctx.cluster.egressTiers)[w.index]!;
  const newPeers: WorkloadPeer[] = [];
  const morePorts: WorkloadPeer[] = [];
  let added = NO_CONNECTIONS;
  for (const v of ctx.cluster.workloads) {
    if (v.index === w.index) continue;
    let extra = subtractConnections(conn(broadRules, w, v, direction), conn(strictRules, w, v, direction));
    if (isEmptyConnections(extra)) continue;
    if (!tiersEmpty(tiers)) {
      // Cluster policies decide before (Admin) or after (Baseline) NetworkPolicy: keep what the side admits.
      const e =
        direction === 'Ingress' ? explainConnection(ctx.cluster, v, w) : explainConnection(ctx.cluster, w, v);
      extra = intersectConnections(extra, direction === 'Ingress' ? e.ingress.conn : e.egress.conn);
      if (isEmptyConnections(extra)) continue;
    }
    added = unionConnections(added, extra);
    if (isEmptyConnections(conn(strictRules, w, v, direction))) newPeers.push(v);
    else morePorts.push(v);
  }
  const addresses = subtractIntervals(addressesOf(broadRules), addressesOf(strictRules));
  if (addresses.length > 0) added = unionConnections(added, broadPorts);
  if (newPeers.length === 0 && morePorts.length === 0 && addresses.length === 0) return undefined;
  return { workload: w, strict, newPeers, morePorts, addresses, added };
}

function portsText(set: ConnectionSet): string {
  return isAllConnections(set) ? 'every port and protocol' : formatConnectionSet(set);
}

function finding(group: Group): Finding {
  const { broad, direction, rules, widenings } = group;
  const ingress = direction === 'Ingress';
  const stricter = [...new Set(widenings.map((x) => x.strict))];
  const workloads = [...new Set(widenings.map((x) => x.workload))];
  const broadText = listText(
    rules.map((r) => `${ruleName(r)} (${describeBroad(r)}, on ${describePorts(r)})`),
  );
  const sentences = stricter.map((s) => {
    const mine = widenings.filter((x) => x.strict === s);
    const on = listText([...new Set(mine.map((x) => x.workload.id))]);
    const newPeers = unique(mine.flatMap((x) => x.newPeers));
    const morePorts = unique(mine.flatMap((x) => x.morePorts));
    const addresses = mine.reduce<Intervals>((acc, x) => unionIntervals(acc, x.addresses), []);
    const added = mine.reduce((acc, x) => unionConnections(acc, x.added), NO_CONNECTIONS);
    const parts: string[] = [];
    if (newPeers.length > 0) {
      const namespaces = [...new Set(newPeers.map((v) => v.namespace))].sort();
      parts.push(
        `${plural(newPeers.length, 'more workload')} (in ${listText(namespaces)}: ${listText(
          newPeers.map((v) => v.id),
          3,
        )})`,
      );
    }
    if (addresses.length > 0) parts.push(`the addresses ${listText(addressesText(addresses), 3)}`);
    if (morePorts.length > 0) {
      parts.push(
        `more ports for ${listText(
          morePorts.map((v) => v.id),
          3,
        )}, whose ports it limits`,
      );
    }
    const limit = listText(rulesOf(s, direction).map((r) => describePorts(r)));
    return `${s.id} lets ${on} ${ingress ? 'accept' : 'send to'} only the peers it names, on ${limit}; ${broad.id} adds ${listText(parts)}, on ${portsText(added)}.`;
  });
  const severity = rules.some((r) => r.peers === undefined && r.ports === undefined) ? 'high' : 'medium';
  const them = stricter.length === 1 ? stricter[0]!.id : 'the stricter policies';
  return makeFinding('combined-widening', {
    key: `${broad.id}/${ingress ? 'ingress' : 'egress'}`,
    severity,
    title: `${broad.id} voids the ${ingress ? 'ingress' : 'egress'} limits of ${listText(
      stricter.map((s) => s.id),
      3,
    )} on ${plural(workloads.length, 'workload')}`,
    message: `Policies only add to each other: a pod ${ingress ? 'accepts' : 'may send'} whatever any policy selecting it allows. ${broad.id} also selects ${listText(
      workloads.map((w) => w.id),
      3,
    )} and admits a broad set of peers: ${broadText}. ${sentences.join(' ')} The limits of ${them} do not hold. Narrow ${broad.id} (its podSelector, peers or ports) so that it no longer covers those pods, or widen ${them} on purpose.`,
    subjects: [broad.id, ...stricter.map((s) => s.id), ...workloads.map((w) => w.id)],
    namespaces: [broad.namespace, ...stricter.map((s) => s.namespace)],
    locations: [...rules.map((r) => policyLocation(broad, rulePath(r))), ...stricter.map(policyNameLocation)],
  });
}

function unique(list: readonly WorkloadPeer[]): WorkloadPeer[] {
  return [...new Set(list)].sort((a, b) => a.index - b.index);
}

/** How a broad rule's peers read: `no peers`, `podSelector: {}`, `namespaceSelector: {}`, `ipBlock 10.0.0.0/8`. */
function describeBroad(rule: CompiledRule): string {
  if (!rule.peers) return 'no peers: everyone';
  const texts = rule.peers.map((p) => {
    if (p.kind === 'ipBlock') {
      const except = p.ipBlock!.except;
      return `ipBlock ${p.ipBlock!.cidr}${except.length > 0 ? ` except ${except.join(', ')}` : ''}`;
    }
    if (!p.namespaceSelector)
      return p.podSelector?.matchesAll ? 'podSelector: {} (the whole namespace)' : 'a podSelector';
    return p.namespaceSelector.matchesAll ? 'namespaceSelector: {} (every namespace)' : 'a namespaceSelector';
  });
  return [...new Set(texts)].join(', ');
}
