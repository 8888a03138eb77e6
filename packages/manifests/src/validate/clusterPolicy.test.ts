import { describe, expect, it } from 'vitest';
import { isNode, LineCounter, parseAllDocuments } from 'yaml';
import type { Diagnostic, Locator } from '../diagnostics.ts';
import { decodeDocuments } from '../yamlDocuments.ts';
import { validateClusterPolicy } from './clusterPolicy.ts';
import { isCIDR } from './clusterPolicyRules.ts';
import {
  anp,
  anpEgress,
  anpPort,
  banpEgress,
  CIDR_MESSAGE,
  cnp,
  cnpEgress,
  cnpIngress,
  cnpPeer,
  errorsOf,
  type Json,
  V1ALPHA1,
  V1ALPHA2,
  validate,
} from './clusterPolicyTesting.ts';

// --- The API server's order and short cuts ---------------------------------------------------

describe('validateClusterPolicy: API server behaviour', () => {
  it('accepts a policy using every peer and port form', () => {
    const raw = cnp({
      tier: 'Baseline',
      priority: 0,
      subject: { pods: { namespaceSelector: { matchLabels: { team: 'a' } }, podSelector: {} } },
      ingress: [
        {
          name: 'from monitoring',
          action: 'Accept',
          from: [{ namespaces: { matchExpressions: [{ key: 'm', operator: 'In', values: ['x'] }] } }],
          protocols: [{ tcp: { destinationPort: { number: 9090 } } }, { destinationNamedPort: 'metrics' }],
        },
      ],
      egress: [
        {
          action: 'Accept',
          to: [{ nodes: { matchLabels: { role: 'infra' } } }, { networks: ['10.0.0.0/8', 'fd00::/8'] }],
          protocols: [{ udp: { destinationPort: { range: { start: 1000, end: 2000 } } } }],
        },
        { action: 'Accept', to: [{ domainNames: ['*.example.com'] }] },
        { action: 'Pass', to: [{ pods: { podSelector: {} } }] },
      ],
    });
    expect(errorsOf(raw)).toEqual([]);
  });

  it('stops at a property-count failure, as kube-openapi does', () => {
    const raw = cnp({ subject: { namespaces: { matchLabels: { a: 1 } }, pods: {} } });
    expect(errorsOf(raw).map((e) => e.code)).toEqual(['crd-max-properties']);
  });

  it('skips the CEL rules after a blocking error, and says so', () => {
    const raw = cnpEgress({
      action: 'Allow',
      protocols: [{ tcp: { destinationPort: { range: { start: 9, end: 1 } } } }],
    });
    const diagnostics = validate(raw);
    expect(diagnostics.map((d) => [d.severity, d.code])).toEqual([
      ['error', 'crd-enum'],
      ['info', 'crd-cel-skipped'],
    ]);
    expect(diagnostics[1]?.message).toBe(
      'Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
    );
  });

  it('still runs the CEL rules after a non-blocking error (minimum, pattern)', () => {
    const raw = cnp({
      priority: 2000,
      egress: [{ action: 'Deny', to: [{ networks: ['300.0.0.0/8'] }] }],
    });
    expect(errorsOf(raw).map((e) => e.code)).toEqual(['crd-maximum', 'cel-cidr']);
  });

  it('treats null as absent, as pruning does', () => {
    expect(
      errorsOf(
        cnp({ ingress: null, egress: [{ action: 'Deny', to: [{ namespaces: {} }], protocols: null }] }),
      ),
    ).toEqual([]);
    expect(errorsOf(cnp({ tier: null })).map((e) => e.field)).toEqual(['spec.tier']);
  });

  it('defaults v1alpha1 protocol to TCP before checking required fields', () => {
    expect(errorsOf(anpPort({ portNumber: { port: 80, protocol: null } }))).toEqual([]);
  });

  it('reports a wrong top-level type and unknown kinds or versions', () => {
    expect(errorsOf('text')).toEqual([
      { code: 'crd-type', field: '', message: 'Invalid value: "string": must be of type object' },
    ]);
    expect(errorsOf({ ...cnp(), apiVersion: V1ALPHA1 })).toEqual([
      expect.objectContaining({ code: 'cluster-policy-version', field: 'apiVersion' }),
    ]);
    expect(errorsOf({ ...anp(), apiVersion: V1ALPHA2 })[0]?.message).toMatch(
      /^no matches for kind "AdminNetworkPolicy" in version "policy.networking.k8s.io\/v1alpha2"/,
    );
    expect(errorsOf({ ...cnp(), kind: 'NetworkPolicy' })[0]?.code).toBe('cluster-policy-kind');
  });

  it('names the cluster-scoped object by its name and kind', () => {
    const [d] = validate(cnp({ priority: 5000 }));
    expect(d).toMatchObject({ object: 'cnp', kind: 'ClusterNetworkPolicy', file: 'policy.yaml' });
    expect(validate(anp({ priority: 5000 }))[0]).toMatchObject({ object: 'anp', kind: 'AdminNetworkPolicy' });
  });
});

