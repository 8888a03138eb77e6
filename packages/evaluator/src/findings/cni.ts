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
  ClusterNetworkPolicy: 'Antrea or the Kubernetes network-policy API',
  AdminNetworkPolicy: 'the Kubernetes network-policy API (AdminNetworkPolicy)',
  BaselineAdminNetworkPolicy: 'the Kubernetes network-policy API (AdminNetworkPolicy)',
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
  return out;
}
