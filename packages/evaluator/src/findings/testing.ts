import { parseManifests, type SourceFile } from '@netpol-atlas/manifests';
import { buildCluster } from '../cluster.ts';
import type { Cluster, CniProfile } from '../model.ts';
import { findings } from './findings.ts';
import type { Finding, FindingInstance } from './types.ts';

/** What {@link reviewFiles} returns: the cluster, the findings and the parse/build diagnostics. */
export interface Review {
  cluster: Cluster;
  findings: Finding[];
  diagnostics: ReturnType<typeof parseManifests>['diagnostics'];
}

/**
 * Parses, builds and reviews files the way `netpol lint` does (unanalysed objects, node IPs and
 * every diagnostic passed on). Shared by the findings tests; not exported from the package.
 */
export function reviewFiles(files: readonly SourceFile[], cni?: CniProfile): Review {
  const parsed = parseManifests(files);
  const cluster = buildCluster(parsed.objects, cni ? { cni } : {});
  const diagnostics = [...parsed.diagnostics, ...cluster.diagnostics];
  return {
    cluster,
    diagnostics,
    findings: findings(cluster, { unanalysed: parsed.unanalysed, objects: parsed.objects, diagnostics }),
  };
}

/** Every finding as reported alone: the instances of each group, and the findings outside groups. */
export function findingInstances(list: readonly Finding[]): FindingInstance[] {
  return list.flatMap((f) => f.instances ?? [f]);
}
