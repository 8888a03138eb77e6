import { readFileSync } from 'node:fs';
import {
  type Analysis,
  analyze,
  buildCluster,
  explainAllPairs,
  portRangeConnections,
} from '@netpol-atlas/evaluator';
import { parseManifests } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR, loadCases, normalise } from '../../../../conformance/corpus.ts';
import { readInputs } from '../inputs.ts';
import { captureIO } from '../nodeIO.ts';
import { formatPairExplanations, narrowExplanations, portsText } from './explain.ts';

/** Every pair of the analysis explained, as `list --explain` prints it. */
function formatExplain(analysis: Analysis): string {
  return formatPairExplanations(explainAllPairs(analysis));
}

async function explainDir(dir: string): Promise<string> {
  const files = await readInputs(captureIO(), [dir]);
  const cluster = buildCluster(parseManifests(files).objects, { compat: 'netpol-analyzer' });
  return formatExplain(analyze(cluster));
}

function explainYaml(text: string): string {
  const cluster = buildCluster(parseManifests([{ path: 'test.yaml', text }]).objects, {
    compat: 'netpol-analyzer',
  });
  return formatExplain(analyze(cluster));
}

// Plain NetworkPolicy explain cases: no ANP/BANP, Route/Ingress, UDN, VM or exposure.
const explainCases = (loadCases() ?? []).filter(
  (c) =>
    c.command === 'list' && c.flags.explain && c.categories.length === 1 && c.categories[0] === 'Explain',
);

describe.runIf(explainCases.length > 0)('formatExplain against the corpus', () => {
  it('finds the plain explain cases', () => {
    expect(explainCases.map((c) => c.name).sort()).toEqual([
      'exposure_allow_all_two_workloads_test_explain',
      'ipblockstest_explain',
      'multiple_topology_resources_2_explain',
      'netpol_named_port_test_explain',
      'new_online_boutique_explain',
      'onlineboutique_explain',
      'vm_example_explain',
    ]);
  });

  it.each(explainCases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const actual = await explainDir(`${CORPUS_DIR}${c.inputDir}`);
    const expected = readFileSync(`${CORPUS_DIR}${c.expectedOutput}`, 'utf8');
    expect(normalise(actual)).toBe(normalise(expected));
  });

  it('matches the golden bytes exactly, line breaks included', async () => {
    const actual = await explainDir(`${CORPUS_DIR}tests/netpol_named_port_test`);
    expect(actual).toBe(
      readFileSync(`${CORPUS_DIR}test_outputs/connlist/netpol_named_port_test_explain_output.txt`, 'utf8'),
    );
  });
});

const twoApps = `apiVersion: v1
kind: Pod
metadata: {name: a, namespace: ns, labels: {app: a}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: ns, labels: {app: b}}
spec: {containers: [{name: c, image: x}]}
`;

describe('formatExplain', () => {
  it('prints nothing for an empty cluster', () => {
    expect(explainYaml('')).toBe('');
  });

  it('lists pairs left to the system default under their own header only', () => {
    expect(explainYaml(twoApps)).toBe(
      [
        '',
        '#########################################################',
        '# All Connections due to the system default (Allow all) #',
        '#########################################################',
        '0.0.0.0-255.255.255.255[External] => ns/a[Pod]',
        '0.0.0.0-255.255.255.255[External] => ns/b[Pod]',
        'ns/a[Pod] => 0.0.0.0-255.255.255.255[External]',
        'ns/a[Pod] => ns/b[Pod]',
        'ns/b[Pod] => 0.0.0.0-255.255.255.255[External]',
        'ns/b[Pod] => ns/a[Pod]',
        '',
      ].join('\n'),
    );
  });

  it('splits ports by reasons, lists several policies, and sorts segments and reasons', () => {
    const text = explainYaml(`${twoApps}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: z-web, namespace: ns}
spec:
  podSelector: {matchLabels: {app: b}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: a}}}]
    ports: [{port: 80}, {port: 53, protocol: UDP}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: a-deny, namespace: ns}
spec:
  podSelector: {matchLabels: {app: b}}
  policyTypes: [Ingress]
`);
    const block = text
      .split(`${'-'.repeat(160)}\n`)
      .find((b) => b.startsWith('Connections between ns/a[Pod]'))
      // The last block runs into the system-default section.
      ?.split('\n#')[0];
    expect(block).toBe(
      [
        'Connections between ns/a[Pod] => ns/b[Pod]:',
        '',
        'Allowed connections:',
        '\tAllowed TCP:[80], UDP:[53] due to the following policies and rules:',
        '\t\tEgress (Allowed) due to the system default (Allow all)',
        '\t\tIngress (Allowed)',
        "\t\t\tNetworkPolicy 'ns/z-web' allows connections by Ingress rule #1",
        '',
        'Denied connections:',
        '\tDenied TCP:[1-79,81-65535], UDP:[1-52,54-65535], SCTP due to the following policies and rules:',
        '\t\tEgress (Allowed) due to the system default (Allow all)',
        '\t\tIngress (Denied)',
        '\t\t\tNetworkPolicy list:',
        "\t\t\t\t- NetworkPolicy 'ns/a-deny' selects ns/b[Pod], but ns/a[Pod] is not allowed by any Ingress rule (no rules defined)",
        "\t\t\t\t- NetworkPolicy 'ns/z-web' selects ns/b[Pod], and Ingress rule #1 selects ns/a[Pod], but the protocols and ports do not match",
        '',
        '',
        '',
      ].join('\n'),
    );
    expect(
      text.startsWith(
        '\n##########################################\n# Specific connections and their reasons #\n',
      ),
    ).toBe(true);
    expect(text).toContain(
      "NetworkPolicy 'ns/z-web' selects ns/b[Pod], but 0.0.0.0-255.255.255.255[External] is not allowed by any Ingress rule",
    );
  });

  it('sorts pairs by source, then destination, in Go byte order', () => {
    const cluster = buildCluster(parseManifests([{ path: 't.yaml', text: twoApps }]).objects, {
      compat: 'netpol-analyzer',
    });
    const pairs = explainAllPairs(analyze(cluster));
    expect(formatPairExplanations([...pairs].reverse())).toBe(formatPairExplanations(pairs));
  });
});

