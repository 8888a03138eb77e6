import type { LabelSelector, Labels } from '@netpol-atlas/manifests';
import { type Analysis, analyze, rulePorts } from '../analyze.ts';
import { type ConnectionSet, isEmptyConnections } from '../connectionSet.ts';
import { findPeer } from '../explain.ts';
import type { Cluster, CompiledPolicy, WorkloadPeer } from '../model.ts';
import { NAMESPACE_NAME_LABEL } from '../model.ts';
import { enforces, rawPeer } from './context.ts';
import {
  assignmentKey,
  assignmentsSatisfying,
  type LabelAssignment,
  mergeAssignments,
} from './labelCandidates.ts';
import { connectionFromView, egressTowards, ingressFrom, type SourceView, sourceView } from './reach.ts';

/** Something the workload can send to, with what is allowed. */
export interface Target {
  /** `ns/name[Kind]` for workloads, `first-last[External]` for address ranges. */
  peer: string;
  kind: 'workload' | 'external';
  conn: ConnectionSet;
}

/** A set of labels and the destinations it would open. */
export interface LabelOpening {
  /** The labels to add (or overwrite): minimal, no label can be dropped from it. */
  labels: Record<string, string>;
  /** Workloads the workload cannot reach today and could with these labels. */
  opens: Target[];
  /**
   * Workloads it reaches today and would no longer reach (an overwritten label, or an egress policy
   * that starts selecting it): the price of the change, often none.
   */
  loses: string[];
}

/** What a compromised workload reaches now, and what label changes would give it. */
export interface WhatIf {
  workload: string;
  /** Egress of the workload AND ingress of each destination, as evaluated today. */
  reachesNow: Target[];
  /** (a) Labels added to its own pods (e.g. by whoever can edit its Deployment). */
  withPodLabels: LabelOpening[];
  /** (b) Labels added to its namespace (by whoever can edit the namespace). */
  withNamespaceLabels: LabelOpening[];
  /** Caveats a reader needs (non-enforcing CNI, host network). */
  notes: string[];
}

/** Bounds of the search, and work already done. */
export interface WhatIfOptions {
  /** Label sets tried per destination and mode. Default 64. */
  maxCandidates?: number;
  /** `analyze(cluster)`, when the caller has it (the app does): saves recomputing today's reach. */
  analysis?: Analysis;
}

type Mode = 'pod' | 'namespace';

/**
 * The label-tampering what-if for one workload (the attack the notes describe): what it reaches
 * now, and the minimal label sets that, added to its own pod labels (a) or to its namespace's
 * labels (b), would open each further destination. Candidates come from the selectors that
 * decide each connection (the ingress rules of the policies selecting the destination, and the
 * podSelectors of egress policies that would select the workload); each is verified by
 * re-evaluating the connection with the changed labels, then shrunk until no label can go.
 *
 * @param workloadId `ns/name[Kind]`, `ns/name` or a unique name
 * @returns undefined when no single workload matches `workloadId`
 */
export function whatIf(
  cluster: Cluster,
  workloadId: string,
  options: WhatIfOptions = {},
): WhatIf | undefined {
  const peer = findPeer(cluster, workloadId);
  if (peer?.type !== 'workload') return undefined;
  const source = peer;
  const analysis = options.analysis?.cluster === cluster ? options.analysis : analyze(cluster);
  const reachesNow: Target[] = [];
  for (const dst of cluster.workloads) {
    if (dst.index === source.index) continue;
    const conn = analysis.between(source.index, dst.index);
    if (!isEmptyConnections(conn)) reachesNow.push({ peer: dst.id, kind: 'workload', conn });
  }
  analysis.egressExternals.forEach((external, e) => {
    const conn = analysis.toExternal(source.index, e);
    if (!isEmptyConnections(conn)) reachesNow.push({ peer: external.id, kind: 'external', conn });
  });

  const search = new LabelSearch(cluster, source, options.maxCandidates ?? 64);
  const notes: string[] = [];
  if (!enforces(cluster.options.cni)) {
    notes.push(
      `The ${cluster.options.cni} CNI enforces no NetworkPolicy: the workload already reaches everything.`,
    );
  }
  if (source.hostNetwork) {
    notes.push(
      `${source.id} uses the host network: its traffic looks like node traffic, which policies do not restrict.`,
    );
  }
  return {
    workload: source.id,
    reachesNow,
    withPodLabels: search.openings('pod'),
    withNamespaceLabels: search.openings('namespace'),
    notes,
  };
}

