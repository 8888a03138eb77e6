import {
  type CompiledPolicy,
  type CompiledRule,
  type ConnectionSet,
  containsPort,
  equalConnections,
  intersectConnections,
  isAllConnections,
  isEmptyConnections,
  type Peer,
  type PROTOCOLS,
  rulePorts,
  subtractConnections,
  unionConnections,
  type WorkloadPeer,
} from '@netpol-atlas/evaluator';
import type { Compiled } from './compiled.ts';
import type { PolicyEditSet } from './editSet.ts';
import type { Direction } from './intent.ts';
import { isPlainObject } from './json.ts';
import { complementPorts, entryConnections, portEntriesFor } from './portSets.ts';
import type { PeerPair } from './verify.ts';

/** How hard an edit cuts a rule: fewer ports, fewer peers, or the whole rule. */
export type Level = 'ports' | 'peer' | 'rule';

/** A rule that admits some of the traffic to remove, with the entries that match. */
export interface RuleHit {
  policy: CompiledPolicy;
  rule: CompiledRule;
  /** Indices of the matching `from`/`to` entries; `all` when the rule names no peers. */
  peers: Set<number> | 'all';
  /** The ports to remove through this rule (union over the pairs it admits). */
  requested: ConnectionSet;
  /** Destinations of those pairs, to resolve the rule's named ports. */
  destinations: (WorkloadPeer | undefined)[];
}

/** The traffic to remove on one side, and what decides it there. */
export interface SidePlan {
  direction: Direction;
  hits: RuleHit[];
  /** Subjects (destinations for Ingress, sources for Egress) no policy isolates: they admit everything. */
  open: Map<string, { workload: WorkloadPeer; requested: ConnectionSet }>;
}

function peerAdmits(peer: NonNullable<CompiledRule['peers']>[number], other: Peer): boolean {
  if (other.type === 'workload') return peer.members[other.index] === 1;
  const ipv4 = peer.ipv4;
  if (!ipv4) return false;
  const inside = (address: number) => {
    for (let i = 0; i < ipv4.length; i += 2) if (address >= ipv4[i]! && address <= ipv4[i + 1]!) return true;
    return false;
  };
  // Address pieces are cut at every ipBlock boundary, so both ends decide the whole piece.
  return inside(other.first) && inside(other.last);
}

/** What each side contributes to letting the pairs through: rules that admit them, or no isolation. */
export function analyseSide(
  ws: Compiled,
  direction: Direction,
  pairs: readonly { pair: PeerPair; requested: ConnectionSet }[],
): SidePlan | undefined {
  const hits = new Map<string, RuleHit>();
  const open = new Map<string, { workload: WorkloadPeer; requested: ConnectionSet }>();
  for (const { pair, requested } of pairs) {
    const subject = direction === 'Ingress' ? pair.dst : pair.src;
    const other = direction === 'Ingress' ? pair.src : pair.dst;
    // Addresses outside the cluster have no policies: this side cannot stop the pair.
    if (subject.type !== 'workload') return undefined;
    const policies = (direction === 'Ingress' ? ws.cluster.ingressPolicies : ws.cluster.egressPolicies)[
      subject.index
    ]!;
    if (policies.length === 0) {
      const entry = open.get(subject.id);
      open.set(subject.id, {
        workload: subject,
        requested: entry ? unionConnections(entry.requested, requested) : requested,
      });
      continue;
    }
    for (const policy of policies) {
      for (const rule of direction === 'Ingress' ? policy.ingress : policy.egress) {
        const matched = rule.peers?.filter((p) => peerAdmits(p, other)).map((p) => p.index);
        if (matched && matched.length === 0) continue;
        const through = intersectConnections(rulePorts(rule, pair.dstWorkload), requested);
        if (isEmptyConnections(through)) continue;
        const key = `${policy.id}|${rule.index}`;
        const hit = hits.get(key);
        if (!hit) {
          hits.set(key, {
            policy,
            rule,
            peers: matched ? new Set(matched) : 'all',
            requested,
            destinations: [pair.dstWorkload],
          });
        } else {
          if (hit.peers !== 'all' && matched) for (const i of matched) hit.peers.add(i);
          hit.requested = unionConnections(hit.requested, requested);
          hit.destinations.push(pair.dstWorkload);
        }
      }
    }
  }
  return { direction, hits: [...hits.values()], open };
}