describe('portsText', () => {
  it('names a fully covered protocol alone and lists the ranges of the others', () => {
    expect(portsText({ TCP: [1, 65535], UDP: [1, 52, 54, 65535], SCTP: [1, 65535] })).toBe(
      'TCP, UDP:[1-52,54-65535], SCTP',
    );
    expect(portsText({ TCP: [80, 80], UDP: [], SCTP: [] })).toBe('TCP:[80]');
    expect(portsText({ TCP: [], UDP: [], SCTP: [9003, 9003] })).toBe('SCTP:[9003]');
  });
});

describe('narrowExplanations (--explain-only, --focus-conn)', () => {
  // b/cli may reach a/web on TCP 80 only (an ingress policy); every other pair is left to the default.
  const yaml = `apiVersion: v1
kind: Pod
metadata: { name: web, namespace: a, labels: { app: web } }
spec: { containers: [{ name: c }] }
---
apiVersion: v1
kind: Pod
metadata: { name: cli, namespace: b }
spec: { containers: [{ name: c }] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: web, namespace: a }
spec:
  podSelector: {}
  ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 80 }] }]
`;
  // The pairs between the two pods (addresses outside the cluster aside).
  const pairs = explainAllPairs(
    analyze(
      buildCluster(parseManifests([{ path: 't.yaml', text: yaml }]).objects, { compat: 'netpol-analyzer' }),
    ),
  ).filter((p) => p.src.type === 'workload' && p.dst.type === 'workload');
  const summary = (narrowed: ReturnType<typeof narrowExplanations>) =>
    narrowed.map(
      (p) =>
        `${p.src.id} => ${p.dst.id}: ${p.segments.map((s) => `${s.allowed ? 'allowed' : 'denied'} ${portsText(s.conn)}`).join('; ')}`,
    );

  it.each([
    {
      narrowing: { only: 'deny' as const },
      expected: ['b/cli[Pod] => a/web[Pod]: denied TCP:[1-79,81-65535], UDP, SCTP'],
    },
    {
      narrowing: { only: 'allow' as const },
      expected: [
        'a/web[Pod] => b/cli[Pod]: allowed TCP, UDP, SCTP',
        'b/cli[Pod] => a/web[Pod]: allowed TCP:[80]',
      ],
    },
    {
      narrowing: { conn: portRangeConnections('TCP', 80, 80) },
      expected: ['a/web[Pod] => b/cli[Pod]: allowed TCP:[80]', 'b/cli[Pod] => a/web[Pod]: allowed TCP:[80]'],
    },
    {
      narrowing: { only: 'deny' as const, conn: portRangeConnections('TCP', 80, 80) },
      expected: [],
    },
    {
      narrowing: { only: 'deny' as const, conn: portRangeConnections('UDP', 53, 53) },
      expected: ['b/cli[Pod] => a/web[Pod]: denied UDP:[53]'],
    },
  ])('$narrowing', ({ narrowing, expected }) => {
    expect(summary(narrowExplanations(pairs, narrowing)).sort()).toEqual(expected);
  });
});
