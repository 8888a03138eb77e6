import type { JSONSchema } from 'monaco-yaml';

/** Where hovers say the schema comes from; never fetched (schema requests are disabled). */
export const NETWORK_POLICY_SCHEMA_URI = 'inmemory://netpol-atlas/schemas/networkpolicy.json';

const API_VERSION = 'networking.k8s.io/v1';

const PORT_NUMBER: JSONSchema = { type: 'integer', minimum: 1, maximum: 65535 };

const labelSelector = (what: string, emptyMeans: string): JSONSchema => ({
  type: 'object',
  description:
    `Label selector for ${what}. ${emptyMeans} ` +
    'matchLabels and matchExpressions are ANDed: every entry of both must match.',
  additionalProperties: false,
  properties: {
    matchLabels: {
      type: 'object',
      description:
        'Exact label matches, all required (AND). `{app: web}` is the same as a matchExpression ' +
        '`{key: app, operator: In, values: [web]}`.',
      additionalProperties: {
        type: 'string',
        description: 'Label value (must be a string: quote numbers and booleans such as "true").',
      },
    },
    matchExpressions: {
      type: 'array',
      description: 'Set-based requirements, all required (AND).',
      items: { $ref: '#/definitions/LabelSelectorRequirement' },
    },
  },
});

/**
 * JSON schema for `networking.k8s.io/v1` NetworkPolicy, as monaco-yaml applies it to every YAML
 * document. It is registered for every file (`fileMatch: ['*']`), so the root is deliberately
 * permissive: only documents that say `kind: NetworkPolicy` (and no other API group) are
 * validated, so Deployments, Namespaces, Calico policies and the like get no false errors.
 * Descriptions explain the semantics, because hovers are where people learn them.
 *
 * Cross-field rules (ipBlock with selectors, empty peers, endPort vs port, values vs operator,
 * name formats, CIDR syntax) are left to the app's own API-server validation, whose messages match
 * kubectl's and arrive as markers anyway; JSON schema would only add vaguer duplicates. The schema
 * covers shape: known fields, types and enums.
 */
