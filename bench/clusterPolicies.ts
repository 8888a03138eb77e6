// Cluster-wide policies for the synthetic clusters: ClusterNetworkPolicies in both tiers with
// every peer kind (namespaces, pods, networks) and port form (number, range, named), the way a
// platform team layers guardrails over the teams' NetworkPolicies.
import type { SourceFile } from '@netpol-atlas/manifests';

const TEAMS = ['payments', 'checkout', 'search', 'catalog', 'identity', 'billing', 'analytics', 'messaging'];
const ENVS = ['prod', 'staging', 'dev', 'qa'];
const NAME_LABEL = 'kubernetes.io/metadata.name';

type Rule = Record<string, unknown>;
type Template = (i: number) => {
  tier: 'Admin' | 'Baseline';
  subject: unknown;
  ingress?: Rule[];
  egress?: Rule[];
};

const teamNs = (team: string) => ({ namespaces: { matchLabels: { team } } });
const tcpNumber = (number: number) => ({ tcp: { destinationPort: { number } } });
const tcpRange = (start: number, end: number) => ({ tcp: { destinationPort: { range: { start, end } } } });

const TEMPLATES: readonly Template[] = [
  // A team's HTTP between its namespaces is always open, whatever its NetworkPolicies say (the
  // edit-10k-cluster figure edits the first port number of the first cluster policy: this one).
  (i) => {
    const team = TEAMS[(i + 4) % TEAMS.length]!;
    return {
      tier: 'Admin',
      subject: teamNs(team),
      ingress: [{ name: 'team-http', action: 'Accept', from: [teamNs(team)], protocols: [tcpNumber(8080)] }],
      egress: [{ name: 'team-http', action: 'Accept', to: [teamNs(team)], protocols: [tcpNumber(8080)] }],
    };
  },
  // Delegate a team's own traffic to its NetworkPolicies.
  (i) => {
    const team = TEAMS[i % TEAMS.length]!;
    return {
      tier: 'Admin',
      subject: teamNs(team),
      ingress: [{ name: 'team-internal', action: 'Pass', from: [teamNs(team)] }],
      egress: [{ name: 'team-internal', action: 'Pass', to: [teamNs(team)] }],
    };
  },
  // Monitoring may always scrape metrics ports.
  (i) => ({
    tier: 'Admin',
    subject: { namespaces: { matchLabels: { env: ENVS[i % ENVS.length]! } } },
    ingress: [
      {
        name: 'scrape',
        action: 'Accept',
        from: [{ namespaces: { matchLabels: { [NAME_LABEL]: 'monitoring' } } }],
        protocols: [tcpRange(9000, 9999), { destinationNamedPort: 'metrics' }],
      },
    ],
  }),
  // Data stores are reachable only from their own team's backends.
  (i) => {
    const team = TEAMS[(i + 3) % TEAMS.length]!;
    return {
      tier: 'Admin',
      subject: {
        pods: {
          namespaceSelector: { matchLabels: { team } },
          podSelector: { matchLabels: { tier: 'data' } },
        },
      },
      ingress: [
        {
          name: 'own-backends',
          action: 'Accept',
          from: [
            {
              pods: {
                namespaceSelector: { matchLabels: { team } },
                podSelector: { matchLabels: { tier: 'backend' } },
              },
            },
          ],
        },
        { name: 'nobody-else', action: 'Deny', from: [{ namespaces: {} }], protocols: [tcpRange(1, 32767)] },
      ],
    };
  },
  // No cloud metadata, no SMTP out.
  (i) => ({
    tier: 'Admin',
    subject: teamNs(TEAMS[(i + 5) % TEAMS.length]!),
    egress: [
      {
        name: 'dns',
        action: 'Accept',
        to: [
          { pods: { namespaceSelector: { matchLabels: { [NAME_LABEL]: 'kube-system' } }, podSelector: {} } },
        ],
        protocols: [{ udp: { destinationPort: { number: 53 } } }, tcpNumber(53)],
      },
      { name: 'metadata', action: 'Deny', to: [{ networks: ['169.254.169.254/32'] }] },
      { name: 'smtp', action: 'Deny', to: [{ networks: ['0.0.0.0/0'] }], protocols: [tcpNumber(25)] },
    ],
  }),
  // Baseline: production namespaces default-deny ingress from other teams.
  (i) => {
    const team = TEAMS[(i + 1) % TEAMS.length]!;
    return {
      tier: 'Baseline',
      subject: { namespaces: { matchLabels: { team, env: 'prod' } } },
      ingress: [
        { name: 'same-team', action: 'Accept', from: [teamNs(team)] },
        { name: 'others', action: 'Deny', from: [{ namespaces: {} }] },
      ],
    };
  },
  // Baseline: egress to the internet only on 443.
  (i) => ({
    tier: 'Baseline',
    subject: teamNs(TEAMS[(i + 2) % TEAMS.length]!),
    egress: [
      { name: 'https', action: 'Accept', to: [{ networks: ['0.0.0.0/0'] }], protocols: [tcpNumber(443)] },
      { name: 'internet', action: 'Deny', to: [{ networks: ['0.0.0.0/0'] }] },
    ],
  }),
];

/**
 * `count` ClusterNetworkPolicies (Admin and Baseline tiers, every peer kind), with distinct
 * priorities per tier, as one file. Deterministic: the same count gives the same text.
 */
export function clusterPolicyFile(count: number): SourceFile {
  const docs: string[] = [];
  for (let i = 0; i < count; i++) {
    const { tier, subject, ingress, egress } = TEMPLATES[i % TEMPLATES.length]!(
      Math.floor(i / TEMPLATES.length),
    );
    docs.push(
      JSON.stringify(
        {
          apiVersion: 'policy.networking.k8s.io/v1alpha2',
          kind: 'ClusterNetworkPolicy',
          metadata: { name: `guardrail-${i}` },
          spec: {
            tier,
            priority: 10 + i,
            subject,
            ...(ingress ? { ingress } : {}),
            ...(egress ? { egress } : {}),
          },
        },
        null,
        1,
      ),
    );
  }
  return { path: 'cluster/cluster-policies.yaml', text: `${docs.join('\n---\n')}\n` };
}
