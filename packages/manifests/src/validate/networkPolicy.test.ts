import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Document, isNode, LineCounter, parseAllDocuments } from 'yaml';
import { CORPUS_DIR } from '../../../../conformance/corpus.ts';
import type { Diagnostic, Locator } from '../diagnostics.ts';
import { validateNetworkPolicy } from './networkPolicy.ts';

const CORPUS = `${CORPUS_DIR}tests`;
const join = (...parts: string[]) => parts.join('/');

const SUBDOMAIN_REGEX_ERR =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start " +
  "and end with an alphanumeric character (e.g. 'example.com', regex used for validation is " +
  "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_REGEX_ERR =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end " +
  "with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is " +
  "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const NAME_PART_REGEX_ERR =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an " +
  "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is " +
  "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_REGEX_ERR =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start " +
  "and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for " +
  "validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const INVALID_CIDR = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

type Json = Record<string, unknown>;

function policy(spec: Json = {}, metadata: Json = { name: 'np', namespace: 'ns1' }): Json {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata,
    spec: { podSelector: {}, ...spec },
  };
}
const withPodSelector = (podSelector: unknown) => policy({ podSelector });
const withPeer = (peer: unknown) => policy({ ingress: [{ from: [peer] }] });
const withPort = (port: unknown) => policy({ egress: [{ ports: [port] }] });
const withIPBlock = (ipBlock: unknown) => withPeer({ ipBlock });

const noRange: Locator = () => undefined;
const validate = (raw: unknown) => validateNetworkPolicy(raw, noRange, 'np.yaml');
const summary = (d: Diagnostic) => ({ code: d.code, field: d.field, message: d.message });

interface FailingCase {
  rule: string;
  raw: unknown;
  code: string;
  field: string;
  message: string;
}

