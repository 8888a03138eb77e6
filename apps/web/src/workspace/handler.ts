import { layoutGraph } from '../graph/index.ts';
import {
  type CompiledWorkspace,
  compileWorkspace,
  explainInWorkspace,
  findingsInWorkspace,
  whatIfInWorkspace,
} from './compileWorkspace.ts';
import type { WorkerRequest, WorkerResponse } from './protocol.ts';

/**
 * The worker's state machine: it keeps the last compiled workspace so explain queries reuse it.
 * The same handler runs on the main thread when workers are unavailable.
 */
export function createHandler(): (request: WorkerRequest) => Promise<WorkerResponse> {
  let workspace: CompiledWorkspace | undefined;
  return async (request) => {
    try {
      switch (request.type) {
        case 'analyze': {
          const started = performance.now();
          workspace = compileWorkspace(request.files, request.options, workspace);
          return {
            type: 'analyze',
            generation: request.generation,
            model: workspace.model,
            problems: workspace.problems,
            ms: performance.now() - started,
          };
        }
        case 'layout':
          return {
            type: 'layout',
            generation: request.generation,
            positions: await layoutGraph(request.graph),
          };
        case 'explain':
          return {
            type: 'explain',
            generation: request.generation,
            result: workspace
              ? explainInWorkspace(workspace, request.src, request.dst, request.query)
              : undefined,
          };
        case 'findings':
          return {
            type: 'findings',
            generation: request.generation,
            findings: workspace ? findingsInWorkspace(workspace) : [],
          };
        case 'whatIf':
          return {
            type: 'whatIf',
            generation: request.generation,
            result: workspace ? whatIfInWorkspace(workspace, request.workload) : undefined,
          };
      }
    } catch (error) {
      // A bug in analysis must not take the UI down: report it as a failed request.
      return {
        type: 'failed',
        request: request.type,
        generation: request.generation,
        message: error instanceof Error ? error.message : String(error),
      };
    }
  };
}
