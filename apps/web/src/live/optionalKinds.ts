/** The cluster-wide policy kinds the evaluator analyses, as the proxy names them (`Kind.group`). */
const ANALYSED_KINDS: ReadonlySet<string> = new Set([
  'ClusterNetworkPolicy.policy.networking.k8s.io',
  'AdminNetworkPolicy.policy.networking.k8s.io',
  'BaselineAdminNetworkPolicy.policy.networking.k8s.io',
]);

/** What the live panel says about the optional policy kinds of the cluster. */
export interface OptionalKindsSummary {
  /** Cluster-wide policy kinds read and analysed. */
  analysed: string[];
  /** Kinds read from other CRDs (Cilium, Calico): shown as files, not analysed. */
  notAnalysed: string[];
  /** Kinds whose CRD the cluster does not serve: not an error, there is nothing to read. */
  notInstalled: string[];
}

function kindOf(kindAndGroup: string): string {
  return kindAndGroup.split('.')[0]!;
}

/** Sorts the optional kinds the proxy reported into analysed, read-only and not installed. */
export function optionalKinds(
  extraKinds: readonly string[],
  notInstalled: readonly string[],
): OptionalKindsSummary {
  return {
    analysed: extraKinds.filter((k) => ANALYSED_KINDS.has(k)).map(kindOf),
    notAnalysed: extraKinds.filter((k) => !ANALYSED_KINDS.has(k)),
    notInstalled: notInstalled.map((k) => (ANALYSED_KINDS.has(k) ? kindOf(k) : k)),
  };
}

/** One line per non-empty group, for the panel's tooltip and its details. */
export function optionalKindsLines(summary: OptionalKindsSummary): string[] {
  return [
    ...(summary.analysed.length > 0 ? [`Cluster-wide policies read: ${summary.analysed.join(', ')}`] : []),
    ...(summary.notAnalysed.length > 0
      ? [`Also read (not analysed yet): ${summary.notAnalysed.join(', ')}`]
      : []),
    ...(summary.notInstalled.length > 0 ? [`Not installed: ${summary.notInstalled.join(', ')}`] : []),
  ];
}
