// Domain-name destinations (`domainNames` peers of cluster policy egress rules). Which addresses a
// name resolves to is known only at run time, to the DNS-aware dataplane, so the analysis keeps
// every name pattern a policy writes as an external peer of its own, `dns:<pattern>`, and decides
// connections to it from the rules that speak about names. An address rule covers such a peer only
// when it admits every IPv4 address, as nothing else is known about where the name points.

import { type Intervals, intervalsContain } from './intervals.ts';
import type { CompiledClusterPolicy, ExternalPeer } from './model.ts';

/** The id prefix of domain-name peers. */
export const DOMAIN_PEER_PREFIX = 'dns:';

/** Domain names compare case-insensitively, with or without the root's trailing dot. */
export function normaliseDomain(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/**
 * Whether the pattern `pattern` (exact, or `*.` followed by a suffix matching one or more whole
 * labels) covers every name `name` stands for. A wildcard name is covered by a wildcard of a
 * parent domain: `*.a.example.com` lies inside `*.example.com`; `*.example.com` does not cover
 * `example.com` itself, and an exact name never covers a wildcard.
 */
export function domainCovers(pattern: string, name: string): boolean {
  if (!pattern.startsWith('*.')) return pattern === name;
  const suffix = pattern.slice(1); // `.example.com`
  const bare = name.startsWith('*.') ? name.slice(2) : name;
  return name.startsWith('*.') ? bare === suffix.slice(1) || bare.endsWith(suffix) : name.endsWith(suffix);
}

/** The external peer standing for the names `pattern` matches (its addresses span all of IPv4: unknown). */
export function domainPeer(pattern: string): ExternalPeer {
  const domain = normaliseDomain(pattern);
  return { type: 'external', id: `${DOMAIN_PEER_PREFIX}${domain}`, first: 0, last: 0xffffffff, domain };
}

/** Every name pattern the egress `domainNames` peers of `policies` write, normalised, sorted, once each. */
export function domainsNamed(policies: readonly CompiledClusterPolicy[]): string[] {
  const out = new Set<string>();
  for (const policy of policies) {
    for (const rule of policy.egress) for (const peer of rule.peers) for (const d of peer.domains) out.add(d);
  }
  return [...out].sort();
}

function coversEveryAddress(ipv4: Intervals): boolean {
  return ipv4.length === 2 && ipv4[0] === 0 && ipv4[1] === 0xffffffff;
}

/**
 * Whether a rule peer (NetworkPolicy ipBlock or cluster policy peer) matches an external peer: an
 * address range when it lies wholly inside the peer's addresses; a domain-name peer when one of
 * the peer's names covers it, or the peer admits every IPv4 address.
 */
export function peerMatchesExternal(
  peer: { readonly ipv4: Intervals | undefined; readonly domains?: readonly string[] },
  other: ExternalPeer,
): boolean {
  if (other.domain !== undefined) {
    const domain = other.domain;
    if (peer.domains?.some((pattern) => domainCovers(pattern, domain))) return true;
    return peer.ipv4 !== undefined && coversEveryAddress(peer.ipv4);
  }
  return (
    peer.ipv4 !== undefined &&
    intervalsContain(peer.ipv4, other.first) &&
    intervalsContain(peer.ipv4, other.last)
  );
}
