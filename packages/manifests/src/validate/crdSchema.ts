// A small interpreter for the subset of a CRD's structural OpenAPI schema that the
// policy.networking.k8s.io CRDs use, applied the way the API server applies a CRD on create:
// unknown fields are pruned (reported here as warnings), `default`s are filled in, then the
// schema is checked in kube-openapi's order, then `x-kubernetes-list-type: set` uniqueness, then
// the `x-kubernetes-validations` (CEL) rules, which the API server skips when the object already
// has a blocking error. Messages follow apiextensions' conversion of kube-openapi errors into
// `field.Error` text, so `${field}: ${message}` reads like kubectl's error.

import { formatFieldPath, type PathSegment, type Severity } from '../diagnostics.ts';
import { goQuote } from './fieldErrors.ts';

/** Which CRD bundle is installed: the experimental one knows more fields and rules. */
export type CrdChannel = 'standard' | 'experimental';

/** One `x-kubernetes-validations` rule, with its CEL expression as a predicate. */
export interface CelRule {
  /** Stable diagnostic code. */
  code: string;
  /** The rule's `message`, as the CRD states it. */
  message: string;
  /** True when the rule holds for `self` (the node's value, pruned and defaulted). */
  holds: (self: unknown) => boolean;
  /** Rules only the experimental-channel CRD carries. */
  experimental?: boolean;
  /** Where to point in the source, relative to the node, when not at the node itself. */
  at?: readonly PathSegment[];
}

/** Reports a finding the API server does not reject but that changes what the policy means. */
export type LintReport = (code: string, path: PathSegment[], message: string) => void;

/** One node of a structural schema: only the keywords these CRDs use. */
export interface SchemaNode {
  type: 'object' | 'array' | 'string' | 'integer';
  /** Known properties, in the order errors are reported. */
  properties?: Readonly<Record<string, SchemaNode>>;
  /** Schema of every value of a map (`additionalProperties`). */
  additionalProperties?: SchemaNode;
  required?: readonly string[];
  minProperties?: number;
  maxProperties?: number;
  items?: SchemaNode;
  minItems?: number;
  maxItems?: number;
  /** `x-kubernetes-list-type: set`: items must be unique. */
  listSet?: boolean;
  enum?: readonly string[];
  maxLength?: number;
  /** `pattern`, as the CRD writes it (ECMA syntax). */
  pattern?: string;
  minimum?: number;
  maximum?: number;
  /** `default`, filled in before validation when the field is absent. */
  default?: string;
  /** Present only in the experimental channel's CRD. */
  experimental?: boolean;
  /** Accepted as is; checked elsewhere (metadata) or ignored on create (status). */
  opaque?: boolean;
  /** A label selector: emptied by pruning, it selects everything. */
  selector?: boolean;
  rules?: readonly CelRule[];
  /** Checks beyond the CRD (advisories); called on values that passed the type check. */
  lint?: (value: unknown, path: PathSegment[], report: LintReport) => void;
}

/** A finding of {@link validateSchema}, before it becomes a located Diagnostic. */
export interface SchemaFinding {
  code: string;
  severity: Severity;
  path: PathSegment[];
  message: string;
  /** The error types after which the API server skips CEL rules (see {@link validateSchema}). */
  blocking: boolean;
  /** Where to point in the source when not at `path`. */
  rangePath?: PathSegment[];
}

/** Detail of the error the API server appends instead of running CEL rules. */
export const CEL_SKIPPED_DETAIL =
  'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation';

interface Walk {
  channel: CrdChannel;
  schema: SchemaFinding[];
  duplicates: SchemaFinding[];
  warnings: SchemaFinding[];
}

/**
 * Validates `value` against `root` as the API server validates a custom resource on create.
 *
 * Returns schema errors (in kube-openapi's order), then list-set duplicates, then CEL rule
 * failures, then warnings (pruned unknown fields, experimental-channel fields, advisories).
 * When a blocking error (Required, Unsupported value, Too long, Too many, wrong type) is
 * present, CEL rules are not evaluated and a `crd-cel-skipped` info finding says so, exactly as
 * apiextensions does. `blocked` says that an earlier check (ObjectMeta) already found one.
 */
export function validateSchema(
  root: SchemaNode,
  value: unknown,
  channel: CrdChannel,
  blocked = false,
): SchemaFinding[] {
  const walk: Walk = { channel, schema: [], duplicates: [], warnings: [] };
  walkNode(walk, root, value, []);
  const errors = [...walk.schema, ...walk.duplicates];
  const cel: SchemaFinding[] = [];
  if (blocked || errors.some((f) => f.blocking)) {
    if (hasRules(root, channel)) {
      cel.push({
        code: 'crd-cel-skipped',
        severity: 'info',
        path: [],
        message: `Invalid value: "null": ${CEL_SKIPPED_DETAIL}`,
        blocking: false,
      });
    }
  } else {
    evaluateRules(root, value, [], channel, cel);
  }
  return [...errors, ...cel, ...walk.warnings];
}

