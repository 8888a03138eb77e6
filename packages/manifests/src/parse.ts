import { readNodeAddresses } from './clusterPolicyDecode.ts';
import { FieldReader, isRecord } from './decode.ts';
import type { Diagnostic, Locator } from './diagnostics.ts';
import { readClusterPolicy, readPod, readWorkload } from './objectReaders.ts';
import { sharedString } from './sharedStrings.ts';
import type {
  ClusterPolicyKind,
  KubeObject,
  NetworkPolicyObject,
  ObjectSource,
  ServiceObject,
  SourceFile,
  WorkloadKind,
} from './types.ts';
import { CLUSTER_POLICY_KINDS, WORKLOAD_KINDS } from './types.ts';
import { validateObject } from './validate/object.ts';
import type { ValidationOptions } from './validate/options.ts';
import {
  DEFAULT_MAX_NESTING_DEPTH,
  type DecodedDocument,
  type DecodeOptions,
  decodeDocuments,
} from './yamlDocuments.ts';

/** Limits that keep hostile or accidental input from exhausting the browser or the CLI. */
export interface ParseOptions {
  /** Files larger than this are refused. Default 16 MiB. */
  maxFileBytes?: number;
  /** Alias expansions allowed per document. Default 100. */
  maxAliasCount?: number;
  /**
   * Nesting allowed per document (collections inside collections); deeper documents are refused
   * before they are parsed. Default 100: the deepest real manifests (CRD schemas) stay under
   * about 40, while parsing a document thousands of levels deep exhausts the stack.
   */
  maxNestingDepth?: number;
  /**
   * Stop reading a file at its first YAML syntax error, as netpol-analyzer's decoder does,
   * instead of going on with the next document. Default false.
   */
  stopAtSyntaxError?: boolean;
  /** The API server the validation imitates, and what it does with unknown fields. */
  validation?: ValidationOptions;
}

/** A decoded object of a kind that is not analysed, kept for tools that show or save it. */
export interface UnanalysedObject {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string | undefined;
  source: ObjectSource;
  raw: Readonly<Record<string, unknown>>;
}

/** Everything read from a set of files. Never throws on user input. */
export interface ParseResult {
  objects: KubeObject[];
  unanalysed: UnanalysedObject[];
  diagnostics: Diagnostic[];
}

const DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024;
const DEFAULT_MAX_ALIASES = 100;

/**
 * Policy kinds that change connectivity but are not evaluated (yet): skipping them silently would
 * present an incomplete picture as the truth, so they are warned about.
 */
const UNEVALUATED_POLICY_KINDS = new Set([
  'CiliumNetworkPolicy',
  'CiliumClusterwideNetworkPolicy',
  'GlobalNetworkPolicy',
  'MultiNetworkPolicy',
]);

