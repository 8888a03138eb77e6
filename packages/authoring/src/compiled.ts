import { type Analysis, type Cluster, DEFAULT_NAMESPACE, policyId } from '@netpol-atlas/evaluator';
import type { NetworkPolicyObject, ParseResult, SourceFile } from '@netpol-atlas/manifests';
import { Workspace } from '@netpol-atlas/workspace';
import { cloneValue, isPlainObject } from './json.ts';
import type { FileEdit, Files, PlanOptions, PlanSource } from './types.ts';
import { detectStreamStyle, readDocument, renderDocument, rewriteDocument } from './yamlEdit.ts';
import { appendDocument, documentSegment, splitStream } from './yamlText.ts';

/** What the planners read: a compiled Workspace's current revision, its parts at hand. */
export interface Compiled {
  /** The workspace they come from: a plan tries its edit on a fork of it. */
  workspace: Workspace;
  files: readonly SourceFile[];
  parsed: ParseResult;
  cluster: Cluster;
  analysis: Analysis;
}

/**
 * The workspace a planner works on: the one given, or one compiled from plain files with the
 * plan's cluster options (every object kept, as the files say).
 */
export function workspaceOf(source: PlanSource, options: PlanOptions = {}): Workspace {
  if (!Array.isArray(source)) return source as Workspace;
  return new Workspace(source as Files, { cluster: options.cluster ?? {}, admission: 'all', history: 0 });
}

/** The files of a source and what the parser read from them (no cluster is built). */
export function parsedOf(source: PlanSource): { files: readonly SourceFile[]; parsed: ParseResult } {
  const { files, result } = workspaceOf(source).parsed();
  return { files, parsed: result };
}

/** The current revision of the workspace (compiled once, shared by every plan asking it). */
export function compile(source: PlanSource, options: PlanOptions = {}): Compiled {
  const workspace = workspaceOf(source, options);
  return {
    workspace,
    files: workspace.files,
    parsed: workspace.parsed().result,
    cluster: workspace.cluster().cluster,
    analysis: workspace.connections().analysis,
  };
}

/** The policy object with this id (the first one, as the evaluator keeps the first of duplicates). */
export function findPolicy(parsed: ParseResult, id: string): NetworkPolicyObject | undefined {
  for (const object of parsed.objects) {
    if (object.kind === 'NetworkPolicy' && policyId(object) === id) return object;
  }
  return undefined;
}

/** A change to an existing policy: its new `spec` (and `metadata`, when renamed). */
export interface PolicyUpdate {
  kind: 'update';
  policy: NetworkPolicyObject;
  spec: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  change: string;
}

/** A new policy: the whole object, and the comment that explains it in the YAML. */
export interface PolicyCreate {
  kind: 'create';
  namespace: string;
  name: string;
  value: Record<string, unknown>;
  comment: string;
  change: string;
}

export type PolicyEdit = PolicyUpdate | PolicyCreate;

/** The policy's `spec` as decoded, copied so it can be edited. */
export function editableSpec(policy: NetworkPolicyObject): Record<string, unknown> {
  const spec = policy.raw.spec;
  return isPlainObject(spec) ? cloneValue(spec) : {};
}

/** A new NetworkPolicy object, keys in kubectl's order. */
export function newPolicyObject(
  namespace: string,
  name: string,
  spec: Record<string, unknown>,
): Record<string, unknown> {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace },
    spec,
  };
}

function isJsonPath(path: string): boolean {
  return path.toLowerCase().endsWith('.json');
}

/** Reads the indentation a JSON file uses (two spaces when it cannot tell). */
function jsonIndent(text: string): string | number {
  const match = /\n([ \t]+)\S/.exec(text);
  return match ? match[1]! : 2;
}

/** Applies an update to one document's text (YAML: minimal edit; JSON: re-serialised). */
function updateDocument(path: string, text: string, update: PolicyUpdate): string {
  const item = update.policy.source.item;
  const base: (string | number)[] = item === undefined ? [] : ['items', item];
  if (isJsonPath(path)) {
    const whole = cloneValue(readDocument(text));
    const target = (item === undefined ? whole : (whole as { items: unknown[] }).items[item]) as Record<
      string,
      unknown
    >;
    target.spec = update.spec;
    if (update.metadata) target.metadata = update.metadata;
    const trailing = text.endsWith('\n') ? '\n' : '';
    return JSON.stringify(whole, null, jsonIndent(text)) + trailing;
  }
  let out = rewriteDocument(text, [...base, 'spec'], update.spec);
  if (update.metadata) out = rewriteDocument(out, [...base, 'metadata'], update.metadata);
  return out;
}

