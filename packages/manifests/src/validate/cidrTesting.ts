// Renders parsed addresses back to text, so the tests of the Go-compatible parser (cidr.ts) can
// state what it read in a form people check at a glance. Nothing else prints parsed CIDRs, so
// this lives with the tests rather than in the parser.

import type { ParsedCIDR } from './cidr.ts';

/**
 * Renders a CIDR as `address/prefix`, IPv4 dotted and IPv6 in RFC 5952 form (lower-case, the
 * longest run of two or more zero groups compressed, IPv4-mapped shown as `::ffff:a.b.c.d`).
 */
export function formatCIDR(c: ParsedCIDR): string {
  return `${formatIP(c.bytes)}/${c.prefix}`;
}

/** Renders a 4- or 16-byte address (see {@link formatCIDR} for the IPv6 form). */
export function formatIP(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  if (isIPv4Mapped(bytes)) return `::ffff:${Array.from(bytes.subarray(12)).join('.')}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength && j - i >= 2) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number) =>
    groups
      .slice(from, to)
      .map((g) => g.toString(16))
      .join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}

/** `::ffff:a.b.c.d`: ten zero bytes, two 0xff bytes, then the IPv4 address. */
function isIPv4Mapped(bytes: Uint8Array): boolean {
  return (
    bytes.length === 16 &&
    bytes.subarray(0, 10).every((b) => b === 0) &&
    bytes[10] === 0xff &&
    bytes[11] === 0xff
  );
}
