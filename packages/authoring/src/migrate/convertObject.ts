// One AdminNetworkPolicy or BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1) as a
// ClusterNetworkPolicy (v1alpha2), field by field from the object as written. Every field is either
// carried over (mapped to its v1alpha2 form) or reported: nothing is dropped without a word.

import type { PathSegment } from '@netpol-atlas/manifests';
import { cloneValue, isPlainObject } from '../json.ts';
import { convertPort } from './convertPorts.ts';
import { type Json, type ObjectIssue, Walk } from './convertWalk.ts';

/** The v1alpha2 object and what could not be carried over exactly. */
export interface ObjectConversion {
  value: Json;
  issues: ObjectIssue[];
}

/** Where the converted object goes: its (possibly renamed) name, tier and priority. */
export interface ConversionTarget {
  name: string;
  tier: 'Admin' | 'Baseline';
  /** Used for the Baseline tier only; an Admin policy keeps its own priority as written. */
  baselinePriority: number;
  /**
   * Writes an absent `pods.namespaceSelector`/`podSelector` as `{}`, as netpol-analyzer reads it
   * (the API server refuses the object instead); otherwise an absent selector stays absent.
   */
  absentSelectorsAsEmpty?: boolean;
}

const V1ALPHA2 = 'policy.networking.k8s.io/v1alpha2';
const V1ALPHA1 = 'policy.networking.k8s.io/v1alpha1';

/** v1alpha2's limits (v1alpha1 allows 100 of each): rules per direction, peers and protocols per rule. */
const MAX_RULES = 25;
const MAX_PEERS = 25;
const MAX_PROTOCOLS = 25;

/** Fields the API server sets; a new object of another kind must not carry them. */
const SERVER_METADATA = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
];
/** kubectl's record of the last applied object: it describes the v1alpha1 object, not the new one. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Converts one v1alpha1 object to a ClusterNetworkPolicy: `Allow` becomes `Accept`, `ports`
 * become `protocols` (number, range, named port), the BANP becomes a Baseline-tier policy, and
 * rules over v1alpha2's limits of peers or protocols are split into consecutive rules with the
 * same action (first match wins, so the split rules match exactly what the one rule did).
 */
export function convertObject(
  raw: Json,
  kind: 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy',
  target: ConversionTarget,
): ObjectConversion {
  const walk = new Walk(target.absentSelectorsAsEmpty === true);
  const top = walk.take(raw, [], ['apiVersion', 'kind', 'metadata', 'spec', 'status']) ?? {};
  if (top.apiVersion !== V1ALPHA1) {
    walk.report(
      'unexpected-api-version',
      'warning',
      ['apiVersion'],
      `apiVersion ${JSON.stringify(top.apiVersion)} is not ${V1ALPHA1}: converted as v1alpha1`,
    );
  }
  if (top.status !== undefined) {
    walk.report(
      'dropped-status',
      'info',
      ['status'],
      'status is written by the implementation: not carried over',
    );
  }
  const value: Json = {
    apiVersion: V1ALPHA2,
    kind: 'ClusterNetworkPolicy',
    metadata: convertMetadata(walk, top.metadata, target.name),
    spec: convertSpec(walk, top.spec, kind, target),
  };
  return { value, issues: walk.issues };
}

function convertMetadata(walk: Walk, raw: unknown, name: string): Json {
  const metadata: Json = isPlainObject(raw) ? cloneValue(raw) : {};
  for (const field of SERVER_METADATA) {
    if (metadata[field] === undefined) continue;
    delete metadata[field];
    walk.report(
      'dropped-server-field',
      'info',
      ['metadata', field],
      `metadata.${field} is set by the API server for the v1alpha1 object: not carried over`,
    );
  }
  const annotations = metadata.annotations;
  if (isPlainObject(annotations) && annotations[LAST_APPLIED] !== undefined) {
    const rest = { ...annotations };
    delete rest[LAST_APPLIED];
    if (Object.keys(rest).length > 0) metadata.annotations = rest;
    else delete metadata.annotations;
    walk.report(
      'dropped-server-field',
      'info',
      ['metadata', 'annotations', LAST_APPLIED],
      'kubectl’s last-applied-configuration describes the v1alpha1 object: not carried over',
    );
  }
  return { ...metadata, name };
}

