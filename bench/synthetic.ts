// Seeded synthetic clusters for the benchmarks: realistic enough that the evaluator's caches and
// equivalence classes behave as they would on a real cluster dump (many namespaces, per-team
// policies, every peer kind), and deterministic so that figures are comparable between runs.
import type { SourceFile } from '@netpol-atlas/manifests';
import { clusterPolicyFile } from './clusterPolicies.ts';
import { planNamespaces, planWorkloads, Random } from './syntheticPlan.ts';
import { namespacePolicies } from './syntheticPolicies.ts';
import { type Counters, namespaceManifest, PODS_PER_NODE, workloadManifests } from './syntheticWorkloads.ts';
import { toYaml, type Yaml } from './yaml.ts';

/** Size and seed of a synthetic cluster. */
export interface SyntheticClusterOptions {
  /** Namespaces, counting the system ones (kube-system, monitoring, ingress-nginx) that come first. */
  namespaces: number;
  /** Workloads (connectivity peers), spread round-robin over the namespaces. */
  workloads: number;
  /** Pods per workload: Pod objects, or `replicas` for the few Deployments given as manifests only. */
  podsPerWorkload: number;
  /** NetworkPolicies, spread evenly over the namespaces. */
  policies: number;
  /** ClusterNetworkPolicies (both tiers), in their own file `cluster/cluster-policies.yaml`. Default none. */
  clusterPolicies?: number;
  seed: number;
}

/**
 * Generates a synthetic cluster dump: one multi-document YAML file per namespace holding its
 * Namespace, workload manifests, Pods (owned by ReplicaSets, StatefulSets and DaemonSets, with
 * addresses), Services and NetworkPolicies. The same options always give the same text.
 *
 * Policies cover every peer and port form: default-deny (ingress and egress) and DNS egress in
 * every namespace, namespaceSelector peers by name and by team label, podSelector peers, combined
 * namespaceSelector+podSelector peers, matchExpressions (In, NotIn, Exists, DoesNotExist),
 * ipBlocks with `except`, named ports and `endPort` ranges.
 *
 * @param options sizes and seed; `podsPerWorkload * workloads` pods in total
 * @returns one file per namespace, `cluster/<namespace>.yaml`
 */
export function generateCluster(options: SyntheticClusterOptions): SourceFile[] {
  const rng = new Random(options.seed);
  const namespaces = planNamespaces(options.namespaces, rng);
  planWorkloads(namespaces, options.workloads, rng);
  const nodes = Math.max(3, Math.ceil((options.workloads * options.podsPerWorkload) / PODS_PER_NODE));
  const counters: Counters = { pod: 0, service: 0, rotation: 0, nodes };
  const policyCounts = spread(options.policies, namespaces.length);
  const files = namespaces.map((ns, i) => {
    const docs: Yaml[] = [namespaceManifest(ns)];
    for (const w of ns.workloads) docs.push(...workloadManifests(w, options.podsPerWorkload, rng, counters));
    docs.push(...namespacePolicies(ns, namespaces, policyCounts[i]!, rng, counters));
    return { path: `cluster/${ns.name}.yaml`, text: docs.map((d) => toYaml(d)).join('---\n') };
  });
  // Last and with no random draws, so the namespace files are the same with or without them.
  if (options.clusterPolicies) files.push(clusterPolicyFile(options.clusterPolicies));
  return files;
}

/** `total` split into `parts` counts differing by at most one (earlier parts get the extra). */
function spread(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}
