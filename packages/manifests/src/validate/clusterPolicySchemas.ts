// The structural schemas of the three cluster-wide policy kinds, as their CRDs define them
// (network-policy-api v0.2.0 for ClusterNetworkPolicy v1alpha2, release-0.1 for the v1alpha1
// kinds), with the experimental channel's extra fields and rules marked. v1alpha1's CRD files
// are the standard channel; its experimental fields (namedPort, nodes, domainNames) and rules
// come from the Go types' markers.

import {
  BANP_SINGLETON,
  CIDR_FORMAT,
  domainNamesActionLint,
  lintLabelSelector,
  lintProtocol,
  namedPortPeerRule,
  PORT_RANGE_ORDER,
} from './clusterPolicyRules.ts';
import type { CelRule, SchemaNode } from './crdSchema.ts';

const string: SchemaNode = { type: 'string' };

function object(
  properties: Record<string, SchemaNode>,
  extra: Omit<SchemaNode, 'type' | 'properties'> = {},
): SchemaNode {
  return { type: 'object', properties, ...extra };
}

function array(items: SchemaNode, extra: Omit<SchemaNode, 'type' | 'items'> = {}): SchemaNode {
  return { type: 'array', items, ...extra };
}

function experimental(node: SchemaNode): SchemaNode {
  return { ...node, experimental: true };
}

const portNumber: SchemaNode = { type: 'integer', minimum: 1, maximum: 65535 };

/** metav1.LabelSelector: the CRD checks only its shape. */
const labelSelector: SchemaNode = object(
  {
    matchLabels: { type: 'object', additionalProperties: string },
    matchExpressions: array(
      object({ key: string, operator: string, values: array(string) }, { required: ['key', 'operator'] }),
    ),
  },
  { lint: lintLabelSelector, selector: true },
);

function namespacedPod(required: readonly string[]): SchemaNode {
  return object({ namespaceSelector: labelSelector, podSelector: labelSelector }, { required });
}

function subject(pods: SchemaNode): SchemaNode {
  return object({ namespaces: labelSelector, pods }, { minProperties: 1, maxProperties: 1 });
}

/** `networks`: up to 25 unique CIDRs, each checked by CEL's isCIDR. */
const networks: SchemaNode = array(
  { type: 'string', maxLength: 43, rules: [CIDR_FORMAT] },
  { minItems: 1, maxItems: 25, listSet: true },
);

// As the CRD writes it, `A-z` included (it also admits `[`, `\`, `]`, `^`, `_` and a backquote).
const DOMAIN_NAME_PATTERN =
  '^(\\*\\.)?([a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\\.)+[a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\\.?$';

const domainNames: SchemaNode = experimental(
  array({ type: 'string', pattern: DOMAIN_NAME_PATTERN }, { minItems: 1, maxItems: 25, listSet: true }),
);

function rule(
  actions: readonly string[],
  peersKey: 'from' | 'to',
  peer: SchemaNode,
  portsKey: string,
  port: SchemaNode,
  maxItems: number,
  extra: Omit<SchemaNode, 'type' | 'properties' | 'required'> = {},
): SchemaNode {
  return object(
    {
      name: { type: 'string', maxLength: 100 },
      action: { type: 'string', enum: actions },
      [peersKey]: array(peer, { minItems: 1, maxItems }),
      [portsKey]: array(port, { minItems: 1, maxItems }),
    },
    { required: ['action', peersKey], ...extra },
  );
}

function root(spec: SchemaNode, rules?: readonly CelRule[]): SchemaNode {
  return object(
    {
      apiVersion: string,
      kind: string,
      metadata: { type: 'object', opaque: true },
      spec,
      // Status is a subresource: the API server drops it on create.
      status: { type: 'object', opaque: true },
    },
    rules === undefined ? { required: ['spec'] } : { required: ['spec'], rules },
  );
}

// --- v1alpha2 ClusterNetworkPolicy ---------------------------------------------------------

const cnpPort: SchemaNode = object(
  {
    number: portNumber,
    range: object(
      { start: portNumber, end: portNumber },
      { required: ['end', 'start'], rules: [PORT_RANGE_ORDER] },
    ),
  },
  { minProperties: 1, maxProperties: 1 },
);

const cnpProtocolMatch: SchemaNode = object({ destinationPort: cnpPort }, { minProperties: 1 });

const cnpProtocol: SchemaNode = object(
  { tcp: cnpProtocolMatch, udp: cnpProtocolMatch, sctp: cnpProtocolMatch, destinationNamedPort: string },
  { minProperties: 1, maxProperties: 1 },
);

const cnpPods = namespacedPod(['podSelector']);

