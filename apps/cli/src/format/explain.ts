/**
 * netpol-analyzer's `list --explain` txt report: per pair of peers, which ports are allowed or
 * denied and by which policies and rules; pairs left entirely to the system default are only
 * listed at the end.
 */

import {
  type ConnectionSet,
  type ExplainReason,
  type ExplainSegment,
  intersectConnections,
  isEmptyConnections,
  type PairExplanation,
  type Peer,
  PROTOCOLS,
  type SideVerdict,
} from '@netpol-atlas/evaluator';
import { compareGo } from './common.ts';

const SPECIFIC_HEADER = 'Specific connections and their reasons';
const SYSTEM_DEFAULT_HEADER = 'All Connections due to the system default (Allow all)';
const SYSTEM_DEFAULT = 'due to the system default (Allow all)';
const PAIR_SEPARATOR = '-'.repeat(160);

/**
 * Renders pair explanations (any order; they are sorted here) as netpol-analyzer's
 * `list --explain` prints them in txt: the "Specific connections and their reasons" blocks (pairs
 * sorted by src then dst, Go byte order), then the pairs that only the system default decides.
 */
export function formatPairExplanations(pairs: readonly PairExplanation[]): string {
  const sorted = [...pairs].sort((a, b) => compareGo(a.src.id, b.src.id) || compareGo(a.dst.id, b.dst.id));
  const specific = sorted.filter((p) => !p.systemDefaultOnly);
  const defaults = sorted.filter((p) => p.systemDefaultOnly);
  let out = '';
  if (specific.length > 0) {
    out += groupHeader(SPECIFIC_HEADER);
    for (const pair of specific) out += `${PAIR_SEPARATOR}\n${pairText(pair)}`;
  }
  if (defaults.length > 0) {
    out += groupHeader(SYSTEM_DEFAULT_HEADER);
    for (const pair of defaults) out += `${pair.src.id} => ${pair.dst.id}\n`;
  }
  return out;
}

/** What `list --explain` keeps: `--explain-only allow|deny` and `--focus-conn`. */
export interface ExplainNarrowing {
  only?: 'allow' | 'deny' | undefined;
  /** The focus connection as a set: segments are cut down to it. */
  conn?: ConnectionSet | undefined;
}

/**
 * The explanations narrowed as netpol-analyzer narrows them: each segment cut down to the focus
 * connection, only allowed or only denied segments kept, and pairs left with nothing dropped.
 * Pairs decided by the system default alone are allowed: `--explain-only deny` drops them.
 */
export function narrowExplanations(
  pairs: readonly PairExplanation[],
  narrowing: ExplainNarrowing,
): PairExplanation[] {
  const { only, conn } = narrowing;
  if (only === undefined && conn === undefined) return [...pairs];
  const out: PairExplanation[] = [];
  for (const pair of pairs) {
    const segments = pair.segments
      .filter((s) => only === undefined || s.allowed === (only === 'allow'))
      .map((s) => (conn ? { ...s, conn: intersectConnections(s.conn, conn) } : s))
      .filter((s) => !isEmptyConnections(s.conn));
    if (segments.length > 0) out.push({ ...pair, segments });
  }
  return out;
}

function groupHeader(title: string): string {
  const line = `# ${title} #`;
  const frame = '#'.repeat(line.length);
  return `\n${frame}\n${line}\n${frame}\n`;
}

function pairText(pair: PairExplanation): string {
  let out = `Connections between ${pair.src.id} => ${pair.dst.id}:\n\n`;
  for (const allowed of [true, false]) {
    const blocks = pair.segments
      .filter((s) => s.allowed === allowed)
      .map((s) => segmentText(s, pair.src, pair.dst))
      .sort(compareGo);
    if (blocks.length > 0) out += `${allowed ? 'Allowed' : 'Denied'} connections:\n${blocks.join('')}`;
  }
  return out;
}

