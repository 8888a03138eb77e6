import type { CompiledPeer, CompiledRule, WorkloadPeer } from '../model.ts';
import {
  addressRangeFindings,
  internalRangesKnown,
  internalReach,
  isWholeSpace,
} from './addressRangeFindings.ts';
import type { PodCoverage } from './addressRanges.ts';
import {
  allRules,
  describePorts,
  describeSelector,
  type FindingContext,
  listText,
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
          if (isWholeSpace(peer)) out.push(worldCidrFinding(ctx, rule, peer, selected));
          out.push(...addressRangeFindings(ctx, rule, peer, coverage));
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

function worldCidrFinding(
  ctx: FindingContext,
  rule: CompiledRule,
  peer: CompiledPeer,
  selected: string,
): Finding {
  const ingress = rule.direction === 'Ingress';
  const block = peer.ipBlock!;
  const except = block.except.length > 0 ? ` except ${block.except.join(', ')}` : '';
  const base: FindingSeverity = ingress ? 'high' : 'medium';
  const reach = internalReach(ctx, rule, peer);
  const inside =
    reach.length > 0
      ? `It still covers ${listText(reach.map((r) => r.what))} (see the findings on them).`
      : block.except.length > 0 && internalRangesKnown(ctx)
        ? 'Its excepts leave out the known pod and node addresses.'
        : `On most CNIs it also covers every pod and node IP${block.except.length > 0 ? ' not excepted' : ''} (give the cluster's ranges, --pod-cidr and --node-cidr, to check).`;
  return makeFinding('world-cidr', {
    key: `${ruleKey(rule)}.${ingress ? 'from' : 'to'}[${peer.index}]`,
    // Carving holes shows the whole space is deliberate, but only holes that leave out the
    // cluster's own addresses (and the metadata service) make it the internet and nothing more.
    severity: block.except.length > 0 && reach.length === 0 ? lower(base) : base,
    title: `${peerName(rule, peer.index)} is ipBlock ${block.cidr}${except}: every address`,
    message: `${peerName(rule, peer.index)} admits every address${except}, on ${describePorts(rule)}: ${ingress ? `anything that can route to ${selected} can connect (the whole internet, if the pods are reachable from it)` : `${selected} may send to any address, which makes exfiltration easy`}. ${inside} If this is a public entry point, say so in the policy's name or an annotation; otherwise narrow the CIDR.`,
    subjects: [rule.policy.id],
    namespaces: [rule.policy.namespace],
    locations: [policyLocation(rule.policy, peerPath(rule, peer.index))],
    fix: worldCidrFix(ctx, rule, peer),
  });
}

/** The private, link-local and unique-local ranges: where pods, nodes, Services and metadata live. */
const INTERNAL_IPV4 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16'];
const INTERNAL_IPV6 = ['fc00::/7', 'fe80::/10'];

/**
 * Keeps the outside world and leaves out the cluster: the excepts written, the private and
 * link-local ranges, and the cluster's own ranges when given (a pod range such as 100.64.0.0/10
 * is not private). The rule keeps its meaning for the internet, which is what such a block is
 * usually for; when only some outside addresses are needed, naming them is narrower still.
 */
function worldCidrFix(ctx: FindingContext, rule: CompiledRule, peer: CompiledPeer): Finding['fix'] {
  const block = peer.ipBlock!;
  const v6 = block.cidr.includes(':');
  const networks = ctx.options.networks ?? {};
  const configured = v6
    ? []
    : [...(networks.podCidrs ?? []), ...(networks.nodeCidrs ?? []), ...(networks.serviceCidrs ?? [])];
  const written = new Set(block.except);
  const added = [...new Set([...(v6 ? INTERNAL_IPV6 : INTERNAL_IPV4), ...configured])].filter(
    (c) => !written.has(c),
  );
  const except = [...block.except, ...added];
  return {
    description: `Leave out the cluster and the cloud metadata service, keep the internet: \`except: [${except.join(', ')}]\`. If only some outside addresses are needed, list them instead of ${block.cidr}.`,
    suggestion: {
      kind: 'add-ipblock-except',
      policy: rule.policy.id,
      direction: rule.direction,
      rule: rule.index,
      peer: peer.index,
      except: added,
    },
  };
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
