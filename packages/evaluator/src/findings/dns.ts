import type { Labels } from '@netpol-atlas/manifests';
import type { Protocol } from '../connectionSet.ts';
import { containsPort } from '../connectionSet.ts';
import { explainConnection } from '../explain.ts';
import type { CompiledPeer, CompiledPolicy, CompiledRule, WorkloadPeer } from '../model.ts';
import { NAMESPACE_NAME_LABEL } from '../model.ts';
import { type FindingContext, listText, makeFinding, policyNameLocation } from './context.ts';
import type { Finding, SuggestedPort } from './types.ts';

/** Labels that mark the cluster's DNS pods: CoreDNS and kube-dns both keep `k8s-app: kube-dns`; OpenShift's operator labels its daemonset. */
const DNS_LABEL = 'k8s-app';
const DNS_LABEL_VALUE = 'kube-dns';
const OPENSHIFT_DNS_LABEL = 'dns.operator.openshift.io/daemonset-dns';

/** The ports a DNS server answers on, after the Service's port 53 is translated to the pod's port. */
interface DnsPort extends SuggestedPort {
  name: string | undefined;
}

/**
 * Where name lookups go. Traffic to the DNS Service's address is translated to a DNS pod before
 * policies see it, so what counts is whether the egress rules admit those pods on their ports.
 */
interface DnsTarget {
  /** The workload, when the input has one; otherwise the standard kube-system CoreDNS is assumed. */
  workload: WorkloadPeer | undefined;
  namespace: string;
  namespaceLabels: Labels;
  labels: Labels;
  ports: DnsPort[];
  description: string;
}

/** True for the cluster's DNS servers. */
export function isClusterDns(w: Pick<WorkloadPeer, 'labels'>): boolean {
  return w.labels[DNS_LABEL] === DNS_LABEL_VALUE || Object.hasOwn(w.labels, OPENSHIFT_DNS_LABEL);
}

/**
 * The ports a DNS workload declares for DNS: those named dns/dns-tcp or numbered 53 or 5353
 * (OpenShift's DNS pods listen on 5353). Without declarations, the standard 53 on UDP and TCP.
 */
function dnsPorts(w: WorkloadPeer | undefined): DnsPort[] {
  const declared: DnsPort[] = [];
  for (const p of w?.ports ?? []) {
    const protocol = p.protocol ?? 'TCP';
    if (protocol !== 'UDP' && protocol !== 'TCP') continue;
    const named = p.name !== undefined && /^dns(-tcp|-udp)?$/.test(p.name);
    if (named || p.containerPort === 53 || p.containerPort === 5353) {
      declared.push({ protocol, port: p.containerPort, name: p.name });
    }
  }
  if (declared.length > 0) return declared;
  return [
    { protocol: 'UDP', port: 53, name: 'dns' },
    { protocol: 'TCP', port: 53, name: 'dns-tcp' },
  ];
}

/**
 * The DNS servers a workload must reach. When the input has them, all of them (one alternative).
 * Otherwise the two standard set-ups are assumed, and reaching either is enough: CoreDNS in
 * kube-system on 53, or OpenShift's DNS pods in openshift-dns on 5353.
 */
