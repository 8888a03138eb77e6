import { cidrToInterval, formatIPv4 } from '@netpol-atlas/evaluator';

/** A parsed IPv4 CIDR: its masked text and the addresses it covers. */
export interface IPv4Block {
  text: string;
  first: number;
  last: number;
}

/** Parses an IPv4 CIDR, masking host bits (`10.1.2.3/8` is `10.0.0.0/8`). Undefined otherwise. */
export function parseIPv4Block(text: string): IPv4Block | undefined {
  const range = cidrToInterval(text);
  if (!range) return undefined;
  const [first, last] = range;
  // A block covers a power of two addresses, so the prefix is exact.
  const prefix = 32 - Math.log2(last - first + 1);
  return { text: `${formatIPv4(first)}/${prefix}`, first, last };
}
