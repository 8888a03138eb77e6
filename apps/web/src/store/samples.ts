import type { DocumentFile } from '../model/index.ts';

/** A set of manifests the app can open without any file access. */
export interface Sample {
  id: string;
  title: string;
  description: string;
  files: DocumentFile[];
}

// Bundled at build time, so the static build opens samples with no server and no network.
const demo = import.meta.glob<string>('../../../../public/demo/*.yaml', {
  query: '?raw',
  import: 'default',
  eager: true,
});
const others = import.meta.glob<string>('../../../../public/samples/*/*.yaml', {
  query: '?raw',
  import: 'default',
  eager: true,
});

const DESCRIPTIONS: Record<string, [string, string]> = {
  demo: [
    'Demo from the NetworkPolicy notes',
    'demo and demo-db in default; the store API with its frontend and downstreams',
  ],
  'default-deny': ['Default deny', 'a namespace that denies all ingress and egress, with DNS kept open'],
  'cross-namespace': ['Cross-namespace', 'monitoring scrapes every namespace; AND versus OR peers'],
  'ipblock-egress': ['ipBlock egress', 'egress to external CIDRs with except holes'],
  'named-ports': ['Named ports', 'rules that name container ports, resolved per destination'],
  'well-secured': [
    'Well secured',
    'default-deny in every namespace, DNS to the DNS pods only, precise rules: passes the lint gate',
  ],
  'cluster-tiers': [
    'Cluster-wide tiers',
    'ClusterNetworkPolicy Admin Deny and Pass, a Baseline default-deny, NetworkPolicies, nodes and a domain name',
  ],
  onlineboutique: [
    'Online Boutique',
    'the microservices demo shop with its NetworkPolicies and DNS; import its flow sample to see observed traffic',
  ],
  'fifty-workloads': [
    '50 workloads (synthetic)',
    'a generated cluster: 10 namespaces, 50 workloads, 40 policies',
  ],
};

function filesOf(modules: Record<string, string>, prefix: string): DocumentFile[] {
  return Object.entries(modules)
    .filter(([path]) => path.includes(prefix))
    .map(([path, text]) => {
      const name = path.slice(path.indexOf(prefix) + prefix.length);
      return { id: `${prefix}${name}`, path: `${prefix}${name}`, text };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}

function sample(id: string, files: DocumentFile[]): Sample {
  const [title, description] = DESCRIPTIONS[id] ?? [id, ''];
  return { id, title, description, files };
}

/** Every bundled sample, the demo first. */
export const SAMPLES: readonly Sample[] = [
  sample('demo', filesOf(demo, 'demo/')),
  ...[...new Set(Object.keys(others).map((p) => p.split('/').at(-2)!))]
    .sort()
    .map((id) => sample(id, filesOf(others, `samples/${id}/`))),
];