class LabelSearch {
  private readonly now: SourceView;
  private readonly closed: WorkloadPeer[];
  private readonly open: WorkloadPeer[];
  private readonly podValues = new Map<string, Set<string>>();
  /** The egress policies of the source's namespace: the only ones that can ever select it. */
  private readonly namespaceEgressPolicies: readonly CompiledPolicy[];
  private readonly views = new Map<string, SourceView>();
  private readonly namespaceValues = new Map<string, Set<string>>();

  constructor(
    private readonly cluster: Cluster,
    private readonly source: WorkloadPeer,
    private readonly maxCandidates: number,
  ) {
    this.namespaceEgressPolicies = cluster.policies.filter(
      (p) => p.affectsEgress && p.namespace === source.namespace,
    );
    this.now = sourceView(cluster, source, source.labels, undefined, this.namespaceEgressPolicies);
    const others = cluster.workloads.filter((d) => d.index !== source.index);
    this.closed = others.filter((d) => isEmptyConnections(connectionFromView(cluster, this.now, d)));
    this.open = others.filter((d) => !this.closed.includes(d));
    for (const w of cluster.workloads) collectValues(this.podValues, w.labels);
    for (const ns of cluster.namespaces.values()) collectValues(this.namespaceValues, ns.labels);
  }

  /** The minimal label sets of one mode, each with every destination it opens. */
  openings(mode: Mode): LabelOpening[] {
    const minimal = new Map<string, LabelAssignment>();
    for (const dst of this.closed) {
      for (const candidate of this.candidates(mode, dst)) {
        if (!this.opens(mode, candidate, dst)) continue;
        const shrunk = this.shrink(mode, candidate, dst);
        minimal.set(assignmentKey(shrunk), shrunk);
      }
    }
    const withTargets = [...minimal.values()].map((labels): LabelOpening => {
      const view = this.view(mode, labels);
      return {
        labels: { ...labels },
        opens: this.closed.flatMap((dst): Target[] => {
          const conn = connectionFromView(this.cluster, view, dst);
          return isEmptyConnections(conn) ? [] : [{ peer: dst.id, kind: 'workload', conn }];
        }),
        loses: this.open
          .filter((dst) => isEmptyConnections(connectionFromView(this.cluster, view, dst)))
          .map((dst) => dst.id),
      };
    });
    // A larger set that opens nothing more than one of its subsets adds no information.
    const kept = withTargets.filter(
      (b) =>
        !withTargets.some(
          (a) =>
            a !== b &&
            isSubset(a.labels, b.labels) &&
            b.opens.every((t) => a.opens.some((u) => u.peer === t.peer)),
        ),
    );
    return kept.sort(
      (a, b) =>
        Object.keys(a.labels).length - Object.keys(b.labels).length ||
        b.opens.length - a.opens.length ||
        assignmentKey(a.labels).localeCompare(assignmentKey(b.labels)),
    );
  }

  private view(mode: Mode, labels: LabelAssignment): SourceView {
    const key = `${mode}:${assignmentKey(labels)}`;
    let view = this.views.get(key);
    if (!view) {
      const ns = this.now.namespaceLabels;
      const pod = this.source.labels;
      view =
        mode === 'pod'
          ? sourceView(this.cluster, this.source, { ...pod, ...labels }, ns, this.namespaceEgressPolicies)
          : sourceView(this.cluster, this.source, pod, { ...ns, ...labels }, this.namespaceEgressPolicies);
      this.views.set(key, view);
    }
    return view;
  }

  private opens(mode: Mode, labels: LabelAssignment, dst: WorkloadPeer): boolean {
    return !isEmptyConnections(connectionFromView(this.cluster, this.view(mode, labels), dst));
  }

  /** Drops labels one at a time while the destination stays open. */
  private shrink(mode: Mode, labels: LabelAssignment, dst: WorkloadPeer): LabelAssignment {
    let current: Record<string, string> = { ...labels };
    for (const key of Object.keys(labels).sort()) {
      const { [key]: _, ...rest } = current;
      if (Object.keys(rest).length > 0 && this.opens(mode, rest, dst)) current = rest;
    }
    return current;
  }

