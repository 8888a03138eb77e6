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
import { tierRuleSelects } from '../explainTiers.ts';
import { type Intervals, intersectIntervals, subtractIntervals, unionIntervals } from '../intervals.ts';
import type {
  CompiledPeer,
  CompiledPolicy,
  CompiledRule,
  Direction,
  SideTiers,
  WorkloadPeer,
} from '../model.ts';
import { plural } from '../plural.ts';
import { decideSide, tiersEmpty } from '../tiers.ts';
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
    const tiersBySide = direction === 'Ingress' ? ctx.cluster.ingressTiers : ctx.cluster.egressTiers;
    // Workloads with the same policies and tiers (and, where named ports resolve on them, the same
    // ports) are widened alike: measure once per class, then take each workload out of its own lists.
    const classes = new Map<string, Measured[]>();
    for (const w of ctx.cluster.workloads) {
      if (w.hostNetwork) continue;
      const policies = bySide[w.index]!;
      if (policies.length < 2) continue;
      const named = direction === 'Ingress' && policies.some((p) => p.ingress.some(hasNamedPorts));
      const key = `${policies.map((p) => p.id).join('+')}|${tierKey(tiersBySide[w.index]!)}|${named ? JSON.stringify(w.ports) : ''}`;
      let measured = classes.get(key);
      if (!measured) {
        measured = measureClass(ctx, w, direction, policies);
        classes.set(key, measured);
      }
      for (const { broad, rules, widening } of measured) {
        const own = forWorkload(widening, w);
        if (!own) continue;
        const groupKey = `${broad.id}/${direction}`;
        let group = groups.get(groupKey);
        if (!group) {
          group = { broad, direction, rules, widenings: [] };
          groups.set(groupKey, group);
        }
        group.widenings.push(own);
      }
    }
  }
  return [...groups.values()].map(finding);
}

interface Measured {
  broad: CompiledPolicy;
  rules: CompiledRule[];
  widening: Widening;
}

/** Every (strict, broad) pair of policies selecting `w`, measured with `w` standing for its class. */
function measureClass(
  ctx: FindingContext,
  w: WorkloadPeer,
  direction: Direction,
  policies: readonly CompiledPolicy[],
): Measured[] {
  const out: Measured[] = [];
  const strict = policies.filter((p) => isStrict(ctx, rulesOf(p, direction)));
  if (strict.length === 0) return out;
  for (const broad of policies) {
    const rules = broadRulesOf(ctx, broad, direction);
    if (rules.length === 0) continue;
    for (const s of strict) {
      if (s === broad) continue;
      const widening = measure(ctx, w, direction, s, rules);
      if (widening) out.push({ broad, rules, widening });
    }
  }
  return out;
}

/** A class's widening for one of its workloads: itself left out of the peers (a pod always reaches itself). */
function forWorkload(widening: Widening, w: WorkloadPeer): Widening | undefined {
  const newPeers = widening.newPeers.filter((v) => v !== w);
  const morePorts = widening.morePorts.filter((v) => v !== w);
  if (newPeers.length === 0 && morePorts.length === 0 && widening.addresses.length === 0) return undefined;
  return { ...widening, workload: w, newPeers, morePorts };
}

const BROAD = new WeakMap<FindingContext, Map<string, CompiledRule[]>>();

/** The broad rules of a policy in one direction, the same array each time (it keys the candidates). */
function broadRulesOf(ctx: FindingContext, policy: CompiledPolicy, direction: Direction): CompiledRule[] {
  let byPolicy = BROAD.get(ctx);
  if (!byPolicy) {
    byPolicy = new Map();
    BROAD.set(ctx, byPolicy);
  }
  const key = `${policy.id}/${direction}`;
  let rules = byPolicy.get(key);
  if (!rules) {
    rules = rulesOf(policy, direction).filter((r) => isBroad(ctx, r));
    byPolicy.set(key, rules);
  }
  return rules;
}

const CANDIDATES = new WeakMap<readonly CompiledRule[], readonly WorkloadPeer[]>();

/** The workloads some of `rules` admit (every workload when one has no peers), kept per rule list. */
function candidates(ctx: FindingContext, rules: readonly CompiledRule[]): readonly WorkloadPeer[] {
  let list = CANDIDATES.get(rules);
  if (!list) {
    const all = ctx.cluster.workloads;
    list = rules.some((r) => r.peers === undefined)
      ? all
      : all.filter((v) => rules.some((r) => admits(r, v)));
    CANDIDATES.set(rules, list);
  }
  return list;
}

function hasNamedPorts(rule: CompiledRule): boolean {
  return rule.ports?.some((p) => p.kind === 'named') ?? false;
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

const FIXED_PORTS = new WeakMap<CompiledRule, ConnectionSet>();

/** A rule's ports towards `dst`; without named ports they do not depend on it, so they are kept. */
function portsOf(rule: CompiledRule, dst: WorkloadPeer | undefined): ConnectionSet {
  if (hasNamedPorts(rule)) return rulePorts(rule, dst);
  let ports = FIXED_PORTS.get(rule);
  if (!ports) {
    ports = rulePorts(rule, undefined);
    FIXED_PORTS.set(rule, ports);
  }
  return ports;
}

/** What `rules` admit between `w` and `v` on this side (named ports resolved on the destination). */
function conn(rules: readonly CompiledRule[], w: WorkloadPeer, v: WorkloadPeer, direction: Direction) {
  const dst = direction === 'Ingress' ? w : v;
  let out = NO_CONNECTIONS;
  for (const rule of rules) if (admits(rule, v)) out = unionConnections(out, portsOf(rule, dst));
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
  for (const v of candidates(ctx, broadRules)) {
    const broadConn = conn(broadRules, w, v, direction);
    if (isEmptyConnections(broadConn)) continue;
    const strictConn = conn(strictRules, w, v, direction);
    let extra = subtractConnections(broadConn, strictConn);
    if (isEmptyConnections(extra)) continue;
    if (tiers.admin.length > 0) {
      // The NetworkPolicy layer isolates the pod (it has two policies), so of the Admin tier's
      // verdicts only its Deny can take part of `extra` away; the Baseline tier is never reached.
      const decided = decideSide({ admin: tiers.admin, baseline: [] }, () => extra, {
        matches: (rule) => tierRuleSelects(rule, v),
        ports: (rule) => rulePorts(rule, direction === 'Ingress' ? w : v),
      });
      extra = intersectConnections(extra, decided);
      if (isEmptyConnections(extra)) continue;
    }
    added = unionConnections(added, extra);
    if (isEmptyConnections(strictConn)) newPeers.push(v);
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

/** The cluster-policy rules a side meets, as a key: workloads with one key share their tier decisions. */
function tierKey(tiers: SideTiers): string {
  if (tiersEmpty(tiers)) return '';
  return `${tiers.admin.map((r) => r.id).join(',')}/${tiers.baseline.map((r) => r.id).join(',')}`;
}
