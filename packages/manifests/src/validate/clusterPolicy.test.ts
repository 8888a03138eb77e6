import { describe, expect, it } from 'vitest';
import { isNode, LineCounter, parseAllDocuments } from 'yaml';
import type { Diagnostic, Locator } from '../diagnostics.ts';
import { decodeDocuments } from '../yamlDocuments.ts';
import { validateClusterPolicy } from './clusterPolicy.ts';
import { isCIDR } from './clusterPolicyRules.ts';

type Json = Record<string, unknown>;

const V1ALPHA2 = 'policy.networking.k8s.io/v1alpha2';
const V1ALPHA1 = 'policy.networking.k8s.io/v1alpha1';

function cnp(spec: Json = {}, metadata: Json = { name: 'cnp' }): Json {
  return {
    apiVersion: V1ALPHA2,
    kind: 'ClusterNetworkPolicy',
    metadata,
    spec: { tier: 'Admin', priority: 10, subject: { namespaces: {} }, ...spec },
  };
}
const cnpWithout = (key: string) => {
  const raw = cnp();
  delete (raw.spec as Json)[key];
  return raw;
};
const cnpEgress = (rule: Json) => cnp({ egress: [{ action: 'Accept', to: [{ namespaces: {} }], ...rule }] });
const cnpIngress = (rule: Json) =>
  cnp({ ingress: [{ action: 'Accept', from: [{ namespaces: {} }], ...rule }] });
const cnpPeer = (peer: unknown) => cnpEgress({ to: [peer] });
const cnpProtocol = (protocol: unknown) => cnpEgress({ protocols: [protocol] });
const cnpPort = (destinationPort: unknown) => cnpProtocol({ tcp: { destinationPort } });
const cnpNetworks = (networks: unknown) => cnpPeer({ networks });

function anp(spec: Json = {}, metadata: Json = { name: 'anp' }): Json {
  return {
    apiVersion: V1ALPHA1,
    kind: 'AdminNetworkPolicy',
    metadata,
    spec: { priority: 10, subject: { namespaces: {} }, ...spec },
  };
}
const anpEgress = (rule: Json) => anp({ egress: [{ action: 'Allow', to: [{ namespaces: {} }], ...rule }] });
const anpPort = (port: unknown) => anpEgress({ ports: [port] });

function banp(spec: Json = {}, metadata: Json = { name: 'default' }): Json {
  return {
    apiVersion: V1ALPHA1,
    kind: 'BaselineAdminNetworkPolicy',
    metadata,
    spec: { subject: { namespaces: {} }, ...spec },
  };
}
const banpEgress = (rule: Json) => banp({ egress: [{ action: 'Allow', to: [{ namespaces: {} }], ...rule }] });

const times = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));
const rules = (n: number) => times(n, () => ({ action: 'Deny', to: [{ namespaces: {} }] }));
const pods = (podSelector: Json = {}) => ({ pods: { namespaceSelector: {}, podSelector } });

const noRange: Locator = () => undefined;
const validate = (raw: unknown, channel?: 'standard' | 'experimental') =>
  validateClusterPolicy(raw, noRange, 'policy.yaml', channel === undefined ? {} : { channel });
const errorsOf = (raw: unknown) =>
  validate(raw)
    .filter((d) => d.severity === 'error')
    .map((d) => ({ code: d.code, field: d.field, message: d.message }));

// --- Every rule: one trigger, one near miss --------------------------------------------------

interface RuleCase {
  rule: string;
  trigger: unknown;
  code: string;
  field: string;
  message?: string;
  nearMiss: unknown;
}

const CIDR_MESSAGE = 'Invalid value: "string": Invalid CIDR format provided';
const NAMED_PORT_CNP =
  'Invalid value: "object": networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for networks/nodes/domainNames';

