// API-server-equivalent validation of networking.k8s.io/v1 NetworkPolicy objects. It mirrors
// ValidateNetworkPolicy in kubernetes/pkg/apis/networking/validation (plus the ObjectMeta and
// LabelSelector checks it calls) rule by rule, in the same order, with the same field paths and
// the same `field.Error` text, so `${field}: ${message}` reads like kubectl's error. It works on
// the raw decoded document rather than typed objects so that wrong JSON types, which the API
// server rejects while decoding, are reported too.

import type { Diagnostic, Locator, PathSegment, Severity, SourceRange } from '../diagnostics.ts';
import { formatFieldPath } from '../diagnostics.ts';
import { isStrictSubset, type ParsedCIDR, parseCIDR, parseCIDRSloppy } from './cidr.ts';
import {
  isQualifiedName,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum,
  nameIsDNSLabel,
  nameIsDNSSubdomain,
  utf8Length,
} from './names.ts';

type JsonObject = Record<string, unknown>;

interface Context {
  out: Diagnostic[];
  locate: Locator;
  file: string;
  object: string | undefined;
}

const INVALID_CIDR_DETAIL = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';
const LEADING_ZEROS_DETAIL = 'must not have leading 0s in IP or prefix length';
const SUPPORTED_PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
const SUPPORTED_POLICY_TYPES = ['Ingress', 'Egress'] as const;
const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * Validates one NetworkPolicy document as the Kubernetes API server would on create.
 *
 * Covers ObjectMeta (name / generateName as DNS-1123 subdomains, namespace as a DNS-1123 label,
 * label and annotation keys and values), `spec.podSelector` and peer selectors, peers, ipBlocks,
 * ports and `policyTypes`, plus JSON type mismatches (`np-type`) that fail decoding on the
 * server. Every diagnostic carries the API field path in `field` and the API server's text after
 * that path in `message`.
 *
 * Deliberate differences from a default-configured API server: IPv4 octets with leading zeros
 * are rejected (as with the StrictIPCIDRValidation gate), and a repeated policyType is reported
 * as a `warning` (`np-policy-type-duplicate`) although the server accepts it.
 *
 * @param raw the decoded document (e.g. `yaml`'s `doc.toJS()`), expected to be a NetworkPolicy
 * @param locate resolves a field path inside this document to its source range
 * @param file the file name to put on each diagnostic
 * @returns the diagnostics in the order the API server reports them; empty when valid
 */
export function validateNetworkPolicy(raw: unknown, locate: Locator, file: string): Diagnostic[] {
  const ctx: Context = { out: [], locate, file, object: undefined };
  if (!isObject(raw)) {
    typeError(ctx, [], raw, 'object');
    return ctx.out;
  }
  ctx.object = objectId(raw.metadata);
  validateObjectMeta(ctx, raw.metadata);
  validateSpec(ctx, raw.spec);
  return ctx.out;
}

// --- ObjectMeta ----------------------------------------------------------------------------

function validateObjectMeta(ctx: Context, value: unknown): void {
  const path: PathSegment[] = ['metadata'];
  if (value !== undefined && value !== null && !isObject(value)) {
    typeError(ctx, path, value, 'object');
    return;
  }
  const meta = value ?? {};
  const generateName = optionalString(ctx, meta.generateName, [...path, 'generateName']) ?? '';
  if (generateName !== '') {
    for (const msg of nameIsDNSSubdomain(generateName, true)) {
      emit(ctx, 'meta-invalid-generate-name', [...path, 'generateName'], invalid(generateName, msg));
    }
  }
  // kubectl create turns generateName into a name before validation runs.
  const name = optionalString(ctx, meta.name, [...path, 'name']) ?? '';
  if (name === '') {
    // A non-string name was already reported as a type error.
    if (generateName === '' && (typeof meta.name === 'string' || !present(meta.name))) {
      emit(ctx, 'meta-name-required', [...path, 'name'], required('name or generateName is required'));
    }
  } else {
    for (const msg of nameIsDNSSubdomain(name, false)) {
      emit(ctx, 'meta-invalid-name', [...path, 'name'], invalid(name, msg));
    }
  }
  // An absent namespace is filled in from the kubeconfig context, so only a written one is checked.
  const namespace = optionalString(ctx, meta.namespace, [...path, 'namespace']) ?? '';
  if (namespace !== '') {
    for (const msg of nameIsDNSLabel(namespace, false)) {
      emit(ctx, 'meta-invalid-namespace', [...path, 'namespace'], invalid(namespace, msg));
    }
  }
  validateLabels(ctx, meta.labels, [...path, 'labels'], 'meta-invalid-label-key', 'meta-invalid-label-value');
  validateAnnotations(ctx, meta.annotations, [...path, 'annotations']);
}

function validateLabels(
  ctx: Context,
  value: unknown,
  path: PathSegment[],
  keyCode: string,
  valueCode: string,
): void {
  const labels = optionalObject(ctx, value, path);
  if (labels === undefined) return;
  // Go reports every label error on the map's own path; the range still points at the entry.
  for (const [key, raw] of Object.entries(labels)) {
    const entry = [...path, key];
    for (const msg of isQualifiedName(key)) emit(ctx, keyCode, path, invalid(key, msg), entry);
    const labelValue = mapString(ctx, raw, path, key);
    if (labelValue === undefined) continue;
    for (const msg of isValidLabelValue(labelValue))
      emit(ctx, valueCode, path, invalid(labelValue, msg), entry);
  }
}

function validateAnnotations(ctx: Context, value: unknown, path: PathSegment[]): void {
  const annotations = optionalObject(ctx, value, path);
  if (annotations === undefined) return;
  let totalSize = 0;
  for (const [key, raw] of Object.entries(annotations)) {
    // Annotation keys are qualified names except that case does not matter.
    for (const msg of isQualifiedName(key.toLowerCase())) {
      emit(ctx, 'meta-invalid-annotation-key', path, invalid(key, msg), [...path, key]);
    }
    const annotationValue = mapString(ctx, raw, path, key) ?? '';
    totalSize += utf8Length(key) + utf8Length(annotationValue);
  }
  if (totalSize > TOTAL_ANNOTATION_SIZE_LIMIT) {
    emit(
      ctx,
      'meta-annotations-too-long',
      path,
      `Too long: may not be more than ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes`,
    );
  }
}

// --- Spec ----------------------------------------------------------------------------------

function validateSpec(ctx: Context, value: unknown): void {
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

/** Reports an invalid CIDR; returns the value the server goes on with, if it could parse it. */
function checkCIDR(ctx: Context, text: string, path: PathSegment[]): ParsedCIDR | undefined {
  const strict = parseCIDR(text);
  if (strict !== undefined) return strict;
  const sloppy = parseCIDRSloppy(text);
  emit(
    ctx,
    'np-invalid-cidr',
    path,
    invalid(text, sloppy === undefined ? INVALID_CIDR_DETAIL : LEADING_ZEROS_DETAIL),
  );
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

// --- Raw JSON access -----------------------------------------------------------------------

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// JSON null decodes to Go's zero value, which for pointers, slices and maps means "absent".
function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function isInt32(value: number): boolean {
  return Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX;
}

function optionalObject(ctx: Context, value: unknown, path: PathSegment[]): JsonObject | undefined {
  if (!present(value)) return undefined;
  if (isObject(value)) return value;
  typeError(ctx, path, value, 'object');
  return undefined;
}

function optionalArray(ctx: Context, value: unknown, path: PathSegment[]): unknown[] | undefined {
  if (!present(value)) return undefined;
  if (Array.isArray(value)) return value;
  typeError(ctx, path, value, 'array');
  return undefined;
}

function optionalString(ctx: Context, value: unknown, path: PathSegment[]): string | undefined {
  if (!present(value)) return undefined;
  if (typeof value === 'string') return value;
  typeError(ctx, path, value, 'string');
  return undefined;
}

function optionalInt32(ctx: Context, value: unknown, path: PathSegment[]): number | undefined {
  if (!present(value)) return undefined;
  if (typeof value === 'number' && isInt32(value)) return value;
  typeError(ctx, path, value, 'integer');
  return undefined;
}

/** A string value of a `map[string]string`; null decodes to "" there. */
function mapString(ctx: Context, value: unknown, mapPath: PathSegment[], key: string): string | undefined {
  if (!present(value)) return '';
  if (typeof value === 'string') return value;
  const field = `${formatFieldPath(mapPath)}[${key}]`;
  emit(
    ctx,
    'np-type',
    mapPath,
    `Invalid value: ${renderLoose(value)}: must be of type string`,
    [...mapPath, key],
    'error',
    field,
  );
  return undefined;
}

function typeError(ctx: Context, path: PathSegment[], value: unknown, expected: string): void {
  emit(ctx, 'np-type', path, `Invalid value: ${renderLoose(value)}: must be of type ${expected}`);
}

// --- field.Error rendering -----------------------------------------------------------------

function invalid(value: string | number, detail: string): string {
  return `Invalid value: ${goValue(value)}: ${detail}`;
}

function required(detail: string): string {
  return detail === '' ? 'Required value' : `Required value: ${detail}`;
}

function notSupported(value: string, supported: readonly string[]): string {
  return `Unsupported value: ${goQuote(value)}: supported values: ${supported.map(goQuote).join(', ')}`;
}

function goValue(value: string | number): string {
  return typeof value === 'string' ? goQuote(value) : String(value);
}

// Values that fail JSON decoding have no Go rendering; show them the way field.Error would
// show them had they decoded, shortened so one bad subtree does not flood the message.
function renderLoose(value: unknown): string {
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const json = goJSON(value) ?? String(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

/** Go's `strconv.Quote` (`%q`): printable runes kept, everything else escaped. */
function goQuote(value: string): string {
  let out = '"';
  for (const ch of value) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (cp >= 0x20 && cp < 0x7f) out += ch;
    else if (cp >= 0x80 && GO_PRINTABLE.test(ch)) out += ch;
    else if (cp in CONTROL_ESCAPES) out += CONTROL_ESCAPES[cp];
    else if (cp < 0x80) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

const GO_PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
const CONTROL_ESCAPES: Record<number, string> = {
  7: '\\a',
  8: '\\b',
  9: '\\t',
  10: '\\n',
  11: '\\v',
  12: '\\f',
  13: '\\r',
};

/** Go's `json.Marshal`, which additionally escapes HTML-significant characters. */
function goJSON(value: unknown): string | undefined {
  const json = JSON.stringify(value);
  if (json === undefined) return undefined;
  return json.replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
}

// --- Diagnostics ---------------------------------------------------------------------------

function emit(
  ctx: Context,
  code: string,
  path: PathSegment[],
  message: string,
  rangePath: PathSegment[] = path,
  severity: Severity = 'error',
  field: string = formatFieldPath(path),
): void {
  const diagnostic: Diagnostic = {
    code,
    severity,
    message,
    file: ctx.file,
    field,
    range: locateNearest(ctx.locate, rangePath),
    kind: 'NetworkPolicy',
  };
  if (ctx.object !== undefined) diagnostic.object = ctx.object;
  ctx.out.push(diagnostic);
}

// A missing field (a required cidr, an absent name) has no range of its own: point at the
// closest enclosing node that exists instead.
function locateNearest(locate: Locator, path: readonly PathSegment[]): SourceRange | undefined {
  for (let n = path.length; n >= 0; n--) {
    const range = locate(path.slice(0, n));
    if (range !== undefined) return range;
  }
  return undefined;
}

function objectId(metadata: unknown): string | undefined {
  if (!isObject(metadata)) return undefined;
  const { name, namespace } = metadata;
  if (typeof name !== 'string' || name === '') return undefined;
  return `${typeof namespace === 'string' && namespace !== '' ? namespace : 'default'}/${name}`;
}