  private satisfy(mode: Mode, selector: LabelSelector | undefined): LabelAssignment[] {
    if (!selector) return [{}];
    return mode === 'pod'
      ? assignmentsSatisfying(selector, this.source.labels, {
          valuesFor: (k) => [...(this.podValues.get(k) ?? [])],
        })
      : assignmentsSatisfying(selector, this.now.namespaceLabels, {
          valuesFor: (k) => [...(this.namespaceValues.get(k) ?? [])],
          immutable: new Set([NAMESPACE_NAME_LABEL]),
        });
  }

  /** Label sets that could open `dst`: one per way to satisfy its ingress, crossed with the egress side. */
  private candidates(mode: Mode, dst: WorkloadPeer): LabelAssignment[] {
    const ingress = this.ingressCandidates(mode, dst);
    const egress = this.egressCandidates(mode, dst);
    const out = new Map<string, LabelAssignment>();
    for (const i of ingress) {
      for (const e of egress) {
        const merged = mergeAssignments(i, e);
        if (!merged || Object.keys(merged).length === 0) continue;
        out.set(assignmentKey(merged), merged);
        if (out.size >= this.maxCandidates) return [...out.values()];
      }
    }
    return [...out.values()];
  }

  private ingressCandidates(mode: Mode, dst: WorkloadPeer): LabelAssignment[] {
    if (!isEmptyConnections(ingressFrom(this.cluster, this.now, dst))) return [{}];
    const out: LabelAssignment[] = [];
    const src = this.source;
    for (const policy of this.cluster.ingressPolicies[dst.index] ?? []) {
      for (const rule of policy.ingress) {
        if (!rule.peers || isEmptyConnections(rulePorts(rule, dst))) continue;
        for (const peer of rule.peers) {
          if (peer.kind !== 'selector') continue;
          const raw = rawPeer(rule, peer.index);
          if (mode === 'pod') {
            const inScope = peer.namespaceSelector
              ? peer.namespaceSelector.matches(this.now.namespaceLabels)
              : policy.namespace === src.namespace;
            if (inScope) out.push(...this.satisfy('pod', raw?.podSelector));
          } else if (peer.namespaceSelector && (!peer.podSelector || peer.podSelector.matches(src.labels))) {
            out.push(...this.satisfy('namespace', raw?.namespaceSelector));
          }
        }
      }
    }
    return out;
  }

  private egressCandidates(mode: Mode, dst: WorkloadPeer): LabelAssignment[] {
    if (!isEmptyConnections(egressTowards(this.cluster, this.now, dst))) return [{}];
    const out: LabelAssignment[] = [];
    if (mode === 'pod') {
      // Another egress policy of the namespace would add its rules if it selected the workload.
      for (const policy of this.egressPoliciesNotSelecting()) {
        const alone = { ...this.now, egressPolicies: [policy] };
        if (!isEmptyConnections(egressTowards(this.cluster, alone, dst))) {
          out.push(...this.satisfy('pod', policy.object.spec.podSelector));
        }
      }
    } else if (dst.namespace === this.source.namespace) {
      // Only a destination in the same namespace sees the relabelled namespace.
      for (const policy of this.now.egressPolicies) {
        for (const rule of policy.egress) {
          for (const peer of rule.peers ?? []) {
            if (peer.kind !== 'selector' || !peer.namespaceSelector) continue;
            if (peer.podSelector && !peer.podSelector.matches(dst.labels)) continue;
            out.push(...this.satisfy('namespace', rawPeer(rule, peer.index)?.namespaceSelector));
          }
        }
      }
    }
    return out;
  }

  private egressPoliciesNotSelecting(): CompiledPolicy[] {
    if (!enforces(this.cluster.options.cni)) return [];
    return this.namespaceEgressPolicies.filter((p) => !this.now.egressPolicies.includes(p));
  }
}

function collectValues(into: Map<string, Set<string>>, labels: Labels): void {
  for (const [k, v] of Object.entries(labels)) {
    let values = into.get(k);
    if (!values) {
      values = new Set();
      into.set(k, values);
    }
    values.add(v);
  }
}

function isSubset(a: LabelAssignment, b: LabelAssignment): boolean {
  return Object.entries(a).every(([k, v]) => b[k] === v);
}
