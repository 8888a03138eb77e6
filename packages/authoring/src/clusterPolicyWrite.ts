// Writing ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2) objects: subjects and peers
// from an intent's ends, ports as v1alpha2 `protocols`, and the new documents as file edits.

import { NAMESPACE_NAME_LABEL, type Tier, type TierAction } from '@netpol-atlas/evaluator';
import type { Compiled } from './compiled.ts';
import type { Direction, Ports } from './intent.ts';
import { type Endpoint, policyName } from './peers.ts';
import type { FileEdit } from './types.ts';
import { detectStreamStyle, renderDocument } from './yamlEdit.ts';
import { appendDocument, splitStream } from './yamlText.ts';

const API_VERSION = 'policy.networking.k8s.io/v1alpha2';
const KIND = 'ClusterNetworkPolicy';

/**
 * A namespace named by `kubernetes.io/metadata.name`: the API server sets that label to the
 * namespace's name and nobody can put it on another namespace, unlike labels users choose.
 */
function namespaceSelector(namespace: string): Record<string, unknown> {
  return { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } };
}

/**
 * The `subject` (or pod/namespace peer) that names exactly an end: a namespace, or a workload's
 * pods (its stable labels, in its namespace). Undefined for an address range.
 */
function podsOrNamespace(end: Endpoint): Record<string, unknown> | undefined {
  if (end.kind === 'namespace') return { namespaces: namespaceSelector(end.namespace) };
  if (end.kind === 'workload') {
    return {
      pods: {
        namespaceSelector: namespaceSelector(end.namespace),
        podSelector: { matchLabels: { ...end.labels } },
      },
    };
  }
  return undefined;
}

/** Why an end cannot be written where a rule needs it, or undefined. */
export function unwritable(
  end: Endpoint,
  as: 'subject' | 'ingress-peer' | 'egress-peer',
): string | undefined {
  if (end.kind !== 'cidr') return undefined;
  if (as === 'subject') return `${end.text} is outside the cluster: a cluster policy's subject is pods`;
  if (as === 'ingress-peer') {
    return `${end.text}: ClusterNetworkPolicy ingress rules name only namespaces and pods, not address ranges; use a namespace NetworkPolicy (ipBlock) instead`;
  }
  if (end.except.length > 0) {
    return `${end.text}: a ClusterNetworkPolicy networks peer has no except; draw the ranges without the exceptions, or use a namespace NetworkPolicy`;
  }
  return undefined;
}

/** The rule peer naming an end (`networks` for an address range, egress only). */
function rulePeer(end: Endpoint): Record<string, unknown> {
  return podsOrNamespace(end) ?? { networks: [end.kind === 'cidr' ? end.cidr : ''] };
}

/**
 * The intent's ports as v1alpha2 `protocols`: `{tcp: {destinationPort: {number}}}`, a `range`
 * for `port`..`endPort`, the whole 1-65535 range for a protocol's every port (the protocol
 * entries need a destinationPort), `destinationNamedPort` for a named port. Undefined: every port.
 */
export function protocolsFor(ports: Ports): Record<string, unknown>[] | undefined {
  if (ports === 'all') return undefined;
  return ports.map((p) => {
    if (typeof p.port === 'string') return { destinationNamedPort: p.port };
    const start = p.port ?? 1;
    const end = p.port === undefined ? 65535 : (p.endPort ?? p.port);
    const destinationPort = start === end ? { number: start } : { range: { start, end } };
    return { [p.protocol.toLowerCase()]: { destinationPort } };
  });
}

/** One new cluster policy with a single rule, as a plan writes it. */
export interface ClusterPolicyDraft {
  tier: Tier;
  priority: number;
  /** Words of the generated name (made unique among the ClusterNetworkPolicies). */
  words: readonly string[];
  subject: Endpoint;
  direction: Direction;
  action: TierAction;
  peer: Endpoint;
  ports: Ports;
  /** The comment above the document: why the policy exists. */
  comment: string;
}

