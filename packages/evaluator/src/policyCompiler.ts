import type {
  Diagnostic,
  NetworkPolicyObject,
  NetworkPolicyPeer,
  NetworkPolicyRule,
  PathSegment,
} from '@netpol-atlas/manifests';
import { MAX_PORT, MIN_PORT, parseProtocol } from './connectionSet.ts';
import type { Intervals } from './intervals.ts';
import { ipBlockIntervals, isIPv6Cidr } from './ip.ts';
import {
  type Cluster,
  type CompiledPeer,
  type CompiledPolicy,
  type CompiledPort,
  type CompiledRule,
  DEFAULT_NAMESPACE,
  type Direction,
  type NamespaceInfo,
  type WorkloadPeer,
} from './model.ts';
import { type Members, PeerMembers } from './peerMembers.ts';
import { type CompiledSelector, compileSelector } from './selectors.ts';

/**
 * A problem found while compiling one policy, its position left as a field path: it is resolved
 * when a cluster is built, so a policy compiled once reports where it is now.
 */
export interface PolicyNote extends Pick<Diagnostic, 'code' | 'severity' | 'message' | 'field'> {
  path: PathSegment[];
}

/** A compiled policy with the notes its compilation produced and what a build gathers from it. */
export interface CompiledEntry {
  policy: CompiledPolicy;
  notes: PolicyNote[];
  /** Its pod selectors (the policy's and its peers'). */
  selectors: CompiledSelector[];
  /** Peer groups of its ipBlock peers. */
  ipGroups: number[];
  /** IPv4 sets of its ingress / egress ipBlocks, in rule and peer order. */
  ingressIps: Intervals[];
  egressIps: Intervals[];
  namedPorts: boolean;
}

/** A peer group: its number and its members (see {@link Members}). */
interface PeerGroup extends Members {
  group: number;
}

/**
 * Compiles policies, sharing selector evaluations and peer member sets across all of them. One
 * compiler serves every cluster built incrementally from the same workloads, so rule ids and
 * peer group numbers are never reused for something else: analyses can cache by them.
 */
export class PolicyCompiler {
  private nextRuleId = 0;
  private readonly groups = new Map<string, PeerGroup>();
  private readonly groupsByNumber: PeerGroup[] = [];
  private readonly members: PeerMembers;
  private readonly splits = new Map<string, readonly number[]>();
  private readonly unevenPods: readonly WorkloadPeer[];
  private differingKeys: Map<string, WorkloadPeer[]> | undefined;
  private notes: PolicyNote[] = [];

  /** `uneven`: the workloads whose pods do not all carry the same labels. */
  constructor(
    private readonly workloads: readonly WorkloadPeer[],
    namespaces: ReadonlyMap<string, NamespaceInfo>,
    private readonly options: Cluster['options'],
    uneven: readonly WorkloadPeer[],
  ) {
    this.unevenPods = uneven;
    this.members = new PeerMembers(workloads, namespaces, options);
  }

  /** The next rule id from the counter every rule of this compiler's lineage shares. */
  ruleId(): number {
    return this.nextRuleId++;
  }

  /**
   * The peer group of a cluster policy's `namespaces`/`pods` peer (or subject): workloads in the
   * namespaces `namespaceSelector` matches whose labels `podSelector` matches (undefined: all).
   * Host-network pods are never selected by cluster policies.
   */
  clusterPodGroup(
    namespaceSelector: CompiledSelector,
    podSelector: CompiledSelector | undefined,
  ): { group: number; members: Uint8Array } {
    const key = `cluster:${namespaceSelector.key}|${podSelector?.key ?? '*'}`;
    return this.group(key, () =>
      this.members.inNamespaces(this.members.namespacesMatching(namespaceSelector), podSelector, true),
    );
  }

  /**
   * The peer group of an address set (a cluster policy's `networks`, or its nodes' addresses):
   * workloads whose known IPs all lie inside, as for an ipBlock.
   */
  addressGroup(ipv4: Intervals | undefined, key: string): { group: number; members: Uint8Array } {
    return this.group(`ip:${ipv4?.join(',') ?? key}`, () => this.members.inAddresses(ipv4));
  }

  /** A peer group that admits every workload (`all`) or none. */
  constantGroup(all: boolean): { group: number; members: Uint8Array } {
    return this.group(all ? 'const:all' : 'const:none', () => ({
      members: new Uint8Array(this.workloads.length).fill(all ? 1 : 0),
      partial: [],
    }));
  }

  /** Workload ids an ipBlock peer group covers for some of their pods only. */
  partialMatches(group: number): readonly string[] {
    return this.groupsByNumber[group]?.partial ?? [];
  }

  /**
   * Indices of the multi-pod workloads whose pods `selector` does not match alike: one peer
   * cannot stand for them. Cached per selector.
   */
  splitWorkloads(selector: CompiledSelector): readonly number[] {
    let split = this.splits.get(selector.key);
    if (!split) {
      // A selector reads only its keys: it can tell a workload's pods apart only on a key they differ on.
      const candidates = new Set<WorkloadPeer>();
      const differing = this.unevenByKey();
      for (const key of selector.keys) for (const w of differing.get(key) ?? []) candidates.add(w);
      const found: number[] = [];
      for (const w of candidates) {
        const first = selector.matches(w.pods[0]!.labels);
        if (w.pods.some((pod) => selector.matches(pod.labels) !== first)) found.push(w.index);
      }
      split = found.sort((a, b) => a - b);
      this.splits.set(selector.key, split);
    }
    return split;
  }

