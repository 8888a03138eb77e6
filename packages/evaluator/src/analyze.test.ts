// Workload-level behaviour of buildCluster + analyze, and a differential test of the
// equivalence-class evaluator against a naive per-pair reference written from the semantics.

import type { Labels } from '@netpol-atlas/manifests';
import { parseManifests } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import {
  type Analysis,
  analyze,
  buildCluster,
  type Cluster,
  type ClusterOptions,
  type ConnectionSet,
  connectionKey,
  formatConnectionSet,
  isAllConnections,
  isEmptyConnections,
  PROTOCOLS,
  type Protocol,
} from './index.ts';
import { toYaml } from './testing/clusterYaml.ts';
import type {
  GenCluster,
  GenClusterPolicy,
  GenPeer,
  GenPolicy,
  GenPolicyPort,
  GenPort,
  GenSelector,
  GenTierPeer,
  GenTierPort,
  GenTierRule,
} from './testing/genModel.ts';
import { GENERATED_PARSE_OPTIONS, intToIp, ipToInt, randomCluster } from './testing/randomCluster.ts';

/** Parses YAML that must be free of errors. */
function objectsOf(text: string) {
  const parsed = parseManifests([{ path: 'test.yaml', text }]);
  expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return parsed.objects;
}

function clusterOf(text: string, options?: ClusterOptions): Cluster {
  return buildCluster(objectsOf(text), options);
}

/** `src => dst: conn` lines, as the connectivity list reads. */
function connectionLines(analysis: Analysis): string[] {
  return [...analysis.connections()].map((c) => `${c.src.id} => ${c.dst.id}: ${formatConnectionSet(c.conn)}`);
}

/** Index of a workload by id (fails the test when absent). */
function indexOf(cluster: Cluster, id: string): number {
  const w = cluster.workloads.find((x) => x.id === id);
  if (!w) throw new Error(`no workload ${id} in ${cluster.workloads.map((x) => x.id).join(', ')}`);
  return w.index;
}

function betweenIds(analysis: Analysis, src: string, dst: string): string {
  return formatConnectionSet(
    analysis.between(indexOf(analysis.cluster, src), indexOf(analysis.cluster, dst)),
  );
}

const OWNED_PODS = `
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Pod
metadata:
  name: web-7d9f-abcde
  namespace: shop
  labels: {app: web}
  ownerReferences:
  - {apiVersion: apps/v1, kind: ReplicaSet, name: web-7d9f, uid: u1, controller: true}
spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 8080, name: http}]}]}
status: {phase: Running, podIP: 10.0.0.11}
---
apiVersion: v1
kind: Pod
metadata:
  name: web-7d9f-fghij
  namespace: shop
  labels: {app: web}
  ownerReferences:
  - {apiVersion: apps/v1, kind: ReplicaSet, name: web-7d9f, uid: u1, controller: true}
spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 8080, name: http}]}]}
status: {phase: Running, podIP: 10.0.0.12}
---
apiVersion: v1
kind: Pod
metadata:
  name: helper
  namespace: shop
  labels: {app: helper}
  ownerReferences:
  - {apiVersion: v1, kind: ConfigMap, name: not-a-controller, uid: u2}
spec: {containers: [{name: c, image: busybox}]}
status: {phase: Running, podIP: 10.0.0.13}
---
apiVersion: v1
kind: Pod
metadata:
  name: etcd-node1
  namespace: shop
  labels: {app: etcd}
  ownerReferences:
  - {apiVersion: v1, kind: Node, name: node1, uid: u3, controller: true}
spec: {containers: [{name: c, image: etcd}]}
status: {phase: Running, podIP: 10.0.0.14}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: shop, labels: {app: client}}
spec: {containers: [{name: c, image: curl}]}
status: {phase: Running, podIP: 10.0.0.15}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-from-client, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from:
    - podSelector: {matchLabels: {app: client}}
    ports: [{port: http}]
`;

