// The DNS rule on variations the fixtures do not cover: OpenShift's 5353, half of DNS, a DNS
// server in the input that the rule misses, cluster policies, and grouping.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { reviewFiles } from './testing.ts';

const TRIGGER = readFileSync(
  fileURLToPath(new URL('./fixtures/dns-unreachable/trigger.yaml', import.meta.url)),
  'utf8',
);

function dnsFindings(...texts: string[]) {
  const files = texts.map((text, i) => ({ path: `${i}.yaml`, text }));
  return reviewFiles(files).findings.filter((f) => f.rule === 'dns-unreachable');
}

function egressRule(
  ports: string,
  to = '- namespaceSelector: {}\n          podSelector:\n            matchLabels: { k8s-app: kube-dns }',
): string {
  return `    - to:\n        ${to}\n      ports:\n${ports}`;
}

const withRule = (rule: string) => `${TRIGGER}${rule}`;

const OPENSHIFT_DNS = `---
apiVersion: v1
kind: Namespace
metadata: { name: openshift-dns }
---
apiVersion: apps/v1
kind: DaemonSet
metadata: { name: dns-default, namespace: openshift-dns }
spec:
  selector:
    matchLabels: { dns.operator.openshift.io/daemonset-dns: default }
  template:
    metadata:
      labels: { dns.operator.openshift.io/daemonset-dns: default }
    spec:
      containers:
        - name: dns
          image: coredns
          ports:
            - { name: dns, containerPort: 5353, protocol: UDP }
            - { name: dns-tcp, containerPort: 5353, protocol: TCP }
`;

describe('dns-unreachable', () => {
  it('reports UDP without TCP at low severity, naming the missing port', () => {
    const [hit, ...rest] = dnsFindings(withRule(egressRule('        - { port: 53, protocol: UDP }\n')));
    expect(rest).toEqual([]);
    expect(hit?.severity).toBe('low');
    expect(hit?.message).toContain('TCP 53');
    expect(hit?.fix?.suggestion).toMatchObject({
      kind: 'add-dns-egress',
      ports: [{ protocol: 'TCP', port: 53 }],
    });
  });

  it('reports TCP alone as medium: lookups go over UDP first', () => {
    const [hit] = dnsFindings(withRule(egressRule('        - { port: 53, protocol: TCP }\n')));
    expect(hit?.severity).toBe('medium');
  });

  it("sees that OpenShift's DNS pods listen on 5353: a rule for 53 does not reach them", () => {
    const rule = egressRule(
      '        - { port: 53, protocol: UDP }\n        - { port: 53, protocol: TCP }\n',
      '- namespaceSelector: {}\n          podSelector:\n            matchLabels: { dns.operator.openshift.io/daemonset-dns: default }',
    );
    const [hit] = dnsFindings(withRule(rule), OPENSHIFT_DNS);
    expect(hit?.severity).toBe('medium');
    expect(hit?.message).toContain('openshift-dns/dns-default[DaemonSet]');
    expect(hit?.fix?.suggestion).toMatchObject({ namespace: 'openshift-dns' });
    const fixed = egressRule(
      '        - { port: 5353, protocol: UDP }\n        - { port: 5353, protocol: TCP }\n',
      '- namespaceSelector: {}\n          podSelector:\n            matchLabels: { dns.operator.openshift.io/daemonset-dns: default }',
    );
    expect(dnsFindings(withRule(fixed), OPENSHIFT_DNS)).toEqual([]);
  });

  it('without DNS in the input, also accepts the OpenShift set-up (port 5353 in openshift-dns)', () => {
    const udp = egressRule('        - { port: 5353, protocol: UDP }\n', '- namespaceSelector: {}');
    const [hit, ...rest] = dnsFindings(withRule(udp));
    expect(rest).toEqual([]);
    expect(hit?.severity).toBe('low');
    expect(hit?.message).toContain("OpenShift's DNS");
    expect(hit?.fix?.suggestion).toMatchObject({
      namespace: 'openshift-dns',
      ports: [{ protocol: 'TCP', port: 5353 }],
    });
    const both = egressRule(
      '        - { port: 5353, protocol: UDP }\n        - { port: 5353, protocol: TCP }\n',
      '- namespaceSelector: {}',
    );
    expect(dnsFindings(withRule(both))).toEqual([]);
  });

  it('accepts an ipBlock covering every address, but not a narrower one (the pod address is unknown)', () => {
    const ports = '        - { port: 53, protocol: UDP }\n        - { port: 53, protocol: TCP }\n';
    expect(dnsFindings(withRule(egressRule(ports, '- ipBlock: { cidr: 0.0.0.0/0 }')))).toEqual([]);
    expect(dnsFindings(withRule(egressRule(ports, '- ipBlock: { cidr: 10.96.0.10/32 }')))).toHaveLength(1);
  });

  it('groups the workloads that share egress policies into one finding', () => {
    const second = TRIGGER.split('---\n')
      .find((d) => d.includes('name: web\n'))!
      .replaceAll('web', 'web2')
      .replace('matchLabels: { app: web2 }', 'matchLabels: { app: web, tier: b }')
      .replace('labels: { app: web2 }', 'labels: { app: web, tier: b }');
    const hits = dnsFindings(`${TRIGGER}---\n${second}`);
    expect(hits).toHaveLength(1);
    expect(hits[0]!.subjects).toEqual(
      expect.arrayContaining(['shop/web[Deployment]', 'shop/web2[Deployment]']),
    );
  });

  it('stays silent under a CNI that does not enforce policies', () => {
    const files = [{ path: 'a.yaml', text: TRIGGER }];
    expect(reviewFiles(files, 'flannel').findings.filter((f) => f.rule === 'dns-unreachable')).toEqual([]);
  });
});

describe('peer-matches-nothing on the DNS rule when DNS is not in the input', () => {
  it('says the peer selects the absent cluster DNS, at info, and never that the rule allows nothing', () => {
    const rule = egressRule('        - { port: 53, protocol: UDP }\n        - { port: 53, protocol: TCP }\n');
    const hits = reviewFiles([{ path: 'a.yaml', text: withRule(rule) }]).findings.filter(
      (f) => f.rule === 'peer-matches-nothing',
    );
    expect(hits).toHaveLength(1);
    expect(hits[0]!.severity).toBe('info');
    expect(hits[0]!.title).toContain('cluster DNS');
    expect(hits[0]!.message).not.toContain('allows nothing');
  });

  it('still reports a peer whose labels match nothing, DNS or not', () => {
    const rule = egressRule(
      '        - { port: 53, protocol: UDP }\n',
      '- namespaceSelector: {}\n          podSelector:\n            matchLabels: { k8s-app: kube-dsn }',
    );
    const hits = reviewFiles([{ path: 'a.yaml', text: withRule(rule) }]).findings.filter(
      (f) => f.rule === 'peer-matches-nothing',
    );
    expect(hits.map((h) => h.severity)).toEqual(['low']);
    expect(hits[0]!.message).toContain('allows nothing');
  });
});
