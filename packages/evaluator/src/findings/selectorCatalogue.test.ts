// The what-if reads selectors from the documents, so cluster-wide policy kinds are searched too.

import { type KubeObject, parseManifests } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import {
  policiesSelecting,
  type SelectorUse,
  selectorCatalogue,
  selectorValues,
} from './selectorCatalogue.ts';

function summary(u: SelectorUse): string {
  const text = (s: SelectorUse['selector'] | undefined) => (s ? JSON.stringify(s.matchLabels ?? {}) : '-');
  return `${u.policy} ${u.subject ? 'subject' : 'peer'} ${u.selects} ${text(u.selector)} with ${text(u.companion)} in ${u.namespace ?? '*'}${u.canDeny ? ' (can deny)' : ''}`;
}

describe('selectorCatalogue', () => {
  it("reads a NetworkPolicy's subject and peers, a peer's two halves together", () => {
    const { objects } = parseManifests([
      {
        path: 'p.yaml',
        text: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: db, namespace: shop }
spec:
  podSelector: { matchLabels: { app: db } }
  ingress:
    - from:
        - podSelector: { matchLabels: { app: api } }
        - namespaceSelector: { matchLabels: { team: ops } }
          podSelector: { matchLabels: { role: admin } }
`,
      },
    ]);
    expect(selectorCatalogue(objects).map(summary)).toEqual([
      'shop/db subject pod {"app":"db"} with - in shop',
      'shop/db peer pod {"app":"api"} with - in shop',
      'shop/db peer pod {"role":"admin"} with {"team":"ops"} in *',
      'shop/db peer namespace {"team":"ops"} with {"role":"admin"} in *',
    ]);
  });

  it('reads cluster-wide policies by their field names: subject namespaces and pods, peers that can deny', () => {
    // Shaped as the network-policy-api documents are; only `raw` is read.
    const anp = {
      kind: 'AdminNetworkPolicy',
      apiVersion: 'policy.networking.k8s.io/v1alpha1',
      metadata: {
        name: 'quarantine',
        namespace: undefined,
        labels: {},
        annotations: {},
        ownerReferences: [],
      },
      source: { file: 'anp.yaml', document: 0, range: undefined, locate: () => undefined },
      raw: {
        spec: {
          priority: 10,
          subject: { namespaces: { matchLabels: { env: 'prod' } } },
          egress: [
            {
              action: 'Deny',
              to: [{ pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'db' } } } }],
            },
          ],
        },
      },
    } as unknown as KubeObject;
    const uses = selectorCatalogue([anp]);
    expect(uses.map(summary)).toEqual([
      'AdminNetworkPolicy/quarantine subject namespace {"env":"prod"} with - in * (can deny)',
      'AdminNetworkPolicy/quarantine peer pod {"app":"db"} with {} in * (can deny)',
      'AdminNetworkPolicy/quarantine peer namespace {} with {"app":"db"} in * (can deny)',
    ]);
    expect(selectorValues(uses, 'namespace')).toEqual(new Map([['env', ['prod']]]));
    expect(selectorValues(uses, 'pod')).toEqual(new Map([['app', ['db']]]));
    // Its subject is every pod of a prod namespace, whatever the pod's labels.
    const place = { podLabels: { app: 'db' }, namespace: 'shop', namespaceLabels: { env: 'prod' } };
    expect([...policiesSelecting(uses, place)]).toEqual(['AdminNetworkPolicy/quarantine']);
    expect([...policiesSelecting(uses, { ...place, namespaceLabels: { env: 'dev' } })]).toEqual([]);
  });

  it('says which NetworkPolicies select a pod: their pod selector, in their namespace only', () => {
    const { objects } = parseManifests([
      {
        path: 'p.yaml',
        text: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: db, namespace: shop }
spec:
  podSelector: { matchLabels: { app: db } }
  ingress:
    - from: [{ podSelector: { matchLabels: { app: db } } }]
`,
      },
    ]);
    const uses = selectorCatalogue(objects);
    const place = { podLabels: { app: 'db' }, namespace: 'shop', namespaceLabels: {} };
    expect([...policiesSelecting(uses, place)]).toEqual(['shop/db']);
    expect([...policiesSelecting(uses, { ...place, namespace: 'billing' })]).toEqual([]);
    expect([...policiesSelecting(uses, { ...place, podLabels: { app: 'api' } })]).toEqual([]);
  });
});
