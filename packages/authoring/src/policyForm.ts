import { DEFAULT_NAMESPACE } from '@netpol-atlas/evaluator';
import type { LabelSelector, NetworkPolicyObject, NetworkPolicyRule } from '@netpol-atlas/manifests';
import { editableSpec, findPolicy, parsedOf, renderEdits } from './compiled.ts';
import { cloneValue, deepEqual, isPlainObject } from './json.ts';
import type { FileEdit, PlanSource } from './types.ts';

/** A label selector in the form: labels AND expressions; both empty selects everything. */
export interface SelectorForm {
  matchLabels: Record<string, string>;
  matchExpressions: { key: string; operator: string; values: string[] }[];
}

/**
 * One `from`/`to` entry. `pods` with both selectors is ONE peer whose selectors combine with AND;
 * an absent selector is `undefined` (an absent namespaceSelector means the policy's namespace).
 */
export type PeerForm =
  | { kind: 'pods'; namespaceSelector: SelectorForm | undefined; podSelector: SelectorForm | undefined }
  | { kind: 'ipBlock'; cidr: string; except: string[] };

/** A `ports` entry; `port` undefined is every port of the protocol, a string is a named port. */
export interface PortForm {
  protocol: 'TCP' | 'UDP' | 'SCTP';
  port: number | string | undefined;
  endPort: number | undefined;
}

/** A rule. An empty `peers` list admits every peer; an empty `ports` list every port. */
export interface RuleForm {
  peers: PeerForm[];
  ports: PortForm[];
}

/** The editable content of a NetworkPolicy, as the policy form shows it. */
export interface PolicyForm {
  name: string;
  namespace: string;
  podSelector: SelectorForm;
  /** The directions the policy governs (after API-server defaulting when not written). */
  policyTypes: ('Ingress' | 'Egress')[];
  ingress: RuleForm[];
  egress: RuleForm[];
}

function selectorForm(selector: LabelSelector): SelectorForm {
  return {
    matchLabels: { ...(selector.matchLabels ?? {}) },
    matchExpressions: (selector.matchExpressions ?? []).map((e) => ({
      key: e.key,
      operator: e.operator,
      values: [...e.values],
    })),
  };
}

function ruleForm(rule: NetworkPolicyRule): RuleForm {
  return {
    peers: (rule.peers ?? []).map(
      (peer): PeerForm =>
        peer.ipBlock
          ? { kind: 'ipBlock', cidr: peer.ipBlock.cidr, except: [...peer.ipBlock.except] }
          : {
              kind: 'pods',
              namespaceSelector: peer.namespaceSelector ? selectorForm(peer.namespaceSelector) : undefined,
              podSelector: peer.podSelector ? selectorForm(peer.podSelector) : undefined,
            },
    ),
    ports: (rule.ports ?? []).map((port) => ({
      protocol: (port.protocol ?? 'TCP') as PortForm['protocol'],
      port: port.port,
      endPort: port.endPort,
    })),
  };
}

/** The API server's policyTypes defaulting: Ingress, plus Egress when there are egress rules. */
function effectiveTypes(
  written: readonly string[] | undefined,
  egressRules: number,
): ('Ingress' | 'Egress')[] {
  const types = written && written.length > 0 ? written : ['Ingress', ...(egressRules > 0 ? ['Egress'] : [])];
  return (['Ingress', 'Egress'] as const).filter((t) => types.includes(t));
}

/** Reads a parsed NetworkPolicy into the form model. */
export function readPolicyForm(policy: NetworkPolicyObject): PolicyForm {
  const spec = policy.spec;
  return {
    name: policy.metadata.name,
    namespace: policy.metadata.namespace ?? DEFAULT_NAMESPACE,
    podSelector: selectorForm(spec.podSelector),
    policyTypes: effectiveTypes(spec.policyTypes, spec.egress?.length ?? 0),
    ingress: (spec.ingress ?? []).map(ruleForm),
    egress: (spec.egress ?? []).map(ruleForm),
  };
}

function selectorJson(selector: SelectorForm): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (Object.keys(selector.matchLabels).length > 0) out.matchLabels = { ...selector.matchLabels };
  if (selector.matchExpressions.length > 0) {
    out.matchExpressions = selector.matchExpressions.map((e) =>
      e.operator === 'Exists' || e.operator === 'DoesNotExist'
        ? { key: e.key, operator: e.operator }
        : { key: e.key, operator: e.operator, values: [...e.values] },
    );
  }
  return out;
}

