import {
  exportBundle,
  type Plan,
  type PresetTarget,
  plan,
  planClusterDeny,
  planRemoval,
  planTighten,
  presetAllowWithinNamespace,
  presetDefaultDenyEgressKeepDns,
  presetDefaultDenyIngress,
} from '@netpol-atlas/authoring';
import { type ClusterOptions, parseWorkloadId } from '@netpol-atlas/evaluator';
import type { SourceFile } from '@netpol-atlas/manifests';
import type { Workspace } from '@netpol-atlas/workspace';
import type { AuthoringRequest, AuthoringResponse, PlanJob } from './authoringProtocol.ts';
import { diffConnectivity } from './connectivityDiff.ts';
import { workerError } from './workerError.ts';

/** The namespace a preset target lives in (allow-within-namespace is a namespace-wide preset). */
function namespaceOf(target: PresetTarget): string {
  if (typeof target === 'string') return target;
  // A target that is no workload id names no namespace: the preset then finds nothing to select.
  return target.kind === 'namespace' ? target.name : (parseWorkloadId(target.id)?.namespace ?? '');
}

function runJob(workspace: Workspace, job: PlanJob): Plan {
  switch (job.kind) {
    case 'edge':
      return plan({ workspace, intent: job.intent });
    case 'removal':
      return planRemoval(workspace, job.intent);
    case 'cluster-deny':
      return planClusterDeny(workspace, job.intent);
    case 'preset':
      if (job.preset === 'deny-ingress') return presetDefaultDenyIngress(workspace, job.target);
      if (job.preset === 'deny-egress-keep-dns') return presetDefaultDenyEgressKeepDns(workspace, job.target);
      return presetAllowWithinNamespace(workspace, namespaceOf(job.target));
    case 'tighten':
      // A TightenPlan is a Plan with its preview (`tighten`) beside: the dialog reads both.
      return planTighten(workspace, job.scope, job.observed, { keepDns: job.keepDns });
  }
}

function sameFiles(a: readonly SourceFile[], b: readonly SourceFile[]): boolean {
  return a.length === b.length && a.every((f, i) => f.path === b[i]!.path && f.text === b[i]!.text);
}

function sameCluster(a: ClusterOptions, b: ClusterOptions): boolean {
  return (
    a.compat === b.compat &&
    (a.cni ?? 'upstream') === (b.cni ?? 'upstream') &&
    a.granularity === b.granularity
  );
}

/**
 * The workspace holding `files` under `cluster`: the compiled one itself when it does (the usual
 * case: a plan asked about what the graph shows), else a fork of it, which shares the parse of
 * every file it does not change and never changes the compiled one.
 */
function workspaceFor(compiled: Workspace, files: readonly SourceFile[], cluster: ClusterOptions): Workspace {
  const same = sameCluster(compiled.options.cluster ?? {}, cluster);
  if (same && sameFiles(compiled.files, files)) return compiled;
  const fork = compiled.fork();
  if (!same) fork.configure({ ...compiled.options, cluster });
  fork.setFiles(files);
  return fork;
}

/**
 * The authoring half of the worker's state machine, asking the worker's one compiled workspace
 * (`compiled()`): plans read it (or a fork holding the request's files) and never parse the
 * files again. The baseline rarely changes while the documents do, so its fork is kept and reused.
 */
export function createAuthoringHandler(
  compiled: () => Workspace,
): (request: AuthoringRequest) => AuthoringResponse {
  let baseline: { files: SourceFile[]; cluster: ClusterOptions; workspace: Workspace } | undefined;
  return (request) => {
    try {
      switch (request.type) {
        case 'plan':
          return {
            type: 'plan',
            generation: request.generation,
            plan: runJob(workspaceFor(compiled(), request.files, request.cluster), request.job),
          };
        case 'diff': {
          const { cluster } = request;
          if (
            !baseline ||
            !sameCluster(baseline.cluster, cluster) ||
            !sameFiles(baseline.files, request.before)
          ) {
            baseline = {
              files: request.before,
              cluster,
              workspace: workspaceFor(compiled(), request.before, cluster),
            };
          }
          const after = workspaceFor(compiled(), request.after, cluster);
          return {
            type: 'diff',
            generation: request.generation,
            diff: diffConnectivity(after.diff(baseline.workspace)!.diff),
          };
        }
        case 'export':
          return {
            type: 'export',
            generation: request.generation,
            all: exportBundle(request.files),
            changed: exportBundle(request.files, { changedOnly: true, baseline: request.baseline }),
          };
      }
    } catch (error) {
      // A planner bug must not take the UI down: report it as a failed request.
      return {
        type: 'failed',
        request: request.type,
        generation: request.generation,
        error: workerError(error),
      };
    }
  };
}
