import {
  type Analysis,
  type Cluster,
  type ClusterNetworks,
  type ClusterOptions,
  type CompiledPolicy,
  type ConnectionSet,
  type ExternalPeer,
  type Finding,
  formatConnectionSet,
  formatIPv4,
  isAllConnections,
  type Peer,
  type SideExplanation,
  type Target,
  type WhatIf,
} from '@netpol-atlas/evaluator';
import type { Diagnostic, ParseResult } from '@netpol-atlas/manifests';
import { type Validation, Workspace, type WorkspaceOptions } from '@netpol-atlas/workspace';
import type {
  DocumentFile,
  ExplainResult,
  ExplainSide,
  FindingView,
  GraphEdge,
  GraphModel,
  GraphNode,
  Problem,
  Protocol,
  WhatIfView,
} from '../model/index.ts';
import { toSourceRef } from './sourceRef.ts';
import {
  adminDenialsView,
  clusterPolicySummary,
  edgeTiers,
  externalPeerNode,
  nodeNamesByAddress,
  tierChainView,
} from './tierViews.ts';

type NodeNames = ReturnType<typeof nodeNamesByAddress>;

/**
 * The view of one revision of a compiled {@link Workspace}: the graph model and the problems list,
 * mapped from the workspace's answers. Kept by the worker so that the next revision's edges are
 * patched from these, and so queries go to the same workspace.
 */
export interface CompiledWorkspace {
  /** The workspace the view maps; it may have moved on to a later revision since. */
  workspace: Workspace;
  /** The revision this view is of. */
  revision: number;
  parsed: ParseResult;
  cluster: Cluster;
  analysis: Analysis;
  model: GraphModel;
  problems: Problem[];
  /** The model's edges by id, so the next compile can patch them. */
  edges: ReadonlyMap<string, GraphEdge>;
  /** The workload ids each compiled policy admits: an edit keeps the policies it did not change. */
  admitted: WeakMap<CompiledPolicy, readonly string[]>;
}

/**
 * The options the app compiles with: every object is shown (invalid policies are still left out
 * by the evaluator), and one earlier revision is kept, the one the graph shows, to patch from.
 */
export const APP_WORKSPACE_OPTIONS = { admission: 'all', history: 1 } as const satisfies WorkspaceOptions;

function sameClusterOptions(a: ClusterOptions, b: ClusterOptions): boolean {
  return (
    a.compat === b.compat &&
    (a.cni ?? 'upstream') === (b.cni ?? 'upstream') &&
    a.granularity === b.granularity
  );
}

/**
 * Puts the documents into a workspace, under `options`, and maps the result: only the edited
 * files are parsed again, and with a previous view the graph's edges are patched from the
 * connections that changed since its revision. `previous` is the last view (its workspace is
 * used), or the workspace to compile into the first time (the worker's one); without it a new
 * workspace is made.
 */
export function compileWorkspace(
  files: readonly DocumentFile[],
  options: ClusterOptions = {},
  into?: CompiledWorkspace | Workspace,
): CompiledWorkspace {
  const previous = into instanceof Workspace ? undefined : into;
  const workspace =
    into instanceof Workspace
      ? into
      : (previous?.workspace ?? new Workspace([], { ...APP_WORKSPACE_OPTIONS, cluster: options }));
  if (!sameClusterOptions(workspace.options.cluster ?? {}, options)) {
    workspace.configure({ ...workspace.options, cluster: options });
  }
  workspace.setFiles(files.map((f) => ({ path: f.path, text: f.text })));
  return viewOf(workspace, previous);
}

function toProblem(d: Diagnostic, fatal: boolean): Problem {
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    file: d.file,
    field: d.field,
    source: toSourceRef(d.file, d.range),
    fatal,
  };
}

/** `a.b.c.d/n` when the range is exactly one CIDR block, else `first-last`. */
export function rangeLabel(first: number, last: number): string {
  const size = last - first + 1;
  const prefix = 32 - Math.log2(size);
  if (Number.isInteger(prefix) && first % size === 0) return `${formatIPv4(first)}/${prefix}`;
  return `${formatIPv4(first)}-${formatIPv4(last)}`;
}