function isUnevaluatedPolicy(kind: string, apiVersion: string): boolean {
  // Calico's namespaced policy shares the NetworkPolicy kind under its own API group.
  return (
    UNEVALUATED_POLICY_KINDS.has(kind) ||
    (kind === 'NetworkPolicy' && /(^|\.)projectcalico\.org\//.test(apiVersion))
  );
}

/**
 * The kinds analysed (objects of other kinds only carry configuration irrelevant to connectivity:
 * skipped quietly), each mapped to its name as a constant: every object of a kind then carries
 * the same string, which the build's kind tests compare by reference.
 */
const ANALYSED_KINDS = new Map<string, string>(
  ['Namespace', 'Pod', 'Service', 'NetworkPolicy', 'Node', ...CLUSTER_POLICY_KINDS, ...WORKLOAD_KINDS].map(
    (kind) => [kind, kind],
  ),
);

const CLUSTER_POLICY_KIND_SET: ReadonlySet<string> = new Set(CLUSTER_POLICY_KINDS);

/**
 * Parses YAML/JSON manifest files (multi-document streams, `List` and typed `...List` kinds)
 * into typed objects. Bad files and bad documents produce diagnostics; the rest still loads.
 */
export function parseManifests(files: readonly SourceFile[], options: ParseOptions = {}): ParseResult {
  const result: ParseResult = { objects: [], unanalysed: [], diagnostics: [] };
  for (const file of files) {
    const one = parseFile(file, options);
    result.objects.push(...one.objects);
    result.unanalysed.push(...one.unanalysed);
    result.diagnostics.push(...one.diagnostics);
  }
  return result;
}

/** Parses one file. See {@link parseManifests}. */
export function parseFile(file: SourceFile, options: ParseOptions = {}): ParseResult {
  const result: ParseResult = { objects: [], unanalysed: [], diagnostics: [] };
  const tooLarge = fileTooLarge(file, options);
  if (tooLarge) {
    result.diagnostics.push(tooLarge);
    return result;
  }
  const { documents, diagnostics } = decodeDocuments(file.path, file.text, decodeOptions(options));
  result.diagnostics.push(...diagnostics);
  readDocuments(file.path, documents, plainSources, result, options);
  return result;
}

/** The refusal of a file over `maxFileBytes`, or undefined when the file may be read. */
export function fileTooLarge(file: SourceFile, options: ParseOptions): Diagnostic | undefined {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  // String length counts UTF-16 units; it is a cheap lower bound of the byte size.
  if (file.text.length <= maxBytes) return undefined;
  return {
    code: 'file-too-large',
    severity: 'error',
    message: `file is larger than ${formatBytes(maxBytes)} (${formatBytes(file.text.length)}); not loaded`,
    file: file.path,
    field: '',
    range: undefined,
  };
}

/** The options {@link decodeDocuments} needs, with defaults applied. */
export function decodeOptions(options: ParseOptions): DecodeOptions {
  return {
    maxAliasCount: options.maxAliasCount ?? DEFAULT_MAX_ALIASES,
    maxNestingDepth: options.maxNestingDepth ?? DEFAULT_MAX_NESTING_DEPTH,
    stopAtSyntaxError: options.stopAtSyntaxError ?? false,
  };
}

/**
 * How objects learn where they came from. {@link parseFile} gives plain data; the incremental
 * parser gives sources whose positions follow their document when it moves.
 */
export interface SourceFactory {
  /** The source of a whole document. */
  document(file: string, doc: DecodedDocument): ObjectSource;
  /** The source of item `index` of the `List` document (or list item) at `list`. */
  item(list: ObjectSource, index: number): ObjectSource;
}

const plainSources: SourceFactory = {
  document: (file, doc) => ({ file, document: doc.index, range: doc.range, locate: doc.locate }),
  item: (list, index) => {
    const locate: Locator = (path) => list.locate(['items', index, ...path]);
    return { ...list, item: index, range: list.locate(['items', index]), locate };
  },
};

/**
 * Reads decoded documents into typed objects, appending objects and diagnostics to `out` in
 * document order.
 */
export function readDocuments(
  file: string,
  documents: readonly DecodedDocument[],
  sources: SourceFactory,
  out: ParseResult,
  options: ParseOptions = {},
): void {
  for (const doc of documents) {
    if (doc.value === null || doc.value === undefined) continue;
    if (!isRecord(doc.value) || (doc.value.kind === undefined && doc.value.apiVersion === undefined)) {
      out.diagnostics.push({
        code: 'not-a-manifest',
        severity: 'warning',
        message: 'not a Kubernetes manifest (no apiVersion and kind); skipped',
        file,
        field: '',
        range: doc.range,
      });
      continue;
    }
    readTopLevel(doc.value, sources.document(file, doc), sources, out, options);
  }
}

function readTopLevel(
  value: Readonly<Record<string, unknown>>,
  source: ObjectSource,
  sources: SourceFactory,
  out: ParseResult,
  options: ParseOptions,
): void {
  const kind = value.kind;
  if (typeof kind !== 'string' || kind === '' || typeof value.apiVersion !== 'string') {
    const missing = typeof kind !== 'string' || kind === '' ? 'kind' : 'apiVersion';
    out.diagnostics.push({
      code: missing === 'kind' ? 'missing-kind' : 'missing-api-version',
      severity: 'error',
      message: `Object '${missing === 'kind' ? 'Kind' : 'apiVersion'}' is missing in ${preview(value)}`,
      file: source.file,
      field: missing,
      range: source.range,
    });
    return;
  }
  if (kind.endsWith('List') && Array.isArray(value.items)) {
    const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
    value.items.forEach((item, i) => {
      const itemSource = sources.item(source, i);
      if (!isRecord(item)) {
        out.diagnostics.push({
          code: 'not-a-manifest',
          severity: 'warning',
          message: `${kind} item ${i} is not an object; skipped`,
          file: source.file,
          field: `items[${i}]`,
          range: itemSource.range,
        });
        return;
      }
      // Typed lists (PodList) may omit kind/apiVersion on their items, as `kubectl get -o yaml` does.
      const filled = {
        ...item,
        kind: item.kind ?? itemKind,
        apiVersion: item.apiVersion ?? value.apiVersion,
      };
      readTopLevel(filled, itemSource, sources, out, options);
    });
    return;
  }
  readObject(kind, value.apiVersion, value, source, out, options);
}

function readObject(
  written: string,
  writtenVersion: string,
  raw: Readonly<Record<string, unknown>>,
  source: ObjectSource,
  out: ParseResult,
  options: ParseOptions,
): void {
  const kind = ANALYSED_KINDS.get(written) ?? written;
  const apiVersion = sharedString(writtenVersion);
  const metadata = isRecord(raw.metadata) ? raw.metadata : {};
  const label = `${typeof metadata.namespace === 'string' ? `${metadata.namespace}/` : ''}${String(metadata.name ?? '')}`;
  const reader = new FieldReader(source, kind, label);
  if (!ANALYSED_KINDS.has(kind) || isUnevaluatedPolicy(kind, apiVersion)) {
    const policy = isUnevaluatedPolicy(kind, apiVersion);
    out.unanalysed.push({
      apiVersion,
      kind,
      name: typeof metadata.name === 'string' ? metadata.name : '',
      namespace: typeof metadata.namespace === 'string' ? metadata.namespace : undefined,
      source,
      raw,
    });
    out.diagnostics.push({
      code: policy ? 'policy-kind-not-evaluated' : 'unknown-kind',
      severity: policy ? 'warning' : 'info',
      message: policy
        ? `${kind} (${apiVersion}) "${label}" is not evaluated yet: the connectivity shown ignores it`
        : `${kind} (${apiVersion}) "${label}" is not analysed; skipped`,
      file: source.file,
      field: 'kind',
      range: source.locate(['kind']),
      object: label,
      kind,
    });
    return;
  }
  const validation = validateObject(kind, raw, source.locate, source.file, options.validation);
  const metadataValue = reader.meta(raw);
  const base = { apiVersion, metadata: metadataValue, source, raw };
  // Objects are written out field by field, not spread from `base`: a literal keeps every field
  // inside the object, where a spread moves those past the first few to a separate allocation,
  // one more scattered read for each object a build visits.
  let object: KubeObject | undefined;
  if (kind === 'Namespace') {
    object = { apiVersion, metadata: metadataValue, source, raw, kind };
  } else if (kind === 'Pod') {
    object = readPod(reader, raw, base);
  } else if (kind === 'Service') {
    const spec = reader.map(raw.spec, ['spec']) ?? {};
    const service: ServiceObject = {
      apiVersion,
      metadata: metadataValue,
      source,
      raw,
      kind,
      selector: spec.selector == null ? undefined : reader.labels(spec.selector, ['spec', 'selector']),
      ports: reader.servicePorts(spec.ports, ['spec', 'ports']),
    };
    object = service;
  } else if (kind === 'Node') {
    object = {
      apiVersion,
      metadata: metadataValue,
      source,
      raw,
      kind,
      addresses: readNodeAddresses(reader, raw),
    };
  } else if (CLUSTER_POLICY_KIND_SET.has(kind)) {
    object = readClusterPolicy(reader, kind as ClusterPolicyKind, raw, base, out.diagnostics);
  } else if (kind === 'NetworkPolicy') {
    const spec = reader.networkPolicySpec(raw);
    // A malformed name makes the API server refuse the object but leaves its meaning clear, so
    // the policy is still analysed (and the error still reported); spec errors make it unusable.
    const specErrors = validation.filter((d) => d.severity === 'error' && !d.code.startsWith('meta-'));
    const valid = specErrors.length === 0 && reader.diagnostics.length === 0;
    const policy: NetworkPolicyObject = {
      apiVersion,
      metadata: metadataValue,
      source,
      raw,
      kind,
      spec,
      valid,
    };
    if (apiVersion !== 'networking.k8s.io/v1') {
      // Reported after the validation and before what the reader found, as it always was.
      reader.diagnostics.unshift({
        code: 'np-api-version',
        severity: 'warning',
        message: `NetworkPolicy apiVersion ${apiVersion} is not served by current Kubernetes; use networking.k8s.io/v1`,
        file: source.file,
        field: 'apiVersion',
        range: source.locate(['apiVersion']),
        object: label,
        kind,
      });
    }
    object = policy;
  } else {
    object = readWorkload(reader, kind as WorkloadKind, raw, base);
  }
  out.diagnostics.push(...withoutRepeatedTypeErrors(kind, validation, reader.diagnostics));
  out.objects.push(object);
}

/**
 * Both the validator and the reader report a value of the wrong type: keep one of each. A
 * NetworkPolicy keeps the validator's (the API server's wording, its `ipBlock.cidr` paths);
 * other kinds keep the reader's `type-mismatch`, which is what their consumers key on. A map
 * entry is `labels[key]` for one and `labels.key` for the other: they are matched by place too.
 */
function withoutRepeatedTypeErrors(
  kind: string,
  validation: readonly Diagnostic[],
  read: readonly Diagnostic[],
): Diagnostic[] {
  // Nearly always: nothing to weed out.
  if (read.length === 0) return validation.slice();
  const keys = (list: readonly Diagnostic[]) => new Set(list.flatMap((d) => [d.field, rangeKey(d)]));
  if (kind === 'NetworkPolicy') {
    const reported = new Set(validation.map((d) => d.field));
    return [...validation, ...read.filter((d) => !reported.has(d.field))];
  }
  const readKeys = keys(read.filter((d) => d.code === 'type-mismatch'));
  const kept = validation.filter(
    (d) => d.code !== 'np-type' || !(readKeys.has(d.field) || readKeys.has(rangeKey(d))),
  );
  return [...kept, ...read];
}

function rangeKey(d: Diagnostic): string {
  return d.range === undefined ? `field:${d.field}` : `${d.range.start.line}:${d.range.start.column}`;
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? '';
  return `'${text.length > 120 ? `${text.slice(0, 117)}...` : text}'`;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}
