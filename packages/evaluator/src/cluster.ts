import type {
  Diagnostic,
  KubeObject,
  NetworkPolicyObject,
  PodObject,
  WorkloadObject,
} from '@netpol-atlas/manifests';
import { parseIPv4 } from './ip.ts';
import {
  type Cluster,
  type ClusterOptions,
  type CompiledPolicy,
  DEFAULT_NAMESPACE,
  type NamespaceInfo,
  type PodInfo,
  type WorkloadPeer,
} from './model.ts';
import { PolicyCompiler } from './policyCompiler.ts';
import type { CompiledSelector } from './selectors.ts';

/** `ns/name` of a policy, its namespace defaulted: the id every report and query uses. */
export function policyId(policy: NetworkPolicyObject): string {
  return `${policy.metadata.namespace ?? DEFAULT_NAMESPACE}/${policy.metadata.name}`;
}

/** The label every namespace carries (Kubernetes 1.21+), keyed on its name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * Builds the compiled cluster model from parsed objects: namespaces (declared and implicit),
 * workload peers (one per owner), policies with API-server defaulting, and for every rule peer
 * the set of workloads it admits. Everything expensive happens here, once.
 */
export function buildCluster(objects: readonly KubeObject[], options: ClusterOptions = {}): Cluster {
  const resolved = {
    compat: options.compat,
    cni: options.cni ?? 'upstream',
    granularity: options.granularity ?? 'workload',
  } as const;
  const diagnostics: Diagnostic[] = [];
  const namespaces = collectNamespaces(objects, diagnostics);
  const workloads = collectWorkloads(objects, resolved, namespaces, diagnostics);
  const compiler = new PolicyCompiler(workloads, namespaces, resolved, diagnostics);
  const policies: CompiledPolicy[] = [];
  const seenPolicies = new Set<string>();
  for (const object of objects) {
    if (object.kind !== 'NetworkPolicy') continue;
    const id = policyId(object);
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
      continue;
    }
    seenPolicies.add(id);
    // The API server would have refused an invalid policy, so it cannot be in force.
    if (!object.valid) continue;
    policies.push(compiler.compile(object, id));
  }
  checkOwnerLabelGaps(workloads, policies, diagnostics);
  for (const id of compiler.partialIpMatches) {
    const w = workloads.find((x) => x.id === id)!;
    diagnostics.push({
      code: 'ipblock-partial-workload',
      severity: 'warning',
      message: `an ipBlock covers the IPs of some pods of ${id} but not all: the workload is treated as outside it`,
      file: w.pods[0]!.source.file,
      field: 'status.podIP',
      range: w.pods[0]!.source.locate(['status', 'podIP']),
      object: id,
      kind: w.kind,
    });
  }

  const ingressPolicies: CompiledPolicy[][] = workloads.map(() => []);
  const egressPolicies: CompiledPolicy[][] = workloads.map(() => []);
  for (const policy of policies) {
    for (const w of policy.selected) {
      if (policy.affectsIngress) ingressPolicies[w]!.push(policy);
      if (policy.affectsEgress) egressPolicies[w]!.push(policy);
    }
  }
  const enforced = resolved.cni !== 'flannel' && resolved.cni !== 'kubenet';
  return {
    options: resolved,
    namespaces,
    workloads,
    policies,
    // Without an enforcing CNI, policies exist but isolate nothing.
    ingressPolicies: enforced ? ingressPolicies : workloads.map(() => []),
    egressPolicies: enforced ? egressPolicies : workloads.map(() => []),
    ingressIpSets: compiler.ipSets.Ingress,
    egressIpSets: compiler.ipSets.Egress,
    usesNamedPorts: compiler.usesNamedPorts,
    diagnostics,
  };
}

function namespaceOf(object: KubeObject): string {
  return object.metadata.namespace ?? DEFAULT_NAMESPACE;
}

