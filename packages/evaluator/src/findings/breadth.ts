import { formatIPv4 } from '@netpol-atlas/manifests';
import { rulePorts } from '../analyze.ts';
import { MAX_PORT, MIN_PORT, PROTOCOLS } from '../connectionSet.ts';
import { type Intervals, intervalsContain } from '../intervals.ts';
import type { CompiledPeer, CompiledRule, WorkloadPeer } from '../model.ts';
import {
  allRules,
  describePorts,
  describeSelector,
  type FindingContext,
  listText,
  MAX_LISTED,
  makeFinding,
  namespacesMatching,
  peerName,
  peerPath,
  policyLocation,
  ruleDestinations,
  ruleKey,
  ruleName,
  rulePath,
} from './context.ts';
import type { Finding, FindingSeverity, SuggestedPort } from './types.ts';

/**
 * Rules broader than a reviewer would accept: no peers, the whole address space, every
 * namespace, every port, and ipBlocks that reach into the cluster's pod or node addresses.
 */
export function breadthFindings(ctx: FindingContext): Finding[] {
  const out: Finding[] = [];
  // Blocks repeat across policies (same group, same addresses): compute each coverage once.
  const coverage = new Map<number, PodCoverage>();
  for (const rule of allRules(ctx.cluster)) {
    const ingress = rule.direction === 'Ingress';
    const selected = selectedText(ctx, rule);
    if (!rule.peers) {
      out.push(anyPeerFinding(ctx, rule, selected));
    } else {
      for (const peer of rule.peers) {
        if (peer.kind === 'ipBlock') {
          if (isWholeSpace(peer)) out.push(worldCidrFinding(rule, peer, selected));
          else out.push(...ipBlockCoverage(ctx, rule, peer, coverage));
        } else if (peer.namespaceSelector?.matchesAll) {
          out.push(allNamespacesFinding(ctx, rule, peer, selected));
        }
      }
      if (coversEveryPort(rule)) out.push(allPortsFinding(ctx, rule, selected, ingress));
    }
  }
  return out;
}

function selectedText(ctx: FindingContext, rule: CompiledRule): string {
  const ids = rule.policy.selected.map((i) => ctx.cluster.workloads[i]!.id);
  return ids.length === 0 ? 'the pods it selects (none today)' : listText(ids);
}

function lower(severity: FindingSeverity): FindingSeverity {
  return severity === 'critical'
    ? 'high'
    : severity === 'high'
      ? 'medium'
      : severity === 'medium'
        ? 'low'
        : 'info';
}

function anyPeerFinding(ctx: FindingContext, rule: CompiledRule, selected: string): Finding {
  const ingress = rule.direction === 'Ingress';
  const portsLimited = rule.ports !== undefined;
  // Egress to anywhere is a common deliberate choice; ingress from anywhere rarely is.
  const base: FindingSeverity = ingress ? 'high' : 'medium';
  return makeFinding('allow-any-peer', {
    key: ruleKey(rule),
    severity: portsLimited ? lower(base) : base,
    title: `${ruleName(rule)} has no \`${ingress ? 'from' : 'to'}\`: it admits ${ingress ? 'every source' : 'every destination'}${portsLimited ? ` on ${describePorts(rule)}` : ', on every port'}`,
    message: `${ruleName(rule)} lists no peers, so ${selected} may ${ingress ? 'receive connections from' : 'connect to'} every pod of every namespace and every IP address${portsLimited ? `, on ${describePorts(rule)}` : ', on every port and protocol'}. ${ingress ? 'Any compromised pod, and any address that can route to the cluster, can reach them.' : 'A compromised pod could exfiltrate data anywhere.'}`,
    subjects: [rule.policy.id, ...rule.policy.selected.map((i) => ctx.cluster.workloads[i]!.id)],
    namespaces: [rule.policy.namespace],
    locations: [policyLocation(rule.policy, rulePath(rule))],
  });
}

