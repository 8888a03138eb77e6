// One entry point for validating any analysed object the way the API server would on create:
// the kind's own rules, then unknown fields under the requested field validation.

import type { Diagnostic, Locator } from '../diagnostics.ts';
import { type Context, isObject, objectId, typeError } from './fieldErrors.ts';
import { validateKnownFields } from './knownFields.ts';
import { validateNetworkPolicySpec } from './networkPolicy.ts';
import { validateObjectMeta } from './objectMeta.ts';
import type { ValidationOptions } from './options.ts';
import { validateNamespace, validatePod, validateWorkload } from './pod.ts';

const WORKLOADS = new Set([
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'ReplicationController',
  'Job',
  'CronJob',
]);

/**
 * Validates one decoded object of `kind` as the API server would on create: NetworkPolicies in
 * full, Namespaces, Pods and workloads for their metadata and container ports, Services for
 * their metadata. Unknown fields are reported per `options.fieldValidation` (default `Ignore`).
 *
 * @param raw the decoded document (or `List` item)
 * @param locate resolves a field path inside this object to its source range
 * @param file the file name to put on each diagnostic
 * @returns the diagnostics in the order the API server reports them; empty when valid
 */
export function validateObject(
  kind: string,
  raw: unknown,
  locate: Locator,
  file: string,
  options: ValidationOptions = {},
): Diagnostic[] {
  const ctx: Context = { out: [], locate, file, object: undefined, kind, options };
  if (!isObject(raw)) {
    typeError(ctx, [], raw, 'object');
    return ctx.out;
  }
  ctx.object = objectId(raw.metadata);
  // A Namespace is cluster-scoped: it is named by its name alone.
  if (kind === 'Namespace' && ctx.object !== undefined) ctx.object = ctx.object.replace(/^[^/]*\//, '');
  if (kind === 'NetworkPolicy') {
    validateObjectMeta(ctx, raw.metadata);
    validateNetworkPolicySpec(ctx, raw.spec);
  } else if (kind === 'Namespace') {
    validateNamespace(ctx, raw);
  } else if (kind === 'Pod') {
    validatePod(ctx, raw);
  } else if (WORKLOADS.has(kind)) {
    validateWorkload(ctx, kind, raw);
  } else {
    validateObjectMeta(ctx, raw.metadata);
  }
  validateKnownFields(ctx, kind, raw, options.fieldValidation ?? 'Ignore');
  return ctx.out;
}
