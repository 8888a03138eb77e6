import { Workspace } from '@netpol-atlas/workspace';
import { FlowReader, type FlowReaderOptions } from '../reader.ts';
import type { FlowRecord } from '../types.ts';

/**
 * A small shop: `web/frontend` (a Deployment, labels app=frontend) calls `shop/api` (a Pod with a
 * status IP) on TCP 8080; `web/admin` could too, but never does; `shop/api` calls `shop/db` (a StatefulSet) on TCP 5432. Policies: api
 * accepts only frontend on 8080; db accepts only api on 5432; an AdminNetworkPolicy denies
 * everything into db from the `web` namespace.
 */
export const SHOP = `
apiVersion: v1
kind: Namespace
metadata: { name: web, labels: { team: web } }
---
apiVersion: v1
kind: Namespace
metadata: { name: shop }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: frontend, namespace: web }
spec:
  selector: { matchLabels: { app: frontend } }
  template:
    metadata: { labels: { app: frontend, tier: ui } }
    spec: { containers: [{ name: web, image: nginx, ports: [{ containerPort: 80 }] }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: admin, namespace: web }
spec:
  selector: { matchLabels: { app: admin } }
  template:
    metadata: { labels: { app: admin } }
    spec: { containers: [{ name: admin, image: admin }] }
---
apiVersion: v1
kind: Pod
metadata: { name: api-0, namespace: shop, labels: { app: api } }
spec: { containers: [{ name: api, image: api, ports: [{ containerPort: 8080 }] }] }
status: { podIP: 10.1.0.5, podIPs: [{ ip: 10.1.0.5 }] }
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db, namespace: shop }
spec:
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec: { containers: [{ name: db, image: postgres, ports: [{ containerPort: 5432 }] }] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: api-ingress, namespace: shop }
spec:
  podSelector: { matchLabels: { app: api } }
  ingress:
    - from: [{ namespaceSelector: { matchLabels: { team: web } } }]
      ports: [{ protocol: TCP, port: 8080 }]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: db-ingress, namespace: shop }
spec:
  podSelector: { matchLabels: { app: db } }
  ingress:
    - from: [{ podSelector: { matchLabels: { app: api } } }]
      ports: [{ protocol: TCP, port: 5432 }]
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: { name: no-web-to-db }
spec:
  priority: 10
  subject: { pods: { namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: shop } }, podSelector: { matchLabels: { app: db } } } }
  ingress:
    - name: deny-web
      action: Deny
      from: [{ namespaces: { matchLabels: { team: web } } }]
`;

/** The shop as a compiled workspace. */
export function shopWorkspace(text = SHOP): Workspace {
  return new Workspace([{ path: 'shop.yaml', text }]);
}

/** One Hubble `GetFlowsResponse` line, with what a test cares about. */
export function hubbleLine(options: {
  src: { namespace?: string; pod?: string; labels?: string[]; ip?: string };
  dst: { namespace?: string; pod?: string; labels?: string[]; ip?: string };
  port: number;
  protocol?: 'TCP' | 'UDP' | 'SCTP' | 'ICMPv4';
  verdict?: string;
  time?: string;
  reply?: boolean;
  /** The client's port (default 40000): another port is another connection between the same ends. */
  sourcePort?: number;
  /** Where Hubble saw it (default node-1, EGRESS, no observation point). */
  node?: string;
  direction?: 'EGRESS' | 'INGRESS';
  point?: string;
}): string {
  const end = (e: typeof options.src) => ({
    ...(e.namespace ? { namespace: e.namespace } : {}),
    ...(e.pod ? { pod_name: e.pod } : {}),
    labels: e.labels ?? [],
  });
  const protocol = options.protocol ?? 'TCP';
  const l4 =
    protocol === 'ICMPv4'
      ? { ICMPv4: { type: 8 } }
      : { [protocol]: { source_port: options.sourcePort ?? 40000, destination_port: options.port } };
  return JSON.stringify({
    flow: {
      time: options.time ?? '2026-12-01T10:00:00.000000000Z',
      verdict: options.verdict ?? 'FORWARDED',
      IP: {
        source: options.src.ip ?? '10.9.9.9',
        destination: options.dst.ip ?? '10.9.9.8',
        ipVersion: 'IPv4',
      },
      l4,
      source: end(options.src),
      destination: end(options.dst),
      Type: 'L3_L4',
      node_name: options.node ?? 'node-1',
      traffic_direction: options.direction ?? 'EGRESS',
      ...(options.point !== undefined ? { trace_observation_point: options.point } : {}),
      ...(options.reply !== undefined ? { is_reply: options.reply } : {}),
    },
    node_name: options.node ?? 'node-1',
    time: options.time ?? '2026-12-01T10:00:00.000000000Z',
  });
}

/** Reads a whole text at once: the records and the reader's account. */
export function readFlows(
  text: string,
  options?: FlowReaderOptions,
): { records: FlowRecord[]; reader: FlowReader } {
  const records: FlowRecord[] = [];
  const reader = new FlowReader((r) => records.push(r), options);
  reader.push(text);
  reader.end();
  return { records, reader };
}
