// Fixtures for tests against the stub API server: a kubeconfig that points at it, and a small
// demo cluster to seed it with.
import type { StubApiServer } from './stubApiServer.ts';

/** A kubeconfig (YAML text) whose only context talks to `stub` with its bearer token. */
export function stubKubeconfig(stub: StubApiServer, context = 'stub'): string {
  return `apiVersion: v1
kind: Config
clusters:
  - name: stub-cluster
    cluster:
      server: ${stub.url}
      # The client library only allows plain http with this flag.
      insecure-skip-tls-verify: true
users:
  - name: stub-user
    user:
      token: ${stub.token}
contexts:
  - name: ${context}
    context:
      cluster: stub-cluster
      user: stub-user
current-context: ${context}
`;
}

/** A small cluster: two namespaces, three workloads, a Service, a policy, and a Secret that must never leak. */
export function seedDemo(stub: StubApiServer): void {
  stub.upsert({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'shop', labels: { 'kubernetes.io/metadata.name': 'shop' } },
  });
  stub.upsert({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'ops', labels: { 'kubernetes.io/metadata.name': 'ops' } },
  });
  const deployment = (namespace: string, name: string, app: string, port: number) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace,
      labels: { app },
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"big":"blob"}', team: 'web' },
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app } },
      template: {
        metadata: { labels: { app } },
        spec: {
          containers: [{ name: app, image: `${app}:1`, ports: [{ containerPort: port, name: 'http' }] }],
        },
      },
    },
    status: { replicas: 1 },
  });
  stub.upsert(deployment('shop', 'web', 'web', 8080));
  stub.upsert(deployment('shop', 'api', 'api', 9090));
  stub.upsert(deployment('ops', 'monitor', 'monitor', 3000));
  stub.upsert({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'api', namespace: 'shop' },
    spec: { selector: { app: 'api' }, ports: [{ port: 80, targetPort: 9090 }] },
  });
  stub.upsert({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'api-from-web', namespace: 'shop' },
    spec: {
      podSelector: { matchLabels: { app: 'api' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 9090 }] }],
    },
  });
  stub.upsert({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db-password', namespace: 'shop' },
    data: { password: Buffer.from('hunter2-secret-value').toString('base64') },
  });
}
