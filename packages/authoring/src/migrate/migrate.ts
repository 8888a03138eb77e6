// A set of manifests with its v1alpha1 cluster policies (AdminNetworkPolicy,
// BaselineAdminNetworkPolicy) replaced by ClusterNetworkPolicies: names and priorities chosen for
// the whole set, each object converted in place in its file (comments and the other documents
// kept), and every problem returned as a value.

import {
  type ClusterPolicyObject,
  type Diagnostic,
  formatFieldPath,
  type KubeObject,
  type ParseResult,
  type SourceFile,
} from '@netpol-atlas/manifests';
import { workspaceOf } from '../compiled.ts';
import type { FileEdit, PlanSource } from '../types.ts';
import { DEFAULT_STYLE, renderDocument, rewriteDocument } from '../yamlEdit.ts';
import { documentSegment, splitStream } from '../yamlText.ts';
import { convertObject } from './convertObject.ts';
import { keysFirst } from './keyOrder.ts';
import type { ConvertedPolicy, FileMapping, Migration, MigrationIssue, MigrationOptions } from './types.ts';

type LegacyPolicy = ClusterPolicyObject & { kind: 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy' };

function isLegacy(object: KubeObject): object is LegacyPolicy {
  return object.kind === 'AdminNetworkPolicy' || object.kind === 'BaselineAdminNetworkPolicy';
}

/** `Kind/name`, as the evaluator names cluster policies. */
function idOf(object: { kind: string; metadata: { name: string } }): string {
  return `${object.kind}/${object.metadata.name}`;
}

/** A CNP's place in evaluation order: its tier and priority, with the name for messages. */
interface Slot {
  id: string;
  tier: string;
  priority: number;
  /** The original object when it was converted, for locating issues. */
  source: LegacyPolicy | undefined;
}

/**
 * Converts every AdminNetworkPolicy and BaselineAdminNetworkPolicy of `source` (files, or a
 * compiled workspace's current revision) to a ClusterNetworkPolicy. Each converted document is
 * rewritten in place, keeping its comments and every other document of its file byte for byte;
 * files with nothing to convert are returned unchanged.
 *
 * The mapping (see the spec in network-policy-api v1alpha1 and v1alpha2): an ANP becomes an Admin
 * tier policy at its own priority (both versions use 0..1000), the BANP singleton a Baseline tier
 * policy (at `options.baselinePriority`, default 0); `Allow` becomes `Accept`; `ports`
 * (`portNumber`, `portRange`, `namedPort`) become `protocols` (`tcp`/`udp`/`sctp` with
 * `destinationPort.number` or `.range`, or `destinationNamedPort`); subjects and peers keep their
 * shape. What cannot be carried over exactly is in `issues`, never dropped silently: fields of
 * early v1alpha1 releases (`sameLabels`, `notSameLabels`) and unknown fields, v1alpha2's smaller
 * limits, names already taken (the object is renamed) and priorities shared within a tier.
 */
export function migrateClusterPolicies(source: PlanSource, options: MigrationOptions = {}): Migration {
  const workspace = workspaceOf(source);
  const { files, result: parsed } = workspace.parsed();
  const baselinePriority = options.baselinePriority ?? 0;
  const legacy = parsed.objects.filter(isLegacy);
  let enforced: Set<ClusterPolicyObject> | undefined;
  const inForce = () => {
    enforced ??= new Set(workspace.cluster().cluster.clusterPolicies.map((p) => p.object));
    return enforced;
  };
  const issues: MigrationIssue[] = [];
  const issue = (
    object: LegacyPolicy,
    entry: Omit<MigrationIssue, 'file' | 'object' | 'range' | 'field'>,
    path: (string | number)[] = [],
  ) => {
    issues.push({
      ...entry,
      file: object.source.file,
      object: idOf(object),
      field: formatFieldPath(path),
      range: path.length === 0 ? object.source.range : (object.source.locate(path) ?? object.source.range),
    });
  };

  // Names: cluster-scoped, shared by every ClusterNetworkPolicy, existing ones first.
  const taken = new Set(
    parsed.objects.filter((o) => o.kind === 'ClusterNetworkPolicy').map((o) => o.metadata.name),
  );
  const slots: Slot[] = parsed.objects
    .filter((o): o is ClusterPolicyObject => o.kind === 'ClusterNetworkPolicy')
    .map((o) => ({ id: idOf(o), tier: o.spec.tier, priority: o.spec.priority, source: undefined }));
  const converted: ConvertedPolicy[] = [];
  const values = new Map<LegacyPolicy, Record<string, unknown>>();
  // Same-kind duplicates in the original set keep one name, so the converted set has the same
  // duplicate (the evaluator, like the API server, keeps one object per kind and name).
  const renamed = new Map<string, string>();
  const convertible: LegacyPolicy[] = [];
  for (const object of legacy) {
    // An object the API server refuses is not in the cluster: converting it could make a broken
    // object valid (v1alpha2 accepts some shapes v1alpha1 refuses) and change what the set
    // allows, so it stays as it is. Under netpol-analyzer's reading some such objects are in
    // force (an absent pods selector read as {}): those are converted as read.
    const asRead = !object.valid && inForce().has(object);
    if (!object.valid) {
      issue(object, {
        code: 'invalid-source',
        severity: asRead ? 'warning' : 'error',
        message: asRead
          ? `the API server would refuse this ${object.kind}${firstError(parsed, object)}; the analysis reads it as netpol-analyzer does (an absent pods selector is {}), and so does the conversion, which writes that selector out`
          : `the API server would refuse this ${object.kind}${firstError(parsed, object)}: not converted (it is left as it is); fix it and convert again`,
      });
      if (!asRead) continue;
    }
    convertible.push(object);
    const tier = object.kind === 'AdminNetworkPolicy' ? 'Admin' : 'Baseline';
    const duplicate = renamed.get(idOf(object));
    const name = duplicate ?? freeName(object.metadata.name, tier, taken);
    taken.add(name);
    renamed.set(idOf(object), name);
    if (duplicate !== undefined) {
      issue(
        object,
        {
          code: 'duplicate-name',
          severity: 'warning',
          message: `another ${object.kind} is named "${object.metadata.name}": the API server keeps one of them; the converted set keeps the same duplicate, named "${name}"`,
        },
        ['metadata', 'name'],
      );
    } else if (name !== object.metadata.name) {
      issue(
        object,
        {
          code: 'name-collision',
          severity: 'warning',
          message: `a ClusterNetworkPolicy named "${object.metadata.name}" already exists or was converted first: renamed "${name}"`,
        },
        ['metadata', 'name'],
      );
    }
    const result = convertObject(object.raw as Record<string, unknown>, object.kind, {
      name,
      tier,
      baselinePriority,
      absentSelectorsAsEmpty: asRead,
    });
    for (const found of result.issues) issue(object, found, found.path);
    values.set(object, result.value);
    const spec = result.value.spec as { priority: unknown };
    const priority = typeof spec.priority === 'number' ? spec.priority : Number.NaN;
    slots.push({ id: `ClusterNetworkPolicy/${name}`, tier, priority, source: object });
    converted.push({
      from: {
        kind: object.kind,
        name: object.metadata.name,
        file: object.source.file,
        document: object.source.document,
        ...(object.source.item === undefined ? {} : { item: object.source.item }),
      },
      to: { name, tier, priority, file: object.source.file },
      yaml: renderDocument(result.value, DEFAULT_STYLE),
    });
  }
  reportTies(slots, issue);

  const edits = rewriteFiles(files, convertible, values, converted);
  const after = new Map(edits.map((e) => [e.path, e.after]));
  const mapping: FileMapping[] = [];
  for (const file of files) {
    const ids = convertible.filter((o) => o.source.file === file.path).map(idOf);
    if (ids.length > 0) mapping.push({ from: file.path, to: file.path, converted: ids });
  }
  return {
    converted,
    files: files.map((f) => (after.has(f.path) ? { path: f.path, text: after.get(f.path)! } : f)),
    edits,
    mapping,
    issues,
  };
}

/** The name itself when free, else `name-admin`/`name-baseline`, then numbered. */
function freeName(name: string, tier: 'Admin' | 'Baseline', taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  const base = `${name}-${tier.toLowerCase()}`;
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** `: <first error message>` of an object the API server would refuse, for the issue's message. */
function firstError(parsed: ParseResult, object: LegacyPolicy): string {
  const range = object.source.range;
  const error = parsed.diagnostics.find(
    (d: Diagnostic) =>
      d.severity === 'error' &&
      d.file === object.source.file &&
      d.kind === object.kind &&
      (d.range && range
        ? d.range.start.line >= range.start.line && d.range.start.line <= range.end.line
        : d.object === object.metadata.name),
  );
  return error ? ` (${error.field ? `${error.field}: ` : ''}${error.message})` : '';
}

/**
 * Every tier-and-priority shared by a converted policy and another one: which applies first is
 * implementation-defined (the evaluator orders them by kind and name, and conversion changes the
 * kind, so their order may change too; the equivalence check shows whether it matters).
 */
function reportTies(
  slots: readonly Slot[],
  issue: (
    object: LegacyPolicy,
    entry: Omit<MigrationIssue, 'file' | 'object' | 'range' | 'field'>,
    path?: (string | number)[],
  ) => void,
): void {
  for (let i = 0; i < slots.length; i++) {
    const a = slots[i]!;
    for (let j = i + 1; j < slots.length; j++) {
      const b = slots[j]!;
      if (a.tier !== b.tier || a.priority !== b.priority || a.id === b.id) continue;
      const object = b.source ?? a.source;
      if (!object) continue;
      const before =
        a.source && b.source
          ? 'as they did before the conversion'
          : 'one of them was a ClusterNetworkPolicy already';
      issue(
        object,
        {
          code: 'priority-tie',
          severity: 'warning',
          message: `${a.id} and ${b.id} share priority ${a.priority} in the ${a.tier} tier (${before}): if their rules overlap, which applies first is implementation-defined; give them distinct priorities`,
        },
        object.kind === 'AdminNetworkPolicy' ? ['spec', 'priority'] : ['metadata', 'name'],
      );
    }
  }
}

/** The changed files: each converted document rewritten in place, the rest kept byte for byte. */
function rewriteFiles(
  files: readonly SourceFile[],
  objects: readonly LegacyPolicy[],
  values: ReadonlyMap<LegacyPolicy, Record<string, unknown>>,
  converted: readonly ConvertedPolicy[],
): FileEdit[] {
  const edits: FileEdit[] = [];
  for (const file of files) {
    const here = objects.filter((o) => o.source.file === file.path);
    if (here.length === 0) continue;
    const changes = here.map((o) => {
      const to = converted[objects.indexOf(o)]!.to;
      return `${idOf(o)} → ClusterNetworkPolicy/${to.name} (${to.tier} tier, priority ${to.priority})`;
    });
    const after =
      (/\.json$/i.test(file.path) && rewriteJson(file.text, here, values)) ||
      rewriteYaml(file.text, here, values);
    edits.push({ path: file.path, before: file.text, after, changes });
  }
  return edits;
}

function rewriteYaml(
  text: string,
  objects: readonly LegacyPolicy[],
  values: ReadonlyMap<LegacyPolicy, Record<string, unknown>>,
): string {
  const segments = splitStream(text);
  for (const object of objects) {
    const index = documentSegment(segments, object.source.document);
    if (index < 0) throw new Error(`document ${object.source.document} of ${object.source.file} not found`);
    const path: (string | number)[] = object.source.item === undefined ? [] : ['items', object.source.item];
    const rewritten = rewriteDocument(segments[index]!.text, path, values.get(object));
    segments[index]!.text = keysFirst(rewritten, [...path, 'spec'], ['tier', 'priority']);
  }
  return segments.map((s) => s.text).join('');
}

/**
 * A JSON file holds one document (an object or a List): it is printed again as JSON. Undefined
 * when the text is not strict JSON (the YAML reader took it): it is then rewritten as YAML.
 */
function rewriteJson(
  text: string,
  objects: readonly LegacyPolicy[],
  values: ReadonlyMap<LegacyPolicy, Record<string, unknown>>,
): string | undefined {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return undefined;
  }
  for (const object of objects) {
    const value = values.get(object);
    if (object.source.item === undefined) document = value;
    else (document as { items: unknown[] }).items[object.source.item] = value;
  }
  return `${JSON.stringify(document, null, 2)}\n`;
}
