// Seeded random clusters for differential tests: small clusters (a few namespaces, pods,
// ReplicaSets, workloads, policies) that exercise the corners of the semantics, as plain data
// (genModel.ts; clusterYaml.ts writes it as manifest text). Used by tests only.

import { type ParseOptions, SeededRandom } from '@netpol-atlas/manifests';
import type { ClusterOptions, Protocol } from '../index.ts';
import type {
  GenCluster,
  GenClusterPolicy,
  GenPeer,
  GenPod,
  GenPolicy,
  GenPolicyPort,
  GenPort,
  GenRule,
  GenSelector,
  GenTierPeer,
  GenTierPort,
  GenTierRule,
  GenWorkload,
} from './genModel.ts';

/** The shared seeded generator, with the draws the cluster generator uses. */
export function prng(seed: number) {
  const random = new SeededRandom(seed);
  const next = () => random.next();
  return {
    chance: (p: number) => next() < p,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    subset: <T>(items: readonly T[], p: number): T[] => items.filter(() => next() < p),
  };
}
export type Rng = ReturnType<typeof prng>;

export const NS_NAMES = ['default', 'alpha', 'beta', 'gamma'] as const;
export const NS_LABELS: Record<string, readonly string[]> = { env: ['prod', 'dev'], team: ['red', 'blue'] };
export const POD_LABELS: Record<string, readonly string[]> = {
  app: ['web', 'db', 'api'],
  tier: ['fe', 'be'],
  env: ['prod', 'dev'],
};
/** Port name -> the layouts a pod may give it (same name, different numbers or protocols). */
export const NAMED_PORTS: Record<string, readonly [number, Protocol][]> = {
  http: [
    [80, 'TCP'],
    [8080, 'TCP'],
    [81, 'UDP'],
  ],
  dns: [
    [53, 'UDP'],
    [53, 'TCP'],
    [5353, 'UDP'],
  ],
  metrics: [
    [9090, 'TCP'],
    [9100, 'TCP'],
  ],
  sig: [
    [7000, 'SCTP'],
    [7000, 'TCP'],
  ],
};
const POLICY_PORT_NAMES = ['http', 'dns', 'metrics', 'sig', 'absent'];
const POLICY_PORT_NUMBERS = [53, 80, 81, 443, 5353, 7000, 8080, 9090, 65535, 1];
/**
 * How generated clusters are parsed: `10.1.2.77/16` (host bits set) checks that the evaluator
 * masks host bits, and only a server before 1.36 (without StrictIPCIDRValidation) accepts it.
 */
export const GENERATED_PARSE_OPTIONS: ParseOptions = {
  validation: { kubeVersion: { major: 1, minor: 35 } },
};

const CIDRS = [
  '10.0.0.0/8',
  '10.1.0.0/16',
  '10.0.1.0/24',
  '10.2.3.0/28',
  '10.1.2.77/16',
  '0.0.0.0/0',
  '192.168.0.0/16',
  '10.0.2.5/32',
  // These split the generated address space (10.0-2.0-3.1-12) inside one /24 or across /24s, so
  // pods of one ReplicaSet often fall on both sides.
  '10.1.0.0/23',
  '10.0.0.0/29',
];

function randomLabels(
  rng: Rng,
  vocabulary: Record<string, readonly string[]>,
  p: number,
): Record<string, string> {
  return Object.fromEntries(rng.subset(Object.keys(vocabulary), p).map((k) => [k, rng.pick(vocabulary[k]!)]));
}

function randomSelector(rng: Rng, vocabulary: Record<string, readonly string[]>): GenSelector {
  if (rng.chance(0.25)) return {};
  const out: GenSelector = {};
  if (rng.chance(0.6)) out.matchLabels = randomLabels(rng, vocabulary, 0.4);
  if (rng.chance(0.5)) {
    out.matchExpressions = Array.from({ length: rng.int(1, 2) }, () => {
      const key = rng.pick(Object.keys(vocabulary));
      const operator = rng.pick(['In', 'NotIn', 'Exists', 'DoesNotExist']);
      if (operator === 'Exists' || operator === 'DoesNotExist') return { key, operator };
      const values = rng.subset(vocabulary[key]!, 0.6);
      return { key, operator, values: values.length > 0 ? values : [vocabulary[key]![0]!] };
    });
  }
  return out;
}