function convertSpec(
  walk: Walk,
  raw: unknown,
  kind: 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy',
  target: ConversionTarget,
): Json {
  const admin = kind === 'AdminNetworkPolicy';
  const path = ['spec'];
  const spec = walk.take(
    raw,
    path,
    admin ? ['priority', 'subject', 'ingress', 'egress'] : ['subject', 'ingress', 'egress'],
  );
  if (!spec) {
    walk.report(
      'unconvertible-field',
      'error',
      path,
      'spec is missing or not a map: the object is converted without one',
    );
    return { tier: target.tier, priority: target.baselinePriority };
  }
  let priority: unknown = target.baselinePriority;
  if (admin) {
    priority = spec.priority;
    const ok =
      typeof priority === 'number' && Number.isInteger(priority) && priority >= 0 && priority <= 1000;
    if (!ok) {
      walk.report(
        'priority-out-of-range',
        'error',
        ['spec', 'priority'],
        `priority ${JSON.stringify(priority)} is not an integer from 0 to 1000 (the range of both versions): carried over as written, the API server refuses it`,
      );
    }
  }
  const out: Json = { tier: target.tier, priority };
  if (spec.subject !== undefined) out.subject = convertSubject(walk, spec.subject, ['spec', 'subject']);
  for (const direction of ['ingress', 'egress'] as const) {
    if (spec[direction] === undefined) continue;
    out[direction] = convertRules(walk, spec[direction], ['spec', direction], direction, admin);
  }
  return out;
}

function convertSubject(walk: Walk, raw: unknown, path: PathSegment[]): unknown {
  const subject = walk.take(raw, path, ['namespaces', 'pods']);
  if (!subject) return cloneValue(raw);
  const out: Json = {};
  if (subject.namespaces !== undefined)
    out.namespaces = convertSelector(walk, subject.namespaces, [...path, 'namespaces']);
  if (subject.pods !== undefined) out.pods = convertNamespacedPod(walk, subject.pods, [...path, 'pods']);
  return out;
}

/** A label selector: the same type in both versions; unknown fields (early v1alpha1 ones) are reported. */
function convertSelector(walk: Walk, raw: unknown, path: PathSegment[]): unknown {
  const selector = walk.take(raw, path, ['matchLabels', 'matchExpressions']);
  if (!selector) return cloneValue(raw);
  const out: Json = {};
  if (selector.matchLabels !== undefined) out.matchLabels = cloneValue(selector.matchLabels);
  if (selector.matchExpressions !== undefined) out.matchExpressions = cloneValue(selector.matchExpressions);
  return out;
}

function convertNamespacedPod(walk: Walk, raw: unknown, path: PathSegment[]): unknown {
  const pods = walk.take(raw, path, ['namespaceSelector', 'podSelector']);
  if (!pods) return cloneValue(raw);
  // An absent selector stays absent unless asked: v1alpha1 requires both, v1alpha2 only
  // podSelector, and writing `{}` would make a refused object valid.
  const out: Json = {};
  for (const field of ['namespaceSelector', 'podSelector'] as const) {
    if (pods[field] !== undefined) out[field] = convertSelector(walk, pods[field], [...path, field]);
    else if (walk.absentSelectorsAsEmpty) out[field] = {};
  }
  return out;
}

function convertRules(
  walk: Walk,
  raw: unknown,
  path: PathSegment[],
  direction: 'ingress' | 'egress',
  admin: boolean,
): unknown {
  if (!Array.isArray(raw)) return cloneValue(raw);
  const out: unknown[] = [];
  raw.forEach((rule, i) => {
    out.push(...convertRule(walk, rule, [...path, i], direction, admin));
  });
  if (out.length > MAX_RULES) {
    walk.report(
      'rule-limit',
      'error',
      path,
      `${out.length} ${direction} rules: a ClusterNetworkPolicy holds at most ${MAX_RULES} per direction (an AdminNetworkPolicy 100), so the API server refuses the converted object; split the policy by hand at priorities that keep its place`,
    );
  }
  return out;
}

