import type { LabelSelector } from '@netpol-atlas/manifests';
import type { CompiledPeer, CompiledPolicy, CompiledPort, CompiledRule, WorkloadPeer } from '../model.ts';
import { peerKey } from './andOr.ts';
import { ruleContains } from './containment.ts';
import {
  admitsNone,
  allRules,
  describeSelector,
  directionField,
  type FindingContext,
  listText,
  makeFinding,
  namespacesMatching,
  peerName,
  peerPath,
  policyLocation,
  portPath,
  rawPeer,
  ruleDestinations,
  ruleKey,
  ruleName,
  rulePath,
} from './context.ts';
import { selectsAbsentClusterDns } from './dns.ts';
import type { Finding } from './types.ts';

/**
 * Policies and rules that do nothing, or less than written: selectors matching no pod, named
 * ports no destination defines, duplicate and shadowed rules. Selection checks need workloads in
 * the input; without any, they are skipped (the `no-workloads` finding says so).
 */
export function ineffectiveFindings(ctx: FindingContext, explainedPeers: ReadonlySet<string>): Finding[] {
  const out: Finding[] = [];
  const { cluster } = ctx;
  const hasWorkloads = cluster.workloads.length > 0;
  if (hasWorkloads) {
    for (const policy of cluster.policies) {
      if (policy.selected.length === 0) out.push(selectsNothing(ctx, policy));
    }
    for (const rule of allRules(cluster)) {
      const peers = rule.peers ?? [];
      const dead = peers.filter(
        (p) => p.kind === 'selector' && admitsNone(p.members) && !explainedPeers.has(peerKey(rule, p)),
      );
      // A peer for the cluster DNS matches nothing only because DNS is not in the input.
      const allDead =
        peers.length > 0 &&
        peers.every(
          (p) => p.kind === 'selector' && admitsNone(p.members) && !selectsAbsentClusterDns(ctx, rule, p),
        );
      for (const peer of dead) out.push(peerMatchesNothing(ctx, rule, peer, allDead));
      out.push(...namedPortFindings(ctx, rule));
    }
  }
  for (const policy of cluster.policies) {
    out.push(...redundantRules(ctx, policy, policy.ingress), ...redundantRules(ctx, policy, policy.egress));
  }
  return out;
}

function selectsNothing(ctx: FindingContext, policy: CompiledPolicy): Finding {
  const inNamespace = ctx.workloadsIn(policy.namespace);
  const typo = nearestLabels(policy.object.spec.podSelector, inNamespace);
  return makeFinding('policy-selects-nothing', {
    key: policy.id,
    // With no workload of its namespace in the input, the input is likely partial, not the policy wrong.
    severity: inNamespace.length === 0 ? 'info' : 'low',
    title: `${policy.id} selects no pod (podSelector ${describeSelector(policy.podSelector)})`,
    message:
      inNamespace.length === 0
        ? `${policy.id} applies to pods of namespace ${policy.namespace}, but the input has no workload there, so it selects nothing here. If the namespace has workloads in the cluster, add their manifests to the review.`
        : `No workload of namespace ${policy.namespace} (${listText(inNamespace.map((w) => w.id))}) matches podSelector ${describeSelector(policy.podSelector)}, so ${policy.id} isolates nothing and its rules allow nothing. A typo in a label is the usual cause; the pods it was meant for stay as open as before.`,
    subjects: [policy.id, ...(typo ? [typo.workload.id] : [])],
    namespaces: [policy.namespace],
    locations: [policyLocation(policy, ['spec', 'podSelector'])],
    ...(typo
      ? {
          fix: {
            description: `If ${typo.workload.id} was meant, select it by its labels: ${labelText(typo.labels)} (the policy asks for ${labelText(typo.written)}).`,
            suggestion: {
              kind: 'move-into-match-labels' as const,
              policy: policy.id,
              path: ['spec', 'podSelector'],
              labels: typo.labels,
            },
          },
        }
      : {}),
  });
}

