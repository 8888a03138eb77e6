// Models to check the connections table's and the matrix's column paths against the edge-object
// reference: the bundled samples, a seeded synthetic cluster, and a hand-made model whose names
// sort differently as text and as people read them, with repeated pairs and a self-loop.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateCluster } from '../../../../bench/synthetic.ts';
import { policy } from '../connections/connectionRows.test-helper.ts';
import { type GraphFilters, NO_FILTERS } from '../graph/index.ts';
import { nodeId } from '../model/ids.test-helper.ts';
import { externalNode, type GraphEdge, type GraphModel, type GraphNode } from '../model/index.ts';
import { compileWorkspace } from './compileWorkspace.ts';

const PUBLIC = fileURLToPath(new URL('../../../../public/', import.meta.url));

function filesIn(dir: string) {
  return readdirSync(`${PUBLIC}${dir}`)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => ({
      id: name,
      path: `${dir}/${name}`,
      text: readFileSync(`${PUBLIC}${dir}/${name}`, 'utf8'),
    }));
}

/** A small deterministic generator (the tests must not depend on chance). */
function lcg(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state % n;
  };
}

/** Names that sort differently as text and as people read them: case, and numbers inside. */
const TRICKY = ['Shop/api-2', 'shop/api-10', 'shop/API-1', 'data/db-0', 'data/db-00', 'web/x9', 'web/x10'];
const LABELS: [string, GraphEdge['ports']][] = [
  ['TCP 80', { TCP: [80, 80], UDP: [], SCTP: [] }],
  ['TCP 8080', { TCP: [8080, 8080], UDP: [], SCTP: [] }],
  ['All Connections', { TCP: [0, 65535], UDP: [0, 65535], SCTP: [0, 65535] }],
  ['UDP 53,TCP 53', { TCP: [53, 53], UDP: [53, 53], SCTP: [] }],
];

/** A model built by hand, not by the worker: its edges are objects, with repeated pairs. */
function trickyModel(seed: number): GraphModel {
  const workloads: GraphNode[] = TRICKY.map((w, i) => {
    const [namespace = '', name = ''] = w.split('/');
    return {
      ...externalNode(nodeId(`${w}[Deployment]`), name),
      type: 'workload',
      kind: 'Deployment',
      namespace,
      labels: { app: name, tier: i % 2 === 0 ? 'front' : 'back' },
    };
  });
  const nodes = [...workloads, externalNode(nodeId('10.0.0.0-10.255.255.255[External]'), '10.0.0.0/8')];
  const random = lcg(seed);
  const edges: GraphEdge[] = [];
  for (let i = 0; i < 150; i++) {
    const source = nodes[random(nodes.length - 1)]!.id;
    // A self-loop now and then: the matrix never counts it, but lists it.
    const target = i % 37 === 0 ? source : nodes[random(nodes.length)]!.id;
    const [label, ports] = LABELS[random(LABELS.length)]!;
    edges.push({
      id: `${source}->${target}`,
      source,
      target,
      label,
      all: label === 'All Connections',
      ports,
    });
  }
  const ids = workloads.map((w) => w.id);
  const policies = [
    policy('shop/deny-all', ['Ingress', 'Egress'], ids.slice(0, 3)),
    policy('shop/api-in', ['Ingress'], ids.slice(1, 3)),
    policy('data/DB-in', ['Ingress'], ids.slice(3, 5)),
    policy('web/out-10', ['Egress'], ids.slice(5)),
  ];
  return { nodes, edges, namespaces: [], policies };
}

/** Models of every shape the views meet: from the worker (with an edge table) and built by hand. */
export const MODELS: [string, GraphModel][] = [
  ['demo', compileWorkspace(filesIn('demo')).model],
  ...['cluster-tiers', 'fifty-workloads', 'onlineboutique', 'ipblock-egress', 'named-ports'].map(
    (name): [string, GraphModel] => [name, compileWorkspace(filesIn(`samples/${name}`)).model],
  ),
  [
    'synthetic',
    compileWorkspace(
      generateCluster({ workloads: 120, namespaces: 9, policies: 60, podsPerWorkload: 1, seed: 7 }).map(
        (f) => ({
          id: f.path,
          path: f.path,
          text: f.text,
        }),
      ),
    ).model,
  ],
  ['tricky 1', trickyModel(1)],
  ['tricky 2', trickyModel(2)],
];

/** The graph's filters worth checking on `model`: each kind alone, and a few together. */
export function filterCases(model: GraphModel): [string, GraphFilters][] {
  const namespaces = [...new Set(model.nodes.flatMap((n) => n.namespace ?? []))].sort();
  const workload = model.nodes.find((n) => n.type === 'workload')?.id;
  const external = model.nodes.find((n) => n.type === 'external')?.id;
  const cases: [string, Partial<GraphFilters>][] = [
    ['no filters', {}],
    ['hidden namespaces', { hiddenNamespaces: namespaces.filter((_, i) => i % 2 === 0) }],
    ['a protocol', { protocol: 'UDP' }],
    ['a protocol and port', { protocol: 'TCP', port: 8080 }],
    ['any protocol on a port', { port: 53 }],
    ['no external ranges', { showExternal: false }],
    ['a label selector', { label: 'app in (frontend, cart, web, api-10), !canary' }],
    ['a selector that does not parse', { label: 'app in (' }],
    ['a selector and a protocol', { label: 'tier', protocol: 'TCP' }],
    ['focus on a workload', { focus: workload }],
    ['focus on a range', { focus: external }],
    ['focus and a selector', { focus: workload, label: 'app' }],
    ['focus on a node not there', { focus: 'nowhere/ghost[Pod]' }],
  ];
  return cases.map(([name, partial]) => [name, { ...NO_FILTERS, ...partial }]);
}