const schema: JSONSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: NETWORK_POLICY_SCHEMA_URI,
  description:
    'A Kubernetes manifest. Documents with `kind: NetworkPolicy` and `apiVersion: networking.k8s.io/v1` ' +
    'are checked against the NetworkPolicy schema; other kinds are accepted as they are.',
  type: 'object',
  properties: {
    apiVersion: {
      type: 'string',
      description: 'API group and version of the object; `networking.k8s.io/v1` for NetworkPolicy.',
    },
    kind: { type: 'string', description: 'Object kind, e.g. NetworkPolicy, Namespace, Deployment, Pod.' },
  },
  // A skeleton for an empty document: completion offers it before anything is typed.
  // biome-ignore-start lint/suspicious/noTemplateCurlyInString: `${1:name}` are snippet tab stops.
  defaultSnippets: [
    {
      label: 'NetworkPolicy',
      description: 'A NetworkPolicy that selects pods by label and allows ingress from other pods.',
      body: {
        apiVersion: API_VERSION,
        kind: 'NetworkPolicy',
        metadata: { name: '${1:name}', namespace: '${2:default}' },
        spec: {
          podSelector: { matchLabels: { app: '${3:app}' } },
          policyTypes: ['Ingress'],
          ingress: [{ from: [{ podSelector: { matchLabels: { app: '${4:client}' } } }] }],
        },
      },
    },
  ],
  // biome-ignore-end lint/suspicious/noTemplateCurlyInString: end of the snippet.
  allOf: [
    {
      // `apiVersion` is only compared when present, so a policy that forgot it is still checked
      // (and told that it is required), while another group's NetworkPolicy kind is left alone.
      if: {
        required: ['kind'],
        properties: { kind: { const: 'NetworkPolicy' }, apiVersion: { const: API_VERSION } },
      },
      // biome-ignore lint/suspicious/noThenProperty: `then` is the JSON-schema keyword.
      then: { $ref: '#/definitions/NetworkPolicy' },
    },
    {
      // A `kind: List` wraps other objects; check its items the same way.
      if: { required: ['kind'], properties: { kind: { const: 'List' } } },
      // biome-ignore lint/suspicious/noThenProperty: `then` is the JSON-schema keyword.
      then: { properties: { items: { type: 'array', items: { $ref: '#' } } } },
    },
  ],
  definitions: {
    NetworkPolicy: {
      type: 'object',
      description:
        'Allows traffic to and/or from the pods it selects. Policies only ever add allowed traffic: a pod ' +
        'selected by any policy for a direction is isolated for that direction and receives only what some ' +
        'policy allows; pods no policy selects allow everything.',
      required: ['apiVersion', 'kind', 'metadata'],
      properties: {
        apiVersion: {
          const: API_VERSION,
          description:
            'Must be `networking.k8s.io/v1` (extensions/v1beta1 NetworkPolicy was removed in 1.16).',
        },
        kind: { const: 'NetworkPolicy', description: 'NetworkPolicy.' },
        metadata: { $ref: '#/definitions/ObjectMeta' },
        spec: { $ref: '#/definitions/NetworkPolicySpec' },
      },
    },
    ObjectMeta: {
      type: 'object',
      description: 'Standard object metadata.',
      // Server-set fields (uid, resourceVersion, managedFields...) appear in exported manifests.
      additionalProperties: true,
      properties: {
        name: {
          type: 'string',
          description: 'Name of the policy, unique within its namespace (a DNS-1123 subdomain).',
        },
        generateName: {
          type: 'string',
          description: 'Prefix for a server-generated name, used when `name` is absent.',
        },
        namespace: {
          type: 'string',
          description:
            'Namespace of the policy. The policy only selects pods in this namespace (spec.podSelector), ' +
            'and peers with a podSelector alone are also looked up here. Defaults to `default` when omitted.',
        },
        labels: {
          type: 'object',
          description: 'Labels of the policy object itself; they do not select anything.',
          additionalProperties: {
            type: 'string',
            description: 'Label value (a string: quote numbers and booleans).',
          },
        },
        annotations: {
          type: 'object',
          description: 'Free-form annotations; no effect on traffic.',
          additionalProperties: { type: 'string', description: 'Annotation value (a string).' },
        },
      },
    },
    NetworkPolicySpec: {
      type: 'object',
      description: 'Which pods the policy applies to, and what traffic it allows to and from them.',
      additionalProperties: false,
      properties: {
        podSelector: labelSelector(
          'the pods in the policy namespace that this policy applies to',
          'An empty selector `{}` (or none) selects all pods in the namespace.',
        ),
        policyTypes: {
          type: 'array',
          description:
            'Directions this policy isolates the selected pods for. When omitted: Ingress always, plus ' +
            'Egress if the policy has an `egress` section. Listing a type with no rules denies that ' +
            'direction entirely (a default deny).',
          uniqueItems: true,
          maxItems: 2,
          items: {
            enum: ['Ingress', 'Egress'],
            description: 'A direction to isolate.',
            enumDescriptions: [
              'Isolate the selected pods for incoming traffic; only `ingress` rules admit traffic.',
              'Isolate the selected pods for outgoing traffic; only `egress` rules admit traffic.',
            ],
          },
        },
        ingress: {
          type: 'array',
          description:
            'Rules for incoming traffic, ORed: traffic is allowed if any rule matches. An empty list ' +
            '(or no `ingress` with Ingress in policyTypes) allows no incoming traffic.',
          items: { $ref: '#/definitions/IngressRule' },
        },
        egress: {
          type: 'array',
          description:
            'Rules for outgoing traffic, ORed: traffic is allowed if any rule matches. An empty list ' +
            'with Egress in policyTypes allows no outgoing traffic (remember DNS).',
          items: { $ref: '#/definitions/EgressRule' },
        },
      },
    },
    IngressRule: {
      type: 'object',
      description:
        'Allows traffic that matches both `from` and `ports`. An empty rule `{}` allows all incoming traffic.',
      additionalProperties: false,
      properties: {
        from: {
          type: 'array',
          description:
            'Sources, ORed: any one peer matching is enough. Omitted or empty means from everywhere.',
          items: { $ref: '#/definitions/Peer' },
        },
        ports: {
          type: 'array',
          description:
            'Destination ports on the selected pods, ORed. Omitted or empty means all ports and protocols.',
          items: { $ref: '#/definitions/Port' },
        },
      },
    },
    EgressRule: {
      type: 'object',
      description:
        'Allows traffic that matches both `to` and `ports`. An empty rule `{}` allows all outgoing traffic.',
      additionalProperties: false,
      properties: {
        to: {
          type: 'array',
          description:
            'Destinations, ORed: any one peer matching is enough. Omitted or empty means anywhere.',
          items: { $ref: '#/definitions/Peer' },
        },
        ports: {
          type: 'array',
          description:
            'Destination ports on the peers, ORed. Omitted or empty means all ports and protocols.',
          items: { $ref: '#/definitions/Port' },
        },
      },
    },
    Peer: {
      type: 'object',
      description:
        'One peer. podSelector and namespaceSelector in the same peer are ANDed (these pods in those ' +
        'namespaces); two separate peers (two `-` items) are ORed. ipBlock cannot be combined with ' +
        'the selectors.',
      additionalProperties: false,
      properties: {
        podSelector: labelSelector(
          'pods',
          'Alone, it selects pods in the policy namespace; with namespaceSelector, pods in the selected ' +
            'namespaces. An empty selector `{}` selects all pods (of those namespaces).',
        ),
        namespaceSelector: labelSelector(
          'namespaces',
          'Alone, it selects all pods in the matching namespaces. An empty selector `{}` selects all ' +
            'namespaces. Match a single namespace with `kubernetes.io/metadata.name: <name>`.',
        ),
        ipBlock: { $ref: '#/definitions/IPBlock' },
      },
    },
    IPBlock: {
      type: 'object',
      description:
        'An IP range. Meant for traffic leaving or entering the cluster: pod IPs are usually ' +
        'rewritten or unpredictable, so select pods with selectors instead.',
      additionalProperties: false,
      required: ['cidr'],
      properties: {
        cidr: {
          type: 'string',
          description: 'The allowed range, e.g. `10.0.0.0/8` or `2001:db8::/64`.',
        },
        except: {
          type: 'array',
          description: 'Ranges inside `cidr` that are not allowed. Each must lie within `cidr`.',
          items: { type: 'string', description: 'A CIDR inside `cidr`.' },
        },
      },
    },
    Port: {
      type: 'object',
      description: 'A port (or range) and protocol. Omitting `port` matches all ports of the protocol.',
      additionalProperties: false,
      properties: {
        protocol: {
          enum: ['TCP', 'UDP', 'SCTP'],
          default: 'TCP',
          description: 'Protocol of the traffic. Defaults to TCP.',
        },
        port: {
          description:
            'A port number (1-65535) or a named container port (e.g. `http`), which is resolved on each ' +
            'destination pod separately. Omitted: all ports.',
          // No descriptions on the branches: the hover shows the first description it meets, and
          // the one above says more.
          anyOf: [PORT_NUMBER, { type: 'string' }],
        },
        endPort: {
          ...PORT_NUMBER,
          description:
            'Makes `port` the start of an inclusive range `port`-`endPort`. Requires a numeric `port` ' +
            'and endPort >= port.',
        },
      },
    },
    LabelSelectorRequirement: {
      type: 'object',
      description: 'A set-based requirement on one label key.',
      additionalProperties: false,
      required: ['key', 'operator'],
      properties: {
        key: { type: 'string', description: 'The label key the requirement applies to.' },
        operator: {
          enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'],
          description: 'How the key relates to the values.',
          enumDescriptions: [
            'The label is present and its value is one of `values`.',
            'The label is absent, or its value is none of `values`.',
            'The label is present, with any value (`values` must be empty).',
            'The label is absent (`values` must be empty).',
          ],
        },
        values: {
          type: 'array',
          description: 'Label values: non-empty for In and NotIn, empty for Exists and DoesNotExist.',
          items: { type: 'string', description: 'A label value (quote numbers and booleans).' },
        },
      },
    },
  },
};

/**
 * The descriptions are written in Markdown (code spans for field names and values). monaco-yaml
 * escapes a plain `description` before rendering it, so the backticks would show and `<name>`
 * would vanish as HTML; `markdownDescription` is rendered as it is.
 */
function withMarkdown(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withMarkdown);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    // Snippet bodies and enum values are data, not schemas.
    out[key] = key === 'defaultSnippets' || key === 'enum' || key === 'const' ? value : withMarkdown(value);
  }
  if (typeof out.description === 'string' && out.markdownDescription === undefined) {
    out.markdownDescription = out.description;
  }
  if (Array.isArray(out.enumDescriptions) && out.markdownEnumDescriptions === undefined) {
    out.markdownEnumDescriptions = out.enumDescriptions;
  }
  return out;
}

export const networkPolicySchema = withMarkdown(schema) as JSONSchema;
