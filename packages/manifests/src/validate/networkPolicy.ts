// API-server-equivalent validation of networking.k8s.io/v1 NetworkPolicy objects. It mirrors
// ValidateNetworkPolicy in kubernetes/pkg/apis/networking/validation (plus the ObjectMeta and
// LabelSelector checks it calls) rule by rule, in the same order, with the same field paths and
// the same `field.Error` text, so `${field}: ${message}` reads like kubectl's error. It works on
// the raw decoded document rather than typed objects so that wrong JSON types, which the API
// server rejects while decoding, are reported too.

import type { Diagnostic, Locator, PathSegment } from '../diagnostics.ts';
import { isStrictSubset, type ParsedCIDR, parseCIDRSloppy, strictCIDRProblem } from './cidr.ts';
import {
  type Context,
  emit,
  goJSON,
  goQuote,
  invalid,
  isInt32,
  isObject,
  notSupported,
  objectId,
  optionalArray,
  optionalInt32,
  optionalObject,
  optionalString,
  present,
  required,
  typeError,
} from './fieldErrors.ts';
import { isQualifiedName, isValidLabelValue, isValidPortName, isValidPortNum } from './names.ts';
import { validateLabels, validateObjectMeta } from './objectMeta.ts';
import { strictCIDRValidation, type ValidationOptions } from './options.ts';

const INVALID_CIDR_DETAIL = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';
const STRICT_CIDR_DETAILS = {
  'leading-zeros': 'must not have leading 0s in IP or prefix length',
  'ipv4-mapped': 'must not have an IPv4-mapped IPv6 address',
  'host-bits': 'must not have bits set beyond the prefix length',
} as const;
const SUPPORTED_PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
const SUPPORTED_POLICY_TYPES = ['Ingress', 'Egress'] as const;

/**
 * Validates one NetworkPolicy document as the Kubernetes API server would on create.
 *
 * Covers ObjectMeta (name / generateName as DNS-1123 subdomains, namespace as a DNS-1123 label,
 * label and annotation keys and values), `spec.podSelector` and peer selectors, peers, ipBlocks,
 * ports and `policyTypes`, plus JSON type mismatches (`np-type`) that fail decoding on the
 * server. Every diagnostic carries the API field path in `field` and the API server's text after
 * that path in `message`.
 *
 * CIDRs are checked as StrictIPCIDRValidation does (on by default since Kubernetes 1.36): host
 * bits, IPv4-mapped IPv6 addresses and leading zeros are refused, in `cidr` and `except` alike;
 * `options.kubeVersion` below 1.36 gives the older, lenient parsing. One deliberate difference
 * from the server: a repeated policyType is reported as a `warning` (`np-policy-type-duplicate`)
 * although the server accepts it.
 *
 * @param raw the decoded document (e.g. `yaml`'s `doc.toJS()`), expected to be a NetworkPolicy
 * @param locate resolves a field path inside this document to its source range
 * @param file the file name to put on each diagnostic
 * @param options the server to imitate (default: current)
 * @returns the diagnostics in the order the API server reports them; empty when valid
 */
export function validateNetworkPolicy(
  raw: unknown,
  locate: Locator,
  file: string,
  options: ValidationOptions = {},
): Diagnostic[] {
  const ctx: Context = { out: [], locate, file, object: undefined, options };
  if (!isObject(raw)) {
    typeError(ctx, [], raw, 'object');
    return ctx.out;
  }
  ctx.object = objectId(raw.metadata);
  validateObjectMeta(ctx, raw.metadata);
  validateNetworkPolicySpec(ctx, raw.spec);
  return ctx.out;
}

// --- Spec ----------------------------------------------------------------------------------

/** `spec` of a NetworkPolicy: selectors, rules, ports, peers, ipBlocks and policyTypes. */
export function validateNetworkPolicySpec(ctx: Context, value: unknown): void {
  const path: PathSegment[] = ['spec'];
  const spec = optionalObject(ctx, value, path) ?? {};
  validateLabelSelector(ctx, spec.podSelector, [...path, 'podSelector']);
  validateRules(ctx, spec.ingress, [...path, 'ingress'], 'from');
  validateRules(ctx, spec.egress, [...path, 'egress'], 'to');
  validatePolicyTypes(ctx, spec.policyTypes, [...path, 'policyTypes']);
}