/**
 * Where a new policy goes: the YAML file that already holds most of the namespace's policies
 * (readable, without syntax errors), else a new `<namespace>/<name>.yaml`.
 */
function chooseFile(
  parsed: ParseResult,
  texts: ReadonlyMap<string, string>,
  namespace: string,
  name: string,
  created: ReadonlyMap<string, string>,
): string {
  const fromCreated = created.get(namespace);
  if (fromCreated) return fromCreated;
  const broken = new Set(parsed.diagnostics.filter((d) => d.code === 'yaml-syntax').map((d) => d.file));
  const counts = new Map<string, number>();
  for (const object of parsed.objects) {
    if (object.kind !== 'NetworkPolicy' || (object.metadata.namespace ?? DEFAULT_NAMESPACE) !== namespace)
      continue;
    const file = object.source.file;
    if (isJsonPath(file) || broken.has(file)) continue;
    counts.set(file, (counts.get(file) ?? 0) + 1);
  }
  let best: string | undefined;
  let bestCount = 0;
  for (const [file, count] of counts) {
    if (count > bestCount) {
      best = file;
      bestCount = count;
    }
  }
  if (best) return best;
  let path = `${namespace}/${name}.yaml`;
  for (let i = 2; texts.has(path); i++) path = `${namespace}/${name}-${i}.yaml`;
  return path;
}

/**
 * Turns policy edits into file edits: existing documents are edited in place (every other document
 * of the file stays byte for byte), new policies are appended as new documents.
 */
export function renderEdits(
  ws: Pick<Compiled, 'files' | 'parsed'>,
  edits: readonly PolicyEdit[],
): FileEdit[] {
  const texts = new Map(ws.files.map((f) => [f.path, f.text]));
  const order: string[] = [];
  const results = new Map<string, FileEdit>();
  const touch = (path: string, change: string): FileEdit => {
    let edit = results.get(path);
    if (!edit) {
      edit = { path, before: texts.get(path), after: texts.get(path) ?? '', changes: [] };
      results.set(path, edit);
      order.push(path);
    }
    edit.changes.push(change);
    return edit;
  };
  for (const edit of edits) {
    if (edit.kind !== 'update') continue;
    const file = touch(edit.policy.source.file, edit.change);
    const segments = splitStream(file.after);
    const index = documentSegment(segments, edit.policy.source.document);
    if (index < 0) throw new Error(`document ${edit.policy.source.document} of ${file.path} not found`);
    segments[index]!.text = updateDocument(file.path, segments[index]!.text, edit);
    file.after = segments.map((s) => s.text).join('');
  }
  const createdFiles = new Map<string, string>();
  for (const edit of edits) {
    if (edit.kind !== 'create') continue;
    const path = chooseFile(ws.parsed, texts, edit.namespace, edit.name, createdFiles);
    const file = touch(path, edit.change);
    if (file.before === undefined) createdFiles.set(edit.namespace, path);
    const documents = splitStream(file.after)
      .filter((s) => s.type === 'document')
      .map((s) => s.text);
    const text = renderDocument(edit.value, detectStreamStyle(documents), edit.comment);
    file.after = appendDocument(file.after, text);
  }
  return order.map((path) => results.get(path)!);
}

/**
 * The files after applying edits: edited files get their new text, created files are added at the
 * end. Use it to show the result, or to plan the next change on top of this one.
 */
export function applyFileEdits(files: readonly SourceFile[], edits: readonly FileEdit[]): SourceFile[] {
  const after = new Map(edits.map((e) => [e.path, e.after]));
  const out = files.map((f) => (after.has(f.path) ? { path: f.path, text: after.get(f.path)! } : f));
  const known = new Set(files.map((f) => f.path));
  for (const edit of edits) if (!known.has(edit.path)) out.push({ path: edit.path, text: edit.after });
  return out;
}