/** Prefix length 0: the whole IPv4 or IPv6 space. */
function isWholeSpace(peer: CompiledPeer): boolean {
  return peer.ipBlock?.cidr.trim().endsWith('/0') ?? false;
}

function worldCidrFinding(rule: CompiledRule, peer: CompiledPeer, selected: string): Finding {
  const ingress = rule.direction === 'Ingress';
  const block = peer.ipBlock!;
  const except = block.except.length > 0 ? ` except ${block.except.join(', ')}` : '';
  const base: FindingSeverity = ingress ? 'high' : 'medium';
  return makeFinding('world-cidr', {
    key: `${ruleKey(rule)}.${ingress ? 'from' : 'to'}[${peer.index}]`,
    // Carving holes (typically the cluster's ranges) shows the whole space is deliberate.
    severity: block.except.length > 0 ? lower(base) : base,
    title: `${peerName(rule, peer.index)} is ipBlock ${block.cidr}${except}: every address`,
    message: `${peerName(rule, peer.index)} admits every address${except}, on ${describePorts(rule)}: ${ingress ? `anything that can route to ${selected} can connect (the whole internet, if the pods are reachable from it)` : `${selected} may send to any address, which makes exfiltration easy`}. On most CNIs it also covers every pod and node IP${block.except.length > 0 ? ' not excepted' : ''}. If this is a public entry point, say so in the policy's name or an annotation; otherwise narrow the CIDR.`,
    subjects: [rule.policy.id],
    namespaces: [rule.policy.namespace],
    locations: [policyLocation(rule.policy, peerPath(rule, peer.index))],
  });
}

function allNamespacesFinding(
  ctx: FindingContext,
  rule: CompiledRule,
  peer: CompiledPeer,
  selected: string,
): Finding {
  const ingress = rule.direction === 'Ingress';
  const everyPod = !peer.podSelector || peer.podSelector.matchesAll;
  const base: FindingSeverity = ingress ? 'high' : 'medium';
  const who = everyPod
    ? 'every pod of every namespace, including namespaces created later'
    : `any pod labelled ${describeSelector(peer.podSelector!)} in any namespace, including namespaces created later: whoever can create a pod anywhere can give it these labels`;
  return makeFinding('all-namespaces', {
    key: `${ruleKey(rule)}.${ingress ? 'from' : 'to'}[${peer.index}]`,
    severity: everyPod ? base : lower(base),
    title: `${peerName(rule, peer.index)} has \`namespaceSelector: {}\`: ${everyPod ? 'every pod of the cluster' : 'matching pods of every namespace'}`,
    message: `${peerName(rule, peer.index)} selects all ${ctx.cluster.namespaces.size} namespaces (\`namespaceSelector: {}\`), so ${selected} ${ingress ? 'accept connections from' : 'may connect to'} ${who}, on ${describePorts(rule)}.`,
    subjects: [rule.policy.id],
    namespaces: [rule.policy.namespace],
    locations: [policyLocation(rule.policy, peerPath(rule, peer.index))],
    fix: {
      description: `Select the intended namespaces by name (kubernetes.io/metadata.name); today the peer matches workloads in: ${listText(namespacesOfMembers(ctx, peer))}.`,
      suggestion: {
        kind: 'use-namespace-name-label',
        policy: rule.policy.id,
        direction: rule.direction,
        rule: rule.index,
        peer: peer.index,
        namespaces: namespacesOfMembers(ctx, peer),
      },
    },
  });
}

function namespacesOfMembers(ctx: FindingContext, peer: CompiledPeer): string[] {
  const names = new Set<string>();
  for (const w of ctx.cluster.workloads) if (peer.members[w.index] === 1) names.add(w.namespace);
  return names.size > 0 ? [...names].sort() : namespacesMatching(ctx.cluster, peer.namespaceSelector!);
}

/** True when the rule admits every port of at least one protocol. */
function coversEveryPort(rule: CompiledRule): boolean {
  if (!rule.ports) return true;
  const conn = rulePorts(rule, undefined);
  return PROTOCOLS.some((p) => conn[p].length === 2 && conn[p][0] === MIN_PORT && conn[p][1] === MAX_PORT);
}