function validateRules(ctx: Context, value: unknown, path: PathSegment[], peersKey: 'from' | 'to'): void {
  const rules = optionalArray(ctx, value, path);
  if (rules === undefined) return;
  rules.forEach((item, i) => {
    const rulePath = [...path, i];
    const rule = optionalObject(ctx, item, rulePath) ?? {};
    const ports = optionalArray(ctx, rule.ports, [...rulePath, 'ports']) ?? [];
    ports.forEach((port, j) => {
      validatePort(ctx, port, [...rulePath, 'ports', j]);
    });
    const peers = optionalArray(ctx, rule[peersKey], [...rulePath, peersKey]) ?? [];
    peers.forEach((peer, j) => {
      validatePeer(ctx, peer, [...rulePath, peersKey, j]);
    });
  });
}

function validatePolicyTypes(ctx: Context, value: unknown, path: PathSegment[]): void {
  const items = optionalArray(ctx, value, path);
  if (items === undefined) return;
  const types = items.map((item, i) => optionalString(ctx, item, [...path, i]));
  if (types.length > SUPPORTED_POLICY_TYPES.length) {
    // Go renders the whole list (a pointer to a slice) as JSON and checks nothing else.
    const rendered = goJSON(types.map((t) => t ?? ''));
    emit(
      ctx,
      'np-policy-types-too-many',
      path,
      `Invalid value: ${rendered}: may not specify more than two policyTypes`,
    );
    return;
  }
  const seen = new Set<string>();
  types.forEach((type, i) => {
    if (type === undefined && items[i] !== null && items[i] !== undefined) return;
    const policyType = type ?? '';
    if (!(SUPPORTED_POLICY_TYPES as readonly string[]).includes(policyType)) {
      emit(ctx, 'np-policy-type', [...path, i], notSupported(policyType, SUPPORTED_POLICY_TYPES));
    } else if (seen.has(policyType)) {
      emit(
        ctx,
        'np-policy-type-duplicate',
        [...path, i],
        `Duplicate value: ${goQuote(policyType)}`,
        undefined,
        'warning',
      );
    }
    seen.add(policyType);
  });
}

// --- Ports ---------------------------------------------------------------------------------

function validatePort(ctx: Context, value: unknown, path: PathSegment[]): void {
  const port = optionalObject(ctx, value, path) ?? {};
  const protocolPath = [...path, 'protocol'];
  const portPath = [...path, 'port'];
  const endPortPath = [...path, 'endPort'];

  const protocol = optionalString(ctx, port.protocol, protocolPath);
  if (protocol !== undefined && !(SUPPORTED_PROTOCOLS as readonly string[]).includes(protocol)) {
    emit(ctx, 'np-protocol', protocolPath, notSupported(protocol, SUPPORTED_PROTOCOLS));
  }

  const endPort = optionalInt32(ctx, port.endPort, endPortPath);
  const portValue = port.port;
  if (portValue === undefined || portValue === null) {
    if (endPort !== undefined) {
      emit(
        ctx,
        'np-endport-without-port',
        endPortPath,
        invalid(endPort, 'may not be specified when `port` is not specified'),
      );
    }
  } else if (typeof portValue === 'number' && isInt32(portValue)) {
    for (const msg of isValidPortNum(portValue))
      emit(ctx, 'np-port-range', portPath, invalid(portValue, msg));
    if (endPort !== undefined) {
      if (endPort < portValue) {
        emit(
          ctx,
          'np-endport-less-than-port',
          endPortPath,
          invalid(endPort, 'must be greater than or equal to `port`'),
        );
      }
      for (const msg of isValidPortNum(endPort))
        emit(ctx, 'np-port-range', endPortPath, invalid(endPort, msg));
    }
  } else if (typeof portValue === 'string') {
    if (endPort !== undefined) {
      emit(
        ctx,
        'np-endport-named',
        endPortPath,
        invalid(endPort, 'may not be specified when `port` is non-numeric'),
      );
    }
    for (const msg of isValidPortName(portValue))
      emit(ctx, 'np-port-name', portPath, invalid(portValue, msg));
  } else {
    typeError(ctx, portPath, portValue, 'integer or string');
  }
}

// --- Peers ---------------------------------------------------------------------------------

function validatePeer(ctx: Context, value: unknown, path: PathSegment[]): void {
  if (value !== undefined && value !== null && !isObject(value)) {
    typeError(ctx, path, value, 'object');
    return;
  }
  const peer = value ?? {};
  let peers = 0;
  if (present(peer.podSelector)) {
    peers++;
    validateLabelSelector(ctx, peer.podSelector, [...path, 'podSelector']);
  }
  if (present(peer.namespaceSelector)) {
    peers++;
    validateLabelSelector(ctx, peer.namespaceSelector, [...path, 'namespaceSelector']);
  }
  const hasIPBlock = present(peer.ipBlock);
  if (hasIPBlock) {
    peers++;
    validateIPBlock(ctx, peer.ipBlock, [...path, 'ipBlock']);
  }
  if (peers === 0) {
    emit(ctx, 'np-peer-empty', path, required('must specify a peer'));
  } else if (peers > 1 && hasIPBlock) {
    emit(
      ctx,
      'np-peer-ipblock-with-selector',
      path,
      'Forbidden: may not specify both ipBlock and another peer',
    );
  }
}

