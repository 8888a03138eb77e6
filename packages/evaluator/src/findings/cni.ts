import type { ClusterPolicyObject } from '@netpol-atlas/manifests';
import { CLUSTER_POLICY_KINDS } from '@netpol-atlas/manifests';
import { cniEnforcesKind } from '../clusterPolicies.ts';
import type { CniProfile } from '../model.ts';
import { clusterPolicyId } from '../tierCompiler.ts';
import { type FindingContext, listText, makeFinding, policyNameLocation } from './context.ts';
import type { Finding, FindingLocation, UnanalysedPolicyRef } from './types.ts';

/** Policy kinds other projects define, by kind, with the product that enforces them. */
const FOREIGN_POLICY_KINDS: Readonly<Record<string, string>> = {
  CiliumNetworkPolicy: 'Cilium',
  CiliumClusterwideNetworkPolicy: 'Cilium',
  CiliumCIDRGroup: 'Cilium',
  GlobalNetworkPolicy: 'Calico',
  StagedNetworkPolicy: 'Calico',
  StagedGlobalNetworkPolicy: 'Calico',
  StagedKubernetesNetworkPolicy: 'Calico',
  NetworkSet: 'Calico',
  GlobalNetworkSet: 'Calico',
  Tier: 'Calico or Antrea',
};

/** API groups whose `NetworkPolicy` kind is not Kubernetes' own. */
const FOREIGN_GROUPS: Readonly<Record<string, string>> = {
  'projectcalico.org': 'Calico',
  'crd.projectcalico.org': 'Calico',
  'crd.antrea.io': 'Antrea',
  'cilium.io': 'Cilium',
};

function groupOf(apiVersion: string | undefined): string | undefined {
  if (!apiVersion?.includes('/')) return undefined;
  return apiVersion.slice(0, apiVersion.indexOf('/'));
}

/** The product behind a policy object of another kind, or undefined when it is not a policy kind. */
function productOf(ref: UnanalysedPolicyRef): string | undefined {
  const group = groupOf(ref.apiVersion);
  if (group && FOREIGN_GROUPS[group] && /Policy|NetworkSet|Tier/.test(ref.kind)) return FOREIGN_GROUPS[group];
  return FOREIGN_POLICY_KINDS[ref.kind];
}

function refLocation(ref: UnanalysedPolicyRef): FindingLocation | undefined {
  if (!ref.source) return undefined;
  return { file: ref.source.file, range: ref.source.locate(['metadata', 'name']) ?? ref.source.range };
}

/**
 * CNI findings: policies a non-enforcing CNI ignores (one summary, with every policy's location),
 * and policy objects of other kinds that this analysis does not evaluate.
 */
export function cniFindings(ctx: FindingContext): Finding[] {
  const out: Finding[] = [];
  const { cluster } = ctx;
  if (!ctx.enforced && cluster.policies.length > 0) {
    const cni = ctx.cni === 'flannel' ? 'Flannel' : 'kubenet';
    out.push(
      makeFinding('cni-not-enforced', {
        key: ctx.cni,
        title: `${cni} does not enforce NetworkPolicy: none of the ${cluster.policies.length} policies has any effect`,
        message: `NetworkPolicy support is optional for CNI plugins, and ${cni} has none. The API server stores these policies, but nothing enforces them: every pod can reach every pod and address, whatever they say (${listText(cluster.policies.map((p) => p.id))}). The connectivity shown for this CNI is therefore all-open.`,
        subjects: cluster.policies.map((p) => p.id),
        namespaces: cluster.policies.map((p) => p.namespace),
        locations: cluster.policies.map(policyNameLocation),
      }),
    );
  }
  for (const ref of ctx.options.unanalysed ?? []) {
    const product = productOf(ref);
    if (!product) continue;
    const id = `${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
    out.push(
      makeFinding('cni-policy-not-analysed', {
        key: `${ref.kind}/${id}`,
        title: `${ref.kind} ${id} (${product}) is not evaluated`,
        message: `${ref.kind} "${id}" is a policy of ${product}. It can allow or deny traffic alongside NetworkPolicy, but this analysis evaluates only networking.k8s.io/v1 NetworkPolicy, so the connectivity shown may differ from the cluster's.${ctx.cni !== 'upstream' && !product.toLowerCase().includes(ctx.cni) && !product.includes('Kubernetes') ? ` The stated CNI is ${ctx.cni}, which does not enforce ${product} objects either.` : ''}`,
        subjects: [id],
        namespaces: ref.namespace ? [ref.namespace] : [],
        locations: [refLocation(ref)],
      }),
    );
  }
  // The parser reads any `kind: NetworkPolicy` as Kubernetes'; Calico's and Antrea's mean something else.
  for (const policy of cluster.policies) {
    const group = groupOf(policy.object.apiVersion);
    const product = group ? FOREIGN_GROUPS[group] : undefined;
    if (!product) continue;
    out.push(
      makeFinding('cni-policy-not-analysed', {
        key: `NetworkPolicy/${policy.id}`,
        title: `${policy.id} is a ${product} NetworkPolicy (${policy.object.apiVersion}), analysed as a Kubernetes one`,
        message: `${policy.id} has apiVersion ${policy.object.apiVersion}: it is ${product}'s NetworkPolicy kind, with its own fields and semantics (order, deny actions, selectors as expressions). It was read as networking.k8s.io/v1, which is probably wrong.`,
        subjects: [policy.id],
        namespaces: [policy.namespace],
        locations: [policyNameLocation(policy)],
      }),
    );
  }
  out.push(...clusterPolicyCniFindings(ctx));
  return out;
}

