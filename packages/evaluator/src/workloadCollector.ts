// Workload peers from pods and templated objects, collected while the build's scan reads each
// object: reading tens of thousands of scattered objects a second time would cost more than
// everything done with them.

import type { KubeObject, Labels, OwnerReference, PodObject, WorkloadObject } from '@netpol-atlas/manifests';
import { workloadId } from './ids.ts';
import { podIPv4 } from './ip.ts';
import type { Cluster, NamespaceInfo, PodInfo, WorkloadPeer } from './model.ts';

/** A workload whose pods do not all carry the same labels, and the label keys they differ on. */
export interface UnevenWorkload {
  workload: WorkloadPeer;
  keys: ReadonlySet<string>;
}

/**
 * The pods met so far of one direct owner (or one bare pod, or one templated object): a workload
 * unless its owner turns out to be owned in turn (a ReplicaSet by a Deployment), which is known
 * only once every object has been read.
 */
interface Group {
  namespace: string;
  name: string;
  kind: string;
  peer: WorkloadPeer;
  /** Input position of each pod, to merge groups that turn out to be one workload. */
  positions: number[];
  ipv4: number[];
  /** Label keys its pods differ on, once some do. */
  keys: Set<string> | undefined;
  /** The group of the same name and another kind, if any. */
  next: Group | undefined;
}

/**
 * Collects the workload peers of the pods and templated objects it is given, in input order.
 * Upstream, a Deployment's pods are owned by a ReplicaSet it owns (a CronJob's by a Job): the user
 * thinks of the top owner, and a live cluster lists all three objects. netpol-analyzer names the
 * direct owner, so compat mode keeps that.
 */
export class WorkloadCollector {
  private readonly compat: boolean;
  private readonly byPod: boolean;
  /** Per namespace, per name, the groups of that name (one kind, nearly always). */
  private readonly byName = new Map<string, { namespace: string; names: Map<string, Group> }>();
  private readonly groups: Group[] = [];
  private readonly topOwner = new Map<string, { kind: string; name: string }>();
  private lastNamespace: string | undefined;
  private canonical = '';
  private names = new Map<string, Group>();
  private position = 0;

  constructor(options: Cluster['options']) {
    this.compat = options.compat === 'netpol-analyzer';
    this.byPod = options.granularity === 'pod';
  }

  /** A Pod or an object with a pod template, in `namespace`. */
  source(object: PodObject | WorkloadObject, namespace: string): void {
    const position = this.position++;
    const metadata = object.metadata;
    if (object.kind === 'Pod') {
      // netpol-analyzer analyses finished pods too; upstream they hold no address and send nothing.
      if (!this.compat && isInactive(object)) return;
      if (this.compat && metadata.name.startsWith('virt-launcher-')) return;
      const owner = controllerOf(metadata.ownerReferences);
      if (this.byPod || !owner) this.add(namespace, metadata.name, 'Pod', object, position);
      else this.add(namespace, owner.name, owner.kind === '' ? 'Pod' : owner.kind, object, position);
    } else if (!this.byPod) this.add(namespace, metadata.name, object.kind, object, position);
  }

  /** A ReplicaSet or Job in `namespace`: the Deployment or CronJob owning it stands for its pods. */
  owner(object: KubeObject, namespace: string): void {
    if (this.compat) return;
    const owner = object.metadata.ownerReferences.find(
      (o) => o.controller && (o.kind === 'Deployment' || o.kind === 'CronJob'),
    );
    if (owner) this.topOwner.set(`${namespace}/${object.kind}/${object.metadata.name}`, owner);
  }

  private add(
    namespace: string,
    name: string,
    kind: string,
    object: PodObject | WorkloadObject,
    position: number,
  ): void {
    if (namespace !== this.lastNamespace) {
      let known = this.byName.get(namespace);
      if (!known) {
        known = { namespace, names: new Map() };
        this.byName.set(namespace, known);
      }
      this.names = known.names;
      this.lastNamespace = namespace;
      this.canonical = known.namespace;
    }
    // One string per namespace name for every workload in it: later comparisons of namespaces
    // (grouping workloads, indexing them) then compare references, not text in scattered objects.
    namespace = this.canonical;
    const template = object.template;
    const ips = object.kind === 'Pod' ? object.podIPs : NO_IPS;
    const pod: PodInfo = {
      name: object.metadata.name,
      labels: template.labels,
      ips,
      hostNetwork: template.hostNetwork,
      source: object.source,
    };
    const named = this.names.get(name);
    let group = named;
    while (group && group.kind !== kind) group = group.next;
    if (!group) {
      const peer: WorkloadPeer = {
        type: 'workload',
        index: -1,
        id: workloadId(namespace, name, kind),
        namespace,
        name,
        kind,
        labels: template.labels,
        ports: template.ports,
        pods: [pod],
        ipv4: [],
        hostNetwork: template.hostNetwork,
      };
      group = { namespace, name, kind, peer, positions: [], ipv4: [], keys: undefined, next: named };
      this.names.set(name, group);
      this.groups.push(group);
    } else {
      group.peer.pods.push(pod);
      // Compared now, while the pod's labels are at hand: a later pass would read them all again.
      const first = group.peer.labels;
      if (pod.labels !== first) group.keys = labelDifferences(pod.labels, first, group.keys);
    }
    group.positions.push(position);
    for (let i = 0; i < ips.length; i++) {
      const value = podIPv4(ips[i]!);
      if (value !== undefined) group.ipv4.push(value);
    }
  }

