/**
 * Finding a peer from what a person types: the forms the CLI takes (`ns/name[Kind]`, `ns/name`,
 * `name` when only one workload has it, an IPv4 address) plus CIDRs, ranked suggestions while
 * typing, and a reason when nothing (or more than one thing) matches.
 */
import { formatIPv4, parseExternalRangeId, parseIPv4 } from '@netpol-atlas/evaluator';
import type { GraphNode } from '../model/index.ts';

/** Suggestions shown under a peer field. */
export const SUGGESTION_LIMIT = 20;

/** `ns/name` of a workload, the CLI's short form; undefined for address ranges. */
function shortName(node: GraphNode): string | undefined {
  return node.type === 'workload' && node.namespace !== undefined
    ? `${node.namespace}/${node.label}`
    : undefined;
}

/** Each node with its lower-case search keys (id, `ns/name`, name), cached per node list. */
const searchKeys = new WeakMap<readonly GraphNode[], { node: GraphNode; keys: string[] }[]>();

function keyed(nodes: readonly GraphNode[]): { node: GraphNode; keys: string[] }[] {
  let list = searchKeys.get(nodes);
  if (!list) {
    list = nodes.map((node) => ({
      node,
      keys: [node.id, shortName(node), node.label].flatMap((k) => (k === undefined ? [] : [k.toLowerCase()])),
    }));
    searchKeys.set(nodes, list);
  }
  return list;
}

/** 0: exact, 1: prefix, 2: substring, undefined: no match. `q` is lower case. */
function matchRank(keys: readonly string[], q: string): 0 | 1 | 2 | undefined {
  if (keys.some((k) => k === q)) return 0;
  if (keys.some((k) => k.startsWith(q))) return 1;
  if (keys.some((k) => k.includes(q))) return 2;
  return undefined;
}

/**
 * The peers matching a query, best first: exact matches (of the id, `ns/name` or the name), then
 * prefixes, then substrings; shorter ids first within a rank, then alphabetical. So
 * "team005/api-1" ranks `team005/api-1[Deployment]` above `team005/api-11[Deployment]`.
 */
export function rankPeers(nodes: readonly GraphNode[], query: string, limit = SUGGESTION_LIMIT): GraphNode[] {
  const q = query.trim().toLowerCase();
  if (q === '') return [];
  const ranked: { node: GraphNode; rank: number }[] = [];
  for (const { node, keys } of keyed(nodes)) {
    const rank = matchRank(keys, q);
    if (rank !== undefined) ranked.push({ node, rank });
  }
  ranked.sort(
    (a, b) =>
      a.rank - b.rank ||
      a.node.id.length - b.node.id.length ||
      (a.node.id < b.node.id ? -1 : a.node.id > b.node.id ? 1 : 0),
  );
  return ranked.slice(0, limit).map((r) => r.node);
}

/** Levenshtein distance, giving up (returning `max + 1`) once it must exceed `max`. */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
      row.push(value);
      best = Math.min(best, value);
    }
    if (best > max) return max + 1;
    previous = row;
  }
  return previous[b.length]!;
}

/**
 * Suggestions for text that matches nothing: the ranked matches when there are some, else the
 * peers within a few typos (one per four characters, at least one) of the text.
 */
export function closestPeers(nodes: readonly GraphNode[], text: string, limit: number): GraphNode[] {
  const ranked = rankPeers(nodes, text, limit);
  if (ranked.length > 0) return ranked;
  const q = text.trim().toLowerCase();
  const max = Math.max(1, Math.floor(q.length / 4));
  const near: { node: GraphNode; distance: number }[] = [];
  for (const node of nodes) {
    const keys = [node.id, shortName(node), node.label].flatMap((k) =>
      k === undefined ? [] : [k.toLowerCase()],
    );
    const distance = Math.min(...keys.map((k) => editDistance(q, k, max)));
    if (distance <= max) near.push({ node, distance });
  }
  near.sort((a, b) => a.distance - b.distance || (a.node.id < b.node.id ? -1 : 1));
  return near.slice(0, limit).map((n) => n.node);
}

/** What typed text stands for: a peer id the explainer knows, or why there is none. */
export type PeerResolution =
  | { ok: true; id: string; note: string | undefined }
  | {
      ok: false;
      code: 'empty' | 'unknown' | 'ambiguous' | 'invalid-address';
      message: string;
      /** The peers it could mean (ambiguous), or the closest ones (unknown). */
      candidates: string[];
    };

const ADDRESS = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/;
/** The inclusive address range of an address range node, from its id (parsed where ids are made). */
function nodeRange(node: GraphNode): [number, number] | undefined {
  const range = parseExternalRangeId(node.id);
  return range && [range.first, range.last];
}

function resolveAddress(nodes: readonly GraphNode[], text: string): PeerResolution {
  const m = ADDRESS.exec(text)!;
  const address = parseIPv4(m.slice(1, 5).join('.'));
  const prefix = m[5] === undefined ? 32 : Number(m[5]);
  if (address === undefined || prefix > 32)
    return {
      ok: false,
      code: 'invalid-address',
      message: `"${text}" is not an IPv4 address or CIDR (four numbers 0-255, then /0-/32)`,
      candidates: [],
    };
  const size = 2 ** (32 - prefix);
  const first = Math.floor(address / size) * size;
  const last = first + size - 1;
  const ranges = nodes.flatMap((n) => {
    const r = n.type === 'external' ? nodeRange(n) : undefined;
    return r && r[0] <= last && r[1] >= first ? [{ id: n.id, r }] : [];
  });
  const containing = ranges.find(({ r }) => r[0] <= first && r[1] >= last);
  if (containing) return { ok: true, id: containing.id, note: undefined };
  if (ranges.length > 0)
    return {
      ok: false,
      code: 'ambiguous',
      message: `${text} spans address ranges that the policies treat differently: pick one`,
      candidates: ranges.map((x) => x.id),
    };
  // No connection involves any of these addresses, so any one of them stands for all.
  return {
    ok: true,
    id: formatIPv4(first),
    note:
      prefix === 32
        ? undefined
        : `No connection involves ${text}: explained for its first address, ${formatIPv4(first)}.`,
  };
}

/**
 * Resolves typed text to one peer: an exact id, `ns/name[Kind]` (kind in any case), `ns/name`,
 * a workload name, an IPv4 address or a CIDR (the address range of the graph containing it).
 * Ambiguous text lists the candidates; unknown text says so and suggests the closest peers.
 */
export function resolvePeer(nodes: readonly GraphNode[], input: string): PeerResolution {
  const text = input.trim();
  if (text === '')
    return { ok: false, code: 'empty', message: 'Type a workload or an address.', candidates: [] };
  const lower = text.toLowerCase();
  const exact = nodes.find((n) => n.id === text) ?? keyed(nodes).find((k) => k.keys[0] === lower)?.node;
  if (exact) return { ok: true, id: exact.id, note: undefined };
  if (ADDRESS.test(text)) return resolveAddress(nodes, text);
  const workloads = nodes.filter((n) => n.type === 'workload');
  const named = text.includes('/')
    ? workloads.filter((n) => shortName(n) === text)
    : workloads.filter((n) => n.label === text);
  if (named.length === 1) return { ok: true, id: named[0]!.id, note: undefined };
  if (named.length > 1)
    return {
      ok: false,
      code: 'ambiguous',
      message: `${named.length} workloads match "${text}": pick one`,
      candidates: named.map((n) => n.id).sort(),
    };
  return {
    ok: false,
    code: 'unknown',
    message: `No workload or address matches "${text}".`,
    candidates: closestPeers(nodes, text, 5).map((n) => n.id),
  };
}
