// Typed reading of the cluster-wide policy kinds (ClusterNetworkPolicy v1alpha2,
// AdminNetworkPolicy and BaselineAdminNetworkPolicy v1alpha1) and of Node objects, into one
// normalised shape: the evaluator reads both API versions the same way.

import type { FieldReader } from './decode.ts';
import type { PathSegment } from './diagnostics.ts';
import type {
  ClusterPolicyKind,
  ClusterPolicyPeer,
  ClusterPolicyPort,
  ClusterPolicyRule,
  ClusterPolicySpec,
  LabelSelector,
  NamespacedPodSelector,
} from './types.ts';

type Json = Readonly<Record<string, unknown>>;

const EMPTY_SELECTOR: LabelSelector = { matchLabels: undefined, matchExpressions: undefined };

/** Reads the spec of a cluster policy of `kind`; type errors go to the reader's diagnostics. */
export function readClusterPolicySpec(
  reader: FieldReader,
  kind: ClusterPolicyKind,
  raw: Json,
): ClusterPolicySpec {
  const spec = reader.map(raw.spec, ['spec']) ?? {};
  const v1alpha2 = kind === 'ClusterNetworkPolicy';
  const tier = v1alpha2
    ? (reader.string(spec.tier, ['spec', 'tier']) ?? '')
    : kind === 'AdminNetworkPolicy'
      ? 'Admin'
      : 'Baseline';
  return {
    tier,
    priority:
      kind === 'BaselineAdminNetworkPolicy' ? 0 : (reader.integer(spec.priority, ['spec', 'priority']) ?? 0),
    subject: readPeer(reader, spec.subject, ['spec', 'subject']),
    ingress: readRules(reader, spec.ingress, ['spec', 'ingress'], 'from', v1alpha2),
    egress: readRules(reader, spec.egress, ['spec', 'egress'], 'to', v1alpha2),
  };
}

function readRules(
  reader: FieldReader,
  value: unknown,
  path: readonly PathSegment[],
  peersField: 'from' | 'to',
  v1alpha2: boolean,
): ClusterPolicyRule[] {
  const list = reader.list(value, path) ?? [];
  return list.map((r, i) => {
    const rPath = [...path, i];
    const rule = reader.map(r, rPath) ?? {};
    const peers = reader.list(rule[peersField], [...rPath, peersField]) ?? [];
    const portsField = v1alpha2 ? 'protocols' : 'ports';
    const ports = reader.list(rule[portsField], [...rPath, portsField]);
    return {
      name: reader.string(rule.name, [...rPath, 'name']),
      action: reader.string(rule.action, [...rPath, 'action']) ?? '',
      peers: peers.map((p, pi) => readPeer(reader, p, [...rPath, peersField, pi])),
      ports: ports?.flatMap((p, pi) =>
        v1alpha2
          ? readProtocol(reader, p, [...rPath, portsField, pi])
          : readV1Alpha1Port(reader, p, [...rPath, portsField, pi]),
      ),
      portsField,
    };
  });
}

function readPeer(reader: FieldReader, value: unknown, path: readonly PathSegment[]): ClusterPolicyPeer {
  const peer = reader.map(value, path) ?? {};
  const strings = (field: string): string[] | undefined => {
    const list = reader.list(peer[field], [...path, field]);
    return list?.flatMap((v, i) => {
      const s = reader.string(v, [...path, field, i]);
      return s === undefined ? [] : [s];
    });
  };
  return {
    namespaces: reader.selector(peer.namespaces, [...path, 'namespaces']),
    pods: readNamespacedPod(reader, peer.pods, [...path, 'pods']),
    networks: strings('networks'),
    nodes: reader.selector(peer.nodes, [...path, 'nodes']),
    domainNames: strings('domainNames'),
  };
}