describe('validateClusterPolicy: rules repeated at several places of the CRD', () => {
  const range = (start: number, end: number) => ({ destinationPort: { range: { start, end } } });
  it.each([
    ['ingress', 'tcp'],
    ['ingress', 'udp'],
    ['ingress', 'sctp'],
    ['egress', 'tcp'],
    ['egress', 'udp'],
    ['egress', 'sctp'],
  ] as const)('start < end on %s %s ports', (direction, protocol) => {
    const make = (start: number, end: number) =>
      direction === 'ingress'
        ? cnpIngress({ protocols: [{ [protocol]: range(start, end) }] })
        : cnpEgress({ protocols: [{ [protocol]: range(start, end) }] });
    expect(errorsOf(make(90, 80))).toEqual([
      {
        code: 'cel-port-range',
        field: `spec.${direction}[0].protocols[0].${protocol}.destinationPort.range`,
        message: 'Invalid value: "object": Start port must be less than End port',
      },
    ]);
    expect(errorsOf(make(80, 90))).toEqual([]);
  });

  it.each([
    ['AdminNetworkPolicy', anpEgress],
    ['BaselineAdminNetworkPolicy', banpEgress],
    ['ClusterNetworkPolicy', cnpEgress],
  ] as const)('isCIDR on %s networks', (_kind, make) => {
    expect(errorsOf(make({ to: [{ networks: ['1.2.3.4/32', '1.2.3.4/40'] }] }))).toEqual([
      { code: 'cel-cidr', field: 'spec.egress[0].to[0].networks[1]', message: CIDR_MESSAGE },
    ]);
    expect(errorsOf(make({ to: [{ networks: ['1.2.3.4/32', '::/0'] }] }))).toEqual([]);
  });
});

describe('isCIDR (Kubernetes CEL library)', () => {
  it.each([
    ['10.0.0.0/8', true],
    ['10.1.2.3/8', true],
    ['0.0.0.0/0', true],
    ['fd00::/8', true],
    ['::/0', true],
    ['10.0.0.0/33', false],
    ['10.0.0.0/08', false],
    ['010.0.0.0/8', false],
    ['10.0.0.0', false],
    ['::ffff:10.0.0.0/104', false],
    ['fe80::1%eth0/64', false],
    ['zc00::/8', false],
  ])('%s -> %s', (text, expected) => {
    expect(isCIDR(text)).toBe(expected);
  });
});

// --- Warnings: pruning, channels, scope, advisories -----------------------------------------

const warningsOf = (raw: unknown, channel?: 'standard' | 'experimental') =>
  validate(raw, channel)
    .filter((d) => d.severity === 'warning')
    .map((d) => ({ code: d.code, field: d.field, message: d.message }));

