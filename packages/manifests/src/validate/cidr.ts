// CIDR parsing and containment with Go's semantics, so that what we accept, reject and call a
// subset matches what the API server's NetworkPolicy validation decides. Hand-written on purpose:
// JS address libraries (ipaddr.js and the like) accept forms Go refuses (leading zeros, zones).

/** A parsed CIDR block. */
export interface ParsedCIDR {
  /** 4 when written as a dotted quad, 6 when written in IPv6 notation (IPv4-mapped included). */
  family: 4 | 6;
  /** The address as written (4 or 16 bytes, network byte order); host bits are NOT cleared. */
  bytes: Uint8Array;
  /** Prefix length, 0-32 for IPv4 and 0-128 for IPv6. */
  prefix: number;
}

// Go's dtoi gives up at this value, so absurdly long prefix strings are rejected, not wrapped.
const DTOI_BIG = 0xffffff;

/**
 * Parses `addr/prefix` the way Go's `net.ParseCIDR` does: a dotted-quad IPv4 address or an
 * IPv6 address (with `::` compression and an embedded trailing IPv4 part), then a decimal
 * prefix length no larger than the address width. Leading zeros in IPv4 octets are rejected
 * (Go >= 1.17, and Kubernetes' strict IP validation) because they are read as octal by libc;
 * zones (`%eth0`), whitespace and IPv6 groups of more than four digits are rejected too.
 * Leading zeros in the prefix length (`/08`) are accepted, as Go does.
 *
 * @returns the parsed block, or `undefined` when `text` is not a valid CIDR.
 */
export function parseCIDR(text: string): ParsedCIDR | undefined {
  return parseCIDRWith(text, false);
}

/**
 * Like {@link parseCIDR}, but also accepts IPv4 octets with leading zeros (`010.0.0.0/8`, read
 * as decimal 10), as Kubernetes' `netutils.ParseCIDRSloppy` does. The validator uses it to tell
 * "leading zeros" apart from "not a CIDR at all" and to keep checking `except` in that case,
 * the way the API server does; use {@link parseCIDR} for anything else.
 */
export function parseCIDRSloppy(text: string): ParsedCIDR | undefined {
  return parseCIDRWith(text, true);
}

/**
 * Why a CIDR that {@link parseCIDRSloppy} reads is still refused under Kubernetes'
 * StrictIPCIDRValidation (beta and on by default since 1.36, GA in 1.38), in the order the API
 * server checks: leading zeros (in an octet or in the prefix length, which Go's
 * `netip.ParsePrefix` refuses), an IPv4-mapped IPv6 address, then bits set after the prefix.
 *
 * @param text the value as written
 * @param parsed `parseCIDRSloppy(text)`
 * @returns the first problem, or `undefined` when the value is a canonical-enough subnet
 */
export function strictCIDRProblem(
  text: string,
  parsed: ParsedCIDR,
): 'leading-zeros' | 'ipv4-mapped' | 'host-bits' | undefined {
  const slash = text.indexOf('/');
  const prefixText = text.slice(slash + 1);
  if (parseCIDR(text) === undefined || (prefixText.length > 1 && prefixText[0] === '0')) {
    return 'leading-zeros';
  }
  if (parsed.family === 6 && to4(parsed.bytes) !== undefined) return 'ipv4-mapped';
  if (!bytesEqual(parsed.bytes, maskBytes(parsed.bytes, parsed.prefix))) return 'host-bits';
  return undefined;
}

function parseCIDRWith(text: string, sloppy: boolean): ParsedCIDR | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = parseIPWith(text.slice(0, slash), sloppy);
  if (address === undefined) return undefined;
  const bits = address.length * 8;
  const prefix = parsePrefixLength(text.slice(slash + 1));
  if (prefix === undefined || prefix > bits) return undefined;
  return { family: address.length === 4 ? 4 : 6, bytes: address, prefix };
}

/**
 * Parses a bare IP address the way Kubernetes' `netutils.ParseIPSloppy` does: Go's
 * `netip.ParseAddr` minus zones, except that IPv4 octets with leading zeros are read as decimal
 * (as for the addresses the API server has stored).
 *
 * @returns 4 bytes for a dotted quad, 16 for IPv6 notation, `undefined` when invalid.
 */
export function parseIPSloppy(text: string): Uint8Array | undefined {
  return parseIPWith(text, true);
}

function parseIPWith(text: string, sloppy: boolean): Uint8Array | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '.') return parseDottedQuad(text, sloppy);
    if (c === ':') return parseIPv6(text, sloppy);
    if (c === '%') return undefined;
  }
  return undefined;
}

/**
 * Returns a copy of `c` with every bit after the prefix cleared (`10.1.2.3/8` -> `10.0.0.0/8`),
 * which is the network `net.ParseCIDR` returns and the form containment is computed on.
 */
export function maskCIDR(c: ParsedCIDR): ParsedCIDR {
  return { family: c.family, bytes: maskBytes(c.bytes, c.prefix), prefix: c.prefix };
}

