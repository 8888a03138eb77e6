import {
  exportBundle,
  type Plan,
  type PresetTarget,
  plan,
  planRemoval,
  presetAllowWithinNamespace,
  presetDefaultDenyEgressKeepDns,
  presetDefaultDenyIngress,
} from '@netpol-atlas/authoring';
import type { Analysis, ClusterOptions } from '@netpol-atlas/evaluator';
import type { SourceFile } from '@netpol-atlas/manifests';
import { analyseFiles, diffConnectivity } from './connectivityDiff.ts';
import type { AuthoringRequest, AuthoringResponse, PlanJob } from './protocol.ts';

/** The namespace a preset target lives in (allow-within-namespace is a namespace-wide preset). */
function namespaceOf(target: PresetTarget): string {
  if (typeof target === 'string') return target;
  return target.kind === 'namespace' ? target.name : target.id.slice(0, target.id.indexOf('/'));
}

function runJob(files: SourceFile[], job: PlanJob, cluster: ClusterOptions): Plan {
  const options = { cluster };
  switch (job.kind) {
    case 'edge':
      return plan({ files, intent: job.intent, options });
    case 'removal':
      return planRemoval(files, job.intent, options);
    case 'preset':
      if (job.preset === 'deny-ingress') return presetDefaultDenyIngress(files, job.target, options);
      if (job.preset === 'deny-egress-keep-dns')
        return presetDefaultDenyEgressKeepDns(files, job.target, options);
      return presetAllowWithinNamespace(files, namespaceOf(job.target), options);
  }
}

function sameFiles(a: readonly SourceFile[], b: readonly SourceFile[]): boolean {
  return a.length === b.length && a.every((f, i) => f.path === b[i]!.path && f.text === b[i]!.text);
}

/**
 * The authoring worker's state machine. The baseline rarely changes while the documents do, so
 * its analysis is kept and reused; the same handler runs on the main thread when workers are
 * unavailable.
 */
export function createAuthoringHandler(): (request: AuthoringRequest) => AuthoringResponse {
  let baseline: { files: SourceFile[]; cni: string | undefined; analysis: Analysis } | undefined;
  return (request) => {
    try {
      switch (request.type) {
        case 'plan':
          return {
            type: 'plan',
            generation: request.generation,
            plan: runJob(request.files, request.job, request.cluster),
          };
        case 'diff': {
          const cni = request.cluster.cni;
          if (!baseline || baseline.cni !== cni || !sameFiles(baseline.files, request.before)) {
            baseline = {
              files: request.before,
              cni,
              analysis: analyseFiles(request.before, request.cluster),
            };
          }
          const after = analyseFiles(request.after, request.cluster);
          return {
            type: 'diff',
            generation: request.generation,
            diff: diffConnectivity(baseline.analysis, after),
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
        message: error instanceof Error ? error.message : String(error),
      };
    }
  };
}
