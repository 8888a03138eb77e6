import { describe, expect, it } from 'vitest';
import { compile } from './compiled.ts';
import { checkPorts } from './intent.ts';
import { type Endpoint, resolveEndpoint } from './peers.ts';
import type { PeerRef, PortIntent } from './types.ts';
import { intentShortfall } from './verify.ts';

const workloads = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: db, namespace: shop}
spec:
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db}]}
`;

const denyDb = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  policyTypes: [Ingress]
  ingress:
    - from: [{podSelector: {matchLabels: {app: web}}}]
      ports: [{protocol: TCP, port: 5432}]
`;

function shortfall(policies: string, ports: readonly PortIntent[] | 'all') {
  const ws = compile([{ path: 'all.yaml', text: `${workloads}---${policies}` }]);
  const end = (ref: PeerRef): Endpoint => {
    const resolved = resolveEndpoint(ws.cluster, ref);
    if ('reason' in resolved) throw new Error(resolved.message);
    return resolved;
  };
  const checked = checkPorts(ports);
  if ('problem' in checked) throw new Error(checked.problem);
  return intentShortfall(
    ws,
    end({ kind: 'workload', id: 'shop/web[Deployment]' }),
    end({ kind: 'workload', id: 'shop/db[Deployment]' }),
    checked.ports,
  );
}

describe('intentShortfall', () => {
  it('is undefined when every pair of the intent has what it asked for', () => {
    expect(shortfall(denyDb, [{ protocol: 'TCP', port: 5432 }])).toBeUndefined();
    expect(shortfall('', 'all')).toBeUndefined();
  });

  it('names the pair that lacks some of it, with what it allows and what was asked', () => {
    expect(shortfall(denyDb, [{ protocol: 'TCP', port: 8080 }])).toBe(
      'after the edit shop/web[Deployment] -> shop/db[Deployment] allows TCP 5432, not TCP 8080',
    );
    expect(shortfall(denyDb, 'all')).toBe(
      'after the edit shop/web[Deployment] -> shop/db[Deployment] allows TCP 5432, not All Connections',
    );
  });
});
