import { DEFAULT_NAMESPACE, policyId } from '@netpol-atlas/evaluator';
import {
  CLUSTER_POLICY_KINDS,
  type ClusterPolicyObject,
  type KubeObject,
  type NetworkPolicyObject,
  type SourceFile,
} from '@netpol-atlas/manifests';
import { parsedOf } from './compiled.ts';
import { cloneValue, isPlainObject } from './json.ts';
import type { PlanSource } from './types.ts';

import { DEFAULT_STYLE, renderDocument, rewriteDocument } from './yamlEdit.ts';
import { documentSegment, splitStream } from './yamlText.ts';

/** One file of an export: a path relative to the export's root, and its text. */
export interface BundleFile {
  path: string;
  text: string;
}

/** Options of {@link exportBundle}. */
export interface ExportOptions {
  /**
   * Export only the policies whose text differs from `baseline` (new ones included). The
   * `kustomization.yaml` lists exactly those files, so the folder applies on its own
   * (`kubectl apply -k`); policies removed since the baseline are named in a comment, since
   * applying never deletes anything.
   */
  changedOnly?: boolean;
  /** The files as first loaded; required with `changedOnly`. */
  baseline?: PlanSource;
}

/** The comment lines directly above a document (a policy's description is usually written there). */
function leadingComment(between: string): string {
  const lines = between.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const out: string[] = [];
  for (let i = lines.length - 1; i >= 0 && lines[i]!.trimStart().startsWith('#'); i--) out.unshift(lines[i]!);
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}

/** A policy of any kind: a namespaced NetworkPolicy or a cluster-scoped cluster policy. */
type AnyPolicy = NetworkPolicyObject | ClusterPolicyObject;

function isPolicy(object: KubeObject): object is AnyPolicy {
  return object.kind === 'NetworkPolicy' || (CLUSTER_POLICY_KINDS as readonly string[]).includes(object.kind);
}

/**
 * The policy as a file of its own. A policy written as its own YAML document keeps the user's text
 * (comments included, `---` dropped); one inside a List or a JSON file is printed fresh. A
 * NetworkPolicy's namespace is written out when it was left implicit, so the file applies to the
 * same namespace whatever the kubectl context; cluster policies have none.
 */
function policyText(file: SourceFile, policy: AnyPolicy): string {
  const namespaced = policy.kind === 'NetworkPolicy';
  const namespace = policy.metadata.namespace ?? DEFAULT_NAMESPACE;
  const withNamespace = () => {
    const raw = cloneValue(policy.raw) as Record<string, unknown>;
    const metadata = isPlainObject(raw.metadata) ? raw.metadata : {};
    if (namespaced) raw.metadata = { ...metadata, namespace };
    return raw;
  };
  if (policy.source.item !== undefined || file.path.toLowerCase().endsWith('.json')) {
    return renderDocument(withNamespace(), DEFAULT_STYLE);
  }
  const segments = splitStream(file.text);
  const index = documentSegment(segments, policy.source.document);
  const previous = segments[index - 1];
  let text = segments[index]!.text;
  if (namespaced && policy.metadata.namespace === undefined) {
    text = rewriteDocument(text, ['metadata'], withNamespace().metadata);
  }
  text = text.replace(/^---[ \t]*\n/, '').replace(/(\n[ \t]*)+$/, '\n');
  if (!text.endsWith('\n')) text += '\n';
  const comment = previous?.type === 'other' ? leadingComment(previous.text) : '';
  return comment + text;
}

/** A policy of the bundle, with where it goes and how to delete it. */
interface BundlePolicy {
  /** `ns/name` for a NetworkPolicy, `Kind/name` for a cluster policy. */
  id: string;
  file: SourceFile;
  policy: AnyPolicy;
  path: string;
  /** The kubectl command that deletes it (applying never does). */
  deleteCommand: string;
}

/**
 * Every policy once (the first of duplicate ids, as the evaluator keeps), with its file:
 * NetworkPolicies at `<namespace>/<name>.yaml`; cluster-scoped policies at
 * `_cluster/<kind>-<name>.yaml` (a leading `_` is never a namespace name, so the two never meet).
 */
function policiesOf(source: PlanSource): BundlePolicy[] {
  const { files, parsed } = parsedOf(source);
  const byPath = new Map(files.map((f) => [f.path, f]));
  const seen = new Set<string>();
  const out: BundlePolicy[] = [];
  for (const object of parsed.objects) {
    if (!isPolicy(object)) continue;
    const namespaced = object.kind === 'NetworkPolicy';
    const namespace = object.metadata.namespace ?? DEFAULT_NAMESPACE;
    const id = namespaced ? policyId(object) : `${object.kind}/${object.metadata.name}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const kind = object.kind.toLowerCase();
    out.push({
      id,
      file: byPath.get(object.source.file)!,
      policy: object,
      path: namespaced
        ? `${namespace}/${object.metadata.name}.yaml`
        : `_cluster/${kind}-${object.metadata.name}.yaml`,
      deleteCommand: namespaced
        ? `kubectl delete networkpolicy -n ${namespace} ${object.metadata.name}`
        : `kubectl delete ${kind} ${object.metadata.name}`,
    });
  }
  return out;
}

/**
 * The policies laid out for git: `<namespace>/<policy-name>.yaml` per NetworkPolicy,
 * `_cluster/<kind>-<name>.yaml` per cluster-scoped policy (ClusterNetworkPolicy, and the v1alpha1
 * AdminNetworkPolicy / BaselineAdminNetworkPolicy) and a
 * `kustomization.yaml` listing exactly the policy files of the bundle (sorted), so
 * `kubectl apply -k` applies the folder whatever subset was exported. Zipping is left to the app.
 */
export function exportBundle(files: PlanSource, options: ExportOptions = {}): BundleFile[] {
  if (options.changedOnly && !options.baseline) throw new Error('exportBundle: changedOnly needs a baseline');
  const policies = policiesOf(files).map((p) => ({ path: p.path, text: policyText(p.file, p.policy) }));
  let exported = policies;
  let removed: string[] = [];
  if (options.changedOnly && options.baseline) {
    const baseline = policiesOf(options.baseline);
    const before = new Map(baseline.map((p) => [p.path, policyText(p.file, p.policy)]));
    exported = policies.filter((p) => before.get(p.path) !== p.text);
    if (exported.length === 0) return [];
    const now = new Set(policies.map((p) => p.path));
    removed = baseline
      .filter((p) => !now.has(p.path))
      .sort((a, b) => comparePaths(a.path, b.path))
      .map((p) => p.deleteCommand);
  }
  const sorted = [...exported].sort((a, b) => comparePaths(a.path, b.path));
  return [...sorted, { path: 'kustomization.yaml', text: kustomization(sorted, removed) }];
}

function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The kustomization of a bundle: its own files, and the delete commands applying it cannot run. */
function kustomization(files: readonly BundleFile[], removed: readonly string[]): string {
  const text = renderDocument(
    {
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: files.map((f) => f.path),
    },
    DEFAULT_STYLE,
  );
  if (removed.length === 0) return text;
  const note = [
    '# Removed since the baseline; `kubectl apply -k` does not delete them:',
    ...removed.map((command) => `#   ${command}`),
  ];
  return `${note.join('\n')}\n${text}`;
}

/** One policy's YAML (`ns/name`, or `Kind/name` for a cluster policy), as {@link exportBundle} writes it, for copy or download. */
export function policyYaml(files: PlanSource, policyId: string): string | undefined {
  const found = policiesOf(files).find((p) => p.id === policyId);
  return found ? policyText(found.file, found.policy) : undefined;
}
