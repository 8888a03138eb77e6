import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { reviewFiles } from './testing.ts';

// The trigger fixture without its broad policy: postgres, batch and api, and postgres-from-api.
const BASE = readFileSync(
  fileURLToPath(new URL('./fixtures/combined-widening/trigger.yaml', import.meta.url)),
  'utf8',
).split(
  '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: allow-same-namespace',
)[0]!;

function widening(policies: string) {
  return reviewFiles([{ path: 'a.yaml', text: `${BASE}---\n${policies}` }]).findings.filter(
    (f) => f.rule === 'combined-widening',
  );
}

function postgresIngress(name: string, rules: string, selector = '{ matchLabels: { app: postgres } }') {
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: ${name}, namespace: data }
spec:
  podSelector: ${selector}
  policyTypes: [Ingress]
  ingress:
${rules}---
`;
}

describe('combined-widening', () => {
  it('reports a large ipBlock on every port, with the addresses it adds', () => {
    const [hit, ...rest] = widening(
      postgresIngress('from-corp', '    - from: [{ ipBlock: { cidr: 10.0.0.0/8 } }]\n'),
    );
    expect(rest).toEqual([]);
    expect(hit?.subjects.slice(0, 2)).toEqual(['data/from-corp', 'data/postgres-from-api']);
    expect(hit?.message).toContain('the addresses 10.0.0.0/8');
  });

  it('says which peers of the strict policy get more ports', () => {
    const [hit] = widening(postgresIngress('from-anywhere', '    - from: [{ namespaceSelector: {} }]\n'));
    expect(hit?.message).toContain('more ports for api/api[Deployment]');
    expect(hit?.message).toContain('1 more workload (in data: data/batch[Deployment])');
  });

  it('rates a rule without peers or ports high', () => {
    const [hit] = widening(postgresIngress('open', '    - {}\n'));
    expect(hit?.severity).toBe('high');
  });

  it('stays silent when the broad rule is on other ports than the strict one limits', () => {
    const metrics = postgresIngress(
      'scrape',
      '    - from: [{ namespaceSelector: {} }]\n      ports: [{ port: 9187 }]\n',
    );
    expect(widening(metrics)).toEqual([]);
  });

  it('reports the broad rule on the strict ports too: the peers are what it widens', () => {
    const sameNs = postgresIngress(
      'same-ns-db',
      '    - from: [{ podSelector: {} }]\n      ports: [{ port: 5432 }]\n',
    );
    expect(widening(sameNs)).toHaveLength(1);
  });

  it('groups every strict policy one broad policy voids into one finding', () => {
    const second = postgresIngress(
      'postgres-from-batch',
      '    - from: [{ podSelector: { matchLabels: { app: batch } } }]\n      ports: [{ port: 5433 }]\n',
    );
    const broad = postgresIngress('open-ns', '    - from: [{ namespaceSelector: {} }]\n', '{}');
    const list = widening(second + broad);
    expect(list).toHaveLength(1);
    expect(list[0]?.title).toContain('data/postgres-from-api, data/postgres-from-batch');
  });

  it('leaves out what an Admin cluster policy denies anyway', () => {
    const deny = `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: { name: guard-postgres }
spec:
  tier: Admin
  priority: 10
  subject: { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: postgres } } } }
  ingress: [{ action: Deny, from: [{ namespaces: { matchLabels: { kubernetes.io/metadata.name: data } } }] }]
---
`;
    const sameNs = postgresIngress('same-ns', '    - from: [{ podSelector: {} }]\n');
    expect(widening(sameNs)).toHaveLength(1);
    expect(widening(sameNs + deny)).toEqual([]);
  });
});