function allPortsFinding(
  ctx: FindingContext,
  rule: CompiledRule,
  selected: string,
  ingress: boolean,
): Finding {
  const destinations = ruleDestinations(ctx.cluster, rule);
  const ports = suggestedPorts(destinations);
  const title = rule.ports
    ? `${ruleName(rule)} admits ${describePorts(rule)}`
    : `${ruleName(rule)} has no \`ports\`: every port and protocol`;
  return makeFinding('all-ports', {
    key: ruleKey(rule),
    severity: ingress ? 'low' : 'info',
    title,
    message: `${ruleName(rule)} does not restrict ports (${describePorts(rule)}), so its peers reach ${ingress ? `every port of ${selected}` : 'every port of the destinations'}, including admin, debug and metrics ports.${ports.length > 0 ? ` The destinations declare: ${ports.map((p) => `${p.protocol} ${p.port}`).join(', ')}.` : ''}`,
    subjects: [rule.policy.id],
    namespaces: [rule.policy.namespace],
    locations: [policyLocation(rule.policy, rulePath(rule))],
    ...(ports.length > 0
      ? {
          fix: {
            description: `Limit the rule to the ports the destinations serve: ${ports.map((p) => `${p.protocol} ${p.port}`).join(', ')}.`,
            suggestion: {
              kind: 'restrict-ports' as const,
              policy: rule.policy.id,
              direction: rule.direction,
              rule: rule.index,
              ports,
            },
          },
        }
      : {}),
  });
}

/** The container ports the destinations declare, deduplicated and sorted. */
function suggestedPorts(destinations: readonly WorkloadPeer[]): SuggestedPort[] {
  const seen = new Map<string, SuggestedPort>();
  for (const w of destinations) {
    for (const p of w.ports) {
      const protocol = p.protocol === 'UDP' || p.protocol === 'SCTP' ? p.protocol : 'TCP';
      seen.set(`${protocol}/${p.containerPort}`, { protocol, port: p.containerPort });
    }
  }
  return [...seen.values()].sort((a, b) => a.protocol.localeCompare(b.protocol) || a.port - b.port);
}

/** Which pods an address set covers: the workloads, their namespaces, the address bounds and a sample. */
interface PodCoverage {
  covered: WorkloadPeer[];
  namespaces: string[];
  min: number;
  max: number;
  /** At most MAX_LISTED of the covered addresses. */
  sample: number[];
}

/** The pods whose IPs an address set covers (a binary search per interval over the sorted pod IPs). */
function podsInside(ctx: FindingContext, set: Intervals): PodCoverage {
  const covered = new Set<WorkloadPeer>();
  const sample: number[] = [];
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  const all = ctx.podIPs;
  for (let i = 0; i < set.length; i += 2) {
    const [lo, hi] = [set[i]!, set[i + 1]!];
    let left = 0;
    let right = all.length;
    while (left < right) {
      const mid = (left + right) >>> 1;
      if (all[mid]!.ip < lo) left = mid + 1;
      else right = mid;
    }
    for (let j = left; j < all.length && all[j]!.ip <= hi; j++) {
      const { ip, workload } = all[j]!;
      covered.add(workload);
      if (sample.length < MAX_LISTED && sample.at(-1) !== ip) sample.push(ip);
      min = Math.min(min, ip);
      max = Math.max(max, ip);
    }
  }
  const list = [...covered].sort((a, b) => a.index - b.index);
  return { covered: list, namespaces: [...new Set(list.map((w) => w.namespace))], min, max, sample };
}

/** The smallest CIDR holding every address from `min` to `max`. */
function coveringCidr(min: number, max: number): { text: string; first: number; last: number } {
  const prefix = Math.clz32((min ^ max) >>> 0);
  const size = 2 ** (32 - prefix);
  const first = Math.floor(min / size) * size;
  return { text: `${formatIPv4(first)}/${prefix}`, first, last: first + size - 1 };
}

