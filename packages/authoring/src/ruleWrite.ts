import {
  ALL_CONNECTIONS,
  type Cluster,
  type CompiledPolicy,
  type ConnectionSet,
  type WorkloadPeer,
} from '@netpol-atlas/evaluator';
import type { LabelSelector } from '@netpol-atlas/manifests';
import type { Compiled } from './compiled.ts';
import type { PolicyEditSet } from './editSet.ts';
import { covers, type Direction, type Ports, portsText } from './intent.ts';
import { deepEqual, isPlainObject } from './json.ts';
import {
  type Endpoint,
  peerFor,
  portEntry,
  portIntentConnections,
  selectorFor,
  selectorKey,
  stableLabels,
} from './peers.ts';
import type { PortIntent } from './types.ts';

/** Which of the intent's ports a side still lacks: all of them, or these port-intent indices. */
export type PortNeed = 'all' | Set<number>;

/** The intent's ports a side does not admit yet towards `dst`; undefined when it admits them all. */
export function missingPorts(
  ports: Ports,
  dst: WorkloadPeer | undefined,
  conn: ConnectionSet,
): PortNeed | undefined {
  if (ports === 'all') return covers(conn, ALL_CONNECTIONS) ? undefined : 'all';
  const missing = new Set<number>();
  ports.forEach((port, i) => {
    if (!covers(conn, portIntentConnections(port, dst))) missing.add(i);
  });
  return missing.size > 0 ? missing : undefined;
}

export function mergeNeed(a: PortNeed | undefined, b: PortNeed): PortNeed {
  if (a === undefined) return b;
  if (a === 'all' || b === 'all') return 'all';
  return new Set([...a, ...b]);
}

/** A set of pods a rule must be added for: all pods of a namespace, or one workload's pods. */
export interface Target {
  namespace: string;
  selector: Record<string, unknown>;
  /** Word for generated names. */
  label: string;
  need: PortNeed;
}

function isolated(cluster: Cluster, direction: Direction, w: WorkloadPeer): boolean {
  return (direction === 'Ingress' ? cluster.ingressPolicies : cluster.egressPolicies)[w.index]!.length > 0;
}

/**
 * The pods that need a rule on one side. A namespace end whose pods are all isolated already gets
 * one `podSelector: {}` rule; otherwise each workload that lacks the traffic gets its own (a
 * namespace-wide policy would newly isolate the others and cut their traffic).
 */
export function targetsFor(
  cluster: Cluster,
  direction: Direction,
  endpoint: Endpoint,
  needs: ReadonlyMap<string, { workload: WorkloadPeer; need: PortNeed }>,
  isolateAll: boolean,
): Target[] | { problem: string } {
  if (needs.size === 0) return [];
  if (
    endpoint.kind === 'namespace' &&
    endpoint.workloads.every((w) => isolateAll || isolated(cluster, direction, w))
  ) {
    let need: PortNeed | undefined;
    for (const entry of needs.values()) need = mergeNeed(need, entry.need);
    return [{ namespace: endpoint.namespace, selector: {}, label: endpoint.slug, need: need! }];
  }
  const byKey = new Map<string, Target>();
  for (const { workload, need } of needs.values()) {
    const labels = stableLabels(workload.labels);
    if (Object.keys(labels).length === 0) {
      return { problem: `${workload.id} has no stable pod labels a policy could select it by` };
    }
    const key = selectorKey(workload.namespace, labels);
    const existing = byKey.get(key);
    if (existing) existing.need = mergeNeed(existing.need, need);
    else
      byKey.set(key, {
        namespace: workload.namespace,
        selector: selectorFor(labels),
        label: workload.name,
        need,
      });
  }
  return [...byKey.values()];
}

/** True when a written selector is exactly `matchLabels: labels` (no expressions). */
function selectsExactly(selector: LabelSelector, wanted: Record<string, unknown>): boolean {
  if ((selector.matchExpressions?.length ?? 0) > 0) return false;
  const wantedLabels = isPlainObject(wanted.matchLabels) ? wanted.matchLabels : {};
  return deepEqual({ ...(selector.matchLabels ?? {}) }, wantedLabels);
}

/** An existing policy for the target's exact selector that already governs the direction. */
export function reusablePolicy(
  cluster: Cluster,
  target: Pick<Target, 'namespace' | 'selector'>,
  direction: Direction,
): CompiledPolicy | undefined {
  return cluster.policies.find(
    (p) =>
      p.namespace === target.namespace &&
      (direction === 'Ingress' ? p.affectsIngress : p.affectsEgress) &&
      selectsExactly(p.object.spec.podSelector, target.selector),
  );
}