const cnpIngressPeer: SchemaNode = object(
  { namespaces: labelSelector, pods: cnpPods },
  { minProperties: 1, maxProperties: 1 },
);

const cnpEgressPeer: SchemaNode = object(
  { namespaces: labelSelector, pods: cnpPods, nodes: experimental(labelSelector), networks, domainNames },
  { minProperties: 1, maxProperties: 1 },
);

const CNP_ACTIONS = ['Accept', 'Deny', 'Pass'] as const;

/** ClusterNetworkPolicy, policy.networking.k8s.io/v1alpha2 (both channels; see `experimental`). */
export const CLUSTER_NETWORK_POLICY: SchemaNode = root(
  object(
    {
      tier: { type: 'string', enum: ['Admin', 'Baseline'] },
      priority: { type: 'integer', minimum: 0, maximum: 1000 },
      subject: subject(cnpPods),
      ingress: array(rule(CNP_ACTIONS, 'from', cnpIngressPeer, 'protocols', cnpProtocol, 25), {
        maxItems: 25,
      }),
      egress: array(
        rule(CNP_ACTIONS, 'to', cnpEgressPeer, 'protocols', cnpProtocol, 25, {
          rules: [
            namedPortPeerRule(
              ['networks', 'nodes', 'domainNames'],
              'protocols',
              'destinationNamedPort',
              'networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for networks/nodes/domainNames',
            ),
          ],
          lint: domainNamesActionLint('Accept'),
        }),
        { maxItems: 25 },
      ),
    },
    { required: ['priority', 'subject', 'tier'] },
  ),
);

// --- v1alpha1 AdminNetworkPolicy / BaselineAdminNetworkPolicy -------------------------------

const protocol: SchemaNode = { type: 'string', default: 'TCP', lint: lintProtocol };

const anpPort: SchemaNode = object(
  {
    portNumber: object({ protocol, port: portNumber }, { required: ['port', 'protocol'] }),
    namedPort: experimental(string),
    portRange: object({ protocol, start: portNumber, end: portNumber }, { required: ['end', 'start'] }),
  },
  { minProperties: 1, maxProperties: 1 },
);

const anpPods = namespacedPod(['namespaceSelector', 'podSelector']);

const anpIngressPeer: SchemaNode = object(
  { namespaces: labelSelector, pods: anpPods },
  { minProperties: 1, maxProperties: 1 },
);

const anpEgressPeer: SchemaNode = object(
  { namespaces: labelSelector, pods: anpPods, nodes: experimental(labelSelector), networks, domainNames },
  { minProperties: 1, maxProperties: 1 },
);

const banpEgressPeer: SchemaNode = object(
  { namespaces: labelSelector, pods: anpPods, nodes: experimental(labelSelector), networks },
  { minProperties: 1, maxProperties: 1 },
);

const ANP_ACTIONS = ['Allow', 'Deny', 'Pass'] as const;
const BANP_ACTIONS = ['Allow', 'Deny'] as const;

/** AdminNetworkPolicy, policy.networking.k8s.io/v1alpha1. */
export const ADMIN_NETWORK_POLICY: SchemaNode = root(
  object(
    {
      priority: { type: 'integer', minimum: 0, maximum: 1000 },
      subject: subject(anpPods),
      ingress: array(rule(ANP_ACTIONS, 'from', anpIngressPeer, 'ports', anpPort, 100), { maxItems: 100 }),
      egress: array(
        rule(ANP_ACTIONS, 'to', anpEgressPeer, 'ports', anpPort, 100, {
          rules: [
            namedPortPeerRule(
              ['networks', 'nodes', 'domainNames'],
              'ports',
              'namedPort',
              'networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for networks/nodes/domainNames',
            ),
          ],
          lint: domainNamesActionLint('Allow'),
        }),
        { maxItems: 100 },
      ),
    },
    { required: ['priority', 'subject'] },
  ),
);

/** BaselineAdminNetworkPolicy, policy.networking.k8s.io/v1alpha1: the singleton `default`. */
export const BASELINE_ADMIN_NETWORK_POLICY: SchemaNode = root(
  object(
    {
      subject: subject(anpPods),
      ingress: array(rule(BANP_ACTIONS, 'from', anpIngressPeer, 'ports', anpPort, 100), { maxItems: 100 }),
      egress: array(
        rule(BANP_ACTIONS, 'to', banpEgressPeer, 'ports', anpPort, 100, {
          rules: [
            namedPortPeerRule(
              ['networks', 'nodes'],
              'ports',
              'namedPort',
              'networks/nodes peer cannot be set with namedPorts since there are no namedPorts for networks/nodes',
            ),
          ],
        }),
        { maxItems: 100 },
      ),
    },
    { required: ['subject'] },
  ),
  [BANP_SINGLETON],
);