const failing: FailingCase[] = [
  {
    rule: 'metadata.name must be a DNS-1123 subdomain',
    raw: policy({}, { name: 'My_NP' }),
    code: 'meta-invalid-name',
    field: 'metadata.name',
    message: `Invalid value: "My_NP": ${SUBDOMAIN_REGEX_ERR}`,
  },
  {
    rule: 'metadata.name is at most 253 characters',
    raw: policy({}, { name: 'a'.repeat(254) }),
    code: 'meta-invalid-name',
    field: 'metadata.name',
    message: `Invalid value: "${'a'.repeat(254)}": must be no more than 253 characters`,
  },
  {
    rule: 'metadata.name or generateName is required',
    raw: policy({}, { namespace: 'ns1' }),
    code: 'meta-name-required',
    field: 'metadata.name',
    message: 'Required value: name or generateName is required',
  },
  {
    rule: 'metadata.generateName must be a DNS-1123 subdomain prefix',
    raw: policy({}, { generateName: 'NP-' }),
    code: 'meta-invalid-generate-name',
    field: 'metadata.generateName',
    message: `Invalid value: "NP-": ${SUBDOMAIN_REGEX_ERR}`,
  },
  {
    rule: 'metadata.namespace must be a DNS-1123 label (dots)',
    raw: policy({}, { name: 'np', namespace: 'my.ns' }),
    code: 'meta-invalid-namespace',
    field: 'metadata.namespace',
    message: 'Invalid value: "my.ns": must not contain dots',
  },
  {
    rule: 'metadata.namespace must be a DNS-1123 label (case)',
    raw: policy({}, { name: 'np', namespace: 'Prod' }),
    code: 'meta-invalid-namespace',
    field: 'metadata.namespace',
    message: `Invalid value: "Prod": ${LABEL_REGEX_ERR}`,
  },
  {
    rule: 'metadata.labels keys are qualified names',
    raw: policy({}, { name: 'np', labels: { 'a b': 'x' } }),
    code: 'meta-invalid-label-key',
    field: 'metadata.labels',
    message: `Invalid value: "a b": ${NAME_PART_REGEX_ERR}`,
  },
  {
    rule: 'metadata.labels values are label values',
    raw: policy({}, { name: 'np', labels: { app: 'a b' } }),
    code: 'meta-invalid-label-value',
    field: 'metadata.labels',
    message: `Invalid value: "a b": ${LABEL_VALUE_REGEX_ERR}`,
  },
  {
    rule: 'metadata.annotations keys are qualified names',
    raw: policy({}, { name: 'np', annotations: { 'example.com/a/b': 'x' } }),
    code: 'meta-invalid-annotation-key',
    field: 'metadata.annotations',
    message:
      `Invalid value: "example.com/a/b": a valid label key ` +
      "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric " +
      "character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is " +
      "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. " +
      "'example.com/MyName')",
  },
  {
    rule: 'metadata.annotations total at most 256 KiB',
    raw: policy({}, { name: 'np', annotations: { big: 'x'.repeat(256 * 1024) } }),
    code: 'meta-annotations-too-long',
    field: 'metadata.annotations',
    message: 'Too long: may not be more than 262144 bytes',
  },
  {
    rule: 'matchLabels keys are qualified names',
    raw: withPodSelector({ matchLabels: { 'app@b': 'x' } }),
    code: 'selector-invalid-key',
    field: 'spec.podSelector.matchLabels',
    message: `Invalid value: "app@b": ${NAME_PART_REGEX_ERR}`,
  },
  {
    rule: 'matchLabels key prefixes are DNS-1123 subdomains',
    raw: withPodSelector({ matchLabels: { 'Example.com/app': 'x' } }),
    code: 'selector-invalid-key',
    field: 'spec.podSelector.matchLabels',
    message: `Invalid value: "Example.com/app": prefix part ${SUBDOMAIN_REGEX_ERR}`,
  },
  {
    rule: 'matchLabels key name parts are at most 63 bytes',
    raw: withPodSelector({ matchLabels: { ['k'.repeat(64)]: 'x' } }),
    code: 'selector-invalid-key',
    field: 'spec.podSelector.matchLabels',
    message: `Invalid value: "${'k'.repeat(64)}": name part must be no more than 63 bytes`,
  },
  {
    rule: 'matchLabels values are label values',
    raw: withPodSelector({ matchLabels: { app: '$backendservice' } }),
    code: 'selector-invalid-value',
    field: 'spec.podSelector.matchLabels',
    message: `Invalid value: "$backendservice": ${LABEL_VALUE_REGEX_ERR}`,
  },
  {
    rule: 'matchLabels values are at most 63 bytes',
    raw: withPodSelector({ matchLabels: { app: 'v'.repeat(64) } }),
    code: 'selector-invalid-value',
    field: 'spec.podSelector.matchLabels',
    message: `Invalid value: "${'v'.repeat(64)}": must be no more than 63 bytes`,
  },
  {
    rule: 'In requires values',
    raw: withPodSelector({ matchExpressions: [{ key: 'app', operator: 'In', values: [] }] }),
    code: 'selector-values-required',
    field: 'spec.podSelector.matchExpressions[0].values',
    message: "Required value: must be specified when `operator` is 'In' or 'NotIn'",
  },
  {
    rule: 'NotIn requires values',
    raw: withPodSelector({ matchExpressions: [{ key: 'app', operator: 'NotIn' }] }),
    code: 'selector-values-required',
    field: 'spec.podSelector.matchExpressions[0].values',
    message: "Required value: must be specified when `operator` is 'In' or 'NotIn'",
  },
  {
    rule: 'Exists forbids values',
    raw: withPodSelector({ matchExpressions: [{ key: 'app', operator: 'Exists', values: ['a'] }] }),
    code: 'selector-values-forbidden',
    field: 'spec.podSelector.matchExpressions[0].values',
    message: "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
  },
  {
    rule: 'DoesNotExist forbids values',
    raw: withPodSelector({ matchExpressions: [{ key: 'app', operator: 'DoesNotExist', values: ['a'] }] }),
    code: 'selector-values-forbidden',
    field: 'spec.podSelector.matchExpressions[0].values',
    message: "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
  },
  {
    rule: 'operators are case-sensitive',
    raw: withPodSelector({ matchExpressions: [{ key: 'app', operator: 'in', values: ['a'] }] }),
    code: 'selector-invalid-operator',
    field: 'spec.podSelector.matchExpressions[0].operator',
    message: 'Invalid value: "in": not a valid selector operator',
  },
  {
    rule: 'matchExpressions keys are qualified names',
    raw: withPodSelector({ matchExpressions: [{ key: 'app@b', operator: 'Exists' }] }),
    code: 'selector-invalid-key',
    field: 'spec.podSelector.matchExpressions[0].key',
    message: `Invalid value: "app@b": ${NAME_PART_REGEX_ERR}`,
  },
  {
    rule: 'matchExpressions values are label values',
    raw: withPodSelector({ matchExpressions: [{ key: 'app', operator: 'In', values: ['ok', 'not ok'] }] }),
    code: 'selector-invalid-value',
    field: 'spec.podSelector.matchExpressions[0].values[1]',
    message: `Invalid value: "not ok": ${LABEL_VALUE_REGEX_ERR}`,
  },
  {
    rule: 'peer namespaceSelector is validated',
    raw: withPeer({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'Prod!' } } }),
    code: 'selector-invalid-value',
    field: 'spec.ingress[0].from[0].namespaceSelector.matchLabels',
    message: `Invalid value: "Prod!": ${LABEL_VALUE_REGEX_ERR}`,
  },
  {
    rule: 'an empty peer is rejected',
    raw: withPeer({}),
    code: 'np-peer-empty',
    field: 'spec.ingress[0].from[0]',
    message: 'Required value: must specify a peer',
  },
  {
    rule: 'a null peer is an empty peer',
    raw: policy({ egress: [{ to: [{ podSelector: {} }, null] }] }),
    code: 'np-peer-empty',
    field: 'spec.egress[0].to[1]',
    message: 'Required value: must specify a peer',
  },
  {
    rule: 'ipBlock excludes podSelector',
    raw: withPeer({ podSelector: {}, ipBlock: { cidr: '0.0.0.0/0' } }),
    code: 'np-peer-ipblock-with-selector',
    field: 'spec.ingress[0].from[0]',
    message: 'Forbidden: may not specify both ipBlock and another peer',
  },
  {
    rule: 'ipBlock excludes namespaceSelector',
    raw: withPeer({ namespaceSelector: {}, ipBlock: { cidr: '0.0.0.0/0' } }),
    code: 'np-peer-ipblock-with-selector',
    field: 'spec.ingress[0].from[0]',
    message: 'Forbidden: may not specify both ipBlock and another peer',
  },
  {
    rule: 'ipBlock.cidr is required',
    raw: withIPBlock({ except: ['10.0.0.0/8'] }),
    code: 'np-cidr-required',
    field: 'spec.ingress[0].from[0].ipBlock.cidr',
    message: 'Required value',
  },
  {
    rule: 'ipBlock.cidr prefix fits the family',
    raw: withIPBlock({ cidr: '10.0.0.0/33' }),
    code: 'np-invalid-cidr',
    field: 'spec.ingress[0].from[0].ipBlock.cidr',
    message: `Invalid value: "10.0.0.0/33": ${INVALID_CIDR}`,
  },
  {
    rule: 'ipBlock.cidr needs a prefix',
    raw: withIPBlock({ cidr: '10.0.0.1' }),
    code: 'np-invalid-cidr',
    field: 'spec.ingress[0].from[0].ipBlock.cidr',
    message: `Invalid value: "10.0.0.1": ${INVALID_CIDR}`,
  },
  {
    rule: 'ipBlock.cidr IPv6 is parsed',
    raw: withIPBlock({ cidr: '2001:db8:::/64' }),
    code: 'np-invalid-cidr',
    field: 'spec.ingress[0].from[0].ipBlock.cidr',
    message: `Invalid value: "2001:db8:::/64": ${INVALID_CIDR}`,
  },
  {
    rule: 'ipBlock.cidr octets have no leading zeros',
    raw: withIPBlock({ cidr: '010.0.0.0/8' }),
    code: 'np-invalid-cidr',
    field: 'spec.ingress[0].from[0].ipBlock.cidr',
    message: 'Invalid value: "010.0.0.0/8": must not have leading 0s in IP or prefix length',
  },
  {
    rule: 'ipBlock.cidr prefix length has no leading zeros',
    raw: withIPBlock({ cidr: '10.0.0.0/08' }),
    code: 'np-invalid-cidr',
    field: 'spec.ingress[0].from[0].ipBlock.cidr',
    message: 'Invalid value: "10.0.0.0/08": must not have leading 0s in IP or prefix length',
  },
  {
    rule: 'ipBlock.cidr has no host bits (StrictIPCIDRValidation)',
    raw: withIPBlock({ cidr: '10.0.0.1/24' }),
    code: 'np-invalid-cidr',
    field: 'spec.ingress[0].from[0].ipBlock.cidr',
    message: 'Invalid value: "10.0.0.1/24": must not have bits set beyond the prefix length',
  },
  {
    rule: 'IPv6 ipBlock.cidr has no host bits',
    raw: withIPBlock({ cidr: '2001:db8::1/64' }),
    code: 'np-invalid-cidr',
    field: 'spec.ingress[0].from[0].ipBlock.cidr',
    message: 'Invalid value: "2001:db8::1/64": must not have bits set beyond the prefix length',
  },
  {
    rule: 'ipBlock.cidr is not IPv4-mapped IPv6',
    raw: withIPBlock({ cidr: '::ffff:10.0.0.0/104' }),
    code: 'np-invalid-cidr',
    field: 'spec.ingress[0].from[0].ipBlock.cidr',
    message: 'Invalid value: "::ffff:10.0.0.0/104": must not have an IPv4-mapped IPv6 address',
  },
  {
    rule: 'except has no host bits either',
    raw: withIPBlock({ cidr: '10.0.0.0/16', except: ['10.0.1.1/24'] }),
    code: 'np-invalid-cidr',
    field: 'spec.ingress[0].from[0].ipBlock.except[0]',
    message: 'Invalid value: "10.0.1.1/24": must not have bits set beyond the prefix length',
  },
  {
    rule: 'except is not IPv4-mapped IPv6 either',
    raw: withIPBlock({ cidr: '10.0.0.0/8', except: ['::ffff:10.0.0.0/104'] }),
    code: 'np-invalid-cidr',
    field: 'spec.ingress[0].from[0].ipBlock.except[0]',
    message: 'Invalid value: "::ffff:10.0.0.0/104": must not have an IPv4-mapped IPv6 address',
  },
  {
    rule: 'except has no leading zeros either',
    raw: withIPBlock({ cidr: '10.0.0.0/8', except: ['10.001.0.0/16'] }),
    code: 'np-invalid-cidr',
    field: 'spec.ingress[0].from[0].ipBlock.except[0]',
    message: 'Invalid value: "10.001.0.0/16": must not have leading 0s in IP or prefix length',
  },
  {
    rule: 'except entries are valid CIDRs',
    raw: withIPBlock({ cidr: '10.0.0.0/8', except: ['10.0.0.0/8/8'] }),
    code: 'np-invalid-cidr',
    field: 'spec.ingress[0].from[0].ipBlock.except[0]',
    message: `Invalid value: "10.0.0.0/8/8": ${INVALID_CIDR}`,
  },
  {
    rule: 'except lies inside cidr',
    raw: withIPBlock({ cidr: '10.0.0.0/16', except: ['10.0.1.0/24', '10.1.0.0/24'] }),
    code: 'np-except-not-subset',
    field: 'spec.ingress[0].from[0].ipBlock.except[1]',
    message: 'Invalid value: "10.1.0.0/24": must be a strict subset of `cidr`',
  },
  {
    rule: 'except is a strict subset (not equal)',
    raw: withIPBlock({ cidr: '10.0.0.0/16', except: ['10.0.0.0/16'] }),
    code: 'np-except-not-subset',
    field: 'spec.ingress[0].from[0].ipBlock.except[0]',
    message: 'Invalid value: "10.0.0.0/16": must be a strict subset of `cidr`',
  },
  {
    rule: 'except is in the same family',
    raw: withIPBlock({ cidr: '0.0.0.0/0', except: ['2001:db8::/64'] }),
    code: 'np-except-not-subset',
    field: 'spec.ingress[0].from[0].ipBlock.except[0]',
    message: 'Invalid value: "2001:db8::/64": must be a strict subset of `cidr`',
  },
  {
    rule: 'protocol is TCP, UDP or SCTP',
    raw: withPort({ protocol: 'tcp', port: 80 }),
    code: 'np-protocol',
    field: 'spec.egress[0].ports[0].protocol',
    message: 'Unsupported value: "tcp": supported values: "TCP", "UDP", "SCTP"',
  },
  {
    rule: 'port is at least 1',
    raw: withPort({ port: 0 }),
    code: 'np-port-range',
    field: 'spec.egress[0].ports[0].port',
    message: 'Invalid value: 0: must be between 1 and 65535, inclusive',
  },
  {
    rule: 'port is at most 65535',
    raw: withPort({ port: 65536 }),
    code: 'np-port-range',
    field: 'spec.egress[0].ports[0].port',
    message: 'Invalid value: 65536: must be between 1 and 65535, inclusive',
  },
  {
    rule: 'named ports have no doubled hyphens',
    raw: withPort({ port: 'web--1' }),
    code: 'np-port-name',
    field: 'spec.egress[0].ports[0].port',
    message: 'Invalid value: "web--1": must not contain consecutive hyphens',
  },
  {
    rule: 'named ports are at most 15 characters',
    raw: withPort({ port: 'my-very-long-port' }),
    code: 'np-port-name',
    field: 'spec.egress[0].ports[0].port',
    message: 'Invalid value: "my-very-long-port": must be no more than 15 characters',
  },
  {
    rule: 'a quoted number is a port name, which needs a letter',
    raw: withPort({ port: '8080' }),
    code: 'np-port-name',
    field: 'spec.egress[0].ports[0].port',
    message: 'Invalid value: "8080": must contain at least one letter (a-z)',
  },
  {
    rule: 'endPort needs a numeric port',
    raw: withPort({ port: 'http', endPort: 10000 }),
    code: 'np-endport-named',
    field: 'spec.egress[0].ports[0].endPort',
    message: 'Invalid value: 10000: may not be specified when `port` is non-numeric',
  },
  {
    rule: 'endPort needs a port',
    raw: withPort({ endPort: 90 }),
    code: 'np-endport-without-port',
    field: 'spec.egress[0].ports[0].endPort',
    message: 'Invalid value: 90: may not be specified when `port` is not specified',
  },
  {
    rule: 'endPort is not below port',
    raw: withPort({ port: 10, endPort: 1 }),
    code: 'np-endport-less-than-port',
    field: 'spec.egress[0].ports[0].endPort',
    message: 'Invalid value: 1: must be greater than or equal to `port`',
  },
  {
    rule: 'endPort is at most 65535',
    raw: withPort({ port: 80, endPort: 70000 }),
    code: 'np-port-range',
    field: 'spec.egress[0].ports[0].endPort',
    message: 'Invalid value: 70000: must be between 1 and 65535, inclusive',
  },
  {
    rule: 'policyTypes are Ingress or Egress',
    raw: policy({ policyTypes: ['Ingress', 'ingress'] }),
    code: 'np-policy-type',
    field: 'spec.policyTypes[1]',
    message: 'Unsupported value: "ingress": supported values: "Ingress", "Egress"',
  },
  {
    rule: 'at most two policyTypes',
    raw: policy({ policyTypes: ['Ingress', 'Egress', 'Ingress'] }),
    code: 'np-policy-types-too-many',
    field: 'spec.policyTypes',
    message: 'Invalid value: ["Ingress","Egress","Ingress"]: may not specify more than two policyTypes',
  },
  {
    rule: 'port is an integer or a string',
    raw: withPort({ port: true }),
    code: 'np-type',
    field: 'spec.egress[0].ports[0].port',
    message: 'Invalid value: true: must be of type integer or string',
  },
  {
    rule: 'port is an integer, not a fraction',
    raw: withPort({ port: 80.5 }),
    code: 'np-type',
    field: 'spec.egress[0].ports[0].port',
    message: 'Invalid value: 80.5: must be of type integer or string',
  },
  {
    rule: 'endPort is an integer',
    raw: withPort({ port: 80, endPort: '90' }),
    code: 'np-type',
    field: 'spec.egress[0].ports[0].endPort',
    message: 'Invalid value: "90": must be of type integer',
  },
  {
    rule: 'matchLabels is a map',
    raw: withPodSelector({ matchLabels: ['app=web'] }),
    code: 'np-type',
    field: 'spec.podSelector.matchLabels',
    message: 'Invalid value: ["app=web"]: must be of type object',
  },
  {
    rule: 'label values are strings',
    raw: withPodSelector({ matchLabels: { version: 1 } }),
    code: 'np-type',
    field: 'spec.podSelector.matchLabels[version]',
    message: 'Invalid value: 1: must be of type string',
  },
  {
    rule: 'ingress is a list',
    raw: policy({ ingress: { from: [] } }),
    code: 'np-type',
    field: 'spec.ingress',
    message: 'Invalid value: {"from":[]}: must be of type array',
  },
  {
    rule: 'except is a list',
    raw: withIPBlock({ cidr: '10.0.0.0/8', except: '10.1.0.0/16' }),
    code: 'np-type',
    field: 'spec.ingress[0].from[0].ipBlock.except',
    message: 'Invalid value: "10.1.0.0/16": must be of type array',
  },
  {
    rule: 'metadata.name is a string (reported once)',
    raw: policy({}, { name: 123 }),
    code: 'np-type',
    field: 'metadata.name',
    message: 'Invalid value: 123: must be of type string',
  },
  {
    rule: 'a null ipBlock does not make a peer',
    raw: withPeer({ ipBlock: null }),
    code: 'np-peer-empty',
    field: 'spec.ingress[0].from[0]',
    message: 'Required value: must specify a peer',
  },
  {
    rule: 'the document is an object',
    raw: ['not', 'a', 'policy'],
    code: 'np-type',
    field: '',
    message: 'Invalid value: ["not","a","policy"]: must be of type object',
  },
];

