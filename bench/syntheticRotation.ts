// The policies teams write in the synthetic cluster, one template each, so that every peer and
// port form appears: namespace and pod selectors, matchExpressions, ipBlocks with except, named
// ports, port ranges.
import { ALL, byApp, byName, otherNamespace, type PolicyTemplate, pickWorkload } from './syntheticForms.ts';

/**
 * The policies teams write, used in turn across the whole cluster so that every form appears
 * even when each namespace only has room for a few.
 */
export const ROTATION: readonly PolicyTemplate[] = [
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
