import { type Diagnostic, formatFieldPath, type PathSegment } from './diagnostics.ts';
import { sharedString } from './sharedStrings.ts';
import type {
  ContainerPort,
  IPBlock,
  LabelSelector,
  LabelSelectorRequirement,
  Labels,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  NetworkPolicyRule,
  NetworkPolicySpec,
  ObjectMeta,
  ObjectSource,
  OwnerReference,
  PodTemplate,
  ServicePort,
} from './types.ts';

type Json = Readonly<Record<string, unknown>>;

/**
 * Reads typed fields out of one decoded object and reports type mismatches the way the API
 * server's decoder would, instead of throwing. Missing optional fields are simply `undefined`.
 */
export class FieldReader {
  readonly diagnostics: Diagnostic[] = [];
  /** Fields already reported: a field read twice (pod labels) is reported once. */
  private readonly reported = new Set<string>();

  constructor(
    private readonly source: ObjectSource,
    private readonly kind: string,
    private readonly objectName: string,
  ) {}

  private mismatch(path: readonly PathSegment[], expected: string, value: unknown): void {
    const field = formatFieldPath(path);
    if (this.reported.has(field)) return;
    this.reported.add(field);
    this.diagnostics.push({
      code: 'type-mismatch',
      severity: 'error',
      message: `Invalid value: ${describe(value)}: must be ${expected}`,
      file: this.source.file,
      field,
      range: this.source.locate(path),
      object: this.objectName,
      kind: this.kind,
    });
  }

  map(value: unknown, path: readonly PathSegment[]): Json | undefined {
    if (value === undefined || value === null) return undefined;
    if (isRecord(value)) return value;
    this.mismatch(path, 'an object', value);
    return undefined;
  }

  list(value: unknown, path: readonly PathSegment[]): readonly unknown[] | undefined {
    if (value === undefined || value === null) return undefined;
    if (Array.isArray(value)) return value;
    this.mismatch(path, 'a list', value);
    return undefined;
  }

