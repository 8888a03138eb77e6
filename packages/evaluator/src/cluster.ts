import type {
  ClusterPolicyObject,
  Diagnostic,
  KubeObject,
  NamespaceObject,
  NetworkPolicyObject,
  NodeObject,
} from '@netpol-atlas/manifests';
import { clusterPolicyDiagnostics, enforcedClusterPolicy } from './clusterPolicies.ts';
import { domainsNamed } from './domains.ts';
import { namespacedPolicyId } from './ids.ts';
import {
  type Cluster,
  type ClusterOptions,
  type CompiledClusterPolicy,
  type CompiledPolicy,
  DEFAULT_NAMESPACE,
  type NamespaceInfo,
  type WorkloadPeer,
} from './model.ts';
import { type CompiledEntry, PolicyCompiler } from './policyCompiler.ts';
import { type ClusterEntry, clusterPolicyId, compileClusterPolicy } from './tierCompiler.ts';
import { evaluationOrder, priorityTies, sideTiersOf } from './tiers.ts';
import {
  duplicateNamespace,
  hostNetworkNote,
  isClusterPolicy,
  namespaceOf,
  type ObjectScan,
  ObjectScanner,
  scanObjects,
} from './workloads.ts';

/** `ns/name` of a policy, its namespace defaulted: the id every report and query uses. */
export function policyId(policy: NetworkPolicyObject): string {
  return namespacedPolicyId(policy.metadata.namespace ?? DEFAULT_NAMESPACE, policy.metadata.name);
}

/** What a build keeps so the next build of the same workloads can start from it. */
interface BuildState {
  options: Cluster['options'];
  /** The objects other than NetworkPolicies, in input order: namespaces and workloads come from them. */
  base: readonly KubeObject[];
  /** Namespace objects that repeat an earlier one's name. */
  duplicateNamespaces: readonly NamespaceObject[];
  hostNetwork: readonly WorkloadPeer[];
  /** Namespaces only policies live in (no other object names them). */
  policyNamespaces: ReadonlySet<string>;
  namespaces: Map<string, NamespaceInfo>;
  workloads: WorkloadPeer[];
  compiler: PolicyCompiler;
  /** The build's input, and which of its objects are NetworkPolicies. */
  objects: readonly KubeObject[];
  isPolicy: Uint8Array;
  /** The NetworkPolicy objects in input order, and the compiled entry of each one in force. */
  slots: readonly PolicySlot[];
  entries: readonly (CompiledEntry | undefined)[];
  /** Shared by every cluster built from the same workloads: analyses cache across them by it. */
  lineage: object;
  /** Node objects (their addresses are what `nodes` peers admit). */
  nodes: readonly NodeObject[];
  /** Cluster policies compiled for this build, by object: the next build reuses unchanged ones. */
  clusterEntries: ReadonlyMap<ClusterPolicyObject, ClusterEntry>;
  /** The sides of cluster policy rules, by the policies selecting them: the next build reuses them. */
  tierSides: ReturnType<typeof sideTiersOf>['shared'];
}

/** What a build reads from a NetworkPolicy object before compiling it. */
interface PolicySlot {
  object: NetworkPolicyObject;
  id: string;
  namespace: string;
  valid: boolean;
}

function policySlot(object: NetworkPolicyObject): PolicySlot {
  return { object, id: policyId(object), namespace: namespaceOf(object), valid: object.valid };
}

const buildStates = new WeakMap<Cluster, BuildState>();

/**
 * The token shared by clusters built incrementally from one another (same workloads, same
 * compiler: rule ids and peer groups mean the same thing in all of them); undefined for clusters
 * not made by {@link buildCluster}.
 */
export function lineageOf(cluster: Cluster): object | undefined {
  return buildStates.get(cluster)?.lineage;
}

/**
 * Builds the compiled cluster model from parsed objects: namespaces (declared and implicit),
 * workload peers (one per owner), policies with API-server defaulting, and for every rule peer
 * the set of workloads it admits. Everything expensive happens here, once.
 *
 * With `previous` (a cluster built earlier by this function), the build is incremental when
 * nothing but NetworkPolicies changed: every object that is not a NetworkPolicy is the same
 * object (`===`), in the same order, and no namespace appears or disappears. The workloads are
 * then shared with `previous`, and only policies not compiled for it are compiled. The result
 * is the same as a full build; rule ids differ, and only identity matters for them.
 */
