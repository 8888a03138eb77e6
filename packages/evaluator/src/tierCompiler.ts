// Compiles cluster-wide policies (ClusterNetworkPolicy v1alpha2, AdminNetworkPolicy and
// BaselineAdminNetworkPolicy v1alpha1) into one form, sharing peer groups with NetworkPolicy
// peers so that equivalence classes and incremental builds treat both alike.

import {
  type ClusterPolicyObject,
  type ClusterPolicyPeer,
  type ClusterPolicyPort,
  type ClusterPolicyRule,
  cidrToInterval,
  formatFieldPath,
  IPV4_ALL,
  type LabelSelector,
  type NodeObject,
  parseIPv4,
} from '@netpol-atlas/manifests';
import { MAX_PORT, MIN_PORT, parseProtocol } from './connectionSet.ts';
import { normaliseDomain } from './domains.ts';
import { type Intervals, unionIntervals } from './intervals.ts';
import { isIPv6Cidr } from './ip.ts';
import type {
  Cluster,
  CompiledClusterPolicy,
  CompiledPort,
  CompiledTierPeer,
  CompiledTierRule,
  Direction,
  Tier,
  TierAction,
} from './model.ts';
import type { PolicyCompiler, PolicyNote } from './policyCompiler.ts';
import { type CompiledSelector, compileSelector } from './selectors.ts';

/** A compiled cluster policy with the notes its compilation produced. */
export interface ClusterEntry {
  policy: CompiledClusterPolicy;
  notes: PolicyNote[];
  /** Pod selectors it uses (subject and peers), for the owner-label-gap check. */
  selectors: CompiledSelector[];
  /** IPv4 sets its egress peers name (networks, node addresses): they cut the external ranges. */
  egressIps: Intervals[];
  namedPorts: boolean;
}

const EMPTY: LabelSelector = { matchLabels: undefined, matchExpressions: undefined };

/** `Kind/name`: the id reports and queries use for a cluster policy. */
export function clusterPolicyId(object: ClusterPolicyObject): string {
  return `${object.kind}/${object.metadata.name}`;
}

/** v1alpha1's `Allow` is v1alpha2's `Accept`; an unknown action is undefined. */
export function tierAction(action: string): TierAction | undefined {
  if (action === 'Accept' || action === 'Allow') return 'Accept';
  if (action === 'Deny' || action === 'Pass') return action;
  return undefined;
}

/** The tier of a cluster policy, or undefined when `spec.tier` names none. */
export function tierOf(object: ClusterPolicyObject): Tier | undefined {
  const tier = object.spec.tier;
  return tier === 'Admin' || tier === 'Baseline' ? tier : undefined;
}