function collectNamespaces(
  objects: readonly KubeObject[],
  diagnostics: Diagnostic[],
): Map<string, NamespaceInfo> {
  const namespaces = new Map<string, NamespaceInfo>();
  for (const object of objects) {
    if (object.kind !== 'Namespace') continue;
    const name = object.metadata.name;
    if (namespaces.has(name)) {
      diagnostics.push({
        code: 'ns-duplicate-name',
        severity: 'error',
        message: `Namespace "${name}" is already exists. Only one object of a given kind can have a given name at a time.`,
        file: object.source.file,
        field: 'metadata.name',
        range: object.source.locate(['metadata', 'name']),
        object: name,
        kind: 'Namespace',
      });
      continue;
    }
    namespaces.set(name, {
      name,
      labels: { ...object.metadata.labels, [NAMESPACE_NAME_LABEL]: name },
      declared: true,
      source: object.source,
    });
  }
  for (const object of objects) {
    if (object.kind === 'Namespace') continue;
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

/** A pod that will never send or receive traffic again, or has not been given an address yet. */
function isInactive(pod: PodObject): boolean {
  if (pod.phase === 'Succeeded' || pod.phase === 'Failed') return true;
  return pod.phase !== undefined && pod.podIPs.length === 0 && !pod.template.hostNetwork;
}

function collectWorkloads(
  objects: readonly KubeObject[],
  options: Cluster['options'],
  namespaces: Map<string, NamespaceInfo>,
  diagnostics: Diagnostic[],
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
        add(`${namespace}/${top.name}[${top.kind}]`, namespace, top.name, top.kind, object);
      }
    } else if (object.kind !== 'Namespace' && object.kind !== 'Service' && object.kind !== 'NetworkPolicy') {
      if (options.granularity === 'pod') continue;
      const top = ownerOf(namespace, object.kind, object.metadata.name);
      add(`${namespace}/${top.name}[${top.kind}]`, namespace, top.name, top.kind, object);
    }
  }
  const workloads = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  workloads.forEach((w, i) => {
    w.index = i;
    w.ipv4 = w.pods.flatMap((p) => p.ips.flatMap((ip) => parseIPv4(ip) ?? []));
    if (w.hostNetwork) {
      diagnostics.push({
        code: 'host-network-pod',
        severity: 'info',
        message: `${w.id} uses the host network: whether NetworkPolicy applies to it depends on the CNI (implementation-defined)`,
        file: w.pods[0]!.source.file,
        field: 'spec.hostNetwork',
        range: w.pods[0]!.source.locate(['spec', 'hostNetwork']),
        object: w.id,
      });
    }
    if (!namespaces.has(w.namespace)) throw new Error(`namespace ${w.namespace} was not collected`);
  });
  return workloads;
}

/**
 * Pods of one owner are analysed as one peer. When some policy selector matches some of those
 * pods and not others, they would be treated differently, and one peer cannot represent them.
 */
function checkOwnerLabelGaps(
  workloads: readonly WorkloadPeer[],
  policies: readonly CompiledPolicy[],
  diagnostics: Diagnostic[],
): void {
  const multi = workloads.filter((w) => w.pods.length > 1);
  if (multi.length === 0) return;
  const selectors = new Map<string, CompiledSelector>();
  for (const policy of policies) {
    selectors.set(policy.podSelector.key, policy.podSelector);
    for (const rule of [...policy.ingress, ...policy.egress]) {
      for (const peer of rule.peers ?? [])
        if (peer.podSelector) selectors.set(peer.podSelector.key, peer.podSelector);
    }
  }
  for (const w of multi) {
    const splits = [...selectors.values()].some((selector) => {
      const first = selector.matches(w.pods[0]!.labels);
      return w.pods.some((pod) => selector.matches(pod.labels) !== first);
    });
    if (!splits) continue;
    const name = `${w.namespace}/${w.name}`;
    diagnostics.push({
      code: 'pod-owner-label-gap',
      severity: 'error',
      message: `Found Pods of the same owner workload \`${name}\` and with differences in their labels, while a network policy contains selectors impacted by this gap.\n`,
      file: w.pods[0]!.source.file,
      field: 'metadata.labels',
      range: w.pods[0]!.source.locate(['metadata', 'labels']),
      object: name,
      kind: w.kind,
    });
  }
}

const NON_FATAL_ERRORS = new Set([
  'yaml-syntax',
  'yaml-alias-limit',
  'file-too-large',
  'meta-invalid-name',
  'meta-invalid-namespace',
]);

/**
 * True when a diagnostic makes the analysis untrustworthy (an object the API server would
 * refuse for what its spec says, duplicate objects, pods one peer cannot represent). Unreadable
 * documents and malformed names are errors too, but the rest of the input is still analysed, as
 * netpol-analyzer does.
 */
export function isFatal(diagnostic: Diagnostic): boolean {
  return diagnostic.severity === 'error' && !NON_FATAL_ERRORS.has(diagnostic.code);
}
