import type {
  BundleFile,
  EdgeIntent,
  ObservedConnection,
  Plan,
  PresetTarget,
  RemovalIntent,
  TightenScope,
} from '@netpol-atlas/authoring';
import type { ClusterOptions } from '@netpol-atlas/evaluator';
import type { SourceFile } from '@netpol-atlas/manifests';
import type { PresetKind } from '../model/index.ts';
import type { ConnectivityDiffView } from './connectivityDiff.ts';
import type { WorkerError } from './workerError.ts';

/**
 * What the planner is asked to do: allow an edge (in namespace NetworkPolicies or a cluster tier,
 * per `intent.placement`), remove one, deny one cluster-wide (an Admin tier Deny), apply a preset, or
 * tighten a namespace or workload to its observed connections (a `TightenPlan`, with its preview).
 */
export type PlanJob =
  | { kind: 'edge'; intent: EdgeIntent }
  | { kind: 'removal'; intent: RemovalIntent }
  | { kind: 'cluster-deny'; intent: RemovalIntent }
  | { kind: 'preset'; preset: PresetKind; target: PresetTarget }
  | { kind: 'tighten'; scope: TightenScope; observed: ObservedConnection[]; keepDns: boolean };

/** Authoring requests to the worker holding the compiled workspace. `generation` increases per kind; stale replies are dropped. */
export type AuthoringRequest =
  | { type: 'plan'; generation: number; files: SourceFile[]; job: PlanJob; cluster: ClusterOptions }
  | { type: 'diff'; generation: number; before: SourceFile[]; after: SourceFile[]; cluster: ClusterOptions }
  | { type: 'export'; generation: number; files: SourceFile[]; baseline: SourceFile[] };

export type AuthoringResponse =
  | { type: 'plan'; generation: number; plan: Plan }
  | { type: 'diff'; generation: number; diff: ConnectivityDiffView }
  /** The whole set, and only the policies that differ from the baseline (empty when none do). */
  | { type: 'export'; generation: number; all: BundleFile[]; changed: BundleFile[] }
  | { type: 'failed'; request: AuthoringRequest['type']; generation: number; error: WorkerError };