  /**
   * The workload peers, sorted by id, and those whose pods do not all carry the same labels.
   * Groups whose owner is owned become their top owner's workload, and groups with one id (a
   * Deployment's manifest and its ReplicaSets' pods, say) one workload, its pods in input order.
   */
  finish(namespaces: ReadonlyMap<string, NamespaceInfo>): {
    workloads: WorkloadPeer[];
    uneven: UnevenWorkload[];
  } {
    const owned = this.topOwner.size > 0;
    // Each group under the id of its workload, sorted by id: groups of one workload end up side by
    // side (no map of ids needed), and the workloads come out in id order.
    const tops = new Map<Group, { kind: string; name: string }>();
    const ids: { id: string; group: Group }[] = [];
    for (const group of this.groups) {
      const top = owned ? this.topOwner.get(`${group.namespace}/${group.kind}/${group.name}`) : undefined;
      if (top) tops.set(group, top);
      ids.push({ id: top ? workloadId(group.namespace, top.name, top.kind) : group.peer.id, group });
    }
    ids.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const workloads: WorkloadPeer[] = [];
    const uneven: UnevenWorkload[] = [];
    let lastNamespace: string | undefined;
    for (let i = 0; i < ids.length; ) {
      const id = ids[i]!.id;
      let end = i + 1;
      while (end < ids.length && ids[end]!.id === id) end++;
      const same = ids.slice(i, end).map((entry) => entry.group);
      i = end;
      const group = same.length === 1 ? same[0]! : merge(same);
      const peer = group.peer;
      const top = tops.get(same.length === 1 ? group : earliest(same));
      peer.id = id;
      if (top) {
        peer.name = top.name;
        peer.kind = top.kind;
      }
      peer.ipv4 = group.ipv4;
      peer.index = workloads.length;
      workloads.push(peer);
      if (group.keys) uneven.push({ workload: peer, keys: group.keys });
      if (peer.namespace !== lastNamespace && !namespaces.has(peer.namespace))
        throw new Error(`namespace ${peer.namespace} was not collected`);
      lastNamespace = peer.namespace;
    }
    return { workloads, uneven };
  }
}

/** The addresses of a templated object's pods: none known (one array shared by all of them). */
const NO_IPS: readonly string[] = [];

/** The group holding the earliest pod of `groups`. */
function earliest(groups: readonly Group[]): Group {
  let first = groups[0]!;
  for (const g of groups) if (g.positions[0]! < first.positions[0]!) first = g;
  return first;
}

/**
 * Groups that are one workload, as one group: the earliest pod's object gives the workload its
 * name, kind, labels, ports and host network (it would have created it), every pod in input order.
 */
function merge(groups: readonly Group[]): Group {
  const first = earliest(groups);
  const pods: { position: number; pod: PodInfo }[] = [];
  for (const g of groups) {
    g.peer.pods.forEach((pod, i) => {
      pods.push({ position: g.positions[i]!, pod });
    });
  }
  pods.sort((a, b) => a.position - b.position);
  const peer: WorkloadPeer = { ...first.peer, pods: pods.map((p) => p.pod) };
  let keys: Set<string> | undefined;
  const ipv4: number[] = [];
  for (const pod of peer.pods) {
    if (pod.labels !== peer.labels) keys = labelDifferences(pod.labels, peer.labels, keys);
    for (const ip of pod.ips) {
      const value = podIPv4(ip);
      if (value !== undefined) ipv4.push(value);
    }
  }
  return { ...first, peer, positions: pods.map((p) => p.position), ipv4, keys };
}

/** A pod that will never send or receive traffic again, or has not been given an address yet. */
function isInactive(pod: PodObject): boolean {
  if (pod.phase === 'Succeeded' || pod.phase === 'Failed') return true;
  return pod.phase !== undefined && pod.podIPs.length === 0 && !pod.template.hostNetwork;
}

/** A pod's controller other than a Node (a static pod's mirror names its node). */
function controllerOf(owners: readonly OwnerReference[]): OwnerReference | undefined {
  for (const o of owners) if (o.controller && o.kind !== 'Node') return o;
  return undefined;
}

/**
 * Adds to `into` (created when the first difference shows) the keys on which `labels` differs
 * from `first`: keys with another value or missing from either. Returns the set, or `into` when
 * the two are equal.
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