function peerMatchesNothing(
  ctx: FindingContext,
  rule: CompiledRule,
  peer: CompiledPeer,
  allDead: boolean,
): Finding {
  const { cluster } = ctx;
  const namespaces = peer.namespaceSelector
    ? namespacesMatching(cluster, peer.namespaceSelector)
    : [rule.policy.namespace];
  const inScope = namespaces.flatMap((ns) => ctx.workloadsIn(ns));
  const parts = [
    peer.namespaceSelector ? `namespaceSelector ${describeSelector(peer.namespaceSelector)}` : undefined,
    peer.podSelector ? `podSelector ${describeSelector(peer.podSelector)}` : undefined,
  ].filter((p) => p !== undefined);
  if (selectsAbsentClusterDns(ctx, rule, peer)) {
    return makeFinding('peer-matches-nothing', {
      key: `${ruleKey(rule)}.${rule.direction === 'Ingress' ? 'from' : 'to'}[${peer.index}]`,
      severity: 'info',
      title: `${peerName(rule, peer.index)} selects the cluster DNS, which is not in the input`,
      group: 'absent-dns',
      message: `${peerName(rule, peer.index)} (${parts.join(' and ')}) matches no workload in the analysed manifests, but it selects the standard cluster DNS pods (kube-system, k8s-app=kube-dns), which the input does not include. In the cluster this is the rule that lets the pods resolve names: keep it, and add the DNS manifests to review it exactly.`,
      subjects: [rule.policy.id],
      namespaces: [rule.policy.namespace, ...namespaces],
      locations: [policyLocation(rule.policy, peerPath(rule, peer.index))],
    });
  }
  const why =
    namespaces.length === 0
      ? 'no namespace in the input has those labels'
      : inScope.length === 0
        ? `the input has no workload in ${listText(namespaces)}`
        : `no workload in ${listText(namespaces)} has those labels`;
  const typo =
    inScope.length > 0 ? nearestLabels(rawPeer(rule, peer.index)?.podSelector, inScope) : undefined;
  const ref = { policy: rule.policy.id, direction: rule.direction, rule: rule.index, peer: peer.index };
  // A peer for workloads outside the input may be right: only suggest deleting it when its
  // namespaces are in the input and hold no match.
  // Nothing in scope: the peer may be for workloads missing from the input (an ingress gateway,
  // another team's namespace), so deleting it is no safe advice.
  const fix: Finding['fix'] | undefined = typo
    ? {
        description: `If ${typo.workload.id} was meant, use its labels: ${labelText(typo.labels)} (the peer asks for ${labelText(typo.written)}).`,
        suggestion: { kind: 'set-peer-labels', ...ref, labels: typo.labels },
      }
    : inScope.length === 0
      ? undefined
      : {
          description: allDead
            ? `Fix the labels to those of the workloads meant, or delete ${ruleName(rule)}: it allows nothing.`
            : `Fix the labels to those of the workloads meant, or delete the peer: the rule's other peers keep working.`,
          suggestion: allDead
            ? { kind: 'remove-rule', policy: rule.policy.id, direction: rule.direction, rule: rule.index }
            : { kind: 'remove-peer', ...ref },
        };
  return makeFinding('peer-matches-nothing', {
    key: `${ruleKey(rule)}.${rule.direction === 'Ingress' ? 'from' : 'to'}[${peer.index}]`,
    // Selecting namespaces or workloads absent from the input is often fine (e.g. kube-system).
    severity: inScope.length === 0 ? 'info' : 'low',
    title: `${peerName(rule, peer.index)} matches no workload`,
    message: `${peerName(rule, peer.index)} (${parts.join(' and ')}) matches no workload in the analysed manifests: ${why}.${allDead ? ` No peer of ${ruleName(rule)} matches anything, so the rule allows nothing.` : ''}`,
    subjects: [rule.policy.id, ...(typo ? [typo.workload.id] : [])],
    namespaces: [rule.policy.namespace, ...namespaces],
    locations: [policyLocation(rule.policy, peerPath(rule, peer.index))],
    ...(fix ? { fix } : {}),
  });
}

function labelText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

/**
 * The workload in scope that a peer's `matchLabels` most likely meant: one that carries every
 * written key and differs in exactly one value, or carries every written value and misses one key
 * by a near spelling. Undefined when none is that close (or the selector uses expressions).
 */
