// Seeded synthetic clusters for the benchmarks: realistic enough that the evaluator's caches and
// equivalence classes behave as they would on a real cluster dump (many namespaces, per-team
// policies, every peer kind), and deterministic so that figures are comparable between runs.
import { formatIPv4, ipv4FromBytes, SeededRandom, type SourceFile } from '@netpol-atlas/manifests';
import { clusterPolicyFile } from './clusterPolicies.ts';

/** Size and seed of a synthetic cluster. */
export interface SyntheticClusterOptions {
  /** Namespaces, counting the system ones (kube-system, monitoring, ingress-nginx) that come first. */
  namespaces: number;
  /** Workloads (connectivity peers), spread round-robin over the namespaces. */
  workloads: number;
  /** Pods per workload: Pod objects, or `replicas` for the few Deployments given as manifests only. */
  podsPerWorkload: number;
  /** NetworkPolicies, spread evenly over the namespaces. */
  policies: number;
  /** ClusterNetworkPolicies (both tiers), in their own file `cluster/cluster-policies.yaml`. Default none. */
  clusterPolicies?: number;
  seed: number;
}

type Yaml = string | number | boolean | null | readonly Yaml[] | YamlMap;
/** `undefined` values are left out, as JSON.stringify does: optional fields read naturally. */
interface YamlMap {
  readonly [key: string]: Yaml | undefined;
}

