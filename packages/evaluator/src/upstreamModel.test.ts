// A port of the model behind the upstream Kubernetes e2e NetworkPolicy suite
// (test/e2e/network/netpol in kubernetes/kubernetes): namespaces x, y, z; pods a, b, c in each;
// every pod serves ports 80 and 81 on TCP, UDP and SCTP through named container ports
// (`serve-80-tcp`, ...). Each scenario applies policies, probes one protocol/port from every pod
// to every pod and compares the 9x9 reachability matrix with the expected one. The code is ours;
// the scenarios follow the upstream ones and the Kubernetes NetworkPolicy semantics.

import type { KubeVersion, Labels } from '@netpol-atlas/manifests';
import { parseManifests } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import { analyze, buildCluster, type ClusterOptions, containsPort, isFatal, type Protocol } from './index.ts';

const NAMESPACES = ['x', 'y', 'z'] as const;
const POD_NAMES = ['a', 'b', 'c'] as const;
const SERVED_PORTS = [80, 81] as const;
const SERVED_PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;

type Namespace = (typeof NAMESPACES)[number];
type PodName = (typeof POD_NAMES)[number];

/** One pod of the model, as the expectations see it. */
interface ModelPod {
  ns: Namespace;
  pod: PodName;
  /** `x/a`. */
  id: string;
}

const MODEL_PODS: readonly ModelPod[] = NAMESPACES.flatMap((ns) =>
  POD_NAMES.map((pod) => ({ ns, pod, id: `${ns}/${pod}` })),
);

/** Extra labels on top of the upstream model (for selector-operator scenarios). */
interface Overlay {
  namespaceLabels?: Partial<Record<Namespace, Labels>>;
  /** Keyed by `x/a`. */
  podLabels?: Partial<Record<string, Labels>>;
}

/** 10.0.<namespace 1-3>.<pod 1-3>. */
function podIP(ns: Namespace, pod: PodName): string {
  return `10.0.${NAMESPACES.indexOf(ns) + 1}.${POD_NAMES.indexOf(pod) + 1}`;
}

