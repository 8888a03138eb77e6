import { type IPBlock, maskCIDR, parseCIDR } from '@netpol-atlas/manifests';
import { type Intervals, subtractIntervals, unionIntervals } from './intervals.ts';

/** The whole IPv4 space as an interval set. */
export const IPV4_ALL: Intervals = [0, 0xffffffff];

/** An IPv4 CIDR as the interval of addresses it covers (host bits masked), or undefined. */
export function cidrToInterval(text: string): Intervals | undefined {
  const parsed = parseCIDR(text);
  if (parsed?.family !== 4) return undefined;
  const masked = maskCIDR(parsed);
  const b = masked.bytes;
  const lo = ((b[0]! << 24) >>> 0) + (b[1]! << 16) + (b[2]! << 8) + b[3]!;
  const size = 2 ** (32 - masked.prefix);
  return [lo, lo + size - 1];
}

/** True when the text is an IPv6 CIDR (analysed only for IPv4 today; reported, never dropped silently). */
export function isIPv6Cidr(text: string): boolean {
  return parseCIDR(text)?.family === 6;
}

/** The addresses an ipBlock admits: `cidr` minus every `except`. Undefined for IPv6 or invalid. */
export function ipBlockIntervals(block: IPBlock): Intervals | undefined {
  const base = cidrToInterval(block.cidr);
  if (!base) return undefined;
  let out = base;
  for (const except of block.except) {
    const hole = cidrToInterval(except);
    if (hole) out = subtractIntervals(out, hole);
  }
  return out;
}

/** Parses a dotted-quad IPv4 address into an unsigned integer. */
export function parseIPv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = value * 256 + n;
  }
  return value;
}

/** Formats an unsigned integer as a dotted-quad IPv4 address. */
export function formatIPv4(value: number): string {
  return `${(value >>> 24) & 255}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
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

/** Union of many interval sets. */
export function unionAll(sets: readonly Intervals[]): Intervals {
  return sets.reduce<Intervals>((acc, s) => unionIntervals(acc, s), []);
}