export function buildCluster(
  objects: readonly KubeObject[],
  options: ClusterOptions = {},
  previous?: Cluster,
): Cluster {
  const resolved = {
    compat: options.compat,
    cni: options.cni ?? 'upstream',
    granularity: options.granularity ?? 'workload',
  } as const;
  const prior = previous && buildStates.get(previous);
  // Objects where the previous build had them are known without reading them again: after an
  // edit, reading ten thousand scattered objects costs more than the rest of the build.
  // 1: a NetworkPolicy, 2: a cluster policy, 0: anything else (namespaces and workloads come from those).
  const isPolicy = new Uint8Array(objects.length);
  const base: KubeObject[] = [];
  const slots: PolicySlot[] = [];
  const clusterObjects: ClusterPolicyObject[] = [];
  // Without a previous build the workloads are built afresh: each object is scanned for them
  // now, while it is at hand (a pass of its own would read every object again).
  const scanner = prior ? undefined : new ObjectScanner(resolved);
  for (let i = 0; i < objects.length; i++) {
    const object = objects[i]!;
    const kind =
      prior?.objects[i] === object
        ? prior.isPolicy[i]!
        : object.kind === 'NetworkPolicy'
          ? 1
          : isClusterPolicy(object)
            ? 2
            : 0;
    scanner?.visit(object, kind);
    if (kind === 2) {
      isPolicy[i] = 2;
      clusterObjects.push(object as ClusterPolicyObject);
      continue;
    }
    if (kind === 0) {
      base.push(object);
      continue;
    }
    isPolicy[i] = 1;
    const known = prior?.slots[slots.length];
    slots.push(known?.object === object ? known : policySlot(object as NetworkPolicyObject));
  }
  const reused = reusableState(prior, resolved, base, slots);
  const state =
    reused ?? freshState(scanner?.finish() ?? scanObjects(objects, isPolicy, resolved), base, resolved);
  const { namespaces, workloads, compiler } = state;
  // A policy compiled for the previous build, found by position or else by object.
  let byObject: Map<NetworkPolicyObject, CompiledEntry> | undefined;
  const compiledBefore = (slot: PolicySlot, j: number): CompiledEntry | undefined => {
    if (!reused) return undefined;
    if (reused.slots[j] === slot) return reused.entries[j];
    byObject ??= new Map(
      reused.slots.flatMap((s, k) => (reused.entries[k] ? [[s.object, reused.entries[k]] as const] : [])),
    );
    return byObject.get(slot.object);
  };

  const diagnostics: Diagnostic[] = [
    ...state.duplicateNamespaces.map(duplicateNamespace),
    ...state.hostNetwork.map(hostNetworkNote),
  ];
  const policies: CompiledPolicy[] = [];
  const entries: CompiledEntry[] = [];
  const slotEntries: (CompiledEntry | undefined)[] = [];
  const seenPolicies = new Set<string>();
  slots.forEach((slot, j) => {
    const { object, id } = slot;
    slotEntries.push(undefined);
    if (seenPolicies.has(id)) {
      diagnostics.push({
        code: 'np-duplicate-name',
        severity: 'error',
        message: `NetworkPolicy "${id}" is already exists. Only one object of a given kind can have a given name at a time.`,
        file: object.source.file,
        field: 'metadata.name',
        range: object.source.locate(['metadata', 'name']),
        object: id,
        kind: 'NetworkPolicy',
      });
      return;
    }
    seenPolicies.add(id);
    // The API server would have refused an invalid policy, so it cannot be in force.
    if (!slot.valid) return;
    const entry = compiledBefore(slot, j) ?? compiler.compile(object, id);
    slotEntries[j] = entry;
    entries.push(entry);
    policies.push(entry.policy);
    for (const note of entry.notes) {
      const { path, ...rest } = note;
      diagnostics.push({
        ...rest,
        file: object.source.file,
        range: object.source.locate(path),
        object: id,
        kind: 'NetworkPolicy',
      });
    }
  });
  // Cluster policies: compiled once per object, reused by later builds of the same lineage.
  const clusterEntries = new Map<ClusterPolicyObject, ClusterEntry>();
  const inForce: ClusterEntry[] = [];
  diagnostics.push(...clusterPolicyDiagnostics(clusterObjects, resolved));
  const seenCluster = new Set<string>();
  for (const object of clusterObjects) {
    const id = clusterPolicyId(object);
    if (seenCluster.has(id)) continue;
    seenCluster.add(id);
    const enforced = enforcedClusterPolicy(object, resolved);
    if (!enforced) continue;
    const entry =
      (reused ? state.clusterEntries.get(object) : undefined) ??
      compileClusterPolicy(compiler, object, state.nodes, resolved);
    clusterEntries.set(object, entry);
    inForce.push(entry);
    for (const note of entry.notes) {
      const { path, ...rest } = note;
      diagnostics.push({
        ...rest,
        file: object.source.file,
        range: object.source.locate(path),
        object: id,
        kind: object.kind,
      });
    }
  }
  const clusterPolicies: CompiledClusterPolicy[] = evaluationOrder(inForce.map((e) => e.policy));
  const tiers = sideTiersOf(clusterPolicies, workloads.length, reused?.tierSides);
  const ties = priorityTies(clusterPolicies, resolved.compat);
  diagnostics.push(...ties.diagnostics);

  diagnostics.push(...ownerLabelGaps(workloads, entries, compiler, inForce));
  diagnostics.push(...partialIpMatches(workloads, entries, compiler));

  const ingressPolicies: CompiledPolicy[][] = workloads.map(() => []);
  const egressPolicies: CompiledPolicy[][] = workloads.map(() => []);
  for (const policy of policies) {
    for (const w of policy.selected) {
      if (policy.affectsIngress) ingressPolicies[w]!.push(policy);
      if (policy.affectsEgress) egressPolicies[w]!.push(policy);
    }
  }
  const enforced = resolved.cni !== 'flannel' && resolved.cni !== 'kubenet';
  const cluster: Cluster = {
    options: resolved,
    namespaces,
    workloads,
    policies,
    // Without an enforcing CNI, policies exist but isolate nothing.
    ingressPolicies: enforced ? ingressPolicies : workloads.map(() => []),
    egressPolicies: enforced ? egressPolicies : workloads.map(() => []),
    ingressIpSets: entries.flatMap((e) => e.ingressIps),
    egressIpSets: [...entries.flatMap((e) => e.egressIps), ...inForce.flatMap((e) => e.egressIps)],
    usesNamedPorts: entries.some((e) => e.namedPorts) || inForce.some((e) => e.namedPorts),
    clusterPolicies,
    domains: domainsNamed(clusterPolicies),
    ingressTiers: tiers.ingress,
    egressTiers: tiers.egress,
    priorityTies: ties.byPolicy,
    diagnostics,
  };
  buildStates.set(cluster, {
    ...state,
    objects: [...objects],
    isPolicy,
    slots,
    entries: slotEntries,
    clusterEntries,
    tierSides: tiers.shared,
  });
  return cluster;
}

