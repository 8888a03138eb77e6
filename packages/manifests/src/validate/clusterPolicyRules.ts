// The `x-kubernetes-validations` (CEL) rules of the policy.networking.k8s.io CRDs as predicates,
// with their messages as the CRDs state them, and the advisories: values the CRDs accept but that
// implementations cannot use as written (label selectors, protocols, domainNames on non-Accept
// rules). Advisories are warnings, never errors: the API server stores such objects.

import type { PathSegment } from '../diagnostics.ts';
import { parseCIDR } from './cidr.ts';
import type { CelRule, LintReport } from './crdSchema.ts';
import { goQuote } from './fieldErrors.ts';
import { isQualifiedName, isValidLabelValue } from './names.ts';

type Json = Record<string, unknown>;

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// CEL's has(): the field is present (nulls were pruned before the rules run).
function has(object: unknown, key: string): boolean {
  return isJson(object) && object[key] !== undefined && object[key] !== null;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * Kubernetes' CEL `isCIDR()`: Go's `netip.ParsePrefix` (no IPv4 octet or prefix-length leading
 * zeros, no zone, host bits may be set) minus IPv4-mapped IPv6 addresses, which the library refuses.
 */
export function isCIDR(text: string): boolean {
  const slash = text.indexOf('/');
  if (slash < 0) return false;
  const bits = text.slice(slash + 1);
  if (bits.length > 1 && bits[0] === '0') return false;
  const parsed = parseCIDR(text);
  if (parsed === undefined) return false;
  return !(parsed.family === 6 && isIPv4Mapped(parsed.bytes));
}

function isIPv4Mapped(bytes: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

// --- CEL rules ------------------------------------------------------------------------------

/** PortRange (v1alpha2): `self.start < self.end`. */
export const PORT_RANGE_ORDER: CelRule = {
  code: 'cel-port-range',
  message: 'Start port must be less than End port',
  holds: (self) => !isJson(self) || !(Number(self.start) >= Number(self.end)),
};

/** CIDR (both versions): `isCIDR(self)`. */
export const CIDR_FORMAT: CelRule = {
  code: 'cel-cidr',
  message: 'Invalid CIDR format provided',
  holds: (self) => typeof self !== 'string' || isCIDR(self),
};

/** BaselineAdminNetworkPolicy (v1alpha1): `self.metadata.name == 'default'`. */
export const BANP_SINGLETON: CelRule = {
  code: 'cel-banp-name',
  message:
    'Only one baseline admin network policy with metadata.name="default" can be created in the cluster',
  holds: (self) => isJson(self) && isJson(self.metadata) && self.metadata.name === 'default',
  at: ['metadata', 'name'],
};

/**
 * The egress rules' experimental-channel rule: no named port in a rule whose peers include one
 * of `peerKinds` (which have no named ports). `portsKey`/`namedKey` name the ports list and the
 * named-port field of the API version.
 */
export function namedPortPeerRule(
  peerKinds: readonly string[],
  portsKey: string,
  namedKey: string,
  message: string,
): CelRule {
  return {
    code: 'cel-named-port-peer',
    message,
    experimental: true,
    holds: (self) => {
      if (!isJson(self)) return true;
      const peerHasNoNamedPorts = list(self.to).some((peer) => peerKinds.some((kind) => has(peer, kind)));
      const usesNamedPort = has(self, portsKey) && list(self[portsKey]).some((port) => has(port, namedKey));
      return !(peerHasNoNamedPorts && usesNamedPort);
    },
  };
}

// --- Advisories -----------------------------------------------------------------------------

const UNUSABLE = 'the CRD accepts it, but implementations cannot build this label selector';
const SUPPORTED_PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

/**
 * A LabelSelector as `metav1.LabelSelectorAsSelector` would read it: the CRD only checks types,
 * so keys, values and operators that conversion rejects are reported here.
 */
export function lintLabelSelector(value: unknown, path: PathSegment[], report: LintReport): void {
  if (!isJson(value)) return;
  if (isJson(value.matchLabels)) {
    for (const [key, labelValue] of Object.entries(value.matchLabels)) {
      const at = [...path, 'matchLabels', key];
      for (const detail of isQualifiedName(key)) report('cluster-policy-selector', at, invalid(key, detail));
      if (typeof labelValue !== 'string') continue;
      for (const detail of isValidLabelValue(labelValue)) {
        report('cluster-policy-selector', at, invalid(labelValue, detail));
      }
    }
  }
  list(value.matchExpressions).forEach((item, i) => {
    if (isJson(item)) lintRequirement(item, [...path, 'matchExpressions', i], report);
  });
}

function lintRequirement(requirement: Json, path: PathSegment[], report: LintReport): void {
  const values = list(requirement.values);
  const operator = requirement.operator;
  if (operator === 'In' || operator === 'NotIn') {
    if (values.length === 0) {
      report(
        'cluster-policy-selector',
        [...path, 'values'],
        `Required value: must be specified when \`operator\` is 'In' or 'NotIn' (${UNUSABLE})`,
      );
    }
  } else if (operator === 'Exists' || operator === 'DoesNotExist') {
    if (values.length > 0) {
      report(
        'cluster-policy-selector',
        [...path, 'values'],
        `Forbidden: may not be specified when \`operator\` is 'Exists' or 'DoesNotExist' (${UNUSABLE})`,
      );
    }
  } else if (typeof operator === 'string') {
    report(
      'cluster-policy-selector',
      [...path, 'operator'],
      invalid(operator, 'not a valid selector operator'),
    );
  }
  if (typeof requirement.key === 'string') {
    for (const detail of isQualifiedName(requirement.key)) {
      report('cluster-policy-selector', [...path, 'key'], invalid(requirement.key, detail));
    }
  }
  values.forEach((item, i) => {
    if (typeof item !== 'string') return;
    for (const detail of isValidLabelValue(item)) {
      report('cluster-policy-selector', [...path, 'values', i], invalid(item, detail));
    }
  });
}

function invalid(value: string, detail: string): string {
  return `Invalid value: ${goQuote(value)}: ${detail} (${UNUSABLE})`;
}

/** v1alpha1's `protocol` has a default but no enum: anything else is stored, and unusable. */
export function lintProtocol(value: unknown, path: PathSegment[], report: LintReport): void {
  if (typeof value !== 'string' || SUPPORTED_PROTOCOLS.includes(value)) return;
  report(
    'cluster-policy-protocol',
    path,
    `Unsupported value: ${goQuote(value)}: supported values: ${SUPPORTED_PROTOCOLS.map(goQuote).join(', ')} ` +
      '(the CRD does not check it; implementations cannot match it)',
  );
}

/**
 * `domainNames` is documented as supported only on rules whose action is `accepting` (Accept in
 * v1alpha2, Allow in v1alpha1); the CRD has no rule for it, so it is an advisory.
 */
export function domainNamesActionLint(accepting: string) {
  return (value: unknown, path: PathSegment[], report: LintReport): void => {
    if (!isJson(value) || typeof value.action !== 'string' || value.action === accepting) return;
    const action = value.action;
    list(value.to).forEach((peer, i) => {
      if (!has(peer, 'domainNames')) return;
      report(
        'cluster-policy-domain-names-action',
        [...path, 'to', i, 'domainNames'],
        `domainNames is only supported in ${accepting} rules, not in a ${action} rule: ` +
          'the CRD accepts it, but implementations need not enforce it',
      );
    });
  };
}
