// The plan of a synthetic cluster, before any manifest is written: its namespaces (teams,
// environments), and its workloads (tier, component, form, ports, labels), drawn from the seeded
// generator so that the same options always give the same plan.
import { SeededRandom } from '@netpol-atlas/manifests';

/** The shared seeded generator, with the draws that realistic cluster data needs. */
export class Random extends SeededRandom {
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

export type Tier = 'frontend' | 'backend' | 'data' | 'cache' | 'agent' | 'system';
export type Form = 'replicaset' | 'deployment' | 'statefulset' | 'daemonset';

export interface Port {
  name: string;
  containerPort: number;
  protocol: 'TCP' | 'UDP';
}

export interface WorkloadPlan {
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

export interface NamespacePlan {
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
export const NAME_LABEL = 'kubernetes.io/metadata.name';

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

export function planNamespaces(count: number, rng: Random): NamespacePlan[] {
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

export function planWorkloads(namespaces: NamespacePlan[], count: number, rng: Random): void {
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
