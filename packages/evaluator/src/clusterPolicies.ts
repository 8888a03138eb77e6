// Which cluster policies are in force for a build, and the problems with the set of them that
// no single object shows (duplicate names, the BaselineAdminNetworkPolicy singleton, CNIs that do
// not enforce a kind).

import {
  type ClusterPolicyObject,
  type Diagnostic,
  formatFieldPath,
  parseCIDR,
  validateClusterPolicy,
} from '@netpol-atlas/manifests';
import type { Cluster, CniProfile } from './model.ts';
import { clusterPolicyId, tierOf } from './tierCompiler.ts';

/**
 * The cluster policy kinds each CNI profile enforces (the table; upstream: all). The
 * analysis evaluates `domainNames` peers under every profile that enforces their kind; whether a
 * given plugin implements them (an experimental, implementation-specific field) is the
 * tier-domain-names finding's to say, not something this table decides.
 */
const ENFORCED_KINDS: Readonly<Record<CniProfile, readonly string[]>> = {
  upstream: ['ClusterNetworkPolicy', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy'],
  // Calico 3.32 serves ClusterNetworkPolicy and removed its AdminNetworkPolicy support.
  calico: ['ClusterNetworkPolicy'],
  // Cilium 1.20 implements ClusterNetworkPolicy behind a feature flag (warned about below).
  cilium: ['ClusterNetworkPolicy'],
  antrea: ['ClusterNetworkPolicy'],
  // OVN-Kubernetes (and OpenShift) serve the v1alpha1 kinds.
  'ovn-kubernetes': ['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy'],
  flannel: [],
  kubenet: [],
};

/** True when the CNI profile enforces objects of `kind`. */
export function cniEnforcesKind(cni: CniProfile, kind: string): boolean {
  return ENFORCED_KINDS[cni].includes(kind);
}

/**
 * CRD errors netpol-analyzer does not make: it reads an absent `pods.podSelector` or
 * `pods.namespaceSelector` as `{}`, and accepts named ports in a rule beside networks peers. Under
 * `--compat netpol-analyzer` such objects are analysed as it does (README, compatibility table).
 */
export function compatTolerated(diagnostic: Diagnostic): boolean {
  if (diagnostic.code === 'cel-named-port-peer') return true;
  return (
    diagnostic.code === 'crd-required' && /\.pods\.(podSelector|namespaceSelector)$/.test(diagnostic.field)
  );
}

/**
 * Whether a cluster policy takes part in the analysis: the API server accepted it (valid, with a
 * known tier; under `--compat netpol-analyzer`, errors it tolerates aside) and the CNI enforces its kind.
 */
export function enforcedClusterPolicy(object: ClusterPolicyObject, options: Cluster['options']): boolean {
  if (tierOf(object) === undefined || !cniEnforcesKind(options.cni, object.kind)) return false;
  if (object.valid) return true;
  if (options.compat !== 'netpol-analyzer') return false;
  const errors = validateClusterPolicy(object.raw, object.source.locate, object.source.file).filter(
    (d) => d.severity === 'error',
  );
  return errors.length > 0 && errors.every(compatTolerated);
}

function at(
  object: ClusterPolicyObject,
  path: (string | number)[],
): Pick<Diagnostic, 'file' | 'range' | 'object' | 'kind'> {
  return {
    file: object.source.file,
    range: object.source.locate(path),
    object: clusterPolicyId(object),
    kind: object.kind,
  };
}

/** Problems of the set of cluster policies: duplicates, the BANP singleton, unenforced kinds. */
export function clusterPolicyDiagnostics(
  objects: readonly ClusterPolicyObject[],
  options: Cluster['options'],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  let baseline: ClusterPolicyObject | undefined;
  const unenforced = new Map<string, ClusterPolicyObject[]>();
  for (const object of objects) {
    const id = clusterPolicyId(object);
    const name = object.metadata.name;
    if (object.kind === 'BaselineAdminNetworkPolicy') {
      if (name !== 'default') {
        out.push({
          code: 'banp-name',
          severity: 'error',
          message:
            'only one baseline admin network policy with metadata.name=default can be created in the cluster',
          field: 'metadata.name',
          ...at(object, ['metadata', 'name']),
        });
      } else if (baseline) {
        out.push({
          code: 'banp-already-exists',
          severity: 'error',
          message:
            'only one baseline admin network policy may be provided in input resources; one already exists',
          field: 'metadata.name',
          ...at(object, ['metadata', 'name']),
        });
      }
      baseline ??= object;
      seen.add(id);
      continue;
    }
    if (seen.has(id)) {
      out.push({
        code: 'cluster-policy-duplicate-name',
        severity: 'error',
        message: `an ${object.kind} "${name}" is already exists. Only one object of a given kind can have a given name at a time.`,
        field: 'metadata.name',
        ...at(object, ['metadata', 'name']),
      });
    }
    seen.add(id);
    if (!cniEnforcesKind(options.cni, object.kind)) {
      unenforced.set(object.kind, [...(unenforced.get(object.kind) ?? []), object]);
    }
  }
  for (const object of objects) {
    if (object.kind === 'BaselineAdminNetworkPolicy' && !cniEnforcesKind(options.cni, object.kind)) {
      unenforced.set(object.kind, [...(unenforced.get(object.kind) ?? []), object]);
    }
  }
  for (const [kind, list] of unenforced) {
    out.push({
      code: 'cluster-policy-not-enforced',
      severity: 'warning',
      message: `the ${options.cni} profile does not enforce ${kind}: ${list.length} object(s) ignored (${list.map((o) => o.metadata.name).join(', ')})`,
      field: 'kind',
      ...at(list[0]!, ['kind']),
    });
  }
  if (options.compat === 'netpol-analyzer') out.push(...objects.flatMap(analyzerCidrErrors));
  if (options.cni === 'cilium' && objects.some((o) => o.kind === 'ClusterNetworkPolicy')) {
    const first = objects.find((o) => o.kind === 'ClusterNetworkPolicy')!;
    out.push({
      code: 'cluster-policy-feature-flag',
      severity: 'warning',
      message:
        'Cilium enforces ClusterNetworkPolicy only when the feature is enabled: the analysis assumes it is',
      field: 'kind',
      ...at(first, ['kind']),
    });
  }
  return out;
}

/**
 * netpol-analyzer parses every egress `networks` CIDR of an AdminNetworkPolicy or
 * BaselineAdminNetworkPolicy before anything else, while the API server never evaluates its CIDR
 * rule once the schema has failed (`crd-cel-skipped`). Under `--compat netpol-analyzer`, the
 * invalid CIDRs such an object hides are reported as it does; the validator reports the others.
 */
function analyzerCidrErrors(object: ClusterPolicyObject): Diagnostic[] {
  if (object.valid || object.kind === 'ClusterNetworkPolicy') return [];
  const skipped = validateClusterPolicy(object.raw, object.source.locate, object.source.file).some(
    (d) => d.code === 'crd-cel-skipped',
  );
  if (!skipped) return [];
  const out: Diagnostic[] = [];
  object.spec.egress.forEach((rule, r) => {
    rule.peers.forEach((peer, p) => {
      peer.networks?.forEach((cidr, i) => {
        if (parseCIDR(cidr) !== undefined) return;
        const path = ['spec', 'egress', r, 'to', p, 'networks', i];
        out.push({
          code: 'anp-invalid-cidr',
          severity: 'error',
          message: `${JSON.stringify(cidr)} is not a CIDR`,
          field: formatFieldPath(path),
          ...at(object, path),
        });
      });
    });
  });
  return out;
}
