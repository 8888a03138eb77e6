// Builders of cluster-policy documents and the rule-table shape shared by the cluster-policy
// validation tests. Not exported from the package.

import type { Locator } from '../diagnostics.ts';
import { validateClusterPolicy } from './clusterPolicy.ts';

export type Json = Record<string, unknown>;

export const V1ALPHA2 = 'policy.networking.k8s.io/v1alpha2';
export const V1ALPHA1 = 'policy.networking.k8s.io/v1alpha1';

export function cnp(spec: Json = {}, metadata: Json = { name: 'cnp' }): Json {
  return {
    apiVersion: V1ALPHA2,
    kind: 'ClusterNetworkPolicy',
    metadata,
    spec: { tier: 'Admin', priority: 10, subject: { namespaces: {} }, ...spec },
  };
}
export const cnpWithout = (key: string) => {
  const raw = cnp();
  delete (raw.spec as Json)[key];
  return raw;
};
export const cnpEgress = (rule: Json) =>
  cnp({ egress: [{ action: 'Accept', to: [{ namespaces: {} }], ...rule }] });
export const cnpIngress = (rule: Json) =>
  cnp({ ingress: [{ action: 'Accept', from: [{ namespaces: {} }], ...rule }] });
export const cnpPeer = (peer: unknown) => cnpEgress({ to: [peer] });
export const cnpProtocol = (protocol: unknown) => cnpEgress({ protocols: [protocol] });
export const cnpPort = (destinationPort: unknown) => cnpProtocol({ tcp: { destinationPort } });
export const cnpNetworks = (networks: unknown) => cnpPeer({ networks });

export function anp(spec: Json = {}, metadata: Json = { name: 'anp' }): Json {
  return {
    apiVersion: V1ALPHA1,
    kind: 'AdminNetworkPolicy',
    metadata,
    spec: { priority: 10, subject: { namespaces: {} }, ...spec },
  };
}
export const anpEgress = (rule: Json) =>
  anp({ egress: [{ action: 'Allow', to: [{ namespaces: {} }], ...rule }] });
export const anpPort = (port: unknown) => anpEgress({ ports: [port] });

export function banp(spec: Json = {}, metadata: Json = { name: 'default' }): Json {
  return {
    apiVersion: V1ALPHA1,
    kind: 'BaselineAdminNetworkPolicy',
    metadata,
    spec: { subject: { namespaces: {} }, ...spec },
  };
}
export const banpEgress = (rule: Json) =>
  banp({ egress: [{ action: 'Allow', to: [{ namespaces: {} }], ...rule }] });

export const times = <T>(n: number, make: (i: number) => T): T[] =>
  Array.from({ length: n }, (_, i) => make(i));
export const rules = (n: number) => times(n, () => ({ action: 'Deny', to: [{ namespaces: {} }] }));
export const pods = (podSelector: Json = {}) => ({ pods: { namespaceSelector: {}, podSelector } });

export const noRange: Locator = () => undefined;
export const validate = (raw: unknown, channel?: 'standard' | 'experimental') =>
  validateClusterPolicy(raw, noRange, 'policy.yaml', channel === undefined ? {} : { channel });
export const errorsOf = (raw: unknown) =>
  validate(raw)
    .filter((d) => d.severity === 'error')
    .map((d) => ({ code: d.code, field: d.field, message: d.message }));

/** One rule of a CRD: a document that breaks it, and a near miss that keeps it. */
export interface RuleCase {
  rule: string;
  trigger: unknown;
  code: string;
  field: string;
  message?: string;
  nearMiss: unknown;
}

export const CIDR_MESSAGE = 'Invalid value: "string": Invalid CIDR format provided';
export const NAMED_PORT_CNP =
  'Invalid value: "object": networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for networks/nodes/domainNames';