/** One v1alpha1 rule as one or more v1alpha2 rules (none when it matches no port at all). */
function convertRule(
  walk: Walk,
  raw: unknown,
  path: PathSegment[],
  direction: 'ingress' | 'egress',
  admin: boolean,
): unknown[] {
  const peersField = direction === 'ingress' ? 'from' : 'to';
  const rule = walk.take(raw, path, ['name', 'action', peersField, 'ports']);
  if (!rule) return [cloneValue(raw)];
  const base: Json = {};
  if (rule.name !== undefined) base.name = cloneValue(rule.name);
  base.action = convertAction(walk, rule.action, [...path, 'action'], admin);
  const peers = Array.isArray(rule[peersField])
    ? (rule[peersField] as unknown[]).map((p, i) =>
        convertPeer(walk, p, [...path, peersField, i], direction, admin),
      )
    : rule[peersField];
  let protocols: unknown[] | undefined;
  // `ports: null` is Go's absent list: every port.
  if (rule.ports !== undefined && rule.ports !== null) {
    if (!Array.isArray(rule.ports)) {
      walk.report('unconvertible-field', 'error', [...path, 'ports'], 'ports is not a list: left out');
    } else {
      protocols = rule.ports.flatMap((p, i) => convertPort(walk, p, [...path, 'ports', i]));
      if (protocols.length === 0 && rule.ports.length > 0) {
        walk.report(
          'rule-matches-nothing',
          'warning',
          path,
          'no port of this rule matches anything, so the rule never applies: left out (a ClusterNetworkPolicy cannot say "no port")',
        );
        return [];
      }
    }
  }
  const peerChunks = Array.isArray(peers) ? chunks(peers, MAX_PEERS) : [peers];
  const protocolChunks = protocols === undefined ? [undefined] : chunks(protocols, MAX_PROTOCOLS);
  if (peerChunks.length > 1 || protocolChunks.length > 1) {
    walk.report(
      'rule-split',
      'info',
      path,
      `more than ${MAX_PEERS} peers or protocols: written as ${peerChunks.length * protocolChunks.length} consecutive rules with the same action, which match exactly what the one rule did`,
    );
  }
  const out: unknown[] = [];
  for (const peerChunk of peerChunks) {
    for (const protocolChunk of protocolChunks) {
      const converted: Json = { ...base, [peersField]: peerChunk };
      if (protocolChunk !== undefined) converted.protocols = protocolChunk;
      out.push(converted);
    }
  }
  return out;
}

function chunks<T>(list: readonly T[], size: number): T[][] {
  if (list.length <= size) return [[...list]];
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

function convertAction(walk: Walk, action: unknown, path: PathSegment[], admin: boolean): unknown {
  if (action === 'Allow') return 'Accept';
  if (action === 'Deny') return 'Deny';
  if (action === 'Pass') {
    if (!admin) {
      walk.report(
        'invalid-action',
        'error',
        path,
        'a BaselineAdminNetworkPolicy rule cannot Pass (the API server refuses it); in the Baseline tier Pass hands the traffic to the default (allow): carried over as written',
      );
    }
    return 'Pass';
  }
  walk.report(
    'invalid-action',
    'error',
    path,
    `action ${JSON.stringify(action)} is none of Allow, Deny${admin ? ', Pass' : ''}: carried over as written, the API server refuses it`,
  );
  return cloneValue(action);
}

function convertPeer(
  walk: Walk,
  raw: unknown,
  path: PathSegment[],
  direction: 'ingress' | 'egress',
  admin: boolean,
): unknown {
  // v1alpha1: ingress peers are namespaces or pods; BANP egress adds nodes and networks, ANP egress
  // also domainNames. v1alpha2 egress peers take all four, so each one maps to itself.
  const known =
    direction === 'ingress'
      ? ['namespaces', 'pods']
      : admin
        ? ['namespaces', 'pods', 'nodes', 'networks', 'domainNames']
        : ['namespaces', 'pods', 'nodes', 'networks'];
  const peer = walk.take(raw, path, known);
  if (!peer) return cloneValue(raw);
  const out: Json = {};
  if (peer.namespaces !== undefined)
    out.namespaces = convertSelector(walk, peer.namespaces, [...path, 'namespaces']);
  if (peer.pods !== undefined) out.pods = convertNamespacedPod(walk, peer.pods, [...path, 'pods']);
  if (peer.nodes !== undefined) out.nodes = convertSelector(walk, peer.nodes, [...path, 'nodes']);
  if (peer.networks !== undefined) out.networks = cloneValue(peer.networks);
  if (peer.domainNames !== undefined) out.domainNames = cloneValue(peer.domainNames);
  if (Object.keys(out).length === 0 && Object.keys(peer).length > 0) {
    walk.report(
      'unconvertible-field',
      'error',
      path,
      'the peer has no field either version knows: the v1alpha1 object fails closed on it (an Allow rule matches nothing, Deny and Pass match everything), and so does the converted `{}`',
    );
  }
  return out;
}
