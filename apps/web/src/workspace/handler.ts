import { Workspace } from '@netpol-atlas/workspace';
import { fromWire, layoutGraph, layoutInput, overviewCache, overviewTransferables } from '../graph/index.ts';
import { createAuthoringHandler } from './authoringHandler.ts';
import type { AuthoringRequest, AuthoringResponse } from './authoringProtocol.ts';
import {
  APP_WORKSPACE_OPTIONS,
  type CompiledWorkspace,
  compileWorkspace,
  wireModel,
} from './compileWorkspace.ts';
import { connectionOrder, sidePolicies } from './connectionOrder.ts';
import { connectionsCsvBlob } from './connectionsCsv.ts';
import { HeldDocuments, type SyncedFile, UNKNOWN_BASE } from './documentSync.ts';
import { createFlowsHandler, type FlowsRequest, type FlowsResponse } from './flowsHandler.ts';
import { matrixCounts } from './matrixCounts.ts';
import { handleMigrate } from './migrateHandler.ts';
import type { WorkerRequest, WorkerResponse } from './protocol.ts';
import type { TableSource } from './tableSource.ts';
import { workerError } from './workerError.ts';
import {
  adminDenialsInWorkspace,
  edgeTiersInWorkspace,
  explainInWorkspace,
  findingsInWorkspace,
  whatIfInWorkspace,
} from './workspaceQueries.ts';

/** Every request the worker answers: the analysis queries and the authoring ones. */
export type AnyRequest = WorkerRequest | AuthoringRequest | FlowsRequest;
export type AnyResponse = WorkerResponse | AuthoringResponse | FlowsResponse;

const AUTHORING_REQUESTS: ReadonlySet<string> = new Set<AuthoringRequest['type']>(['plan', 'diff', 'export']);

function isAuthoring(request: AnyRequest): request is AuthoringRequest {
  return AUTHORING_REQUESTS.has(request.type);
}

const FLOWS_REQUESTS: ReadonlySet<string> = new Set<FlowsRequest['type']>([
  'flowsImport',
  'flowsReport',
  'flowsImpact',
]);

function isFlows(request: AnyRequest): request is FlowsRequest {
  return FLOWS_REQUESTS.has(request.type);
}

/**
 * The worker's state machine: one compiled Workspace, which the analysis queries (graph,
 * explain, findings, what-if) and the authoring ones (plans, diffs, exports) all ask, so a big
 * workspace is compiled once, not once per worker. The same handler runs on the main thread
 * when workers are unavailable.
 */