/** Whether a property exists in this channel's CRD (otherwise it is pruned). */
export function knownIn(node: SchemaNode, channel: CrdChannel): boolean {
  return channel === 'experimental' || node.experimental !== true;
}

/** The JSON type name kube-openapi reports for a decoded value. */
export function jsonType(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'object') {
    return typeof value;
  }
  return 'null';
}

// JSON null decodes to "absent" for every field of these CRDs (none is nullable): the API
// server prunes such nulls before validating.
function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function walkNode(walk: Walk, node: SchemaNode, value: unknown, path: PathSegment[]): void {
  if (node.opaque) return;
  const actual = jsonType(value);
  if (actual !== node.type) {
    // kube-openapi quotes the offending type name, so the value shown is the type, not the data.
    walk.schema.push(
      finding(
        'crd-type',
        path,
        `Invalid value: ${goQuote(actual)}: ${formatFieldPath(path)} in body must be of type ${node.type}: ${goQuote(actual)}`,
        true,
      ),
    );
    return;
  }
  if (node.type === 'string') checkString(walk, node, value as string, path);
  else if (node.type === 'integer') checkInteger(walk, node, value as number, path);
  else if (node.type === 'array') checkArray(walk, node, value as unknown[], path);
  else checkObject(walk, node, value as Record<string, unknown>, path);
  node.lint?.(value, path, (code, at, message) => {
    walk.warnings.push({ code, severity: 'warning', path: at, message, blocking: false });
  });
}

function checkString(walk: Walk, node: SchemaNode, value: string, path: PathSegment[]): void {
  // maxLength counts characters (runes); the converted field error still says "bytes".
  if (node.maxLength !== undefined && [...value].length > node.maxLength) {
    walk.schema.push(
      finding(
        'crd-max-length',
        path,
        `Too long: may not be more than ${node.maxLength} ${node.maxLength === 1 ? 'byte' : 'bytes'}`,
        true,
      ),
    );
  }
  if (node.pattern !== undefined && !compiled(node.pattern).test(value)) {
    walk.schema.push(
      finding(
        'crd-pattern',
        path,
        `Invalid value: ${goQuote(value)}: ${formatFieldPath(path)} in body should match '${node.pattern}'`,
        false,
      ),
    );
  }
  if (node.enum !== undefined && !node.enum.includes(value)) {
    const supported = node.enum.map(goQuote).join(', ');
    walk.schema.push(
      finding('crd-enum', path, `Unsupported value: ${goQuote(value)}: supported values: ${supported}`, true),
    );
  }
}

const patterns = new Map<string, RegExp>();

function compiled(pattern: string): RegExp {
  let regex = patterns.get(pattern);
  if (regex === undefined) {
    regex = new RegExp(pattern, 'u');
    patterns.set(pattern, regex);
  }
  return regex;
}

function checkInteger(walk: Walk, node: SchemaNode, value: number, path: PathSegment[]): void {
  if (node.maximum !== undefined && value > node.maximum) {
    walk.schema.push(
      finding(
        'crd-maximum',
        path,
        `Invalid value: ${value}: ${formatFieldPath(path)} in body should be less than or equal to ${node.maximum}`,
        false,
      ),
    );
  }
  if (node.minimum !== undefined && value < node.minimum) {
    walk.schema.push(
      finding(
        'crd-minimum',
        path,
        `Invalid value: ${value}: ${formatFieldPath(path)} in body should be greater than or equal to ${node.minimum}`,
        false,
      ),
    );
  }
}

function checkArray(walk: Walk, node: SchemaNode, value: unknown[], path: PathSegment[]): void {
  if (node.minItems !== undefined && value.length < node.minItems) {
    walk.schema.push(
      finding(
        'crd-min-items',
        path,
        `Invalid value: ${value.length}: ${formatFieldPath(path)} in body should have at least ${node.minItems} items`,
        false,
      ),
    );
  }
  if (node.maxItems !== undefined && value.length > node.maxItems) {
    walk.schema.push(finding('crd-max-items', path, tooMany(value.length, node.maxItems), true));
  }
  const items = node.items;
  if (items === undefined) return;
  value.forEach((item, i) => {
    // A null item of a list of objects or strings fails the type check like any other value.
    walkNode(walk, items, item, [...path, i]);
  });
  if (node.listSet) checkSet(walk, value, path);
}

function checkSet(walk: Walk, value: unknown[], path: PathSegment[]): void {
  const seen = new Set<string>();
  value.forEach((item, i) => {
    if (typeof item !== 'string') return;
    if (seen.has(item)) {
      walk.duplicates.push(
        finding('crd-duplicate', [...path, i], `Duplicate value: ${goQuote(item)}`, false),
      );
    }
    seen.add(item);
  });
}