describe('owner collapsing', () => {
  it('pods controlled by a ReplicaSet become one peer named after it', () => {
    const cluster = clusterOf(OWNED_PODS);
    expect(cluster.workloads.map((w) => w.id)).toEqual([
      'shop/client[Pod]',
      'shop/etcd-node1[Pod]',
      'shop/helper[Pod]',
      'shop/web-7d9f[ReplicaSet]',
    ]);
    const web = cluster.workloads[indexOf(cluster, 'shop/web-7d9f[ReplicaSet]')]!;
    expect(web.pods.map((p) => p.name)).toEqual(['web-7d9f-abcde', 'web-7d9f-fghij']);
    expect(web.kind).toBe('ReplicaSet');
    expect(web.name).toBe('web-7d9f');
    expect(web.ipv4).toHaveLength(2);
    expect(cluster.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('the collapsed peer carries the policy verdicts of its pods', () => {
    const analysis = analyze(clusterOf(OWNED_PODS));
    expect(betweenIds(analysis, 'shop/client[Pod]', 'shop/web-7d9f[ReplicaSet]')).toBe('TCP 8080');
    expect(betweenIds(analysis, 'shop/helper[Pod]', 'shop/web-7d9f[ReplicaSet]')).toBe('No Connections');
    expect(betweenIds(analysis, 'shop/web-7d9f[ReplicaSet]', 'shop/helper[Pod]')).toBe('All Connections');
    expect(connectionLines(analysis).filter((l) => l.includes('=> shop/web-7d9f'))).toEqual([
      'shop/client[Pod] => shop/web-7d9f[ReplicaSet]: TCP 8080',
    ]);
  });

  it('a workload is admitted by an ipBlock only when every known pod IP is inside', () => {
    const text = `${OWNED_PODS}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: helper-from-block, namespace: shop}
spec:
  podSelector: {matchLabels: {app: helper}}
  ingress:
  - from:
    - ipBlock: {cidr: %CIDR%}
`;
    const verdict = (cidr: string) =>
      betweenIds(
        analyze(clusterOf(text.replace('%CIDR%', cidr))),
        'shop/web-7d9f[ReplicaSet]',
        'shop/helper[Pod]',
      );
    // web-7d9f's pods are 10.0.0.11 and 10.0.0.12.
    expect(verdict('10.0.0.0/24')).toBe('All Connections');
    expect(verdict('10.0.0.12/32')).toBe('No Connections');
    expect(verdict('10.0.0.8/30')).toBe('No Connections');
    expect(verdict('10.0.0.8/29')).toBe('All Connections');
  });

  it("granularity 'pod' keeps one peer per Pod object", () => {
    const cluster = clusterOf(OWNED_PODS, { granularity: 'pod' });
    expect(cluster.workloads.map((w) => w.id)).toEqual([
      'shop/client[Pod]',
      'shop/etcd-node1[Pod]',
      'shop/helper[Pod]',
      'shop/web-7d9f-abcde[Pod]',
      'shop/web-7d9f-fghij[Pod]',
    ]);
    const analysis = analyze(cluster);
    expect(betweenIds(analysis, 'shop/client[Pod]', 'shop/web-7d9f-fghij[Pod]')).toBe('TCP 8080');
    // Two pods of one owner are still isolated from each other by the policy.
    expect(betweenIds(analysis, 'shop/web-7d9f-abcde[Pod]', 'shop/web-7d9f-fghij[Pod]')).toBe(
      'No Connections',
    );
  });

  it('pods of one owner with labels a selector tells apart are reported (one peer cannot hold both)', () => {
    const text = OWNED_PODS.replace(
      'name: web-7d9f-fghij\n  namespace: shop\n  labels: {app: web}',
      'name: web-7d9f-fghij\n  namespace: shop\n  labels: {app: web-canary}',
    );
    expect(text).not.toBe(OWNED_PODS);
    const cluster = clusterOf(text);
    expect(cluster.diagnostics.map((d) => d.code)).toContain('pod-owner-label-gap');
  });
});

const WORKLOAD_MANIFESTS = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: prod}
spec:
  replicas: 3
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: api, ports: [{containerPort: 8443, name: https}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: frontend, namespace: prod}
spec:
  selector: {matchLabels: {app: frontend}}
  template:
    metadata: {labels: {app: frontend}}
    spec: {containers: [{name: web, image: web}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: prod}
spec:
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: pg, image: postgres, ports: [{containerPort: 5432, name: pg}]}]}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: backup, namespace: ops}
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        metadata: {labels: {app: backup}}
        spec: {containers: [{name: b, image: backup}]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: a, image: agent}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: prod}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from:
    - podSelector: {matchLabels: {app: api}}
    ports: [{port: pg}]
  - from:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ops}}
      podSelector: {matchLabels: {app: backup}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: prod}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress, Egress]
  ingress:
  - from:
    - podSelector: {matchLabels: {app: frontend}}
    ports: [{port: https}]
  egress:
  - to:
    - podSelector: {matchLabels: {app: db}}