/**
 * What each profile enforces of the network-policy API, in words (the evaluator's table in
 * clusterPolicies.ts decides; this says it to a reader).
 */
const TIER_SUPPORT: Readonly<Record<CniProfile, string>> = {
  upstream: 'the upstream profile enforces every kind',
  calico:
    'Calico 3.32 enforces ClusterNetworkPolicy (v1alpha2) and removed its AdminNetworkPolicy and BaselineAdminNetworkPolicy support',
  cilium: 'Cilium enforces ClusterNetworkPolicy (v1alpha2) only, and only with the feature enabled',
  antrea: 'the antrea profile enforces ClusterNetworkPolicy (v1alpha2) only',
  'ovn-kubernetes':
    'OVN-Kubernetes enforces AdminNetworkPolicy and BaselineAdminNetworkPolicy (v1alpha1), not ClusterNetworkPolicy (v1alpha2)',
  flannel: 'Flannel enforces no network policy of any kind',
  kubenet: 'kubenet enforces no network policy of any kind',
};

const CLUSTER_KINDS: ReadonlySet<string> = new Set(CLUSTER_POLICY_KINDS);

function objectLocation(object: ClusterPolicyObject, path: (string | number)[]): FindingLocation {
  return { file: object.source.file, range: object.source.locate(path) ?? object.source.range };
}

/**
 * Cluster policies under a profile: one finding per kind the profile ignores (those objects have
 * no effect, and the analysis leaves them out), a note when Cilium needs its feature switched on,
 * and other products' kinds of the same name read as the Kubernetes ones.
 */
function clusterPolicyCniFindings(ctx: FindingContext): Finding[] {
  const out: Finding[] = [];
  const objects = (ctx.options.objects ?? []).filter(
    (o): o is ClusterPolicyObject => CLUSTER_KINDS.has(o.kind) && 'valid' in o,
  );
  const ignored = new Map<string, ClusterPolicyObject[]>();
  for (const object of objects) {
    const group = groupOf(object.apiVersion);
    const product = group ? FOREIGN_GROUPS[group] : undefined;
    if (product) {
      const id = clusterPolicyId(object);
      out.push(
        makeFinding('cni-policy-not-analysed', {
          key: id,
          title: `${id} is ${product}'s ${object.kind} (${object.apiVersion}), read as the Kubernetes kind`,
          message: `${id} has apiVersion ${object.apiVersion}: it is ${product}'s own ${object.kind}, with its own fields and semantics (tiers, order, actions). It was read as the Kubernetes network-policy API's kind of the same name, which is probably wrong: review it separately.`,
          subjects: [id],
          namespaces: [],
          locations: [objectLocation(object, ['apiVersion'])],
        }),
      );
      continue;
    }
    if (!object.valid || cniEnforcesKind(ctx.cni, object.kind)) continue;
    ignored.set(object.kind, [...(ignored.get(object.kind) ?? []), object]);
  }
  for (const [kind, list] of ignored) {
    const ids = [...new Set(list.map(clusterPolicyId))];
    const them = ids.length === 1 ? 'it' : 'them';
    const v1alpha1 = kind !== 'ClusterNetworkPolicy';
    const convert =
      v1alpha1 && cniEnforcesKind(ctx.cni, 'ClusterNetworkPolicy')
        ? ` Convert ${them} to ClusterNetworkPolicy (\`netpol migrate\`), which this CNI enforces.`
        : !v1alpha1 && cniEnforcesKind(ctx.cni, 'AdminNetworkPolicy')
          ? ` Write ${them} as AdminNetworkPolicy / BaselineAdminNetworkPolicy (v1alpha1), which this CNI enforces.`
          : '';
    out.push(
      makeFinding('cluster-policy-not-enforced', {
        key: `${ctx.cni}/${kind}`,
        title: `${ids.length} ${kind} object(s) have no effect under the ${ctx.cni} profile`,
        message: `${TIER_SUPPORT[ctx.cni]}. The API server stores ${listText(ids)}, but nothing enforces ${them}: the traffic ${ids.length === 1 ? 'it denies or accepts' : 'they deny or accept'} is decided by NetworkPolicy alone, and the connectivity shown for this profile leaves ${them} out.${convert}`,
        subjects: ids,
        namespaces: [],
        locations: list.map((o) => objectLocation(o, ['kind'])),
      }),
    );
  }
  const cnp = objects.filter(
    (o) => o.kind === 'ClusterNetworkPolicy' && o.valid && !FOREIGN_GROUPS[groupOf(o.apiVersion) ?? ''],
  );
  const cnpIds = [...new Set(cnp.map(clusterPolicyId))];
  if (ctx.cni === 'cilium' && cnp.length > 0) {
    out.push(
      makeFinding('cluster-policy-not-enforced', {
        key: 'cilium/feature',
        severity: 'medium',
        title: `Cilium enforces the ${cnpIds.length} ClusterNetworkPolicy object(s) only with the feature enabled`,
        message: `${TIER_SUPPORT.cilium}. The connectivity shown assumes it is enabled; if it is not, ${listText(cnpIds)} ${cnpIds.length === 1 ? 'has' : 'have'} no effect and NetworkPolicy alone decides. Check the Cilium configuration before relying on ${cnpIds.length === 1 ? 'it' : 'them'}.`,
        subjects: cnpIds,
        namespaces: [],
        locations: cnp.map((o) => objectLocation(o, ['kind'])),
      }),
    );
  }
  return out;
}
