// Namespaces and workload peers, from the objects that are not NetworkPolicies (plus the
// namespaces policies name), and the diagnostics about them.

import {
  CLUSTER_POLICY_KINDS,
  type ClusterPolicyObject,
  type Diagnostic,
  type KubeObject,
  type NamespaceObject,
  type NodeObject,
  type PodObject,
  type WorkloadObject,
} from '@netpol-atlas/manifests';
import {
  type Cluster,
  DEFAULT_NAMESPACE,
  NAMESPACE_NAME_LABEL,
  type NamespaceInfo,
  type WorkloadPeer,
} from './model.ts';
import { type UnevenWorkload, WorkloadCollector } from './workloadCollector.ts';

/** A ClusterNetworkPolicy, AdminNetworkPolicy or BaselineAdminNetworkPolicy. */
export function isClusterPolicy(object: KubeObject): object is ClusterPolicyObject {
  return CLUSTER_POLICY_KIND_SET.has(object.kind);
}

const CLUSTER_POLICY_KIND_SET: ReadonlySet<string> = new Set(CLUSTER_POLICY_KINDS);

export function namespaceOf(object: KubeObject): string {
  return object.metadata.namespace ?? DEFAULT_NAMESPACE;
}

/** What a build reads from the objects that are not cluster policies, in one pass over them. */
export interface ObjectScan {
  /** Declared namespaces first (the first of a name counts), then those only implied, in input order. */
  namespaces: Map<string, NamespaceInfo>;
  /** Namespace objects that repeat an earlier one's name. */
  duplicateNamespaces: NamespaceObject[];
  /** Namespaces that some object other than a NetworkPolicy lives in (a Namespace object counts as `default`). */
  baseNames: Set<string>;
  nodes: NodeObject[];
  /** The workload peers of the pods and templated objects, sorted by id. */
  workloads: WorkloadPeer[];
  /** Those whose pods do not all carry the same labels. */
  uneven: UnevenWorkload[];
}

/**
 * Reads every object once (touching tens of thousands of scattered objects is what a build pays
 * for most). `isPolicy[i]` is 1 for a NetworkPolicy, 2 for a cluster policy, else 0.
 */
export function scanObjects(
  objects: readonly KubeObject[],
  isPolicy: Uint8Array,
  options: Cluster['options'],
): ObjectScan {
  const scanner = new ObjectScanner(options);
  for (let i = 0; i < objects.length; i++) scanner.visit(objects[i]!, isPolicy[i]!);
  return scanner.finish();
}

/**
 * {@link scanObjects} one object at a time, so that a build reading the objects anyway scans
 * each while it is at hand rather than in a pass of its own.
 */
export class ObjectScanner {
  private readonly declared = new Map<string, NamespaceInfo>();
  private readonly implied: string[] = [];
  private readonly impliedSeen = new Set<string>();
  private readonly duplicateNamespaces: NamespaceObject[] = [];
  private readonly baseNames = new Set<string>();
  private readonly nodes: NodeObject[] = [];
  private readonly workloads: WorkloadCollector;
  // Objects come grouped by namespace (a file, a kubectl listing): a name just added to a set
  // needs no lookup to be added again.
  private lastBase: string | undefined;
  private lastImplied: string | undefined;

  constructor(options: Cluster['options']) {
    this.workloads = new WorkloadCollector(options);
  }

  /** Reads the next object; `code` as `isPolicy` in {@link scanObjects}. */
  visit(object: KubeObject, code: number): void {
    if (code === 2) return;
    const kind = object.kind;
    if (kind === 'Node') {
      this.nodes.push(object);
      return;
    }
    const namespace = object.metadata.namespace ?? DEFAULT_NAMESPACE;
    if (code === 0 && namespace !== this.lastBase) {
      this.baseNames.add(namespace);
      this.lastBase = namespace;
    }
    if (kind === 'Namespace') {
      const name = object.metadata.name;
      if (this.declared.has(name)) this.duplicateNamespaces.push(object);
      else {
        this.declared.set(name, {
          name,
          labels: { ...object.metadata.labels, [NAMESPACE_NAME_LABEL]: name },
          declared: true,
          source: object.source,
        });
      }
      return;
    }
    if (namespace !== this.lastImplied && !this.impliedSeen.has(namespace)) {
      this.impliedSeen.add(namespace);
      this.implied.push(namespace);
    }
    this.lastImplied = namespace;
    if (code === 1) return;
    if (kind === 'Pod' || 'template' in object)
      this.workloads.source(object as PodObject | WorkloadObject, namespace);
    if (kind === 'ReplicaSet' || kind === 'Job') this.workloads.owner(object, namespace);
  }

  /** The scan of the objects visited, namespaces only implied added last. */
  finish(): ObjectScan {
    const namespaces = this.declared;
    for (const name of this.implied) {
      if (!this.declared.has(name))
        this.declared.set(name, {
          name,
          labels: { [NAMESPACE_NAME_LABEL]: name },
          declared: false,
          source: undefined,
        });
    }
    return {
      namespaces,
      duplicateNamespaces: this.duplicateNamespaces,
      baseNames: this.baseNames,
      nodes: this.nodes,
      ...this.workloads.finish(namespaces),
    };
  }
}

export function duplicateNamespace(object: NamespaceObject): Diagnostic {
  const name = object.metadata.name;
  return {
    code: 'ns-duplicate-name',
    severity: 'error',
    message: `Namespace "${name}" is already exists. Only one object of a given kind can have a given name at a time.`,
    file: object.source.file,
    field: 'metadata.name',
    range: object.source.locate(['metadata', 'name']),
    object: name,
    kind: 'Namespace',
  };
}

export function hostNetworkNote(w: WorkloadPeer): Diagnostic {
  return {
    code: 'host-network-pod',
    severity: 'info',
    message: `${w.id} uses the host network: whether NetworkPolicy applies to it depends on the CNI (implementation-defined)`,
    file: w.pods[0]!.source.file,
    field: 'spec.hostNetwork',
    range: w.pods[0]!.source.locate(['spec', 'hostNetwork']),
    object: w.id,
  };
}
