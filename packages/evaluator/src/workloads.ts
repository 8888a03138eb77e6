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
  type OwnerReference,
  type PodObject,
  type PodTemplate,
  type WorkloadObject,
} from '@netpol-atlas/manifests';
import { workloadId } from './ids.ts';
import { podIPv4 } from './ip.ts';
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
  const scanner = new ObjectScanner();
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
  private readonly scan: ObjectScan = {
    namespaces: this.declared,
    duplicateNamespaces: [],
    baseNames: new Set(),
    nodes: [],
    sources: [],
    owners: [],
  };
  // Objects come grouped by namespace (a file, a kubectl listing): a name just added to a set
  // needs no lookup to be added again.
  private lastBase: string | undefined;
  private lastImplied: string | undefined;

  /** Reads the next object; `code` as `isPolicy` in {@link scanObjects}. */
  visit(object: KubeObject, code: number): void {
    if (code === 2) return;
    const scan = this.scan;
    const kind = object.kind;
    if (kind === 'Node') {
      scan.nodes.push(object);
      return;
    }
    const namespace = object.metadata.namespace ?? DEFAULT_NAMESPACE;
    if (code === 0 && namespace !== this.lastBase) {
      scan.baseNames.add(namespace);
      this.lastBase = namespace;
    }
    if (kind === 'Namespace') {
      const name = object.metadata.name;
      if (this.declared.has(name)) scan.duplicateNamespaces.push(object);
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
    if (kind === 'Pod' || 'template' in object) scan.sources.push(object as PodObject | WorkloadObject);
    if (kind === 'ReplicaSet' || kind === 'Job') scan.owners.push(object);
  }

  /** The scan of the objects visited, namespaces only implied added last. */
  finish(): ObjectScan {
    for (const name of this.implied) {
      if (!this.declared.has(name))
        this.declared.set(name, {
          name,
          labels: { [NAMESPACE_NAME_LABEL]: name },
          declared: false,
          source: undefined,
        });
    }
    return this.scan;
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

/** A pod that will never send or receive traffic again, or has not been given an address yet. */
function isInactive(pod: PodObject): boolean {
  if (pod.phase === 'Succeeded' || pod.phase === 'Failed') return true;
  return pod.phase !== undefined && pod.podIPs.length === 0 && !pod.template.hostNetwork;
}

/** A workload whose pods do not all carry the same labels, and the label keys they differ on. */
export interface UnevenWorkload {
  workload: WorkloadPeer;
  keys: ReadonlySet<string>;
}

/**
 * The workload peers of a scan's pods and templated objects, sorted by id, and those whose pods
 * do not all carry the same labels (noticed as pods are added, while each is at hand).
 */
export function collectWorkloads(
  scan: Pick<ObjectScan, 'sources' | 'owners' | 'namespaces'>,
  options: Cluster['options'],
): { workloads: WorkloadPeer[]; uneven: UnevenWorkload[] } {
  const { namespaces } = scan;
  const compat = options.compat === 'netpol-analyzer';
  const byPod = options.granularity === 'pod';
  const uneven = new Map<WorkloadPeer, Set<string>>();
  // Per namespace and owner name, the workloads of that name (one kind, nearly always): most pods
  // join a workload found already, and building its id only to look it up would cost more than
  // the rest of adding the pod. Ids are built for new workloads only, and looked up then: names
  // and kinds that concatenate alike still make one workload, as they have one id.
  const byName = new Map<string, Map<string, NameSlot>>();
  const byId = new Map<string, WorkloadPeer>();
  let lastNamespace: string | undefined;
  let names = new Map<string, NameSlot>();
  const add = (namespace: string, name: string, kind: string, object: PodObject | WorkloadObject) => {
    if (namespace !== lastNamespace) {
      const known = byName.get(namespace);
      names = known ?? new Map();
      if (!known) byName.set(namespace, names);
      lastNamespace = namespace;
    }
    const template = object.template;
    const pod: PodInfo = {
      name: object.metadata.name,
      labels: template.labels,
      ips: object.kind === 'Pod' ? object.podIPs : [],
      hostNetwork: template.hostNetwork,
      source: object.source,
    };
    const first = names.get(name);
    let slot = first;
    while (slot && slot.kind !== kind) slot = slot.next;
    let existing = slot?.peer;
    if (!existing) {
      const id = workloadId(namespace, name, kind);
      existing = byId.get(id);
      const peer = existing ?? newPeer(id, namespace, name, kind, template, pod);
      names.set(name, { kind, peer, next: first });
      if (!existing) {
        byId.set(id, peer);
        return;
      }
    }
    existing.pods.push(pod);
    // Compared now, while the pod's labels are at hand: a later pass would read them all again.
    const firstLabels = existing.pods[0]!.labels;
    if (pod.labels !== firstLabels) {
      const known = uneven.get(existing);
      const keys = labelDifferences(pod.labels, firstLabels, known);
      if (keys && !known) uneven.set(existing, keys);
    }
  };
  // Upstream, a Deployment's pods are owned by a ReplicaSet it owns (a CronJob's by a Job): the
  // user thinks of the top owner, and a live cluster lists all three objects. netpol-analyzer
  // names the direct owner, so compat mode keeps that.
  const topOwner = new Map<string, { kind: string; name: string }>();
  if (!compat) {
    for (const object of scan.owners) {
      const owner = object.metadata.ownerReferences.find(
        (o) => o.controller && (o.kind === 'Deployment' || o.kind === 'CronJob'),
      );
      if (owner) topOwner.set(`${namespaceOf(object)}/${object.kind}/${object.metadata.name}`, owner);
    }
  }
  const owned = topOwner.size > 0;
  const addOwned = (namespace: string, kind: string, name: string, object: PodObject | WorkloadObject) => {
    const top = owned ? topOwner.get(`${namespace}/${kind}/${name}`) : undefined;
    if (top) add(namespace, top.name, top.kind, object);
    else add(namespace, name, kind, object);
  };
  for (const object of scan.sources) {
    const metadata = object.metadata;
    const namespace = metadata.namespace ?? DEFAULT_NAMESPACE;
    if (object.kind === 'Pod') {
      // netpol-analyzer analyses finished pods too; upstream they hold no address and send nothing.
      if (!compat && isInactive(object)) continue;
      if (compat && metadata.name.startsWith('virt-launcher-')) continue;
      const owner = controllerOf(metadata.ownerReferences);
      if (byPod || !owner) add(namespace, metadata.name, 'Pod', object);
      else addOwned(namespace, owner.kind === '' ? 'Pod' : owner.kind, owner.name, object);
    } else if (!byPod) addOwned(namespace, object.kind, metadata.name, object);
  }
  const workloads = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (let i = 0; i < workloads.length; i++) {
    const w = workloads[i]!;
    w.index = i;
    w.ipv4 = addressesOf(w.pods);
    if (!namespaces.has(w.namespace)) throw new Error(`namespace ${w.namespace} was not collected`);
  }
  const unevenList = [...uneven].map(([workload, keys]) => ({ workload, keys }));
  return { workloads, uneven: unevenList.sort((a, b) => a.workload.index - b.workload.index) };
}

/** The workloads of one name in a namespace: one slot per kind. */
interface NameSlot {
  kind: string;
  peer: WorkloadPeer;
  next: NameSlot | undefined;
}

function newPeer(
  id: string,
  namespace: string,
  name: string,
  kind: string,
  template: PodTemplate,
  pod: PodInfo,
): WorkloadPeer {
  return {
    type: 'workload',
    index: -1,
    id,
    namespace,
    name,
    kind,
    labels: template.labels,
    ports: template.ports,
    pods: [pod],
    ipv4: [],
    hostNetwork: template.hostNetwork,
  };
}

/** A pod's controller other than a Node (a static pod's mirror names its node). */
function controllerOf(owners: readonly OwnerReference[]): OwnerReference | undefined {
  for (const o of owners) if (o.controller && o.kind !== 'Node') return o;
  return undefined;
}

/** The IPv4 addresses of a workload's pods, in pod order (others left out). */
function addressesOf(pods: readonly PodInfo[]): number[] {
  const out: number[] = [];
  for (const pod of pods) {
    for (const ip of pod.ips) {
      const value = podIPv4(ip);
      if (value !== undefined) out.push(value);
    }
  }
  return out;
}

/**
 * Adds to `into` (created when the first difference shows) the keys on which `labels` differs
 * from `first`: keys with another value or missing from either. Returns the set, or undefined
 * when the two are equal and `into` was not given.
 */
function labelDifferences(
  labels: Labels,
  first: Labels,
  into: Set<string> | undefined,
): Set<string> | undefined {
  if (!into && sameLabels(labels, first)) return undefined;
  const keys = into ?? new Set<string>();
  for (const key in labels) {
    if (Object.hasOwn(labels, key) && (!Object.hasOwn(first, key) || labels[key] !== first[key]))
      keys.add(key);
  }
  for (const key in first) if (Object.hasOwn(first, key) && !Object.hasOwn(labels, key)) keys.add(key);
  return keys;
}

/** Whether two label sets are equal (read without allocating: most pods equal their first). */
function sameLabels(a: Labels, b: Labels): boolean {
  let count = 0;
  for (const key in a) {
    if (!Object.hasOwn(a, key)) continue;
    if (!Object.hasOwn(b, key) || a[key] !== b[key]) return false;
    count++;
  }
  for (const key in b) if (Object.hasOwn(b, key)) count--;
  return count === 0;
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