describe('validateClusterPolicy: warnings', () => {
  it('reports unknown fields, which the API server prunes', () => {
    const raw = cnp({
      selector: {},
      egress: [{ action: 'Deny', to: [{ namespaces: {}, sameLabels: ['a'] }] }],
    });
    (raw.metadata as Json).label = { a: 'b' };
    expect(warningsOf(raw)).toEqual([
      {
        code: 'crd-unknown-field',
        field: 'metadata.label',
        message:
          'unknown field "metadata.label": the API server drops it (kubectl --validate=strict rejects the object)',
      },
      {
        code: 'crd-unknown-field',
        field: 'spec.selector',
        message:
          'unknown field "spec.selector": the API server prunes it (kubectl --validate=strict rejects the object)',
      },
      expect.objectContaining({ code: 'crd-unknown-field', field: 'spec.egress[0].to[0].sameLabels' }),
    ]);
    expect(errorsOf(raw)).toEqual([]);
  });

  it('says when pruning empties a selector, which then selects everything', () => {
    const raw = anpEgress({ action: 'Deny', to: [{ namespaces: { sameLabels: ['tenant'] } }] });
    expect(errorsOf(raw)).toEqual([]);
    expect(warningsOf(raw)).toEqual([
      {
        code: 'crd-unknown-field',
        field: 'spec.egress[0].to[0].namespaces.sameLabels',
        message:
          'unknown field "spec.egress[0].to[0].namespaces.sameLabels": the API server prunes it (kubectl --validate=strict rejects the object); pruned, spec.egress[0].to[0].namespaces is an empty selector, which selects everything',
      },
    ]);
    const kept = anpEgress({ to: [{ namespaces: { matchLabels: { a: 'b' }, sameLabels: ['tenant'] } }] });
    expect(warningsOf(kept).map((w) => w.message)).toEqual([
      expect.stringMatching(/kubectl --validate=strict rejects the object\)$/),
    ]);
  });

  it('names experimental-channel fields, and what pruning them would leave', () => {
    const raw = cnpEgress({ to: [{ nodes: {} }, { domainNames: ['a.io'] }] });
    expect(warningsOf(raw)).toEqual([
      {
        code: 'crd-experimental-field',
        field: 'spec.egress[0].to[0].nodes',
        message:
          'experimental-channel field "nodes": a standard-channel CRD does not know it and prunes it (unknown fields are dropped), which leaves spec.egress[0].to[0] with 0 of the at least 1 properties it must have, so that CRD rejects the object',
      },
      expect.objectContaining({ code: 'crd-experimental-field', field: 'spec.egress[0].to[1].domainNames' }),
    ]);
    expect(warningsOf(anpPort({ namedPort: 'dns' })).map((w) => w.field)).toEqual([
      'spec.egress[0].ports[0].namedPort',
    ]);
    expect(warningsOf(cnpPeer({ networks: ['10.0.0.0/8'] }))).toEqual([]);
  });

  it('validates as a standard-channel CRD would when asked', () => {
    const raw = cnpEgress({ to: [{ nodes: {} }], protocols: [{ destinationNamedPort: 'x' }] });
    const standard = validate(raw, 'standard').filter((d) => d.severity === 'error');
    expect(standard.map((d) => [d.code, d.field])).toEqual([['crd-min-properties', 'spec.egress[0].to[0]']]);
    // Standard v1alpha2 has no named-port rule: networks with a named port is stored there.
    const networks = cnpEgress({
      to: [{ networks: ['10.0.0.0/8'] }],
      protocols: [{ destinationNamedPort: 'x' }],
    });
    expect(validate(networks, 'standard').filter((d) => d.severity === 'error')).toEqual([]);
    expect(errorsOf(networks).map((e) => e.code)).toEqual(['cel-named-port-peer']);
  });

  it('says that a namespace on a cluster-scoped object is ignored, not validated', () => {
    const raw = cnp({}, { name: 'cnp', namespace: 'Not_A_Label' });
    expect(errorsOf(raw)).toEqual([]);
    expect(warningsOf(raw)).toEqual([
      {
        code: 'cluster-policy-namespace',
        field: 'metadata.namespace',
        message:
          'ClusterNetworkPolicy is cluster-scoped: the API server ignores metadata.namespace "Not_A_Label"',
      },
    ]);
  });

  it('flags selectors, protocols and domainNames the CRD stores but implementations cannot use', () => {
    const selector = cnpPeer({
      namespaces: { matchLabels: { 'bad key': 'v' }, matchExpressions: [{ key: 'k', operator: 'Equals' }] },
    });
    expect(errorsOf(selector)).toEqual([]);
    expect(warningsOf(selector).map((w) => [w.code, w.field])).toEqual([
      ['cluster-policy-selector', 'spec.egress[0].to[0].namespaces.matchLabels.bad key'],
      ['cluster-policy-selector', 'spec.egress[0].to[0].namespaces.matchExpressions[0].operator'],
    ]);
    expect(warningsOf(cnpPeer({ namespaces: { matchExpressions: [{ key: 'k', operator: 'In' }] } }))).toEqual(
      [
        expect.objectContaining({
          field: 'spec.egress[0].to[0].namespaces.matchExpressions[0].values',
          message: expect.stringMatching(
            /^Required value: must be specified when `operator` is 'In' or 'NotIn'/,
          ),
        }),
      ],
    );
    expect(warningsOf(anpPort({ portNumber: { port: 80, protocol: 'ICMP' } }))).toEqual([
      expect.objectContaining({
        code: 'cluster-policy-protocol',
        field: 'spec.egress[0].ports[0].portNumber.protocol',
      }),
    ]);
    expect(warningsOf(cnpEgress({ action: 'Deny', to: [{ domainNames: ['a.io'] }] }))).toEqual([
      expect.objectContaining({ code: 'crd-experimental-field' }),
      {
        code: 'cluster-policy-domain-names-action',
        field: 'spec.egress[0].to[0].domainNames',
        message:
          'domainNames is only supported in Accept rules, not in a Deny rule: the CRD accepts it, but implementations need not enforce it',
      },
    ]);
    expect(
      warningsOf(cnpEgress({ action: 'Accept', to: [{ domainNames: ['a.io'] }] })).map((w) => w.code),
    ).toEqual(['crd-experimental-field']);
  });
});