function nearestLabels(
  written: LabelSelector | undefined,
  inScope: readonly WorkloadPeer[],
): { workload: WorkloadPeer; labels: Record<string, string>; written: Record<string, string> } | undefined {
  const wanted = written?.matchLabels;
  if (!wanted || (written.matchExpressions?.length ?? 0) > 0) return undefined;
  const entries = Object.entries(wanted);
  if (entries.length === 0) return undefined;
  for (const w of inScope) {
    const misses = entries.filter(([k, v]) => w.labels[k] !== v);
    if (misses.length !== 1) continue;
    const [key, value] = misses[0]!;
    const have = w.labels[key];
    const labels = { ...wanted };
    if (have !== undefined && closeSpelling(have, value)) labels[key] = have;
    else {
      const similar = Object.keys(w.labels).find(
        (k) => k !== key && w.labels[k] === value && closeSpelling(k, key),
      );
      if (!similar) continue;
      delete labels[key];
      labels[similar] = value;
    }
    return { workload: w, labels, written: { ...wanted } };
  }
  return undefined;
}

/** Edit distance of at most 2, or one contains the other: a typo or a variant, not another name. */
function closeSpelling(a: string, b: string): boolean {
  if (a.includes(b) || b.includes(a)) return true;
  if (Math.abs(a.length - b.length) > 2) return false;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]! <= 2;
}

function namedPortFindings(ctx: FindingContext, rule: CompiledRule): Finding[] {
  const named = (rule.ports ?? []).filter((p): p is CompiledPort & { name: string } => p.kind === 'named');
  if (named.length === 0) return [];
  const out: Finding[] = [];
  const destinations = ruleDestinations(ctx.cluster, rule);
  const onlyAddresses =
    rule.direction === 'Egress' && !!rule.peers && rule.peers.every((p) => p.kind === 'ipBlock');
  for (const port of named) {
    const key = `${ruleKey(rule)}.ports[${port.index}]`;
    const where = policyLocation(rule.policy, portPath(rule, port.index));
    if (onlyAddresses && destinations.length === 0) {
      out.push(
        makeFinding('named-port-undefined', {
          key,
          title: `${ruleName(rule)} uses named port "${port.name}" towards ipBlocks only`,
          message: `${ruleName(rule)} names port "${port.name}", but its peers are ipBlocks. A named port resolves on the destination pod's containers; for addresses outside the cluster there is no pod, so this entry admits nothing there.`,
          subjects: [rule.policy.id],
          namespaces: [rule.policy.namespace],
          locations: [where],
          ...portFix(rule, port, numberForName(ctx, port)),
        }),
      );
      continue;
    }
    if (destinations.length === 0) continue;
    const same = destinations.filter((w) =>
      w.ports.some((p) => p.name === port.name && p.protocol === port.protocol),
    );
    if (same.length > 0) continue;
    const other = destinations.flatMap((w) =>
      w.ports.filter((p) => p.name === port.name).map((p) => ({ w, protocol: p.protocol })),
    );
    const destText = listText(destinations.map((w) => w.id));
    if (other.length > 0) {
      const protocol = other[0]!.protocol as 'TCP' | 'UDP' | 'SCTP';
      out.push(
        makeFinding('named-port-protocol', {
          key,
          title: `${ruleName(rule)}: port "${port.name}" is ${port.protocol} here but ${protocol} on the destination`,
          message: `${ruleName(rule)} admits ${port.protocol} port "${port.name}", but ${listText([...new Set(other.map((o) => o.w.id))])} define${other.length === 1 ? 's' : ''} "${port.name}" as ${listText([...new Set(other.map((o) => o.protocol))])}. Named ports match on name AND protocol, so this entry admits nothing and the intended traffic is denied.`,
          subjects: [rule.policy.id, ...other.map((o) => o.w.id)],
          namespaces: [rule.policy.namespace, ...other.map((o) => o.w.namespace)],
          locations: [where],
          fix: {
            description: `Set the entry's protocol to ${protocol}.`,
            suggestion: {
              kind: 'set-port-protocol',
              policy: rule.policy.id,
              direction: rule.direction,
              rule: rule.index,
              port: port.index,
              protocol,
            },
          },
        }),
      );
    } else {
      const names = [...new Set(destinations.flatMap((w) => w.ports.map((p) => p.name).filter((n) => n)))];
      out.push(
        makeFinding('named-port-undefined', {
          key,
          title: `${ruleName(rule)}: no destination defines port "${port.name}"`,
          message: `${ruleName(rule)} admits port "${port.name}", but none of its destinations (${destText}) has a container port with that name, so this entry admits nothing and the traffic it was written for is denied.${names.length > 0 ? ` Names they define: ${listText(names as string[])}.` : ' They define no named ports.'}`,
          subjects: [rule.policy.id, ...destinations.map((w) => w.id)],
          namespaces: [rule.policy.namespace],
          locations: [where],
          ...portFix(rule, port, nameOnDestinations(destinations, port)),
        }),
      );
    }
  }
  return out;
}