function peerJson(peer: PeerForm): Record<string, unknown> {
  if (peer.kind === 'ipBlock') {
    return {
      ipBlock: peer.except.length > 0 ? { cidr: peer.cidr, except: [...peer.except] } : { cidr: peer.cidr },
    };
  }
  const out: Record<string, unknown> = {};
  if (peer.namespaceSelector) out.namespaceSelector = selectorJson(peer.namespaceSelector);
  if (peer.podSelector) out.podSelector = selectorJson(peer.podSelector);
  return out;
}

function portJson(port: PortForm): Record<string, unknown> {
  const out: Record<string, unknown> = { protocol: port.protocol };
  if (port.port !== undefined) out.port = port.port;
  if (port.endPort !== undefined) out.endPort = port.endPort;
  return out;
}

/**
 * Maps form items onto the written ones: an item equal (in meaning) to a written one keeps the
 * written text exactly; a changed item is rebuilt, starting from the written item at its position.
 */
function reuseItems<T>(
  wanted: readonly T[],
  current: readonly T[],
  raw: readonly unknown[],
  build: (item: T, previous: unknown) => unknown,
): unknown[] {
  const used = new Set<number>();
  const matched = wanted.map((item) => {
    const i = current.findIndex((c, index) => !used.has(index) && deepEqual(c, item));
    if (i >= 0) used.add(i);
    return i;
  });
  return wanted.map((item, j) => {
    const i = matched[j]!;
    if (i >= 0) return raw[i];
    return build(item, used.has(j) ? undefined : raw[j]);
  });
}

function rulesJson(
  wanted: readonly RuleForm[],
  current: readonly RuleForm[],
  raw: unknown,
  peersField: 'from' | 'to',
): unknown[] {
  const rawRules = Array.isArray(raw) ? raw : [];
  return reuseItems(wanted, current, rawRules, (rule, previous) => {
    const base = isPlainObject(previous) ? cloneValue(previous) : {};
    const index = rawRules.indexOf(previous);
    const before = index >= 0 ? current[index] : undefined;
    const rawPeers = Array.isArray(base[peersField]) ? (base[peersField] as unknown[]) : [];
    const rawPorts = Array.isArray(base.ports) ? base.ports : [];
    if (rule.peers.length === 0) delete base[peersField];
    else if (!before || !deepEqual(before.peers, rule.peers)) {
      base[peersField] = reuseItems(rule.peers, before?.peers ?? [], rawPeers, (p) => peerJson(p));
    }
    if (rule.ports.length === 0) delete base.ports;
    else if (!before || !deepEqual(before.ports, rule.ports)) {
      base.ports = reuseItems(rule.ports, before?.ports ?? [], rawPorts, (p) => portJson(p));
    }
    const { [peersField]: peers, ports, ...rest } = base;
    // Keys in the order people write them, whatever the previous rule had.
    return {
      ...(peers !== undefined ? { [peersField]: peers } : {}),
      ...(ports !== undefined ? { ports } : {}),
      ...rest,
    };
  });
}

/**
 * Writes a form back into the policy's YAML as a person editing it by hand would: only the parts
 * that changed are rewritten (an unchanged rule, peer or selector keeps its text, comments and
 * key order), and policyTypes stay implicit unless the form's directions differ from what the
 * API server would default to. Returns no edits when the form matches the file. Throws on an
 * unknown policy id (the app only passes ids it read from the same files).
 */
export function writePolicyForm(source: PlanSource, policyId: string, form: PolicyForm): FileEdit[] {
  const { files, parsed } = parsedOf(source);
  const policy = findPolicy(parsed, policyId);
  if (!policy) throw new Error(`writePolicyForm: no NetworkPolicy ${policyId}`);
  const current = readPolicyForm(policy);
  const spec = editableSpec(policy);
  const rawSpec = isPlainObject(policy.raw.spec) ? policy.raw.spec : {};
  if (!deepEqual(current.podSelector, form.podSelector)) spec.podSelector = selectorJson(form.podSelector);
  if (!deepEqual(current.ingress, form.ingress))
    spec.ingress = rulesJson(form.ingress, current.ingress, rawSpec.ingress, 'from');
  if (!deepEqual(current.egress, form.egress))
    spec.egress = rulesJson(form.egress, current.egress, rawSpec.egress, 'to');
  const written = Array.isArray(spec.policyTypes) ? (spec.policyTypes as string[]) : undefined;
  const egressCount = Array.isArray(spec.egress) ? spec.egress.length : 0;
  if (!deepEqual(effectiveTypes(written, egressCount), form.policyTypes)) {
    spec.policyTypes = [...form.policyTypes];
  }
  let metadata: Record<string, unknown> | undefined;
  if (form.name !== current.name || form.namespace !== current.namespace) {
    metadata = isPlainObject(policy.raw.metadata) ? cloneValue(policy.raw.metadata) : {};
    metadata.name = form.name;
    metadata.namespace = form.namespace;
  }
  if (deepEqual(spec, rawSpec) && !metadata) return [];
  return renderEdits({ files, parsed }, [
    {
      kind: 'update',
      policy,
      spec,
      ...(metadata ? { metadata } : {}),
      change: `${policyId}: edited in the policy form`,
    },
  ]);
}

