// Severity follows who can exploit a finding (any pod; anyone who can create a pod somewhere;
// anyone who can label a namespace), how many ports it opens, and what it protects; and the
// messages that used to mislead say what is true.

import { describe, expect, it } from 'vitest';
import { findingInstances, reviewFiles } from './testing.ts';
import type { Finding, FindingRule } from './types.ts';

const order = ['critical', 'high', 'medium', 'low', 'info'];

function deployment(ns: string, name: string, ports = '[{ name: http, containerPort: 8080 }]', extra = '') {
  return `---
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${ns} }
spec:
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:${extra}
      containers: [{ name: main, image: example/${name}, ports: ${ports} }]
`;
}

function namespace(name: string, labels = '{}') {
  return `---
apiVersion: v1
kind: Namespace
metadata: { name: ${name}, labels: ${labels} }
`;
}

function policy(ns: string, name: string, spec: string) {
  return `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: ${name}, namespace: ${ns} }
spec:
${spec}`;
}

const BASE = `${namespace('shop')}${namespace('tenant', '{ team: monitoring }')}${deployment('shop', 'api')}${deployment('tenant', 'job')}`;

function review(text: string): Finding[] {
  return findingInstances(reviewFiles([{ path: 'x.yaml', text }]).findings);
}

function one(text: string, rule: FindingRule, policyId: string): Finding {
  const hit = review(text).find((f) => f.rule === rule && f.subjects[0] === policyId);
  expect(hit, `${rule} on ${policyId}`).toBeDefined();
  return hit!;
}

const ingressFrom = (peer: string, ports = '') =>
  `  podSelector: { matchLabels: { app: api } }\n  policyTypes: [Ingress]\n  ingress:\n    - from:\n        - ${peer}\n${ports}`;

describe('severity: who can exploit it', () => {
  const allNsPods = one(
    BASE +
      policy(
        'shop',
        'p',
        ingressFrom('namespaceSelector: {}\n          podSelector: { matchLabels: { app: job } }'),
      ),
    'all-namespaces',
    'shop/p',
  );
  const nsLabel = one(
    BASE + policy('shop', 'p', ingressFrom('namespaceSelector: { matchLabels: { team: monitoring } }')),
    'namespace-label-spoofable',
    'shop/p',
  );

  it('ranks `namespaceSelector: {}` + a pod label on every port at least as high as a namespace-label spoof', () => {
    expect(allNsPods.severity).toBe('high');
    expect(order.indexOf(allNsPods.severity)).toBeLessThanOrEqual(order.indexOf(nsLabel.severity));
  });

  it('lowers a rule limited to a few ports one step', () => {
    const limited = one(
      BASE +
        policy(
          'shop',
          'p',
          ingressFrom(
            'namespaceSelector: {}\n          podSelector: { matchLabels: { app: job } }',
            '      ports: [{ port: 8080 }]\n',
          ),
        ),
      'all-namespaces',
      'shop/p',
    );
    expect(limited.severity).toBe('medium');
  });

  it('rates a policy that cannot take effect on a hostNetwork pod at least medium', () => {
    const text =
      BASE +
      deployment('shop', 'agent', '[{ containerPort: 9100 }]', '\n      hostNetwork: true') +
      policy('shop', 'agent', '  podSelector: { matchLabels: { app: agent } }\n  policyTypes: [Ingress]\n');
    const hit = review(text).find((f) => f.rule === 'host-network')!;
    expect(hit.severity).toBe('medium');
    expect(hit.fix?.suggestion).toEqual({ kind: 'disable-host-network', workload: 'shop/agent[Deployment]' });
  });

  it('raises what protects a workload behind a LoadBalancer or NodePort Service, and known-dangerous ones', () => {
    const open = (text: string, id: string) =>
      review(text).find((f) => f.rule === 'open-ingress' && f.subjects[0] === id)!;
    expect(open(BASE, 'shop/api[Deployment]').severity).toBe('high');
    for (const type of ['LoadBalancer', 'NodePort']) {
      const service = `---\napiVersion: v1\nkind: Service\nmetadata: { name: api, namespace: shop }\nspec:\n  type: ${type}\n  selector: { app: api }\n  ports: [{ port: 80, targetPort: 8080 }]\n`;
      const hit = open(BASE + service, 'shop/api[Deployment]');
      expect(hit.severity).toBe('critical');
      expect(hit.message).toContain(`${type} Service shop/api`);
    }
    const clusterIp = `---\napiVersion: v1\nkind: Service\nmetadata: { name: api, namespace: shop }\nspec:\n  selector: { app: api }\n  ports: [{ port: 80 }]\n`;
    expect(open(BASE + clusterIp, 'shop/api[Deployment]').severity).toBe('high');
    // A rule on the Service's own port opens nothing the Service does not: no raise there.
    const lb = `---\napiVersion: v1\nkind: Service\nmetadata: { name: api, namespace: shop }\nspec:\n  type: LoadBalancer\n  selector: { app: api }\n  ports: [{ port: 80, targetPort: 8080 }]\n`;
    const spoof = (ports: string) =>
      one(
        BASE +
          lb +
          policy('shop', 'p', ingressFrom('namespaceSelector: { matchLabels: { team: monitoring } }', ports)),
        'namespace-label-spoofable',
        'shop/p',
      ).severity;
    expect(spoof('      ports: [{ port: 8080 }]\n')).toBe('medium');
    expect(spoof('')).toBe('critical');
    const dashboard = BASE + deployment('shop', 'kubernetes-dashboard', '[{ containerPort: 8443 }]');
    expect(open(dashboard, 'shop/kubernetes-dashboard[Deployment]').severity).toBe('critical');
  });
});

