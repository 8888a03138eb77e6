// The preview of a tightening, read from the evaluator: every observed connection of the scope
// judged before and on the edited fork, what else stays allowed and why, and the Admin-tier
// decisions NetworkPolicy cannot change.

import {
  type ConnectionSet,
  containsPort,
  type Explanation,
  explainConnection,
  formatConnectionSet,
  isEmptyConnections,
  NO_CONNECTIONS,
  type Peer,
  type SideExplanation,
  subtractConnections,
  unionConnections,
  type WorkloadPeer,
} from '@netpol-atlas/evaluator';
import type { Compiled } from '../compiled.ts';
import { DNS_PORTS, isKubeDns } from '../presets.ts';
import { addressPieces } from '../verify.ts';
import type { PlacedEnd, PlacedObservation } from './observed.ts';
import type { BeyondObserved, DeniedObserved, ObservedVerdict, TierDecided } from './types.ts';

/** What judging the observations on one revision found. */
export interface Judgement {
  kept: ObservedVerdict[];
  denied: DeniedObserved[];
  beyond: BeyondObserved[];
  tierDecided: TierDecided[];
}

/** The peers of the analysis an end stands for: the workload, or the address pieces of its range. */
function peersOf(
  ws: Compiled,
  byId: ReadonlyMap<string, WorkloadPeer>,
  end: PlacedEnd,
  as: 'src' | 'dst',
): Peer[] {
  if (end.kind === 'workload') {
    const w = byId.get(end.workload.id);
    return w ? [w] : [];
  }
  const atoms = as === 'src' ? ws.analysis.ingressExternals : ws.analysis.egressExternals;
  return addressPieces(atoms, [end.first, end.last]);
}

class Explainer {
  private readonly cache = new Map<string, Explanation>();
  constructor(private readonly ws: Compiled) {}
  explain(src: Peer, dst: Peer): Explanation {
    const key = `${src.id}\u0000${dst.id}`;
    let e = this.cache.get(key);
    if (!e) {
      e = explainConnection(this.ws.cluster, src, dst);
      this.cache.set(key, e);
    }
    return e;
  }
}

/** Whether every peer pair of an observation allows its port, and the first explanation that denies it. */
function verdict(
  ws: Compiled,
  byId: ReadonlyMap<string, WorkloadPeer>,
  explainer: Explainer,
  o: PlacedObservation,
): { allowed: boolean; denial: Explanation | undefined; explanations: Explanation[] } {
  const explanations: Explanation[] = [];
  const srcs = peersOf(ws, byId, o.src, 'src');
  const dsts = peersOf(ws, byId, o.dst, 'dst');
  if (srcs.length === 0 || dsts.length === 0) return { allowed: false, denial: undefined, explanations };
  for (const s of srcs) {
    for (const d of dsts) {
      const e = explainer.explain(s, d);
      explanations.push(e);
      if (!containsPort(e.conn, o.protocol, o.port)) return { allowed: false, denial: e, explanations };
    }
  }
  return { allowed: true, denial: undefined, explanations };
}

function sideName(side: SideExplanation): 'egress' | 'ingress' {
  return side.direction === 'Egress' ? 'egress' : 'ingress';
}

/** Why one side denies a port: a tier rule, or the NetworkPolicies that isolate the pod. */
function denialText(side: SideExplanation, protocol: PlacedObservation['protocol'], port: number): string {
  const decision = side.tiers?.decisions.find(
    (d) => d.action === 'Deny' && containsPort(d.conn, protocol, port),
  );
  if (decision) {
    return `${sideName(side)}: ${decision.policy} (${decision.tier} tier, priority ${decision.priority}) denies it`;
  }
  if (side.isolated) {
    return `${sideName(side)}: NetworkPolicy ${side.policies.join(', ')} selects ${side.subject.id} and no rule admits it`;
  }
  return `${sideName(side)}: denied`;
}

/** The Admin-tier decisions of an explanation on a port or a set of ports. */
function adminDecisions(
  e: Explanation,
  matches: (conn: ConnectionSet) => boolean,
  observed: boolean,
): TierDecided[] {
  const out: TierDecided[] = [];
  for (const side of [e.egress, e.ingress]) {
    for (const d of side.tiers?.decisions ?? []) {
      if (d.tier !== 'Admin' || d.action === 'Pass' || !matches(d.conn)) continue;
      out.push({
        src: e.src.id,
        dst: e.dst.id,
        ports: formatConnectionSet(d.conn),
        side: sideName(side),
        policy: d.policy,
        action: d.action === 'Deny' ? 'deny' : 'allow',
        observed,
      });
    }
  }
  return out;
}

function endText(end: PlacedEnd): string {
  return end.kind === 'workload' ? end.workload.id : end.text;
}

/**
 * Judges the observations on `before` and `after` (the edited fork), and lists what `after` allows
 * of the subjects' traffic beyond them (with DNS when kept), each with the reason the evaluator gives.
 */