function flowMap(labels: Labels): string {
  return `{${Object.entries(labels)
    .map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`)
    .join(', ')}}`;
}

/**
 * The YAML of the model: three namespaces and nine running pods with known IPs. Namespace names
 * are quoted everywhere because YAML 1.1 (the dialect Kubernetes reads) takes a bare `y` for `true`.
 */
function modelYaml(overlay: Overlay = {}): string {
  const docs: string[] = [];
  for (const ns of NAMESPACES) {
    docs.push(
      [
        'apiVersion: v1',
        'kind: Namespace',
        'metadata:',
        `  name: "${ns}"`,
        `  labels: ${flowMap({ ns, ...overlay.namespaceLabels?.[ns] })}`,
      ].join('\n'),
    );
  }
  for (const { ns, pod, id } of MODEL_PODS) {
    const lines = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      `  name: ${pod}`,
      `  namespace: "${ns}"`,
      `  labels: ${flowMap({ pod, ...overlay.podLabels?.[id] })}`,
      'spec:',
      '  containers:',
    ];
    for (const port of SERVED_PORTS) {
      for (const protocol of SERVED_PROTOCOLS) {
        const suffix = `${port}-${protocol.toLowerCase()}`;
        lines.push(
          `  - name: cont-${suffix}`,
          '    image: registry.k8s.io/e2e-test-images/agnhost:2.53',
          `    command: [/agnhost, porter]`,
          '    ports:',
          `    - containerPort: ${port}`,
          `      name: serve-${suffix}`,
          `      protocol: ${protocol}`,
        );
      }
    }
    const ip = podIP(ns, pod);
    lines.push('status:', '  phase: Running', `  podIP: ${ip}`, '  podIPs:', `  - ip: ${ip}`);
    docs.push(lines.join('\n'));
  }
  return docs.join('\n---\n');
}

/** Removes the common indentation of a template literal block. */
function dedent(text: string): string {
  const lines = text
    .replace(/^\n/, '')
    .replace(/\n\s*$/, '')
    .split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

/** A NetworkPolicy document; `namespace` undefined leaves `metadata.namespace` out. */
function netpol(namespace: Namespace | undefined, name: string, spec: string): string {
  return [
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata:',
    `  name: ${name}`,
    ...(namespace ? [`  namespace: "${namespace}"`] : []),
    'spec:',
    ...dedent(spec)
      .split('\n')
      .map((l) => `  ${l}`),
  ].join('\n');
}

/**
 * Expected reachability: a predicate over (source, destination), or an upstream-style truth
 * table (`.` reachable, `X` blocked; rows are sources, columns destinations). A pod can always
 * reach itself: predicates do not need to say so.
 */
type Expectation = ((src: ModelPod, dst: ModelPod) => boolean) | string;

/** `TCP/80`. */
type Probe = `${Protocol}/${number}`;

interface Scenario {
  name: string;
  policies: string[];
  options?: ClusterOptions;
  /** The API server the manifests are written for, when not a current one. */
  kubeVersion?: KubeVersion;
  overlay?: Overlay;
  checks: Array<[Probe, Expectation]>;
}

const HEADER = `     ${MODEL_PODS.map((p) => p.id.padEnd(4)).join('')}`.trimEnd();

/** Renders a matrix the way the expectations are written. */
function renderTable(reachable: (src: ModelPod, dst: ModelPod) => boolean): string {
  const rows = MODEL_PODS.map((src) =>
    `${src.id.padEnd(5)}${MODEL_PODS.map((dst) => (reachable(src, dst) ? '.' : 'X').padEnd(4)).join('')}`.trimEnd(),
  );
  return [HEADER, ...rows].join('\n');
}

/** Normalises an expectation to the rendered table (and checks a written table's shape). */
function expectedTable(expectation: Expectation): string {
  if (typeof expectation === 'function') {
    return renderTable((src, dst) => src.id === dst.id || expectation(src, dst));
  }
  const lines = dedent(expectation)
    .split('\n')
    .map((l) => l.trim().split(/\s+/));
  const [header, ...rows] = lines;
  if (header?.join(' ') !== MODEL_PODS.map((p) => p.id).join(' ')) throw new Error('bad table header');
  if (rows.length !== MODEL_PODS.length) throw new Error('a table needs one row per pod');
  const cells = new Map<string, boolean>();
  rows.forEach((row, i) => {
    const src = MODEL_PODS[i]!;
    if (row[0] !== src.id || row.length !== MODEL_PODS.length + 1) throw new Error(`bad table row ${src.id}`);
    row.slice(1).forEach((cell, j) => {
      if (cell !== '.' && cell !== 'X') throw new Error(`bad table cell ${cell}`);
      cells.set(`${src.id}>${MODEL_PODS[j]!.id}`, cell === '.');
    });
  });
  return renderTable((src, dst) => cells.get(`${src.id}>${dst.id}`)!);
}

function parseProbe(probe: Probe): [Protocol, number] {
  const [protocol, port] = probe.split('/');
  return [protocol as Protocol, Number(port)];
}

/** Builds the model with the scenario's policies and renders the probe's matrix. */
function probeMatrix(scenario: Scenario, probe: Probe): string {
  const text = [modelYaml(scenario.overlay), ...scenario.policies].join('\n---\n');
  const validation = scenario.kubeVersion ? { kubeVersion: scenario.kubeVersion } : {};
  const parsed = parseManifests([{ path: 'model.yaml', text }], { validation });
  // The scenarios are meant to be valid manifests: a typo must not pass as "blocked".
  expect(parsed.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  for (const object of parsed.objects) if (object.kind === 'NetworkPolicy') expect(object.valid).toBe(true);
  const cluster = buildCluster(parsed.objects, { granularity: 'pod', ...scenario.options });
  expect(cluster.diagnostics.filter(isFatal)).toEqual([]);
  expect(cluster.policies).toHaveLength(scenario.policies.length);
  const index = new Map(cluster.workloads.map((w) => [w.id, w.index]));
  expect([...index.keys()]).toEqual(MODEL_PODS.map((p) => `${p.id}[Pod]`));
  const analysis = analyze(cluster);
  const [protocol, port] = parseProbe(probe);
  return renderTable((src, dst) =>
    containsPort(
      analysis.between(index.get(`${src.id}[Pod]`)!, index.get(`${dst.id}[Pod]`)!),
      protocol,
      port,
    ),
  );
}

// Shorthands for the expectations.
const all = () => true;
const is = (p: ModelPod, id: string) => p.id === id;
const notTo = (id: string) => (_: ModelPod, dst: ModelPod) => dst.id !== id;
const notFrom = (id: string) => (src: ModelPod) => src.id !== id;
/** Only sources matching `allowed` may reach `target`; everything else is untouched. */
const ingressOf =
  (target: string, allowed: (src: ModelPod) => boolean) =>
  (src: ModelPod, dst: ModelPod): boolean =>
    dst.id !== target || allowed(src);
/** `source` may only reach destinations matching `allowed`; everything else is untouched. */
const egressOf =
  (source: string, allowed: (dst: ModelPod) => boolean) =>
  (src: ModelPod, dst: ModelPod): boolean =>
    src.id !== source || allowed(dst);

/** Namespaces x and y carry a `team` label; z does not. Pods x/b and y/c carry `role: client`. */
const TEAMS: Overlay = {
  namespaceLabels: { x: { team: 'red' }, y: { team: 'blue' } },
  podLabels: { 'x/b': { role: 'client' }, 'y/c': { role: 'client' } },
};

const DENY_INGRESS_X = netpol('x', 'deny-ingress', 'podSelector: {}');
const XA_SELECTOR = 'podSelector: {matchLabels: {pod: a}}';

/** x/a may reach 10.0.0.0/16 except namespace y's 10.0.2.0/24 (pod IPs decide). */
const IPBLOCK_EGRESS_XA = netpol(
  'x',
  'egress-ipblock',
  `
    ${XA_SELECTOR}
    policyTypes: [Egress]
    egress:
    - to:
      - ipBlock: {cidr: 10.0.0.0/16, except: [10.0.2.0/24]}
  `,
);
/** x/a accepts traffic from 10.0.3.2/32 (the address of z/b) only. */
const IPBLOCK_INGRESS_XA = netpol(
  'x',
  'ingress-ipblock',
  `
    ${XA_SELECTOR}
    ingress:
    - from:
      - ipBlock: {cidr: 10.0.3.2/32}
  `,
);
const DENY_ALL_EVERYWHERE = NAMESPACES.map((ns) =>
  netpol(ns, 'deny-all', 'podSelector: {}\npolicyTypes: [Ingress, Egress]'),
);

const SCENARIOS: Scenario[] = [
  {
    name: 'no policies: everything is reachable',
    policies: [],
    checks: [
      ['TCP/80', all],
      ['UDP/81', all],
      ['SCTP/80', all],
    ],
  },
  {
    name: 'default-deny ingress in x (policyTypes and ingress absent)',
    policies: [DENY_INGRESS_X],
    checks: [
      [
        'TCP/80',
        `
          x/a x/b x/c y/a y/b y/c z/a z/b z/c
          x/a .   X   X   .   .   .   .   .   .
          x/b X   .   X   .   .   .   .   .   .
          x/c X   X   .   .   .   .   .   .   .
          y/a X   X   X   .   .   .   .   .   .
          y/b X   X   X   .   .   .   .   .   .
          y/c X   X   X   .   .   .   .   .   .
          z/a X   X   X   .   .   .   .   .   .
          z/b X   X   X   .   .   .   .   .   .
          z/c X   X   X   .   .   .   .   .   .
        `,
      ],
      ['UDP/81', (_, dst) => dst.ns !== 'x'],
    ],
  },
  {
    name: 'default-deny ingress in x (explicit policyTypes, `ingress: []` allows nothing)',
    policies: [netpol('x', 'deny-ingress', 'podSelector: {}\npolicyTypes: [Ingress]\ningress: []')],
    checks: [['TCP/80', (_, dst) => dst.ns !== 'x']],
  },
  {
    name: 'default-deny egress in x',
    policies: [netpol('x', 'deny-egress', 'podSelector: {}\npolicyTypes: [Egress]')],
    checks: [
      [
        'TCP/80',
        `
          x/a x/b x/c y/a y/b y/c z/a z/b z/c
          x/a .   X   X   X   X   X   X   X   X
          x/b X   .   X   X   X   X   X   X   X
          x/c X   X   .   X   X   X   X   X   X
          y/a .   .   .   .   .   .   .   .   .
          y/b .   .   .   .   .   .   .   .   .
          y/c .   .   .   .   .   .   .   .   .
          z/a .   .   .   .   .   .   .   .   .
          z/b .   .   .   .   .   .   .   .   .
          z/c .   .   .   .   .   .   .   .   .
        `,
      ],
      ['SCTP/81', (src) => src.ns !== 'x'],
    ],
  },
  {
    name: 'deny all ingress and egress in x',
    policies: [
      netpol('x', 'deny-all', 'podSelector: {}\npolicyTypes: [Ingress, Egress]\ningress: []\negress: []'),
    ],
    checks: [['TCP/80', (src, dst) => src.ns !== 'x' && dst.ns !== 'x']],
  },
  {
    name: 'deny all ingress and egress in every namespace',
    policies: DENY_ALL_EVERYWHERE,
    checks: [
      ['TCP/80', () => false],
      ['UDP/80', () => false],
    ],
  },
  {
    name: '`ingress: [{}]` on x/a allows everything, beside a namespace default-deny',
    policies: [DENY_INGRESS_X, netpol('x', 'allow-all-to-a', `${XA_SELECTOR}\ningress:\n- {}`)],
    checks: [['TCP/81', (_, dst) => dst.ns !== 'x' || dst.pod === 'a']],
  },
  {
    name: '`egress: [{}]` allows everything despite policyTypes Egress',
    policies: [netpol('x', 'allow-all-egress', 'podSelector: {}\npolicyTypes: [Egress]\negress:\n- {}')],
    checks: [['TCP/80', all]],
  },
  {
    name: 'a rule with `from: []` admits every source (ports still apply)',
    policies: [netpol('x', 'empty-from', `${XA_SELECTOR}\ningress:\n- from: []\n  ports: [{port: 81}]`)],
    checks: [
      ['TCP/81', all],
      ['TCP/80', notTo('x/a')],
    ],
  },
  {
    name: 'allow ingress to x/a from its own namespace (podSelector {})',
    policies: [netpol('x', 'same-ns', `${XA_SELECTOR}\ningress:\n- from:\n  - podSelector: {}`)],
    checks: [['TCP/80', ingressOf('x/a', (src) => src.ns === 'x')]],
  },
  {
    name: 'allow ingress to x/a from a namespace by label',
    policies: [
      netpol(
        'x',
        'from-y',
        `${XA_SELECTOR}\ningress:\n- from:\n  - namespaceSelector: {matchLabels: {ns: "y"}}`,
      ),
    ],
    checks: [['TCP/80', ingressOf('x/a', (src) => src.ns === 'y')]],
  },
  {
    name: 'allow ingress by the implicit kubernetes.io/metadata.name label',
    policies: [
      netpol(
        'x',
        'from-z',
        `${XA_SELECTOR}\ningress:\n- from:\n  - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: z}}`,
      ),
    ],
    checks: [['TCP/80', ingressOf('x/a', (src) => src.ns === 'z')]],
  },
  {
    name: 'namespaceSelector {} admits every namespace',
    policies: [
      DENY_ALL_EVERYWHERE[0]!,
      netpol('x', 'from-anywhere', `${XA_SELECTOR}\ningress:\n- from:\n  - namespaceSelector: {}`),
    ],
    checks: [['TCP/80', (src, dst) => src.ns !== 'x' && (dst.ns !== 'x' || dst.pod === 'a')]],
  },
  {
    name: 'allow ingress from pods by label in any namespace (namespaceSelector {} AND podSelector)',
    policies: [
      netpol(
        'x',
        'from-b',
        `
          ${XA_SELECTOR}
          ingress:
          - from:
            - namespaceSelector: {}
              podSelector: {matchLabels: {pod: b}}
        `,
      ),
    ],
    checks: [['TCP/80', ingressOf('x/a', (src) => src.pod === 'b')]],
  },
  {
    name: 'a podSelector alone selects in the policy namespace only',
    policies: [
      netpol('x', 'from-b', `${XA_SELECTOR}\ningress:\n- from:\n  - podSelector: {matchLabels: {pod: b}}`),
    ],
    checks: [['TCP/80', ingressOf('x/a', (src) => is(src, 'x/b'))]],
  },
  {
    name: 'namespaceSelector and podSelector in one peer are ANDed',
    policies: [
      netpol(
        'x',
        'and',
        `
          ${XA_SELECTOR}
          ingress:
          - from:
            - namespaceSelector: {matchLabels: {ns: "y"}}
              podSelector: {matchLabels: {pod: b}}
        `,
      ),
    ],
    checks: [['TCP/80', ingressOf('x/a', (src) => is(src, 'y/b'))]],
  },
  {
    name: 'namespaceSelector and podSelector as two peers are ORed',
    policies: [
      netpol(
        'x',
        'or',
        `
          ${XA_SELECTOR}
          ingress:
          - from:
            - namespaceSelector: {matchLabels: {ns: "y"}}
            - podSelector: {matchLabels: {pod: b}}
        `,
      ),
    ],
    checks: [
      [
        'TCP/80',
        `
          x/a x/b x/c y/a y/b y/c z/a z/b z/c
          x/a .   .   .   .   .   .   .   .   .
          x/b .   .   .   .   .   .   .   .   .
          x/c X   .   .   .   .   .   .   .   .
          y/a .   .   .   .   .   .   .   .   .
          y/b .   .   .   .   .   .   .   .   .
          y/c .   .   .   .   .   .   .   .   .
          z/a X   .   .   .   .   .   .   .   .
          z/b X   .   .   .   .   .   .   .   .
          z/c X   .   .   .   .   .   .   .   .
        `,
      ],
    ],
  },
  {
    name: 'matchExpressions In (policy podSelector and namespaceSelector)',
    policies: [
      netpol(
        'x',
        'in',
        `
          podSelector:
            matchExpressions: [{key: pod, operator: In, values: [a, b]}]
          ingress:
          - from:
            - namespaceSelector:
                matchExpressions: [{key: kubernetes.io/metadata.name, operator: In, values: ["y"]}]
        `,
      ),
    ],
    checks: [['TCP/80', (src, dst) => dst.ns !== 'x' || dst.pod === 'c' || src.ns === 'y']],
  },
  {
    name: 'matchExpressions NotIn matches namespaces lacking the key',
    overlay: TEAMS,
    policies: [
      netpol(
        'x',
        'not-in',
        `
          ${XA_SELECTOR}
          ingress:
          - from:
            - namespaceSelector:
                matchExpressions: [{key: team, operator: NotIn, values: [red]}]
        `,
      ),
    ],
    checks: [['TCP/80', ingressOf('x/a', (src) => src.ns !== 'x')]],
  },
  {
    name: 'matchExpressions Exists on namespaces',
    overlay: TEAMS,
    policies: [
      netpol(
        'x',
        'exists',
        `${XA_SELECTOR}\ningress:\n- from:\n  - namespaceSelector:\n      matchExpressions: [{key: team, operator: Exists}]`,
      ),
    ],
    checks: [['TCP/80', ingressOf('x/a', (src) => src.ns !== 'z')]],
  },
  {
    name: 'matchExpressions DoesNotExist on namespaces',
    overlay: TEAMS,
    policies: [
      netpol(
        'x',
        'does-not-exist',
        `${XA_SELECTOR}\ningress:\n- from:\n  - namespaceSelector:\n      matchExpressions: [{key: team, operator: DoesNotExist}]`,
      ),
    ],
    checks: [['TCP/80', ingressOf('x/a', (src) => src.ns === 'z')]],
  },
  {
    name: 'matchExpressions Exists on pods across namespaces',
    overlay: TEAMS,
    policies: [
      netpol(
        'x',
        'clients',
        `
          ${XA_SELECTOR}
          ingress:
          - from:
            - namespaceSelector: {}
              podSelector:
                matchExpressions: [{key: role, operator: Exists}]
        `,
      ),
    ],
    checks: [['TCP/80', ingressOf('x/a', (src) => is(src, 'x/b') || is(src, 'y/c'))]],
  },
  {
    name: 'matchExpressions DoesNotExist and NotIn on pods (lacking the key matches)',
    overlay: TEAMS,
    policies: [
      netpol(
        'y',
        'non-clients',
        `
          podSelector:
            matchExpressions: [{key: role, operator: DoesNotExist}]
          policyTypes: [Egress]
          egress:
          - to:
            - namespaceSelector: {}
              podSelector:
                matchExpressions: [{key: role, operator: NotIn, values: [client]}]
        `,
      ),
    ],
    // y/a and y/b (no role) may only reach pods without role=client; y/c is not selected.
    checks: [
      ['TCP/80', (src, dst) => src.ns !== 'y' || src.pod === 'c' || !(is(dst, 'x/b') || is(dst, 'y/c'))],
    ],
  },
  {
    name: 'matchLabels AND matchExpressions in one selector',
    overlay: TEAMS,
    policies: [
      netpol(
        'x',
        'both',
        `
          ${XA_SELECTOR}
          ingress:
          - from:
            - namespaceSelector: {}
              podSelector:
                matchLabels: {role: client}
                matchExpressions: [{key: pod, operator: NotIn, values: [b]}]
        `,
      ),
    ],
    checks: [['TCP/80', ingressOf('x/a', (src) => is(src, 'y/c'))]],
  },
  {
    name: 'numeric port: TCP 81 only',
    policies: [netpol('x', 'port-81', `${XA_SELECTOR}\ningress:\n- ports: [{port: 81}]`)],
    checks: [
      ['TCP/81', all],
      ['TCP/80', notTo('x/a')],
      ['UDP/81', notTo('x/a')],
      ['SCTP/81', notTo('x/a')],
    ],
  },
  {
    name: 'named port on ingress (serve-81-tcp, protocol defaulted to TCP)',
    policies: [
      netpol(
        'x',
        'named',
        `${XA_SELECTOR}\ningress:\n- from:\n  - namespaceSelector: {}\n  ports: [{port: serve-81-tcp}]`,
      ),
    ],
    checks: [
      ['TCP/81', all],
      ['TCP/80', notTo('x/a')],
      ['UDP/81', notTo('x/a')],
    ],
  },
  {
    name: 'named port on ingress with UDP (serve-80-udp)',
    policies: [
      netpol('x', 'named-udp', `${XA_SELECTOR}\ningress:\n- ports: [{port: serve-80-udp, protocol: UDP}]`),
    ],
    checks: [
      ['UDP/80', all],
      ['UDP/81', notTo('x/a')],
      ['TCP/80', notTo('x/a')],
    ],
  },
  {
    name: 'named port with the wrong protocol resolves to nothing',
    policies: [
      netpol(
        'x',
        'named-mismatch',
        `${XA_SELECTOR}\ningress:\n- ports: [{port: serve-81-tcp, protocol: UDP}]`,
      ),
    ],
    checks: [
      ['TCP/81', notTo('x/a')],
      ['UDP/81', notTo('x/a')],
      ['TCP/80', notTo('x/a')],
    ],
  },
  {
    name: 'named port that no container declares resolves to nothing',
    policies: [netpol('x', 'named-unknown', `${XA_SELECTOR}\ningress:\n- ports: [{port: serve-82-tcp}]`)],
    checks: [['TCP/80', notTo('x/a')]],
  },
  {
    name: 'named port on egress resolves on the destination pods (serve-81-tcp)',
    policies: [
      netpol(
        'x',
        'egress-named',
        `${XA_SELECTOR}\npolicyTypes: [Egress]\negress:\n- ports: [{port: serve-81-tcp}]`,
      ),
    ],
    checks: [
      ['TCP/81', all],
      ['TCP/80', notFrom('x/a')],
    ],
  },
  {
    name: 'named SCTP port on egress (serve-80-sctp)',
    policies: [
      netpol(
        'x',
        'egress-sctp',
        `${XA_SELECTOR}\npolicyTypes: [Egress]\negress:\n- ports: [{port: serve-80-sctp, protocol: SCTP}]`,
      ),
    ],
    checks: [
      ['SCTP/80', all],
      ['SCTP/81', notFrom('x/a')],
      ['TCP/80', notFrom('x/a')],
    ],
  },
  {
    name: 'endPort: 81-90 is an inclusive range',
    policies: [netpol('x', 'range', `${XA_SELECTOR}\ningress:\n- ports: [{port: 81, endPort: 90}]`)],
    checks: [
      ['TCP/80', notTo('x/a')],
      ['TCP/81', all],
      ['UDP/81', notTo('x/a')],
    ],
  },
  {
    name: 'endPort: 79-80 includes its upper end',
    policies: [
      netpol('x', 'range', `${XA_SELECTOR}\ningress:\n- ports: [{protocol: UDP, port: 79, endPort: 80}]`),
    ],
    checks: [
      ['UDP/80', all],
      ['UDP/81', notTo('x/a')],
    ],
  },
  {
    name: 'a port entry with a protocol and no port admits the whole protocol',
    policies: [netpol('x', 'udp-any', `${XA_SELECTOR}\ningress:\n- ports: [{protocol: UDP}]`)],
    checks: [
      ['UDP/80', all],
      ['UDP/81', all],
      ['TCP/80', notTo('x/a')],
      ['SCTP/81', notTo('x/a')],
    ],
  },
  {
    name: 'SCTP port 80 only',
    policies: [netpol('x', 'sctp', `${XA_SELECTOR}\ningress:\n- ports: [{protocol: SCTP, port: 80}]`)],
    checks: [
      ['SCTP/80', all],
      ['SCTP/81', notTo('x/a')],
      ['TCP/80', notTo('x/a')],
      ['UDP/80', notTo('x/a')],
    ],
  },
  {
    name: 'a UDP-only policy does not open TCP',
    policies: [netpol('x', 'udp-81', `${XA_SELECTOR}\ningress:\n- ports: [{protocol: UDP, port: 81}]`)],
    checks: [
      ['UDP/81', all],
      ['TCP/81', notTo('x/a')],
    ],
  },
  {
    name: 'multiple policies: allowed is the union',
    policies: [
      netpol(
        'x',
        'from-y',
        `${XA_SELECTOR}\ningress:\n- from:\n  - namespaceSelector: {matchLabels: {ns: "y"}}`,
      ),
      netpol(
        'x',
        'from-zb-80',
        `
          ${XA_SELECTOR}
          ingress:
          - from:
            - namespaceSelector: {matchLabels: {ns: z}}
              podSelector: {matchLabels: {pod: b}}
            ports: [{port: 80}]
        `,
      ),
    ],
    checks: [
      ['TCP/80', ingressOf('x/a', (src) => src.ns === 'y' || is(src, 'z/b'))],
      ['TCP/81', ingressOf('x/a', (src) => src.ns === 'y')],
    ],
  },
  {
    name: 'an allow-all ingress policy takes precedence over a port-restricted one',
    policies: [
      netpol('x', 'only-81', `${XA_SELECTOR}\ningress:\n- ports: [{port: 81}]`),
      netpol('x', 'allow-all', `${XA_SELECTOR}\ningress:\n- {}`),
    ],
    checks: [['TCP/80', all]],
  },
  {
    name: 'ingress and egress combined: namespace x becomes an island',
    policies: [
      netpol(
        'x',
        'island',
        `
          podSelector: {}
          policyTypes: [Ingress, Egress]
          ingress:
          - from:
            - podSelector: {}
          egress:
          - to:
            - podSelector: {}
        `,
      ),
    ],
    checks: [['TCP/80', (src, dst) => (src.ns === 'x') === (dst.ns === 'x')]],
  },
  {
    name: 'a connection needs both the egress of the source and the ingress of the destination',
    policies: [
      netpol(
        'x',
        'a-to-y',
        `${XA_SELECTOR}\npolicyTypes: [Egress]\negress:\n- to:\n  - namespaceSelector: {matchLabels: {ns: "y"}}`,
      ),
      netpol(
        'y',
        'b-from-z',
        'podSelector: {matchLabels: {pod: b}}\ningress:\n- from:\n  - namespaceSelector: {matchLabels: {ns: z}}',
      ),
    ],
    checks: [
      [
        'TCP/80',
        `
          x/a x/b x/c y/a y/b y/c z/a z/b z/c
          x/a .   X   X   .   X   .   X   X   X
          x/b .   .   .   .   X   .   .   .   .
          x/c .   .   .   .   X   .   .   .   .
          y/a .   .   .   .   X   .   .   .   .
          y/b .   .   .   .   .   .   .   .   .
          y/c .   .   .   .   X   .   .   .   .
          z/a .   .   .   .   .   .   .   .   .
          z/b .   .   .   .   .   .   .   .   .
          z/c .   .   .   .   .   .   .   .   .
        `,
      ],
    ],
  },
  {
    name: 'egress to a pod in another namespace (namespaceSelector AND podSelector)',
    policies: [
      netpol(
        'x',
        'a-to-zc',
        `
          ${XA_SELECTOR}
          policyTypes: [Egress]
          egress:
          - to:
            - namespaceSelector: {matchLabels: {ns: z}}
              podSelector: {matchLabels: {pod: c}}
            ports: [{port: 80}, {protocol: UDP, port: 80}]
        `,
      ),
    ],
    checks: [
      ['TCP/80', egressOf('x/a', (dst) => is(dst, 'z/c'))],
      ['UDP/80', egressOf('x/a', (dst) => is(dst, 'z/c'))],
      ['TCP/81', egressOf('x/a', () => false)],
    ],
  },
  {
    name: 'policyTypes defaulting: egress rules add Egress, Ingress is always there',
    policies: [
      netpol(
        'x',
        'defaulted',
        `${XA_SELECTOR}\negress:\n- to:\n  - namespaceSelector: {matchLabels: {ns: "y"}}`,
      ),
    ],
    checks: [['TCP/80', (src, dst) => !is(dst, 'x/a') && (!is(src, 'x/a') || dst.ns === 'y')]],
  },
  {
    name: 'policyTypes [Egress]: ingress rules present are ignored',
    policies: [
      netpol(
        'x',
        'egress-only',
        `
          ${XA_SELECTOR}
          policyTypes: [Egress]
          ingress:
          - from:
            - podSelector: {matchLabels: {pod: b}}
          egress:
          - to:
            - namespaceSelector: {matchLabels: {ns: "y"}}
        `,
      ),
    ],
    checks: [['TCP/80', egressOf('x/a', (dst) => dst.ns === 'y')]],
  },
  {
    name: 'policyTypes [Ingress]: egress rules present are ignored',
    policies: [
      netpol(
        'x',
        'ingress-only',
        `
          ${XA_SELECTOR}
          policyTypes: [Ingress]
          ingress:
          - from:
            - namespaceSelector: {matchLabels: {ns: "y"}}
          egress:
          - to:
            - podSelector: {matchLabels: {pod: b}}
        `,
      ),
    ],
    checks: [['TCP/80', ingressOf('x/a', (src) => src.ns === 'y')]],
  },
  {
    name: 'ipBlock with except on egress matches pod IPs',
    policies: [IPBLOCK_EGRESS_XA],
    checks: [
      ['TCP/80', egressOf('x/a', (dst) => dst.ns !== 'y')],
      ['SCTP/81', egressOf('x/a', (dst) => dst.ns !== 'y')],
    ],
  },
  {
    name: 'ipBlock on egress with compat netpol-analyzer: pod IPs never match',
    policies: [IPBLOCK_EGRESS_XA],
    options: { compat: 'netpol-analyzer' },
    checks: [['TCP/80', egressOf('x/a', () => false)]],
  },
  {
    name: 'ipBlock on egress with the Cilium profile: pod IPs never match',
    policies: [IPBLOCK_EGRESS_XA],
    options: { cni: 'cilium' },
    checks: [['TCP/80', egressOf('x/a', () => false)]],
  },
  {
    name: 'ipBlock /32 on ingress matches exactly one pod IP',
    policies: [IPBLOCK_INGRESS_XA],
    checks: [['TCP/80', ingressOf('x/a', (src) => is(src, 'z/b'))]],
  },
  {
    name: 'ipBlock on ingress with compat netpol-analyzer: pod IPs never match',
    policies: [IPBLOCK_INGRESS_XA],
    options: { compat: 'netpol-analyzer' },
    checks: [['TCP/80', ingressOf('x/a', () => false)]],
  },
  {
    name: 'ipBlock CIDR host bits are masked (10.0.3.77/24 is 10.0.3.0/24) by servers before 1.36',
    kubeVersion: { major: 1, minor: 35 },
    policies: [netpol('x', 'masked', `${XA_SELECTOR}\ningress:\n- from:\n  - ipBlock: {cidr: 10.0.3.77/24}`)],
    checks: [['TCP/80', ingressOf('x/a', (src) => src.ns === 'z')]],
  },
  {
    name: 'ipBlock 0.0.0.0/0 except namespace x on ingress, with ports',
    policies: [
      netpol(
        'x',
        'world-but-x',
        `
          ${XA_SELECTOR}
          ingress:
          - from:
            - ipBlock: {cidr: 0.0.0.0/0, except: [10.0.1.0/24]}
            ports: [{protocol: UDP, port: 81}]
        `,
      ),
    ],
    checks: [
      ['UDP/81', ingressOf('x/a', (src) => src.ns !== 'x')],
      ['TCP/81', ingressOf('x/a', () => false)],
    ],
  },
  {
    name: 'Flannel enforces nothing',
    policies: DENY_ALL_EVERYWHERE,
    options: { cni: 'flannel' },
    checks: [['TCP/80', all]],
  },
  {
    name: 'kubenet enforces nothing',
    policies: DENY_ALL_EVERYWHERE,
    options: { cni: 'kubenet' },
    checks: [['UDP/81', all]],
  },
  {
    name: 'Calico enforces like upstream',
    policies: [DENY_INGRESS_X, IPBLOCK_INGRESS_XA],
    options: { cni: 'calico' },
    checks: [['TCP/80', (src, dst) => dst.ns !== 'x' || (dst.pod === 'a' && is(src, 'z/b'))]],
  },
  {
    name: 'Antrea enforces like upstream',
    policies: [DENY_INGRESS_X],
    options: { cni: 'antrea' },
    checks: [['TCP/80', (_, dst) => dst.ns !== 'x']],
  },
  {
    name: 'a policy without metadata.namespace lives in `default` and selects none of x, y, z',
    policies: [netpol(undefined, 'deny-default', 'podSelector: {}\npolicyTypes: [Ingress, Egress]')],
    checks: [['TCP/80', all]],
  },
  {
    name: '`policyTypes: []` is defaulted like an absent field (Ingress)',
    policies: [netpol('x', 'empty-types', 'podSelector: {}\npolicyTypes: []')],
    checks: [['TCP/80', (_, dst) => dst.ns !== 'x']],
    // The API server's SetDefaults_NetworkPolicy defaults policyTypes when len(policyTypes) == 0,
    // so `policyTypes: []` becomes [Ingress] (+ Egress with egress rules) and this policy is a
    // default-deny ingress for x. The evaluator applies defaulting only when the field is absent
    // (`spec.policyTypes ?? ...` in cluster.ts) and treats the policy as affecting nothing.
  },
  {
    name: '`policyTypes: []` with egress rules is defaulted to Ingress and Egress',
    policies: [
      netpol('x', 'empty-types', `${XA_SELECTOR}\npolicyTypes: []\negress:\n- to:\n  - podSelector: {}`),
    ],
    checks: [['TCP/80', (src, dst) => !is(dst, 'x/a') && (!is(src, 'x/a') || dst.ns === 'x')]],
    // Same defect as above: Kubernetes defaults an empty policyTypes to [Ingress, Egress] here.
  },
];

describe('upstream e2e model', () => {
  it('builds nine pods with six named container ports each and the model IPs', () => {
    const parsed = parseManifests([{ path: 'model.yaml', text: modelYaml() }]);
    expect(parsed.diagnostics).toEqual([]);
    const cluster = buildCluster(parsed.objects, { granularity: 'pod' });
    expect(cluster.workloads.map((w) => w.id)).toEqual(MODEL_PODS.map((p) => `${p.id}[Pod]`));
    const xb = cluster.workloads.find((w) => w.id === 'x/b[Pod]')!;
    expect(xb.pods[0]!.ips).toEqual(['10.0.1.2']);
    expect(xb.ports.map((p) => `${p.name}:${p.containerPort}/${p.protocol}`)).toEqual([
      'serve-80-tcp:80/TCP',
      'serve-80-udp:80/UDP',
      'serve-80-sctp:80/SCTP',
      'serve-81-tcp:81/TCP',
      'serve-81-udp:81/UDP',
      'serve-81-sctp:81/SCTP',
    ]);
    expect(cluster.namespaces.get('y')?.labels).toEqual({ ns: 'y', 'kubernetes.io/metadata.name': 'y' });
  });

  it('renders and parses truth tables consistently', () => {
    const table = renderTable((src, dst) => src.ns === dst.ns);
    expect(expectedTable(table)).toBe(table);
    expect(expectedTable((src, dst) => src.ns === dst.ns)).toBe(table);
  });

  for (const scenario of SCENARIOS) {
    describe(scenario.name, () => {
      for (const [probe, expectation] of scenario.checks) {
        it(probe, () => {
          expect(probeMatrix(scenario, probe)).toBe(expectedTable(expectation));
        });
      }
    });
  }
});