function dnsAlternatives(ctx: FindingContext): DnsTarget[][] {
  const found = ctx.cluster.workloads.filter((w) => !w.hostNetwork && isClusterDns(w));
  if (found.length > 0) {
    return [
      found.map((w) => ({
        workload: w,
        namespace: w.namespace,
        namespaceLabels: ctx.cluster.namespaces.get(w.namespace)?.labels ?? {},
        labels: w.labels,
        ports: dnsPorts(w),
        description: w.id,
      })),
    ];
  }
  const assumed = (namespace: string, labels: Labels, port: number, what: string): DnsTarget => ({
    workload: undefined,
    namespace,
    namespaceLabels: ctx.cluster.namespaces.get(namespace)?.labels ?? { [NAMESPACE_NAME_LABEL]: namespace },
    labels,
    ports: [
      { protocol: 'UDP', port, name: 'dns' },
      { protocol: 'TCP', port, name: 'dns-tcp' },
    ],
    description: `${what} (assumed: not in the input)`,
  });
  return [
    [
      assumed(
        'kube-system',
        { [DNS_LABEL]: DNS_LABEL_VALUE },
        53,
        `the cluster DNS (kube-system pods labelled ${DNS_LABEL}=${DNS_LABEL_VALUE})`,
      ),
    ],
    [
      assumed(
        'openshift-dns',
        { [OPENSHIFT_DNS_LABEL]: 'default' },
        5353,
        "OpenShift's DNS (openshift-dns pods, port 5353)",
      ),
    ],
  ];
}

/**
 * Whether a peer admits a DNS server by its labels (the server itself may be absent from the
 * input). An ipBlock admits it only when it covers every IPv4 address without exceptions: the
 * server's pod address is unknown.
 */
function peerAdmitsTarget(rule: CompiledRule, peer: CompiledPeer, target: DnsTarget): boolean {
  if (peer.kind === 'ipBlock') {
    const v4 = peer.ipv4;
    return v4 !== undefined && v4.length === 2 && v4[0] === 0 && v4[1] === 0xffffffff;
  }
  const namespaceOk = peer.namespaceSelector
    ? peer.namespaceSelector.matches(target.namespaceLabels)
    : rule.policy.namespace === target.namespace;
  return namespaceOk && (peer.podSelector?.matches(target.labels) ?? true);
}

/** Whether a NetworkPolicy egress rule admits a DNS server absent from the input on one port. */
function ruleAdmitsAssumed(rule: CompiledRule, target: DnsTarget, port: DnsPort): boolean {
  if (rule.peers !== undefined && !rule.peers.some((peer) => peerAdmitsTarget(rule, peer, target))) {
    return false;
  }
  if (rule.ports === undefined) return true;
  return rule.ports.some((p) => {
    if (p.protocol !== port.protocol) return false;
    if (p.kind === 'all') return true;
    if (p.kind === 'range') return port.port >= p.from && port.port <= p.to;
    return p.name !== undefined && p.name === port.name;
  });
}

/**
 * True when the input has no DNS server and this selector peer would admit the standard one
 * (kube-system pods labelled k8s-app=kube-dns): the usual DNS rule, not a dead peer.
 */
export function selectsAbsentClusterDns(
  ctx: FindingContext,
  rule: CompiledRule,
  peer: CompiledPeer,
): boolean {
  if (peer.kind !== 'selector') return false;
  const alternatives = dnsAlternatives(ctx);
  return alternatives.some(
    ([target]) =>
      target !== undefined && target.workload === undefined && peerAdmitsTarget(rule, peer, target),
  );
}

/** The DNS ports a workload's egress admits towards a target. */
function admittedPorts(ctx: FindingContext, w: WorkloadPeer, target: DnsTarget): DnsPort[] {
  if (target.workload) {
    const conn = explainConnection(ctx.cluster, w, target.workload).egress.conn;
    return target.ports.filter((p) => containsPort(conn, p.protocol as Protocol, p.port));
  }
  const rules = ctx.cluster.egressPolicies[w.index]!.flatMap((p) => p.egress);
  return target.ports.filter((port) => rules.some((rule) => ruleAdmitsAssumed(rule, target, port)));
}

/** The label that picks the DNS pods out, as a selector would match it. */
function dnsSelectorText(target: DnsTarget): string {
  const key = Object.hasOwn(target.labels, DNS_LABEL) ? DNS_LABEL : OPENSHIFT_DNS_LABEL;
  return `${key}: ${target.labels[key] ?? DNS_LABEL_VALUE}`;
}