// --- Source locations -------------------------------------------------------------------------

function locatorFor(text: string): { value: unknown; locate: Locator } {
  const lines = new LineCounter();
  const [doc] = parseAllDocuments(text, { lineCounter: lines });
  if (doc === undefined) throw new Error('no document');
  const locate: Locator = (path) => {
    const node = path.length === 0 ? doc.contents : doc.getIn(path, true);
    if (!isNode(node) || node.range == null) return undefined;
    const start = lines.linePos(node.range[0]);
    const end = lines.linePos(node.range[1]);
    return { start: { line: start.line, column: start.col }, end: { line: end.line, column: end.col } };
  };
  return { value: doc.toJS(), locate };
}

describe('validateClusterPolicy: source ranges', () => {
  it('points at the field, or at its nearest existing parent when missing', () => {
    const text = [
      'apiVersion: policy.networking.k8s.io/v1alpha2', // 1
      'kind: ClusterNetworkPolicy', // 2
      'metadata:', // 3
      '  name: tiers', // 4
      'spec:', // 5
      '  tier: Admin', // 6
      '  priority: 1001', // 7
      '  subject:', // 8
      '    namespaces: {}', // 9
      '  egress:', // 10
      '  - action: Deny', // 11
      '    to:', // 12
      '    - pods:', // 13
      '        namespaceSelector: {}', // 14
      '    - networks: [10.0.0.0/8, 10.0.0.0/8]', // 15
    ].join('\n');
    const { value, locate } = locatorFor(text);
    const diagnostics: Diagnostic[] = validateClusterPolicy(value, locate, 'tiers.yaml');
    const at = Object.fromEntries(
      diagnostics.map((d) => [d.field, `${d.range?.start.line}:${d.range?.start.column}`]),
    );
    expect(at).toEqual({
      'spec.priority': '7:13',
      'spec.egress[0].to[0].pods.podSelector': '14:9',
      'spec.egress[0].to[1].networks[1]': '15:30',
      '': '1:1',
    });
  });

  it('points a BaselineAdminNetworkPolicy name error at metadata.name', () => {
    const text = [
      'apiVersion: policy.networking.k8s.io/v1alpha1',
      'kind: BaselineAdminNetworkPolicy',
      'metadata:',
      '  name: baseline',
      'spec:',
      '  subject: {namespaces: {}}',
    ].join('\n');
    const { value, locate } = locatorFor(text);
    const [d] = validateClusterPolicy(value, locate, 'banp.yaml');
    expect(d).toMatchObject({ code: 'cel-banp-name', field: '', range: { start: { line: 4, column: 9 } } });
  });

  it('works with the locator parse.ts builds (missing fields resolve to their parent)', () => {
    const text = [
      '---',
      'apiVersion: policy.networking.k8s.io/v1alpha1',
      'kind: AdminNetworkPolicy',
      'metadata: {name: anp}',
      'spec:',
      '  priority: 3',
      '  subject: {namespaces: {}}',
      '  ingress:',
      '  - action: Allow',
      '    from:',
      '    - pods:',
      '        namespaceSelector: {}',
      '    ports:',
      '    - portRange: {start: 1}',
    ].join('\n');
    const { documents } = decodeDocuments('anp.yaml', text, { maxAliasCount: 100 });
    const [doc] = documents;
    if (doc === undefined) throw new Error('no document');
    const at = validateClusterPolicy(doc.value, doc.locate, 'anp.yaml')
      .filter((d) => d.severity === 'error')
      .map((d) => `${d.file}:${d.range?.start.line}:${d.range?.start.column} ${d.field}: ${d.message}`);
    expect(at).toEqual([
      'anp.yaml:12:9 spec.ingress[0].from[0].pods.podSelector: Required value',
      'anp.yaml:14:18 spec.ingress[0].ports[0].portRange.end: Required value',
    ]);
  });
});
