// Namespaces and workload peers, from the objects that are not NetworkPolicies (plus the
// namespaces policies name), and the diagnostics about them.

import {
  CLUSTER_POLICY_KINDS,
  type ClusterPolicyObject,
  type Diagnostic,
  type KubeObject,
  type Labels,
  type NamespaceObject,
  type NodeObject,
  type PodObject,
  parseIPv4,
  type WorkloadObject,
} from '@netpol-atlas/manifests';
import { workloadId } from './ids.ts';
import {
  type Cluster,
  DEFAULT_NAMESPACE,
  NAMESPACE_NAME_LABEL,
  type NamespaceInfo,
  type PodInfo,
  type WorkloadPeer,
} from './model.ts';

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
  /** Pods and objects with a pod template, in input order: the workloads come from them. */
  sources: (PodObject | WorkloadObject)[];
  /** ReplicaSets and Jobs: their owners (Deployments, CronJobs) stand for their pods. */
  owners: KubeObject[];
}

/**
 * Reads every object once (touching tens of thousands of scattered objects is what a build pays
 * for most). `isPolicy[i]` is 1 for a NetworkPolicy, 2 for a cluster policy, else 0.
 */
export function scanObjects(objects: readonly KubeObject[], isPolicy: Uint8Array): ObjectScan {
  const declared = new Map<string, NamespaceInfo>();
  const implied: string[] = [];
  const impliedSeen = new Set<string>();
  const scan: ObjectScan = {
    namespaces: declared,
    duplicateNamespaces: [],
    baseNames: new Set(),
    nodes: [],
    sources: [],
    owners: [],
  };
  for (let i = 0; i < objects.length; i++) {
    if (isPolicy[i] === 2) continue;
    const object = objects[i]!;
    const kind = object.kind;
    if (kind === 'Node') {
      scan.nodes.push(object);
      continue;
    }
    const namespace = object.metadata.namespace ?? DEFAULT_NAMESPACE;
    if (isPolicy[i] === 0) scan.baseNames.add(namespace);
    if (kind === 'Namespace') {
      const name = object.metadata.name;
      if (declared.has(name)) scan.duplicateNamespaces.push(object);
      else {
        declared.set(name, {
          name,
          labels: { ...object.metadata.labels, [NAMESPACE_NAME_LABEL]: name },
          declared: true,
          source: object.source,
        });
      }
      continue;
    }
    if (!impliedSeen.has(namespace)) {
      impliedSeen.add(namespace);
      implied.push(namespace);
    }
    if (isPolicy[i] === 1) continue;
    if (kind === 'Pod' || 'template' in object) scan.sources.push(object as PodObject | WorkloadObject);
    if (kind === 'ReplicaSet' || kind === 'Job') scan.owners.push(object);
  }
  for (const name of implied) {
    if (!declared.has(name))
      declared.set(name, {
        name,
        labels: { [NAMESPACE_NAME_LABEL]: name },
        declared: false,
        source: undefined,
      });
  }
  return scan;
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

/** A pod that will never send or receive traffic again, or has not been given an address yet. */
function isInactive(pod: PodObject): boolean {
  if (pod.phase === 'Succeeded' || pod.phase === 'Failed') return true;
  return pod.phase !== undefined && pod.podIPs.length === 0 && !pod.template.hostNetwork;
}

/**
 * The workload peers of a scan's pods and templated objects, sorted by id, and those whose pods
 * do not all carry the same labels (noticed as pods are added, while each is at hand).
 */
export function collectWorkloads(
  scan: Pick<ObjectScan, 'sources' | 'owners' | 'namespaces'>,
  options: Cluster['options'],
): { workloads: WorkloadPeer[]; uneven: WorkloadPeer[] } {
  const { namespaces } = scan;
  const uneven = new Set<WorkloadPeer>();
  const byId = new Map<string, WorkloadPeer>();
  const add = (
    id: string,
    namespace: string,
    name: string,
    kind: string,
    object: PodObject | WorkloadObject,
  ) => {
    const pod: PodInfo = {
      name: object.metadata.name,
      labels: object.template.labels,
      ips: object.kind === 'Pod' ? object.podIPs : [],
      hostNetwork: object.template.hostNetwork,
      source: object.source,
    };
    const existing = byId.get(id);
    if (existing) {
      existing.pods.push(pod);
      if (!uneven.has(existing) && !sameLabels(pod.labels, existing.pods[0]!.labels)) uneven.add(existing);
      return;
    }
    byId.set(id, {
      type: 'workload',
      index: -1,
      id,
      namespace,
      name,
      kind,
      labels: object.template.labels,
      ports: object.template.ports,
      pods: [pod],
      ipv4: [],
      hostNetwork: object.template.hostNetwork,
    });
  };
  // Upstream, a Deployment's pods are owned by a ReplicaSet it owns (a CronJob's by a Job): the
  // user thinks of the top owner, and a live cluster lists all three objects. netpol-analyzer
  // names the direct owner, so compat mode keeps that.
  const topOwner = new Map<string, { kind: string; name: string }>();
  if (options.compat !== 'netpol-analyzer') {
    for (const object of scan.owners) {
      const owner = object.metadata.ownerReferences.find(
        (o) => o.controller && (o.kind === 'Deployment' || o.kind === 'CronJob'),
      );
      if (owner) topOwner.set(`${namespaceOf(object)}/${object.kind}/${object.metadata.name}`, owner);
    }
  }
  const ownerOf = (namespace: string, kind: string, name: string) =>
    topOwner.get(`${namespace}/${kind}/${name}`) ?? { kind, name };
  for (const object of scan.sources) {
    const namespace = namespaceOf(object);
    if (object.kind === 'Pod') {
      // netpol-analyzer analyses finished pods too; upstream they hold no address and send nothing.
      if (options.compat !== 'netpol-analyzer' && isInactive(object)) continue;
      if (options.compat === 'netpol-analyzer' && object.metadata.name.startsWith('virt-launcher-')) continue;
      const owner = object.metadata.ownerReferences.find((o) => o.controller && o.kind !== 'Node');
      if (options.granularity === 'pod' || !owner) {
        add(`${namespace}/${object.metadata.name}[Pod]`, namespace, object.metadata.name, 'Pod', object);
      } else {
        const top = ownerOf(namespace, owner.kind === '' ? 'Pod' : owner.kind, owner.name);
        add(workloadId(namespace, top.name, top.kind), namespace, top.name, top.kind, object);
      }
    } else {
      if (options.granularity === 'pod') continue;
      const top = ownerOf(namespace, object.kind, object.metadata.name);
      add(workloadId(namespace, top.name, top.kind), namespace, top.name, top.kind, object);
    }
  }
  const workloads = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  workloads.forEach((w, i) => {
    w.index = i;
    w.ipv4 = w.pods.flatMap((p) => p.ips.flatMap((ip) => parseIPv4(ip) ?? []));
    if (!namespaces.has(w.namespace)) throw new Error(`namespace ${w.namespace} was not collected`);
  });
  return { workloads, uneven: [...uneven].sort((a, b) => a.index - b.index) };
}

/** Whether two label sets are equal. */
function sameLabels(a: Labels, b: Labels): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
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