const passing: [string, unknown][] = [
  ['a minimal policy', policy()],
  ['a dotted name', policy({}, { name: 'my-np.v1' })],
  ['a 253-character name', policy({}, { name: 'a'.repeat(253) })],
  ['generateName instead of name', policy({}, { generateName: 'np-' })],
  ['no namespace (kubectl fills it in)', policy({}, { name: 'np' })],
  ['a hyphenated namespace', policy({}, { name: 'np', namespace: 'prod-1' })],
  ['valid metadata labels', policy({}, { name: 'np', labels: { 'app.kubernetes.io/name': 'web' } })],
  [
    'upper-case annotation key',
    policy({}, { name: 'np', annotations: { 'Example.com/Note': 'any text at all' } }),
  ],
  ['prefixed and mixed-case label keys', withPodSelector({ matchLabels: { 'example.com/App_1': 'x' } })],
  ['63-byte label keys and values', withPodSelector({ matchLabels: { ['k'.repeat(63)]: 'v'.repeat(63) } })],
  ['empty and null label values', withPodSelector({ matchLabels: { a: '', b: null } })],
  ['In with values', withPodSelector({ matchExpressions: [{ key: 'app', operator: 'In', values: ['a'] }] })],
  [
    'NotIn with values',
    withPodSelector({ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['a'] }] }),
  ],
  ['Exists without values', withPodSelector({ matchExpressions: [{ key: 'app', operator: 'Exists' }] })],
  [
    'DoesNotExist with empty values',
    withPodSelector({ matchExpressions: [{ key: 'app', operator: 'DoesNotExist', values: [] }] }),
  ],
  ['podSelector with namespaceSelector', withPeer({ podSelector: {}, namespaceSelector: {} })],
  ['a null selector next to a real one', withPeer({ podSelector: null, namespaceSelector: {} })],
  ['an ipBlock alone', withIPBlock({ cidr: '0.0.0.0/0' })],
  ['a /32', withIPBlock({ cidr: '10.0.0.1/32' })],
  ['a /0 prefix', withIPBlock({ cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] })],
  ['an IPv6 block', withIPBlock({ cidr: '2001:db8::/32', except: ['2001:db8:1::/48'] })],
  ['a strict-subset except', withIPBlock({ cidr: '10.0.0.0/16', except: ['10.0.5.0/24', '10.0.0.0/17'] })],
  ['SCTP', withPort({ protocol: 'SCTP', port: 80 })],
  ['port 1 and 65535', policy({ egress: [{ ports: [{ port: 1 }, { port: 65535 }] }] })],
  ['a valid named port', withPort({ port: 'web-8080' })],
  ['a one-port range', withPort({ port: 80, endPort: 80 })],
  ['a full range', withPort({ port: 1, endPort: 65535 })],
  ['a port without number (all ports of a protocol)', withPort({ protocol: 'UDP' })],
  ['null ports and rules', policy({ ingress: [null, { ports: null, from: null }], egress: null })],
  ['both policyTypes', policy({ policyTypes: ['Egress', 'Ingress'] })],
  ['empty policyTypes', policy({ policyTypes: [] })],
  ['no spec at all', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'np' } }],
];