/** The shared seeded generator, with the draws that realistic cluster data needs. */
class Random extends SeededRandom {
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [value, w] of entries) {
      r -= w;
      if (r < 0) return value;
    }
    return entries[entries.length - 1]![0];
  }

  /** Characters Kubernetes uses for generated name suffixes (no vowels, no look-alikes). */
  suffix(length: number): string {
    const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }

  hex(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += '0123456789abcdef'[this.int(16)];
    return out;
  }

  uid(): string {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${this.pick(['8', '9', 'a', 'b'])}${this.hex(3)}-${this.hex(12)}`;
  }
}

type Tier = 'frontend' | 'backend' | 'data' | 'cache' | 'agent' | 'system';
type Form = 'replicaset' | 'deployment' | 'statefulset' | 'daemonset';

interface Port {
  name: string;
  containerPort: number;
  protocol: 'TCP' | 'UDP';
}

interface WorkloadPlan {
  name: string;
  namespace: string;
  tier: Tier;
  form: Form;
  labels: Record<string, string>;
  ports: Port[];
  hostNetwork: boolean;
  /** One image per workload: its pods all run the same revision. */
  image: string;
}

interface NamespacePlan {
  name: string;
  team: string;
  env: string;
  labels: Record<string, string>;
  workloads: WorkloadPlan[];
}

const TEAMS = [
  'payments',
  'checkout',
  'search',
  'catalog',
  'identity',
  'billing',
  'analytics',
  'messaging',
  'inventory',
  'shipping',
  'reviews',
  'ads',
] as const;
const ENVS = ['prod', 'staging', 'dev', 'qa'] as const;
const VERSIONS = ['v1', 'v2', 'v3'] as const;
const NAME_LABEL = 'kubernetes.io/metadata.name';

const COMPONENTS: Record<Exclude<Tier, 'system'>, readonly string[]> = {
  frontend: ['web', 'ui', 'gateway', 'bff'],
  backend: ['api', 'orders', 'users', 'auth', 'search', 'notifier', 'worker', 'scheduler'],
  data: ['postgres', 'mysql', 'mongodb', 'kafka', 'elasticsearch'],
  cache: ['redis', 'memcached'],
  agent: ['fluent-bit', 'otel-agent', 'node-agent'],
};
const TIER_WEIGHTS: readonly (readonly [Exclude<Tier, 'system'>, number])[] = [
  ['frontend', 20],
  ['backend', 45],
  ['data', 12],
  ['cache', 13],
  ['agent', 10],
];

const tcp = (name: string, containerPort: number): Port => ({ name, containerPort, protocol: 'TCP' });
const udp = (name: string, containerPort: number): Port => ({ name, containerPort, protocol: 'UDP' });

const COMPONENT_PORTS: Record<string, readonly Port[]> = {
  postgres: [tcp('postgres', 5432), tcp('metrics', 9187)],
  mysql: [tcp('mysql', 3306), tcp('metrics', 9104)],
  mongodb: [tcp('mongodb', 27017), tcp('metrics', 9216)],
  kafka: [tcp('kafka', 9092), tcp('metrics', 9308)],
  elasticsearch: [tcp('http', 9200), tcp('transport', 9300), tcp('metrics', 9114)],
  redis: [tcp('redis', 6379), tcp('metrics', 9121)],
  memcached: [tcp('memcache', 11211), udp('memcache-udp', 11211), tcp('metrics', 9150)],
  'fluent-bit': [tcp('metrics', 2020), udp('syslog', 5140)],
  'otel-agent': [tcp('otlp-grpc', 4317), tcp('otlp-http', 4318), tcp('metrics', 8888)],
  'node-agent': [tcp('metrics', 9100), udp('statsd', 8125)],
};

/** The system workloads, placed first in their namespaces so that policies can rely on them. */
const SYSTEM_WORKLOADS: Record<string, readonly Omit<WorkloadPlan, 'namespace' | 'labels' | 'image'>[]> = {
  'kube-system': [
    {
      name: 'coredns',
      tier: 'system',
      form: 'replicaset',
      ports: [udp('dns', 53), tcp('dns-tcp', 53), tcp('metrics', 9153)],
      hostNetwork: false,
    },
    {
      name: 'kube-proxy',
      tier: 'system',
      form: 'daemonset',
      ports: [tcp('metrics', 10249)],
      hostNetwork: true,
    },
  ],
  monitoring: [
    {
      name: 'prometheus',
      tier: 'system',
      form: 'statefulset',
      ports: [tcp('web', 9090)],
      hostNetwork: false,
    },
    { name: 'grafana', tier: 'system', form: 'replicaset', ports: [tcp('http', 3000)], hostNetwork: false },
    {
      name: 'node-exporter',
      tier: 'system',
      form: 'daemonset',
      ports: [tcp('metrics', 9100)],
      hostNetwork: true,
    },
  ],
  'ingress-nginx': [
    {
      name: 'ingress-nginx-controller',
      tier: 'system',
      form: 'replicaset',
      ports: [tcp('http', 80), tcp('https', 443), tcp('metrics', 10254)],
      hostNetwork: false,
    },
  ],
};
const SYSTEM_NAMESPACES = Object.keys(SYSTEM_WORKLOADS);

/** Extra labels the system workloads carry, as their upstream manifests do. */
const SYSTEM_LABELS: Record<string, Record<string, string>> = {
  coredns: { 'k8s-app': 'kube-dns' },
  'kube-proxy': { 'k8s-app': 'kube-proxy' },
  'ingress-nginx-controller': {
    'app.kubernetes.io/name': 'ingress-nginx',
    'app.kubernetes.io/component': 'controller',
  },
};

const POD_CIDR_BASE = ipv4FromBytes(Uint8Array.of(10, 244, 0, 10));
const NODE_CIDR_BASE = ipv4FromBytes(Uint8Array.of(172, 20, 0, 10));
const SERVICE_CIDR_BASE = ipv4FromBytes(Uint8Array.of(10, 96, 0, 10));
const PODS_PER_NODE = 110;

/**
 * Generates a synthetic cluster dump: one multi-document YAML file per namespace holding its
 * Namespace, workload manifests, Pods (owned by ReplicaSets, StatefulSets and DaemonSets, with
 * addresses), Services and NetworkPolicies. The same options always give the same text.
 *
 * Policies cover every peer and port form: default-deny (ingress and egress) and DNS egress in
 * every namespace, namespaceSelector peers by name and by team label, podSelector peers, combined
 * namespaceSelector+podSelector peers, matchExpressions (In, NotIn, Exists, DoesNotExist),
 * ipBlocks with `except`, named ports and `endPort` ranges.
 *
 * @param options sizes and seed; `podsPerWorkload * workloads` pods in total
 * @returns one file per namespace, `cluster/<namespace>.yaml`
 */
export function generateCluster(options: SyntheticClusterOptions): SourceFile[] {
  const rng = new Random(options.seed);
  const namespaces = planNamespaces(options.namespaces, rng);
  planWorkloads(namespaces, options.workloads, rng);
  const nodes = Math.max(3, Math.ceil((options.workloads * options.podsPerWorkload) / PODS_PER_NODE));
  const counters = { pod: 0, service: 0, rotation: 0, nodes };
  const policyCounts = spread(options.policies, namespaces.length);
  const files = namespaces.map((ns, i) => {
    const docs: Yaml[] = [namespaceManifest(ns)];
    for (const w of ns.workloads) docs.push(...workloadManifests(w, options.podsPerWorkload, rng, counters));
    docs.push(...policies(ns, namespaces, policyCounts[i]!, rng, counters));
    return { path: `cluster/${ns.name}.yaml`, text: docs.map((d) => toYaml(d)).join('---\n') };
  });
  // Last and with no random draws, so the namespace files are the same with or without them.
  if (options.clusterPolicies) files.push(clusterPolicyFile(options.clusterPolicies));
  return files;
}

/** `total` split into `parts` counts differing by at most one (earlier parts get the extra). */
function spread(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

function planNamespaces(count: number, rng: Random): NamespacePlan[] {
  const out: NamespacePlan[] = [];
  for (let i = 0; i < count; i++) {
    const system = SYSTEM_NAMESPACES[i];
    const team = system ? 'platform' : rng.pick(TEAMS);
    const env = system ? 'prod' : rng.pick(ENVS);
    // Team namespaces are numbered: several namespaces per team and environment is the norm.
    const name = system ?? `${team}-${env}-${i}`;
    const labels: Record<string, string> = { [NAME_LABEL]: name, team, env };
    if (!system && rng.chance(0.3)) labels['istio-injection'] = 'enabled';
    if (rng.chance(0.5)) labels['pod-security.kubernetes.io/enforce'] = system ? 'privileged' : 'restricted';
    out.push({ name, team, env, labels, workloads: [] });
  }
  return out;
}

function planWorkloads(namespaces: NamespacePlan[], count: number, rng: Random): void {
  const used = namespaces.map(() => new Map<string, number>());
  for (let w = 0; w < count; w++) {
    const nsIndex = w % namespaces.length;
    const ns = namespaces[nsIndex]!;
    const system = SYSTEM_WORKLOADS[ns.name]?.[ns.workloads.length];
    let plan: Omit<WorkloadPlan, 'namespace' | 'labels' | 'image'>;
    if (system) {
      plan = system;
    } else {
      const tier = rng.weighted(TIER_WEIGHTS);
      const component = rng.pick(COMPONENTS[tier]);
      const seen = used[nsIndex]!.get(component) ?? 0;
      used[nsIndex]!.set(component, seen + 1);
      const form: Form =
        tier === 'data'
          ? 'statefulset'
          : tier === 'agent'
            ? 'daemonset'
            : rng.chance(0.15)
              ? 'deployment'
              : 'replicaset';
      plan = {
        name: seen === 0 ? component : `${component}-${seen + 1}`,
        tier,
        form,
        ports: [...genericPorts(tier, component, rng)],
        hostNetwork: false,
      };
    }
    const labels: Record<string, string> = {
      app: plan.name,
      tier: plan.tier,
      team: ns.team,
      version: rng.pick(VERSIONS),
      ...SYSTEM_LABELS[plan.name],
    };
    // A few canaries give the DoesNotExist selectors something to exclude.
    if (plan.tier !== 'system' && rng.chance(0.05)) labels.canary = 'true';
    const image = `registry.example.com/${ns.team}/${plan.name}:${labels.version}.${rng.int(20)}`;
    ns.workloads.push({ ...plan, namespace: ns.name, labels, image });
  }
}

function genericPorts(tier: Exclude<Tier, 'system'>, component: string, rng: Random): readonly Port[] {
  const fixed = COMPONENT_PORTS[component];
  if (fixed) return fixed;
  if (tier === 'frontend') {
    return rng.chance(0.1)
      ? [tcp('http', 8080), tcp('metrics', 9090), udp('quic', 8443)]
      : [tcp('http', 8080), tcp('metrics', 9090)];
  }
  return rng.chance(0.2)
    ? [tcp('http', 8080), tcp('grpc', 9000), tcp('metrics', 9090), udp('statsd', 8125)]
    : [tcp('http', 8080), tcp('grpc', 9000), tcp('metrics', 9090)];
}

function namespaceManifest(ns: NamespacePlan): Yaml {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns.name, labels: ns.labels } };
}

interface Counters {
  pod: number;
  service: number;
  rotation: number;
  nodes: number;
}

function podSpec(w: WorkloadPlan, node: string | undefined): YamlMap {
  const containers: Yaml[] = [
    {
      name: w.name,
      image: w.image,
      // TCP is the default: manifests rarely spell it out.
      ports: w.ports.map((p) => ({
        name: p.name,
        containerPort: p.containerPort,
        protocol: p.protocol === 'TCP' ? undefined : p.protocol,
      })),
    },
  ];
  return { nodeName: node, hostNetwork: w.hostNetwork ? true : undefined, containers };
}

function workloadManifests(w: WorkloadPlan, pods: number, rng: Random, counters: Counters): Yaml[] {
  const docs: Yaml[] = [];
  const selector = { matchLabels: { app: w.labels.app! } };
  const uid = rng.uid();
  const template: YamlMap = { metadata: { labels: w.labels }, spec: podSpec(w, undefined) };
  let owner: { kind: string; name: string; uid: string } | undefined;
  let podLabels: Record<string, string> = {};
  let podName: (k: number) => string = () => '';
  if (w.form === 'deployment') {
    // Manifest-only workloads, as in a GitOps repository: the template stands for `replicas` pods.
    docs.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: w.name, namespace: w.namespace, labels: { app: w.labels.app! } },
      spec: { replicas: pods, selector, template },
    });
  } else if (w.form === 'replicaset') {
    // No ReplicaSet manifest: the pods' controller reference alone makes them one peer.
    const hash = rng.suffix(10);
    owner = { kind: 'ReplicaSet', name: `${w.name}-${hash}`, uid };
    podLabels = { 'pod-template-hash': hash };
    podName = () => `${w.name}-${hash}-${rng.suffix(5)}`;
  } else {
    const kind = w.form === 'statefulset' ? 'StatefulSet' : 'DaemonSet';
    const revision = `${w.name}-${rng.suffix(10)}`;
    const spec: YamlMap =
      kind === 'StatefulSet'
        ? { replicas: pods, serviceName: w.name, selector, template }
        : { selector, template };
    docs.push({
      apiVersion: 'apps/v1',
      kind,
      metadata: { name: w.name, namespace: w.namespace, uid, labels: { app: w.labels.app! } },
      spec,
    });
    owner = { kind, name: w.name, uid };
    podLabels = { 'controller-revision-hash': revision };
    podName = kind === 'StatefulSet' ? (k) => `${w.name}-${k}` : () => `${w.name}-${rng.suffix(5)}`;
  }
  if (w.tier !== 'agent' && !w.hostNetwork) docs.push(service(w, counters));
  if (!owner) return docs;
  for (let k = 0; k < pods; k++) {
    const nodeIndex = counters.pod % counters.nodes;
    const nodeIP = formatIPv4(NODE_CIDR_BASE + nodeIndex);
    const podIP = w.hostNetwork ? nodeIP : formatIPv4(POD_CIDR_BASE + counters.pod);
    counters.pod++;
    const name = podName(k);
    const labels =
      w.form === 'statefulset'
        ? { ...w.labels, ...podLabels, 'statefulset.kubernetes.io/pod-name': name }
        : { ...w.labels, ...podLabels };
    docs.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: w.namespace,
        uid: rng.uid(),
        labels,
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: owner.kind,
            name: owner.name,
            uid: owner.uid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: podSpec(w, `node-${nodeIndex}`),
      status: { phase: 'Running', hostIP: nodeIP, podIP, podIPs: [{ ip: podIP }] },
    });
  }
  return docs;
}

function service(w: WorkloadPlan, counters: Counters): Yaml {
  const headless = w.form === 'statefulset';
  const clusterIP = headless ? 'None' : formatIPv4(SERVICE_CIDR_BASE + counters.service++);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: w.name, namespace: w.namespace, labels: { app: w.labels.app! } },
    spec: {
      clusterIP,
      selector: { app: w.labels.app! },
      ports: w.ports.map((p) => ({
        name: p.name,
        port: p.name === 'http' ? 80 : p.containerPort,
        targetPort: p.name,
        protocol: p.protocol,
      })),
    },
  };
}

// --- NetworkPolicies ---------------------------------------------------------------------------

interface PolicyContext {
  ns: NamespacePlan;
  all: readonly NamespacePlan[];
  rng: Random;
}

interface PolicyPlan {
  name: string;
  spec: YamlMap;
}

type PolicyTemplate = (ctx: PolicyContext) => PolicyPlan;

const ALL: YamlMap = {};

function byApp(w: WorkloadPlan | undefined): YamlMap {
  return w ? { matchLabels: { app: w.labels.app! } } : ALL;
}

function byName(namespace: string): YamlMap {
  return { matchLabels: { [NAME_LABEL]: namespace } };
}

/** A random workload of one of `tiers` in the namespace, else any of its workloads. */
function pickWorkload(ctx: PolicyContext, tiers: readonly Tier[]): WorkloadPlan | undefined {
  const matching = ctx.ns.workloads.filter((w) => tiers.includes(w.tier));
  if (matching.length > 0) return ctx.rng.pick(matching);
  return ctx.ns.workloads.length > 0 ? ctx.rng.pick(ctx.ns.workloads) : undefined;
}

function otherNamespace(ctx: PolicyContext): NamespacePlan {
  const others = ctx.all.filter((n) => n !== ctx.ns);
  return others.length > 0 ? ctx.rng.pick(others) : ctx.ns;
}

const defaultDenyIngress: PolicyTemplate = () => ({
  name: 'default-deny-ingress',
  spec: { podSelector: ALL, policyTypes: ['Ingress'] },
});

const defaultDenyEgress: PolicyTemplate = () => ({
  name: 'default-deny-egress',
  spec: { podSelector: ALL, policyTypes: ['Egress'] },
});

const allowDns: PolicyTemplate = () => ({
  name: 'allow-dns',
  spec: {
    podSelector: ALL,
    policyTypes: ['Egress'],
    egress: [
      {
        to: [
          {
            namespaceSelector: byName('kube-system'),
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          },
        ],
        ports: [
          { protocol: 'UDP', port: 53 },
          { protocol: 'TCP', port: 53 },
        ],
      },
    ],
  },
});

/** Policies only the system namespaces have: they open what every other namespace relies on. */
const SYSTEM_POLICIES: Record<string, readonly PolicyTemplate[]> = {
  'kube-system': [
    () => ({
      name: 'allow-dns-ingress',
      spec: {
        podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [{ namespaceSelector: ALL }],
            ports: [
              { protocol: 'UDP', port: 'dns' },
              { protocol: 'TCP', port: 'dns-tcp' },
            ],
          },
        ],
      },
    }),
  ],
  monitoring: [
    () => ({
      name: 'allow-scrape-egress',
      spec: {
        podSelector: { matchLabels: { app: 'prometheus' } },
        policyTypes: ['Egress'],
        egress: [{ to: [{ namespaceSelector: ALL }], ports: [{ port: 'metrics' }, { port: 9090 }] }],
      },
    }),
  ],
  'ingress-nginx': [
    () => ({
      name: 'allow-http-ingress',
      spec: {
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ ports: [{ port: 80 }, { port: 443 }] }],
        egress: [
          {
            to: [{ namespaceSelector: ALL, podSelector: { matchLabels: { tier: 'frontend' } } }],
            ports: [{ port: 'http' }],
          },
        ],
      },
    }),
  ],
};

/**
 * The policies teams write, used in turn across the whole cluster so that every form appears
 * even when each namespace only has room for a few.
 */
const ROTATION: readonly PolicyTemplate[] = [
  // No policyTypes: the API server defaults them to Ingress.
  () => ({
    name: 'allow-same-namespace',
    spec: { podSelector: ALL, ingress: [{ from: [{ podSelector: ALL }] }] },
  }),
  (ctx) => ({
    name: 'allow-from-ingress-controller',
    spec: {
      podSelector: byApp(pickWorkload(ctx, ['frontend'])),
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: byName('ingress-nginx'),
              podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
            },
          ],
          ports: [{ port: 'http' }],
        },
      ],
    },
  }),
  (ctx) => ({
    name: 'allow-from-namespace',
    spec: {
      podSelector: byApp(pickWorkload(ctx, ['backend'])),
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: byName(otherNamespace(ctx).name) }] }],
    },
  }),
  (ctx) => ({
    name: 'allow-from-team',
    spec: {
      podSelector: { matchLabels: { tier: 'backend' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [{ namespaceSelector: { matchLabels: { team: ctx.ns.team } } }],
          ports: [{ protocol: 'TCP', port: 8080 }, { port: 'grpc' }],
        },
      ],
    },
  }),
  () => ({
    name: 'allow-monitoring-scrape',
    spec: {
      podSelector: ALL,
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            { namespaceSelector: byName('monitoring'), podSelector: { matchLabels: { app: 'prometheus' } } },
          ],
          ports: [{ port: 'metrics' }],
        },
      ],
    },
  }),
  (ctx) => ({
    name: 'allow-backend-from-frontend',
    spec: {
      podSelector: byApp(pickWorkload(ctx, ['backend'])),
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [{ podSelector: { matchLabels: { tier: 'frontend' } } }],
          ports: [{ port: 'http' }, { port: 'grpc' }],
        },
      ],
    },
  }),
  (ctx) => ({
    name: 'allow-from-environments',
    spec: {
      podSelector: byApp(pickWorkload(ctx, ['backend', 'frontend'])),
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: {
                matchExpressions: [
                  {
                    key: 'env',
                    operator: 'In',
                    values: ctx.ns.env === 'prod' ? ['prod'] : ['staging', 'dev', 'qa'],
                  },
                ],
              },
              podSelector: {
                matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['data', 'agent'] }],
              },
            },
          ],
          ports: [{ protocol: 'TCP', port: 8080 }],
        },
      ],
    },
  }),
  () => ({
    name: 'allow-stable-to-caches',
    spec: {
      podSelector: {
        matchExpressions: [
          { key: 'version', operator: 'Exists' },
          { key: 'canary', operator: 'DoesNotExist' },
        ],
      },
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['cache', 'data'] }] },
            },
          ],
          ports: [
            { port: 'redis' },
            { port: 'memcache' },
            { protocol: 'UDP', port: 'memcache-udp' },
            { port: 'postgres' },
          ],
        },
      ],
    },
  }),
  () => ({
    name: 'allow-internet-egress',
    spec: {
      podSelector: { matchLabels: { tier: 'frontend' } },
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] } }],
          ports: [{ protocol: 'TCP', port: 443 }],
        },
      ],
    },
  }),
  (ctx) => {
    // A handful of shared external database subnets, as a real estate would have.
    const subnet = ctx.rng.int(8);
    return {
      name: 'allow-external-database',
      spec: {
        podSelector: byApp(pickWorkload(ctx, ['backend'])),
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ ipBlock: { cidr: `192.168.${subnet}.0/24`, except: [`192.168.${subnet}.128/28`] } }],
            ports: [{ protocol: 'TCP', port: 5432, endPort: 5439 }],
          },
        ],
      },
    };
  },
  (ctx) => ({
    name: 'allow-node-ports',
    spec: {
      podSelector: byApp(pickWorkload(ctx, ['frontend', 'backend'])),
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            { ipBlock: { cidr: '203.0.113.0/24' } },
            { namespaceSelector: { matchLabels: { env: ctx.ns.env } } },
          ],
          ports: [
            { protocol: 'TCP', port: 30000, endPort: 32767 },
            { protocol: 'UDP', port: 10000, endPort: 10100 },
          ],
        },
      ],
    },
  }),
  (ctx) => ({
    name: 'allow-cross-team-grpc',
    spec: {
      podSelector: { matchLabels: { tier: 'frontend' } },
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { team: otherNamespace(ctx).team } },
              podSelector: { matchLabels: { tier: 'backend' } },
            },
          ],
          ports: [{ port: 'grpc' }, { protocol: 'TCP', port: 8080 }],
        },
      ],
    },
  }),
  (ctx) => {
    const data = pickWorkload(ctx, ['data', 'cache']);
    const port = data?.ports[0]?.containerPort ?? 5432;
    return {
      name: 'allow-backend-to-data',
      spec: {
        podSelector: { matchLabels: { tier: 'backend' } },
        policyTypes: ['Egress'],
        egress: [{ to: [{ podSelector: byApp(data) }], ports: [{ protocol: 'TCP', port }] }],
      },
    };
  },
  () => ({
    name: 'allow-pod-network-egress',
    spec: {
      podSelector: { matchLabels: { tier: 'backend' } },
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ ipBlock: { cidr: '10.244.0.0/16', except: ['10.244.0.0/24'] } }],
          ports: [{ protocol: 'TCP', port: 8080 }],
        },
      ],
    },
  }),
  () => ({
    name: 'allow-statsd-egress',
    spec: {
      podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['backend', 'agent'] }] },
      policyTypes: ['Egress'],
      egress: [
        { to: [{ namespaceSelector: byName('monitoring') }], ports: [{ protocol: 'UDP', port: 8125 }] },
      ],
    },
  }),
  (ctx) => ({
    name: 'allow-all-to-web',
    spec: {
      podSelector: byApp(pickWorkload(ctx, ['frontend'])),
      policyTypes: ['Ingress'],
      // An empty rule admits every source on every port.
      ingress: [{}],
    },
  }),
];

function policies(
  ns: NamespacePlan,
  all: readonly NamespacePlan[],
  count: number,
  rng: Random,
  counters: Counters,
): Yaml[] {
  const ctx: PolicyContext = { ns, all, rng };
  const fixed = [defaultDenyIngress, defaultDenyEgress, allowDns, ...(SYSTEM_POLICIES[ns.name] ?? [])];
  const names = new Map<string, number>();
  const out: Yaml[] = [];
  for (let i = 0; i < count; i++) {
    const template = fixed[i] ?? ROTATION[counters.rotation++ % ROTATION.length]!;
    const plan = template(ctx);
    const seen = names.get(plan.name) ?? 0;
    names.set(plan.name, seen + 1);
    out.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: {
        name: seen === 0 ? plan.name : `${plan.name}-${seen + 1}`,
        namespace: ns.name,
        labels: { team: ns.team },
      },
      spec: plan.spec,
    });
  }
  return out;
}

// --- YAML --------------------------------------------------------------------------------------

/** YAML 1.1 booleans and nulls: written plain, Kubernetes would not read them as strings. */
const RESERVED = /^(?:y|n|yes|no|on|off|true|false|null|~)$/i;
const PLAIN = /^[A-Za-z_][A-Za-z0-9_./-]*$/;

function scalar(value: string | number | boolean | null): string {
  if (typeof value !== 'string') return String(value);
  // A JSON string is a valid YAML double-quoted scalar.
  return PLAIN.test(value) && !RESERVED.test(value) ? value : JSON.stringify(value);
}

function isCollection(value: Yaml): value is readonly Yaml[] | YamlMap {
  return typeof value === 'object' && value !== null;
}

function entries(value: YamlMap): [string, Yaml][] {
  return Object.entries(value).filter((e): e is [string, Yaml] => e[1] !== undefined);
}

function isEmpty(value: readonly Yaml[] | YamlMap): boolean {
  return Array.isArray(value) ? value.length === 0 : entries(value as YamlMap).length === 0;
}

/** Block-style YAML in kubectl's layout (sequences not indented under their key). */
function toYaml(value: Yaml): string {
  const lines: string[] = [];
  writeBlock(value, '', lines);
  return `${lines.join('\n')}\n`;
}

function writeBlock(value: Yaml, pad: string, lines: string[]): void {
  if (!isCollection(value) || isEmpty(value)) {
    lines.push(pad + inline(value));
  } else if (Array.isArray(value)) {
    for (const item of value as readonly Yaml[]) {
      if (isCollection(item) && !isEmpty(item)) {
        const start = lines.length;
        writeBlock(item, `${pad}  `, lines);
        // The first line of the item shares the dash.
        lines[start] = `${pad}- ${lines[start]!.slice(pad.length + 2)}`;
      } else {
        lines.push(`${pad}- ${inline(item)}`);
      }
    }
  } else {
    for (const [key, item] of entries(value as YamlMap)) {
      if (isCollection(item) && !isEmpty(item)) {
        lines.push(`${pad}${scalar(key)}:`);
        writeBlock(item, Array.isArray(item) ? pad : `${pad}  `, lines);
      } else {
        lines.push(`${pad}${scalar(key)}: ${inline(item)}`);
      }
    }
  }
}

function inline(value: Yaml): string {
  if (!isCollection(value)) return scalar(value);
  return Array.isArray(value) ? '[]' : '{}';
}