  string(value: unknown, path: readonly PathSegment[]): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    this.mismatch(path, 'a string', value);
    return undefined;
  }

  integer(value: unknown, path: readonly PathSegment[]): number | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' && Number.isInteger(value)) return value;
    this.mismatch(path, 'an integer', value);
    return undefined;
  }

  boolean(value: unknown, path: readonly PathSegment[]): boolean | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'boolean') return value;
    this.mismatch(path, 'a boolean', value);
    return undefined;
  }

  /** An int-or-string field (`port`, `targetPort`). */
  intOrString(value: unknown, path: readonly PathSegment[]): number | string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value))) return value;
    this.mismatch(path, 'an integer or a string', value);
    return undefined;
  }

  /**
   * A string-to-string map. Label values are shared (see {@link sharedString}): selectors compare
   * them by the thousand; annotations (`shared` false) are rarely read and can be large.
   */
  labels(value: unknown, path: readonly PathSegment[], shared = true): Labels {
    const map = this.map(value, path);
    if (!map) return {};
    const out: Record<string, string> = {};
    for (const [key, v] of Object.entries(map)) {
      const s = this.string(v, [...path, key]);
      if (s !== undefined) out[key] = shared ? sharedString(s) : s;
    }
    return out;
  }

  /** A string field whose text repeats across objects (a namespace, a kind), shared. */
  private sharedString(value: unknown, path: readonly PathSegment[]): string | undefined {
    const s = this.string(value, path);
    return s === undefined ? undefined : sharedString(s);
  }

  meta(raw: Json): ObjectMeta {
    const metadata = this.map(raw.metadata, ['metadata']) ?? {};
    const owners: OwnerReference[] = [];
    const refs = this.list(metadata.ownerReferences, ['metadata', 'ownerReferences']) ?? [];
    refs.forEach((ref, i) => {
      const path = ['metadata', 'ownerReferences', i];
      const r = this.map(ref, path);
      if (!r) return;
      // The pods of one owner name it alike: shared, their grouping compares one string.
      owners.push({
        apiVersion: this.sharedString(r.apiVersion, [...path, 'apiVersion']) ?? '',
        kind: this.sharedString(r.kind, [...path, 'kind']) ?? '',
        name: this.sharedString(r.name, [...path, 'name']) ?? '',
        uid: this.string(r.uid, [...path, 'uid']) ?? '',
        controller: this.boolean(r.controller, [...path, 'controller']) ?? false,
      });
    });
    const name =
      this.string(metadata.name, ['metadata', 'name']) ??
      this.string(metadata.generateName, ['metadata', 'generateName']) ??
      '';
    return {
      name,
      namespace: this.sharedString(metadata.namespace, ['metadata', 'namespace']) || undefined,
      labels: this.labels(metadata.labels, ['metadata', 'labels']),
      annotations: this.labels(metadata.annotations, ['metadata', 'annotations'], false),
      ownerReferences: owners,
    };
  }

  /** Labels and container ports of a pod spec (`spec`) with its metadata (`metadata`). */
  podTemplate(metadata: unknown, spec: unknown, path: readonly PathSegment[]): PodTemplate {
    const meta = this.map(metadata, [...path, 'metadata']) ?? {};
    const podSpec = this.map(spec, [...path, 'spec']) ?? {};
    const ports: ContainerPort[] = [];
    const readContainers = (field: 'containers' | 'initContainers') => {
      const containers = this.list(podSpec[field], [...path, 'spec', field]) ?? [];
      containers.forEach((c, ci) => {
        const cPath = [...path, 'spec', field, ci];
        const container = this.map(c, cPath);
        if (!container) return;
        // Only restartable init containers (sidecars) keep running and can serve traffic.
        if (field === 'initContainers' && container.restartPolicy !== 'Always') return;
        const list = this.list(container.ports, [...cPath, 'ports']) ?? [];
        list.forEach((p, pi) => {
          const pPath = [...cPath, 'ports', pi];
          const port = this.map(p, pPath);
          if (!port) return;
          const number = this.integer(port.containerPort, [...pPath, 'containerPort']);
          if (number === undefined) return;
          ports.push({
            name: this.string(port.name, [...pPath, 'name']),
            containerPort: number,
            protocol: this.string(port.protocol, [...pPath, 'protocol']) ?? 'TCP',
          });
        });
      });
    };
    readContainers('containers');
    readContainers('initContainers');
    return {
      labels: this.labels(meta.labels, [...path, 'metadata', 'labels']),
      ports,
      hostNetwork: this.boolean(podSpec.hostNetwork, [...path, 'spec', 'hostNetwork']) ?? false,
    };
  }

  selector(value: unknown, path: readonly PathSegment[]): LabelSelector | undefined {
    if (value === undefined || value === null) return undefined;
    const map = this.map(value, path);
    if (!map) return { matchLabels: undefined, matchExpressions: undefined };
    const expressions = this.list(map.matchExpressions, [...path, 'matchExpressions']);
    const requirements: LabelSelectorRequirement[] = [];
    expressions?.forEach((e, i) => {
      const ePath = [...path, 'matchExpressions', i];
      const expr = this.map(e, ePath);
      if (!expr) return;
      const values = this.list(expr.values, [...ePath, 'values']) ?? [];
      requirements.push({
        key: this.string(expr.key, [...ePath, 'key']) ?? '',
        operator: this.string(expr.operator, [...ePath, 'operator']) ?? '',
        values: values.flatMap((v, vi) => {
          const s = this.string(v, [...ePath, 'values', vi]);
          return s === undefined ? [] : [s];
        }),
      });
    });
    return {
      matchLabels:
        map.matchLabels == null ? undefined : this.labels(map.matchLabels, [...path, 'matchLabels']),
      matchExpressions: expressions === undefined ? undefined : requirements,
    };
  }

  networkPolicySpec(raw: Json): NetworkPolicySpec {
    const spec = this.map(raw.spec, ['spec']) ?? {};
    const policyTypes = this.list(spec.policyTypes, ['spec', 'policyTypes']);
    return {
      podSelector: this.selector(spec.podSelector, ['spec', 'podSelector']) ?? {
        matchLabels: undefined,
        matchExpressions: undefined,
      },
      policyTypes: policyTypes?.flatMap((t, i) => {
        const s = this.string(t, ['spec', 'policyTypes', i]);
        return s === undefined ? [] : [s];
      }),
      ingress: this.rules(spec.ingress, ['spec', 'ingress'], 'from'),
      egress: this.rules(spec.egress, ['spec', 'egress'], 'to'),
    };
  }

  private rules(
    value: unknown,
    path: readonly PathSegment[],
    peersField: 'from' | 'to',
  ): NetworkPolicyRule[] | undefined {
    const list = this.list(value, path);
    if (!list) return undefined;
    const rules: NetworkPolicyRule[] = [];
    list.forEach((r, ri) => {
      const rPath = [...path, ri];
      // A null rule (`- ` with nothing) decodes to an empty rule, as in Go.
      const rule = this.map(r, rPath) ?? {};
      const peers = this.list(rule[peersField], [...rPath, peersField]);
      const ports = this.list(rule.ports, [...rPath, 'ports']);
      rules.push({
        peers: peers?.map((p, pi) => this.peer(p, [...rPath, peersField, pi])),
        ports: ports?.map((p, pi) => this.port(p, [...rPath, 'ports', pi])),
      });
    });
    return rules;
  }

  private peer(value: unknown, path: readonly PathSegment[]): NetworkPolicyPeer {
    const peer = this.map(value, path) ?? {};
    let ipBlock: IPBlock | undefined;
    const block = this.map(peer.ipBlock, [...path, 'ipBlock']);
    if (block) {
      const except = this.list(block.except, [...path, 'ipBlock', 'except']) ?? [];
      ipBlock = {
        cidr: this.string(block.cidr, [...path, 'ipBlock', 'cidr']) ?? '',
        except: except.flatMap((e, i) => {
          const s = this.string(e, [...path, 'ipBlock', 'except', i]);
          return s === undefined ? [] : [s];
        }),
      };
    }
    return {
      podSelector: this.selector(peer.podSelector, [...path, 'podSelector']),
      namespaceSelector: this.selector(peer.namespaceSelector, [...path, 'namespaceSelector']),
      ipBlock,
    };
  }

  private port(value: unknown, path: readonly PathSegment[]): NetworkPolicyPort {
    const port = this.map(value, path) ?? {};
    return {
      protocol: this.string(port.protocol, [...path, 'protocol']),
      port: this.intOrString(port.port, [...path, 'port']),
      endPort: this.integer(port.endPort, [...path, 'endPort']),
    };
  }

  servicePorts(value: unknown, path: readonly PathSegment[]): ServicePort[] {
    const list = this.list(value, path) ?? [];
    const out: ServicePort[] = [];
    list.forEach((p, i) => {
      const port = this.map(p, [...path, i]);
      if (!port) return;
      const number = this.integer(port.port, [...path, i, 'port']);
      if (number === undefined) return;
      out.push({
        name: this.string(port.name, [...path, i, 'name']),
        port: number,
        targetPort: this.intOrString(port.targetPort, [...path, i, 'targetPort']),
        protocol: this.string(port.protocol, [...path, i, 'protocol']) ?? 'TCP',
      });
    });
    return out;
  }
}

/** True for a plain JSON object (not an array, not null). */
export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Renders a value the way Go's field errors do: strings quoted, everything else bare. */
function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return '[...]';
  if (isRecord(value)) return '{...}';
  return String(value);
}
