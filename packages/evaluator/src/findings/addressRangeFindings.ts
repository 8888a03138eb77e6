import { cidrToInterval, formatIPv4 } from '@netpol-atlas/manifests';
import { rulePorts } from '../analyze.ts';
import { containsPort } from '../connectionSet.ts';
import { type Intervals, intersectIntervals, intervalsContain, unionIntervals } from '../intervals.ts';
import type { CompiledPeer, CompiledRule } from '../model.ts';
import {
  addressesText,
  clusterAddresses,
  coveringCidr,
  insideIntervals,
  intervalsToCidrs,
  KUBELET_PORT,
  LINK_LOCAL,
  LOOPBACK,
  METADATA_ADDRESS,
  type PodCoverage,
  podsInside,
} from './addressRanges.ts';
import {
  describePorts,
  type FindingContext,
  listText,
  MAX_LISTED,
  makeFinding,
  peerName,
  peerPath,
  policyLocation,
  ruleKey,
} from './context.ts';
import type { Finding, FindingSeverity } from './types.ts';

/** Prefix length 0: the whole IPv4 or IPv6 space. */
export function isWholeSpace(peer: CompiledPeer): boolean {
  return peer.ipBlock?.cidr.trim().endsWith('/0') ?? false;
}

/** The metadata service answers over HTTP. */
const METADATA_PORT = 80;

/** One internal range an ipBlock still reaches, for the world-cidr message and severity. */
export interface InternalReach {
  what: string;
}

/**
 * The cluster-internal addresses an ipBlock peer still admits after its excepts: pod addresses
 * (observed or configured), node addresses, and (egress, on the metadata port) the cloud
 * metadata service. Empty when the excepts leave all of them out, or nothing is known.
 */
export function internalReach(ctx: FindingContext, rule: CompiledRule, peer: CompiledPeer): InternalReach[] {
  const ipv4 = peer.ipv4;
  if (!ipv4) return [];
  const ranges = clusterAddresses(ctx);
  const out: InternalReach[] = [];
  const pods = podsInside(ctx, ipv4);
  const podRange = intersectIntervals(ipv4, ranges.podRanges);
  if (pods.covered.length > 0 || podRange.length > 0) out.push({ what: 'pod addresses' });
  if (intersectIntervals(ipv4, ranges.nodes).length > 0) out.push({ what: 'node addresses' });
  if (reachesMetadata(rule, ipv4))
    out.push({ what: `the cloud metadata address ${formatIPv4(METADATA_ADDRESS)}` });
  return out;
}

/** True when a (egress) rule's address set holds the metadata address and its ports admit HTTP. */
function reachesMetadata(rule: CompiledRule, ipv4: Intervals): boolean {
  return (
    rule.direction === 'Egress' &&
    intervalsContain(ipv4, METADATA_ADDRESS) &&
    containsPort(rulePorts(rule, undefined), 'TCP', METADATA_PORT)
  );
}

/** True when the cluster's pod or node ranges are known at all (configured or observed). */
export function internalRangesKnown(ctx: FindingContext): boolean {
  const ranges = clusterAddresses(ctx);
  return ranges.podRanges.length > 0 || ranges.nodes.length > 0 || ctx.podIPs.length > 0;
}

/**
 * Findings about the addresses an ipBlock peer reaches: pods (implementation-defined), nodes
 * (kubelet and host services), the cloud metadata service, and ranges no policy ever sees
 * (ClusterIPs, loopback). Whole-space blocks are checked for nodes and metadata always, and for
 * pods when their excepts show the author meant to leave the cluster out.
 */
export function addressRangeFindings(
  ctx: FindingContext,
  rule: CompiledRule,
  peer: CompiledPeer,
  coverageCache: Map<number, PodCoverage>,
): Finding[] {
  const ipv4 = peer.ipv4;
  if (!ipv4) return [];
  const whole = isWholeSpace(peer);
  const out: Finding[] = [];
  const unseen = unseenRange(ctx, rule, peer, ipv4);
  if (unseen) return [unseen];
  if (!whole || peer.ipBlock!.except.length > 0) {
    let coverage = coverageCache.get(peer.group);
    if (!coverage) {
      coverage = podsInside(ctx, ipv4);
      coverageCache.set(peer.group, coverage);
    }
    const pods = podFinding(ctx, rule, peer, ipv4, coverage);
    if (pods) out.push(pods);
  }
  const nodes = nodeFinding(ctx, rule, peer, ipv4);
  if (nodes) out.push(nodes);
  const metadata = metadataFinding(rule, peer, ipv4);
  if (metadata) out.push(metadata);
  return out;
}