interface DnsVerdict {
  /** The servers of the alternative reported (the closest one to working). */
  targets: DnsTarget[];
  missing: DnsPort[];
  admitted: DnsPort[];
}

interface DnsGroup extends DnsVerdict {
  policies: readonly CompiledPolicy[];
  workloads: WorkloadPeer[];
}

/**
 * Undefined when the workload reaches every server of some alternative on every DNS port;
 * otherwise the alternative closest to working: UDP admitted first, then the most ports.
 */
function dnsVerdict(
  ctx: FindingContext,
  w: WorkloadPeer,
  alternatives: DnsTarget[][],
): DnsVerdict | undefined {
  let best: (DnsVerdict & { score: number }) | undefined;
  for (const targets of alternatives) {
    const admitted: DnsPort[] = [];
    const missing: DnsPort[] = [];
    for (const target of targets) {
      const ok = admittedPorts(ctx, w, target);
      admitted.push(...ok);
      missing.push(...target.ports.filter((p) => !ok.includes(p)));
    }
    if (missing.length === 0) return undefined;
    const score = (admitted.some((p) => p.protocol === 'UDP') ? 1000 : 0) + admitted.length;
    if (!best || score > best.score) best = { targets, missing, admitted, score };
  }
  if (!best) return undefined;
  const { score: _, ...verdict } = best;
  return verdict;
}

function portText(ports: readonly SuggestedPort[]): string {
  return ports.map((p) => `${p.protocol} ${p.port}`).join(', ');
}

/**
 * Egress-isolated workloads that cannot resolve names: their egress rules allow some traffic (so
 * they are meant to talk to something, usually by Service name) but not DNS, or only half of it
 * (UDP without TCP fails on large answers; TCP alone fails on almost every lookup). Workloads
 * whose egress allows nothing at all are locked down on purpose and left alone.
 *
 * Workloads with the same egress policies share one finding.
 */
export function dnsFindings(ctx: FindingContext): Finding[] {
  if (!ctx.enforced) return [];
  const { cluster } = ctx;
  const alternatives = dnsAlternatives(ctx);
  const assumed = alternatives[0]?.[0]?.workload === undefined;
  const groups = new Map<string, DnsGroup>();
  const verdicts = new Map<string, DnsVerdict | undefined>();
  for (const w of cluster.workloads) {
    if (w.hostNetwork || isClusterDns(w)) continue;
    const policies = cluster.egressPolicies[w.index]!;
    if (policies.length === 0) continue;
    // Egress that allows nothing at all is a deliberate lockdown, not a forgotten DNS rule.
    if (!policies.some((p) => p.egress.length > 0)) continue;
    const tiers = cluster.egressTiers[w.index]!;
    const tiered = tiers.admin.length > 0 || tiers.baseline.length > 0;
    // Cluster policies can decide DNS for an assumed server too, but their peers need a real one.
    if (assumed && tiered) continue;
    // Cluster policies make the verdict depend on the workload itself, not only on its policies.
    const key = tiered ? w.id : policies.map((p) => p.id).join('+');
    if (!verdicts.has(key)) verdicts.set(key, dnsVerdict(ctx, w, alternatives));
    const verdict = verdicts.get(key);
    if (!verdict) continue;
    let group = groups.get(key);
    if (!group) {
      group = { policies, workloads: [], ...verdict };
      groups.set(key, group);
    }
    group.workloads.push(w);
  }
  const out: Finding[] = [];
  for (const [key, group] of groups) {
    const udp = group.admitted.some((p) => p.protocol === 'UDP');
    const severity = udp ? 'low' : 'medium';
    const who = listText(group.workloads.map((w) => w.id));
    const one = group.workloads.length === 1;
    const subject = one ? group.workloads[0]!.id : `${group.workloads.length} workloads`;
    const by = listText(group.policies.map((p) => p.id));
    const where = listText(group.targets.map((t) => t.description));
    const what =
      group.admitted.length === 0
        ? `cannot reach ${where} at all: every name lookup fails, so connections by Service name break even where the policies allow them`
        : udp
          ? `${one ? 'reaches' : 'reach'} ${where} on ${portText(group.admitted)} but not on ${portText(group.missing)}: answers too large for UDP (many records, DNSSEC) are retried over TCP and fail`
          : `${one ? 'reaches' : 'reach'} ${where} only on ${portText(group.admitted)}: lookups go over UDP first and fail`;
    const ports = [...new Map(group.missing.map((p) => [`${p.protocol}/${p.port}`, p])).values()];
    out.push(
      makeFinding('dns-unreachable', {
        key,
        severity,
        // Workloads of different policies with the same gap read as one finding.
        group: `dns-unreachable:${portText(group.admitted)}|${portText(group.missing)}`,
        title:
          group.admitted.length === 0
            ? `${subject} cannot resolve names`
            : `${subject} ${one ? 'reaches' : 'reach'} DNS on ${portText(group.admitted)} only`,
        message: `${who} ${one ? 'is' : 'are'} egress-isolated by ${by}, whose rules allow some traffic, and ${what}.`,
        subjects: [...group.workloads.map((w) => w.id), ...group.policies.map((p) => p.id)],
        namespaces: group.workloads.map((w) => w.namespace),
        locations: group.policies.map(policyNameLocation),
        fix: {
          description: `Add an egress rule to ${group.policies[0]!.id} towards the DNS pods (namespaceSelector ${NAMESPACE_NAME_LABEL}: ${group.targets[0]!.namespace}, podSelector ${dnsSelectorText(group.targets[0]!)}) on ${portText(ports)}.`,
          suggestion: {
            kind: 'add-dns-egress',
            policy: group.policies[0]!.id,
            namespace: group.targets[0]!.namespace,
            ports: ports.map(({ protocol, port }) => ({ protocol, port })),
          },
        },
      }),
    );
  }
  return out;
}

