// The worker's answers besides the graph: findings, what-if, explain, the tier of one edge and
// the Admin tier's denials, each mapped to the view the panels show.

import {
  type ClusterNetworks,
  type Finding,
  formatConnectionSet,
  type Peer,
  type SideExplanation,
  type Target,
  type WhatIf,
} from '@netpol-atlas/evaluator';
import type { ExplainResult, ExplainSide, FindingView, Protocol, WhatIfView } from '../model/index.ts';
import type { CompiledWorkspace } from './compileWorkspace.ts';
import { peerNode } from './graphModel.ts';
import { toSourceRef } from './sourceRef.ts';
import { adminDenialsView, edgeTiers, nodeNamesByAddress, tierChainView } from './tierViews.ts';

/** The security review, ready for the findings panel, against the cluster's ranges when given. */
export function findingsInWorkspace(compiled: CompiledWorkspace, networks?: ClusterNetworks): FindingView[] {
  return findingViews(compiled.workspace.findings(networks ? { networks } : {}).findings);
}

/** Findings as the findings panel shows them (locations as editor references). */
function findingViews(list: readonly Finding[]): FindingView[] {
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
function whatIfView(result: WhatIf | undefined): WhatIfView | undefined {
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
  const { cluster, analysis, table, model } = compiled;
  if (cluster.clusterPolicies.length === 0) return undefined;
  // A scan of the edge table's columns: a few ms even for a million edges, and no index to keep.
  const from = model.nodes.findIndex((n) => n.id === src);
  const to = model.nodes.findIndex((n) => n.id === dst);
  let edge = -1;
  for (let i = 0; i < table.source.length && from >= 0 && to >= 0; i++)
    if (table.source[i] === from && table.target[i] === to) {
      edge = i;
      break;
    }
  if (edge < 0) return undefined;
  const byId = (id: string): Peer | undefined =>
    cluster.workloads.find((w) => w.id === id) ??
    [...analysis.ingressExternals, ...analysis.egressExternals, ...analysis.domainExternals].find(
      (e) => e.id === id,
    );
  const a = byId(src);
  const b = byId(dst);
  const ports = table.kinds[table.kind[edge]!]!.ports;
  return a && b ? edgeTiers(cluster, a, b, { TCP: ports.TCP, UDP: ports.UDP, SCTP: ports.SCTP }) : undefined;
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
