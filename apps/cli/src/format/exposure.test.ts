import {
  ALL_CONNECTIONS,
  type ConnectionSet,
  type ExposureReport,
  NO_CONNECTIONS,
  portRangeConnections,
  representativePeer,
  type WorkloadExposure,
  type WorkloadPeer,
} from '@netpol-atlas/evaluator';
import { describe, expect, it } from 'vitest';
import { buildExposureView, type ExposureView, exposureTxt, renderListWithExposure } from './exposure.ts';
import type { ListFormat } from './list.ts';
import type { ListReport } from './types.ts';

/** The list with its exposure section as one text: its pieces joined. */
function formatListWithExposure(list: ListReport, view: ExposureView, format: ListFormat): string {
  return [...renderListWithExposure(list, view, format)].join('');
}

function workload(namespace: string, name: string): WorkloadPeer {
  return {
    type: 'workload',
    index: 0,
    id: `${namespace}/${name}[Deployment]`,
    namespace,
    name,
    kind: 'Deployment',
    labels: {},
    ports: [],
    pods: [],
    ipv4: [],
    hostNetwork: false,
  };
}

const ALL_IPS = '0.0.0.0-255.255.255.255[External]';
const tcp = (port: number): ConnectionSet => portRangeConnections('TCP', port, port);
const nsRep = representativePeer(
  {
    matchLabels: undefined,
    matchExpressions: [{ key: 'foo.com/managed-state', operator: 'In', values: ['managed'] }],
  },
  undefined,
  '',
);

const a = workload('hello-world', 'workload-a');
const longer = workload('hello-world', 'workload-longer');
const aExposure: WorkloadExposure = {
  workload: a,
  ingress: {
    protected: true,
    entries: [
      { peer: 'entire-cluster', conn: tcp(8000) },
      { peer: nsRep, conn: { ...NO_CONNECTIONS, namedPorts: { TCP: ['http'] } } },
    ],
  },
  egress: { protected: false, entries: [] },
};
const longerExposure: WorkloadExposure = {
  workload: longer,
  ingress: { protected: true, entries: [] },
  egress: { protected: true, entries: [{ peer: 'entire-cluster', conn: ALL_CONNECTIONS }] },
};
const report: ExposureReport = { representatives: [nsRep], workloads: [longerExposure, aExposure] };
const list: ListReport = {
  lines: [{ src: a.id, dst: ALL_IPS, conn: 'All Connections' }],
  peers: [
    { id: a.id, kind: 'workload', namespace: a.namespace, name: 'workload-a[Deployment]' },
    { id: longer.id, kind: 'workload', namespace: longer.namespace, name: 'workload-longer[Deployment]' },
  ],
};
const view = buildExposureView(report, list);

describe('buildExposureView', () => {
  it('repeats IP lines of the list, sorts egress by src and ingress by workload', () => {
    expect(view.egress.map((l) => `${l.src} ${l.dst}`)).toEqual([
      `${a.id} ${ALL_IPS}`,
      `${a.id} entire-cluster`,
      `${longer.id} entire-cluster`,
    ]);
    expect(view.ingress.map((l) => `${l.dst} ${l.src} ${l.conn}`)).toEqual([
      `${a.id} [namespace with {{Key:foo.com/managed-state,Operator:In,Values:[managed],}}]/[all pods] TCP http`,
      `${a.id} entire-cluster TCP 8000`,
    ]);
    expect(view.unprotected).toEqual([`${a.id} is not protected on Egress`]);
    expect(view.width).toBe(longer.id.length);
  });
});

describe('formatListWithExposure', () => {
  it('pads workloads to the longest listed one in txt', () => {
    const text = exposureTxt(view);
    expect(text).toContain(`${a.id}      \t=> \tentire-cluster : All Connections\n`);
    expect(text).toContain(`${longer.id} \t=> \tentire-cluster : All Connections\n`);
    expect(text).toContain(`\nIngress Exposure:\n${a.id}      \t<= \t[namespace with`);
    expect(
      text.endsWith(`Workloads not protected by network policies:\n${a.id} is not protected on Egress\n`),
    ).toBe(true);
  });

  it('prints an empty exposure side as null in json, an empty list as []', () => {
    const empty = buildExposureView({ representatives: [], workloads: [] }, { lines: [], peers: [] });
    expect(formatListWithExposure({ lines: [], peers: [] }, empty, 'json')).toBe(
      '{\n  "connlist_results": [],\n  "exposure_results": {\n    "egress_exposure": null,\n    "ingress_exposure": null\n  }\n}',
    );
  });

  it('writes the ingress csv table workload first, quoting commas', () => {
    const csv = formatListWithExposure(list, view, 'csv');
    expect(csv).toContain('Exposure Analysis Result:,,\nEgress Exposure:,,\nsrc,dst,conn\n');
    expect(csv).toContain(
      `Ingress Exposure:,,\ndst,src,conn\n${a.id},"[namespace with {{Key:foo.com/managed-state,Operator:In,Values:[managed],}}]/[all pods]",TCP http\n`,
    );
  });

  it('draws representatives in red subgraphs (ids with _ for -) and dashed exposure edges', () => {
    const dot = formatListWithExposure(list, view, 'dot');
    const rep = 'all pods_in_namespace with {{Key:foo.com/managed-state,Operator:In,Values:[managed],}}';
    expect(dot).toContain(
      '\tsubgraph "cluster_namespace with {{Key:foo.com/managed_state,Operator:In,Values:[managed],}}[namespace]" {\n\t\tcolor="red2"',
    );
    expect(dot).toContain(`\t\t"${rep}" [label="all pods" color="red2" fontcolor="red2"]`);
    expect(dot).toContain(
      '\t"entire-cluster" [label="entire-cluster" color="red2" fontcolor="red2" shape=diamond]',
    );
    expect(dot).toContain(
      `\t"${rep}" -> "${a.id}" [label="TCP http" color="darkorange2" fontcolor="darkgreen" weight=1 style=dashed]`,
    );
    expect(dot).toContain(
      `\t"${a.id}" -> "entire-cluster" [label="All Connections" color="darkorange4" fontcolor="darkgreen" weight=0.5 style=dashed]`,
    );
    // The IP line of the exposure section is the list's edge, not a second one.
    expect(dot.split('\n').filter((l) => l.includes(` -> "${ALL_IPS}"`))).toHaveLength(1);
  });

  it('separates the md sections with a blank line only when both exist', () => {
    const md = formatListWithExposure(list, view, 'md');
    expect(md).toContain(' |\n\n### Ingress Exposure:\n| dst | src | conn |\n');
    const ingressOnly = buildExposureView(
      { representatives: [], workloads: [{ ...aExposure, egress: { protected: true, entries: [] } }] },
      { lines: [], peers: [] },
    );
    expect(formatListWithExposure({ lines: [], peers: [] }, ingressOnly, 'md')).toContain(
      '## Exposure Analysis Result:\n### Ingress Exposure:\n',
    );
  });
});
