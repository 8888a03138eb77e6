import { formatIPv4 } from '@netpol-atlas/manifests';
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
import { dnsPodsFor, isDnsRule } from './dns.ts';
import { coversEveryPort, lower, withProminence } from './severity.ts';
import type { Finding, FindingSeverity, SuggestedPeer, SuggestedPort } from './types.ts';

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

function anyPeerFinding(ctx: FindingContext, rule: CompiledRule, selected: string): Finding {
  const ingress = rule.direction === 'Ingress';
  const everyPort = coversEveryPort(rule);
  const reach = namedPortReach(ctx, rule);
  // Every pod and every address can use it: ingress from anywhere is rarely meant, egress to
  // anywhere often is. A few ports are one step less than every port.
  let severity: FindingSeverity = ingress ? 'high' : 'medium';
  if (!everyPort) severity = lower(severity);
  let note = '';
  if (reach?.length === 0) severity = 'info';
  else if (ingress)
    ({ severity, note } = withProminence(
      ctx,
      severity,
      reach?.map((w) => w.index) ?? rule.policy.selected,
      everyPort,
    ));
  const ports = rule.ports ? describePorts(rule) : 'every port and protocol';
  const subjectsReached = reach ? listText(reach.map((w) => w.id)) : undefined;
  const who = ingress
    ? reach
      ? reach.length === 0
        ? `none of ${selected} defines ${describePorts(rule)}, so the rule admits nothing today`
        : `only ${subjectsReached} of the pods it selects ${reach.length === 1 ? 'defines' : 'define'} these named ports: ${reach.length === 1 ? 'it' : 'they'} may receive connections from every pod of every namespace and every IP address on ${ports} (the rule does not reach the others)`
      : `${selected} may receive connections from every pod of every namespace and every IP address, on ${ports}`
    : reach
      ? reach.length === 0
        ? `no workload defines ${describePorts(rule)}, so the rule admits nothing today`
        : `${selected} may connect to every pod that defines these named ports (${subjectsReached}) on ${ports}; named ports never match addresses outside the cluster`
      : `${selected} may connect to every pod of every namespace and every IP address, on ${ports}`;
  const threat =
    reach?.length === 0
      ? ''
      : ingress
        ? ' Any compromised pod, and any address that can route to the cluster, can reach them.'
        : ' A compromised pod could exfiltrate data anywhere.';
  return makeFinding('allow-any-peer', {
    key: ruleKey(rule),
    severity,
    title: `${ruleName(rule)} has no \`${ingress ? 'from' : 'to'}\`: it admits ${ingress ? 'every source' : 'every destination'}${rule.ports ? ` on ${describePorts(rule)}` : ', on every port'}`,
    message: `${ruleName(rule)} lists no peers, so ${who}.${threat}${note}`,
    subjects: [
      rule.policy.id,
      ...(reach ?? rule.policy.selected.map((i) => ctx.cluster.workloads[i]!)).map((w) => w.id),
    ],
    namespaces: [rule.policy.namespace],
    locations: [policyLocation(rule.policy, rulePath(rule))],
    fix: anyPeerFix(ctx, rule),
    group: `any-peer:${rule.direction}:${describePorts(rule)}:${severity}`,
  });
}

/**
 * The workloads a rule whose ports are all named can reach: a named port resolves only on the
 * destination pods that define it (with that protocol). Undefined when some port is numeric or
 * the rule has no ports: then the reach is every destination.
 */
function namedPortReach(ctx: FindingContext, rule: CompiledRule): WorkloadPeer[] | undefined {
  if (!rule.ports || rule.ports.some((p) => p.kind !== 'named')) return undefined;
  const candidates =
    rule.direction === 'Ingress'
      ? rule.policy.selected.map((i) => ctx.cluster.workloads[i]!)
      : ctx.cluster.workloads.filter((w) => !w.hostNetwork);
  return candidates.filter((w) =>
    rule.ports!.some((p) =>
      w.ports.some((c) => c.name === p.name && (p.anyProtocol || (c.protocol ?? 'TCP') === p.protocol)),
    ),
  );
}

/** Labels that identify a workload in a selector: a conventional name label when it has one. */
function identifyingLabels(w: WorkloadPeer): Record<string, string> {
  for (const key of ['app', 'app.kubernetes.io/name', 'k8s-app', 'name', 'component']) {
    const value = w.labels[key];
    if (value !== undefined) return { [key]: value };
  }
  return { ...w.labels };
}

/**
 * The peers a rule without peers was most likely written for: the workloads whose own policies
 * name the rule's pods on the other side (for egress, the destinations whose ingress rules admit
 * them by selector; for ingress, the sources whose egress rules do), plus the cluster DNS for
 * egress. Without any, every pod of the cluster: that at least drops the outside addresses.
 */
