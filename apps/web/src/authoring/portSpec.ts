import type { PortIntent } from '@netpol-atlas/authoring';
import type { GraphNode } from '../model/index.ts';

type Protocol = PortIntent['protocol'];
const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

/** A port the destination's containers declare, offered as a checkbox. */
export interface PortSuggestion {
  /** Stable key for the form: `TCP/8080/http`. */
  key: string;
  protocol: Protocol;
  port: number;
  name: string | undefined;
  /** `TCP 8080 (http)`. */
  label: string;
}

function asProtocol(value: string): Protocol | undefined {
  const upper = value.toUpperCase();
  return (PROTOCOLS as readonly string[]).includes(upper) ? (upper as Protocol) : undefined;
}

/** The container ports of the destination workloads, once each, in protocol and port order. */
export function portSuggestions(nodes: readonly GraphNode[]): PortSuggestion[] {
  const byKey = new Map<string, PortSuggestion>();
  for (const node of nodes) {
    for (const p of node.ports) {
      const protocol = asProtocol(p.protocol) ?? 'TCP';
      const key = `${protocol}/${p.port}/${p.name ?? ''}`;
      if (byKey.has(key)) continue;
      byKey.set(key, {
        key,
        protocol,
        port: p.port,
        name: p.name,
        label: `${protocol} ${p.port}${p.name ? ` (${p.name})` : ''}`,
      });
    }
  }
  return [...byKey.values()].sort(
    (a, b) => PROTOCOLS.indexOf(a.protocol) - PROTOCOLS.indexOf(b.protocol) || a.port - b.port,
  );
}

// An IANA service name, as Kubernetes accepts for a named port: letters, digits and inner dashes.
const PORT_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

function parseItem(item: string): PortIntent | string {
  // `TCP 80`, `80/TCP`, `80-90`, `UDP`, `http`, `TCP http`: protocol first or after a slash.
  const spaced = item.split(/\s+/);
  let protocol: Protocol = 'TCP';
  let rest = item;
  if (spaced.length === 2) {
    const p = asProtocol(spaced[0]!);
    if (!p) return `"${item}": expected a protocol (TCP, UDP or SCTP) before the port`;
    protocol = p;
    rest = spaced[1]!;
  } else if (spaced.length > 2) {
    return `"${item}": one port or range per item, separated by commas`;
  } else if (item.includes('/')) {
    const [port, proto] = item.split('/');
    const p = asProtocol(proto ?? '');
    if (!p) return `"${item}": expected a protocol (TCP, UDP or SCTP) after the slash`;
    protocol = p;
    rest = port ?? '';
  } else {
    const p = asProtocol(item);
    if (p) return { protocol: p };
  }
  const range = /^(\d+)(?:-(\d+))?$/.exec(rest);
  if (range) {
    const port = Number(range[1]);
    const end = range[2] === undefined ? undefined : Number(range[2]);
    if (port < 1 || port > 65535 || (end !== undefined && (end < port || end > 65535))) {
      return `"${item}": ports go from 1 to 65535, and a range from low to high`;
    }
    return end === undefined || end === port ? { protocol, port } : { protocol, port, endPort: end };
  }
  if (PORT_NAME.test(rest) && rest.length <= 15 && /[a-z]/.test(rest)) return { protocol, port: rest };
  return `"${item}" is not a port: write e.g. TCP 443, UDP 53, 8000-8080 or a port name such as http`;
}

/**
 * Reads the "more ports" field: items separated by commas, each a port, a range, a port name
 * (resolved on the destination's containers) or a bare protocol (all its ports); TCP by default.
 */
export function parsePortList(text: string): { ports: PortIntent[] } | { error: string } {
  const ports: PortIntent[] = [];
  for (const raw of text.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const parsed = parseItem(item);
    if (typeof parsed === 'string') return { error: parsed };
    ports.push(parsed);
  }
  return { ports };
}

/** The intent's ports from the form: the ticked suggestions (by name when asked) and the typed ones. */
export function portIntents(
  suggestions: readonly PortSuggestion[],
  ticked: ReadonlySet<string>,
  byName: boolean,
  more: string,
): { ports: PortIntent[] } | { error: string } {
  const typed = parsePortList(more);
  if ('error' in typed) return typed;
  const chosen = suggestions
    .filter((s) => ticked.has(s.key))
    .map((s): PortIntent => ({ protocol: s.protocol, port: byName && s.name ? s.name : s.port }));
  const ports = [...chosen, ...typed.ports];
  if (ports.length === 0) return { error: 'Pick at least one port, or choose all ports and protocols.' };
  return { ports };
}