function segmentText(segment: ExplainSegment, src: Peer, dst: Peer): string {
  // A pair that cluster policies decide for some ports only leaves the others to the default alone.
  if (segment.egress.systemDefault && segment.ingress.systemDefault) {
    return `\t${segment.allowed ? 'Allowed' : 'Denied'} ${portsText(segment.conn)} ${SYSTEM_DEFAULT}\n\n`;
  }
  return (
    `\t${segment.allowed ? 'Allowed' : 'Denied'} ${portsText(segment.conn)} due to the following policies and rules:\n` +
    sideText(segment.egress, src, dst) +
    sideText(segment.ingress, dst, src) +
    '\n'
  );
}

/** `TCP:[1-79,81-65535], UDP, SCTP`: protocols in TCP, UDP, SCTP order, a fully covered one by name alone. */
export function portsText(conn: ConnectionSet): string {
  const pieces: string[] = [];
  for (const protocol of PROTOCOLS) {
    const ranges = conn[protocol];
    if (ranges.length === 0) continue;
    if (ranges.length === 2 && ranges[0] === 1 && ranges[1] === 65535) {
      pieces.push(protocol);
      continue;
    }
    const parts: string[] = [];
    for (let i = 0; i < ranges.length; i += 2) {
      parts.push(ranges[i] === ranges[i + 1] ? String(ranges[i]) : `${ranges[i]}-${ranges[i + 1]}`);
    }
    pieces.push(`${protocol}:[${parts.join(',')}]`);
  }
  return pieces.join(', ');
}

/** One side of a segment; `subject` is the peer whose policies decide it, `other` the far end. */
function sideText(verdict: SideVerdict, subject: Peer, other: Peer): string {
  if (verdict.unexplained) return '';
  const head = `\t\t${verdict.direction} (${verdict.allowed ? 'Allowed' : 'Denied'})`;
  if (verdict.systemDefault) return `${head} ${SYSTEM_DEFAULT}\n`;
  // Cluster-wide tiers come first, in the order they were evaluated; then the NetworkPolicy layer.
  const chain = verdict.reasons.filter((r) => r.kind === 'tier-rule' || r.kind === 'system-default');
  const layer = verdict.reasons.filter((r) => r.kind !== 'tier-rule' && r.kind !== 'system-default');
  const chainText = chain.map((r) => `\t\t\t${reasonText(r, subject, other)}\n`).join('');
  const reasons = layer.map((r) => reasonText(r, subject, other)).sort(compareGo);
  if (reasons.length === 0) return `${head}\n${chainText}`;
  if (reasons.length === 1) return `${head}\n${chainText}\t\t\t${reasons[0]}\n`;
  return `${head}\n${chainText}\t\t\tNetworkPolicy list:\n${reasons.map((r) => `\t\t\t\t- ${r}\n`).join('')}\n`;
}

const TIER_VERBS = { Accept: 'allows', Deny: 'denies', Pass: 'passes' } as const;

/** netpol-analyzer's wording of one reason; rules are numbered from 1. */
export function reasonText(reason: ExplainReason, subject: Peer, other: Peer): string {
  if (reason.kind === 'system-default') return SYSTEM_DEFAULT.replace(/^due to /, '');
  if (reason.kind === 'tier-rule') {
    // ClusterNetworkPolicy names its tier (one kind, two tiers); v1alpha1 kinds imply it.
    const tier = reason.policyKind === 'ClusterNetworkPolicy' ? ` (${reason.tier} tier)` : '';
    const rule = reason.ruleName ? reason.ruleName : `#${reason.rule + 1}`;
    return `${reason.policyKind} '${reason.policy}'${tier} ${TIER_VERBS[reason.action]} connections by ${reason.direction} rule ${rule}`;
  }
  const policy = `NetworkPolicy '${reason.policy}'`;
  switch (reason.kind) {
    case 'allowed-by-rule':
      return `${policy} allows connections by ${reason.direction} rule #${reason.rule + 1}`;
    case 'ports-mismatch':
      return (
        `${policy} selects ${subject.id}, and ${reason.direction} rule #${reason.rule + 1} selects ${other.id}, but ` +
        (reason.namedPortsUnmatched
          ? 'named ports of the rule have no match in the configuration of the destination peer'
          : 'the protocols and ports do not match')
      );
    case 'not-selected':
      return (
        `${policy} selects ${subject.id}, but ${other.id} is not allowed by any ${reason.direction} rule` +
        (reason.noRules ? ' (no rules defined)' : '')
      );
  }
}