/** Well-known numbers of common port names, for addresses outside the cluster. */
const WELL_KNOWN: Record<string, number> = { http: 80, https: 443, dns: 53, 'dns-tcp': 53 };

/** The number a named port has on the workloads that define it (one number), or its well-known one. */
function numberForName(ctx: FindingContext, port: CompiledPort & { name: string }): number | undefined {
  const numbers = new Set(
    ctx.cluster.workloads.flatMap((w) =>
      w.ports
        .filter((p) => p.name === port.name && (p.protocol ?? 'TCP') === port.protocol)
        .map((p) => p.containerPort),
    ),
  );
  if (numbers.size === 1) return [...numbers][0];
  return numbers.size === 0 ? WELL_KNOWN[port.name] : undefined;
}

/**
 * The port name the destinations most likely meant: a near spelling of the written one, or their
 * only name for the protocol.
 */
function nameOnDestinations(
  destinations: readonly WorkloadPeer[],
  port: CompiledPort & { name: string },
): string | undefined {
  const names = [
    ...new Set(
      destinations.flatMap((w) =>
        w.ports.filter((p) => p.name && (p.protocol ?? 'TCP') === port.protocol).map((p) => p.name!),
      ),
    ),
  ].sort();
  return names.find((n) => closeSpelling(n, port.name)) ?? (names.length === 1 ? names[0] : undefined);
}

function portFix(
  rule: CompiledRule,
  port: CompiledPort & { name: string },
  replacement: number | string | undefined,
): { fix?: Finding['fix'] } {
  if (replacement === undefined) return {};
  const protocol = port.protocol as 'TCP' | 'UDP' | 'SCTP';
  return {
    fix: {
      description: `Use ${typeof replacement === 'number' ? `port number ${replacement}` : `the name the destination defines, "${replacement}"`} instead of "${port.name}".`,
      suggestion: {
        kind: 'replace-port',
        policy: rule.policy.id,
        direction: rule.direction,
        rule: rule.index,
        port: port.index,
        with: { protocol, port: replacement },
      },
    },
  };
}

function redundantRules(
  ctx: FindingContext,
  policy: CompiledPolicy,
  rules: readonly CompiledRule[],
): Finding[] {
  const out: Finding[] = [];
  const reported = new Set<number>();
  for (let i = 0; i < rules.length; i++) {
    for (let j = 0; j < rules.length; j++) {
      if (i === j || reported.has(i)) continue;
      const inner = rules[i]!;
      const outer = rules[j]!;
      if (!ruleContains(ctx.cluster, outer, inner)) continue;
      const equal = ruleContains(ctx.cluster, inner, outer);
      // Of two equal rules, report the later one only.
      if (equal && i < j) continue;
      reported.add(i);
      const field = directionField(inner);
      out.push(
        makeFinding(equal ? 'duplicate-rule' : 'shadowed-rule', {
          key: ruleKey(inner),
          title: equal
            ? `${ruleName(inner)} duplicates ${field}[${outer.index}]`
            : `${ruleName(inner)} is covered by the broader ${field}[${outer.index}]`,
          message: equal
            ? `${ruleName(inner)} admits exactly what ${field}[${outer.index}] of the same policy admits: one of them is redundant.`
            : `Every peer and port of ${ruleName(inner)} is also admitted by ${field}[${outer.index}] of ${policy.id}, so ${ruleName(inner)} has no effect. Check that ${field}[${outer.index}] is not broader than intended.`,
          subjects: [policy.id],
          namespaces: [policy.namespace],
          locations: [policyLocation(policy, rulePath(inner)), policyLocation(policy, rulePath(outer))],
          fix: {
            description: `Delete ${field}[${inner.index}]${equal ? '' : `, or narrow ${field}[${outer.index}]`}.`,
            suggestion: {
              kind: 'remove-rule',
              policy: policy.id,
              direction: inner.direction,
              rule: inner.index,
              coveredBy: outer.index,
            },
          },
        }),
      );
    }
  }
  return out;
}