function freshState(scan: ObjectScan, base: readonly KubeObject[], options: Cluster['options']): BuildState {
  const { namespaces, baseNames, workloads, uneven } = scan;
  return {
    options,
    base,
    duplicateNamespaces: scan.duplicateNamespaces,
    hostNetwork: workloads.filter((w) => w.hostNetwork),
    policyNamespaces: new Set([...namespaces.keys()].filter((name) => !baseNames.has(name))),
    namespaces,
    workloads,
    compiler: new PolicyCompiler(workloads, namespaces, options, uneven),
    objects: [],
    isPolicy: new Uint8Array(0),
    slots: [],
    entries: [],
    lineage: {},
    nodes: scan.nodes,
    clusterEntries: new Map(),
    tierSides: new Map(),
  };
}

/** The previous build's state when this build may start from it (see {@link buildCluster}). */
function reusableState(
  state: BuildState | undefined,
  options: Cluster['options'],
  base: readonly KubeObject[],
  slots: readonly PolicySlot[],
): BuildState | undefined {
  if (!state) return undefined;
  const o = state.options;
  if (o.compat !== options.compat || o.cni !== options.cni || o.granularity !== options.granularity)
    return undefined;
  if (state.base.length !== base.length || state.base.some((object, i) => object !== base[i]))
    return undefined;
  // A policy in a namespace nothing else names adds an (implicit) namespace: the set must not change.
  const policyNamespaces = new Set<string>();
  for (const { namespace: name } of slots) {
    if (!state.namespaces.has(name)) return undefined;
    if (state.policyNamespaces.has(name)) policyNamespaces.add(name);
  }
  return policyNamespaces.size === state.policyNamespaces.size ? state : undefined;
}

/**
 * Pods of one owner are analysed as one peer. When some policy selector matches some of those
 * pods and not others, they would be treated differently, and one peer cannot represent them.
 */
function ownerLabelGaps(
  workloads: readonly WorkloadPeer[],
  entries: readonly CompiledEntry[],
  compiler: PolicyCompiler,
  clusterEntries: readonly ClusterEntry[],
): Diagnostic[] {
  if (!compiler.hasUnevenPods) return [];
  const split = new Set<number>();
  for (const entry of [...entries, ...clusterEntries]) {
    for (const selector of entry.selectors) for (const i of compiler.splitWorkloads(selector)) split.add(i);
  }
  return [...split]
    .sort((a, b) => a - b)
    .map((i) => {
      const w = workloads[i]!;
      const name = `${w.namespace}/${w.name}`;
      return {
        code: 'pod-owner-label-gap',
        severity: 'error',
        message: `Found Pods of the same owner workload \`${name}\` and with differences in their labels, while a network policy contains selectors impacted by this gap.\n`,
        file: w.pods[0]!.source.file,
        field: 'metadata.labels',
        range: w.pods[0]!.source.locate(['metadata', 'labels']),
        object: name,
        kind: w.kind,
      };
    });
}

/** Workloads an ipBlock of some policy covers for some of their pods only. */
function partialIpMatches(
  workloads: readonly WorkloadPeer[],
  entries: readonly CompiledEntry[],
  compiler: PolicyCompiler,
): Diagnostic[] {
  const ids = new Set<string>();
  for (const entry of entries) {
    for (const group of entry.ipGroups) for (const id of compiler.partialMatches(group)) ids.add(id);
  }
  return [...ids].map((id) => {
    const w = workloads.find((x) => x.id === id)!;
    return {
      code: 'ipblock-partial-workload',
      severity: 'warning',
      message: `an ipBlock covers the IPs of some pods of ${id} but not all: the workload is treated as outside it`,
      file: w.pods[0]!.source.file,
      field: 'status.podIP',
      range: w.pods[0]!.source.locate(['status', 'podIP']),
      object: id,
      kind: w.kind,
    };
  });
}