/** One `from`/`to` entry explained. `AND`: its selectors must all match (one peer, both selectors). */
export interface PeerDescription {
  combinator: 'AND' | undefined;
  /** The conditions, e.g. `namespaces with app=frontend`, `pods with app=frontend`. */
  parts: string[];
  text: string;
}

/** A rule's peer list explained. `OR`: a connection needs to match only one of the peers. */
export interface RuleDescription {
  combinator: 'OR' | undefined;
  /** True when the rule names no peers and so admits everyone. */
  all: boolean;
  peers: PeerDescription[];
  text: string;
  /** The AND/OR trap, spelled out when a rule looks like it fell into it. */
  warnings: string[];
}

function describeSelector(selector: SelectorForm): string | undefined {
  const parts = [
    ...Object.entries(selector.matchLabels).map(([k, v]) => `${k}=${v}`),
    ...selector.matchExpressions.map((e) =>
      e.operator === 'Exists'
        ? `${e.key} exists`
        : e.operator === 'DoesNotExist'
          ? `no ${e.key}`
          : `${e.key} ${e.operator === 'NotIn' ? 'not in' : 'in'} (${e.values.join(', ')})`,
    ),
  ];
  return parts.length > 0 ? parts.join(', ') : undefined;
}

function describePeer(peer: PeerForm, policyNamespace: string): PeerDescription {
  if (peer.kind === 'ipBlock') {
    const text = `addresses in ${peer.cidr}${peer.except.length > 0 ? ` except ${peer.except.join(', ')}` : ''}`;
    return { combinator: undefined, parts: [text], text };
  }
  const ns = peer.namespaceSelector;
  const pod = peer.podSelector;
  const nsText = ns ? describeSelector(ns) : undefined;
  const podText = pod ? describeSelector(pod) : undefined;
  const namespaces = ns
    ? nsText
      ? `namespaces with ${nsText}`
      : 'every namespace'
    : `namespace ${policyNamespace}`;
  const pods = podText ? `pods with ${podText}` : 'every pod';
  if (ns && pod) {
    const parts = [namespaces, pods];
    return { combinator: 'AND', parts, text: `${pods} AND in ${namespaces}` };
  }
  if (ns) return { combinator: undefined, parts: [namespaces], text: `every pod in ${namespaces}` };
  return { combinator: undefined, parts: [pods], text: `${pods} in ${namespaces}` };
}

/**
 * Labels a rule's peers for the AND/OR trap: a peer with a namespaceSelector and a podSelector is
 * ONE peer whose selectors must both match ("AND"); several peers in the list are alternatives
 * ("OR"). A rule with a namespace-only peer next to a pod-only peer gets a warning: one missing
 * `-` turns "frontend pods in frontend namespaces" into "every pod there, or frontend pods here".
 */
export function describePeers(rule: RuleForm, policyNamespace: string): RuleDescription {
  if (rule.peers.length === 0) {
    return { combinator: undefined, all: true, peers: [], text: 'everyone (no peers listed)', warnings: [] };
  }
  const peers = rule.peers.map((p) => describePeer(p, policyNamespace));
  const warnings: string[] = [];
  const nsOnly = rule.peers.findIndex((p) => p.kind === 'pods' && p.namespaceSelector && !p.podSelector);
  const podOnly = rule.peers.findIndex((p) => p.kind === 'pods' && !p.namespaceSelector && p.podSelector);
  if (nsOnly >= 0 && podOnly >= 0) {
    warnings.push(
      `peers ${Math.min(nsOnly, podOnly) + 1} and ${Math.max(nsOnly, podOnly) + 1} are alternatives (OR): ` +
        `${peers[nsOnly]!.text}, OR ${peers[podOnly]!.text}. To admit only those pods in those namespaces, ` +
        'put both selectors in one peer (AND).',
    );
  }
  return {
    combinator: peers.length > 1 ? 'OR' : undefined,
    all: false,
    peers,
    text: peers.map((p) => p.text).join(' OR '),
    warnings,
  };
}
