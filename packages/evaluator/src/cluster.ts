import type {
  Diagnostic,
  KubeObject,
  Labels,
  NetworkPolicyObject,
  NetworkPolicyPeer,
  NetworkPolicyRule,
  PodObject,
  WorkloadObject,
} from '@netpol-atlas/manifests';
import { MAX_PORT, MIN_PORT, parseProtocol } from './connectionSet.ts';
import type { Intervals } from './intervals.ts';
import { intervalsContain } from './intervals.ts';
import { ipBlockIntervals, isIPv6Cidr, parseIPv4 } from './ip.ts';
import type {
  Cluster,
  ClusterOptions,
  CompiledPeer,
  CompiledPolicy,
  CompiledPort,
  CompiledRule,
  Direction,
  NamespaceInfo,
  PodInfo,
  WorkloadPeer,
} from './model.ts';
import { type CompiledSelector, compileSelector } from './selectors.ts';

/** The label every namespace carries (Kubernetes 1.21+), keyed on its name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

const DEFAULT_NAMESPACE = 'default';

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
    const id = `${object.metadata.namespace ?? DEFAULT_NAMESPACE}/${object.metadata.name}`;
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

/** Compiles policies, sharing selector evaluations and peer member sets across all of them. */
class PolicyCompiler {
  readonly ipSets: Record<Direction, Intervals[]> = { Ingress: [], Egress: [] };
  usesNamedPorts = false;
  /** Workloads an ipBlock covers for some of their pods only: one peer cannot say yes for all. */
  readonly partialIpMatches = new Set<string>();
  private nextRuleId = 0;
  private readonly groups = new Map<string, { group: number; members: Uint8Array }>();
  private readonly namespaceMatches = new Map<string, Set<string>>();
  private readonly podMatches = new Map<string, Uint8Array>();

  constructor(
    private readonly workloads: readonly WorkloadPeer[],
    private readonly namespaces: ReadonlyMap<string, NamespaceInfo>,
    private readonly options: Cluster['options'],
    private readonly diagnostics: Diagnostic[],
  ) {}

  compile(object: NetworkPolicyObject, id: string): CompiledPolicy {
    const namespace = object.metadata.namespace ?? DEFAULT_NAMESPACE;
    const spec = object.spec;
    const podSelector = compileSelector(spec.podSelector);
    // The API server defaults an absent OR empty list: [Ingress], plus Egress when egress rules exist.
    const types =
      spec.policyTypes && spec.policyTypes.length > 0
        ? spec.policyTypes
        : ['Ingress', ...((spec.egress?.length ?? 0) > 0 ? ['Egress'] : [])];
    const policy: CompiledPolicy = {
      id,
      namespace,
      name: object.metadata.name,
      object,
      podSelector,
      affectsIngress: types.includes('Ingress'),
      affectsEgress: types.includes('Egress'),
      ingress: [],
      egress: [],
      selected: [],
    };
    const selected = this.podMembers(podSelector);
    // Only the policy's own namespace can be selected: filter that list, not every workload.
    policy.selected = (this.byNamespace().get(namespace) ?? [])
      .filter((w) => selected[w.index] === 1)
      .map((w) => w.index);
    // Rules for a direction missing from policyTypes are ignored by Kubernetes.
    if (policy.affectsIngress) policy.ingress = this.rules(policy, 'Ingress', spec.ingress ?? []);
    if (policy.affectsEgress) policy.egress = this.rules(policy, 'Egress', spec.egress ?? []);
    return policy;
  }

  private rules(
    policy: CompiledPolicy,
    direction: Direction,
    rules: readonly NetworkPolicyRule[],
  ): CompiledRule[] {
    return rules.map((rule, index) => {
      const field = direction === 'Ingress' ? 'ingress' : 'egress';
      const peersField = direction === 'Ingress' ? 'from' : 'to';
      const peers =
        rule.peers && rule.peers.length > 0
          ? rule.peers.map((peer, i) => this.peer(policy, direction, peer, i, [field, index, peersField, i]))
          : undefined;
      const ports =
        rule.ports && rule.ports.length > 0
          ? rule.ports.flatMap((port, i): CompiledPort[] => {
              const protocol = parseProtocol(port.protocol);
              if (!protocol) return [];
              if (port.port === undefined)
                return [{ index: i, protocol, kind: 'all', from: MIN_PORT, to: MAX_PORT, name: undefined }];
              if (typeof port.port === 'string') {
                this.usesNamedPorts = true;
                return [{ index: i, protocol, kind: 'named', from: 0, to: -1, name: port.port }];
              }
              return [
                {
                  index: i,
                  protocol,
                  kind: 'range',
                  from: port.port,
                  to: port.endPort ?? port.port,
                  name: undefined,
                },
              ];
            })
          : undefined;
      if (
        this.options.compat === 'netpol-analyzer' &&
        direction === 'Egress' &&
        peers?.some((p) => p.kind === 'ipBlock')
      ) {
        if (ports?.some((p) => p.kind === 'named')) {
          this.diagnostics.push({
            code: 'np-named-port-ipblock',
            severity: 'error',
            message: 'named port error: cannot convert named port for an IP destination',
            file: policy.object.source.file,
            field: `spec.egress[${index}].ports`,
            range: policy.object.source.locate(['spec', 'egress', index, 'ports']),
            object: policy.id,
            kind: 'NetworkPolicy',
          });
        }
      }
      return { id: this.nextRuleId++, policy, direction, index, peers, ports };
    });
  }