function normalizedPorts(ports: unknown): string[] | undefined {
  if (!Array.isArray(ports) || ports.length === 0) return undefined;
  return ports
    .map((p) => {
      const entry = isPlainObject(p) ? p : {};
      return JSON.stringify([entry.protocol ?? 'TCP', entry.port ?? null, entry.endPort ?? null]);
    })
    .sort();
}

/**
 * Adds "peer on ports" to a policy's rules as a person would: more ports on a rule that already
 * names exactly this peer, or one more peer on a rule with exactly these ports, else a new rule.
 * Returns what changed, for the edit's description.
 */
export function addToRules(
  spec: Record<string, unknown>,
  direction: Direction,
  peer: Record<string, unknown>,
  ports: Record<string, unknown>[] | undefined,
): string {
  const field = direction === 'Ingress' ? 'ingress' : 'egress';
  const peersField = direction === 'Ingress' ? 'from' : 'to';
  if (!Array.isArray(spec[field])) spec[field] = [];
  const rules = spec[field] as unknown[];
  for (const [i, rule] of rules.entries()) {
    if (!isPlainObject(rule)) continue;
    const peers = rule[peersField];
    if (!Array.isArray(peers) || peers.length !== 1 || !deepEqual(peers[0], peer)) continue;
    if (ports === undefined) {
      delete rule.ports;
      return `${field} rule ${i} now admits every port`;
    }
    if (!Array.isArray(rule.ports) || rule.ports.length === 0) continue;
    const have = new Set(normalizedPorts(rule.ports));
    const more = ports.filter((p) => !have.has(normalizedPorts([p])![0]!));
    rule.ports.push(...more);
    return `${field} rule ${i} gains port(s) ${more.map((p) => `${p.protocol} ${p.port ?? '(all)'}`).join(', ')}`;
  }
  const wanted = normalizedPorts(ports);
  for (const [i, rule] of rules.entries()) {
    if (!isPlainObject(rule)) continue;
    const peers = rule[peersField];
    if (!Array.isArray(peers) || peers.length === 0) continue;
    if (!deepEqual(normalizedPorts(rule.ports), wanted)) continue;
    peers.push(peer);
    return `${field} rule ${i} gains a peer`;
  }
  rules.push(ports === undefined ? { [peersField]: [peer] } : { [peersField]: [peer], ports });
  return `new ${field} rule ${rules.length - 1}`;
}

/** The intent's ports a target still needs; undefined for every port. */
function neededPorts(ports: Ports, need: PortNeed): PortIntent[] | undefined {
  if (ports === 'all' || need === 'all') return undefined;
  return [...need].sort((a, b) => a - b).map((i) => ports[i]!);
}

/**
 * Writes the rule for one target: into an existing policy that selects exactly the target's pods
 * and already governs the direction (so nothing newly isolated), else into a new policy.
 */
export function writeRule(
  ws: Compiled,
  edits: PolicyEditSet,
  direction: Direction,
  target: Target,
  other: Endpoint,
  ports: Ports,
  names: { src: string; dst: string; srcText: string; dstText: string },
): void {
  const peer = peerFor(other, target.namespace);
  const needed = neededPorts(ports, target.need);
  const entries = needed?.map(portEntry);
  const policy = reusablePolicy(ws.cluster, target, direction);
  if (policy) {
    const what = addToRules(edits.spec(policy.object), direction, peer, entries);
    edits.note(policy.object, `${policy.id}: ${what} (${other.text})`);
    return;
  }
  const field = direction === 'Ingress' ? 'ingress' : 'egress';
  const peersField = direction === 'Ingress' ? 'from' : 'to';
  const rule = entries ? { [peersField]: [peer], ports: entries } : { [peersField]: [peer] };
  const spec = { podSelector: target.selector, policyTypes: [direction], [field]: [rule] };
  const words =
    direction === 'Ingress'
      ? ['allow', names.src, 'to', target.label]
      : ['allow', target.label, 'to', names.dst, 'egress'];
  const comment =
    `Lets ${names.srcText} reach ${names.dstText} on ${portsText(needed ?? 'all')} ` +
    `(the ${field} side of a drawn edge; generated by netpol-atlas).`;
  edits.create(target.namespace, words, spec, comment);
}