/** True for a port entry that only DNS uses: 53 or 5353 (OpenShift), or a name containing `dns`. */
function isDnsPortEntry(p: NonNullable<CompiledRule['ports']>[number]): boolean {
  if (p.protocol !== 'UDP' && p.protocol !== 'TCP') return false;
  if (p.kind === 'named') return p.name !== undefined && /dns/i.test(p.name);
  if (p.kind === 'range') return p.from === p.to && (p.from === 53 || p.from === 5353);
  return false;
}

/** True for a rule written for DNS: it lists ports, and every one of them is a DNS port. */
export function isDnsRule(rule: CompiledRule): boolean {
  return rule.ports !== undefined && rule.ports.length > 0 && rule.ports.every(isDnsPortEntry);
}

/**
 * Where the cluster DNS pods of a DNS rule live, and the label that picks them out: the DNS
 * workloads of the input when it has them; otherwise OpenShift's for a rule on 5353, CoreDNS's in
 * kube-system for the rest.
 */
export function dnsPodsFor(
  ctx: FindingContext,
  rule: CompiledRule,
): { namespaces: string[]; labels: Labels } {
  const found = ctx.cluster.workloads.filter((w) => !w.hostNetwork && isClusterDns(w));
  if (found.length > 0) {
    const first = found[0]!;
    const key = Object.hasOwn(first.labels, DNS_LABEL) ? DNS_LABEL : OPENSHIFT_DNS_LABEL;
    return {
      namespaces: [...new Set(found.map((w) => w.namespace))].sort(),
      labels: { [key]: first.labels[key]! },
    };
  }
  const openshift = (rule.ports ?? []).some((p) => p.kind === 'range' && p.from === 5353);
  return openshift
    ? { namespaces: ['openshift-dns'], labels: { [OPENSHIFT_DNS_LABEL]: 'default' } }
    : { namespaces: ['kube-system'], labels: { [DNS_LABEL]: DNS_LABEL_VALUE } };
}