  private peer(
    policy: CompiledPolicy,
    direction: Direction,
    peer: NetworkPolicyPeer,
    index: number,
    path: (string | number)[],
  ): CompiledPeer {
    if (peer.ipBlock) {
      const ipv4 = ipBlockIntervals(peer.ipBlock);
      if (ipv4) this.ipSets[direction].push(ipv4);
      else if (isIPv6Cidr(peer.ipBlock.cidr)) {
        this.diagnostics.push({
          code: 'ipv6-not-analysed',
          severity: 'info',
          message: `IPv6 ipBlock ${peer.ipBlock.cidr} is validated but not analysed yet: IPv6 traffic is not shown`,
          file: policy.object.source.file,
          field: `spec.${path.join('.')}.ipBlock.cidr`,
          range: policy.object.source.locate(['spec', ...path, 'ipBlock', 'cidr']),
          object: policy.id,
          kind: 'NetworkPolicy',
        });
      }
      const key = `ip:${ipv4?.join(',') ?? peer.ipBlock.cidr}`;
      const group = this.group(key, () => this.ipMembers(ipv4));
      return {
        index,
        group: group.group,
        kind: 'ipBlock',
        namespaceSelector: undefined,
        podSelector: undefined,
        ipBlock: peer.ipBlock,
        ipv4,
        members: group.members,
      };
    }
    const namespaceSelector = peer.namespaceSelector ? compileSelector(peer.namespaceSelector) : undefined;
    const podSelector = peer.podSelector ? compileSelector(peer.podSelector) : undefined;
    const nsKey = namespaceSelector ? `sel:${namespaceSelector.key}` : `ns:${policy.namespace}`;
    const key = `${nsKey}|${podSelector?.key ?? '*'}`;
    const group = this.group(key, () => {
      const namespaces = namespaceSelector
        ? this.namespacesMatching(namespaceSelector)
        : new Set([policy.namespace]);
      const pods = podSelector ? this.podMembers(podSelector) : undefined;
      const members = new Uint8Array(this.workloads.length);
      for (const w of this.workloads) {
        if (namespaces.has(w.namespace) && (!pods || pods[w.index] === 1)) members[w.index] = 1;
      }
      return members;
    });
    return {
      index,
      group: group.group,
      kind: 'selector',
      namespaceSelector,
      podSelector,
      ipBlock: undefined,
      ipv4: undefined,
      members: group.members,
    };
  }

  private workloadsByNamespace: Map<string, WorkloadPeer[]> | undefined;

  private byNamespace(): Map<string, WorkloadPeer[]> {
    if (!this.workloadsByNamespace) {
      this.workloadsByNamespace = new Map();
      for (const w of this.workloads) {
        const list = this.workloadsByNamespace.get(w.namespace) ?? [];
        list.push(w);
        this.workloadsByNamespace.set(w.namespace, list);
      }
    }
    return this.workloadsByNamespace;
  }

  private group(key: string, members: () => Uint8Array): { group: number; members: Uint8Array } {
    let entry = this.groups.get(key);
    if (!entry) {
      entry = { group: this.groups.size, members: members() };
      this.groups.set(key, entry);
    }
    return entry;
  }

  /**
   * Upstream e2e expects an ipBlock to admit a pod whose IP lies inside it; netpol-analyzer and
   * Cilium never match pod IPs. A workload is admitted only when every known pod IP is inside.
   */
  private ipMembers(ipv4: Intervals | undefined): Uint8Array {
    const members = new Uint8Array(this.workloads.length);
    if (!ipv4 || this.options.compat === 'netpol-analyzer' || this.options.cni === 'cilium') return members;
    for (const w of this.workloads) {
      const inside = w.ipv4.filter((ip) => intervalsContain(ipv4, ip)).length;
      if (inside > 0 && inside === w.ipv4.length) members[w.index] = 1;
      else if (inside > 0) this.partialIpMatches.add(w.id);
    }
    return members;
  }

  private namespacesMatching(selector: CompiledSelector): Set<string> {
    let set = this.namespaceMatches.get(selector.key);
    if (!set) {
      set = new Set(
        [...this.namespaces.values()].filter((ns) => selector.matches(ns.labels)).map((ns) => ns.name),
      );
      this.namespaceMatches.set(selector.key, set);
    }
    return set;
  }

  private podMembers(selector: CompiledSelector): Uint8Array {
    let members = this.podMatches.get(selector.key);
    if (!members) {
      members = new Uint8Array(this.workloads.length);
      for (const w of this.workloads) if (selector.matches(w.labels as Labels)) members[w.index] = 1;
      this.podMatches.set(selector.key, members);
    }
    return members;
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
