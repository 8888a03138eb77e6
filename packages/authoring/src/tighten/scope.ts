import type { Cluster, WorkloadPeer } from '@netpol-atlas/evaluator';
import type { Labels } from '@netpol-atlas/manifests';
import { selectorFor, selectorKey, stableLabels } from '../peers.ts';
import { failure } from '../planResult.ts';
import type { PlanFailure } from '../types.ts';
import type { TightenScope } from './types.ts';

/**
 * The pods one tightened policy selects: a workload's stable labels in its namespace, and every
 * workload of the namespace those labels select (a selector cannot tell them apart).
 */
export interface SubjectGroup {
  namespace: string;
  labels: Record<string, string>;
  selector: Record<string, unknown>;
  /** Word for a generated policy name. */
  label: string;
  members: WorkloadPeer[];
}

/** The scope resolved against the cluster. */
export interface ResolvedScope {
  text: string;
  groups: SubjectGroup[];
  /** Indices of every workload tightened (members of some group). */
  subjects: Set<number>;
  warnings: string[];
}

function hasLabels(labels: Labels, wanted: Record<string, string>): boolean {
  return Object.entries(wanted).every(([key, value]) => labels[key] === value);
}

function group(cluster: Cluster, workload: WorkloadPeer, labels: Record<string, string>): SubjectGroup {
  return {
    namespace: workload.namespace,
    labels,
    selector: selectorFor(labels),
    label: workload.name,
    members: cluster.workloads.filter(
      (w) => w.namespace === workload.namespace && hasLabels(w.labels, labels),
    ),
  };
}

/**
 * Resolves a scope: one group per distinct set of stable labels in a namespace, or the one group of
 * a workload. A workload whose pods carry no stable label cannot be selected: a namespace scope
 * leaves it out (with a warning), a workload scope fails.
 */
export function resolveScope(cluster: Cluster, scope: TightenScope): ResolvedScope | PlanFailure {
  const warnings: string[] = [];
  const groups = new Map<string, SubjectGroup>();
  let text: string;
  if (scope.kind === 'namespace') {
    if (!cluster.namespaces.has(scope.name))
      return failure('unknown-peer', `no namespace ${scope.name} in the files`);
    text = `namespace ${scope.name}`;
    for (const workload of cluster.workloads) {
      if (workload.namespace !== scope.name) continue;
      const labels = stableLabels(workload.labels);
      if (Object.keys(labels).length === 0) {
        warnings.push(`${workload.id} has no stable pod labels a policy could select it by: left as it is`);
        continue;
      }
      const key = selectorKey(scope.name, labels);
      if (!groups.has(key)) groups.set(key, group(cluster, workload, labels));
    }
    if (groups.size === 0) return failure('unknown-peer', `${text} has no workload a policy could select`);
  } else if (scope.kind === 'workload') {
    const workload = cluster.workloads.find((w) => w.id === scope.id);
    if (!workload) return failure('unknown-peer', `no workload ${scope.id} in the files`);
    const labels = stableLabels(workload.labels);
    if (Object.keys(labels).length === 0) {
      return failure('no-stable-labels', `${scope.id} has no stable pod labels a policy could select it by`);
    }
    text = workload.id;
    const only = group(cluster, workload, labels);
    groups.set('', only);
    const others = only.members.filter((w) => w.id !== workload.id).map((w) => w.id);
    if (others.length > 0) {
      warnings.push(
        `the labels of ${workload.id} also select ${others.join(', ')}: a policy cannot tell them apart, so they are tightened too`,
      );
    }
  } else {
    return failure('invalid-input', `unknown scope kind ${String((scope as { kind: unknown }).kind)}`);
  }
  const subjects = new Set<number>();
  for (const g of groups.values()) for (const w of g.members) subjects.add(w.index);
  return { text, groups: [...groups.values()], subjects, warnings };
}