function peerKey(rule: CompiledRule, peer: CompiledPeer): string {
  return `${ruleKey(rule)}.${rule.direction === 'Ingress' ? 'from' : 'to'}[${peer.index}]`;
}

function blockText(peer: CompiledPeer): string {
  const block = peer.ipBlock!;
  return `ipBlock ${block.cidr}${block.except.length > 0 ? ` except ${block.except.join(', ')}` : ''}`;
}

function exceptFix(rule: CompiledRule, peer: CompiledPeer, except: string[], description: string) {
  return {
    description,
    suggestion: {
      kind: 'add-ipblock-except' as const,
      policy: rule.policy.id,
      direction: rule.direction,
      rule: rule.index,
      peer: peer.index,
      except,
    },
  };
}

function podFinding(
  ctx: FindingContext,
  rule: CompiledRule,
  peer: CompiledPeer,
  ipv4: Intervals,
  coverage: PodCoverage,
): Finding | undefined {
  const ranges = clusterAddresses(ctx);
  const configured = intersectIntervals(ipv4, ranges.podRanges);
  const { covered, namespaces, sample, min, max } = coverage;
  if (covered.length === 0 && configured.length === 0) return undefined;
  const block = peer.ipBlock!;
  const [lo, hi] = [ipv4[0]!, ipv4[ipv4.length - 1]!];
  let except: string[];
  if (configured.length > 0) {
    // The configured range is authoritative: except all of it that the block reaches.
    except = intervalsToCidrs(unionIntervals(configured, covered.length > 0 ? sampleSet(sample) : []));
  } else {
    const cover = coveringCidr(min, max);
    // An `except` must lie inside the cidr; fall back to the pod addresses themselves.
    except =
      cover.first >= lo && cover.last <= hi ? [cover.text] : sample.map((ip) => `${formatIPv4(ip)}/32`);
  }
  const cni =
    ctx.cni === 'cilium'
      ? 'On Cilium (the stated CNI) it does not admit them, whatever the upstream tests expect.'
      : 'Upstream Kubernetes and most CNIs then admit those pods by address; Cilium does not.';
  const what =
    covered.length > 0
      ? `pod IPs of ${listText(covered.map((w) => w.id))}`
      : `${addressesText(configured).join(', ')} of the pod range ${listText(ranges.podCidrs)}`;
  return makeFinding('ipblock-covers-pods', {
    key: peerKey(rule, peer),
    title:
      covered.length > 0
        ? `${peerName(rule, peer.index)} (ipBlock ${block.cidr}) covers the IPs of ${covered.length} workload(s)`
        : `${peerName(rule, peer.index)} (ipBlock ${block.cidr}) covers part of the pod range`,
    message: `${peerName(rule, peer.index)} is meant for addresses outside the cluster, but ${blockText(peer)} covers ${what}. Whether an ipBlock matches pod IPs is implementation-defined. ${cni} Pod IPs change when pods restart, so the result is accidental either way.`,
    subjects: [rule.policy.id, ...covered.slice(0, MAX_LISTED).map((w) => w.id)],
    namespaces: [rule.policy.namespace, ...namespaces],
    locations: [policyLocation(rule.policy, peerPath(rule, peer.index))],
    fix: exceptFix(
      rule,
      peer,
      except,
      `Select those pods with selectors instead, and except the pod range: ${except.join(', ')}.`,
    ),
  });
}

function sampleSet(sample: readonly number[]): Intervals {
  let out: Intervals = [];
  for (const ip of sample) out = unionIntervals(out, [ip, ip]);
  return out;
}

