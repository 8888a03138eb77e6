// The evaluator's address sets. Address parsing and CIDR ranges come from the manifests
// package's IPv4 module (one parser for the validator and the analysis); this adds what analysis
// needs on top: ipBlocks as interval sets and the atoms the external address space is cut into.

import { cidrToInterval, type IPBlock, parseCIDR, parseIPv4 } from '@netpol-atlas/manifests';
import { type Intervals, subtractIntervals } from './intervals.ts';

/** True when the text is an IPv6 CIDR (analysed only for IPv4 today; reported, never dropped silently). */
export function isIPv6Cidr(text: string): boolean {
  return parseCIDR(text)?.family === 6;
}

/**
 * {@link parseIPv4} for pod addresses, read in one pass without allocating: a build reads tens of
 * thousands of them. Four fields of one to three digits, each at most 255, is what a cluster
 * reports, and `parseIPv4` reads them the same way (leading zeros as decimal); anything else is
 * left to it.
 */
export function podIPv4(text: string): number | undefined {
  let value = 0;
  let field = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      field = field * 10 + (c - 48);
      if (++digits > 3 || field > 255) return parseIPv4(text);
    } else if (c === 46 && digits > 0 && dots < 3) {
      value = value * 256 + field;
      field = 0;
      digits = 0;
      dots++;
    } else return parseIPv4(text);
  }
  return dots === 3 && digits > 0 ? value * 256 + field : parseIPv4(text);
}

/** The addresses an ipBlock admits: `cidr` minus every `except`. Undefined for IPv6 or invalid. */
export function ipBlockIntervals(block: IPBlock): Intervals | undefined {
  const base = cidrToInterval(block.cidr);
  if (!base) return undefined;
  let out: Intervals = base;
  for (const except of block.except) {
    const hole = cidrToInterval(except);
    if (hole) out = subtractIntervals(out, hole);
  }
  return out;
}

/**
 * Cuts the IPv4 space into disjoint atoms at every boundary of the given interval sets, so that
 * each atom lies entirely inside or entirely outside each set. Returned as `[first, last]` pairs
 * in address order, covering 0.0.0.0-255.255.255.255.
 */
export function ipAtoms(sets: readonly Intervals[]): Array<[number, number]> {
  const cuts = new Set<number>([0]);
  for (const set of sets) {
    for (let i = 0; i < set.length; i += 2) {
      cuts.add(set[i]!);
      if (set[i + 1]! < 0xffffffff) cuts.add(set[i + 1]! + 1);
    }
  }
  const starts = [...cuts].sort((a, b) => a - b);
  return starts.map((start, i) => [start, i + 1 < starts.length ? starts[i + 1]! - 1 : 0xffffffff]);
}