function anyPeerFix(ctx: FindingContext, rule: CompiledRule): Finding['fix'] {
  const { cluster } = ctx;
  const ingress = rule.direction === 'Ingress';
  const selected = new Set(rule.policy.selected);
  const others = cluster.policies.flatMap((p) => (ingress ? p.egress : p.ingress));
  const expected = new Set<number>();
  for (const other of others) {
    if (other.policy === rule.policy) continue;
    const names = other.peers?.some(
      (peer) => peer.kind === 'selector' && [...selected].some((i) => peer.members[i] === 1),
    );
    if (names) for (const w of other.policy.selected) if (!selected.has(w)) expected.add(w);
  }
  const peers = new Map<string, SuggestedPeer>();
  for (const i of [...expected].sort((a, b) => a - b)) {
    const w = cluster.workloads[i]!;
    const podLabels = identifyingLabels(w);
    peers.set(`${w.namespace}/${JSON.stringify(podLabels)}`, { namespaces: [w.namespace], podLabels });
  }
  const dns = !ingress && peers.size > 0 ? dnsPodsFor(ctx, rule) : undefined;
  if (dns) peers.set('dns', { namespaces: dns.namespaces, podLabels: dns.labels });
  const list = peers.size > 0 ? [...peers.values()] : [{ namespaces: 'all' as const }];
  const text = list
    .map((p) =>
      'cidr' in p
        ? p.cidr
        : `${p.namespaces === 'all' ? 'every namespace' : p.namespaces.join(', ')}${
            p.podLabels
              ? ` pods ${Object.entries(p.podLabels)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(', ')}`
              : ''
          }`,
    )
    .join('; ');
  return {
    description:
      peers.size > 0
        ? `List the peers the rule is for: the workloads whose policies expect this traffic${dns ? ', and the cluster DNS' : ''} (${text}).`
        : `No policy in the input names these pods on the other side: at least limit the rule to the cluster's pods (\`${ingress ? 'from' : 'to'}: [{namespaceSelector: {}}]\`), which drops outside addresses, then narrow it to the workloads meant; add ipBlocks for outside addresses that are needed.`,
    suggestion: {
      kind: 'set-peers',
      policy: rule.policy.id,
      direction: rule.direction,
      rule: rule.index,
      peers: list,
    },
  };
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
  const key = `${ruleKey(rule)}.${ingress ? 'from' : 'to'}[${peer.index}]`;
  const location = policyLocation(rule.policy, peerPath(rule, peer.index));
  if (!ingress && isDnsRule(rule)) return dnsAllNamespacesFinding(ctx, rule, peer, key, location);
  // Alone, every pod of the cluster; with pod labels, any pod that anyone who can create a pod
  // anywhere labels so: both are open to every tenant, as wide as a namespace label anyone could set.
  let severity: FindingSeverity = ingress ? 'high' : 'medium';
  if (!coversEveryPort(rule)) severity = lower(severity);
  let note = '';
  if (ingress)
    ({ severity, note } = withProminence(ctx, severity, rule.policy.selected, coversEveryPort(rule)));
  const who = everyPod
    ? 'every pod of every namespace, including namespaces created later'
    : `any pod labelled ${describeSelector(peer.podSelector!)} in any namespace, including namespaces created later: whoever can create a pod anywhere can give it these labels`;
  const namespaces = namespacesOfMembers(ctx, peer);
  return makeFinding('all-namespaces', {
    key,
    severity,
    title: `${peerName(rule, peer.index)} has \`namespaceSelector: {}\`: ${everyPod ? 'every pod of the cluster' : 'matching pods of every namespace'}`,
    message: `${peerName(rule, peer.index)} selects all ${ctx.cluster.namespaces.size} namespaces (\`namespaceSelector: {}\`), so ${selected} ${ingress ? 'accept connections from' : 'may connect to'} ${who}, on ${describePorts(rule)}.${note}`,
    subjects: [rule.policy.id],
    namespaces: [rule.policy.namespace],
    locations: [location],
    fix: {
      description: `Select the intended namespaces by name (kubernetes.io/metadata.name); today the peer matches workloads in: ${listText(namespaces)}.`,
      suggestion: {
        kind: 'use-namespace-name-label',
        policy: rule.policy.id,
        direction: rule.direction,
        rule: rule.index,
        peer: peer.index,
        namespaces,
      },
    },
  });
}

/**
 * `to: [{namespaceSelector: {}}]` on the DNS ports is the usual way to reach the cluster DNS
 * without knowing its namespace. It works, and it also admits every other pod on those ports: a
 * low finding, whose fix names the DNS pods (never the namespaces the peer happens to match, which
 * would cut DNS off).
 */
function dnsAllNamespacesFinding(
  ctx: FindingContext,
  rule: CompiledRule,
  peer: CompiledPeer,
  key: string,
  location: ReturnType<typeof policyLocation>,
): Finding {
  const dns = dnsPodsFor(ctx, rule);
  const labels = Object.entries(dns.labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const podPart = !peer.podSelector || peer.podSelector.matchesAll ? `, podSelector ${labels}` : '';
  return makeFinding('all-namespaces', {
    key,
    severity: 'low',
    title: `${peerName(rule, peer.index)} reaches DNS through \`namespaceSelector: {}\`: every pod on ${describePorts(rule)}`,
    message: `${peerName(rule, peer.index)} is a DNS rule (${describePorts(rule)}) written with \`namespaceSelector: {}\`: it lets the pods resolve names, and also lets them reach any pod of any namespace that listens on those ports. The DNS pods are in ${listText(dns.namespaces)} (${labels}).`,
    subjects: [rule.policy.id],
    namespaces: [rule.policy.namespace, ...dns.namespaces],
    locations: [location],
    fix: {
      description: `Narrow the peer to the DNS pods: namespaceSelector kubernetes.io/metadata.name In (${dns.namespaces.join(', ')})${podPart}.`,
      suggestion: {
        kind: 'use-namespace-name-label',
        policy: rule.policy.id,
        direction: rule.direction,
        rule: rule.index,
        peer: peer.index,
        namespaces: dns.namespaces,
      },
    },
    group: `all-namespaces-dns:${describePorts(rule)}`,
  });
}

function namespacesOfMembers(ctx: FindingContext, peer: CompiledPeer): string[] {
  const names = new Set<string>();
  for (const w of ctx.cluster.workloads) if (peer.members[w.index] === 1) names.add(w.namespace);
  return names.size > 0 ? [...names].sort() : namespacesMatching(ctx.cluster, peer.namespaceSelector!);
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