const ruleCases: RuleCase[] = [
  // ClusterNetworkPolicy spec
  {
    rule: 'spec is required',
    trigger: { apiVersion: V1ALPHA2, kind: 'ClusterNetworkPolicy', metadata: { name: 'x' } },
    code: 'crd-required',
    field: 'spec',
    message: 'Required value',
    nearMiss: cnp(),
  },
  {
    rule: 'tier is required',
    trigger: cnpWithout('tier'),
    code: 'crd-required',
    field: 'spec.tier',
    nearMiss: cnp(),
  },
  {
    rule: 'tier is Admin or Baseline',
    trigger: cnp({ tier: 'Developer' }),
    code: 'crd-enum',
    field: 'spec.tier',
    message: 'Unsupported value: "Developer": supported values: "Admin", "Baseline"',
    nearMiss: cnp({ tier: 'Baseline' }),
  },
  {
    rule: 'priority is required',
    trigger: cnpWithout('priority'),
    code: 'crd-required',
    field: 'spec.priority',
    nearMiss: cnp({ priority: 0 }),
  },
  {
    rule: 'priority is at most 1000',
    trigger: cnp({ priority: 1001 }),
    code: 'crd-maximum',
    field: 'spec.priority',
    message: 'Invalid value: 1001: spec.priority in body should be less than or equal to 1000',
    nearMiss: cnp({ priority: 1000 }),
  },
  {
    rule: 'priority is at least 0',
    trigger: cnp({ priority: -1 }),
    code: 'crd-minimum',
    field: 'spec.priority',
    message: 'Invalid value: -1: spec.priority in body should be greater than or equal to 0',
    nearMiss: cnp({ priority: 0 }),
  },
  {
    rule: 'priority is an integer',
    trigger: cnp({ priority: '10' }),
    code: 'crd-type',
    field: 'spec.priority',
    message: 'Invalid value: "string": spec.priority in body must be of type integer: "string"',
    nearMiss: cnp({ priority: 10 }),
  },
  {
    rule: 'subject is required',
    trigger: cnpWithout('subject'),
    code: 'crd-required',
    field: 'spec.subject',
    nearMiss: cnp(),
  },
  {
    rule: 'subject sets at least one of namespaces/pods',
    trigger: cnp({ subject: {} }),
    code: 'crd-min-properties',
    field: 'spec.subject',
    message: 'Invalid value: 0: spec.subject in body should have at least 1 properties',
    nearMiss: cnp({ subject: { pods: { podSelector: {} } } }),
  },
  {
    rule: 'subject sets at most one of namespaces/pods',
    trigger: cnp({ subject: { namespaces: {}, pods: { podSelector: {} } } }),
    code: 'crd-max-properties',
    field: 'spec.subject',
    message: 'Too many: 2: must have at most 1 item',
    nearMiss: cnp({ subject: { namespaces: {} } }),
  },
  {
    rule: 'pods needs podSelector (namespaceSelector is optional in v1alpha2)',
    trigger: cnp({ subject: { pods: { namespaceSelector: {} } } }),
    code: 'crd-required',
    field: 'spec.subject.pods.podSelector',
    nearMiss: cnp({ subject: { pods: { podSelector: {} } } }),
  },
  {
    rule: 'at most 25 ingress rules',
    trigger: cnp({ ingress: times(26, () => ({ action: 'Pass', from: [{ namespaces: {} }] })) }),
    code: 'crd-max-items',
    field: 'spec.ingress',
    message: 'Too many: 26: must have at most 25 items',
    nearMiss: cnp({ ingress: times(25, () => ({ action: 'Pass', from: [{ namespaces: {} }] })) }),
  },
  {
    rule: 'at most 25 egress rules',
    trigger: cnp({ egress: rules(26) }),
    code: 'crd-max-items',
    field: 'spec.egress',
    nearMiss: cnp({ egress: rules(25) }),
  },
  // Rules
  {
    rule: 'action is required',
    trigger: cnp({ egress: [{ to: [{ namespaces: {} }] }] }),
    code: 'crd-required',
    field: 'spec.egress[0].action',
    nearMiss: cnpEgress({}),
  },
  {
    rule: 'v1alpha2 actions are Accept, Deny, Pass',
    trigger: cnpEgress({ action: 'Allow' }),
    code: 'crd-enum',
    field: 'spec.egress[0].action',
    message: 'Unsupported value: "Allow": supported values: "Accept", "Deny", "Pass"',
    nearMiss: cnpEgress({ action: 'Pass' }),
  },
  {
    rule: 'rule name is at most 100 characters',
    trigger: cnpEgress({ name: 'x'.repeat(101) }),
    code: 'crd-max-length',
    field: 'spec.egress[0].name',
    message: 'Too long: may not be more than 100 bytes',
    nearMiss: cnpEgress({ name: 'é'.repeat(100) }),
  },
  {
    rule: 'from is required',
    trigger: cnp({ ingress: [{ action: 'Deny' }] }),
    code: 'crd-required',
    field: 'spec.ingress[0].from',
    nearMiss: cnpIngress({}),
  },
  {
    rule: 'from has at least one peer',
    trigger: cnpIngress({ from: [] }),
    code: 'crd-min-items',
    field: 'spec.ingress[0].from',
    message: 'Invalid value: 0: spec.ingress[0].from in body should have at least 1 items',
    nearMiss: cnpIngress({ from: [{ pods: { podSelector: {} } }] }),
  },
  {
    rule: 'to has at most 25 peers',
    trigger: cnpEgress({ to: times(30, () => ({ namespaces: {} })) }),
    code: 'crd-max-items',
    field: 'spec.egress[0].to',
    message: 'Too many: 30: must have at most 25 items',
    nearMiss: cnpEgress({ to: times(25, () => ({ namespaces: {} })) }),
  },
  {
    rule: 'ingress peers have no networks',
    trigger: cnpIngress({ from: [{ networks: ['10.0.0.0/8'] }] }),
    code: 'crd-min-properties',
    field: 'spec.ingress[0].from[0]',
    nearMiss: cnpEgress({ to: [{ networks: ['10.0.0.0/8'] }] }),
  },
  {
    rule: 'a peer sets exactly one field (at most)',
    trigger: cnpPeer({ namespaces: {}, networks: ['10.0.0.0/8'] }),
    code: 'crd-max-properties',
    field: 'spec.egress[0].to[0]',
    message: 'Too many: 2: must have at most 1 item',
    nearMiss: cnpPeer({ networks: ['10.0.0.0/8'] }),
  },
  {
    rule: 'a peer sets exactly one field (at least)',
    trigger: cnpPeer({}),
    code: 'crd-min-properties',
    field: 'spec.egress[0].to[0]',
    nearMiss: cnpPeer({ nodes: {} }),
  },
  {
    rule: 'protocols has at least one item',
    trigger: cnpEgress({ protocols: [] }),
    code: 'crd-min-items',
    field: 'spec.egress[0].protocols',
    nearMiss: cnpProtocol({ udp: { destinationPort: { number: 53 } } }),
  },
  {
    rule: 'protocols has at most 25 items',
    trigger: cnpEgress({ protocols: times(26, (i) => ({ tcp: { destinationPort: { number: i + 1 } } })) }),
    code: 'crd-max-items',
    field: 'spec.egress[0].protocols',
    nearMiss: cnpEgress({ protocols: times(25, (i) => ({ tcp: { destinationPort: { number: i + 1 } } })) }),
  },
  {
    rule: 'a protocol entry sets exactly one field',
    trigger: cnpProtocol({ tcp: { destinationPort: { number: 80 } }, destinationNamedPort: 'http' }),
    code: 'crd-max-properties',
    field: 'spec.egress[0].protocols[0]',
    nearMiss: cnpProtocol({ destinationNamedPort: 'http' }),
  },
  {
    rule: 'tcp needs a destinationPort',
    trigger: cnpProtocol({ sctp: {} }),
    code: 'crd-min-properties',
    field: 'spec.egress[0].protocols[0].sctp',
    nearMiss: cnpProtocol({ sctp: { destinationPort: { number: 9000 } } }),
  },
  {
    rule: 'a port sets number or range, not both',
    trigger: cnpPort({ number: 80, range: { start: 1, end: 2 } }),
    code: 'crd-max-properties',
    field: 'spec.egress[0].protocols[0].tcp.destinationPort',
    nearMiss: cnpPort({ range: { start: 1, end: 2 } }),
  },
  {
    rule: 'a port number is at most 65535',
    trigger: cnpPort({ number: 65536 }),
    code: 'crd-maximum',
    field: 'spec.egress[0].protocols[0].tcp.destinationPort.number',
    message:
      'Invalid value: 65536: spec.egress[0].protocols[0].tcp.destinationPort.number in body should be less than or equal to 65535',
    nearMiss: cnpPort({ number: 65535 }),
  },
  {
    rule: 'a port number is at least 1',
    trigger: cnpPort({ number: 0 }),
    code: 'crd-minimum',
    field: 'spec.egress[0].protocols[0].tcp.destinationPort.number',
    nearMiss: cnpPort({ number: 1 }),
  },
  {
    rule: 'a range needs its end',
    trigger: cnpPort({ range: { start: 1 } }),
    code: 'crd-required',
    field: 'spec.egress[0].protocols[0].tcp.destinationPort.range.end',
    nearMiss: cnpPort({ range: { start: 1, end: 65535 } }),
  },
  {
    rule: 'CEL: start port less than end port',
    trigger: cnpPort({ range: { start: 8080, end: 8080 } }),
    code: 'cel-port-range',
    field: 'spec.egress[0].protocols[0].tcp.destinationPort.range',
    message: 'Invalid value: "object": Start port must be less than End port',
    nearMiss: cnpPort({ range: { start: 8080, end: 8081 } }),
  },
  // Peers
  {
    rule: 'pods peer needs podSelector',
    trigger: cnpPeer({ pods: { namespaceSelector: {} } }),
    code: 'crd-required',
    field: 'spec.egress[0].to[0].pods.podSelector',
    nearMiss: cnpPeer({ pods: { podSelector: { matchLabels: { app: 'db' } } } }),
  },
  {
    rule: 'matchExpressions need key and operator',
    trigger: cnpPeer({ namespaces: { matchExpressions: [{ key: 'team' }] } }),
    code: 'crd-required',
    field: 'spec.egress[0].to[0].namespaces.matchExpressions[0].operator',
    nearMiss: cnpPeer({ namespaces: { matchExpressions: [{ key: 'team', operator: 'Exists' }] } }),
  },
  {
    rule: 'matchLabels values are strings',
    trigger: cnpPeer({ namespaces: { matchLabels: { tier: 1 } } }),
    code: 'crd-type',
    field: 'spec.egress[0].to[0].namespaces.matchLabels.tier',
    message:
      'Invalid value: "integer": spec.egress[0].to[0].namespaces.matchLabels.tier in body must be of type string: "integer"',
    nearMiss: cnpPeer({ namespaces: { matchLabels: { tier: '1' } } }),
  },
  {
    rule: 'networks has at least one CIDR',
    trigger: cnpNetworks([]),
    code: 'crd-min-items',
    field: 'spec.egress[0].to[0].networks',
    nearMiss: cnpNetworks(['0.0.0.0/0']),
  },
  {
    rule: 'networks has at most 25 CIDRs',
    trigger: cnpNetworks(times(26, (i) => `10.${i}.0.0/16`)),
    code: 'crd-max-items',
    field: 'spec.egress[0].to[0].networks',
    nearMiss: cnpNetworks(times(25, (i) => `10.${i}.0.0/16`)),
  },
  {
    rule: 'networks is a set',
    trigger: cnpNetworks(['10.0.0.0/8', '10.0.0.0/8']),
    code: 'crd-duplicate',
    field: 'spec.egress[0].to[0].networks[1]',
    message: 'Duplicate value: "10.0.0.0/8"',
    nearMiss: cnpNetworks(['10.0.0.0/8', '10.0.0.0/16']),
  },
  {
    rule: 'a CIDR is at most 43 characters',
    trigger: cnpNetworks([`2001:0db8:0000:0000:0000:0000:0000:0000/128${' '}`]),
    code: 'crd-max-length',
    field: 'spec.egress[0].to[0].networks[0]',
    nearMiss: cnpNetworks(['2001:0db8:0000:0000:0000:0000:0000:0000/128']),
  },
  {
    rule: 'CEL: isCIDR',
    trigger: cnpNetworks(['10.0.0.0']),
    code: 'cel-cidr',
    field: 'spec.egress[0].to[0].networks[0]',
    message: CIDR_MESSAGE,
    nearMiss: cnpNetworks(['10.0.0.1/8']),
  },
  {
    rule: 'domainNames match the pattern (wildcard only as a prefix)',
    trigger: cnpPeer({ domainNames: ['www.*.example.com'] }),
    code: 'crd-pattern',
    field: 'spec.egress[0].to[0].domainNames[0]',
    message:
      'Invalid value: "www.*.example.com": spec.egress[0].to[0].domainNames[0] in body should match \'^(\\*\\.)?([a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\\.)+[a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\\.?$\'',
    nearMiss: cnpPeer({ domainNames: ['*.example.com', 'kubernetes.io.'] }),
  },
  {
    rule: 'domainNames need a dot',
    trigger: cnpPeer({ domainNames: ['localhost'] }),
    code: 'crd-pattern',
    field: 'spec.egress[0].to[0].domainNames[0]',
    nearMiss: cnpPeer({ domainNames: ['local.host'] }),
  },
  {
    rule: 'domainNames is a set',
    trigger: cnpPeer({ domainNames: ['a.io', 'a.io'] }),
    code: 'crd-duplicate',
    field: 'spec.egress[0].to[0].domainNames[1]',
    nearMiss: cnpPeer({ domainNames: ['a.io', 'b.io'] }),
  },
  {
    rule: 'CEL: no named port with a networks peer',
    trigger: cnpEgress({
      to: [{ namespaces: {} }, { networks: ['10.0.0.0/8'] }],
      protocols: [{ destinationNamedPort: 'http' }],
    }),
    code: 'cel-named-port-peer',
    field: 'spec.egress[0]',
    message: NAMED_PORT_CNP,
    nearMiss: cnpEgress({
      to: [{ networks: ['10.0.0.0/8'] }],
      protocols: [{ tcp: { destinationPort: { number: 80 } } }],
    }),
  },
  {
    rule: 'CEL: no named port with a nodes peer',
    trigger: cnpEgress({ to: [{ nodes: {} }], protocols: [{ destinationNamedPort: 'http' }] }),
    code: 'cel-named-port-peer',
    field: 'spec.egress[0]',
    nearMiss: cnpEgress({
      to: [{ pods: { podSelector: {} } }],
      protocols: [{ destinationNamedPort: 'http' }],
    }),
  },
  {
    rule: 'CEL: no named port with a domainNames peer',
    trigger: cnpEgress({ to: [{ domainNames: ['a.io'] }], protocols: [{ destinationNamedPort: 'https' }] }),
    code: 'cel-named-port-peer',
    field: 'spec.egress[0]',
    nearMiss: cnpIngress({ from: [{ namespaces: {} }], protocols: [{ destinationNamedPort: 'https' }] }),
  },
  // Metadata
  {
    rule: 'metadata.name is required',
    trigger: cnp({}, {}),
    code: 'meta-name-required',
    field: 'metadata.name',
    message: 'Required value: name or generateName is required',
    nearMiss: cnp({}, { generateName: 'cnp-' }),
  },
  {
    rule: 'metadata.name is a DNS-1123 subdomain',
    trigger: cnp({}, { name: 'Deny_All' }),
    code: 'meta-invalid-name',
    field: 'metadata.name',
    nearMiss: cnp({}, { name: 'deny-all.v2' }),
  },
  // AdminNetworkPolicy (v1alpha1)
  {
    rule: 'ANP priority is at most 1000',
    trigger: anp({ priority: 1001 }),
    code: 'crd-maximum',
    field: 'spec.priority',
    nearMiss: anp({ priority: 1000 }),
  },
  {
    rule: 'ANP priority is required',
    trigger: anp({ priority: null }),
    code: 'crd-required',
    field: 'spec.priority',
    nearMiss: anp({ priority: 0 }),
  },
  {
    rule: 'ANP actions are Allow, Deny, Pass',
    trigger: anpEgress({ action: 'Accept' }),
    code: 'crd-enum',
    field: 'spec.egress[0].action',
    message: 'Unsupported value: "Accept": supported values: "Allow", "Deny", "Pass"',
    nearMiss: anpEgress({ action: 'Pass' }),
  },
  {
    rule: 'ANP has at most 100 egress rules',
    trigger: anp({ egress: times(101, () => ({ action: 'Deny', to: [{ namespaces: {} }] })) }),
    code: 'crd-max-items',
    field: 'spec.egress',
    message: 'Too many: 101: must have at most 100 items',
    nearMiss: anp({ egress: times(100, () => ({ action: 'Deny', to: [{ namespaces: {} }] })) }),
  },
  {
    rule: 'ANP pods need both selectors',
    trigger: anpEgress({ to: [{ pods: { namespaceSelector: {} } }] }),
    code: 'crd-required',
    field: 'spec.egress[0].to[0].pods.podSelector',
    nearMiss: anpEgress({ to: [pods()] }),
  },
  {
    rule: 'ANP port sets exactly one field',
    trigger: anpPort({ portNumber: { port: 53 }, namedPort: 'dns' }),
    code: 'crd-max-properties',
    field: 'spec.egress[0].ports[0]',
    nearMiss: anpPort({ portNumber: { port: 53 } }),
  },
  {
    rule: 'ANP portNumber needs port (protocol defaults to TCP)',
    trigger: anpPort({ portNumber: { protocol: 'UDP' } }),
    code: 'crd-required',
    field: 'spec.egress[0].ports[0].portNumber.port',
    nearMiss: anpPort({ portNumber: { port: 53 } }),
  },
  {
    rule: 'ANP portRange needs start',
    trigger: anpPort({ portRange: { end: 90 } }),
    code: 'crd-required',
    field: 'spec.egress[0].ports[0].portRange.start',
    // v1alpha1 has no start < end rule: an inverted range is stored.
    nearMiss: anpPort({ portRange: { start: 90, end: 80 } }),
  },
  {
    rule: 'ANP CEL: isCIDR',
    trigger: anpEgress({ to: [{ networks: ['zc00::/8'] }] }),
    code: 'cel-cidr',
    field: 'spec.egress[0].to[0].networks[0]',
    message: CIDR_MESSAGE,
    nearMiss: anpEgress({ to: [{ networks: ['fc00::/8'] }] }),
  },
  {
    rule: 'ANP CEL: no named port with a networks peer',
    trigger: anpEgress({ to: [{ networks: ['1.2.3.4/32'] }, pods()], ports: [{ namedPort: 'http' }] }),
    code: 'cel-named-port-peer',
    field: 'spec.egress[0]',
    message: NAMED_PORT_CNP,
    nearMiss: anpEgress({ to: [pods()], ports: [{ namedPort: 'http' }] }),
  },
  // BaselineAdminNetworkPolicy (v1alpha1)
  {
    rule: 'BANP CEL: the singleton is named default',
    trigger: banp({}, { name: 'baseline' }),
    code: 'cel-banp-name',
    field: '',
    message:
      'Invalid value: "object": Only one baseline admin network policy with metadata.name="default" can be created in the cluster',
    nearMiss: banp({}, { name: 'default' }),
  },
  {
    rule: 'BANP actions are Allow and Deny',
    trigger: banpEgress({ action: 'Pass' }),
    code: 'crd-enum',
    field: 'spec.egress[0].action',
    message: 'Unsupported value: "Pass": supported values: "Allow", "Deny"',
    nearMiss: banpEgress({ action: 'Deny' }),
  },
  {
    rule: 'BANP has no priority',
    trigger: banp({ subject: null }),
    code: 'crd-required',
    field: 'spec.subject',
    nearMiss: banp(),
  },
  {
    rule: 'BANP egress peers have no domainNames',
    trigger: banpEgress({ to: [{ domainNames: ['a.io'] }] }),
    code: 'crd-min-properties',
    field: 'spec.egress[0].to[0]',
    nearMiss: banpEgress({ to: [{ nodes: {} }] }),
  },
  {
    rule: 'BANP CEL: no named port with a nodes peer',
    trigger: banpEgress({ to: [{ nodes: {} }], ports: [{ namedPort: 'http' }] }),
    code: 'cel-named-port-peer',
    field: 'spec.egress[0]',
    message:
      'Invalid value: "object": networks/nodes peer cannot be set with namedPorts since there are no namedPorts for networks/nodes',
    nearMiss: banpEgress({ to: [{ nodes: {} }], ports: [{ portNumber: { port: 80 } }] }),
  },
];

describe('validateClusterPolicy: each rule of the CRDs', () => {
  it.each(ruleCases)('$rule: triggered', ({ trigger, code, field, message }) => {
    const errors = errorsOf(trigger);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject(message === undefined ? { code, field } : { code, field, message });
  });

  it.each(ruleCases)('$rule: near miss is valid', ({ nearMiss }) => {
    expect(errorsOf(nearMiss)).toEqual([]);
  });
});

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