function validateIPBlock(ctx: Context, value: unknown, path: PathSegment[]): void {
  const block = optionalObject(ctx, value, path);
  if (block === undefined) return;
  const cidrPath = [...path, 'cidr'];
  if (present(block.cidr) && typeof block.cidr !== 'string') {
    typeError(ctx, cidrPath, block.cidr, 'string');
    return;
  }
  const cidrText = typeof block.cidr === 'string' ? block.cidr : '';
  if (cidrText === '') {
    emit(ctx, 'np-cidr-required', cidrPath, required(''));
    return;
  }
  const cidr = checkCIDR(ctx, cidrText, cidrPath);
  if (cidr === undefined) return;

  const exceptPath = [...path, 'except'];
  const excepts = optionalArray(ctx, block.except, exceptPath) ?? [];
  excepts.forEach((item, i) => {
    const itemPath = [...exceptPath, i];
    const text = optionalString(ctx, item, itemPath);
    if (text === undefined && item !== null && item !== undefined) return;
    const except = checkCIDR(ctx, text ?? '', itemPath);
    if (except === undefined) return;
    if (!isStrictSubset(except, cidr)) {
      emit(ctx, 'np-except-not-subset', itemPath, invalid(text ?? '', 'must be a strict subset of `cidr`'));
    }
  });
}

/**
 * Reports an invalid CIDR; returns the value the server goes on with (its lenient parse, which
 * still lets it check `except` against a refused `cidr`), if it could parse it at all.
 */
function checkCIDR(ctx: Context, text: string, path: PathSegment[]): ParsedCIDR | undefined {
  const sloppy = parseCIDRSloppy(text);
  if (sloppy === undefined) {
    emit(ctx, 'np-invalid-cidr', path, invalid(text, INVALID_CIDR_DETAIL));
    return undefined;
  }
  if (strictCIDRValidation(ctx.options?.kubeVersion)) {
    const problem = strictCIDRProblem(text, sloppy);
    if (problem !== undefined)
      emit(ctx, 'np-invalid-cidr', path, invalid(text, STRICT_CIDR_DETAILS[problem]));
  }
  return sloppy;
}

// --- Label selectors -----------------------------------------------------------------------

function validateLabelSelector(ctx: Context, value: unknown, path: PathSegment[]): void {
  const selector = optionalObject(ctx, value, path);
  if (selector === undefined) return;
  validateLabels(
    ctx,
    selector.matchLabels,
    [...path, 'matchLabels'],
    'selector-invalid-key',
    'selector-invalid-value',
  );
  const expressions = optionalArray(ctx, selector.matchExpressions, [...path, 'matchExpressions']) ?? [];
  expressions.forEach((item, i) => {
    validateRequirement(ctx, item, [...path, 'matchExpressions', i]);
  });
}

function validateRequirement(ctx: Context, value: unknown, path: PathSegment[]): void {
  const requirement = optionalObject(ctx, value, path) ?? {};
  const keyPath = [...path, 'key'];
  const operatorPath = [...path, 'operator'];
  const valuesPath = [...path, 'values'];
  const key = optionalString(ctx, requirement.key, keyPath);
  const operator = optionalString(ctx, requirement.operator, operatorPath);
  const values = optionalArray(ctx, requirement.values, valuesPath) ?? [];

  switch (operator ?? '') {
    case 'In':
    case 'NotIn':
      if (values.length === 0) {
        emit(
          ctx,
          'selector-values-required',
          valuesPath,
          required("must be specified when `operator` is 'In' or 'NotIn'"),
        );
      }
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) {
        emit(
          ctx,
          'selector-values-forbidden',
          valuesPath,
          "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        );
      }
      break;
    default:
      if (operator !== undefined || !present(requirement.operator)) {
        emit(
          ctx,
          'selector-invalid-operator',
          operatorPath,
          invalid(operator ?? '', 'not a valid selector operator'),
        );
      }
  }
  if (key !== undefined || !present(requirement.key)) {
    for (const msg of isQualifiedName(key ?? ''))
      emit(ctx, 'selector-invalid-key', keyPath, invalid(key ?? '', msg));
  }
  values.forEach((item, i) => {
    const itemPath = [...valuesPath, i];
    const text = optionalString(ctx, item, itemPath);
    if (text === undefined) return;
    for (const msg of isValidLabelValue(text))
      emit(ctx, 'selector-invalid-value', itemPath, invalid(text, msg));
  });
}