function checkObject(
  walk: Walk,
  node: SchemaNode,
  value: Record<string, unknown>,
  path: PathSegment[],
): void {
  const properties = node.properties ?? {};
  const kept: string[] = [];
  const unknown: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const known = properties[key];
    if (known === undefined && node.additionalProperties === undefined) {
      unknown.push(key);
      continue;
    }
    if (known?.experimental) reportExperimental(walk, node, value, [...path, key]);
    if (known !== undefined && !knownIn(known, walk.channel)) continue;
    if (present(child)) kept.push(key);
  }
  // A selector written for another API version (v1alpha1's old `sameLabels`, a nested
  // `namespaceSelector`) loses everything to pruning and then matches everything.
  const emptied = node.selector === true && kept.length === 0;
  for (const key of unknown) walk.warnings.push(unknownField([...path, key], emptied));
  const defaulted = Object.entries(properties).filter(
    ([key, child]) => child.default !== undefined && !kept.includes(key) && knownIn(child, walk.channel),
  );
  const count = kept.length + defaulted.length;
  // kube-openapi stops at a property-count failure: nothing inside the object is checked.
  if (node.minProperties !== undefined && count < node.minProperties) {
    walk.schema.push(
      finding(
        'crd-min-properties',
        path,
        `Invalid value: ${count}: ${formatFieldPath(path)} in body should have at least ${node.minProperties} properties`,
        false,
      ),
    );
    return;
  }
  if (node.maxProperties !== undefined && count > node.maxProperties) {
    walk.schema.push(finding('crd-max-properties', path, tooMany(count, node.maxProperties), true));
    return;
  }
  const additional = node.additionalProperties;
  if (additional !== undefined) {
    for (const key of kept) walkNode(walk, additional, value[key], [...path, key]);
  }
  for (const [key, child] of Object.entries(properties)) {
    if (kept.includes(key)) walkNode(walk, child, value[key], [...path, key]);
  }
  for (const key of node.required ?? []) {
    const child = properties[key];
    const has = kept.includes(key) || child?.default !== undefined;
    if (!has) walk.schema.push(finding('crd-required', [...path, key], 'Required value', true));
  }
}

function reportExperimental(
  walk: Walk,
  parent: SchemaNode,
  value: Record<string, unknown>,
  path: PathSegment[],
): void {
  const key = String(path[path.length - 1]);
  const parentPath = path.slice(0, -1);
  // What is left of the parent once a standard-channel CRD has pruned its experimental fields.
  const remaining = Object.entries(value).filter(
    ([k, v]) => present(v) && parent.properties?.[k] !== undefined && !parent.properties[k]?.experimental,
  ).length;
  let message =
    `experimental-channel field ${goQuote(key)}: a standard-channel CRD does not know it and ` +
    'prunes it (unknown fields are dropped)';
  if (parent.minProperties !== undefined && remaining < parent.minProperties) {
    message += `, which leaves ${formatFieldPath(parentPath)} with ${remaining} of the at least ${parent.minProperties} properties it must have, so that CRD rejects the object`;
  }
  walk.warnings.push({ code: 'crd-experimental-field', severity: 'warning', path, message, blocking: false });
}

function unknownField(path: PathSegment[], emptiesSelector: boolean): SchemaFinding {
  let message = `unknown field ${goQuote(formatFieldPath(path))}: the API server prunes it (kubectl --validate=strict rejects the object)`;
  if (emptiesSelector) {
    message += `; pruned, ${formatFieldPath(path.slice(0, -1))} is an empty selector, which selects everything`;
  }
  return { code: 'crd-unknown-field', severity: 'warning', path, message, blocking: false };
}

function tooMany(actual: number, max: number): string {
  return `Too many: ${actual}: must have at most ${max} ${max === 1 ? 'item' : 'items'}`;
}

function finding(code: string, path: PathSegment[], message: string, blocking: boolean): SchemaFinding {
  return { code, severity: 'error', path, message, blocking };
}

// --- CEL rules ------------------------------------------------------------------------------

function hasRules(node: SchemaNode, channel: CrdChannel): boolean {
  if (!knownIn(node, channel)) return false;
  if ((node.rules ?? []).some((rule) => channel === 'experimental' || !rule.experimental)) return true;
  const children = [...Object.values(node.properties ?? {}), node.items, node.additionalProperties];
  return children.some((child) => child !== undefined && hasRules(child, channel));
}

// The rules of a node run before those of its children, as the CEL validator walks the object.
function evaluateRules(
  node: SchemaNode,
  value: unknown,
  path: PathSegment[],
  channel: CrdChannel,
  out: SchemaFinding[],
): void {
  if (node.opaque || !present(value) || jsonType(value) !== node.type) return;
  for (const rule of node.rules ?? []) {
    if (rule.experimental && channel !== 'experimental') continue;
    if (!rule.holds(value)) {
      const failed = finding(rule.code, path, `Invalid value: ${goQuote(node.type)}: ${rule.message}`, false);
      if (rule.at !== undefined) failed.rangePath = [...path, ...rule.at];
      out.push(failed);
    }
  }
  if (node.type === 'array' && node.items !== undefined) {
    const items = node.items;
    (value as unknown[]).forEach((item, i) => {
      evaluateRules(items, item, [...path, i], channel, out);
    });
  } else if (node.type === 'object') {
    const object = value as Record<string, unknown>;
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      if (knownIn(child, channel)) evaluateRules(child, object[key], [...path, key], channel, out);
    }
  }
}
