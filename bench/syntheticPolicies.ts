// The NetworkPolicies of a synthetic cluster: default-deny and DNS in every namespace, what the
// system namespaces open, then a rotation of the policies teams write, so that every peer and port
// form appears (namespace and pod selectors, matchExpressions, ipBlocks with except, named ports,
// port ranges).
import {
  NAME_LABEL,
  type NamespacePlan,
  type Random,
  type Tier,
  type WorkloadPlan,
} from './syntheticPlan.ts';
import type { Counters } from './syntheticWorkloads.ts';
import type { Yaml, YamlMap } from './yaml.ts';

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

export function namespacePolicies(
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