/** A rule's ports minus the ones to remove; undefined when nothing would be left (an empty list means all). */
function narrowPorts(rawPorts: unknown, hit: RuleHit): Record<string, unknown>[] | undefined {
  if (!Array.isArray(rawPorts) || rawPorts.length === 0) {
    const rest = portEntriesFor(complementPorts(hit.requested));
    return rest.length > 0 ? rest : undefined;
  }
  const out: Record<string, unknown>[] = [];
  for (const entry of rawPorts) {
    if (!isPlainObject(entry)) continue;
    if (typeof entry.port === 'string') {
      // A name cannot be split: drop it when it resolves to a removed port on any destination.
      const protocol = String(entry.protocol ?? 'TCP') as (typeof PROTOCOLS)[number];
      const removed = hit.destinations.some((d) =>
        d?.ports.some(
          (cp) =>
            cp.name === entry.port &&
            cp.protocol === protocol &&
            containsPort(hit.requested, protocol, cp.containerPort),
        ),
      );
      if (!removed) out.push(entry);
      continue;
    }
    const set = entryConnections(entry);
    if (!set) {
      out.push(entry);
      continue;
    }
    const rest = subtractConnections(set, hit.requested);
    if (equalConnections(rest, set)) out.push(entry);
    else out.push(...portEntriesFor(rest));
  }
  return out.length > 0 ? out : undefined;
}

/** The rules that replace a hit rule at a level (empty: the rule goes); undefined when the level does not apply. */
function cutRule(
  raw: Record<string, unknown>,
  hit: RuleHit,
  level: Level,
  peersField: 'from' | 'to',
): { rules: Record<string, unknown>[]; what: string } | undefined {
  if (level === 'ports') {
    const ports = narrowPorts(raw.ports, hit);
    return ports ? { rules: [{ ...raw, ports }], what: 'narrows its ports' } : undefined;
  }
  if (level === 'peer') {
    const peers = Array.isArray(raw[peersField]) ? (raw[peersField] as unknown[]) : [];
    if (hit.peers === 'all' || hit.peers.size >= peers.length) return undefined;
    const matched = hit.peers;
    const kept = peers.filter((_, i) => !matched.has(i));
    const moved = peers.filter((_, i) => matched.has(i));
    const rules = [{ ...raw, [peersField]: kept }];
    const ports = isAllConnections(hit.requested) ? undefined : narrowPorts(raw.ports, hit);
    // The matched peers keep the ports that are not being removed, in a rule of their own.
    if (ports) rules.push({ ...raw, [peersField]: moved, ports });
    return {
      rules,
      what: ports
        ? 'moves the matching peer(s) to a rule without the removed ports'
        : 'drops the matching peer(s)',
    };
  }
  return { rules: [], what: 'is dropped' };
}

/** Applies the rule cuts of one side at one level; false when some rule cannot be cut at that level or above. */
export function cutRules(edits: PolicyEditSet, side: SidePlan, level: Level): boolean {
  const field = side.direction === 'Ingress' ? 'ingress' : 'egress';
  const peersField = side.direction === 'Ingress' ? 'from' : 'to';
  const byPolicy = new Map<CompiledPolicy, RuleHit[]>();
  for (const hit of side.hits) byPolicy.set(hit.policy, [...(byPolicy.get(hit.policy) ?? []), hit]);
  const levels: Level[] =
    level === 'ports' ? ['ports', 'peer', 'rule'] : level === 'peer' ? ['peer', 'rule'] : ['rule'];
  for (const [policy, hits] of byPolicy) {
    const spec = edits.spec(policy.object);
    const rules = Array.isArray(spec[field]) ? (spec[field] as unknown[]) : [];
    // From the last rule back, so that replacing one does not shift the ones still to do.
    for (const hit of [...hits].sort((a, b) => b.rule.index - a.rule.index)) {
      const raw = rules[hit.rule.index];
      if (!isPlainObject(raw)) return false;
      const cut = levels.map((l) => cutRule(raw, hit, l, peersField)).find((c) => c !== undefined);
      if (!cut) return false;
      rules.splice(hit.rule.index, 1, ...cut.rules);
      edits.note(policy.object, `${policy.id}: ${field} rule ${hit.rule.index} ${cut.what}`);
    }
    // Without explicit policyTypes, Egress is implied only while egress rules exist: keep it in force.
    if (rules.length === 0 && policy.object.spec.policyTypes === undefined) {
      spec.policyTypes = [
        ...(policy.affectsIngress ? ['Ingress'] : []),
        ...(policy.affectsEgress ? ['Egress'] : []),
      ];
    }
  }
  return true;
}
