// Namespaces and workload peers, from the objects that are not NetworkPolicies (plus the
// namespaces policies name), and the diagnostics about them.

import {
  CLUSTER_POLICY_KINDS,
  type ClusterPolicyObject,
  type Diagnostic,
  type KubeObject,
  type NamespaceObject,
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

/** Nodes and cluster-wide policies live in no namespace: they imply none. */
export function isClusterScoped(object: KubeObject): boolean {
  return object.kind === 'Node' || isClusterPolicy(object);
}

/** A ClusterNetworkPolicy, AdminNetworkPolicy or BaselineAdminNetworkPolicy. */
export function isClusterPolicy(object: KubeObject): object is ClusterPolicyObject {
  return CLUSTER_POLICY_KIND_SET.has(object.kind);
}

const CLUSTER_POLICY_KIND_SET: ReadonlySet<string> = new Set(CLUSTER_POLICY_KINDS);

export function namespaceOf(object: KubeObject): string {
  return object.metadata.namespace ?? DEFAULT_NAMESPACE;
}

export function collectNamespaces(objects: readonly KubeObject[]): Map<string, NamespaceInfo> {
  const namespaces = new Map<string, NamespaceInfo>();
  for (const object of objects) {
    if (object.kind !== 'Namespace') continue;
    const name = object.metadata.name;
    // A duplicate is reported by duplicateNamespaces; the first one counts.
    if (namespaces.has(name)) continue;
    namespaces.set(name, {
      name,
      labels: { ...object.metadata.labels, [NAMESPACE_NAME_LABEL]: name },
      declared: true,
      source: object.source,
    });
  }
  for (const object of objects) {
    if (object.kind === 'Namespace' || isClusterScoped(object)) continue;
    const name = namespaceOf(object);
    if (!namespaces.has(name)) {
      namespaces.set(name, {
        name,
        labels: { [NAMESPACE_NAME_LABEL]: name },
        declared: false,
        source: undefined,
      });
    }
  }
  return namespaces;
}

export function duplicateNamespaces(objects: readonly KubeObject[]): NamespaceObject[] {
  const out: NamespaceObject[] = [];
  const seen = new Set<string>();
  for (const object of objects) {
    if (object.kind !== 'Namespace') continue;
    if (seen.has(object.metadata.name)) out.push(object);
    seen.add(object.metadata.name);
  }
  return out;
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

export function collectWorkloads(
  objects: readonly KubeObject[],
  options: Cluster['options'],
  namespaces: Map<string, NamespaceInfo>,
): WorkloadPeer[] {
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
    for (const object of objects) {
      if (object.kind !== 'ReplicaSet' && object.kind !== 'Job') continue;
      const owner = object.metadata.ownerReferences.find(
        (o) => o.controller && (o.kind === 'Deployment' || o.kind === 'CronJob'),
      );
      if (owner) topOwner.set(`${namespaceOf(object)}/${object.kind}/${object.metadata.name}`, owner);
    }
  }
  const ownerOf = (namespace: string, kind: string, name: string) =>
    topOwner.get(`${namespace}/${kind}/${name}`) ?? { kind, name };
  for (const object of objects) {
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
    } else if ('template' in object) {
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
  return workloads;
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
