/**
 * The ids the evaluator gives what it analyses, built and parsed in this one place. They are
 * netpol-analyzer's peer strings, so they read the same in the CLI, the reports and the app:
 * - workload: `ns/name[Kind]`;
 * - policy: `ns/name`;
 * - external range: `a.b.c.d-e.f.g.h[External]` (first and last address, inclusive).
 * Branded types keep one kind of id from being passed where another is meant.
 */
import { formatIPv4, parseIPv4 } from '@netpol-atlas/manifests';

declare const idBrand: unique symbol;
type Branded<Kind extends string> = string & { readonly [idBrand]: Kind };

/** A workload (or bare pod): `ns/name[Kind]`. */
export type WorkloadId = Branded<'workload'>;
/** A NetworkPolicy: `ns/name`. */
export type PolicyId = Branded<'policy'>;
/** An address range outside the cluster: `first-last[External]`. */
export type ExternalRangeId = Branded<'external'>;

const EXTERNAL = '[External]';

/** The id of workload `name` of kind `kind` in `namespace`. */
export function workloadId(namespace: string, name: string, kind: string): WorkloadId {
  return `${namespace}/${name}[${kind}]` as WorkloadId;
}

/** The parts of a workload id; undefined for any other id. */
export function parseWorkloadId(id: string): { namespace: string; name: string; kind: string } | undefined {
  const slash = id.indexOf('/');
  const open = id.lastIndexOf('[');
  if (slash <= 0 || open <= slash + 1 || !id.endsWith(']') || id.endsWith(EXTERNAL)) return undefined;
  return { namespace: id.slice(0, slash), name: id.slice(slash + 1, open), kind: id.slice(open + 1, -1) };
}

/** The id of policy `name` in `namespace`. */
export function namespacedPolicyId(namespace: string, name: string): PolicyId {
  return `${namespace}/${name}` as PolicyId;
}

/** The parts of a policy id; undefined for any other id (workload and range ids end in `]`). */
export function parsePolicyId(id: string): { namespace: string; name: string } | undefined {
  const slash = id.indexOf('/');
  if (slash <= 0 || slash === id.length - 1 || id.endsWith(']')) return undefined;
  return { namespace: id.slice(0, slash), name: id.slice(slash + 1) };
}

/** The id of the addresses `first`..`last` (inclusive, as 32-bit numbers). */
export function externalRangeId(first: number, last: number): ExternalRangeId {
  return `${formatIPv4(first)}-${formatIPv4(last)}${EXTERNAL}` as ExternalRangeId;
}

/** The addresses of an external range id; undefined for any other id. */
export function parseExternalRangeId(id: string): { first: number; last: number } | undefined {
  if (!id.endsWith(EXTERNAL)) return undefined;
  const [from, to, ...rest] = id.slice(0, -EXTERNAL.length).split('-');
  if (from === undefined || to === undefined || rest.length > 0) return undefined;
  const first = parseIPv4(from);
  const last = parseIPv4(to);
  return first === undefined || last === undefined || first > last ? undefined : { first, last };
}

/** Which kind of id this is: what a subject of a finding or a peer string names. */
export function kindOfId(id: string): 'workload' | 'external' | 'policy' | undefined {
  if (parseExternalRangeId(id)) return 'external';
  if (parseWorkloadId(id)) return 'workload';
  if (parsePolicyId(id)) return 'policy';
  return undefined;
}