describe('messages that used to mislead', () => {
  it('on a DNS rule written as `namespaceSelector: {}`, suggests the DNS namespace, never the tenants', () => {
    const text =
      BASE +
      policy(
        'shop',
        'dns',
        '  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - namespaceSelector: {}\n      ports: [{ port: 5353, protocol: UDP }]\n',
      );
    const hit = one(text, 'all-namespaces', 'shop/dns');
    expect(hit.severity).toBe('low');
    expect(hit.fix?.suggestion).toMatchObject({
      kind: 'use-namespace-name-label',
      namespaces: ['openshift-dns'],
    });
    expect(hit.fix?.description).not.toContain('tenant');
    const on53 = one(text.replace('5353', '53'), 'all-namespaces', 'shop/dns');
    expect(on53.fix?.suggestion).toMatchObject({ namespaces: ['kube-system'] });
  });

  it('describes the reach of a rule without peers only where its named ports resolve', () => {
    const text =
      BASE +
      deployment('shop', 'dns', '[{ name: dns-local, containerPort: 53, protocol: UDP }]') +
      policy(
        'shop',
        'named',
        '  podSelector: {}\n  policyTypes: [Ingress]\n  ingress:\n    - ports: [{ port: dns-local, protocol: UDP }]\n',
      );
    const hit = one(text, 'allow-any-peer', 'shop/named');
    expect(hit.message).toContain('only shop/dns[Deployment]');
    expect(hit.message).not.toContain('shop/api[Deployment]');
    expect(hit.subjects).toEqual(['shop/named', 'shop/dns[Deployment]']);
    // Nothing defines the name: the rule admits nothing, an info finding.
    const none = one(
      text.replace(/dns-local, containerPort/, 'other, containerPort'),
      'allow-any-peer',
      'shop/named',
    );
    expect(none.severity).toBe('info');
  });

  it('does not call pods isolated when their only policy admits everything (`egress: [{}]`)', () => {
    const text =
      BASE +
      policy(
        'shop',
        'anything',
        '  podSelector: { matchLabels: { app: api } }\n  policyTypes: [Egress]\n  egress: [{}]\n',
      );
    const hit = review(text).find(
      (f) => f.rule === 'missing-default-deny-egress' && f.namespaces.includes('shop'),
    )!;
    expect(hit.message).not.toContain('isolated only because');
    expect(hit.message).toContain('not isolated in effect');
  });

  it('says what a namespace-label spoof with a pod selector takes, in one readable sentence', () => {
    const text =
      BASE +
      policy(
        'shop',
        'p',
        ingressFrom(
          'namespaceSelector: { matchLabels: { team: monitoring } }\n          podSelector: { matchLabels: { app: job } }',
        ),
      );
    const hit = one(text, 'namespace-label-spoofable', 'shop/p');
    expect(hit.message).toContain(
      'Anyone allowed to label a namespace can add team=monitoring to theirs; pods they can create there with the labels app=job then connect to',
    );
    expect(hit.message).not.toMatch(/, and connect/);
  });
});