describe('validateNetworkPolicy rules', () => {
  it.each(failing)('$rule', ({ raw, code, field, message }) => {
    const diagnostics = validate(raw);
    expect(diagnostics.map(summary)).toEqual([{ code, field, message }]);
    expect(diagnostics[0]?.severity).toBe('error');
    expect(diagnostics[0]?.kind).toBe('NetworkPolicy');
  });

  it.each(passing)('accepts %s', (_name, raw) => {
    expect(validate(raw)).toEqual([]);
  });
});

describe('validateNetworkPolicy details', () => {
  it('reports a repeated policyType as a warning only (the API server accepts it)', () => {
    const diagnostics = validate(policy({ policyTypes: ['Ingress', 'Ingress'] }));
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      code: 'np-policy-type-duplicate',
      severity: 'warning',
      field: 'spec.policyTypes[1]',
      message: 'Duplicate value: "Ingress"',
    });
  });

  it('reports every failed port-name rule, like the API server', () => {
    expect(validate(withPort({ port: 'HTTP' })).map((d) => d.message)).toEqual([
      'Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'Invalid value: "HTTP": must contain at least one letter (a-z)',
    ]);
  });

  it('reports a missing selector key and operator', () => {
    expect(validate(withPodSelector({ matchExpressions: [{}] })).map(summary)).toEqual([
      {
        code: 'selector-invalid-operator',
        field: 'spec.podSelector.matchExpressions[0].operator',
        message: 'Invalid value: "": not a valid selector operator',
      },
      {
        code: 'selector-invalid-key',
        field: 'spec.podSelector.matchExpressions[0].key',
        message: 'Invalid value: "": name part must be non-empty',
      },
      {
        code: 'selector-invalid-key',
        field: 'spec.podSelector.matchExpressions[0].key',
        message: `Invalid value: "": ${NAME_PART_REGEX_ERR}`,
      },
    ]);
  });

  it('keeps checking except after a leading-zero cidr, as the API server does', () => {
    const diagnostics = validate(withIPBlock({ cidr: '010.0.0.0/8', except: ['11.0.0.0/16'] }));
    expect(diagnostics.map((d) => d.code)).toEqual(['np-invalid-cidr', 'np-except-not-subset']);
  });

  it('reports every invalid entry: a refused cidr, then each refused except and the non-subset one', () => {
    const raw = withIPBlock({
      cidr: '10.0.0.1/16',
      except: ['10.0.5.1/24', '::ffff:10.0.0.0/120', '10.1.0.0/24', 'nonsense', '10.0.7.0/24'],
    });
    expect(validate(raw).map((d) => `${d.field}: ${d.message}`)).toEqual([
      'spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.1/16": must not have bits set beyond the prefix length',
      'spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "10.0.5.1/24": must not have bits set beyond the prefix length',
      'spec.ingress[0].from[0].ipBlock.except[1]: Invalid value: "::ffff:10.0.0.0/120": must not have an IPv4-mapped IPv6 address',
      'spec.ingress[0].from[0].ipBlock.except[2]: Invalid value: "10.1.0.0/24": must be a strict subset of `cidr`',
      `spec.ingress[0].from[0].ipBlock.except[3]: Invalid value: "nonsense": ${INVALID_CIDR}`,
    ]);
  });

  it('emulates a server before 1.36 (no StrictIPCIDRValidation) with kubeVersion', () => {
    const lenient = { kubeVersion: { major: 1, minor: 35 } };
    const raw = withIPBlock({
      cidr: '010.0.0.1/08',
      except: ['10.0.5.1/24', '::ffff:10.0.6.0/120', '11.0.0.0/24', 'nonsense'],
    });
    expect(validateNetworkPolicy(raw, noRange, 'np.yaml', lenient).map((d) => d.field)).toEqual([
      'spec.ingress[0].from[0].ipBlock.except[2]',
      'spec.ingress[0].from[0].ipBlock.except[3]',
    ]);
    const current = validateNetworkPolicy(raw, noRange, 'np.yaml', { kubeVersion: { major: 1, minor: 36 } });
    expect(current.map((d) => d.field.replace(/.*ipBlock\./, ''))).toEqual([
      'cidr',
      'except[0]',
      'except[1]',
      'except[2]',
      'except[3]',
    ]);
  });

  it('skips except when cidr is unparseable', () => {
    const diagnostics = validate(withIPBlock({ cidr: 'A', except: ['B'] }));
    expect(diagnostics.map((d) => d.field)).toEqual(['spec.ingress[0].from[0].ipBlock.cidr']);
  });

  it('reports endPort < port and endPort out of range together', () => {
    expect(validate(withPort({ port: 80, endPort: 0 })).map((d) => d.message)).toEqual([
      'Invalid value: 0: must be greater than or equal to `port`',
      'Invalid value: 0: must be between 1 and 65535, inclusive',
    ]);
  });

  it('reports a peer that is not an object without also calling it empty', () => {
    expect(validate(withPeer('10.0.0.0/8')).map(summary)).toEqual([
      {
        code: 'np-type',
        field: 'spec.ingress[0].from[0]',
        message: 'Invalid value: "10.0.0.0/8": must be of type object',
      },
    ]);
  });

  it('quotes values the way Go %q does', () => {
    const [tab] = validate(withPodSelector({ matchLabels: { app: 'a\tb"c' } }));
    expect(tab?.message.startsWith('Invalid value: "a\\tb\\"c": ')).toBe(true);
    const [nul] = validate(withPodSelector({ matchLabels: { app: 'x\u0000\u00a0é' } }));
    expect(nul?.message.startsWith('Invalid value: "x\\x00\\u00a0é": ')).toBe(true);
  });

  it('reports in API-server order: metadata, podSelector, ingress ports then peers, egress, policyTypes', () => {
    const raw = {
      metadata: { name: 'Bad' },
      spec: {
        podSelector: { matchLabels: { 'a@': 'x' } },
        ingress: [{ from: [{}], ports: [{ port: 0 }] }],
        egress: [{ to: [{ ipBlock: {} }] }],
        policyTypes: ['Both'],
      },
    };
    expect(validate(raw).map((d) => `${d.field}: ${d.code}`)).toEqual([
      'metadata.name: meta-invalid-name',
      'spec.podSelector.matchLabels: selector-invalid-key',
      'spec.ingress[0].ports[0].port: np-port-range',
      'spec.ingress[0].from[0]: np-peer-empty',
      'spec.egress[0].to[0].ipBlock.cidr: np-cidr-required',
      'spec.policyTypes[0]: np-policy-type',
    ]);
  });

  it('names the object ns/name, defaulting the namespace', () => {
    expect(validate(withPeer({}))[0]?.object).toBe('ns1/np');
    expect(validate(policy({ ingress: [{ from: [{}] }] }, { name: 'np' }))[0]?.object).toBe('default/np');
    expect(validate(policy({}, {}))[0]?.object).toBeUndefined();
  });

  it('locates the offending node, or its nearest existing ancestor', () => {
    const text = [
      'apiVersion: networking.k8s.io/v1',
      'kind: NetworkPolicy',
      'metadata:',
      '  name: np',
      'spec:',
      '  podSelector:',
      '    matchLabels:',
      '      ok: yes',
      '      bad key: x',
      '  ingress:',
      '  - from:',
      '    - ipBlock:',
      '        except: [10.0.0.0/8]',
      '    ports:',
      '    - port: 70000',
    ].join('\n');
    const [doc] = loadDocuments(text);
    if (doc === undefined) throw new Error('no document');
    const diagnostics = validateNetworkPolicy(doc.value, doc.locate, 'np.yaml');
    const lines = Object.fromEntries(diagnostics.map((d) => [d.field, d.range?.start.line]));
    expect(lines).toEqual({
      'spec.podSelector.matchLabels': 9,
      'spec.ingress[0].ports[0].port': 15,
      'spec.ingress[0].from[0].ipBlock.cidr': 13,
    });
    expect(diagnostics.every((d) => d.file === 'np.yaml')).toBe(true);
  });
});