/** The new ClusterNetworkPolicies of one plan, named uniquely and rendered as file edits. */
export class ClusterPolicySet {
  private readonly creates: { name: string; value: Record<string, unknown>; comment: string }[] = [];

  constructor(private readonly ws: Compiled) {}

  /** Adds a policy; returns its evaluator id, `ClusterNetworkPolicy/<name>`. */
  create(draft: ClusterPolicyDraft): string {
    const taken = new Set(this.creates.map((c) => c.name));
    for (const object of this.ws.parsed.objects) if (object.kind === KIND) taken.add(object.metadata.name);
    const name = policyName(draft.words, taken);
    const ruleName = draft.words.join('-').slice(0, 100);
    const rule: Record<string, unknown> = {
      name: ruleName,
      action: draft.action,
      [draft.direction === 'Ingress' ? 'from' : 'to']: [rulePeer(draft.peer)],
    };
    const protocols = protocolsFor(draft.ports);
    if (protocols) rule.protocols = protocols;
    const value = {
      apiVersion: API_VERSION,
      kind: KIND,
      metadata: { name },
      spec: {
        tier: draft.tier,
        priority: draft.priority,
        subject: podsOrNamespace(draft.subject) ?? {},
        [draft.direction === 'Ingress' ? 'ingress' : 'egress']: [rule],
      },
    };
    this.creates.push({ name, value, comment: draft.comment });
    return `${KIND}/${name}`;
  }

  get createdIds(): string[] {
    return this.creates.map((c) => `${KIND}/${c.name}`);
  }

  /**
   * The file edits: every new policy appended to the YAML file that already holds most
   * ClusterNetworkPolicies (readable, without syntax errors), else to a new
   * `cluster-policies.yaml`, which the next plan then finds.
   */
  render(): FileEdit[] {
    if (this.creates.length === 0) return [];
    const path = this.chooseFile();
    const before = this.ws.files.find((f) => f.path === path)?.text;
    let after = before ?? '';
    const changes: string[] = [];
    for (const c of this.creates) {
      const documents = splitStream(after)
        .filter((s) => s.type === 'document')
        .map((s) => s.text);
      after = appendDocument(after, renderDocument(c.value, detectStreamStyle(documents), c.comment));
      const spec = c.value.spec as { tier: string; priority: number };
      changes.push(`new ClusterNetworkPolicy ${c.name} (${spec.tier} tier, priority ${spec.priority})`);
    }
    return [{ path, before, after, changes }];
  }

  private chooseFile(): string {
    const broken = new Set(
      this.ws.parsed.diagnostics.filter((d) => d.code === 'yaml-syntax').map((d) => d.file),
    );
    const counts = new Map<string, number>();
    for (const object of this.ws.parsed.objects) {
      const file = object.source.file;
      if (object.kind !== KIND || object.source.item !== undefined) continue;
      if (file.toLowerCase().endsWith('.json') || broken.has(file)) continue;
      counts.set(file, (counts.get(file) ?? 0) + 1);
    }
    let best: string | undefined;
    for (const [file, count] of counts) if (best === undefined || count > counts.get(best)!) best = file;
    if (best) return best;
    const paths = new Set(this.ws.files.map((f) => f.path));
    let path = 'cluster-policies.yaml';
    for (let i = 2; paths.has(path); i++) path = `cluster-policies-${i}.yaml`;
    return path;
  }
}

/**
 * Why the created policies would do nothing in `after` (the CNI profile does not enforce
 * ClusterNetworkPolicy, so the evaluator left them out), or undefined when they all take part.
 */
export function notEnforced(after: Compiled, created: readonly string[]): string | undefined {
  const enforced = new Set(after.cluster.clusterPolicies.map((p) => p.id));
  if (created.every((id) => enforced.has(id))) return undefined;
  return (
    `the ${after.cluster.options.cni} CNI profile does not enforce ClusterNetworkPolicy (v1alpha2), ` +
    'so the new policy would change nothing: choose a namespace NetworkPolicy, or another profile'
  );
}
