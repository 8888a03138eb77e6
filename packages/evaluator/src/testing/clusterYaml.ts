// A generated cluster as manifest text (JSON documents, which YAML reads), for the differential
// tests that parse what they generated. Used by tests only.

import type { GenCluster, GenClusterPolicy, GenPort, GenRule, GenTierPort, GenTierRule } from './genModel.ts';

function containerSpec(ports: GenPort[]) {
  return {
    containers: [
      {
        name: 'main',
        image: 'img',
        ports: ports.map((p) => ({
          ...(p.name ? { name: p.name } : {}),
          containerPort: p.containerPort,
          protocol: p.protocol,
        })),
      },
    ],
  };
}

export function toYaml(model: GenCluster): string {
  const meta = (name: string, namespace: string | undefined, extra: object = {}) => ({
    name,
    ...(namespace ? { namespace } : {}),
    ...extra,
  });
  const rules = (list: GenRule[] | undefined, field: 'from' | 'to') =>
    list?.map((r) => ({ ...(r.peers ? { [field]: r.peers } : {}), ...(r.ports ? { ports: r.ports } : {}) }));
  const docs: object[] = [
    ...model.namespaces.map((ns) => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns.name, labels: ns.labels },
    })),
    ...model.pods.map((p) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: meta(p.name, p.namespace, {
        labels: p.labels,
        ...(p.owner
          ? {
              ownerReferences: [
                { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: p.owner, uid: p.owner, controller: true },
              ],
            }
          : {}),
      }),
      spec: containerSpec(p.ports),
      ...(p.status
        ? { status: { phase: p.status.phase, ...(p.status.ip ? { podIP: p.status.ip } : {}) } }
        : {}),
    })),
    ...model.workloads.map((w) => ({
      apiVersion: 'apps/v1',
      kind: w.kind,
      metadata: meta(w.name, w.namespace),
      spec: {
        selector: { matchLabels: w.labels },
        template: { metadata: { labels: w.labels }, spec: containerSpec(w.ports) },
      },
    })),
    ...model.policies.map((p) => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta(p.name, p.namespace),
      spec: {
        podSelector: p.podSelector,
        ...(p.policyTypes ? { policyTypes: p.policyTypes } : {}),
        ...(p.ingress ? { ingress: rules(p.ingress, 'from') } : {}),
        ...(p.egress ? { egress: rules(p.egress, 'to') } : {}),
      },
    })),
    ...model.clusterPolicies.map(clusterPolicyDocument),
  ];
  return docs.map((d) => JSON.stringify(d, null, 1)).join('\n---\n');
}

/** A cluster policy as its API version writes it. */
function clusterPolicyDocument(p: GenClusterPolicy): object {
  const v1alpha2 = p.kind === 'ClusterNetworkPolicy';
  const port = (q: GenTierPort) => {
    if (q.name !== undefined) return v1alpha2 ? { destinationNamedPort: q.name } : { namedPort: q.name };
    if (v1alpha2) {
      const field = q.protocol.toLowerCase();
      if (q.port === undefined) return { [field]: {} };
      return {
        [field]: {
          destinationPort:
            q.end !== undefined ? { range: { start: q.port, end: q.end } } : { number: q.port },
        },
      };
    }
    return q.end !== undefined
      ? { portRange: { protocol: q.protocol, start: q.port, end: q.end } }
      : { portNumber: { protocol: q.protocol, port: q.port } };
  };
  const rules = (list: GenTierRule[] | undefined, field: 'from' | 'to') =>
    list?.map((r) => ({
      action: !v1alpha2 && r.action === 'Accept' ? 'Allow' : r.action,
      [field]: r.peers,
      ...(r.ports ? { [v1alpha2 ? 'protocols' : 'ports']: r.ports.map(port) } : {}),
    }));
  return {
    apiVersion: `policy.networking.k8s.io/${v1alpha2 ? 'v1alpha2' : 'v1alpha1'}`,
    kind: p.kind,
    metadata: { name: p.name },
    spec: {
      ...(v1alpha2 ? { tier: p.tier } : {}),
      ...(p.kind !== 'BaselineAdminNetworkPolicy' ? { priority: p.priority } : {}),
      subject: p.subject,
      ...(p.ingress ? { ingress: rules(p.ingress, 'from') } : {}),
      ...(p.egress ? { egress: rules(p.egress, 'to') } : {}),
    },
  };
}