`;

describe('workload manifests as peers', () => {
  it('Deployments, StatefulSets, CronJobs and DaemonSets are peers; a missing namespace is default', () => {
    const cluster = clusterOf(WORKLOAD_MANIFESTS);
    expect(cluster.workloads.map((w) => w.id)).toEqual([
      'default/agent[DaemonSet]',
      'ops/backup[CronJob]',
      'prod/api[Deployment]',
      'prod/db[StatefulSet]',
      'prod/frontend[Deployment]',
    ]);
    // Namespaces only referenced by objects exist implicitly, with their name label.
    expect(cluster.namespaces.get('ops')).toMatchObject({
      declared: false,
      labels: { 'kubernetes.io/metadata.name': 'ops' },
    });
    expect(cluster.namespaces.get('default')?.labels).toEqual({ 'kubernetes.io/metadata.name': 'default' });
  });

  it('named ports resolve on the pod template of the destination workload', () => {
    const analysis = analyze(clusterOf(WORKLOAD_MANIFESTS));
    expect(betweenIds(analysis, 'prod/api[Deployment]', 'prod/db[StatefulSet]')).toBe('TCP 5432');
    expect(betweenIds(analysis, 'prod/frontend[Deployment]', 'prod/api[Deployment]')).toBe('TCP 8443');
    expect(betweenIds(analysis, 'ops/backup[CronJob]', 'prod/db[StatefulSet]')).toBe('All Connections');
    expect(betweenIds(analysis, 'default/agent[DaemonSet]', 'prod/db[StatefulSet]')).toBe('No Connections');
    // api's egress only reaches db.
    expect(betweenIds(analysis, 'prod/api[Deployment]', 'prod/frontend[Deployment]')).toBe('No Connections');
    expect(betweenIds(analysis, 'prod/api[Deployment]', 'ops/backup[CronJob]')).toBe('No Connections');
  });

  it("granularity 'pod' ignores workload manifests", () => {
    expect(clusterOf(WORKLOAD_MANIFESTS, { granularity: 'pod' }).workloads).toEqual([]);
  });
});

const EXTERNALS = `
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {containers: [{name: web, image: web, ports: [{containerPort: 8443, name: https}, {containerPort: 53, name: dns, protocol: UDP}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: other, namespace: shop, labels: {app: other}}
spec: {containers: [{name: c, image: c}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress, Egress]
  ingress:
  - from:
    - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}
    ports: [{port: 443}]
  - from:
    - ipBlock: {cidr: 172.16.0.0/12}
    ports: [{port: https}]
  - from:
    - namespaceSelector: {}
    ports: [{port: 9999}]
  egress:
  - to:
    - ipBlock: {cidr: 192.168.0.0/16}
    ports: [{protocol: UDP, port: 53}]
  - to:
    - ipBlock: {cidr: 10.0.0.0/8}
    ports: [{port: 5432}, {port: https}]
`;

describe('external address ranges', () => {
  const analysis = analyze(clusterOf(EXTERNALS));
  const web = indexOf(analysis.cluster, 'shop/web[Pod]');
  const other = indexOf(analysis.cluster, 'shop/other[Pod]');

  it('ingress ranges are cut at the ingress ipBlock boundaries (except holes included)', () => {
    expect(analysis.ingressExternals.map((e) => e.id)).toEqual([
      '0.0.0.0-9.255.255.255[External]',
      '10.0.0.0-10.0.255.255[External]',
      '10.1.0.0-10.1.255.255[External]',
      '10.2.0.0-10.255.255.255[External]',
      '11.0.0.0-172.15.255.255[External]',
      '172.16.0.0-172.31.255.255[External]',
      '172.32.0.0-255.255.255.255[External]',
    ]);
  });

  it('egress ranges are cut at the egress ipBlock boundaries only', () => {
    expect(analysis.egressExternals.map((e) => e.id)).toEqual([
      '0.0.0.0-9.255.255.255[External]',
      '10.0.0.0-10.255.255.255[External]',
      '11.0.0.0-192.167.255.255[External]',
      '192.168.0.0-192.168.255.255[External]',
      '192.169.0.0-255.255.255.255[External]',
    ]);
  });

  // The namespaceSelector {} rule (TCP 9999) never admits an address: no range gets 9999.
  it('fromExternal: ipBlock rules admit their ranges; named ports resolve on the destination pod', () => {
    expect(
      analysis.ingressExternals.map((_, e) => formatConnectionSet(analysis.fromExternal(e, web))),
    ).toEqual([
      'No Connections',
      'TCP 443',
      'No Connections',
      'TCP 443',
      'No Connections',
      'TCP 8443',
      'No Connections',
    ]);
  });

  it('toExternal: named ports never resolve towards an address', () => {
    expect(analysis.egressExternals.map((_, e) => formatConnectionSet(analysis.toExternal(web, e)))).toEqual([
      'No Connections',
      'TCP 5432',
      'No Connections',
      'UDP 53',
      'No Connections',
    ]);
  });

  it('unselected pods are open to and from every range', () => {
    for (let e = 0; e < analysis.ingressExternals.length; e++) {
      expect(formatConnectionSet(analysis.fromExternal(e, other))).toBe('All Connections');
    }
    for (let e = 0; e < analysis.egressExternals.length; e++) {
      expect(formatConnectionSet(analysis.toExternal(other, e))).toBe('All Connections');
    }
  });

  it('connections() lists workload pairs, then external sources, then external destinations', () => {
    expect(connectionLines(analysis)).toEqual([
      'shop/other[Pod] => shop/web[Pod]: TCP 9999',
      '0.0.0.0-9.255.255.255[External] => shop/other[Pod]: All Connections',
      '10.0.0.0-10.0.255.255[External] => shop/other[Pod]: All Connections',
      '10.0.0.0-10.0.255.255[External] => shop/web[Pod]: TCP 443',
      '10.1.0.0-10.1.255.255[External] => shop/other[Pod]: All Connections',
      '10.2.0.0-10.255.255.255[External] => shop/other[Pod]: All Connections',
      '10.2.0.0-10.255.255.255[External] => shop/web[Pod]: TCP 443',
      '11.0.0.0-172.15.255.255[External] => shop/other[Pod]: All Connections',
      '172.16.0.0-172.31.255.255[External] => shop/other[Pod]: All Connections',
      '172.16.0.0-172.31.255.255[External] => shop/web[Pod]: TCP 8443',
      '172.32.0.0-255.255.255.255[External] => shop/other[Pod]: All Connections',
      'shop/other[Pod] => 0.0.0.0-9.255.255.255[External]: All Connections',
      'shop/other[Pod] => 10.0.0.0-10.255.255.255[External]: All Connections',
      'shop/other[Pod] => 11.0.0.0-192.167.255.255[External]: All Connections',
      'shop/other[Pod] => 192.168.0.0-192.168.255.255[External]: All Connections',
      'shop/other[Pod] => 192.169.0.0-255.255.255.255[External]: All Connections',
      'shop/web[Pod] => 10.0.0.0-10.255.255.255[External]: TCP 5432',
      'shop/web[Pod] => 192.168.0.0-192.168.255.255[External]: UDP 53',
    ]);
  });

  it('without ipBlocks each side is one range covering every address', () => {
    const plain = analyze(clusterOf(OWNED_PODS));
    expect(plain.ingressExternals.map((e) => e.id)).toEqual(['0.0.0.0-255.255.255.255[External]']);
    expect(plain.egressExternals.map((e) => e.id)).toEqual(['0.0.0.0-255.255.255.255[External]']);
  });
});

const CNI_CLUSTER = `
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: lab, labels: {app: a}}
spec: {containers: [{name: c, image: c}]}
status: {phase: Running, podIP: 10.0.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: lab, labels: {app: b}}
spec: {containers: [{name: c, image: c}]}
status: {phase: Running, podIP: 10.0.0.2}
---
apiVersion: v1
kind: Pod
metadata: {name: c, namespace: lab, labels: {app: c}}
spec: {containers: [{name: c, image: c}]}
status: {phase: Running, podIP: 10.9.0.3}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: a, namespace: lab}
spec:
  podSelector: {matchLabels: {app: a}}
  policyTypes: [Ingress, Egress]
  ingress:
  - from:
    - ipBlock: {cidr: 10.0.0.0/24}
  egress:
  - to:
    - podSelector: {matchLabels: {app: c}}
    ports: [{protocol: SCTP, port: 9}]
`;

describe('CNI profiles', () => {
  /** Every workload pair and external verdict, as text. */
  function everything(options: ClusterOptions): string[] {
    const analysis = analyze(clusterOf(CNI_CLUSTER, options));
    const out: string[] = [];
    for (const s of analysis.workloads) {
      for (const d of analysis.workloads) {
        if (s !== d)
          out.push(`${s.id} => ${d.id}: ${formatConnectionSet(analysis.between(s.index, d.index))}`);
      }
    }
    return [...out, ...connectionLines(analysis).filter((l) => l.includes('[External]'))];
  }

  it('upstream: pod IPs inside an ipBlock are admitted', () => {
    const analysis = analyze(clusterOf(CNI_CLUSTER));
    expect(betweenIds(analysis, 'lab/b[Pod]', 'lab/a[Pod]')).toBe('All Connections');
    expect(betweenIds(analysis, 'lab/c[Pod]', 'lab/a[Pod]')).toBe('No Connections');
    expect(betweenIds(analysis, 'lab/a[Pod]', 'lab/c[Pod]')).toBe('SCTP 9');
  });

  it.each<ClusterOptions['cni']>(['calico', 'antrea'])('%s behaves as upstream', (cni) => {
    expect(everything({ cni })).toEqual(everything({}));
  });

  it('cilium: ipBlocks do not match pod IPs (addresses still do)', () => {
    const analysis = analyze(clusterOf(CNI_CLUSTER, { cni: 'cilium' }));
    expect(betweenIds(analysis, 'lab/b[Pod]', 'lab/a[Pod]')).toBe('No Connections');
    expect(analysis.ingressExternals.map((e) => e.id)).toContain('10.0.0.0-10.0.0.255[External]');
    const inside = analysis.ingressExternals.findIndex((e) => e.id.startsWith('10.0.0.0-'));
    expect(formatConnectionSet(analysis.fromExternal(inside, indexOf(analysis.cluster, 'lab/a[Pod]')))).toBe(
      'All Connections',
    );
  });

  it('compat netpol-analyzer: ipBlocks do not match pod IPs', () => {
    const analysis = analyze(clusterOf(CNI_CLUSTER, { compat: 'netpol-analyzer' }));
    expect(betweenIds(analysis, 'lab/b[Pod]', 'lab/a[Pod]')).toBe('No Connections');
  });

  it.each<ClusterOptions['cni']>(['flannel', 'kubenet'])('%s enforces nothing', (cni) => {
    const analysis = analyze(clusterOf(CNI_CLUSTER, { cni }));
    expect(analysis.cluster.policies).toHaveLength(1);
    const lines = everything({ cni });
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/: All Connections$/);
  });
});

const LIFECYCLE = `
apiVersion: v1
kind: Pod
metadata: {name: running, namespace: lab}
spec: {containers: [{name: c, image: c}]}
status: {phase: Running, podIP: 10.0.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: done, namespace: lab}
spec: {containers: [{name: c, image: c}]}
status: {phase: Succeeded, podIP: 10.0.0.2}
---
apiVersion: v1
kind: Pod
metadata: {name: crashed, namespace: lab}
spec: {containers: [{name: c, image: c}]}
status: {phase: Failed}
---
apiVersion: v1
kind: Pod
metadata: {name: no-status, namespace: lab}
spec: {containers: [{name: c, image: c}]}
---
apiVersion: v1
kind: Pod
metadata: {name: job-x1, namespace: lab, ownerReferences: [{apiVersion: batch/v1, kind: Job, name: job-x, uid: j, controller: true}]}
spec: {containers: [{name: c, image: c}]}
status: {phase: Succeeded}
---
apiVersion: v1
kind: Pod
metadata: {name: job-x2, namespace: lab, ownerReferences: [{apiVersion: batch/v1, kind: Job, name: job-x, uid: j, controller: true}]}
spec: {containers: [{name: c, image: c}]}
status: {phase: Running, podIP: 10.0.0.5}
`;

describe('finished pods', () => {
  it('Succeeded and Failed pods are not peers by default', () => {
    const cluster = clusterOf(LIFECYCLE);
    expect(cluster.workloads.map((w) => w.id)).toEqual([
      'lab/job-x[Job]',
      'lab/no-status[Pod]',
      'lab/running[Pod]',
    ]);
    expect(cluster.workloads[0]!.pods.map((p) => p.name)).toEqual(['job-x2']);
  });

  it('compat netpol-analyzer keeps them', () => {
    const cluster = clusterOf(LIFECYCLE, { compat: 'netpol-analyzer' });
    expect(cluster.workloads.map((w) => w.id)).toEqual([
      'lab/crashed[Pod]',
      'lab/done[Pod]',
      'lab/job-x[Job]',
      'lab/no-status[Pod]',
      'lab/running[Pod]',
    ]);
    expect(cluster.workloads.find((w) => w.id === 'lab/job-x[Job]')!.pods).toHaveLength(2);
  });
});

// ------------------------------------------------------------------------------------------------
// Differential test: the evaluator (selector bitsets, equivalence classes, caches) against a naive
// per-pair evaluation written straight from the NetworkPolicy semantics, on seeded random clusters.
// ------------------------------------------------------------------------------------------------

// --- The naive reference ----------------------------------------------------------------------

interface NaivePeer {
  id: string;
  namespace: string;
  labels: Labels;
  ports: readonly GenPort[];
  /** Known pod addresses. */
  ips: readonly number[];
}

/** An address as a source or destination (outside any pod). */
type Endpoint = { peer: NaivePeer } | { address: number };

function naiveMatches(selector: GenSelector, labels: Labels): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    const value = labels[e.key];
    const listed = has && (e.values ?? []).includes(value!);
    if (e.operator === 'In' && !listed) return false;
    if (e.operator === 'NotIn' && listed) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

function inCidr(address: number, cidr: string): boolean {
  const [base, prefixText] = cidr.split('/');
  const size = 2 ** (32 - Number(prefixText));
  return Math.floor(address / size) === Math.floor(ipToInt(base!) / size);
}

function inBlock(address: number, block: NonNullable<GenPeer['ipBlock']>): boolean {
  return inCidr(address, block.cidr) && !(block.except ?? []).some((e) => inCidr(address, e));
}

class NaiveEvaluator {
  readonly peers: NaivePeer[];
  private readonly nsLabels = new Map<string, Labels>();
  private readonly enforced: boolean;
  private readonly podIpsMatch: boolean;

  constructor(private readonly model: GenCluster) {
    const { options } = model;
    this.enforced = options.cni !== 'flannel' && options.cni !== 'kubenet';
    this.podIpsMatch = options.compat !== 'netpol-analyzer' && options.cni !== 'cilium';
    for (const ns of model.namespaces) {
      this.nsLabels.set(ns.name, { ...ns.labels, 'kubernetes.io/metadata.name': ns.name });
    }
    const byId = new Map<string, NaivePeer>();
    const add = (
      id: string,
      namespace: string,
      labels: Labels,
      ports: readonly GenPort[],
      ip: string | undefined,
    ) => {
      const existing = byId.get(id);
      const ips = ip ? [ipToInt(ip)] : [];
      if (existing) existing.ips = [...existing.ips, ...ips];
      else byId.set(id, { id, namespace, labels, ports, ips });
    };
    const podGranularity = options.granularity === 'pod';
    for (const pod of model.pods) {
      const finished = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
      if (finished && options.compat !== 'netpol-analyzer') continue;
      const ns = pod.namespace ?? 'default';
      const id = pod.owner && !podGranularity ? `${ns}/${pod.owner}[ReplicaSet]` : `${ns}/${pod.name}[Pod]`;
      add(id, ns, pod.labels, pod.ports, pod.status?.ip);
    }
    if (!podGranularity) {
      for (const w of model.workloads) {
        const ns = w.namespace ?? 'default';
        add(`${ns}/${w.name}[${w.kind}]`, ns, w.labels, w.ports, undefined);
      }
    }
    this.peers = [...byId.values()];
  }

  private namespaceLabels(name: string): Labels {
    return this.nsLabels.get(name) ?? { 'kubernetes.io/metadata.name': name };
  }

  private types(policy: GenPolicy): Array<'Ingress' | 'Egress'> {
    if (policy.policyTypes && policy.policyTypes.length > 0) return policy.policyTypes;
    return (policy.egress?.length ?? 0) > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  }

  private peerAdmits(peer: GenPeer, policyNamespace: string, target: Endpoint): boolean {
    if (peer.ipBlock) {
      const block = peer.ipBlock;
      if ('address' in target) return inBlock(target.address, block);
      const { ips } = target.peer;
      return this.podIpsMatch && ips.length > 0 && ips.every((a) => inBlock(a, block));
    }
    if ('address' in target) return false;
    const { peer: t } = target;
    const nsOk = peer.namespaceSelector
      ? naiveMatches(peer.namespaceSelector, this.namespaceLabels(t.namespace))
      : t.namespace === policyNamespace;
    return nsOk && (!peer.podSelector || naiveMatches(peer.podSelector, t.labels));
  }

  private portAdmits(
    ports: GenPolicyPort[] | undefined,
    dst: Endpoint,
    protocol: Protocol,
    port: number,
  ): boolean {
    if (!ports || ports.length === 0) return true;
    return ports.some((p) => {
      if ((p.protocol ?? 'TCP') !== protocol) return false;
      if (p.port === undefined) return true;
      if (typeof p.port === 'number') return port >= p.port && port <= (p.endPort ?? p.port);
      if ('address' in dst) return false;
      return dst.peer.ports.some(
        (cp) => cp.name === p.port && cp.protocol === protocol && cp.containerPort === port,
      );
    });
  }

  /** Cluster policies the CNI enforces, in evaluation order (tier, priority, then kind/name). */
  private tiered(): GenClusterPolicy[] {
    const kinds: Record<string, string[]> = {
      upstream: ['ClusterNetworkPolicy', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy'],
      calico: ['ClusterNetworkPolicy'],
      cilium: ['ClusterNetworkPolicy'],
      antrea: ['ClusterNetworkPolicy'],
      'ovn-kubernetes': ['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy'],
      flannel: [],
      kubenet: [],
    };
    const enforced = kinds[this.model.options.cni ?? 'upstream']!;
    const seen = new Set<string>();
    const id = (p: GenClusterPolicy) => `${p.kind}/${p.name}`;
    return this.model.clusterPolicies
      .filter((p) => {
        // The first of equal names counts.
        if (seen.has(id(p))) return false;
        seen.add(id(p));
        return enforced.includes(p.kind);
      })
      .sort(
        (a, b) =>
          (a.tier === b.tier ? 0 : a.tier === 'Admin' ? -1 : 1) ||
          a.priority - b.priority ||
          (id(a) < id(b) ? -1 : 1),
      );
  }

  private tierPeerAdmits(peer: GenTierPeer, target: Endpoint): boolean {
    if (peer.networks) {
      const inside = (a: number) => peer.networks!.some((c) => inCidr(a, c));
      if ('address' in target) return inside(target.address);
      const { ips } = target.peer;
      return this.podIpsMatch && ips.length > 0 && ips.every(inside);
    }
    if ('address' in target) return false;
    const { peer: t } = target;
    const selectors = peer.pods ?? { namespaceSelector: peer.namespaces!, podSelector: {} };
    return (
      naiveMatches(selectors.namespaceSelector, this.namespaceLabels(t.namespace)) &&
      naiveMatches(selectors.podSelector, t.labels)
    );
  }

  private tierPortAdmits(ports: GenTierPort[] | undefined, dst: Endpoint, protocol: Protocol, port: number) {
    if (!ports) return true;
    return ports.some((p) => {
      if (p.name !== undefined) {
        return (
          'peer' in dst &&
          dst.peer.ports.some(
            (cp) => cp.name === p.name && cp.protocol === protocol && cp.containerPort === port,
          )
        );
      }
      if (p.protocol !== protocol) return false;
      return p.port === undefined || (port >= p.port && port <= (p.end ?? p.port));
    });
  }

  /** The action of the first matching rule of a tier for `self`, or undefined when none matches. */
  private tierVerdict(
    tier: 'Admin' | 'Baseline',
    self: NaivePeer,
    direction: 'Ingress' | 'Egress',
    other: Endpoint,
    dst: Endpoint,
    protocol: Protocol,
    port: number,
  ): GenTierRule['action'] | undefined {
    for (const policy of this.tiered()) {
      if (policy.tier !== tier || !this.tierPeerAdmits(policy.subject, { peer: self })) continue;
      for (const rule of (direction === 'Ingress' ? policy.ingress : policy.egress) ?? []) {
        if (
          rule.peers.some((p) => this.tierPeerAdmits(p, other)) &&
          this.tierPortAdmits(rule.ports, dst, protocol, port)
        )
          return rule.action;
      }
    }
    return undefined;
  }

  /** Does `direction` of `self` (selected side) admit `other` on protocol/port? Tiers around NetworkPolicy. */
  private sideAdmits(
    self: NaivePeer,
    direction: 'Ingress' | 'Egress',
    other: Endpoint,
    dst: Endpoint,
    protocol: Protocol,
    port: number,
  ): boolean {
    const admin = this.tierVerdict('Admin', self, direction, other, dst, protocol, port);
    if (admin === 'Accept') return true;
    if (admin === 'Deny') return false;
    const isolated = this.model.policies.some(
      (p) =>
        (p.namespace ?? 'default') === self.namespace &&
        naiveMatches(p.podSelector, self.labels) &&
        this.types(p).includes(direction),
    );
    if (isolated) return this.networkPolicyAdmits(self, direction, other, dst, protocol, port);
    return this.tierVerdict('Baseline', self, direction, other, dst, protocol, port) !== 'Deny';
  }

  /** Does the NetworkPolicy layer of `direction` of `self` admit `other` on protocol/port? */
  private networkPolicyAdmits(
    self: NaivePeer,
    direction: 'Ingress' | 'Egress',
    other: Endpoint,
    dst: Endpoint,
    protocol: Protocol,
    port: number,
  ): boolean {
    const selecting = this.model.policies.filter(
      (p) =>
        (p.namespace ?? 'default') === self.namespace &&
        naiveMatches(p.podSelector, self.labels) &&
        this.types(p).includes(direction),
    );
    if (selecting.length === 0) return true;
    return selecting.some((policy) =>
      ((direction === 'Ingress' ? policy.ingress : policy.egress) ?? []).some(
        (rule) =>
          (!rule.peers ||
            rule.peers.length === 0 ||
            rule.peers.some((peer) => this.peerAdmits(peer, policy.namespace ?? 'default', other))) &&
          this.portAdmits(rule.ports, dst, protocol, port),
      ),
    );
  }

  allows(src: Endpoint, dst: Endpoint, protocol: Protocol, port: number): boolean {
    if (!this.enforced) return true;
    if ('peer' in src && !this.sideAdmits(src.peer, 'Egress', dst, dst, protocol, port)) return false;
    if ('peer' in dst && !this.sideAdmits(dst.peer, 'Ingress', src, dst, protocol, port)) return false;
    return true;
  }

  /** Port values where the naive answer may change: every range start and end + 1. */
  breakpoints(): number[] {
    const points = new Set<number>([1]);
    const add = (p: number) => {
      if (p >= 1 && p <= 65535) points.add(p);
    };
    for (const peer of this.peers) {
      for (const cp of peer.ports) {
        add(cp.containerPort);
        add(cp.containerPort + 1);
      }
    }
    for (const policy of this.model.policies) {
      for (const rule of [...(policy.ingress ?? []), ...(policy.egress ?? [])]) {
        for (const p of rule.ports ?? []) {
          if (typeof p.port === 'number') {
            add(p.port);
            add((p.endPort ?? p.port) + 1);
          }
        }
      }
    }
    for (const policy of this.model.clusterPolicies) {
      for (const rule of [...(policy.ingress ?? []), ...(policy.egress ?? [])]) {
        for (const p of rule.ports ?? []) {
          if (p.port !== undefined) {
            add(p.port);
            add((p.end ?? p.port) + 1);
          }
        }
      }
    }
    return [...points].sort((a, b) => a - b);
  }

  /** The whole allowed set, built piece by piece between breakpoints. */
  connectionSet(src: Endpoint, dst: Endpoint, breakpoints: readonly number[]): ConnectionSet {
    const out: Record<Protocol, number[]> = { TCP: [], UDP: [], SCTP: [] };
    for (const protocol of PROTOCOLS) {
      const ranges = out[protocol];
      breakpoints.forEach((from, i) => {
        const to = i + 1 < breakpoints.length ? breakpoints[i + 1]! - 1 : 65535;
        if (!this.allows(src, dst, protocol, from)) return;
        if (ranges.length > 0 && ranges[ranges.length - 1] === from - 1) ranges[ranges.length - 1] = to;
        else ranges.push(from, to);
      });
    }
    return out;
  }

  /** Every address where an ipBlock of `direction` rules starts or ends (the naive cut points). */
  cutPoints(direction: 'Ingress' | 'Egress'): Set<number> {
    const points = new Set<number>([0]);
    const add = (cidr: string) => {
      const [base, prefixText] = cidr.split('/');
      const size = 2 ** (32 - Number(prefixText));
      const start = Math.floor(ipToInt(base!) / size) * size;
      points.add(start);
      if (start + size <= 0xffffffff) points.add(start + size);
    };
    for (const policy of this.model.policies) {
      if (!this.types(policy).includes(direction)) continue;
      for (const rule of (direction === 'Ingress' ? policy.ingress : policy.egress) ?? []) {
        for (const peer of rule.peers ?? []) {
          if (peer.ipBlock) for (const c of [peer.ipBlock.cidr, ...(peer.ipBlock.except ?? [])]) add(c);
        }
      }
    }
    if (direction === 'Egress') {
      for (const policy of this.tiered()) {
        for (const rule of policy.egress ?? [])
          for (const peer of rule.peers) for (const c of peer.networks ?? []) add(c);
      }
    }
    return points;
  }
}

function isCanonical(ranges: readonly number[]): boolean {
  for (let i = 0; i < ranges.length; i += 2) {
    if (ranges[i]! > ranges[i + 1]! || ranges[i]! < 1 || ranges[i + 1]! > 65535) return false;
    if (i > 0 && ranges[i]! <= ranges[i - 1]! + 1) return false;
  }
  return ranges.length % 2 === 0;
}

const SEEDS = Array.from({ length: 45 }, (_, i) => i + 1);

/** The evaluator's connections for `model` equal the naive per-pair evaluation's. */
function agreesWithNaive(model: GenCluster, seed: number): void {
  const text = toYaml(model);
  const parsed = parseManifests([{ path: `seed-${seed}.yaml`, text }], GENERATED_PARSE_OPTIONS);
  // The generator must only produce what the API server would accept.
  expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const cluster = buildCluster(parsed.objects, model.options);
  expect(cluster.policies).toHaveLength(model.policies.length);
  const analysis = analyze(cluster);
  const naive = new NaiveEvaluator(model);

  // Same peers.
  expect(cluster.workloads.map((w) => w.id).sort()).toEqual(naive.peers.map((p) => p.id).sort());
  const naiveById = new Map(naive.peers.map((p) => [p.id, p]));
  const peerOf = (index: number) => naiveById.get(cluster.workloads[index]!.id)!;
  const breakpoints = naive.breakpoints();

  // Every ordered workload pair.
  const actual: Record<string, string> = {};
  const expected: Record<string, string> = {};
  for (const s of cluster.workloads) {
    for (const d of cluster.workloads) {
      if (s === d) continue;
      const key = `${s.id} => ${d.id}`;
      const set = analysis.between(s.index, d.index);
      for (const p of PROTOCOLS) expect(isCanonical(set[p]), key).toBe(true);
      actual[key] = formatConnectionSet(set);
      expected[key] = formatConnectionSet(
        naive.connectionSet({ peer: peerOf(s.index) }, { peer: peerOf(d.index) }, breakpoints),
      );
    }
  }
  expect(actual).toEqual(expected);

  // External ranges: every address of an atom must behave alike (the naive answer at both ends
  // equals the evaluator's), and atoms are only cut where some ipBlock starts or ends.
  for (const [direction, externals] of [
    ['Ingress', analysis.ingressExternals],
    ['Egress', analysis.egressExternals],
  ] as const) {
    expect(externals[0]!.first).toBe(0);
    expect(externals[externals.length - 1]!.last).toBe(0xffffffff);
    const cuts = naive.cutPoints(direction);
    externals.forEach((e, i) => {
      if (i > 0) expect(e.first).toBe(externals[i - 1]!.last + 1);
      expect(cuts.has(e.first), `${direction} cut at ${e.id}`).toBe(true);
    });
  }
  const externalActual: Record<string, string> = {};
  const externalExpected: Record<string, string> = {};
  for (const w of cluster.workloads) {
    const peer = { peer: peerOf(w.index) };
    analysis.ingressExternals.forEach((e, i) => {
      const conn = formatConnectionSet(analysis.fromExternal(i, w.index));
      for (const address of [e.first, e.last]) {
        const key = `${intToIp(address)} => ${w.id}`;
        externalActual[key] = conn;
        externalExpected[key] = formatConnectionSet(naive.connectionSet({ address }, peer, breakpoints));
      }
    });
    analysis.egressExternals.forEach((e, i) => {
      const conn = formatConnectionSet(analysis.toExternal(w.index, i));
      for (const address of [e.first, e.last]) {
        const key = `${w.id} => ${intToIp(address)}`;
        externalActual[key] = conn;
        externalExpected[key] = formatConnectionSet(naive.connectionSet(peer, { address }, breakpoints));
      }
    });
  }
  expect(externalActual).toEqual(externalExpected);

  // connections() yields exactly the non-empty verdicts above, self pairs excluded.
  const listed = [...analysis.connections()];
  const nonEmptyPairs = Object.values(expected).filter((c) => c !== 'No Connections').length;
  const workloadPairs = listed.filter((c) => c.src.type === 'workload' && c.dst.type === 'workload');
  expect(workloadPairs).toHaveLength(nonEmptyPairs);
  for (const c of listed) expect(isEmptyConnections(c.conn)).toBe(false);
  // ...in the documented order, each with the set the per-pair queries give.
  expect(listed.map((c) => `${c.src.id}>${c.dst.id}=${connectionKey(c.conn)}`)).toEqual(enumerated(analysis));

  // A fresh analysis queried in another order (caches filled differently) agrees.
  const again = analyze(cluster);
  const n = cluster.workloads.length;
  for (let k = n * n - 1; k >= 0; k--) {
    const s = (k * 7) % n;
    const d = Math.floor(k / n);
    expect(connectionKey(again.between(s, d))).toBe(connectionKey(analysis.between(s, d)));
  }
}

/** Every non-empty connection, from the per-pair queries, in the order connections() documents. */
function enumerated(analysis: Analysis): string[] {
  const out: string[] = [];
  const { workloads, ingressExternals, egressExternals, domainExternals } = analysis;
  const add = (src: { id: string }, dst: { id: string }, conn: ConnectionSet) => {
    if (!isEmptyConnections(conn)) out.push(`${src.id}>${dst.id}=${connectionKey(conn)}`);
  };
  for (const s of workloads)
    for (const d of workloads) if (s !== d) add(s, d, analysis.between(s.index, d.index));
  for (let e = 0; e < ingressExternals.length; e++)
    for (const d of workloads) add(ingressExternals[e]!, d, analysis.fromExternal(e, d.index));
  for (const s of workloads)
    for (let e = 0; e < egressExternals.length; e++)
      add(s, egressExternals[e]!, analysis.toExternal(s.index, e));
  for (const s of workloads)
    for (let e = 0; e < domainExternals.length; e++)
      add(s, domainExternals[e]!, analysis.toDomain(s.index, e));
  return out;
}

describe('equivalence classes agree with a naive per-pair evaluation', () => {
  it.each(SEEDS)('random cluster, seed %i', (seed) => {
    agreesWithNaive(randomCluster(seed), seed);
  });

  it.each(SEEDS)('random cluster with cluster-wide policies, seed %i', (seed) => {
    agreesWithNaive(randomCluster(seed, { clusterPolicies: true }), seed);
  });

  it('the random clusters exercise what they are meant to', () => {
    let pairs = 0;
    let allowed = 0;
    let partial = 0;
    let namedPortPolicies = 0;
    let ipBlockPodMatches = 0;
    let collapsed = 0;
    let finished = 0;
    for (const seed of SEEDS) {
      const model = randomCluster(seed);
      const cluster = buildCluster(
        parseManifests([{ path: 's.yaml', text: toYaml(model) }], GENERATED_PARSE_OPTIONS).objects,
        model.options,
      );
      const analysis = analyze(cluster);
      for (const s of cluster.workloads) {
        for (const d of cluster.workloads) {
          if (s === d) continue;
          pairs++;
          const set = analysis.between(s.index, d.index);
          if (!isEmptyConnections(set)) allowed++;
          if (!isEmptyConnections(set) && !isAllConnections(set)) partial++;
        }
      }
      if (cluster.usesNamedPorts) namedPortPolicies++;
      if (
        cluster.policies.some((p) =>
          [...p.ingress, ...p.egress].some((r) =>
            r.peers?.some((x) => x.kind === 'ipBlock' && x.members.includes(1)),
          ),
        )
      )
        ipBlockPodMatches++;
      if (cluster.workloads.some((w) => w.kind === 'ReplicaSet' && w.pods.length > 1)) collapsed++;
      if (model.pods.some((p) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed')) finished++;
    }
    // Guards against a generator that silently degenerates (all open, or all closed).
    expect(pairs).toBeGreaterThan(1000);
    expect(allowed / pairs).toBeGreaterThan(0.1);
    expect(allowed / pairs).toBeLessThan(0.95);
    expect(partial).toBeGreaterThan(50);
    expect(namedPortPolicies).toBeGreaterThan(10);
    expect(ipBlockPodMatches).toBeGreaterThan(3);
    expect(collapsed).toBeGreaterThan(3);
    expect(finished).toBeGreaterThan(10);
  });
});

describe('owner chains (Deployment -> ReplicaSet -> Pod)', () => {
  const live = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  template: { metadata: { labels: { app: web } }, spec: { containers: [{ name: c }] } }
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-7d9f
  namespace: shop
  ownerReferences: [{ apiVersion: apps/v1, kind: Deployment, name: web, uid: d1, controller: true }]
spec:
  template: { metadata: { labels: { app: web, pod-template-hash: 7d9f } }, spec: { containers: [{ name: c }] } }
---
apiVersion: v1
kind: Pod
metadata:
  name: web-7d9f-abcde
  namespace: shop
  labels: { app: web, pod-template-hash: 7d9f }
  ownerReferences: [{ apiVersion: apps/v1, kind: ReplicaSet, name: web-7d9f, uid: r1, controller: true }]
spec: { containers: [{ name: c }] }
status: { phase: Running, podIP: 10.0.0.7 }
`;

  it('shows a live Deployment once, with its ReplicaSet and pods folded in', () => {
    const { objects } = parseManifests([{ path: 'live.yaml', text: live }]);
    const cluster = buildCluster(objects);
    expect(cluster.workloads.map((w) => w.id)).toEqual(['shop/web[Deployment]']);
    expect(cluster.workloads[0]!.pods.map((p) => p.name)).toEqual(['web', 'web-7d9f', 'web-7d9f-abcde']);
  });

  it('keeps netpol-analyzer naming (the direct owner) in compat mode', () => {
    const { objects } = parseManifests([{ path: 'live.yaml', text: live }]);
    const cluster = buildCluster(objects, { compat: 'netpol-analyzer' });
    expect(cluster.workloads.map((w) => w.id)).toEqual(['shop/web-7d9f[ReplicaSet]', 'shop/web[Deployment]']);
  });
});
