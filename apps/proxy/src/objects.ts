import type { ManifestFile } from '@netpol-atlas/live-protocol';
import { stringify } from 'yaml';
import { apiVersionOf, type ResourceSpec } from './resources.ts';

/** A Kubernetes object as JSON. */
export type KubeJson = Record<string, unknown>;

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Prepares an object from the API server for the browser: list items lack `apiVersion` and
 * `kind`, so they are set from the resource; `managedFields` (large, and naming every client
 * that ever wrote the object) and kubectl's last-applied copy are dropped. Returns undefined for
 * something that is not an object with a name.
 */
export function cleanObject(value: unknown, resource: ResourceSpec): KubeJson | undefined {
  if (!isRecord(value) || !isRecord(value.metadata) || typeof value.metadata.name !== 'string')
    return undefined;
  const { managedFields: _managed, selfLink: _selfLink, ...metadata } = value.metadata;
  if (isRecord(metadata.annotations) && LAST_APPLIED in metadata.annotations) {
    const { [LAST_APPLIED]: _lastApplied, ...annotations } = metadata.annotations;
    if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
    else delete metadata.annotations;
  }
  const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = value;
  if (resource.group === '' && resource.kind === 'Node') trimNodeStatus(rest);
  return { apiVersion: apiVersionOf(resource), kind: resource.kind, metadata, ...rest };
}

/**
 * A Node's status is mostly images, conditions and heartbeats: large, and changing on every
 * kubelet report. Policies only see a node's labels and addresses, so only the addresses stay.
 */
function trimNodeStatus(node: Record<string, unknown>): void {
  if (!isRecord(node.status)) return;
  const addresses = node.status.addresses;
  if (Array.isArray(addresses)) node.status = { addresses };
  else delete node.status;
}

/** True when two cleaned objects differ in more than their resourceVersion. */
export function changedBeyondVersion(before: KubeJson | undefined, after: KubeJson): boolean {
  if (before === undefined) return true;
  const strip = (o: KubeJson) => {
    const { resourceVersion: _rv, ...metadata } = o.metadata as Record<string, unknown>;
    return JSON.stringify({ ...o, metadata });
  };
  return strip(before) !== strip(after);
}

/** `namespace/name` (or `name` for cluster-scoped objects): the key of an object in a list. */
export function objectKey(object: KubeJson): string {
  const metadata = object.metadata as { name: string; namespace?: unknown };
  return typeof metadata.namespace === 'string' ? `${metadata.namespace}/${metadata.name}` : metadata.name;
}

/** The object's resourceVersion, if it has one. */
export function resourceVersionOf(object: KubeJson): string | undefined {
  const metadata = object.metadata as { resourceVersion?: unknown } | undefined;
  return typeof metadata?.resourceVersion === 'string' ? metadata.resourceVersion : undefined;
}

/** A context name as a path segment: no separators, nothing a file system dislikes. */
export function safeSegment(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_');
  return cleaned === '' ? '_' : cleaned.slice(0, 100);
}

/**
 * The file of the bundle that holds objects of `resource` in `namespace`: one folder per
 * namespace (`cluster/` for cluster-scoped kinds), one file per resource. Optional kinds carry
 * their group, since Calico's NetworkPolicy shares a plural with Kubernetes'.
 */
export function bundlePath(context: string, resource: ResourceSpec, namespace: string | undefined): string {
  const folder = resource.namespaced ? safeSegment(namespace ?? 'default') : 'cluster';
  const name = resource.optional ? `${resource.plural}.${resource.group}` : resource.plural;
  return `${safeSegment(context)}/${folder}/${name}.yaml`;
}

/**
 * Writes the objects of one resource as manifest files (multi-document YAML), sorted by
 * namespace and name so an unchanged cluster always yields byte-identical files.
 */
export function resourceFiles(
  context: string,
  resource: ResourceSpec,
  objects: Iterable<KubeJson>,
): ManifestFile[] {
  const byFile = new Map<string, KubeJson[]>();
  for (const object of objects) {
    const ns = (object.metadata as { namespace?: unknown }).namespace;
    const path = bundlePath(context, resource, typeof ns === 'string' ? ns : undefined);
    const list = byFile.get(path);
    if (list) list.push(object);
    else byFile.set(path, [object]);
  }
  const files: ManifestFile[] = [];
  for (const [path, list] of byFile) {
    list.sort((a, b) => compare(objectKey(a), objectKey(b)));
    const header = `# netpol-atlas live snapshot: ${resource.kind} (${apiVersionOf(resource)}) from context ${context}\n`;
    const docs = list.map((o) => stringify(o, { lineWidth: 0 }));
    files.push({ path, text: header + docs.join('---\n') });
  }
  return files.sort((a, b) => compare(a.path, b.path));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One multi-document YAML stream of a bundle, each file introduced by a comment. */
export function bundleAsYaml(files: readonly ManifestFile[]): string {
  return files
    .map((f) => `# file: ${f.path}\n${f.text.endsWith('\n') ? f.text : `${f.text}\n`}`)
    .join('---\n');
}
