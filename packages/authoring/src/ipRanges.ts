import { formatIPv4 } from '@netpol-atlas/evaluator';
import { maskCIDR, parseCIDR } from '@netpol-atlas/manifests';

/** Disjoint, sorted, inclusive IPv4 address ranges. */
export type AddressRanges = readonly (readonly [number, number])[];

/** A parsed IPv4 CIDR: its masked text and the addresses it covers. */
export interface IPv4Block {
  text: string;
  first: number;
  last: number;
}

/** Parses an IPv4 CIDR, masking host bits (`10.1.2.3/8` is `10.0.0.0/8`). Undefined otherwise. */
export function parseIPv4Block(text: string): IPv4Block | undefined {
  const parsed = parseCIDR(text);
  if (parsed?.family !== 4) return undefined;
  const masked = maskCIDR(parsed);
  const b = masked.bytes;
  const first = ((b[0]! << 24) >>> 0) + (b[1]! << 16) + (b[2]! << 8) + b[3]!;
  const last = first + 2 ** (32 - masked.prefix) - 1;
  return { text: `${formatIPv4(first)}/${masked.prefix}`, first, last };
}

/** `ranges` minus `[first, last]`. */
export function subtractRange(ranges: AddressRanges, first: number, last: number): AddressRanges {
  const out: [number, number][] = [];
  for (const [lo, hi] of ranges) {
    if (hi < first || lo > last) {
      out.push([lo, hi]);
      continue;
    }
    if (lo < first) out.push([lo, first - 1]);
    if (hi > last) out.push([last + 1, hi]);
  }
  return out;
}

/** The parts of `ranges` that lie inside `[first, last]`. */
export function clipRanges(ranges: AddressRanges, first: number, last: number): AddressRanges {
  const out: [number, number][] = [];
  for (const [lo, hi] of ranges) {
    const a = Math.max(lo, first);
    const b = Math.min(hi, last);
    if (a <= b) out.push([a, b]);
  }
  return out;
}

/** True when `[first, last]` lies entirely inside `ranges`. */
export function rangesCover(ranges: AddressRanges, first: number, last: number): boolean {
  return ranges.some(([lo, hi]) => lo <= first && last <= hi);
}