function readNamespacedPod(
  reader: FieldReader,
  value: unknown,
  path: readonly PathSegment[],
): NamespacedPodSelector | undefined {
  if (value === undefined || value === null) return undefined;
  const pods = reader.map(value, path) ?? {};
  return {
    namespaceSelector:
      reader.selector(pods.namespaceSelector, [...path, 'namespaceSelector']) ?? EMPTY_SELECTOR,
    podSelector: reader.selector(pods.podSelector, [...path, 'podSelector']) ?? EMPTY_SELECTOR,
  };
}

/** A v1alpha2 `protocols[]` entry: `tcp`/`udp`/`sctp` with an optional destination port, or a named port. */
function readProtocol(
  reader: FieldReader,
  value: unknown,
  path: readonly PathSegment[],
): ClusterPolicyPort[] {
  const entry = reader.map(value, path) ?? {};
  const out: ClusterPolicyPort[] = [];
  for (const [field, protocol] of [
    ['tcp', 'TCP'],
    ['udp', 'UDP'],
    ['sctp', 'SCTP'],
  ] as const) {
    if (entry[field] === undefined || entry[field] === null) continue;
    const match = reader.map(entry[field], [...path, field]) ?? {};
    const dPath = [...path, field, 'destinationPort'];
    const destination = reader.map(match.destinationPort, dPath);
    if (!destination) {
      out.push({ kind: 'protocol', protocol });
      continue;
    }
    const number = reader.integer(destination.number, [...dPath, 'number']);
    const range = reader.map(destination.range, [...dPath, 'range']);
    if (range) {
      out.push({
        kind: 'range',
        protocol,
        start: reader.integer(range.start, [...dPath, 'range', 'start']) ?? 0,
        end: reader.integer(range.end, [...dPath, 'range', 'end']) ?? 0,
      });
    } else if (number !== undefined) {
      out.push({ kind: 'number', protocol, port: number });
    } else {
      out.push({ kind: 'protocol', protocol });
    }
  }
  const name = reader.string(entry.destinationNamedPort, [...path, 'destinationNamedPort']);
  if (name !== undefined && name !== '') out.push({ kind: 'named', name });
  return out;
}

/** A v1alpha1 `ports[]` entry: `portNumber`, `namedPort` or `portRange`; protocol defaults to TCP. */
function readV1Alpha1Port(
  reader: FieldReader,
  value: unknown,
  path: readonly PathSegment[],
): ClusterPolicyPort[] {
  const entry = reader.map(value, path) ?? {};
  const out: ClusterPolicyPort[] = [];
  const number = reader.map(entry.portNumber, [...path, 'portNumber']);
  if (number) {
    out.push({
      kind: 'number',
      protocol: reader.string(number.protocol, [...path, 'portNumber', 'protocol']) || 'TCP',
      port: reader.integer(number.port, [...path, 'portNumber', 'port']) ?? 0,
    });
  }
  const name = reader.string(entry.namedPort, [...path, 'namedPort']);
  if (name !== undefined) out.push({ kind: 'named', name });
  const range = reader.map(entry.portRange, [...path, 'portRange']);
  if (range) {
    out.push({
      kind: 'range',
      protocol: reader.string(range.protocol, [...path, 'portRange', 'protocol']) || 'TCP',
      start: reader.integer(range.start, [...path, 'portRange', 'start']) ?? 0,
      end: reader.integer(range.end, [...path, 'portRange', 'end']) ?? 0,
    });
  }
  return out;
}

/** The IP addresses of a Node's `status.addresses` (InternalIP, ExternalIP; host names left out). */
export function readNodeAddresses(reader: FieldReader, raw: Json): string[] {
  const status = reader.map(raw.status, ['status']) ?? {};
  const list = reader.list(status.addresses, ['status', 'addresses']) ?? [];
  const out: string[] = [];
  list.forEach((entry, i) => {
    const address = reader.map(entry, ['status', 'addresses', i]);
    if (!address) return;
    const type = reader.string(address.type, ['status', 'addresses', i, 'type']);
    const text = reader.string(address.address, ['status', 'addresses', i, 'address']);
    if (text === undefined || type === 'Hostname' || type === 'InternalDNS' || type === 'ExternalDNS') return;
    out.push(text);
  });
  return out;
}
