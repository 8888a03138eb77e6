import { DEFAULT_NAMESPACE, policyId } from '@netpol-atlas/evaluator';
import type { NetworkPolicyObject, SourceFile } from '@netpol-atlas/manifests';
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

/**
 * The policy as a file of its own. A policy written as its own YAML document keeps the user's text
 * (comments included, `---` dropped); one inside a List or a JSON file is printed fresh. The
 * namespace is written out when it was left implicit, so the file applies to the same namespace
 * whatever the kubectl context.
 */
function policyText(file: SourceFile, policy: NetworkPolicyObject): string {
  const namespace = policy.metadata.namespace ?? DEFAULT_NAMESPACE;
  const withNamespace = () => {
    const raw = cloneValue(policy.raw) as Record<string, unknown>;
    const metadata = isPlainObject(raw.metadata) ? raw.metadata : {};
    raw.metadata = { ...metadata, namespace };
    return raw;
  };
  if (policy.source.item !== undefined || file.path.toLowerCase().endsWith('.json')) {
    return renderDocument(withNamespace(), DEFAULT_STYLE);
  }
  const segments = splitStream(file.text);
  const index = documentSegment(segments, policy.source.document);
  const previous = segments[index - 1];
  let text = segments[index]!.text;
  if (policy.metadata.namespace === undefined) {
    text = rewriteDocument(text, ['metadata'], withNamespace().metadata);
  }
  text = text.replace(/^---[ \t]*\n/, '').replace(/(\n[ \t]*)+$/, '\n');
  if (!text.endsWith('\n')) text += '\n';
  const comment = previous?.type === 'other' ? leadingComment(previous.text) : '';
  return comment + text;
}

/** Every NetworkPolicy once (the first of duplicate ids, as the evaluator keeps), with its file. */
function policiesOf(source: PlanSource): { id: string; file: SourceFile; policy: NetworkPolicyObject }[] {
  const { files, parsed } = parsedOf(source);
  const byPath = new Map(files.map((f) => [f.path, f]));
  const seen = new Set<string>();
  const out: { id: string; file: SourceFile; policy: NetworkPolicyObject }[] = [];
  for (const object of parsed.objects) {
    if (object.kind !== 'NetworkPolicy') continue;
    const id = policyId(object);
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ id, file: byPath.get(object.source.file)!, policy: object });
  }
  return out;
}

function bundlePath(policy: NetworkPolicyObject): string {
  return `${policy.metadata.namespace ?? DEFAULT_NAMESPACE}/${policy.metadata.name}.yaml`;
}

/**
 * The policies laid out for git: `<namespace>/<policy-name>.yaml` per NetworkPolicy and a
 * `kustomization.yaml` listing exactly the policy files of the bundle (sorted), so
 * `kubectl apply -k` applies the folder whatever subset was exported. Zipping is left to the app.
 */
export function exportBundle(files: PlanSource, options: ExportOptions = {}): BundleFile[] {
  if (options.changedOnly && !options.baseline) throw new Error('exportBundle: changedOnly needs a baseline');
  const policies = policiesOf(files).map((p) => ({
    path: bundlePath(p.policy),
    text: policyText(p.file, p.policy),
  }));
  let exported = policies;
  let removed: string[] = [];
  if (options.changedOnly && options.baseline) {
    const before = new Map(
      policiesOf(options.baseline).map((p) => [bundlePath(p.policy), policyText(p.file, p.policy)]),
    );
    exported = policies.filter((p) => before.get(p.path) !== p.text);
    if (exported.length === 0) return [];
    const now = new Set(policies.map((p) => p.path));
    removed = [...before.keys()].filter((path) => !now.has(path)).sort(comparePaths);
  }
  const sorted = [...exported].sort((a, b) => comparePaths(a.path, b.path));
  return [...sorted, { path: 'kustomization.yaml', text: kustomization(sorted, removed) }];
}

function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The kustomization of a bundle: its own files, and a note on what applying it cannot do. */
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
    ...removed.map((path) => {
      const [namespace, file] = path.split('/') as [string, string];
      return `#   kubectl delete networkpolicy -n ${namespace} ${file.replace(/\.yaml$/, '')}`;
    }),
  ];
  return `${note.join('\n')}\n${text}`;
}

/** One policy's YAML (`ns/name`), as {@link exportBundle} writes it, for copy or download. */
export function policyYaml(files: PlanSource, policyId: string): string | undefined {
  const found = policiesOf(files).find((p) => p.id === policyId);
  return found ? policyText(found.file, found.policy) : undefined;
}