// --- netpol-analyzer corpus ----------------------------------------------------------------

interface LoadedDocument {
  value: unknown;
  locate: Locator;
}

function locatorFor(doc: Document, lines: LineCounter): Locator {
  return (path) => {
    const node = path.length === 0 ? doc.contents : doc.getIn(path, true);
    if (!isNode(node) || node.range == null) return undefined;
    const start = lines.linePos(node.range[0]);
    const end = lines.linePos(node.range[1]);
    return { start: { line: start.line, column: start.col }, end: { line: end.line, column: end.col } };
  };
}

function loadDocuments(text: string): LoadedDocument[] {
  const lines = new LineCounter();
  return parseAllDocuments(text, { lineCounter: lines }).map((doc) => ({
    value: doc.toJS(),
    locate: locatorFor(doc, lines),
  }));
}

function isNetworkPolicy(value: unknown): boolean {
  return (
    typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'NetworkPolicy'
  );
}

/** Validates every NetworkPolicy in a corpus directory; returns `field: message` plus code and line. */
function validateCorpusDir(dir: string) {
  const results: { object: string | undefined; code: string; error: string; line: number | undefined }[] = [];
  let policies = 0;
  for (const name of readdirSync(dir).sort()) {
    if (!/\.ya?ml$/.test(name)) continue;
    const text = readFileSync(join(dir, name), 'utf8');
    for (const doc of loadDocuments(text)) {
      if (!isNetworkPolicy(doc.value)) continue;
      policies++;
      for (const d of validateNetworkPolicy(doc.value, doc.locate, name)) {
        results.push({
          object: d.object,
          code: d.code,
          error: `${d.field}: ${d.message}`,
          line: d.range?.start.line,
        });
      }
    }
  }
  return { policies, results };
}

