import { describe, expect, it } from 'vitest';
import { convertObject } from './convertObject.ts';

const ADMIN = { name: 'p', tier: 'Admin', baselinePriority: 0 } as const;
const BASELINE = { name: 'default', tier: 'Baseline', baselinePriority: 7 } as const;

function anp(spec: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'policy.networking.k8s.io/v1alpha1',
    kind: 'AdminNetworkPolicy',
    metadata: { name: 'p' },
    spec: { priority: 10, subject: { namespaces: {} }, ...spec },
    ...extra,
  };
}

function egressRule(rule: Record<string, unknown>) {
  return anp({ egress: [{ action: 'Allow', to: [{ namespaces: {} }], ...rule }] });
}

describe('convertObject', () => {
  it('maps an AdminNetworkPolicy to an Admin-tier ClusterNetworkPolicy at its own priority', () => {
    const { value, issues } = convertObject(
      anp({
        priority: 42,
        subject: { pods: { namespaceSelector: { matchLabels: { team: 'a' } }, podSelector: {} } },
        ingress: [
          { name: 'allow', action: 'Allow', from: [{ namespaces: { matchLabels: { x: 'y' } } }] },
          { name: 'deny', action: 'Deny', from: [{ pods: { namespaceSelector: {}, podSelector: {} } }] },
          { name: 'pass', action: 'Pass', from: [{ namespaces: {} }] },
        ],
      }),
      'AdminNetworkPolicy',
      ADMIN,
    );
    expect(issues).toEqual([]);
    expect(value).toEqual({
      apiVersion: 'policy.networking.k8s.io/v1alpha2',
      kind: 'ClusterNetworkPolicy',
      metadata: { name: 'p' },
      spec: {
        tier: 'Admin',
        priority: 42,
        subject: { pods: { namespaceSelector: { matchLabels: { team: 'a' } }, podSelector: {} } },
        ingress: [
          { name: 'allow', action: 'Accept', from: [{ namespaces: { matchLabels: { x: 'y' } } }] },
          { name: 'deny', action: 'Deny', from: [{ pods: { namespaceSelector: {}, podSelector: {} } }] },
          { name: 'pass', action: 'Pass', from: [{ namespaces: {} }] },
        ],
      },
    });
  });

  it('maps the BaselineAdminNetworkPolicy to the Baseline tier at the chosen priority', () => {
    const { value, issues } = convertObject(
      {
        apiVersion: 'policy.networking.k8s.io/v1alpha1',
        kind: 'BaselineAdminNetworkPolicy',
        metadata: { name: 'default' },
        spec: {
          subject: { namespaces: {} },
          egress: [{ action: 'Deny', to: [{ networks: ['0.0.0.0/0'] }] }],
        },
      },
      'BaselineAdminNetworkPolicy',
      BASELINE,
    );
    expect(issues).toEqual([]);
    expect(value.spec).toEqual({
      tier: 'Baseline',
      priority: 7,
      subject: { namespaces: {} },
      egress: [{ action: 'Deny', to: [{ networks: ['0.0.0.0/0'] }] }],
    });
  });

  it.each([
    [
      'a port number, protocol defaulted',
      { portNumber: { port: 80 } },
      [{ tcp: { destinationPort: { number: 80 } } }],
    ],
    [
      'a UDP port',
      { portNumber: { protocol: 'UDP', port: 53 } },
      [{ udp: { destinationPort: { number: 53 } } }],
    ],
    [
      'an SCTP range',
      { portRange: { protocol: 'SCTP', start: 1000, end: 2000 } },
      [{ sctp: { destinationPort: { range: { start: 1000, end: 2000 } } } }],
    ],
    [
      'a one-port range (v1alpha2 ranges need start < end)',
      { portRange: { start: 8080, end: 8080 } },
      [{ tcp: { destinationPort: { number: 8080 } } }],
    ],
    ['a named port', { namedPort: 'http' }, [{ destinationNamedPort: 'http' }]],
  ])('converts %s', (_name, port, protocols) => {
    const { value, issues } = convertObject(egressRule({ ports: [port] }), 'AdminNetworkPolicy', ADMIN);
    expect(issues).toEqual([]);
    expect((value.spec as { egress: { protocols: unknown }[] }).egress[0]!.protocols).toEqual(protocols);
  });

  it('carries every egress peer kind over as it is', () => {
    const to = [
      { nodes: { matchLabels: { role: 'infra' } } },
      { networks: ['10.0.0.0/8', 'fd00::/8'] },
      { domainNames: ['*.example.com'] },
    ];
    const { value, issues } = convertObject(egressRule({ to }), 'AdminNetworkPolicy', ADMIN);
    expect(issues).toEqual([]);
    expect((value.spec as { egress: { to: unknown }[] }).egress[0]!.to).toEqual(to);
  });

  it('leaves out a reversed range and, when nothing is left, the rule, saying so', () => {
    const { value, issues } = convertObject(
      anp({
        ingress: [
          { action: 'Deny', from: [{ namespaces: {} }], ports: [{ portRange: { start: 90, end: 80 } }] },
          {
            action: 'Allow',
            from: [{ namespaces: {} }],
            ports: [{ portRange: { start: 90, end: 80 } }, { portNumber: { port: 81 } }],
          },
        ],
      }),
      'AdminNetworkPolicy',
      ADMIN,
    );
    expect((value.spec as { ingress: unknown[] }).ingress).toEqual([
      {
        action: 'Accept',
        from: [{ namespaces: {} }],
        protocols: [{ tcp: { destinationPort: { number: 81 } } }],
      },
    ]);
    expect(issues.map((i) => [i.code, i.path.join('.')])).toEqual([
      ['empty-port-range', 'spec.ingress.0.ports.0.portRange'],
      ['rule-matches-nothing', 'spec.ingress.0'],
      ['empty-port-range', 'spec.ingress.1.ports.0.portRange'],
    ]);
  });

  it('reports early v1alpha1 peer fields (sameLabels, notSameLabels) and unknown fields, never carrying them', () => {
    const { value, issues } = convertObject(
      anp({
        ingress: [
          {
            action: 'Allow',
            from: [{ namespaces: { sameLabels: ['tenant'] } }, { namespaces: { notSameLabels: ['tenant'] } }],
            extra: true,
          },
        ],
      }),
      'AdminNetworkPolicy',
      ADMIN,
    );
    expect((value.spec as { ingress: unknown[] }).ingress).toEqual([
      { action: 'Accept', from: [{ namespaces: {} }, { namespaces: {} }] },
    ]);
    expect(issues.map((i) => [i.code, i.severity, i.path.join('.')])).toEqual([
      ['unconvertible-field', 'error', 'spec.ingress.0.extra'],
      ['unconvertible-field', 'error', 'spec.ingress.0.from.0.namespaces.sameLabels'],
      ['unconvertible-field', 'error', 'spec.ingress.0.from.1.namespaces.notSameLabels'],
    ]);
    expect(issues[1]!.message).toMatch(/sameLabels .*no ClusterNetworkPolicy equivalent/);
  });

  it('reports fields a BANP does not have (priority, domainNames) rather than carrying them', () => {
    const { value, issues } = convertObject(
      {
        apiVersion: 'policy.networking.k8s.io/v1alpha1',
        kind: 'BaselineAdminNetworkPolicy',
        metadata: { name: 'default' },
        spec: {
          priority: 3,
          subject: { namespaces: {} },
          egress: [{ action: 'Allow', to: [{ domainNames: ['a.io'] }] }],
        },
      },
      'BaselineAdminNetworkPolicy',
      BASELINE,
    );
    expect((value.spec as { priority: number }).priority).toBe(7);
    expect(issues.map((i) => i.path.join('.'))).toEqual(['spec.priority', 'spec.egress.0.to.0.domainNames']);
  });

  it('splits a rule over 25 peers or protocols into consecutive rules with the same action', () => {
    const to = Array.from({ length: 30 }, (_, i) => ({ networks: [`10.0.${i}.0/24`] }));
    const ports = Array.from({ length: 26 }, (_, i) => ({ portNumber: { port: 1000 + i } }));
    const { value, issues } = convertObject(
      egressRule({ action: 'Deny', to, ports }),
      'AdminNetworkPolicy',
      ADMIN,
    );
    const egress = (value.spec as { egress: { action: string; to: unknown[]; protocols: unknown[] }[] })
      .egress;
    expect(egress.map((r) => [r.action, r.to.length, r.protocols.length])).toEqual([
      ['Deny', 25, 25],
      ['Deny', 25, 1],
      ['Deny', 5, 25],
      ['Deny', 5, 1],
    ]);
    expect(issues.map((i) => i.code)).toEqual(['rule-split']);
  });

  it('reports more rules than a ClusterNetworkPolicy holds', () => {
    const ingress = Array.from({ length: 26 }, () => ({ action: 'Deny', from: [{ namespaces: {} }] }));
    const { issues } = convertObject(anp({ ingress }), 'AdminNetworkPolicy', ADMIN);
    expect(issues.map((i) => [i.code, i.severity])).toEqual([['rule-limit', 'error']]);
  });

  it('drops server-set metadata and status, saying so, and keeps labels and annotations', () => {
    const { value, issues } = convertObject(
      anp(
        {},
        {
          metadata: {
            name: 'p',
            uid: 'u',
            resourceVersion: '3',
            labels: { a: 'b' },
            annotations: { note: 'keep', 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
          },
          status: { conditions: [] },
        },
      ),
      'AdminNetworkPolicy',
      { ...ADMIN, name: 'p-admin' },
    );
    expect(value.metadata).toEqual({ name: 'p-admin', labels: { a: 'b' }, annotations: { note: 'keep' } });
    expect(issues.map((i) => [i.code, i.severity])).toEqual([
      ['dropped-status', 'info'],
      ['dropped-server-field', 'info'],
      ['dropped-server-field', 'info'],
      ['dropped-server-field', 'info'],
    ]);
  });

  it('reports what the API server refuses: a priority out of range, an unknown action, Pass in a BANP', () => {
    expect(
      convertObject(anp({ priority: 1001 }), 'AdminNetworkPolicy', ADMIN).issues.map((i) => i.code),
    ).toEqual(['priority-out-of-range']);
    const { value, issues } = convertObject(
      {
        apiVersion: 'policy.networking.k8s.io/v1alpha1',
        kind: 'BaselineAdminNetworkPolicy',
        metadata: { name: 'default' },
        spec: {
          subject: { namespaces: {} },
          ingress: [
            { action: 'Pass', from: [{ namespaces: {} }] },
            { action: 'Drop', from: [{ namespaces: {} }] },
          ],
        },
      },
      'BaselineAdminNetworkPolicy',
      BASELINE,
    );
    expect((value.spec as { ingress: { action: string }[] }).ingress.map((r) => r.action)).toEqual([
      'Pass',
      'Drop',
    ]);
    expect(issues.map((i) => i.code)).toEqual(['invalid-action', 'invalid-action']);
  });
});
