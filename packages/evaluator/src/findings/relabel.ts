// Copies of the input objects with one workload's pod labels, or its namespace's labels, edited:
// the what-if re-runs the real evaluator on them, so every tier and rule counts exactly as it would.

import type { KubeObject, Labels, NamespaceObject } from '@netpol-atlas/manifests';
import type { WorkloadPeer } from '../model.ts';
import type { LabelEdit } from './labelCandidates.ts';

/** `labels` with `edit` applied: a string sets (adds or overwrites) a label, `null` removes it. */
export function applyEdit(labels: Labels, edit: LabelEdit): Labels {
  const out: Record<string, string> = { ...labels };
  for (const [key, value] of Object.entries(edit)) {
    if (value === null) delete out[key];
    else out[key] = value;
  }
  return out;
}

/**
 * The objects with the pods of `workload` (its template, or each of its Pod objects) relabelled
 * by `edit`; undefined when none of its objects is among `objects` (the cluster was built from
 * other objects). Other objects are shared, not copied.
 */
export function relabelWorkload(
  objects: readonly KubeObject[],
  workload: WorkloadPeer,
  edit: LabelEdit,
): KubeObject[] | undefined {
  const sources = new Set(workload.pods.map((p) => p.source));
  let found = false;
  const out = objects.map((object): KubeObject => {
    if (!sources.has(object.source) || !('template' in object)) return object;
    found = true;
    const labels = applyEdit(object.template.labels, edit);
    const template = { ...object.template, labels };
    // A Pod's template labels are its metadata labels: keep the two views of the copy in step.
    return object.kind === 'Pod'
      ? { ...object, template, metadata: { ...object.metadata, labels } }
      : { ...object, template };
  });
  return found ? out : undefined;
}

/**
 * The objects with namespace `name` relabelled by `edit`. A namespace that only exists because
 * objects live in it gets a Namespace object, as `kubectl label namespace` would find one.
 */
export function relabelNamespace(
  objects: readonly KubeObject[],
  name: string,
  edit: LabelEdit,
): KubeObject[] {
  let found = false;
  const out = objects.map((object): KubeObject => {
    // Only the first Namespace of a name counts (the cluster reports the others).
    if (found || object.kind !== 'Namespace' || object.metadata.name !== name) return object;
    found = true;
    return { ...object, metadata: { ...object.metadata, labels: applyEdit(object.metadata.labels, edit) } };
  });
  if (found) return out;
  const implicit: NamespaceObject = {
    kind: 'Namespace',
    apiVersion: 'v1',
    metadata: {
      name,
      namespace: undefined,
      labels: applyEdit({}, edit),
      annotations: {},
      ownerReferences: [],
    },
    source: { file: '(what-if)', document: 0, range: undefined, locate: () => undefined },
    raw: {},
  };
  return [implicit, ...out];
}
