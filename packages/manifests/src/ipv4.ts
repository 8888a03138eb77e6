// IPv4 addresses as unsigned 32-bit integers and IPv4 CIDR blocks as the inclusive address range
// they cover: the one conversion the validator, the evaluator, authoring and the app share.
//
// It sits in this package, on top of the Go-compatible parser in validate/cidr.ts, because the
// validator is here and every other package depends on this one: placed any higher (in the
// evaluator, say), the validator could not use it without a dependency cycle, and addresses
// would again be parsed two ways. The evaluator re-exports it beside its interval algebra
// (`Intervals`), so authoring and the app import both from the evaluator.

import { maskCIDR, parseCIDR, parseIPSloppy } from './validate/cidr.ts';

/** The whole IPv4 space as an inclusive range (also a one-interval `Intervals` set). */
export const IPV4_ALL: readonly [number, number] = [0, 0xffffffff];

/** A 4-byte IPv4 address (network byte order) as an unsigned 32-bit integer. */
export function ipv4FromBytes(bytes: Uint8Array): number {
  return ((bytes[0]! << 24) >>> 0) + (bytes[1]! << 16) + (bytes[2]! << 8) + bytes[3]!;
}

/**
 * Parses a dotted-quad IPv4 address (a pod, node or typed address) into an unsigned integer.
 * Octets with leading zeros are read as decimal, as Kubernetes reads the IPs it stores
 * (`netutils.ParseIPSloppy`); anything else Go's parser refuses (IPv6, a prefix, whitespace)
 * gives undefined.
 */
export function parseIPv4(text: string): number | undefined {
  const bytes = parseIPSloppy(text);
  return bytes?.length === 4 ? ipv4FromBytes(bytes) : undefined;
}

/** Formats an unsigned integer as a dotted-quad IPv4 address. */
export function formatIPv4(value: number): string {
  return `${(value >>> 24) & 255}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

/**
 * An IPv4 CIDR as the inclusive range `[first, last]` of addresses it covers, host bits masked
 * (`10.1.2.3/8` covers 10.0.0.0-10.255.255.255). Parsed as {@link parseCIDR} does (Go's
 * `net.ParseCIDR`); undefined for IPv6 blocks and anything that is not a CIDR.
 */
export function cidrToInterval(text: string): readonly [number, number] | undefined {
  const parsed = parseCIDR(text);
  if (parsed?.family !== 4) return undefined;
  const first = ipv4FromBytes(maskCIDR(parsed).bytes);
  return [first, first + 2 ** (32 - parsed.prefix) - 1];
}