function peerNode(cluster: Cluster, peer: Peer, nodeNames: NodeNames): GraphNode {
  if (peer.type === 'external') return externalPeerNode(peer, nodeNames, rangeLabel);
  const first = peer.pods[0];
  return {
    id: peer.id,
    type: 'workload',
    label: peer.name,
    kind: peer.kind,
    namespace: peer.namespace,
    labels: { ...peer.labels },
    ports: peer.ports.map((p) => ({ name: p.name, port: p.containerPort, protocol: p.protocol })),
    ingressIsolated: cluster.ingressPolicies[peer.index]!.length > 0,
    egressIsolated: cluster.egressPolicies[peer.index]!.length > 0,
    pods: peer.pods.length,
    source: first ? toSourceRef(first.source.file, first.source.range) : undefined,
    ...(cluster.clusterPolicies.length > 0
      ? {
          clusterTiers: {
            ingress: hasTierRules(cluster.ingressTiers[peer.index]!),
            egress: hasTierRules(cluster.egressTiers[peer.index]!),
          },
        }
      : {}),
  };
}

function hasTierRules(side: Cluster['ingressTiers'][number]): boolean {
  return side.admin.length > 0 || side.baseline.length > 0;
}

function edgeOf(src: Peer, dst: Peer, conn: ConnectionSet): GraphEdge {
  return {
    id: `${src.id}->${dst.id}`,
    source: src.id,
    target: dst.id,
    label: formatConnectionSet(conn),
    all: isAllConnections(conn),
    ports: { TCP: [...conn.TCP], UDP: [...conn.UDP], SCTP: [...conn.SCTP] } satisfies Record<
      Protocol,
      number[]
    >,
  };
}

/**
 * Up to this many edges, each carries the tier that decided it (the graph draws at most 1500 at
 * once); beyond, attributing every edge would cost seconds per edit, so the details panel asks
 * for the one selected (edgeTiersInWorkspace).
 */
const MAX_ATTRIBUTED_EDGES = 1500;

/** An edge's connections back as a ConnectionSet (its ports are the set's intervals). */
function connectionOf(edge: GraphEdge): ConnectionSet {
  return { TCP: edge.ports.TCP, UDP: edge.ports.UDP, SCTP: edge.ports.SCTP };
}

/**
 * Maps the workspace's current revision to the graph model and the problems list. Bad documents
 * become problems; the rest is still analysed, so one broken file never takes the picture down.
 * Invalid policies are left out of the analysis (the API server would refuse them) and reported
 * as fatal problems. With `previous` (a view of an earlier revision still in the workspace's
 * history), only the connections that changed since are mapped again.
 */