/** Compiles one cluster policy; undefined (with notes) when its tier is unknown. */
export function compileClusterPolicy(
  compiler: PolicyCompiler,
  object: ClusterPolicyObject,
  nodes: readonly NodeObject[],
  options: Cluster['options'],
): ClusterEntry {
  const notes: PolicyNote[] = [];
  const selectors: CompiledSelector[] = [];
  const egressIps: Intervals[] = [];
  const spec = object.spec;
  const policy: CompiledClusterPolicy = {
    id: clusterPolicyId(object),
    kind: object.kind,
    name: object.metadata.name,
    tier: tierOf(object) ?? 'Admin',
    priority: spec.priority,
    object,
    ingress: [],
    egress: [],
    selected: [],
  };
  // Subject: exactly one of namespaces/pods in a valid object.
  const subject =
    spec.subject.pods ??
    (spec.subject.namespaces
      ? { namespaceSelector: spec.subject.namespaces, podSelector: undefined }
      : undefined);
  if (subject) {
    const ns = compileSelector(subject.namespaceSelector);
    const pods = subject.podSelector ? compileSelector(subject.podSelector) : undefined;
    if (pods) selectors.push(pods);
    const { members } = compiler.clusterPodGroup(ns, pods);
    const selected: number[] = [];
    for (let i = 0; i < members.length; i++) if (members[i] === 1) selected.push(i);
    policy.selected = selected;
  }

  const peer = (
    p: ClusterPolicyPeer,
    index: number,
    action: TierAction,
    path: (string | number)[],
  ): CompiledTierPeer => {
    const base = {
      index,
      namespaceSelector: undefined,
      podSelector: undefined,
      nodeSelector: undefined,
      cidrs: [],
      ipv4: undefined,
      domains: [],
    };
    if (p.namespaces || p.pods) {
      const ns = compileSelector(p.pods ? p.pods.namespaceSelector : (p.namespaces ?? EMPTY));
      const pods = p.pods ? compileSelector(p.pods.podSelector) : undefined;
      if (pods) selectors.push(pods);
      const group = compiler.clusterPodGroup(ns, pods);
      return {
        ...base,
        kind: p.pods ? 'pods' : 'namespaces',
        namespaceSelector: ns,
        podSelector: pods,
        ...group,
      };
    }
    if (p.networks) {
      let ipv4: Intervals = [];
      p.networks.forEach((cidr, i) => {
        const interval = cidrToInterval(cidr);
        if (interval) ipv4 = unionIntervals(ipv4, interval);
        else if (isIPv6Cidr(cidr)) {
          notes.push({
            code: 'ipv6-not-analysed',
            severity: 'info',
            message: `IPv6 network ${cidr} is not analysed yet: IPv6 traffic is not shown`,
            field: formatFieldPath(['spec', ...path, 'networks', i]),
            path: ['spec', ...path, 'networks', i],
          });
        }
      });
      egressIps.push(ipv4);
      const group = compiler.addressGroup(ipv4, `networks:${p.networks.join(',')}`);
      return { ...base, kind: 'networks', cidrs: p.networks, ipv4, ...group };
    }
    if (p.nodes) {
      const selector = compileSelector(p.nodes);
      if (options.compat === 'netpol-analyzer') {
        // netpol-analyzer does not support node peers: they match nothing there (and it warns).
        notes.push({
          code: 'cluster-policy-nodes-unsupported',
          severity: 'warning',
          message: 'nodes peers are not supported by netpol-analyzer: the peer matches nothing',
          field: formatFieldPath(['spec', ...path, 'nodes']),
          path: ['spec', ...path, 'nodes'],
        });
        return { ...base, kind: 'nodes', nodeSelector: selector, ipv4: [], ...compiler.constantGroup(false) };
      }
      let ipv4: Intervals = [];
      for (const node of nodes) {
        if (!selector.matches(node.metadata.labels)) continue;
        for (const address of node.addresses) {
          const ip = parseIPv4(address);
          if (ip !== undefined) ipv4 = unionIntervals(ipv4, [ip, ip]);
        }
      }
      egressIps.push(ipv4);
      const group = compiler.addressGroup(ipv4, `nodes:${selector.key}`);
      return { ...base, kind: 'nodes', nodeSelector: selector, ipv4, ...group };
    }
    if (p.domainNames) {
      const domains = p.domainNames.map(normaliseDomain);
      return { ...base, kind: 'domainNames', domains, ...compiler.constantGroup(false) };
    }
    // Fail closed: an Accept rule's unknown peer matches nothing, a Deny or Pass rule's everything.
    const all = action !== 'Accept';
    return { ...base, kind: 'unknown', ipv4: all ? IPV4_ALL : undefined, ...compiler.constantGroup(all) };
  };

  const rules = (direction: Direction, list: readonly ClusterPolicyRule[]): CompiledTierRule[] => {
    const field = direction === 'Ingress' ? 'ingress' : 'egress';
    const peersField = direction === 'Ingress' ? 'from' : 'to';
    const out: CompiledTierRule[] = [];
    list.forEach((rule, index) => {
      const action = tierAction(rule.action);
      if (!action) {
        notes.push({
          code: 'cluster-policy-unknown-action',
          severity: 'error',
          message: `unknown action "${rule.action}": the rule is ignored`,
          field: `spec.${field}[${index}].action`,
          path: ['spec', field, index, 'action'],
        });
        return;
      }
      const compiled: CompiledTierRule = {
        id: compiler.ruleId(),
        policy,
        direction,
        index,
        name: rule.name,
        action,
        peers: rule.peers.map((p, i) => peer(p, i, action, [field, index, peersField, i])),
        ports: rule.ports?.flatMap((port, i) => compilePort(port, i)),
      };
      rule.ports?.forEach((port, i) => {
        if (port.kind === 'range' && port.start > port.end && object.kind !== 'ClusterNetworkPolicy') {
          notes.push(reversedRange(port.start, port.end, ['spec', field, index, 'ports', i], options));
        }
      });
      out.push(compiled);
    });
    return out;
  };
  policy.ingress = rules('Ingress', spec.ingress);
  policy.egress = rules('Egress', spec.egress);
  const namedPorts = [...policy.ingress, ...policy.egress].some((r) =>
    r.ports?.some((p) => p.kind === 'named'),
  );
  return { policy, notes, selectors, egressIps, namedPorts };
}

/**
 * v1alpha1's CRD does not check that a port range's start is not above its end (v1alpha2's does):
 * the API server stores such a range, which matches no port. netpol-analyzer refuses it.
 */
function reversedRange(
  start: number,
  end: number,
  path: (string | number)[],
  options: Cluster['options'],
): PolicyNote {
  const field = formatFieldPath([...path, 'portRange']);
  if (options.compat === 'netpol-analyzer') {
    return {
      code: 'anp-port-range-reversed',
      severity: 'error',
      message: `port range ${start}-${end} is legal; start and end values of the port range should be in {1-65535} and end may not be less than start`,
      field,
      path: [...path, 'portRange'],
    };
  }
  return {
    code: 'cluster-policy-empty-port-range',
    severity: 'warning',
    message: `port range ${start}-${end} starts above its end: it matches no port (the v1alpha1 CRD does not refuse it)`,
    field,
    path: [...path, 'portRange'],
  };
}

function compilePort(port: ClusterPolicyPort, index: number): CompiledPort[] {
  if (port.kind === 'named') {
    return [{ index, protocol: 'TCP', kind: 'named', from: 0, to: -1, name: port.name, anyProtocol: true }];
  }
  const protocol = parseProtocol(port.protocol);
  if (!protocol) return [];
  if (port.kind === 'protocol')
    return [{ index, protocol, kind: 'all', from: MIN_PORT, to: MAX_PORT, name: undefined }];
  const [from, to] = port.kind === 'number' ? [port.port, port.port] : [port.start, port.end];
  return [{ index, protocol, kind: 'range', from, to, name: undefined }];
}
