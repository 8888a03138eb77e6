// API-server-equivalent validation of the cluster-wide policy kinds of
// kubernetes-sigs/network-policy-api: ClusterNetworkPolicy (v1alpha2) and AdminNetworkPolicy /
// BaselineAdminNetworkPolicy (v1alpha1). These are custom resources, so the API server checks
// ObjectMeta as for any object, then the CRD's structural schema and its CEL rules; the
// messages mirror apiextensions' field errors the way validateNetworkPolicy mirrors the built-in
// NetworkPolicy validation.

import {
  type Diagnostic,
  formatFieldPath,
  type Locator,
  type PathSegment,
  type SourceRange,
} from '../diagnostics.ts';
import {
  ADMIN_NETWORK_POLICY,
  BASELINE_ADMIN_NETWORK_POLICY,
  CLUSTER_NETWORK_POLICY,
} from './clusterPolicySchemas.ts';
import { type CrdChannel, type SchemaFinding, type SchemaNode, validateSchema } from './crdSchema.ts';
import { type Context, goQuote, isObject } from './fieldErrors.ts';
import { validateObjectMeta } from './objectMeta.ts';

/** Options of {@link validateClusterPolicy}. */
export interface ClusterPolicyValidationOptions {
  /**
   * The CRD bundle assumed installed. `experimental` (the default) knows every field; with
   * `standard`, experimental-channel fields are pruned before validation, as that CRD would.
   */
  channel?: CrdChannel;
}

const GROUP = 'policy.networking.k8s.io';

const SCHEMAS: Readonly<Record<string, { version: string; schema: SchemaNode }>> = {
  ClusterNetworkPolicy: { version: `${GROUP}/v1alpha2`, schema: CLUSTER_NETWORK_POLICY },
  AdminNetworkPolicy: { version: `${GROUP}/v1alpha1`, schema: ADMIN_NETWORK_POLICY },
  BaselineAdminNetworkPolicy: { version: `${GROUP}/v1alpha1`, schema: BASELINE_ADMIN_NETWORK_POLICY },
};

// ObjectMeta errors of these types make the API server skip CEL rules, as schema errors do.
const BLOCKING_META_CODES = new Set(['meta-name-required', 'meta-annotations-too-long', 'meta-type']);

// What a client may write in ObjectMeta; anything else is dropped on decoding.
const OBJECT_META_FIELDS = new Set([
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]);

/**
 * Validates one ClusterNetworkPolicy (`policy.networking.k8s.io/v1alpha2`), AdminNetworkPolicy
 * or BaselineAdminNetworkPolicy (`v1alpha1`) document as the API server would on create, with
 * the CRD of the matching version installed; it dispatches on `apiVersion` and `kind`.
 *
 * Errors (the API server rejects the object):
 * - ObjectMeta: the `meta-*` codes of validateNetworkPolicy (name, labels, annotations).
 * - Structural schema: `crd-type`, `crd-required`, `crd-enum`, `crd-minimum`, `crd-maximum`,
 *   `crd-min-items`, `crd-max-items`, `crd-min-properties` / `crd-max-properties` (the
 *   "exactly one field" objects: subject, peers, ports), `crd-max-length`, `crd-pattern`,
 *   `crd-duplicate` (list-type set).
 * - CEL rules, with the CRD's message: `cel-port-range`, `cel-cidr`, `cel-named-port-peer`
 *   (experimental channel), `cel-banp-name`. They are not evaluated after a blocking error;
 *   `crd-cel-skipped` (info) then says so, as the API server does.
 * - `cluster-policy-kind` / `cluster-policy-version`: not one of these kinds, or a version
 *   that no CRD serves.
 *
 * Warnings (the object is stored, but not as written): `crd-unknown-field` (pruned),
 * `crd-experimental-field` (a standard-channel CRD prunes it), `cluster-policy-namespace` (a
 * namespace on a cluster-scoped object is cleared), and advisories the CRDs do not check:
 * `cluster-policy-selector` (a selector implementations cannot convert),
 * `cluster-policy-protocol` (v1alpha1 protocol outside TCP/UDP/SCTP),
 * `cluster-policy-domain-names-action` (domainNames outside Accept/Allow rules).
 *
 * @param raw the decoded document (e.g. `yaml`'s `doc.toJS()`)
 * @param locate resolves a field path inside this document to its source range
 * @param file the file name to put on each diagnostic
 * @param options the CRD channel to assume (experimental by default)
 * @returns the diagnostics, errors in the API server's order first; empty when valid
 */