function nodeFinding(
  ctx: FindingContext,
  rule: CompiledRule,
  peer: CompiledPeer,
  ipv4: Intervals,
): Finding | undefined {
  const ranges = clusterAddresses(ctx);
  const nodes = intersectIntervals(ipv4, ranges.nodes);
  if (nodes.length === 0) return undefined;
  // A block written inside the node range targets nodes on purpose (an API server, a node agent).
  if (insideIntervals(ipv4, ranges.nodes)) return undefined;
  const ingress = rule.direction === 'Ingress';
  const kubelet = !ingress && containsPort(rulePorts(rule, undefined), 'TCP', KUBELET_PORT);
  const severity: FindingSeverity = kubelet ? 'high' : 'medium';
  const block = peer.ipBlock!;
  const listed = addressesText(nodes);
  const except = intervalsToCidrs(nodes);
  const known = ranges.nodeCidrs.length > 0 ? ` (node range ${listText(ranges.nodeCidrs)})` : '';
  const count = listed.length === 1 && !listed[0]!.includes('/') ? 'a node address' : 'node addresses';
  return makeFinding('ipblock-covers-nodes', {
    key: peerKey(rule, peer),
    severity,
    title: `${peerName(rule, peer.index)} (ipBlock ${block.cidr}) reaches ${count}${kubelet ? ', kubelet port included' : ''}`,
    message: `${blockText(peer)} covers ${count} ${listText(listed)}${known}, on ${describePorts(rule)}. ${
      ingress
        ? 'Everything that sends from a node (the kubelet, hostNetwork pods, traffic SNATed by the node, or anyone on the node spoofing it) is admitted.'
        : kubelet
          ? `The selected pods may connect to the nodes themselves, including the kubelet API (TCP ${KUBELET_PORT}: exec, logs and port-forward into every pod of a node, if its authentication is weak), node ports and host services.`
          : 'The selected pods may connect to the nodes themselves (node ports, host services).'
    } If node traffic is not meant, except the node addresses.`,
    subjects: [rule.policy.id],
    namespaces: [rule.policy.namespace],
    locations: [policyLocation(rule.policy, peerPath(rule, peer.index))],
    fix: exceptFix(
      rule,
      peer,
      except,
      `Add the node addresses to the ipBlock's except list: ${except.join(', ')}.`,
    ),
  });
}

function metadataFinding(rule: CompiledRule, peer: CompiledPeer, ipv4: Intervals): Finding | undefined {
  if (!reachesMetadata(rule, ipv4)) return undefined;
  const written = cidrToInterval(peer.ipBlock!.cidr.trim());
  // A block written inside link-local targets it on purpose (a node-local agent, or the metadata service itself).
  if (written && insideIntervals([...written], LINK_LOCAL)) return undefined;
  const address = formatIPv4(METADATA_ADDRESS);
  return makeFinding('ipblock-reaches-metadata', {
    key: peerKey(rule, peer),
    title: `${peerName(rule, peer.index)} (${blockText(peer)}) reaches the cloud metadata service ${address}`,
    message: `${blockText(peer)} does not except ${address}, and the rule admits ${describePorts(rule)}, so the selected pods may query the cloud metadata service over HTTP. On most clouds it hands out the node's instance credentials (its IAM role) to whoever asks: a compromised pod gets the node's cloud permissions unless the platform blocks pods from it (IMDSv2 with a hop limit of 1, GKE Workload Identity).`,
    subjects: [rule.policy.id],
    namespaces: [rule.policy.namespace],
    locations: [policyLocation(rule.policy, peerPath(rule, peer.index))],
    fix: exceptFix(
      rule,
      peer,
      [`${address}/32`],
      `Add ${address}/32 to the ipBlock's except list (or 169.254.0.0/16 if no link-local address is needed).`,
    ),
  });
}

/**
 * An ipBlock made only of addresses no policy ever sees: ClusterIPs (`--service-cidr`) are
 * translated to pod addresses before policies apply, and loopback never leaves the pod. The rule
 * was meant to allow something and allows nothing.
 */
function unseenRange(
  ctx: FindingContext,
  rule: CompiledRule,
  peer: CompiledPeer,
  ipv4: Intervals,
): Finding | undefined {
  const ranges = clusterAddresses(ctx);
  const services = insideIntervals(ipv4, ranges.services);
  const loopback = insideIntervals(ipv4, LOOPBACK);
  if (!services && !loopback) return undefined;
  const why = services
    ? `lies inside the Service range ${listText(ranges.serviceCidrs)}: traffic to a ClusterIP is translated to the address of a backing pod before policies see it, so the block never matches and the traffic it was meant to ${rule.direction === 'Ingress' ? 'admit' : 'allow'} is decided by the other rules. Select the Service's pods with a podSelector (and namespaceSelector) instead.`
    : 'lies inside loopback 127.0.0.0/8: that traffic never leaves the pod, so no policy sees it and it is always allowed. The entry does nothing; delete it.';
  return makeFinding('ipblock-unseen-range', {
    key: peerKey(rule, peer),
    // A ClusterIP block breaks what it was written for; a loopback one is only dead weight.
    severity: services ? 'medium' : 'low',
    title: `${peerName(rule, peer.index)} (ipBlock ${peer.ipBlock!.cidr}) matches no traffic a policy sees`,
    message: `${blockText(peer)} ${why}`,
    subjects: [rule.policy.id],
    namespaces: [rule.policy.namespace],
    locations: [policyLocation(rule.policy, peerPath(rule, peer.index))],
  });
}
