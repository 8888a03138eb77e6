import { describe, expect, it } from 'vitest';
import {
  anp,
  anpEgress,
  anpPort,
  banp,
  banpEgress,
  CIDR_MESSAGE,
  cnp,
  errorsOf,
  NAMED_PORT_CNP,
  pods,
  type RuleCase,
  times,
} from './clusterPolicyTesting.ts';

// Every rule of the v1alpha1 AdminNetworkPolicy and BaselineAdminNetworkPolicy CRDs, and
// ObjectMeta: one document that breaks it, one near miss.

const ruleCases: RuleCase[] = [
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

describe('AdminNetworkPolicy / BaselineAdminNetworkPolicy (v1alpha1) and ObjectMeta: each rule', () => {
  it.each(ruleCases)('$rule: triggered', ({ trigger, code, field, message }) => {
    const errors = errorsOf(trigger);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject(message === undefined ? { code, field } : { code, field, message });
  });

  it.each(ruleCases)('$rule: near miss is valid', ({ nearMiss }) => {
    expect(errorsOf(nearMiss)).toEqual([]);
  });
});