  /** Per label key, the workloads whose pods do not all carry it with one value. */
  private unevenByKey(): Map<string, WorkloadPeer[]> {
    if (!this.differingKeys) {
      const byKey = new Map<string, WorkloadPeer[]>();
      for (const w of this.uneven()) {
        const keys = new Set<string>();
        const first = w.pods[0]!.labels;
        for (const pod of w.pods) {
          for (const key of Object.keys(pod.labels)) if (pod.labels[key] !== first[key]) keys.add(key);
          for (const key of Object.keys(first)) if (!Object.hasOwn(pod.labels, key)) keys.add(key);
        }
        for (const key of keys) {
          const list = byKey.get(key) ?? [];
          list.push(w);
          byKey.set(key, list);
        }
      }
      this.differingKeys = byKey;
    }
    return this.differingKeys;
  }

  compile(object: NetworkPolicyObject, id: string): CompiledEntry {
    this.notes = [];
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
    // Only the policy's own namespace can be selected: test that namespace's workloads alone.
    policy.selected = (this.members.byNamespace().get(namespace) ?? [])
      .filter((w) => podSelector.matches(w.labels))
      .map((w) => w.index);
    // Rules for a direction missing from policyTypes are ignored by Kubernetes.
    if (policy.affectsIngress) policy.ingress = this.rules(policy, 'Ingress', spec.ingress ?? []);
    if (policy.affectsEgress) policy.egress = this.rules(policy, 'Egress', spec.egress ?? []);
    const entry: CompiledEntry = {
      policy,
      notes: this.notes,
      selectors: [podSelector],
      ipGroups: [],
      ingressIps: [],
      egressIps: [],
      namedPorts: false,
    };
    for (const rule of [...policy.ingress, ...policy.egress]) {
      if (rule.ports?.some((p) => p.kind === 'named')) entry.namedPorts = true;
      for (const peer of rule.peers ?? []) {
        if (peer.podSelector) entry.selectors.push(peer.podSelector);
        if (peer.kind === 'ipBlock') entry.ipGroups.push(peer.group);
        if (peer.ipv4) (rule.direction === 'Ingress' ? entry.ingressIps : entry.egressIps).push(peer.ipv4);
      }
    }
    return entry;
  }

  /** False when no workload has pods with different labels: no selector can split one then. */
  get hasUnevenPods(): boolean {
    return this.uneven().length > 0;
  }

  private uneven(): readonly WorkloadPeer[] {
    return this.unevenPods;
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
          ? rule.peers.map((peer, i) => this.peer(policy, peer, i, [field, index, peersField, i]))
          : undefined;
      const ports =
        rule.ports && rule.ports.length > 0
          ? rule.ports.flatMap((port, i): CompiledPort[] => {
              const protocol = parseProtocol(port.protocol);
              if (!protocol) return [];
              if (port.port === undefined)
                return [{ index: i, protocol, kind: 'all', from: MIN_PORT, to: MAX_PORT, name: undefined }];
              if (typeof port.port === 'string') {
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
          this.notes.push({
            code: 'np-named-port-ipblock',
            severity: 'error',
            message: 'named port error: cannot convert named port for an IP destination',
            field: `spec.egress[${index}].ports`,
            path: ['spec', 'egress', index, 'ports'],
          });
        }
      }
      return { id: this.nextRuleId++, policy, direction, index, peers, ports };
    });
  }

  private peer(
    policy: CompiledPolicy,
    peer: NetworkPolicyPeer,
    index: number,
    path: (string | number)[],
  ): CompiledPeer {
    if (peer.ipBlock) {
      const ipv4 = ipBlockIntervals(peer.ipBlock);
      if (!ipv4 && isIPv6Cidr(peer.ipBlock.cidr)) {
        this.notes.push({
          code: 'ipv6-not-analysed',
          severity: 'info',
          message: `IPv6 ipBlock ${peer.ipBlock.cidr} is validated but not analysed yet: IPv6 traffic is not shown`,
          field: `spec.${path.join('.')}.ipBlock.cidr`,
          path: ['spec', ...path, 'ipBlock', 'cidr'],
        });
      }
      const key = `ip:${ipv4?.join(',') ?? peer.ipBlock.cidr}`;
      const group = this.group(key, () => this.members.inAddresses(ipv4));
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
    const group = this.group(key, () =>
      this.members.inNamespaces(
        namespaceSelector ? this.members.namespacesMatching(namespaceSelector) : new Set([policy.namespace]),
        podSelector,
        false,
      ),
    );
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

  private group(key: string, members: () => Members): PeerGroup {
    let entry = this.groups.get(key);
    if (!entry) {
      entry = { group: this.groups.size, ...members() };
      this.groups.set(key, entry);
      this.groupsByNumber.push(entry);
    }
    return entry;
  }
}
