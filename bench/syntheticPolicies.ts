// The NetworkPolicies of a synthetic cluster: default-deny and DNS in every namespace, what the
// system namespaces open, then a rotation of the policies teams write (syntheticRotation.ts).

import { ALL, byName, type PolicyContext, type PolicyTemplate } from './syntheticForms.ts';
import type { NamespacePlan, Random } from './syntheticPlan.ts';
import { ROTATION } from './syntheticRotation.ts';
import type { Counters } from './syntheticWorkloads.ts';
import type { Yaml } from './yaml.ts';

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
