import type {
  Diagnostic,
  IPBlock,
  NetworkPolicyObject,
  NetworkPolicyPeer,
  NetworkPolicyPort,
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
import { type CompiledSelector, SelectorCache } from './selectors.ts';
import type { UnevenWorkload } from './workloadCollector.ts';

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

/** What a build needs of one distinct ipBlock (see `PolicyCompiler.ipBlock`). */
interface IpBlockInfo {
  ipv4: Intervals | undefined;
  /** An IPv6 block (not analysed: reported). */
  ipv6: boolean;
  /** Its peer group key: blocks admitting the same addresses share a group. */
  key: string;
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
  private readonly unevenPods: readonly UnevenWorkload[];
  private differingKeys: Map<string, WorkloadPeer[]> | undefined;
  private notes: PolicyNote[] = [];
  private readonly ipBlocks = new Map<string, IpBlockInfo>();
  private readonly ipBlocksExcept = new Map<string, IpBlockInfo>();
  private readonly selectors = new SelectorCache();

  /** `uneven`: the workloads whose pods do not all carry the same labels, and the keys they differ on. */
  constructor(
    private readonly workloads: readonly WorkloadPeer[],
    namespaces: ReadonlyMap<string, NamespaceInfo>,
    private readonly options: Cluster['options'],
    uneven: readonly UnevenWorkload[],
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
      for (const { workload, keys } of this.unevenPods) {
        for (const key of keys) {
          const list = byKey.get(key);
          if (list) list.push(workload);
          else byKey.set(key, [workload]);
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
    const podSelector = this.selectors.compile(spec.podSelector);
    // The API server defaults an absent OR empty list: [Ingress], plus Egress when egress rules exist.
    const written = spec.policyTypes && spec.policyTypes.length > 0 ? spec.policyTypes : undefined;
    const policy: CompiledPolicy = {
      id,
      namespace,
      name: object.metadata.name,
      object,
      podSelector,
      affectsIngress: written ? written.includes('Ingress') : true,
      affectsEgress: written ? written.includes('Egress') : (spec.egress?.length ?? 0) > 0,
      ingress: [],
      egress: [],
      selected: [],
    };
    // Only the policy's own namespace can be selected: test that namespace's workloads alone.
    const selected: number[] = [];
    for (const w of this.members.byNamespace().get(namespace) ?? []) {
      if (podSelector.matches(w.labels)) selected.push(w.index);
    }
    policy.selected = selected;
    const entry: CompiledEntry = {
      policy,
      notes: this.notes,
      selectors: [podSelector],
      ipGroups: [],
      ingressIps: [],
      egressIps: [],
      namedPorts: false,
    };
    // Rules for a direction missing from policyTypes are ignored by Kubernetes.
    if (policy.affectsIngress) policy.ingress = this.rules(policy, 'Ingress', spec.ingress, entry);
    if (policy.affectsEgress) policy.egress = this.rules(policy, 'Egress', spec.egress, entry);
    return entry;
  }

  /** False when no workload has pods with different labels: no selector can split one then. */
  get hasUnevenPods(): boolean {
    return this.unevenPods.length > 0;
  }

  /** Compiles one direction's rules, gathering what a build needs of them into `entry`. */
  private rules(
    policy: CompiledPolicy,
    direction: Direction,
    rules: readonly NetworkPolicyRule[] | undefined,
    entry: CompiledEntry,
  ): CompiledRule[] {
    const compiled: CompiledRule[] = [];
    if (!rules) return compiled;
    const ips = direction === 'Ingress' ? entry.ingressIps : entry.egressIps;
    for (let index = 0; index < rules.length; index++) {
      const rule = rules[index]!;
      let peers: CompiledPeer[] | undefined;
      if (rule.peers && rule.peers.length > 0) {
        peers = [];
        for (let i = 0; i < rule.peers.length; i++) {
          const peer = this.peer(policy, rule.peers[i]!, i, direction, index);
          peers.push(peer);
          if (peer.podSelector) entry.selectors.push(peer.podSelector);
          if (peer.kind === 'ipBlock') entry.ipGroups.push(peer.group);
          if (peer.ipv4) ips.push(peer.ipv4);
        }
      }
      const ports = rule.ports && rule.ports.length > 0 ? compilePorts(rule.ports) : undefined;
      const named = ports?.some((p) => p.kind === 'named') ?? false;
      if (named) entry.namedPorts = true;
      if (
        named &&
        this.options.compat === 'netpol-analyzer' &&
        direction === 'Egress' &&
        peers?.some((p) => p.kind === 'ipBlock')
      ) {
        this.notes.push({
          code: 'np-named-port-ipblock',
          severity: 'error',
          message: 'named port error: cannot convert named port for an IP destination',
          field: `spec.egress[${index}].ports`,
          path: ['spec', 'egress', index, 'ports'],
        });
      }
      compiled.push({ id: this.nextRuleId++, policy, direction, index, peers, ports });
    }
    return compiled;
  }

  private peer(
    policy: CompiledPolicy,
    peer: NetworkPolicyPeer,
    index: number,
    direction: Direction,
    ruleIndex: number,
  ): CompiledPeer {
    if (peer.ipBlock) {
      const block = this.ipBlock(peer.ipBlock);
      if (!block.ipv4 && block.ipv6) {
        const path = [
          direction === 'Ingress' ? 'ingress' : 'egress',
          ruleIndex,
          direction === 'Ingress' ? 'from' : 'to',
          index,
        ];
        this.notes.push({
          code: 'ipv6-not-analysed',
          severity: 'info',
          message: `IPv6 ipBlock ${peer.ipBlock.cidr} is validated but not analysed yet: IPv6 traffic is not shown`,
          field: `spec.${path.join('.')}.ipBlock.cidr`,
          path: ['spec', ...path, 'ipBlock', 'cidr'],
        });
      }
      const ipv4 = block.ipv4;
      const group = this.group(block.key, () => this.members.inAddresses(ipv4));
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
    const namespaceSelector = peer.namespaceSelector
      ? this.selectors.compile(peer.namespaceSelector)
      : undefined;
    const podSelector = peer.podSelector ? this.selectors.compile(peer.podSelector) : undefined;
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

  /**
   * An ipBlock's addresses and peer group key, computed once per distinct block: policies repeat
   * the same few blocks (the internet minus the private ranges), and parsing CIDRs is not free.
   */
  private ipBlock(block: IPBlock): IpBlockInfo {
    // Keyed by the exact text: by the CIDR alone when nothing is excepted (most blocks).
    const cache = block.except.length === 0 ? this.ipBlocks : this.ipBlocksExcept;
    const text = block.except.length === 0 ? block.cidr : JSON.stringify([block.cidr, block.except]);
    let info = cache.get(text);
    if (!info) {
      const ipv4 = ipBlockIntervals(block);
      info = { ipv4, ipv6: !ipv4 && isIPv6Cidr(block.cidr), key: `ip:${ipv4?.join(',') ?? block.cidr}` };
      cache.set(text, info);
    }
    return info;
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

/** A rule's ports, those with an unknown protocol left out (the API server rejects them). */
function compilePorts(ports: readonly NetworkPolicyPort[]): CompiledPort[] {
  const out: CompiledPort[] = [];
  for (let i = 0; i < ports.length; i++) {
    const port = ports[i]!;
    const protocol = parseProtocol(port.protocol);
    if (!protocol) continue;
    if (port.port === undefined)
      out.push({ index: i, protocol, kind: 'all', from: MIN_PORT, to: MAX_PORT, name: undefined });
    else if (typeof port.port === 'string')
      out.push({ index: i, protocol, kind: 'named', from: 0, to: -1, name: port.port });
    else
      out.push({
        index: i,
        protocol,
        kind: 'range',
        from: port.port,
        to: port.endPort ?? port.port,
        name: undefined,
      });
  }
  return out;
}