export function validateClusterPolicy(
  raw: unknown,
  locate: Locator,
  file: string,
  options: ClusterPolicyValidationOptions = {},
): Diagnostic[] {
  if (!isObject(raw)) {
    return [diagnostic(locate, file, undefined, undefined, typeFinding(raw))];
  }
  const kind = typeof raw.kind === 'string' ? raw.kind : undefined;
  const metadata = isObject(raw.metadata) ? raw.metadata : undefined;
  const object = typeof metadata?.name === 'string' && metadata.name !== '' ? metadata.name : undefined;
  const at = (finding: SchemaFinding) => diagnostic(locate, file, kind, object, finding);

  const served = kind === undefined ? undefined : SCHEMAS[kind];
  if (served === undefined) {
    return [at(versionFinding('cluster-policy-kind', ['kind'], kind ?? '', raw.apiVersion))];
  }
  if (raw.apiVersion !== served.version) {
    return [at(versionFinding('cluster-policy-version', ['apiVersion'], kind ?? '', raw.apiVersion))];
  }

  const out: Diagnostic[] = [];
  const warnings: SchemaFinding[] = [];
  let metaForValidation: unknown = raw.metadata;
  if (metadata !== undefined) {
    const { namespace, ...withoutNamespace } = metadata;
    if (namespace !== undefined && namespace !== null && namespace !== '') {
      // The API server clears the namespace of a cluster-scoped object before validating it.
      metaForValidation = withoutNamespace;
      warnings.push({
        code: 'cluster-policy-namespace',
        severity: 'warning',
        path: ['metadata', 'namespace'],
        message: `${kind} is cluster-scoped: the API server ignores metadata.namespace ${goQuote(String(namespace))}`,
        blocking: false,
      });
    }
    for (const key of Object.keys(metadata)) {
      if (OBJECT_META_FIELDS.has(key)) continue;
      warnings.push({
        code: 'crd-unknown-field',
        severity: 'warning',
        path: ['metadata', key],
        message: `unknown field ${goQuote(`metadata.${key}`)}: the API server drops it (kubectl --validate=strict rejects the object)`,
        blocking: false,
      });
    }
  }
  const ctx: Context = { out, locate, file, object };
  validateObjectMeta(ctx, metaForValidation);
  for (const d of out) {
    if (d.code === 'np-type') d.code = 'meta-type';
    if (kind !== undefined) d.kind = kind;
    if (object === undefined) delete d.object;
    else d.object = object;
  }
  const blocked = out.some((d) => BLOCKING_META_CODES.has(d.code));

  const findings = validateSchema(served.schema, raw, options.channel ?? 'experimental', blocked);
  const errors = findings.filter((f) => f.severity === 'error');
  const others = findings.filter((f) => f.severity !== 'error');
  return [...out, ...errors.map(at), ...[...warnings, ...others].map(at)];
}

function typeFinding(raw: unknown): SchemaFinding {
  const type = raw === null || raw === undefined ? 'null' : Array.isArray(raw) ? 'array' : typeof raw;
  return {
    code: 'crd-type',
    severity: 'error',
    path: [],
    message: `Invalid value: ${goQuote(type)}: must be of type object`,
    blocking: true,
  };
}

function versionFinding(code: string, path: PathSegment[], kind: string, apiVersion: unknown): SchemaFinding {
  const version = typeof apiVersion === 'string' ? apiVersion : '';
  const served = Object.entries(SCHEMAS)
    .map(([k, v]) => `${k} (${v.version})`)
    .join(', ');
  return {
    code,
    severity: 'error',
    path,
    message: `no matches for kind ${goQuote(kind)} in version ${goQuote(version)}: expected one of ${served}`,
    blocking: true,
  };
}

function diagnostic(
  locate: Locator,
  file: string,
  kind: string | undefined,
  object: string | undefined,
  finding: SchemaFinding,
): Diagnostic {
  const out: Diagnostic = {
    code: finding.code,
    severity: finding.severity,
    message: finding.message,
    file,
    field: formatFieldPath(finding.path),
    range: locateNearest(locate, finding.rangePath ?? finding.path),
  };
  if (object !== undefined) out.object = object;
  if (kind !== undefined) out.kind = kind;
  return out;
}

// A missing field has no range of its own: point at the closest enclosing node that exists.
function locateNearest(locate: Locator, path: readonly PathSegment[]): SourceRange | undefined {
  for (let n = path.length; n >= 0; n--) {
    const range = locate(path.slice(0, n));
    if (range !== undefined) return range;
  }
  return undefined;
}
