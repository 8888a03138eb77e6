import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { excludesOnly } from './negativeSelectors.ts';
import { reviewFiles } from './testing.ts';

const BASE = readFileSync(
  fileURLToPath(new URL('./fixtures/negative-selector/near-miss-deny.yaml', import.meta.url)),
  'utf8',
).split('---\napiVersion: networking.k8s.io/v1')[0]!;

function negative(policy: string) {
  return reviewFiles([{ path: 'a.yaml', text: `${BASE}---\n${policy}` }]).findings.filter(
    (f) => f.rule === 'negative-selector',
  );
}

describe('negative-selector', () => {
  it('knows exclusion-only selectors from refined ones', () => {
    expect(
      excludesOnly({
        matchLabels: undefined,
        matchExpressions: [{ key: 'a', operator: 'DoesNotExist', values: [] }],
      }),
    ).toBe(true);
    expect(
      excludesOnly({
        matchLabels: undefined,
        matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['x'] }],
      }),
    ).toBe(true);
    expect(
      excludesOnly({
        matchLabels: undefined,
        matchExpressions: [
          { key: 'a', operator: 'NotIn', values: ['x'] },
          { key: 'b', operator: 'Exists', values: [] },
        ],
      }),
    ).toBe(false);
    expect(excludesOnly({ matchLabels: { a: 'b' }, matchExpressions: undefined })).toBe(false);
    expect(excludesOnly({ matchLabels: undefined, matchExpressions: undefined })).toBe(false);
  });

  it('flags a namespaceSelector by exclusion: every new namespace is admitted', () => {
    const [hit, ...rest] = negative(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: api-not-from-dev, namespace: shop }
spec:
  podSelector:
    matchLabels: { app: api }
  ingress:
    - from:
        - namespaceSelector:
            matchExpressions:
              - { key: env, operator: NotIn, values: [dev] }
`);
    expect(rest).toEqual([]);
    expect(hit?.severity).toBe('medium');
    expect(hit?.title).toContain('new namespaces');
    expect(hit?.message).toContain('shop/web[Deployment]');
  });

  it('flags a policy that hands its allow rules to every unlabelled pod, at low, naming who it selects today', () => {
    const [hit] = negative(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: open-all-but-web, namespace: shop }
spec:
  podSelector:
    matchExpressions:
      - { key: app, operator: DoesNotExist }
      - { key: tier, operator: NotIn, values: [web] }
  ingress:
    - ports: [{ port: 9090 }]
`);
    expect(hit?.severity).toBe('low');
    expect(hit?.subjects[0]).toBe('shop/open-all-but-web');
    expect(hit?.locations[0]?.range?.start.line).toBeGreaterThan(1);
  });
});
