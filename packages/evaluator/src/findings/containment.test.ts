import { parseManifests } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import { buildCluster } from '../cluster.ts';
import { ruleContains } from './containment.ts';

/** Compiles two ingress rules of one policy in namespace shop and asks whether rule 1 contains rule 0. */
function contains(inner: string, outer: string): boolean {
  const indent = (rule: string) =>
    rule
      .trim()
      .split('\n')
      .map((l, i) => `${i === 0 ? '    - ' : '      '}${l}`)
      .join('\n');
  const text = `apiVersion: v1
kind: Namespace
metadata: { name: shop }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: p, namespace: shop }
spec:
  podSelector: {}
  ingress:
${indent(inner)}
${indent(outer)}
`;
  const parsed = parseManifests([{ path: 'x.yaml', text }]);
  expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const cluster = buildCluster(parsed.objects);
  const policy = cluster.policies[0]!;
  return ruleContains(cluster, policy.ingress[1]!, policy.ingress[0]!);
}

describe('ruleContains (outer = second rule, inner = first)', () => {
  it.each([
    {
      name: 'same peer, fewer ports',
      inner: 'from: [{ podSelector: { matchLabels: { app: web } } }]\nports: [{ port: 80 }]',
      outer: 'from: [{ podSelector: { matchLabels: { app: web } } }]\nports: [{ port: 80 }, { port: 443 }]',
      expected: true,
    },
    {
      name: 'more ports',
      inner: 'from: [{ podSelector: { matchLabels: { app: web } } }]',
      outer: 'from: [{ podSelector: { matchLabels: { app: web } } }]\nports: [{ port: 80 }]',
      expected: false,
    },
    {
      name: 'narrower selector (more requirements)',
      inner: 'from: [{ podSelector: { matchLabels: { app: web, tier: fe } } }]',
      outer: 'from: [{ podSelector: { matchLabels: { app: web } } }]',
      expected: true,
    },
    {
      name: 'ipBlock inside a larger one',
      inner: 'from: [{ ipBlock: { cidr: 10.0.1.0/24 } }]',
      outer: 'from: [{ ipBlock: { cidr: 10.0.0.0/16 } }]',
      expected: true,
    },
    {
      name: 'ipBlock inside a larger one, but in its except',
      inner: 'from: [{ ipBlock: { cidr: 10.0.1.0/24 } }]',
      outer: 'from: [{ ipBlock: { cidr: 10.0.0.0/16, except: [10.0.1.0/25] } }]',
      expected: false,
    },
    {
      name: 'own namespace inside a namespaceSelector that matches it by name',
      inner: 'from: [{ podSelector: {} }]',
      outer: 'from: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: shop } } }]',
      expected: true,
    },
    {
      name: 'own namespace vs another namespace',
      inner: 'from: [{ podSelector: {} }]',
      outer: 'from: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: ops } } }]',
      expected: false,
    },
    {
      name: 'named port inside every TCP port',
      inner: 'ports: [{ port: http }]',
      outer: 'ports: [{ protocol: TCP }]',
      expected: true,
    },
    {
      name: 'named port vs another name',
      inner: 'ports: [{ port: http }]',
      outer: 'ports: [{ port: web }]',
      expected: false,
    },
    {
      name: 'In (a) inside In (a, b) is not seen (conservative: no false shadowing)',
      inner: 'from: [{ podSelector: { matchExpressions: [{ key: t, operator: In, values: [a] }] } }]',
      outer: 'from: [{ podSelector: { matchExpressions: [{ key: t, operator: In, values: [a, b] }] } }]',
      expected: false,
    },
  ])('$name', ({ inner, outer, expected }) => {
    expect(contains(inner, outer)).toBe(expected);
  });
});