export function createHandler(): (request: AnyRequest) => Promise<AnyResponse> {
  const workspace = new Workspace([], APP_WORKSPACE_OPTIONS);
  let compiled: CompiledWorkspace | undefined;
  const held = new HeldDocuments();
  const overview = overviewCache();
  const authoring = createAuthoringHandler(() => workspace);
  const flows = createFlowsHandler(() => workspace);
  return async (request) => {
    if (isAuthoring(request)) return authoring(request);
    if (isFlows(request)) return flows(request);
    try {
      switch (request.type) {
        case 'analyze': {
          const started = performance.now();
          const files = documentsOf(request, held);
          if (files === UNKNOWN_BASE) return refusedAnalysis(request.generation);
          compiled = compileWorkspace(files, request.options, compiled ?? workspace);
          return {
            type: 'analyze',
            generation: request.generation,
            model: wireModel(compiled),
            problems: compiled.problems,
            ms: performance.now() - started,
          };
        }
        case 'overview': {
          const graph =
            compiled?.revision === request.revision
              ? overview(
                  { nodes: compiled.model.nodes, table: compiled.table, extra: request.extra },
                  request.filters,
                  new Set(request.collapsed),
                )
              : undefined;
          // Read here, where the edges are columns already: on the page it took tens of ms of
          // the main thread per expansion (see useLayoutDriver).
          return {
            type: 'overview',
            generation: request.generation,
            graph,
            layout: graph && layoutInput(fromWire(graph)),
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
            result: compiled
              ? explainInWorkspace(compiled, request.src, request.dst, request.query)
              : undefined,
          };
        case 'findings':
          return {
            type: 'findings',
            generation: request.generation,
            findings: compiled ? findingsInWorkspace(compiled, request.networks) : [],
          };
        case 'whatIf':
          return {
            type: 'whatIf',
            generation: request.generation,
            result: compiled ? whatIfInWorkspace(compiled, request.workload) : undefined,
          };
        case 'edgeTiers':
          return {
            type: 'edgeTiers',
            generation: request.generation,
            result: compiled ? edgeTiersInWorkspace(compiled, request.src, request.dst) : undefined,
          };
        case 'adminDenials':
          return {
            type: 'adminDenials',
            generation: request.generation,
            result: compiled ? adminDenialsInWorkspace(compiled) : undefined,
          };
        case 'connections':
          return {
            type: 'connections',
            generation: request.generation,
            order:
              compiled?.revision === request.revision
                ? connectionOrder(tableSource(compiled), request.filters, request.sort, request.query)
                : undefined,
          };
        case 'sidePolicies':
          return {
            type: 'sidePolicies',
            generation: request.generation,
            sides: compiled?.revision === request.revision ? sidePolicies(tableSource(compiled)) : undefined,
          };
        case 'matrix':
          return {
            type: 'matrix',
            generation: request.generation,
            matrix:
              compiled?.revision === request.revision
                ? matrixCounts(tableSource(compiled), request.filters)
                : undefined,
          };
        case 'connectionsCsv':
          return {
            type: 'connectionsCsv',
            generation: request.generation,
            slice:
              compiled?.revision === request.revision
                ? connectionsCsvBlob(tableSource(compiled), request.query, request.from, request.count)
                : undefined,
          };
        case 'migrate':
          return handleMigrate(workspace, request);
      }
    } catch (error) {
      // A bug in analysis must not take the UI down: report it as a failed request.
      return {
        type: 'failed',
        request: request.type,
        generation: request.generation,
        error: workerError(error),
      };
    }
  };
}

type AnalyzeRequest = Extract<WorkerRequest, { type: 'analyze' }>;

/**
 * The documents an analyze request leads to: its update applied to what the worker holds, or
 * its full list (after which no delta applies). `UNKNOWN_BASE`: the worker does not hold the
 * update's base, and must be sent everything.
 */
function documentsOf(
  request: AnalyzeRequest,
  held: HeldDocuments,
): readonly SyncedFile[] | typeof UNKNOWN_BASE {
  if (!('documents' in request)) {
    held.forget();
    return request.files;
  }
  return held.apply(request.documents) ?? UNKNOWN_BASE;
}

/** The reply to a delta the worker cannot apply: a refusal, not a bug (the page sends everything). */
function refusedAnalysis(generation: number): AnyResponse {
  return {
    type: 'failed',
    request: 'analyze',
    generation,
    error: {
      name: 'RefusedRequest',
      message: 'the worker does not hold the documents this edit applies to',
      stack: undefined,
      code: UNKNOWN_BASE,
    },
  };
}

/** The compiled revision's model as the connections table and the matrix read it. */
function tableSource(compiled: CompiledWorkspace): TableSource {
  return { nodes: compiled.model.nodes, table: compiled.table, policies: compiled.model.policies };
}

/**
 * What to transfer with a reply rather than copy: the edge columns of an overview, the
 * connections table's rows and policies, the matrix's counts (an analysis is posted in a form
 * of its own, see postedModel.ts).
 */
export function transferablesOfReply(reply: AnyResponse): Transferable[] {
  if (reply.type === 'overview' && reply.graph) return overviewTransferables(reply.graph);
  if (reply.type === 'connections' && reply.order) return [reply.order.rows.buffer as ArrayBuffer];
  if (reply.type === 'sidePolicies' && reply.sides) {
    const s = reply.sides;
    return [s.egressStart, s.egress, s.ingressStart, s.ingress].map((a) => a.buffer as ArrayBuffer);
  }
  if (reply.type === 'matrix' && reply.matrix) {
    const m = reply.matrix;
    return [m.sizes, m.allowed, m.cellStart, m.cellEdges].map((a) => a.buffer as ArrayBuffer);
  }
  return [];
}

let shared: Promise<(request: AnyRequest) => Promise<AnyResponse>> | undefined;

/**
 * The handler both clients share on the main thread when workers are unavailable, so that even
 * then there is one compiled workspace.
 */
export function sharedHandler(): Promise<(request: AnyRequest) => Promise<AnyResponse>> {
  shared ??= Promise.resolve(createHandler());
  return shared;
}

/** The shared handler as the analysis client sees it: its replies are of its requests' kinds. */
export function analysisHandler(): Promise<(request: WorkerRequest) => Promise<WorkerResponse>> {
  return sharedHandler() as Promise<(request: WorkerRequest) => Promise<WorkerResponse>>;
}

/** The shared handler as the authoring client sees it. */
export function authoringHandler(): Promise<(request: AuthoringRequest) => Promise<AuthoringResponse>> {
  return sharedHandler() as Promise<(request: AuthoringRequest) => Promise<AuthoringResponse>>;
}

/** The shared handler as the observed-traffic client sees it. */
export function flowsHandler(): Promise<(request: FlowsRequest) => Promise<FlowsResponse>> {
  return sharedHandler() as Promise<(request: FlowsRequest) => Promise<FlowsResponse>>;
}