export function judge(
  before: Compiled,
  after: Compiled,
  subjects: ReadonlySet<string>,
  relevant: readonly PlacedObservation[],
  keepDns: boolean,
): Judgement {
  const beforeExplainer = new Explainer(before);
  const afterExplainer = new Explainer(after);
  const beforeIds = new Map(before.cluster.workloads.map((w) => [w.id, w]));
  const afterIds = new Map(after.cluster.workloads.map((w) => [w.id, w]));
  const kept: ObservedVerdict[] = [];
  const denied: DeniedObserved[] = [];
  const tierDecided: TierDecided[] = [];
  const seenTier = new Set<string>();
  const addTier = (entries: TierDecided[]) => {
    for (const t of entries) {
      const key = `${t.src}|${t.dst}|${t.side}|${t.policy}|${t.ports}`;
      if (seenTier.has(key)) continue;
      seenTier.add(key);
      tierDecided.push(t);
    }
  };
  for (const o of relevant) {
    const was = verdict(before, beforeIds, beforeExplainer, o);
    const now = verdict(after, afterIds, afterExplainer, o);
    const base: ObservedVerdict = {
      src: endText(o.src),
      dst: endText(o.dst),
      protocol: o.protocol,
      port: o.port,
      count: o.count,
      allowedBefore: was.allowed,
      allowedAfter: now.allowed,
    };
    for (const e of now.explanations)
      addTier(adminDecisions(e, (c) => containsPort(c, o.protocol, o.port), true));
    if (now.allowed) {
      kept.push(base);
      continue;
    }
    const sides = now.denial
      ? [now.denial.egress, now.denial.ingress].filter((s) => !containsPort(s.conn, o.protocol, o.port))
      : [];
    denied.push({
      ...base,
      reason:
        sides.length > 0
          ? sides.map((s) => denialText(s, o.protocol, o.port)).join('; ')
          : 'an end is not in the files after the edit',
    });
  }

  const beyond: BeyondObserved[] = [];
  // The observed ports per pair, indexed once: the loop below asks for every pair of a subject.
  const byPair = new Map<string, ConnectionSet>();
  const byAddress = new Map<string, { first: number; last: number; conn: ConnectionSet }[]>();
  for (const o of relevant) {
    if (o.src.kind === 'workload' && o.dst.kind === 'workload') {
      const key = `${o.src.workload.id}\u0000${o.dst.workload.id}`;
      byPair.set(key, unionConnections(byPair.get(key) ?? NO_CONNECTIONS, o.conn));
      continue;
    }
    const [workload, address, way] =
      o.src.kind === 'workload'
        ? [o.src.workload.id, o.dst, 'to']
        : [(o.dst as { workload: WorkloadPeer }).workload.id, o.src, 'from'];
    if (address.kind !== 'external') continue;
    const key = `${way}\u0000${workload}`;
    byAddress.set(key, [
      ...(byAddress.get(key) ?? []),
      { first: address.first, last: address.last, conn: o.conn },
    ]);
  }
  const observedBetween = (src: Peer, dst: Peer): ConnectionSet => {
    let conn = NO_CONNECTIONS;
    if (src.type === 'workload' && dst.type === 'workload') {
      conn = byPair.get(`${src.id}\u0000${dst.id}`) ?? NO_CONNECTIONS;
      if (keepDns && subjects.has(src.id) && isKubeDns(dst)) conn = unionConnections(conn, DNS_PORTS);
      return conn;
    }
    const [workload, range, way] = src.type === 'workload' ? [src, dst, 'to'] : [dst, src, 'from'];
    if (workload.type !== 'workload' || range.type !== 'external') return conn;
    for (const a of byAddress.get(`${way}\u0000${workload.id}`) ?? []) {
      if (a.first <= range.first && a.last >= range.last) conn = unionConnections(conn, a.conn);
    }
    return conn;
  };
  const check = (src: Peer, dst: Peer, conn: ConnectionSet) => {
    if (isEmptyConnections(conn)) return;
    const extra = subtractConnections(conn, observedBetween(src, dst));
    if (isEmptyConnections(extra)) return;
    const e = afterExplainer.explain(src, dst);
    const reasons: string[] = [];
    for (const side of [e.egress, e.ingress]) {
      if (side.subject.type !== 'workload' || !subjects.has(side.subject.id)) continue;
      const tier = side.tiers?.decisions.find(
        (d) => d.tier === 'Admin' && d.action !== 'Deny' && d.action !== 'Pass',
      );
      if (tier)
        reasons.push(
          `${sideName(side)}: ${tier.policy} (Admin tier) allows it; NetworkPolicy cannot change that`,
        );
      else if (side.allowedBy.length > 0) {
        const rules = [...new Set(side.allowedBy.map((m) => `${m.policy} ${sideName(side)} rule ${m.rule}`))];
        reasons.push(`${sideName(side)}: ${rules.join(', ')}`);
      } else if (!side.isolated) reasons.push(`${sideName(side)}: not isolated`);
    }
    addTier(adminDecisions(e, (c) => !isEmptyConnections(c), false).filter((t) => t.action === 'allow'));
    beyond.push({ src: src.id, dst: dst.id, ports: formatConnectionSet(extra), reason: reasons.join('; ') });
  };
  const { analysis, cluster } = after;
  for (const v of cluster.workloads) {
    if (!subjects.has(v.id)) continue;
    for (const w of cluster.workloads) {
      if (w.index === v.index) continue;
      check(v, w, analysis.between(v.index, w.index));
      if (!subjects.has(w.id)) check(w, v, analysis.between(w.index, v.index));
    }
    for (const [k, x] of analysis.egressExternals.entries()) check(v, x, analysis.toExternal(v.index, k));
    for (const [k, x] of analysis.ingressExternals.entries()) check(x, v, analysis.fromExternal(k, v.index));
  }
  return { kept, denied, beyond, tierDecided };
}
