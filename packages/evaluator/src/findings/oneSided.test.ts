import { describe, expect, it } from 'vitest';
import { reviewFiles } from './testing.ts';

const BASE = `apiVersion: v1
kind: Namespace
metadata: { name: shop }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers: [{ name: web, image: nginx }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: shop }
spec:
  selector:
    matchLabels: { app: api }
  template:
    metadata:
      labels: { app: api }
    spec:
      containers:
        - name: api
          image: example/api
          ports: [{ name: http, containerPort: 8080 }]
`;

function policy(name: string, app: string, types: string, rules: string): string {
  return `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: ${name}, namespace: shop }
spec:
  podSelector:
    matchLabels: { app: ${app} }
  policyTypes: [${types}]
${rules}`;
}

const WEB_TO_API = (port: string) =>
  policy(
    'web-egress',
    'web',
    'Egress',
    `  egress:
    - to: [{ podSelector: { matchLabels: { app: api } } }]
      ports: [{ port: ${port} }]
`,
  );

const API_FROM_WEB = (ports: string) =>
  policy(
    'api-ingress',
    'api',
    'Ingress',
    `  ingress:
    - from: [{ podSelector: { matchLabels: { app: web } } }]
      ports: [${ports}]
`,
  );

function oneSided(text: string) {
  return reviewFiles([{ path: 'a.yaml', text: BASE + text }]).findings.filter(
    (f) => f.rule === 'one-sided-rule',
  );
}

describe('one-sided-rule', () => {
  it('reports an ingress rule whose sources may not send, with the mirror rule as the fix', () => {
    const dnsOnly = policy(
      'web-egress',
      'web',
      'Egress',
      `  egress:
    - ports: [{ port: 53, protocol: UDP }]
`,
    );
    const [hit, ...rest] = oneSided(API_FROM_WEB('{ port: 8080 }') + dnsOnly);
    expect(rest).toEqual([]);
    expect(hit?.id).toBe('NPA-ONE-SIDED:shop/api-ingress/ingress[0]');
    expect(hit?.title).toBe('shop/api-ingress ingress[0] carries no traffic: the egress side refuses it');
    expect(hit?.message).toContain(
      'their egress is isolated by shop/web-egress, and no rule of it admits shop/api[Deployment] on those ports (it admits only UDP 53)',
    );
    expect(hit?.fix?.suggestion).toMatchObject({
      kind: 'add-mirror-rule',
      policy: 'shop/web-egress',
      direction: 'Egress',
      namespace: 'shop',
      podSelector: { matchLabels: { app: 'api' }, matchExpressions: undefined },
      ports: [{ port: 8080 }],
    });
  });

  it('reports an egress rule on a port the destination does not admit', () => {
    const [hit] = oneSided(WEB_TO_API('8080') + API_FROM_WEB('{ port: 9090 }'));
    expect(hit?.subjects.slice(0, 2)).toEqual(['shop/web-egress', 'shop/api-ingress']);
    expect(hit?.message).toContain('(it admits only TCP 9090)');
  });

  it('puts the mirror rule into the policy written for the pods, never into a default-deny', () => {
    const denyAll = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny, namespace: shop }
spec:
  podSelector: {}
  policyTypes: [Ingress]
`;
    const [both] = oneSided(WEB_TO_API('8080') + denyAll + API_FROM_WEB('{ port: 9090 }'));
    expect(both?.message).toContain('isolated by shop/default-deny, shop/api-ingress, and no rule of them');
    expect(both?.fix?.suggestion).toMatchObject({ kind: 'add-mirror-rule', policy: 'shop/api-ingress' });
    const [alone] = oneSided(WEB_TO_API('8080') + denyAll);
    expect(alone?.fix).toBeUndefined();
  });

  it.each([
    ['a port range around the port', '{ port: 8000, endPort: 8100 }'],
    ['the port number a named port resolves to', '{ port: http }'],
    ['every port', '{ protocol: TCP }'],
  ])('stays silent when the other side admits %s', (_, ports) => {
    expect(oneSided(WEB_TO_API('8080') + API_FROM_WEB(ports))).toEqual([]);
  });

  it('resolves a named port on the destination before comparing', () => {
    expect(oneSided(WEB_TO_API('http') + API_FROM_WEB('{ port: 8080 }'))).toEqual([]);
    // Both halves are dead then: web sends only to 8080 (http), api accepts only 9090.
    expect(oneSided(WEB_TO_API('http') + API_FROM_WEB('{ port: 9090 }')).map((f) => f.id)).toEqual([
      'NPA-ONE-SIDED:shop/web-egress/egress[0]',
      'NPA-ONE-SIDED:shop/api-ingress/ingress[0]',
    ]);
  });

  it('names only the dead peer of a rule whose other peers carry traffic', () => {
    const egress = policy(
      'web-egress',
      'web',
      'Egress',
      `  egress:
    - to:
        - podSelector: { matchLabels: { app: api } }
        - podSelector: { matchLabels: { app: db } }
      ports: [{ port: 8080 }]
`,
    );
    const db = `---
apiVersion: v1
kind: Pod
metadata: { name: db, namespace: shop, labels: { app: db } }
spec: { containers: [{ name: db, image: postgres }] }
`;
    const [hit] = oneSided(egress + API_FROM_WEB('{ port: 9090 }') + db);
    expect(hit?.title).toBe(
      'shop/web-egress egress[0].to[0] carries no traffic: the ingress side refuses it',
    );
    expect(hit?.subjects).not.toContain('shop/db[Pod]');
  });

  it('leaves peers that admit a whole namespace alone: a group, not chosen pods', () => {
    const ingress = policy(
      'api-ingress',
      'api',
      'Ingress',
      `  ingress:
    - from: [{ namespaceSelector: {} }, { podSelector: {} }]
`,
    );
    const denyWeb = policy('web-egress', 'web', 'Egress', '');
    expect(oneSided(ingress + denyWeb)).toEqual([]);
  });

  const admin = (action: string) => `---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: { name: guard-api }
spec:
  tier: Admin
  priority: 10
  subject: { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: api } } } }
  ingress: [{ action: ${action}, from: [{ namespaces: {} }] }]
`;

  it('names a cluster policy that denies the other side', () => {
    const [hit] = oneSided(WEB_TO_API('8080') + admin('Deny'));
    expect(hit?.message).toContain('the cluster policy ClusterNetworkPolicy/guard-api denies it');
    expect(hit?.fix).toBeUndefined();
  });

  it('counts an Admin Accept on the other side as carrying the traffic', () => {
    const denyAll = policy('api-ingress', 'api', 'Ingress', '');
    expect(oneSided(WEB_TO_API('8080') + denyAll)).toHaveLength(1);
    expect(oneSided(WEB_TO_API('8080') + denyAll + admin('Accept'))).toEqual([]);
  });
});