function ipBlockCoverage(
  ctx: FindingContext,
  rule: CompiledRule,
  peer: CompiledPeer,
  coverageCache: Map<number, PodCoverage>,
): Finding[] {
  const ipv4 = peer.ipv4;
  if (!ipv4) return [];
  const out: Finding[] = [];
  const ingress = rule.direction === 'Ingress';
  const block = peer.ipBlock!;
  const where = policyLocation(rule.policy, peerPath(rule, peer.index));
  const key = `${ruleKey(rule)}.${ingress ? 'from' : 'to'}[${peer.index}]`;
  let coverage = coverageCache.get(peer.group);
  if (!coverage) {
    coverage = podsInside(ctx, ipv4);
    coverageCache.set(peer.group, coverage);
  }
  const { covered, namespaces, sample, min, max } = coverage;
  if (covered.length > 0) {
    const cover = coveringCidr(min, max);
    const [lo, hi] = [ipv4[0]!, ipv4[ipv4.length - 1]!];
    // An `except` must lie inside the cidr; fall back to the pod addresses themselves.
    const except =
      cover.first >= lo && cover.last <= hi ? [cover.text] : sample.map((ip) => `${formatIPv4(ip)}/32`);
    const cni =
      ctx.cni === 'cilium'
        ? 'On Cilium (the stated CNI) it does not admit them, whatever the upstream tests expect.'
        : 'Upstream Kubernetes and most CNIs then admit those pods by address; Cilium does not.';
    out.push(
      makeFinding('ipblock-covers-pods', {
        key,
        title: `${peerName(rule, peer.index)} (ipBlock ${block.cidr}) covers the IPs of ${covered.length} workload(s)`,
        message: `${peerName(rule, peer.index)} is meant for addresses outside the cluster, but ipBlock ${block.cidr}${block.except.length > 0 ? ` except ${block.except.join(', ')}` : ''} covers pod IPs of ${listText(covered.map((w) => w.id))}. Whether an ipBlock matches pod IPs is implementation-defined. ${cni} Pod IPs change when pods restart, so the result is accidental either way.`,
        subjects: [rule.policy.id, ...covered.slice(0, MAX_LISTED).map((w) => w.id)],
        namespaces: [rule.policy.namespace, ...namespaces],
        locations: [where],
        fix: {
          description: `Select those pods with selectors instead, and except the pod range: ${except.join(', ')}.`,
          suggestion: {
            kind: 'add-ipblock-except',
            policy: rule.policy.id,
            direction: rule.direction,
            rule: rule.index,
            peer: peer.index,
            except,
          },
        },
      }),
    );
  }
  const nodes = ctx.nodeIPs.filter((ip) => intervalsContain(ipv4, ip));
  if (nodes.length > 0) {
    out.push(
      makeFinding('ipblock-covers-nodes', {
        key,
        title: `${peerName(rule, peer.index)} (ipBlock ${block.cidr}) covers ${nodes.length} node IP(s)`,
        message: `ipBlock ${block.cidr} covers node address(es) ${listText(nodes.map(formatIPv4))}. ${ingress ? 'Everything that sends from a node (the kubelet, hostNetwork pods, traffic SNATed by the node, or anyone on the node spoofing it) is admitted.' : 'The selected pods may connect to the nodes themselves (kubelet API, node ports, host services).'} If node traffic is not meant, except the node range.`,
        subjects: [rule.policy.id],
        namespaces: [rule.policy.namespace],
        locations: [where],
        fix: {
          description: `Add the node addresses to the ipBlock's except list: ${nodes.map((ip) => `${formatIPv4(ip)}/32`).join(', ')}.`,
          suggestion: {
            kind: 'add-ipblock-except',
            policy: rule.policy.id,
            direction: rule.direction,
            rule: rule.index,
            peer: peer.index,
            except: nodes.map((ip) => `${formatIPv4(ip)}/32`),
          },
        },
      }),
    );
  }
  return out;
}