function randomPorts(rng: Rng): GenPort[] {
  const ports: GenPort[] = [];
  for (const name of rng.subset(Object.keys(NAMED_PORTS), 0.45)) {
    const [containerPort, protocol] = rng.pick(NAMED_PORTS[name]!);
    ports.push({ name, containerPort, protocol });
  }
  if (rng.chance(0.3)) ports.push({ containerPort: 443, protocol: 'TCP' });
  return ports;
}

export function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}
export function intToIp(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** An except CIDR strictly inside `cidr` (which may have host bits set). */
function randomExcept(rng: Rng, cidr: string): string | undefined {
  const [address, prefixText] = cidr.split('/');
  const prefix = Number(prefixText);
  if (prefix >= 32) return undefined;
  const inner = rng.int(prefix + 1, Math.min(32, prefix + 12));
  const size = 2 ** (32 - prefix);
  const base = Math.floor(ipToInt(address!) / size) * size;
  const innerSize = 2 ** (32 - inner);
  const offset = rng.int(0, size / innerSize - 1) * innerSize;
  return `${intToIp(base + offset)}/${inner}`;
}

function randomPeer(rng: Rng): GenPeer {
  const kind = rng.pick(['pod', 'ns', 'both', 'ip', 'ip']);
  if (kind === 'ip') {
    const cidr = rng.pick(CIDRS);
    const except = Array.from({ length: rng.int(0, 2) }, () => randomExcept(rng, cidr)).filter(
      (e): e is string => e !== undefined,
    );
    return { ipBlock: except.length > 0 ? { cidr, except } : { cidr } };
  }
  const nsVocabulary = { ...NS_LABELS, 'kubernetes.io/metadata.name': NS_NAMES };
  return {
    ...(kind !== 'pod' ? { namespaceSelector: randomSelector(rng, nsVocabulary) } : {}),
    ...(kind !== 'ns' ? { podSelector: randomSelector(rng, POD_LABELS) } : {}),
  };
}

function randomPolicyPort(rng: Rng): GenPolicyPort {
  const out: GenPolicyPort = {};
  if (rng.chance(0.7)) out.protocol = rng.pick(['TCP', 'TCP', 'UDP', 'SCTP'] as const);
  const kind = rng.pick(['none', 'number', 'number', 'range', 'name', 'name']);
  if (kind === 'number') out.port = rng.pick(POLICY_PORT_NUMBERS);
  if (kind === 'range') {
    const port = rng.pick(POLICY_PORT_NUMBERS.filter((p) => p < 65000));
    out.port = port;
    out.endPort = port + rng.pick([0, 1, 100, 8000]);
  }
  if (kind === 'name') out.port = rng.pick(POLICY_PORT_NAMES);
  return out;
}

function randomRules(rng: Rng): GenRule[] | undefined {
  const shape = rng.int(0, 9);
  if (shape === 0) return undefined;
  if (shape === 1) return [];
  return Array.from({ length: rng.int(1, 3) }, () => {
    const rule: GenRule = {};
    const peers = rng.int(0, 9);
    if (peers === 1) rule.peers = [];
    else if (peers >= 3) rule.peers = Array.from({ length: rng.int(1, 3) }, () => randomPeer(rng));
    const ports = rng.int(0, 9);
    if (ports === 1) rule.ports = [];
    else if (ports >= 5) rule.ports = Array.from({ length: rng.int(1, 3) }, () => randomPolicyPort(rng));
    return rule;
  });
}

function randomNamespace(rng: Rng): string | undefined {
  // Omitted means `default`.
  return rng.chance(0.15) ? undefined : rng.pick(NS_NAMES);
}

function randomIp(rng: Rng, used: Set<string>): string {
  for (;;) {
    const ip = `10.${rng.int(0, 2)}.${rng.int(0, 3)}.${rng.int(1, 12)}`;
    if (!used.has(ip)) {
      used.add(ip);
      return ip;
    }
  }
}

export const OPTION_PROFILES: ClusterOptions[] = [
  {},
  {},
  {},
  { compat: 'netpol-analyzer' },
  { cni: 'cilium' },
  { cni: 'calico' },
  { cni: 'flannel' },
  { granularity: 'pod' },
  { granularity: 'pod', compat: 'netpol-analyzer' },
];

/** A random policy named `name`, in a random namespace. */
export function randomPolicy(rng: Rng, name: string): GenPolicy {
  const policy: GenPolicy = {
    name,
    namespace: randomNamespace(rng),
    podSelector: randomSelector(rng, POD_LABELS),
  };
  // `policyTypes: []` is left out: see the known defaulting bug in upstreamModel.test.ts.
  const types = rng.int(0, 4);
  if (types === 1) policy.policyTypes = ['Ingress'];
  if (types === 2) policy.policyTypes = ['Egress'];
  if (types === 3) policy.policyTypes = ['Ingress', 'Egress'];
  if (types === 4) policy.policyTypes = ['Egress', 'Ingress'];
  const ingress = randomRules(rng);
  const egress = randomRules(rng);
  if (ingress) policy.ingress = ingress;
  if (egress) policy.egress = egress;
  return policy;
}

function randomTierPeer(rng: Rng, egress: boolean): GenTierPeer {
  const nsVocabulary = { ...NS_LABELS, 'kubernetes.io/metadata.name': NS_NAMES };
  const kind = rng.pick(egress ? ['ns', 'pods', 'networks'] : ['ns', 'pods']);
  if (kind === 'ns') return { namespaces: randomSelector(rng, nsVocabulary) };
  // A set: the CRD refuses repeated CIDRs.
  if (kind === 'networks') return { networks: [...new Set(rng.subset(CIDRS, 0.2).concat(rng.pick(CIDRS)))] };
  return {
    pods: {
      namespaceSelector: randomSelector(rng, nsVocabulary),
      podSelector: randomSelector(rng, POD_LABELS),
    },
  };
}

function randomTierPort(rng: Rng): GenTierPort {
  const protocol = rng.pick(['TCP', 'TCP', 'UDP', 'SCTP'] as const);
  const kind = rng.pick(['number', 'number', 'range', 'name']);
  if (kind === 'name') return { protocol, name: rng.pick(POLICY_PORT_NAMES) };
  const port = rng.pick(POLICY_PORT_NUMBERS.filter((p) => p < 65000));
  return kind === 'range' ? { protocol, port, end: port + rng.pick([1, 100, 8000]) } : { protocol, port };
}

/** A random cluster-wide policy named `name` of a random kind (BaselineAdminNetworkPolicy is always `default`). */
export function randomClusterPolicy(rng: Rng, name: string): GenClusterPolicy {
  const kind = rng.pick([
    'ClusterNetworkPolicy',
    'ClusterNetworkPolicy',
    'AdminNetworkPolicy',
    'BaselineAdminNetworkPolicy',
  ] as const);
  const tier =
    kind === 'ClusterNetworkPolicy'
      ? rng.pick(['Admin', 'Baseline'] as const)
      : kind === 'AdminNetworkPolicy'
        ? 'Admin'
        : 'Baseline';
  const rules = (egress: boolean): GenTierRule[] | undefined => {
    if (rng.chance(0.25)) return undefined;
    return Array.from({ length: rng.int(1, 3) }, () => {
      const actions =
        kind === 'BaselineAdminNetworkPolicy'
          ? (['Accept', 'Deny'] as const)
          : (['Accept', 'Deny', 'Pass'] as const);
      const rule: GenTierRule = {
        action: rng.pick(actions),
        peers: Array.from({ length: rng.int(1, 2) }, () => randomTierPeer(rng, egress)),
      };
      // Named ports towards networks are invalid (the CRD refuses them).
      const named = !rule.peers.some((p) => p.networks);
      if (rng.chance(0.5)) {
        rule.ports = Array.from({ length: rng.int(1, 2) }, () => randomTierPort(rng)).filter(
          (p) => named || !p.name,
        );
        if (rule.ports.length === 0) delete rule.ports;
      }
      return rule;
    });
  };
  const nsVocabulary = { ...NS_LABELS, 'kubernetes.io/metadata.name': NS_NAMES };
  const subject: GenTierPeer = rng.chance(0.5)
    ? { namespaces: randomSelector(rng, nsVocabulary) }
    : {
        pods: {
          namespaceSelector: randomSelector(rng, nsVocabulary),
          podSelector: randomSelector(rng, POD_LABELS),
        },
      };
  const policy: GenClusterPolicy = {
    kind,
    name: kind === 'BaselineAdminNetworkPolicy' ? 'default' : name,
    tier,
    // Few values, so that equal priorities happen. The BANP singleton has none: it reads as 0.
    priority: kind === 'BaselineAdminNetworkPolicy' ? 0 : rng.pick([1, 2, 3, 5]),
    subject,
  };
  const ingress = rules(false);
  const egress = rules(true);
  if (ingress) policy.ingress = ingress;
  if (egress) policy.egress = egress;
  return policy;
}

export function randomCluster(seed: number, extras: { clusterPolicies?: boolean } = {}): GenCluster {
  const rng = prng(seed * 7919 + 17);
  const used = new Set<string>();
  const namespaces = NS_NAMES.filter(() => rng.chance(0.6)).map((name) => ({
    name,
    labels: randomLabels(rng, NS_LABELS, 0.6),
  }));
  const pods: GenPod[] = [];
  const podCount = rng.int(3, seed % 3 === 0 ? 24 : 12);
  for (let i = 0; i < podCount; i++) {
    const roll = rng.int(0, 19);
    const status: GenPod['status'] =
      roll < 2
        ? undefined
        : roll === 2
          ? { phase: 'Succeeded', ...(rng.chance(0.5) ? { ip: randomIp(rng, used) } : {}) }
          : roll === 3
            ? { phase: 'Failed' }
            : { phase: 'Running', ip: randomIp(rng, used) };
    pods.push({
      name: `p${i}`,
      namespace: randomNamespace(rng),
      labels: randomLabels(rng, POD_LABELS, 0.5),
      ports: randomPorts(rng),
      ...(status ? { status } : {}),
    });
  }
  // ReplicaSets: pods with one template (same labels and ports), each with its own address.
  for (let r = 0, count = rng.int(0, 3); r < count; r++) {
    const namespace = randomNamespace(rng);
    const labels = randomLabels(rng, POD_LABELS, 0.5);
    const ports = randomPorts(rng);
    for (let i = 0, replicas = rng.int(2, 3); i < replicas; i++) {
      pods.push({
        name: `rs${r}-${i}`,
        namespace,
        labels,
        ports,
        owner: `rs${r}`,
        status: rng.chance(0.15) ? { phase: 'Succeeded' } : { phase: 'Running', ip: randomIp(rng, used) },
      });
    }
  }
  const workloads: GenWorkload[] = Array.from({ length: rng.int(0, 3) }, (_, i) => ({
    kind: rng.pick(['Deployment', 'StatefulSet'] as const),
    name: `w${i}`,
    namespace: randomNamespace(rng),
    labels: randomLabels(rng, POD_LABELS, 0.5),
    ports: randomPorts(rng),
  }));
  const policies = Array.from({ length: rng.int(0, 6) }, (_, i) => randomPolicy(rng, `np${i}`));
  // Drawn last, so that clusters without them stay what they were for every seed.
  const clusterPolicies = extras.clusterPolicies
    ? Array.from({ length: rng.int(0, 4) }, (_, i) => randomClusterPolicy(rng, `cp${i}`))
    : [];
  return {
    namespaces,
    pods,
    workloads,
    policies,
    clusterPolicies,
    options: OPTION_PROFILES[seed % OPTION_PROFILES.length]!,
  };
}
