// The evaluator's address sets. Address parsing and CIDR ranges come from the manifests
// package's IPv4 module (one parser for the validator and the analysis); this adds what analysis
// needs on top: ipBlocks as interval sets and the atoms the external address space is cut into.

import { cidrToInterval, type IPBlock, parseCIDR } from '@netpol-atlas/manifests';
import { type Intervals, subtractIntervals } from './intervals.ts';

/** True when the text is an IPv6 CIDR (analysed only for IPv4 today; reported, never dropped silently). */
export function isIPv6Cidr(text: string): boolean {
  return parseCIDR(text)?.family === 6;
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
