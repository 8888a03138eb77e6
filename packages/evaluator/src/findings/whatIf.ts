import type { KubeObject } from '@netpol-atlas/manifests';
import { type Analysis, analyze } from '../analyze.ts';
import type { Cluster, WorkloadPeer } from '../model.ts';
import { enforces } from './context.ts';
import { type EditOutcome, reachOf, type SearchStats, searchEdits, type Target } from './escapeSearch.ts';
import type { LabelEdit } from './labelCandidates.ts';
import { selectorCatalogue } from './selectorCatalogue.ts';

// @public: the package API names the search statistics of a what-if result WhatIfSearch.
export type { SearchStats as WhatIfSearch, Target } from './escapeSearch.ts';

/** A change to the labels of the workload's pods or of its namespace. */
export interface LabelChange {
  /** Labels added or overwritten. */
  labels: Record<string, string>;
  /** Labels removed. */
  remove: string[];
}

/** A minimal label change and what it would give the workload, both ways. */
export interface LabelOpening extends LabelChange {
  /** Destinations it would reach (or reach on more ports): the connections gained. Egress. */
  opens: Target[];
  /** Sources that would reach it (or on more ports): the connections gained. Ingress. */
  exposes: Target[];
  /** Destinations it reaches today and no longer would: the price of the change, often none. */
  loses: string[];
  /** NetworkPolicies that select it today and no longer would: the isolation it escapes. */
  leaves: string[];
  /** NetworkPolicies that would select it and do not today. */
  enters: string[];
  /** Other changes of the same labels with exactly the same outcome (e.g. any other value). */
  alternatives: LabelChange[];
}

/** What a compromised workload reaches now, and what label changes would give it. */
export interface WhatIf {
  workload: string;
  /** Egress of the workload AND ingress of each destination, as evaluated today. */
  reachesNow: Target[];
  /** Sources that reach the workload today. */
  reachedByNow: Target[];
  /** (a) Changes to its own pod labels (by whoever can label its pods or edit its Deployment). */
  withPodLabels: LabelOpening[];
  /** (b) Changes to its namespace's labels (by whoever can edit the namespace). */
  withNamespaceLabels: LabelOpening[];
  /** How far each search went; `untried > 0` means the bound stopped it and more changes may exist. */
  search: { pod: SearchStats; namespace: SearchStats };
  /** Caveats a reader needs (non-enforcing CNI, host network, the search bound when reached). */
  notes: string[];
}

/** Bounds of the search, and work already done. */
export interface WhatIfOptions {
  /** Relabelled clusters analysed per kind of change (pod labels, namespace labels). Default 64. */
  maxEvaluations?: number;
  /** `analyze(cluster)`, when the caller has it (the app does): saves recomputing today's reach. */
  analysis?: Analysis;
}

/** The default bound of {@link WhatIfOptions.maxEvaluations}. */
export const DEFAULT_WHAT_IF_EVALUATIONS = 64;

/**
 * Finds the workload a user means: its `ns/name[Kind]` id, or `ns/name` or a bare name when only
 * one workload has it. `candidates` lists the workloads that matched when none or several did
 * (several: the ambiguity; none: the workloads whose id contains the text).
 */
export function resolveWorkload(
  cluster: Cluster,
  text: string,
): { workload: WorkloadPeer } | { workload: undefined; candidates: string[] } {
  const exact = cluster.workloads.find((w) => w.id === text);
  if (exact) return { workload: exact };
  const named = cluster.workloads.filter(
    (w) => `${w.namespace}/${w.name}` === text || w.name === text || `${w.name}[${w.kind}]` === text,
  );
  if (named.length === 1) return { workload: named[0]! };
  const lower = text.toLowerCase();
  const candidates =
    named.length > 1 ? named : cluster.workloads.filter((w) => w.id.toLowerCase().includes(lower));
  return { workload: undefined, candidates: candidates.map((w) => w.id) };
}

function change(edit: LabelEdit): LabelChange {
  const labels: Record<string, string> = {};
  const remove: string[] = [];
  for (const [k, v] of Object.entries(edit).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (v === null) remove.push(k);
    else labels[k] = v;
  }
  return { labels, remove };
}

function opening(o: EditOutcome): LabelOpening {
  return {
    ...change(o.edit),
    opens: o.opens,
    exposes: o.exposes,
    loses: o.loses,
    leaves: o.leaves,
    enters: o.enters,
    alternatives: o.alternatives.map(change),
  };
}

const NOT_SEARCHED: SearchStats = { evaluated: 0, limit: 0, untried: 0 };

/**
 * The label-tampering what-if for one workload: what it reaches and what reaches it now, and the
 * minimal label changes (labels added, overwritten or removed) on its own pods (a) or on its
 * namespace (b) that would let it reach more, or be reached by more. Candidates come from every
 * policy's selectors: leaving the policies that isolate it (their pod selector, or for
 * cluster-wide policies the namespace), landing in others, matching peers, alone and in pairs.
 * Each candidate is judged by the evaluator itself on a relabelled copy of `objects` (the
 * objects `cluster` was built from), so what is reported is exact; the search is bounded by
 * `maxEvaluations`, and says so in `search` and `notes` when the bound stops it.
 *
 * @param workloadId `ns/name[Kind]`, `ns/name` or a unique name
 * @returns undefined when no single workload matches `workloadId` (see {@link resolveWorkload})
 */
export function whatIf(
  cluster: Cluster,
  objects: readonly KubeObject[],
  workloadId: string,
  options: WhatIfOptions = {},
): WhatIf | undefined {
  const { workload } = resolveWorkload(cluster, workloadId);
  if (!workload) return undefined;
  const analysis = options.analysis?.cluster === cluster ? options.analysis : analyze(cluster);
  const today = reachOf(analysis, workload);
  const notes: string[] = [];
  if (!enforces(cluster.options.cni)) {
    notes.push(
      `The ${cluster.options.cni} CNI enforces no NetworkPolicy: the workload already reaches everything.`,
    );
  }
  if (workload.hostNetwork) {
    notes.push(
      `${workload.id} uses the host network: its traffic looks like node traffic, which policies do not restrict.`,
    );
  }
  const uses = selectorCatalogue(objects);
  const maxEvaluations = options.maxEvaluations ?? DEFAULT_WHAT_IF_EVALUATIONS;
  const run = (mode: 'pod' | 'namespace') =>
    searchEdits({ cluster, objects, workload, today, mode, uses, maxEvaluations });
  const pod = run('pod');
  const namespace = run('namespace');
  if (!pod || !namespace) {
    notes.push(`The objects of ${workload.id} were not given: label changes were not searched.`);
  }
  for (const [what, result] of [
    ['pod', pod],
    ['namespace', namespace],
  ] as const) {
    if (result && result.stats.untried > 0) {
      notes.push(
        `Search bound reached for ${what} labels: ${result.stats.evaluated} changes evaluated, ` +
          `${result.stats.untried} not tried. More label changes may open more.`,
      );
    }
  }
  const targets = (m: ReadonlyMap<string, Target>) => [...m.values()];
  return {
    workload: workload.id,
    reachesNow: targets(today.egress),
    reachedByNow: targets(today.ingress),
    withPodLabels: pod?.found.map(opening) ?? [],
    withNamespaceLabels: namespace?.found.map(opening) ?? [],
    search: { pod: pod?.stats ?? NOT_SEARCHED, namespace: namespace?.stats ?? NOT_SEARCHED },
    notes,
  };
}
