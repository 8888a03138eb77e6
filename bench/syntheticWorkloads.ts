// The manifests of a synthetic cluster's namespaces and workloads: Namespaces, Deployments,
// StatefulSets and DaemonSets, their Pods (with owners, nodes and addresses) and Services.
import { formatIPv4, ipv4FromBytes } from '@netpol-atlas/manifests';
import type { NamespacePlan, Random, WorkloadPlan } from './syntheticPlan.ts';
import type { Yaml, YamlMap } from './yaml.ts';

const POD_CIDR_BASE = ipv4FromBytes(Uint8Array.of(10, 244, 0, 10));
const NODE_CIDR_BASE = ipv4FromBytes(Uint8Array.of(172, 20, 0, 10));
const SERVICE_CIDR_BASE = ipv4FromBytes(Uint8Array.of(10, 96, 0, 10));
export const PODS_PER_NODE = 110;

export function namespaceManifest(ns: NamespacePlan): Yaml {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns.name, labels: ns.labels } };
}

export interface Counters {
  pod: number;
  service: number;
  rotation: number;
  nodes: number;
}

function podSpec(w: WorkloadPlan, node: string | undefined): YamlMap {
  const containers: Yaml[] = [
    {
      name: w.name,
      image: w.image,
      // TCP is the default: manifests rarely spell it out.
      ports: w.ports.map((p) => ({
        name: p.name,
        containerPort: p.containerPort,
        protocol: p.protocol === 'TCP' ? undefined : p.protocol,
      })),
    },
  ];
  return { nodeName: node, hostNetwork: w.hostNetwork ? true : undefined, containers };
}

export function workloadManifests(w: WorkloadPlan, pods: number, rng: Random, counters: Counters): Yaml[] {
  const docs: Yaml[] = [];
  const selector = { matchLabels: { app: w.labels.app! } };
  const uid = rng.uid();
  const template: YamlMap = { metadata: { labels: w.labels }, spec: podSpec(w, undefined) };
  let owner: { kind: string; name: string; uid: string } | undefined;
  let podLabels: Record<string, string> = {};
  let podName: (k: number) => string = () => '';
  if (w.form === 'deployment') {
    // Manifest-only workloads, as in a GitOps repository: the template stands for `replicas` pods.
    docs.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: w.name, namespace: w.namespace, labels: { app: w.labels.app! } },
      spec: { replicas: pods, selector, template },
    });
  } else if (w.form === 'replicaset') {
    // No ReplicaSet manifest: the pods' controller reference alone makes them one peer.
    const hash = rng.suffix(10);
    owner = { kind: 'ReplicaSet', name: `${w.name}-${hash}`, uid };
    podLabels = { 'pod-template-hash': hash };
    podName = () => `${w.name}-${hash}-${rng.suffix(5)}`;
  } else {
    const kind = w.form === 'statefulset' ? 'StatefulSet' : 'DaemonSet';
    const revision = `${w.name}-${rng.suffix(10)}`;
    const spec: YamlMap =
      kind === 'StatefulSet'
        ? { replicas: pods, serviceName: w.name, selector, template }
        : { selector, template };
    docs.push({
      apiVersion: 'apps/v1',
      kind,
      metadata: { name: w.name, namespace: w.namespace, uid, labels: { app: w.labels.app! } },
      spec,
    });
    owner = { kind, name: w.name, uid };
    podLabels = { 'controller-revision-hash': revision };
    podName = kind === 'StatefulSet' ? (k) => `${w.name}-${k}` : () => `${w.name}-${rng.suffix(5)}`;
  }
  if (w.tier !== 'agent' && !w.hostNetwork) docs.push(service(w, counters));
  if (!owner) return docs;
  for (let k = 0; k < pods; k++) {
    const nodeIndex = counters.pod % counters.nodes;
    const nodeIP = formatIPv4(NODE_CIDR_BASE + nodeIndex);
    const podIP = w.hostNetwork ? nodeIP : formatIPv4(POD_CIDR_BASE + counters.pod);
    counters.pod++;
    const name = podName(k);
    const labels =
      w.form === 'statefulset'
        ? { ...w.labels, ...podLabels, 'statefulset.kubernetes.io/pod-name': name }
        : { ...w.labels, ...podLabels };
    docs.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: w.namespace,
        uid: rng.uid(),
        labels,
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: owner.kind,
            name: owner.name,
            uid: owner.uid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: podSpec(w, `node-${nodeIndex}`),
      status: { phase: 'Running', hostIP: nodeIP, podIP, podIPs: [{ ip: podIP }] },
    });
  }
  return docs;
}

function service(w: WorkloadPlan, counters: Counters): Yaml {
  const headless = w.form === 'statefulset';
  const clusterIP = headless ? 'None' : formatIPv4(SERVICE_CIDR_BASE + counters.service++);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: w.name, namespace: w.namespace, labels: { app: w.labels.app! } },
    spec: {
      clusterIP,
      selector: { app: w.labels.app! },
      ports: w.ports.map((p) => ({
        name: p.name,
        port: p.name === 'http' ? 80 : p.containerPort,
        targetPort: p.name,
        protocol: p.protocol,
      })),
    },
  };
}