export function viewOf(workspace: Workspace, previous?: CompiledWorkspace): CompiledWorkspace {
  const { result: parsed } = workspace.parsed();
  const { cluster } = workspace.cluster();
  const { analysis, revision } = workspace.connections();
  const delta =
    previous && previous.workspace === workspace ? workspace.connectionsSince(previous.revision) : undefined;
  let edges: Map<string, GraphEdge>;
  if (previous && delta) {
    edges = new Map(previous.edges);
    for (const { src, dst } of delta.removed) edges.delete(`${src.id}->${dst.id}`);
    for (const { src, dst, conn } of delta.upserted)
      edges.set(`${src.id}->${dst.id}`, edgeOf(src, dst, conn));
  } else {
    edges = new Map();
    for (const { src, dst, conn } of analysis.connections())
      edges.set(`${src.id}->${dst.id}`, edgeOf(src, dst, conn));
  }
  const admittedByPolicy = previous?.admitted ?? new WeakMap<CompiledPolicy, readonly string[]>();
  const nodeNames = nodeNamesByAddress(parsed.objects);
  const nodes = new Map<string, GraphNode>();
  for (const w of cluster.workloads) nodes.set(w.id, peerNode(cluster, w, nodeNames));
  // Address ranges and domain names are nodes when some connection involves them.
  const externals = new Map<string, ExternalPeer>(
    [...analysis.ingressExternals, ...analysis.egressExternals, ...analysis.domainExternals].map((e) => [
      e.id,
      e,
    ]),
  );
  for (const edge of edges.values()) {
    for (const id of [edge.source, edge.target]) {
      const external = nodes.has(id) ? undefined : externals.get(id);
      if (external) nodes.set(id, peerNode(cluster, external, nodeNames));
    }
  }
  const attributed = cluster.clusterPolicies.length > 0 && edges.size <= MAX_ATTRIBUTED_EDGES;
  if (attributed || previous?.model.edges.some((e) => e.tiers !== undefined)) {
    // Which tier decided an edge can change while its connections do not (an Admin Accept added
    // over a NetworkPolicy rule): with cluster policies, every edge is attributed again.
    const workloadsById = new Map(cluster.workloads.map((w) => [w.id, w]));
    const peer = (id: string): Peer => workloadsById.get(id) ?? externals.get(id)!;
    for (const [id, edge] of edges) {
      const { tiers: _old, ...plain } = edge;
      const src = peer(edge.source);
      const dst = peer(edge.target);
      edges.set(
        id,
        attributed ? { ...plain, tiers: edgeTiers(cluster, src, dst, connectionOf(edge)) } : plain,
      );
    }
  }
  const nodeList = [...nodes.values()];
  const nodeIndex = new Map(nodeList.map((n, i) => [n.id, i]));
  const workloadsIn = new Map<string, number>();
  for (const w of cluster.workloads) workloadsIn.set(w.namespace, (workloadsIn.get(w.namespace) ?? 0) + 1);
  const model: GraphModel = {
    nodes: nodeList,
    edges: [...edges.values()],
    namespaces: [...cluster.namespaces.values()]
      .map((ns) => ({
        name: ns.name,
        labels: { ...ns.labels },
        declared: ns.declared,
        workloads: workloadsIn.get(ns.name) ?? 0,
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    policies: [
      ...cluster.clusterPolicies
        .filter((p) => p.tier === 'Admin')
        .map((p) => clusterPolicySummary(cluster, p, nodeIndex, [...externals.values()])),
      ...networkPolicies(),
      ...cluster.clusterPolicies
        .filter((p) => p.tier === 'Baseline')
        .map((p) => clusterPolicySummary(cluster, p, nodeIndex, [...externals.values()])),
    ],
  };
  function networkPolicies() {
    return cluster.policies.map((p) => {
      const admitted = new Set(admittedWorkloads(admittedByPolicy, cluster, p));
      for (const rule of [...p.ingress, ...p.egress]) {
        for (const peer of rule.peers ?? []) {
          if (!peer.ipv4) continue;
          for (const e of externals.values())
            if (e.type === 'external' && nodes.has(e.id) && inside(peer.ipv4, e.first, e.last))
              admitted.add(e.id);
        }
      }
      return {
        id: p.id,
        namespace: p.namespace,
        name: p.name,
        kind: 'NetworkPolicy',
        tier: 'NetworkPolicy' as const,
        priority: undefined,
        types: [
          ...(p.affectsIngress ? ['Ingress' as const] : []),
          ...(p.affectsEgress ? ['Egress' as const] : []),
        ],
        selects: p.selected.map((i) => cluster.workloads[i]!.id),
        admits: Int32Array.from(admitted, (id) => nodeIndex.get(id)!).sort(),
        source: toSourceRef(p.object.source.file, p.object.source.range),
      };
    });
  }
  return {
    workspace,
    revision,
    parsed,
    cluster,
    analysis,
    model,
    problems: problemsOf(workspace.diagnostics()),
    edges,
    admitted: admittedByPolicy,
  };
}

/** The problems list: parse then build diagnostics, fatal ones marked. */
export function problemsOf(validation: Validation): Problem[] {
  return validation.all.map((d) => toProblem(d, validation.isFatal(d)));
}

/** The workloads a policy's peers admit, by id, kept per compiled policy in `cache`. */
function admittedWorkloads(
  cache: WeakMap<CompiledPolicy, readonly string[]>,
  cluster: Cluster,
  policy: CompiledPolicy,
): readonly string[] {
  let ids = cache.get(policy);
  if (!ids) {
    const admitted = new Set<string>();
    for (const rule of [...policy.ingress, ...policy.egress]) {
      for (const peer of rule.peers ?? []) {
        for (const w of cluster.workloads) if (peer.members[w.index] === 1) admitted.add(w.id);
      }
    }
    ids = [...admitted];
    cache.set(policy, ids);
  }
  return ids;
}

/** The security review, ready for the findings panel, against the cluster's ranges when given. */
export function findingsInWorkspace(compiled: CompiledWorkspace, networks?: ClusterNetworks): FindingView[] {
  return findingViews(compiled.workspace.findings(networks ? { networks } : {}).findings);
}

/** Findings as the findings panel shows them (locations as editor references). */
export function findingViews(list: readonly Finding[]): FindingView[] {
  return list.map((f) => ({
    ...(f.instances ? { instances: findingViews(f.instances) } : {}),
    id: f.id,
    rule: f.rule,
    severity: f.severity,
    title: f.title,
    message: f.message,
    subjects: f.subjects,
    namespaces: f.namespaces,
    sources: f.locations.flatMap((l) => toSourceRef(l.file, l.range) ?? []),
    fix: f.fix?.description,
    preset:
      f.fix?.suggestion.kind === 'preset-default-deny-ingress'
        ? { kind: 'deny-ingress' as const, namespace: f.fix.suggestion.namespace }
        : f.fix?.suggestion.kind === 'preset-default-deny-egress'
          ? { kind: 'deny-egress-keep-dns' as const, namespace: f.fix.suggestion.namespace }
          : undefined,
  }));
}

function targetView(t: Target): { peer: string; conn: string } {
  return { peer: t.peer, conn: formatConnectionSet(t.conn) };
}

/** What a workload could reach if compromised (see the evaluator's whatIf); undefined if unknown. */
export function whatIfInWorkspace(compiled: CompiledWorkspace, workloadId: string): WhatIfView | undefined {
  return whatIfView(compiled.workspace.whatIf(workloadId).result);
}

/** A what-if as the panel shows it. */
export function whatIfView(result: WhatIf | undefined): WhatIfView | undefined {
  if (!result) return undefined;
  const openings = (list: typeof result.withPodLabels) =>
    list.map((o) => ({
      labels: o.labels,
      remove: o.remove,
      opens: o.opens.map(targetView),
      exposes: o.exposes.map(targetView),
      loses: [...o.loses],
      leaves: o.leaves,
      enters: o.enters,
      alternatives: o.alternatives,
    }));
  return {
    workload: result.workload,
    reachesNow: result.reachesNow.map(targetView),
    reachedByNow: result.reachedByNow.map(targetView),
    withPodLabels: openings(result.withPodLabels),
    withNamespaceLabels: openings(result.withNamespaceLabels),
    search: result.search,
    notes: result.notes,
  };
}

function inside(set: readonly number[], first: number, last: number): boolean {
  for (let i = 0; i < set.length; i += 2) if (first >= set[i]! && last <= set[i + 1]!) return true;
  return false;
}

function sideResult(side: SideExplanation): ExplainSide {
  return {
    direction: side.direction,
    subject: side.subject.id,
    isolated: side.isolated,
    policies: side.policies,
    allows: side.allows,
    conn: formatConnectionSet(side.conn),
    summary: side.summary,
    allowedBy: side.allowedBy.map((m) => ({
      policy: m.policy,
      direction: m.direction,
      rule: m.rule,
      peer: m.peer,
      ports: m.ports,
      conn: formatConnectionSet(m.conn),
      source: toSourceRef(m.file, m.range),
      caveat: m.caveat,
    })),
    nearMisses: side.nearMisses.map((n) => ({
      policy: n.policy,
      rule: n.rule,
      reason: n.reason,
      source: toSourceRef(n.file, n.range),
    })),
    tiers: side.tiers && tierChainView(side.tiers),
  };
}

/** Which tier decided each side of the allowed connection `src` -> `dst`; undefined when not allowed or unknown. */
export function edgeTiersInWorkspace(compiled: CompiledWorkspace, src: string, dst: string) {
  const edge = compiled.edges.get(`${src}->${dst}`);
  const { cluster, analysis } = compiled;
  if (!edge || cluster.clusterPolicies.length === 0) return undefined;
  const byId = (id: string): Peer | undefined =>
    cluster.workloads.find((w) => w.id === id) ??
    [...analysis.ingressExternals, ...analysis.egressExternals, ...analysis.domainExternals].find(
      (e) => e.id === id,
    );
  const from = byId(src);
  const to = byId(dst);
  return from && to ? edgeTiers(cluster, from, to, connectionOf(edge)) : undefined;
}

/**
 * The connections the Admin tier denies in a compiled workspace, with the nodes they need that
 * the graph does not show yet. Asked for only when the user turns the overlay on.
 */
export function adminDenialsInWorkspace(compiled: CompiledWorkspace) {
  const nodeNames = nodeNamesByAddress(compiled.parsed.objects);
  const shown = new Set(compiled.model.nodes.map((n) => n.id));
  return adminDenialsView(compiled.analysis, shown, (peer) => peerNode(compiled.cluster, peer, nodeNames));
}

/** Explains one connection of a compiled workspace; undefined when a peer is unknown. */
export function explainInWorkspace(
  compiled: CompiledWorkspace,
  src: string,
  dst: string,
  query: { protocol: Protocol; port: number } | undefined,
): ExplainResult | undefined {
  const answer = compiled.workspace.explain(src, dst, query);
  if (!answer) return undefined;
  const e = answer.explanation;
  return {
    src: e.src.id,
    dst: e.dst.id,
    query: e.query,
    verdict: e.verdict,
    conn: formatConnectionSet(e.conn),
    egress: sideResult(e.egress),
    ingress: sideResult(e.ingress),
    notes: e.notes,
  };
}
