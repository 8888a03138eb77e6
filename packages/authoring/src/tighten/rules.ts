import {
  type Cluster,
  type CompiledPolicy,
  type CompiledRule,
  type ConnectionSet,
  type Intervals,
  intersectIntervals,
  isEmptyConnections,
  NO_CONNECTIONS,
  rulePorts,
  subtractConnections,
  subtractIntervals,
  unionConnections,
  unionIntervals,
  type WorkloadPeer,
} from '@netpol-atlas/evaluator';
import { covers, type Direction } from '../intent.ts';
import type { Allowance, DesiredEntry } from './observed.ts';

const ALL_IPV4: Intervals = [0, 2 ** 32 - 1];

/** The addresses outside the cluster a rule admits (every address when it names no peers). */
function ruleAddresses(rule: CompiledRule): Intervals | 'ipv6' {
  if (!rule.peers) return ALL_IPV4;
  let out: Intervals = [];
  for (const peer of rule.peers) {
    if (peer.kind !== 'ipBlock') continue;
    // An IPv6 block admits traffic the evaluator cannot see: never within what was observed.
    if (!peer.ipv4) return 'ipv6';
    out = unionIntervals(out, peer.ipv4);
  }
  return out;
}

function admitsWorkload(rule: CompiledRule, index: number): boolean {
  return !rule.peers || rule.peers.some((p) => p.members[index] === 1);
}

/**
 * True when the rule admits, for `subject`, something its allowance does not hold: another
 * workload or an address on a port nobody observed. Such a rule allowed more than was observed.
 */
export function ruleExceeds(
  cluster: Cluster,
  rule: CompiledRule,
  subject: WorkloadPeer,
  direction: Direction,
  allowance: Allowance,
): boolean {
  for (const other of cluster.workloads) {
    if (other.index === subject.index || !admitsWorkload(rule, other.index)) continue;
    const ports = rulePorts(rule, direction === 'Ingress' ? subject : other);
    if (isEmptyConnections(ports)) continue;
    if (!covers(allowance.workloads.get(other.index) ?? NO_CONNECTIONS, ports)) return true;
  }
  const addresses = ruleAddresses(rule);
  if (addresses === 'ipv6') return true;
  if (addresses.length === 0) return false;
  const ports = rulePorts(rule, direction === 'Ingress' ? subject : undefined);
  if (isEmptyConnections(ports)) return false;
  let observed: Intervals = [];
  for (const entry of allowance.externals)
    if (covers(entry.conn, ports)) observed = unionIntervals(observed, entry.ranges);
  return subtractIntervals(addresses, observed).length > 0;
}

/** A rule kept in place: the policy it is in and the rule. */
export interface KeptRule {
  policy: CompiledPolicy;
  rule: CompiledRule;
}

/**
 * The part of a desired entry's ports that no kept rule of `subject` already admits for every
 * peer the entry stands for: what still has to be written.
 */
export function uncoveredPorts(
  entry: DesiredEntry,
  subject: WorkloadPeer,
  direction: Direction,
  kept: readonly KeptRule[],
): ConnectionSet {
  let missing = NO_CONNECTIONS;
  for (const other of entry.workloads) {
    if (other.index === subject.index) continue;
    let admitted = NO_CONNECTIONS;
    for (const { rule } of kept) {
      if (!admitsWorkload(rule, other.index)) continue;
      admitted = unionConnections(admitted, rulePorts(rule, direction === 'Ingress' ? subject : other));
    }
    missing = unionConnections(missing, subtractConnections(entry.conn, admitted));
  }
  if (entry.ranges) {
    let admitted = NO_CONNECTIONS;
    for (const { rule } of kept) {
      const addresses = ruleAddresses(rule);
      if (addresses === 'ipv6') continue;
      // Only a rule admitting the whole range covers it: a partial one still needs the entry written.
      if (subtractIntervals(entry.ranges, intersectIntervals(addresses, entry.ranges)).length > 0) continue;
      admitted = unionConnections(admitted, rulePorts(rule, direction === 'Ingress' ? subject : undefined));
    }
    missing = unionConnections(missing, subtractConnections(entry.conn, admitted));
  }
  return missing;
}