/**
 * Whether `address` (4 or 16 bytes) lies inside `cidr`, following Go's `IPNet.Contains`: IPv4
 * and IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`) are compared as IPv4, so an IPv4-mapped
 * block contains the matching dotted-quad addresses; otherwise the families must agree.
 */
export function cidrContains(cidr: ParsedCIDR, address: Uint8Array): boolean {
  const network = maskBytes(cidr.bytes, cidr.prefix);
  const net4 = to4(network);
  const netBytes = net4 ?? network;
  // A 16-byte mask applied to a 4-byte network keeps only its last 32 bits.
  const maskLength = net4 !== undefined && cidr.family === 6 ? Math.max(0, cidr.prefix - 96) : cidr.prefix;
  const ip = to4(address) ?? address;
  if (ip.length !== netBytes.length) return false;
  return bytesEqual(maskBytes(ip, maskLength), maskBytes(netBytes, maskLength));
}

/**
 * Whether `inner` is a strict subset of `outer`, as the API server decides it for
 * `ipBlock.except`: `outer` must contain `inner`'s network address and have a strictly shorter
 * prefix. Like Go, the prefixes are compared as written, even across IPv4 / IPv4-mapped forms.
 */
export function isStrictSubset(inner: ParsedCIDR, outer: ParsedCIDR): boolean {
  return cidrContains(outer, maskBytes(inner.bytes, inner.prefix)) && outer.prefix < inner.prefix;
}

function parsePrefixLength(text: string): number | undefined {
  if (text.length === 0) return undefined;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return undefined;
    n = n * 10 + d;
    if (n >= DTOI_BIG) return undefined;
  }
  return n;
}

function parseDottedQuad(text: string, sloppy: boolean): Uint8Array | undefined {
  const out = new Uint8Array(4);
  return parseDottedQuadInto(text, out, 0, sloppy) ? out : undefined;
}

function parseDottedQuadInto(text: string, out: Uint8Array, offset: number, sloppy: boolean): boolean {
  const fields = text.split('.');
  if (fields.length !== 4) return false;
  for (let i = 0; i < 4; i++) {
    const field = sloppy ? (fields[i] ?? '').replace(/^0+(?=[0-9])/, '') : (fields[i] ?? '');
    if (field.length === 0 || field.length > 3 || !/^[0-9]+$/.test(field)) return false;
    if (field.length > 1 && field[0] === '0') return false;
    const value = Number(field);
    if (value > 255) return false;
    out[offset + i] = value;
  }
  return true;
}

function parseIPv6(text: string, sloppy: boolean): Uint8Array | undefined {
  const ip = new Uint8Array(16);
  let s = text;
  let ellipsis = -1;
  let i = 0;
  if (s.startsWith('::')) {
    ellipsis = 0;
    s = s.slice(2);
    if (s.length === 0) return ip;
  }
  while (i < 16) {
    let off = 0;
    let acc = 0;
    for (; off < s.length; off++) {
      const d = hexValue(s.charCodeAt(off));
      if (d < 0) break;
      if (off > 3) return undefined;
      acc = acc * 16 + d;
    }
    if (off === 0) return undefined;
    if (off < s.length && s[off] === '.') {
      // An embedded IPv4 part must be the last 32 bits of the address.
      if ((ellipsis < 0 && i !== 12) || i + 4 > 16) return undefined;
      if (!parseDottedQuadInto(s, ip, i, sloppy)) return undefined;
      i += 4;
      s = '';
      break;
    }
    ip[i] = acc >> 8;
    ip[i + 1] = acc & 0xff;
    i += 2;
    s = s.slice(off);
    if (s.length === 0) break;
    if (s[0] !== ':' || s.length === 1) return undefined;
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) return undefined;
      ellipsis = i;
      s = s.slice(1);
      if (s.length === 0) break;
    }
  }
  if (s.length !== 0) return undefined;
  if (i < 16) {
    if (ellipsis < 0) return undefined;
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) ip[j + n] = ip[j] ?? 0;
    ip.fill(0, ellipsis, ellipsis + n);
  } else if (ellipsis >= 0) {
    // `::` must stand for at least one group of zeros.
    return undefined;
  }
  return ip;
}

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

function maskBytes(bytes: Uint8Array, prefix: number): Uint8Array {
  const out = new Uint8Array(bytes);
  for (let i = 0; i < out.length; i++) {
    const keep = Math.min(8, Math.max(0, prefix - i * 8));
    out[i] = (out[i] ?? 0) & ((0xff << (8 - keep)) & 0xff);
  }
  return out;
}

// Go's IP.To4: the IPv4 form of a dotted quad or an IPv4-mapped IPv6 address.
function to4(bytes: Uint8Array): Uint8Array | undefined {
  if (bytes.length === 4) return bytes;
  if (bytes.length !== 16) return undefined;
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return undefined;
  if (bytes[10] !== 0xff || bytes[11] !== 0xff) return undefined;
  return bytes.subarray(12);
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