function lineOf(dir: string, file: string, needle: string): number {
  const index = readFileSync(join(dir, file), 'utf8')
    .split('\n')
    .findIndex((line) => line.includes(needle));
  return index + 1;
}

describe('netpol-analyzer bad policies', () => {
  const cases: { dir: string; file: string; object: string; code: string; error: string; needle: string }[] =
    [
      {
        dir: 'bad_netpols/subdir1',
        file: 'netpols.yaml',
        object: 'default/shippingservice-netpol',
        code: 'np-invalid-cidr',
        error: `spec.ingress[2].from[0].ipBlock.cidr: Invalid value: "A": ${INVALID_CIDR}`,
        needle: 'cidr: A',
      },
      {
        dir: 'bad_netpols/subdir2',
        file: 'netpols.yaml',
        object: 'default/shippingservice-netpol',
        code: 'selector-invalid-key',
        error: `spec.podSelector.matchLabels: Invalid value: "app@b": ${NAME_PART_REGEX_ERR}`,
        needle: 'app@b',
      },
      {
        dir: 'bad_netpols/subdir3',
        file: 'netpols.yaml',
        object: 'default/shippingservice-netpol',
        code: 'np-peer-ipblock-with-selector',
        error: 'spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer',
        needle: '- podSelector:',
      },
      {
        dir: 'bad_netpols/subdir4',
        file: 'netpols.yaml',
        object: 'default/shippingservice-netpol',
        code: 'np-peer-empty',
        error: 'spec.ingress[0].from[0]: Required value: must specify a peer',
        needle: '- {}',
      },
      {
        dir: 'bad_netpols/subdir7',
        file: 'resources.yaml',
        object: 'default/frontend-netpol',
        code: 'selector-invalid-value',
        error: `spec.egress[0].to[0].podSelector.matchLabels: Invalid value: "$backendservice": ${LABEL_VALUE_REGEX_ERR}`,
        needle: '$backendservice',
      },
      {
        dir: 'np_bad_path_test_2',
        file: 'netpols.yaml',
        object: 'default/backend-netpol',
        code: 'np-endport-named',
        error:
          'spec.ingress[1].ports[0].endPort: Invalid value: 10000: may not be specified when `port` is non-numeric',
        needle: 'endPort: 10000',
      },
      {
        dir: 'np_test_with_empty_port_range',
        file: 'netpol.yaml',
        object: 'ns1/egress-empty-port-range',
        code: 'np-endport-less-than-port',
        error: 'spec.egress[0].ports[1].endPort: Invalid value: 1: must be greater than or equal to `port`',
        needle: 'endPort: 1',
      },
    ];

  it.each(cases)('$dir: $code', ({ dir, file, object, code, error, needle }) => {
    const path = join(CORPUS, dir);
    const { policies, results } = validateCorpusDir(path);
    expect(policies).toBeGreaterThan(0);
    expect(results).toEqual([{ object, code, error, line: lineOf(path, file, needle) }]);
  });

  // Both are analysis-time errors upstream (a named port toward an ipBlock peer); the API server
  // accepts the objects, so the validator must too.
  it.each(['bad_netpols/subdir5', 'bad_netpols/subdir6'])('%s passes API validation', (dir) => {
    const { policies, results } = validateCorpusDir(join(CORPUS, dir));
    expect(policies).toBe(1);
    expect(results).toEqual([]);
  });
});
